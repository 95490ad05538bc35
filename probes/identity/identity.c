/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Gathering half of device identity: reads through probes/hw only. */
#include "identity.h"

#include <errno.h>

#include "hw.h"

#define VPD_RO "/sys/firmware/vpd/ro"
#define DMI "/sys/class/dmi/id"
#define DT "/proc/device-tree"
/* the coreboot table's entries, one device each (drivers/firmware/google) */
#define COREBOOT_BUS "/sys/bus/coreboot/devices"

/* Read a file as text into a CBD_ID_STR field: printable ASCII only (anything
 * else becomes '?'), trimmed. A failed or empty read leaves "". */
static bool
read_field(const char *path, char *out)
{
	char buf[CBD_ID_STR];
	int n = cbd_hw_read_bytes(path, buf, sizeof(buf) - 1);

	out[0] = '\0';
	if (n <= 0)
		return false;
	buf[n] = '\0';
	/* device-tree strings end in NUL; VPD values have no newline */
	n = (int)strnlen(buf, (size_t)n);
	for (int i = 0; i < n; i++)
		if ((unsigned char)buf[i] < 0x20 || (unsigned char)buf[i] > 0x7e)
			buf[i] = (buf[i] == '\n' || buf[i] == '\t') ? ' ' : '?';
	buf[n] = '\0';
	cbd_strstrip(buf);
	memcpy(out, buf, strlen(buf) + 1);
	return out[0] != '\0';
}

static void
read_vpd(struct cbd_identity_raw *raw)
{
	/* The whitelist: identity keys only. */
	raw->has_vpd = cbd_hw_exists(VPD_RO);
	if (!raw->has_vpd)
		return;
	read_field(VPD_RO "/serial_number", raw->vpd_serial);
	read_field(VPD_RO "/sku_number", raw->vpd_sku);
	read_field(VPD_RO "/model_name", raw->vpd_model_name);
}

/* The coreboot table, which is where the kernel finds the VPD: on x86 an
 * ACPI device GOOGCB00 points at it, on ARM the device tree's
 * /firmware/coreboot. Its bus is registered whenever the kernel has the
 * driver; it has entries only when a table was found. */
static void
read_coreboot(struct cbd_identity_raw *raw)
{
	char **names = NULL;
	size_t n = 0;

	if (cbd_hw_list_dir(COREBOOT_BUS, &names, &n) == 0 && n > 0)
		raw->has_coreboot = true;
	cbd_hw_strv_free(names);
	if (cbd_hw_exists(DT "/firmware/coreboot"))
		raw->has_coreboot = true;
}

static void
read_dmi(struct cbd_identity_raw *raw)
{
	char buf[32];
	long long v;

	raw->dmi_chassis_type = -1;
	raw->has_dmi = cbd_hw_exists(DMI);
	if (!raw->has_dmi)
		return;
	read_field(DMI "/sys_vendor", raw->dmi_sys_vendor);
	read_field(DMI "/product_name", raw->dmi_product_name);
	read_field(DMI "/product_sku", raw->dmi_product_sku);
	read_field(DMI "/product_serial", raw->dmi_product_serial); /* EACCES unless root */
	read_field(DMI "/board_name", raw->dmi_board_name);
	read_field(DMI "/bios_version", raw->dmi_bios_version);
	read_field(DMI "/chassis_asset_tag", raw->dmi_chassis_asset_tag);
	read_field(DMI "/board_asset_tag", raw->dmi_board_asset_tag);
	if (read_field(DMI "/chassis_type", buf) && cbd_parse_ll(buf, 10, &v) == 0 && v >= 0 &&
	    v < 256)
		raw->dmi_chassis_type = (int)v;
}

static void
read_dt(struct cbd_identity_raw *raw)
{
	uint8_t sku[4];

	raw->has_dt = cbd_hw_exists(DT "/compatible") || cbd_hw_exists(DT "/model");
	if (!raw->has_dt)
		return;
	read_field(DT "/model", raw->dt_model);
	/* compatible is a NUL-separated list, most specific first: read_field stops at
	 * the first NUL, which is the entry we want. */
	read_field(DT "/compatible", raw->dt_compatible);
	if (cbd_hw_read_bytes_all(DT "/firmware/coreboot/sku-id", sku, sizeof(sku)) == 4) {
		raw->has_dt_sku = true;
		raw->dt_sku_id = (uint32_t)sku[0] << 24 | (uint32_t)sku[1] << 16 |
				 (uint32_t)sku[2] << 8 | sku[3];
	}
}

static void
read_chromeos_fw(struct cbd_identity_raw *raw)
{
	static const char *const acpi_dirs[] = {
		"/sys/bus/platform/devices/GGL0001:00",
		"/sys/bus/platform/devices/GOOG0016:00",
		"/sys/devices/platform/chromeos_acpi", /* ChromeOS' own kernels */
	};

	for (size_t i = 0; i < CBD_ARRAY_SIZE(acpi_dirs); i++) {
		_cleanup_free_ char *hwid = cbd_strdupf("%s/HWID", acpi_dirs[i]);
		_cleanup_free_ char *fwid = cbd_strdupf("%s/FWID", acpi_dirs[i]);

		if (!cbd_hw_exists(acpi_dirs[i]))
			continue;
		raw->chromeos_acpi = true;
		if (!raw->cros_acpi_bound) {
			_cleanup_free_ char *drv = cbd_strdupf("%s/driver", acpi_dirs[i]);

			/* the firmware's device without a driver: chromeos_acpi not loaded */
			raw->cros_acpi_bound = cbd_hw_exists(drv) || cbd_hw_exists(hwid);
		}
		read_field(hwid, raw->cros_hwid);
		read_field(fwid, raw->cros_fwid);
		if (raw->cros_hwid[0] || raw->cros_fwid[0])
			return;
	}
	if (cbd_hw_exists(DT "/firmware/chromeos")) {
		raw->chromeos_dt = true;
		if (!raw->cros_hwid[0])
			read_field(DT "/firmware/chromeos/hardware-id", raw->cros_hwid);
		if (!raw->cros_fwid[0])
			read_field(DT "/firmware/chromeos/firmware-version", raw->cros_fwid);
	}
}

void
cbd_identity_read(struct cbd_identity_raw *raw)
{
	*raw = (struct cbd_identity_raw){0};
	read_vpd(raw);
	read_coreboot(raw);
	read_dmi(raw);
	read_dt(raw);
	read_chromeos_fw(raw);
}
