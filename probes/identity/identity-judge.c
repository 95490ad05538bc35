/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Deciding half of device identity: pure code, no I/O. */
#include "identity.h"

#include <ctype.h>
#include <strings.h>

#include "result.h"

bool
cbd_identity_is_placeholder(const char *s)
{
	static const char *const junk[] = {
		"to be filled by o.e.m.", "to be filled by oem", "default string",
		"not specified",          "not applicable",      "not available",
		"none",                   "n/a",                 "na",
		"system serial number",   "chassis serial number",
		"system product name",    "system manufacturer", "no asset tag",
		"asset tag",              "asset-1234567890",    "unknown",
		"0",                      "00000000",            "0123456789",
		"123456789",              "invalid",             "oem",
	};

	if (strempty(s))
		return true;
	for (size_t i = 0; i < CBD_ARRAY_SIZE(junk); i++)
		if (strcasecmp(s, junk[i]) == 0)
			return true;
	/* all the same character ("xxxxxxxx", "        ", "FFFFFFFF") */
	for (const char *p = s + 1;; p++) {
		if (!*p)
			return strlen(s) > 3;
		if (*p != *s)
			break;
	}
	return false;
}

static const char *
pick(const char *a, const char *b, const char *c)
{
	if (!cbd_identity_is_placeholder(a))
		return a;
	if (!cbd_identity_is_placeholder(b))
		return b;
	if (!cbd_identity_is_placeholder(c))
		return c;
	return NULL;
}

/* SMBIOS chassis types (DMTF DSP0134 7.4.1) */
static bool
chassis_is_portable(int t)
{
	/* 8 portable, 9 laptop, 10 notebook, 14 sub notebook, 30 tablet,
	 * 31 convertible, 32 detachable (probes/identity/README.md, "Laptop or not") */
	return t == 8 || t == 9 || t == 10 || t == 14 || t == 30 || t == 31 || t == 32;
}

static bool
chassis_is_desktop(int t)
{
	/* 3 desktop, 4 low-profile desktop, 5 pizza box, 6 mini tower, 7 tower,
	 * 13 all in one, 15 space-saving, 16 lunch box, 17 main server chassis,
	 * 23 rack mount, 24 sealed-case PC, 35 mini PC, 36 stick PC */
	static const int d[] = {3, 4, 5, 6, 7, 13, 15, 16, 17, 23, 24, 35, 36};

	for (size_t i = 0; i < CBD_ARRAY_SIZE(d); i++)
		if (t == d[i])
			return true;
	return false;
}

/* "google,pompom-rev3" -> "pompom"; NULL unless the vendor prefix is google */
static char *
dt_board(const char *compatible)
{
	const char *p;
	char *b, *dash;

	if (strncmp(compatible, "google,", 7) != 0 || !compatible[7])
		return NULL;
	p = compatible + 7;
	b = cbd_strdup(p);
	/* strip "-revN", "-skuN" and what follows them */
	for (dash = strchr(b, '-'); dash; dash = strchr(dash + 1, '-'))
		if ((strncmp(dash, "-rev", 4) == 0 || strncmp(dash, "-sku", 4) == 0) &&
		    isdigit((unsigned char)dash[4])) {
			*dash = '\0';
			break;
		}
	return b;
}

static char *
dt_vendor(const char *compatible)
{
	const char *comma = strchr(compatible, ',');

	if (!comma || comma == compatible)
		return NULL;
	if (strncmp(compatible, "google,", 7) == 0)
		return cbd_strdup("Google");
	return cbd_strdupf("%.*s", (int)(comma - compatible), compatible);
}

static void
note(struct cbd_device_id *d, const char *code, enum cbd_severity severity, const char *action,
     const char *message)
{
	cbd_findings_add(&d->findings, &d->n_findings, code, severity, false, action, "%s",
			 message);
}

#define ACTION_SERIAL                                                                        \
	"Find the ticket by the serial number on the label under the laptop and type its "   \
	"number when cbdiag asks"

/* What identity could not read, as findings (never a silent null). */
static void
explain(const struct cbd_identity_raw *raw, struct cbd_device_id *out)
{
	bool chromeos_fw = raw->chromeos_acpi || raw->chromeos_dt;
	bool chromebook = chromeos_fw || raw->has_vpd || raw->has_coreboot;
	bool vpd_serial = !cbd_identity_is_placeholder(raw->vpd_serial);

	if (!chromebook) {
		if (out->form_factor != CBD_FORM_DESKTOP)
			note(out, "device.no_chromebook_identity", CBD_SEVERITY_INFO, NULL,
			     "This machine's firmware gives no Chromebook identity (no VPD serial, no "
			     "HWID): it is not a Chromebook, or its firmware was replaced");
	} else if (!raw->has_vpd) {
		note(out, "device.vpd_unreadable", CBD_SEVERITY_WARN,
		     out->serial ? NULL : ACTION_SERIAL,
		     out->serial ? (raw->has_coreboot
					    ? "The Chromebook's VPD (the serial on its label) cannot be "
					      "read: the image's kernel has no vpd-sysfs driver loaded. The "
					      "serial here is the firmware's DMI serial instead"
					    : "The Chromebook's VPD (the serial on its label) cannot be "
					      "read: the firmware gives the kernel no coreboot table. The "
					      "serial here is the firmware's DMI serial instead")
				 : (raw->has_coreboot
					    ? "The Chromebook's VPD (the serial on its label) cannot be "
					      "read: the image's kernel has no vpd-sysfs driver loaded"
					    : "The Chromebook's VPD (the serial on its label) cannot be "
					      "read: the firmware gives the kernel no coreboot table"));
	} else if (!vpd_serial) {
		note(out, "device.vpd_no_serial", CBD_SEVERITY_WARN,
		     out->serial ? NULL : ACTION_SERIAL,
		     out->serial ? "The Chromebook's VPD has no serial_number (a replaced main "
				   "board is often left without one). The serial here is the "
				   "firmware's DMI serial instead"
				 : "The Chromebook's VPD has no serial_number (a replaced main board is "
				   "often left without one)");
	}
	if (chromebook && !out->hwid)
		note(out, "device.no_hwid", CBD_SEVERITY_WARN, NULL,
		     raw->chromeos_acpi && !raw->cros_acpi_bound
			     ? "No HWID: the firmware's ChromeOS device (GGL0001) is there, but the "
			       "image's kernel has no chromeos_acpi driver loaded"
			     : raw->chromeos_acpi || raw->chromeos_dt
				       ? "No HWID: the ChromeOS firmware interface gives none"
				       : "No HWID: the firmware has no ChromeOS interface (ACPI "
					 "GGL0001 or /firmware/chromeos) to read it from");
	if (!out->serial)
		note(out, "device.no_serial", CBD_SEVERITY_WARN, ACTION_SERIAL,
		     "No serial number could be read, so the report cannot find its ticket by "
		     "serial");
}

void
cbd_identity_decide(const struct cbd_identity_raw *raw, struct cbd_device_id *out)
{
	bool chromeos_fw = raw->chromeos_acpi || raw->chromeos_dt;

	cbd_device_id_clear(out);

	/* VPD serial_number, else DMI product_serial, else null (probes/identity/README.md) */
	out->serial = cbd_strdup(pick(raw->vpd_serial, raw->dmi_product_serial, NULL));
	out->asset_tag = cbd_strdup(pick(raw->dmi_chassis_asset_tag, raw->dmi_board_asset_tag, NULL));

	out->vendor = cbd_strdup(pick(raw->dmi_sys_vendor, NULL, NULL));
	if (!out->vendor && raw->dt_compatible[0])
		out->vendor = dt_vendor(raw->dt_compatible);

	out->model = cbd_strdup(pick(raw->dmi_product_name, raw->dt_model, raw->vpd_model_name));

	out->board = cbd_strdup(pick(raw->dmi_board_name, NULL, NULL));
	if (!out->board && raw->dt_compatible[0])
		out->board = dt_board(raw->dt_compatible);

	out->sku = cbd_strdup(pick(raw->vpd_sku, raw->dmi_product_sku, NULL));
	if (!out->sku && raw->has_dt_sku)
		out->sku = cbd_strdupf("sku%u", raw->dt_sku_id);

	out->firmware_version = cbd_strdup(pick(raw->cros_fwid, raw->dmi_bios_version, NULL));
	out->hwid = cbd_strdup(pick(raw->cros_hwid, NULL, NULL));

	/* Laptop or not (probes/identity/README.md): a portable chassis type, or ChromeOS firmware / VPD.
	 * An explicit desktop chassis (a Chromebox or Chromebase) wins over the
	 * firmware test, which cannot tell a Chromebox from a Chromebook. */
	if (chassis_is_portable(raw->dmi_chassis_type))
		out->form_factor = CBD_FORM_LAPTOP;
	else if (chassis_is_desktop(raw->dmi_chassis_type))
		out->form_factor = CBD_FORM_DESKTOP;
	else if (chromeos_fw || raw->has_vpd)
		out->form_factor = CBD_FORM_LAPTOP;
	else
		out->form_factor = CBD_FORM_UNKNOWN;
	explain(raw, out);
}
