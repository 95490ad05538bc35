/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Identity decisions from literal raw values (no machine access). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "identity.h"

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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
