/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Device identity and the hw/ helpers against umockdev test beds: the real
 * code reading "/sys", "/proc" and libudev, redirected by umockdev's preload.
 * Runs under umockdev-wrapper.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <sys/wait.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "hw.h"
#include "identity.h"
#include "result.h"
#include "testbed.h"

static void
identify(const char *scenario, struct cbd_identity_raw *raw, struct cbd_device_id *d)
{
	UMockdevTestbed *tb = cbd_testbed_new(scenario);

	cbd_identity_read(raw);
	cbd_identity_decide(raw, d);
	g_object_unref(tb);
}

static void
test_vpd_chromebook(void **state)
{
	struct cbd_identity_raw raw;
	struct cbd_device_id d = {0};

	identify("octopus-vpd-chromebook", &raw, &d);
	assert_true(raw.has_vpd);
	assert_true(raw.chromeos_acpi);
	assert_string_equal(d.serial, "5CD9123ABC"); /* VPD, not DMI */
	assert_string_equal(d.vendor, "Google");
	assert_string_equal(d.model, "Bobba");
	assert_string_equal(d.board, "Octopus");
	assert_string_equal(d.sku, "33");
	assert_string_equal(d.firmware_version, "Google_Bobba.11297.282.0"); /* FWID, not BIOS */
	assert_string_equal(d.hwid, "BOBBA B3B-C3C-D5A-A6Q");
	assert_null(d.asset_tag);
	assert_int_equal(d.form_factor, CBD_FORM_LAPTOP);
	cbd_device_id_clear(&d);
}

static void
test_dmi_only_desktop(void **state)
{
	struct cbd_identity_raw raw;
	struct cbd_device_id d = {0};

	identify("dmi-only-x86-desktop", &raw, &d);
	assert_false(raw.has_vpd);
	assert_false(raw.chromeos_acpi);
	assert_int_equal(raw.dmi_chassis_type, 35);
	assert_null(d.serial); /* "To be filled by O.E.M." */
	assert_string_equal(d.vendor, "LENOVO");
	assert_string_equal(d.model, "11DT003HUS");
	assert_string_equal(d.asset_tag, "DIST-0042");
	assert_string_equal(d.firmware_version, "M3AKT4AA");
	assert_null(d.hwid);
	assert_int_equal(d.form_factor, CBD_FORM_DESKTOP);
	cbd_device_id_clear(&d);
}

static void
test_arm_device_tree(void **state)
{
	struct cbd_identity_raw raw;
	struct cbd_device_id d = {0};

	identify("pompom-arm-devicetree", &raw, &d);
	assert_true(raw.has_dt);
	assert_false(raw.has_dmi);
	assert_true(raw.chromeos_dt);
	assert_string_equal(raw.dt_compatible, "google,pompom-rev3");
	assert_string_equal(d.serial, "NXHQEAA0011234567");
	assert_string_equal(d.vendor, "Google");
	assert_string_equal(d.model, "Google Pompom (rev3+)");
	assert_string_equal(d.board, "pompom");
	assert_string_equal(d.sku, "sku16"); /* big-endian 0x00000010 */
	assert_string_equal(d.firmware_version, "Google_Pompom.13836.114.0");
	assert_string_equal(d.hwid, "POMPOM-ZZCR C3B-A5E-E4A-Q7F");
	assert_int_equal(d.form_factor, CBD_FORM_LAPTOP);
	cbd_device_id_clear(&d);
}

static void
test_nothing_readable(void **state)
{
	struct cbd_identity_raw raw;
	struct cbd_device_id d = {0};

	identify("nothing-readable", &raw, &d);
	assert_false(raw.has_vpd || raw.has_dmi || raw.has_dt || raw.chromeos_acpi ||
		     raw.chromeos_dt);
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

/* a Chromebook whose kernel lacks the firmware drivers */
static void
test_chromebook_without_drivers(void **state)
{
	struct cbd_identity_raw raw;
	struct cbd_device_id d = {0};

	identify("octopus-no-firmware-drivers", &raw, &d);
	assert_false(raw.has_vpd);
	assert_true(raw.has_coreboot);
	assert_true(raw.chromeos_acpi);
	assert_false(raw.cros_acpi_bound);
	assert_string_equal(d.serial, "NXHKRAA00194801"); /* DMI, said so */
	assert_null(d.hwid);
	assert_int_equal(d.n_findings, 2);
	assert_string_equal(d.findings[0].code, "device.vpd_unreadable");
	assert_non_null(strstr(d.findings[0].message, "vpd-sysfs"));
	assert_string_equal(d.findings[1].code, "device.no_hwid");
	assert_non_null(strstr(d.findings[1].message, "chromeos_acpi"));
	cbd_device_id_clear(&d);
}

/* Run the real program inside the test bed and read its report. */
static char *
run_cbdiag(const char *scenario, int *ret_status)
{
	UMockdevTestbed *tb = cbd_testbed_new(scenario);
	const char *cbdiag = getenv("CBDIAG");
	char *argv[] = {(char *)cbdiag, "run", "--no-interactive", "-o", "-", NULL};
	char *out = NULL;
	GError *error = NULL;

	assert_non_null(cbdiag);
	if (!g_spawn_sync(NULL, argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL,
			  ret_status, &error))
		fail_msg("spawn: %s", error->message);
	g_object_unref(tb);
	return out;
}

static void
test_report_device_and_privacy(void **state)
{
	static const char *const never[] = {
		"SECRET-STABLE", "SECRET-UBIND", "SECRET-GBIND", "aa:bb:cc:dd:ee",
		"stable_device_secret", "ubind", "gbind", "ActivateDate", "DMI-SERIAL-NOT-USED",
	};
	int status;
	char *out = run_cbdiag("octopus-vpd-chromebook", &status);
	cJSON *root = cJSON_Parse(out), *dev;

	assert_true(WIFEXITED(status));
	assert_non_null(root);
	dev = cJSON_GetObjectItem(root, "device");
	assert_string_equal(cJSON_GetObjectItem(dev, "serial")->valuestring, "5CD9123ABC");
	assert_string_equal(cJSON_GetObjectItem(dev, "hwid")->valuestring,
			    "BOBBA B3B-C3C-D5A-A6Q");
	assert_string_equal(cJSON_GetObjectItem(dev, "form_factor")->valuestring, "laptop");
	for (size_t i = 0; i < sizeof(never) / sizeof(never[0]); i++)
		if (strstr(out, never[i]))
			fail_msg("the report contains '%s'", never[i]);
	cJSON_Delete(root);
	g_free(out);
}

/* the report carries the findings, next to the null it explains */
static void
test_report_device_findings(void **state)
{
	int status;
	char *out = run_cbdiag("octopus-no-firmware-drivers", &status);
	cJSON *root = cJSON_Parse(out), *dev, *f;

	assert_true(WIFEXITED(status));
	assert_non_null(root);
	dev = cJSON_GetObjectItem(root, "device");
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(dev, "hwid")));
	f = cJSON_GetObjectItem(dev, "findings");
	assert_int_equal(cJSON_GetArraySize(f), 2);
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(f, 0), "code")->valuestring,
			    "device.vpd_unreadable");
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(f, 1), "code")->valuestring,
			    "device.no_hwid");
	cJSON_Delete(root);
	g_free(out);
	/* and a Chromebook where all was read says nothing */
	out = run_cbdiag("octopus-vpd-chromebook", &status);
	root = cJSON_Parse(out);
	assert_non_null(root);
	f = cJSON_GetObjectItem(cJSON_GetObjectItem(root, "device"), "findings");
	assert_true(cJSON_IsArray(f));
	assert_int_equal(cJSON_GetArraySize(f), 0);
	cJSON_Delete(root);
	g_free(out);
}

static void
test_udev_enumerate(void **state)
{
	UMockdevTestbed *tb = cbd_testbed_new("bat-and-ac");
	struct cbd_hw_udev_list list = {0};

	assert_int_equal(cbd_hw_udev_enumerate("power_supply", NULL, NULL, &list), 0);
	assert_int_equal(list.n, 2);
	/* sorted by syspath: .../ACPI0003:00/... before .../PNP0C0A:00/... */
	assert_string_equal(list.devs[0].sysname, "AC");
	assert_string_equal(list.devs[1].sysname, "BAT0");
	assert_non_null(strstr(list.devs[1].syspath, "/PNP0C0A:00/power_supply/BAT0"));
	cbd_hw_udev_list_clear(&list);

	assert_int_equal(
		cbd_hw_udev_enumerate("power_supply", "POWER_SUPPLY_TYPE", "Mains", &list), 0);
	assert_int_equal(list.n, 1);
	assert_string_equal(list.devs[0].sysname, "AC");
	cbd_hw_udev_list_clear(&list);

	assert_int_equal(cbd_hw_udev_enumerate("block", NULL, NULL, &list), 0);
	assert_int_equal(list.n, 0);
	assert_int_equal(cbd_hw_udev_enumerate("power_supply", "X", NULL, &list), -EINVAL);
	g_object_unref(tb);
}

static void
test_sysfs_reads(void **state)
{
	UMockdevTestbed *tb = cbd_testbed_new("bat-and-ac");
	const char *bat = "/sys/class/power_supply/BAT0";
	char buf[64], tiny[4];
	long long v = 0;
	char **names = NULL;
	size_t n = 0;

	assert_int_equal(cbd_hw_read_text_at(bat, "type", buf, sizeof(buf)), 7);
	assert_string_equal(buf, "Battery");
	assert_int_equal(cbd_hw_read_ll_at(bat, "present", &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(cbd_hw_read_ll_at(bat, "type", &v), -EINVAL);
	assert_int_equal(cbd_hw_read_text_at(bat, "missing", buf, sizeof(buf)), -ENOENT);
	/* bounded: text that does not fit is an error, not a truncation */
	assert_int_equal(cbd_hw_read_text_at(bat, "type", tiny, sizeof(tiny)), -EFBIG);
	assert_int_equal(cbd_hw_list_dir("/sys/class/power_supply", &names, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(names[0], "AC");
	assert_string_equal(names[1], "BAT0");
	cbd_hw_strv_free(names);
	g_object_unref(tb);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vpd_chromebook),
		cmocka_unit_test(test_dmi_only_desktop),
		cmocka_unit_test(test_arm_device_tree),
		cmocka_unit_test(test_nothing_readable),
		cmocka_unit_test(test_chromebook_without_drivers),
		cmocka_unit_test(test_report_device_findings),
		cmocka_unit_test(test_report_device_and_privacy),
		cmocka_unit_test(test_udev_enumerate),
		cmocka_unit_test(test_sysfs_reads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
