/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Identity decisions from literal raw values (no machine access). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "identity.h"
#include "result.h"

#define SET(field, value) snprintf((field), sizeof(field), "%s", (value))

static void
test_vpd_chromebook(void **state)
{
	struct cbd_identity_raw raw = {.dmi_chassis_type = 9};
	struct cbd_device_id d = {0};

	raw.has_vpd = raw.has_dmi = raw.chromeos_acpi = true;
	SET(raw.vpd_serial, "5CD1234XYZ");
	SET(raw.vpd_sku, "sku-vpd");
	SET(raw.dmi_sys_vendor, "Google");
	SET(raw.dmi_product_name, "Morphius");
	SET(raw.dmi_product_sku, "sku1");
	SET(raw.dmi_product_serial, "DMISERIAL");
	SET(raw.dmi_board_name, "Zork");
	SET(raw.dmi_bios_version, "Google_Morphius.13434.0");
	SET(raw.cros_hwid, "MORPHIUS-XXXX A1B-C2D");
	SET(raw.cros_fwid, "Google_Morphius.13434.780.0");
	cbd_identity_decide(&raw, &d);
	assert_string_equal(d.serial, "5CD1234XYZ"); /* VPD before DMI */
	assert_string_equal(d.vendor, "Google");
	assert_string_equal(d.model, "Morphius");
	assert_string_equal(d.board, "Zork");
	assert_string_equal(d.sku, "sku-vpd");
	assert_string_equal(d.firmware_version, "Google_Morphius.13434.780.0");
	assert_string_equal(d.hwid, "MORPHIUS-XXXX A1B-C2D");
	assert_null(d.asset_tag);
	assert_int_equal(d.form_factor, CBD_FORM_LAPTOP);
	cbd_device_id_clear(&d);
}

static void
test_dmi_only(void **state)
{
	struct cbd_identity_raw raw = {.dmi_chassis_type = 3};
	struct cbd_device_id d = {0};

	raw.has_dmi = true;
	SET(raw.dmi_sys_vendor, "LENOVO");
	SET(raw.dmi_product_name, "ThinkCentre M70q");
	SET(raw.dmi_product_serial, "To be filled by O.E.M.");
	SET(raw.dmi_chassis_asset_tag, "No Asset Tag");
	SET(raw.dmi_board_asset_tag, "DIST-0042");
	SET(raw.dmi_bios_version, "M3AKT4AA");
	cbd_identity_decide(&raw, &d);
	assert_null(d.serial); /* a placeholder is no serial */
	assert_string_equal(d.asset_tag, "DIST-0042");
	assert_string_equal(d.firmware_version, "M3AKT4AA");
	assert_null(d.hwid);
	assert_int_equal(d.form_factor, CBD_FORM_DESKTOP);
	cbd_device_id_clear(&d);
}

static void
test_arm_device_tree(void **state)
{
	struct cbd_identity_raw raw = {.dmi_chassis_type = -1};
	struct cbd_device_id d = {0};

	raw.has_dt = raw.chromeos_dt = raw.has_dt_sku = true;
	raw.dt_sku_id = 0x10;
	SET(raw.dt_model, "Google Pompom (rev3+)");
	SET(raw.dt_compatible, "google,pompom-rev3");
	SET(raw.cros_hwid, "POMPOM-ZZCR C3B-A5E");
	SET(raw.cros_fwid, "Google_Pompom.13836.0.0");
	cbd_identity_decide(&raw, &d);
	assert_string_equal(d.vendor, "Google");
	assert_string_equal(d.model, "Google Pompom (rev3+)");
	assert_string_equal(d.board, "pompom");
	assert_string_equal(d.sku, "sku16");
	assert_string_equal(d.hwid, "POMPOM-ZZCR C3B-A5E");
	assert_int_equal(d.form_factor, CBD_FORM_LAPTOP);
	cbd_device_id_clear(&d);
}

static void
test_nothing(void **state)
{
	struct cbd_identity_raw raw = {.dmi_chassis_type = -1};
	struct cbd_device_id d = {0};

	cbd_identity_decide(&raw, &d);
	assert_null(d.serial);
	assert_null(d.vendor);
	assert_null(d.model);
	assert_null(d.board);
	assert_null(d.sku);
	assert_null(d.firmware_version);
	assert_null(d.hwid);
	assert_int_equal(d.form_factor, CBD_FORM_UNKNOWN);
	cbd_device_id_clear(&d);
}

static void
test_form_factor(void **state)
{
	static const struct {
		int chassis;
		bool vpd, cros;
		enum cbd_form_factor want;
	} cases[] = {
		{8, false, false, CBD_FORM_LAPTOP},   {10, false, false, CBD_FORM_LAPTOP},
		{14, false, false, CBD_FORM_LAPTOP},  {30, false, false, CBD_FORM_LAPTOP},
		{31, false, false, CBD_FORM_LAPTOP},  {32, false, false, CBD_FORM_LAPTOP},
		{1, false, false, CBD_FORM_UNKNOWN},  /* a VM says "Other" */
		{1, true, false, CBD_FORM_LAPTOP},    /* but VPD means Google firmware */
		{2, false, true, CBD_FORM_LAPTOP},    /* ChromeOS firmware */
		{3, false, true, CBD_FORM_DESKTOP},   /* a Chromebox says so itself */
		{35, false, false, CBD_FORM_DESKTOP}, {-1, false, false, CBD_FORM_UNKNOWN},
	};

	for (size_t i = 0; i < CBD_ARRAY_SIZE(cases); i++) {
		struct cbd_identity_raw raw = {.dmi_chassis_type = cases[i].chassis};
		struct cbd_device_id d = {0};

		raw.has_vpd = cases[i].vpd;
		raw.chromeos_acpi = cases[i].cros;
		cbd_identity_decide(&raw, &d);
		if (d.form_factor != cases[i].want)
			fail_msg("chassis %d vpd %d cros %d: got %s", cases[i].chassis,
				 cases[i].vpd, cases[i].cros,
				 cbd_form_factor_to_string(d.form_factor));
		cbd_device_id_clear(&d);
	}
}

static bool
has_code(const struct cbd_device_id *d, const char *code)
{
	for (size_t i = 0; i < d->n_findings; i++)
		if (strcmp(d->findings[i].code, code) == 0)
			return true;
	return false;
}

/* what identity cannot read is a finding, never a silent null */
static void
test_findings(void **state)
{
	struct cbd_identity_raw raw = {.dmi_chassis_type = 9};
	struct cbd_device_id d = {0};

	/* everything read: nothing to say */
	raw.has_vpd = raw.has_coreboot = raw.chromeos_acpi = raw.cros_acpi_bound = true;
	SET(raw.vpd_serial, "5CD1234XYZ");
	SET(raw.cros_hwid, "MORPHIUS-XXXX A1B-C2D");
	cbd_identity_decide(&raw, &d);
	assert_int_equal(d.n_findings, 0);
	cbd_device_id_clear(&d);

	/* the coreboot table is there but not vpd-sysfs, nor chromeos_acpi: the
	 * serial falls back to DMI, and both are said, with the reason */
	raw = (struct cbd_identity_raw){.dmi_chassis_type = 9};
	raw.has_coreboot = raw.chromeos_acpi = raw.has_dmi = true;
	SET(raw.dmi_product_serial, "DMISERIAL");
	cbd_identity_decide(&raw, &d);
	assert_string_equal(d.serial, "DMISERIAL");
	assert_null(d.hwid);
	assert_int_equal(d.n_findings, 2);
	assert_string_equal(d.findings[0].code, "device.vpd_unreadable");
	assert_int_equal(d.findings[0].severity, CBD_SEVERITY_WARN);
	assert_non_null(strstr(d.findings[0].message, "vpd-sysfs"));
	assert_non_null(strstr(d.findings[0].message, "DMI serial"));
	assert_null(d.findings[0].action); /* the DMI serial still finds the ticket */
	assert_string_equal(d.findings[1].code, "device.no_hwid");
	assert_non_null(strstr(d.findings[1].message, "chromeos_acpi"));
	cbd_device_id_clear(&d);

	/* a VPD without serial_number and no DMI serial: no serial at all */
	raw = (struct cbd_identity_raw){.dmi_chassis_type = -1};
	raw.has_vpd = raw.has_coreboot = raw.chromeos_acpi = raw.cros_acpi_bound = true;
	SET(raw.cros_hwid, "X");
	cbd_identity_decide(&raw, &d);
	assert_null(d.serial);
	assert_true(has_code(&d, "device.vpd_no_serial"));
	assert_true(has_code(&d, "device.no_serial"));
	assert_false(has_code(&d, "device.no_hwid"));
	assert_non_null(d.findings[d.n_findings - 1].action);
	cbd_device_id_clear(&d);

	/* ChromeOS firmware without a coreboot table (no VPD to be had) */
	raw = (struct cbd_identity_raw){.dmi_chassis_type = -1};
	raw.chromeos_dt = true;
	cbd_identity_decide(&raw, &d);
	assert_true(has_code(&d, "device.vpd_unreadable"));
	assert_non_null(strstr(d.findings[0].message, "no coreboot table"));
	assert_true(has_code(&d, "device.no_hwid"));
	assert_true(has_code(&d, "device.no_serial"));
	cbd_device_id_clear(&d);

	/* a PC laptop: no Chromebook identity is said once, as info; a desktop
	 * with its DMI serial has nothing to say */
	raw = (struct cbd_identity_raw){.dmi_chassis_type = 10};
	raw.has_dmi = true;
	SET(raw.dmi_product_serial, "PF12345");
	cbd_identity_decide(&raw, &d);
	assert_int_equal(d.n_findings, 1);
	assert_string_equal(d.findings[0].code, "device.no_chromebook_identity");
	assert_int_equal(d.findings[0].severity, CBD_SEVERITY_INFO);
	cbd_device_id_clear(&d);
	raw.dmi_chassis_type = 3;
	cbd_identity_decide(&raw, &d);
	assert_int_equal(d.n_findings, 0);
	cbd_device_id_clear(&d);
}

static void
test_placeholders(void **state)
{
	assert_true(cbd_identity_is_placeholder(""));
	assert_true(cbd_identity_is_placeholder("Default string"));
	assert_true(cbd_identity_is_placeholder("TO BE FILLED BY O.E.M."));
	assert_true(cbd_identity_is_placeholder("00000000"));
	assert_true(cbd_identity_is_placeholder("FFFFFFFF"));
	assert_false(cbd_identity_is_placeholder("5CD1234XYZ"));
	assert_false(cbd_identity_is_placeholder("AAA")); /* short repeats can be real */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vpd_chromebook), cmocka_unit_test(test_dmi_only),
		cmocka_unit_test(test_arm_device_tree), cmocka_unit_test(test_nothing),
		cmocka_unit_test(test_form_factor),     cmocka_unit_test(test_placeholders),
		cmocka_unit_test(test_findings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
