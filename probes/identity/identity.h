/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Device identity for the report's "device" object: which machine this is,
 * never who uses it.
 *
 * Sources, in order of trust (probes/identity/README.md): Google VPD
 * (/sys/firmware/vpd/ro/<key>, binary, no newline), ChromeOS firmware
 * (ACPI GGL0001/GOOG0016 attributes on x86, /firmware/chromeos in the device
 * tree on ARM), SMBIOS/DMI (/sys/class/dmi/id), the device tree's model,
 * compatible and coreboot sku-id.
 *
 * Only the VPD keys named in identity.c are ever opened: the enrollment and
 * device secrets (stable_device_secret_DO_NOT_SHARE, ubind_attribute,
 * gbind_attribute) are never read, let alone reported.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "cbd-util.h"
#include "device-id.h"

#define CBD_ID_STR 256

/* Everything identity reads, raw but sanitised (printable text, trimmed).
 * An empty string means "not available". */
struct cbd_identity_raw {
	bool has_vpd;
	char vpd_serial[CBD_ID_STR];
	char vpd_sku[CBD_ID_STR];
	char vpd_model_name[CBD_ID_STR];

	bool has_dmi;
	char dmi_sys_vendor[CBD_ID_STR];
	char dmi_product_name[CBD_ID_STR];
	char dmi_product_sku[CBD_ID_STR];
	char dmi_product_serial[CBD_ID_STR]; /* root only */
	char dmi_board_name[CBD_ID_STR];
	char dmi_bios_version[CBD_ID_STR];
	char dmi_chassis_asset_tag[CBD_ID_STR];
	char dmi_board_asset_tag[CBD_ID_STR];
	int dmi_chassis_type; /* -1 when unknown */

	bool has_dt;
	char dt_model[CBD_ID_STR];
	char dt_compatible[CBD_ID_STR]; /* the first (most specific) entry */
	bool has_dt_sku;
	uint32_t dt_sku_id;

	bool has_coreboot;  /* the kernel found a coreboot table (its bus has entries) */

	bool chromeos_acpi; /* GGL0001 / GOOG0016 / chromeos_acpi present */
	bool cros_acpi_bound; /* ... and a driver (chromeos_acpi) took it */
	bool chromeos_dt;   /* /firmware/chromeos present */
	char cros_hwid[CBD_ID_STR];
	char cros_fwid[CBD_ID_STR];
};

/** Read the raw identity from the machine (through probes/hw). Never fails:
 * what cannot be read stays empty. */
void cbd_identity_read(struct cbd_identity_raw *raw);

/** Pure: decide the report's device fields from @raw. @out is cleared first.
 * What could not be read is said in @out's findings (device.*), never left
 * as a silent null: a Chromebook without its VPD serial or HWID, no serial
 * at all, a machine without Chromebook firmware identity. */
void cbd_identity_decide(const struct cbd_identity_raw *raw, struct cbd_device_id *out);

/** Pure: true for the placeholder strings firmware leaves in DMI fields
 * ("To be filled by O.E.M.", "Default string", ...). */
bool cbd_identity_is_placeholder(const char *s);
