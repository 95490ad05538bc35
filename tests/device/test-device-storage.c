/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The storage probe against umockdev test beds: the real binary reading
 * /sys/block and, for NVMe, the recorded SMART log behind /dev/nvme0 through
 * the real ioctl path (see cbd_hw_nvme_smart_log). Read tests are off here:
 * test beds have no blocks; tests/device/test-readtest-blockdev.sh reads
 * real ones. Runs under umockdev-wrapper.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "cbd-util.h"
#include "testbed.h"

static cJSON *
storage_report(const char *scenario, int *exit_code)
{
	static const char *const args[] = {"--probe", "storage", "--storage-scan", "off", NULL};

	return cbd_testbed_report(scenario, args, exit_code);
}

static const cJSON *
probe(const cJSON *root)
{
	return cbd_tb_probe(root, "storage");
}

static const char *
status(const cJSON *root)
{
	return cbd_tb_str(probe(root), "status");
}

static const cJSON *
dev(const cJSON *root, const char *name)
{
	const cJSON *d;

	cJSON_ArrayForEach(d, cJSON_GetObjectItem(cJSON_GetObjectItem(probe(root), "data"),
						  "devices"))
	if (streq(cJSON_GetObjectItem(d, "name")->valuestring, name))
		return d;
	return NULL;
}

static int
devices(const cJSON *root)
{
	return cJSON_GetArraySize(
		cJSON_GetObjectItem(cJSON_GetObjectItem(probe(root), "data"), "devices"));
}

static void
test_emmc_healthy(void **state)
{
	int rc;
	cJSON *r = storage_report("octopus-emmc-healthy", &rc);
	const cJSON *d = dev(r, "mmcblk0"), *e = cJSON_GetObjectItem(d, "emmc");

	assert_int_equal(rc, 0);
	assert_string_equal(status(r), "pass");
	assert_int_equal(devices(r), 1); /* boot0 and rpmb left out */
	assert_string_equal(cJSON_GetObjectItem(d, "type")->valuestring, "emmc");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(d, "internal")));
	assert_string_equal(cJSON_GetObjectItem(d, "model")->valuestring, "DA4032");
	assert_int_equal(cbd_tb_num(e, "life_time_a"), 1);
	assert_int_equal(cbd_tb_num(e, "life_time_b"), 2);
	assert_int_equal(cbd_tb_num(e, "pre_eol"), 1);
	assert_int_equal(cbd_tb_num(e, "ext_csd_rev"), 8);
	assert_string_equal(cJSON_GetObjectItem(e, "manufacturer")->valuestring, "SanDisk");
	assert_true(cJSON_GetObjectItem(d, "size_bytes")->valuedouble == 61071360.0 * 512);
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(d, "read_test")));
	cJSON_Delete(r);
}

static void
test_emmc_pre_eol_warning(void **state)
{
	int rc;
	cJSON *r = storage_report("octopus-emmc-pre-eol-warning", &rc);

	assert_string_equal(status(r), "warn");
	assert_true(cbd_tb_has_finding(probe(r), "storage.emmc_pre_eol", "warn"));
	cJSON_Delete(r);
}

static void
test_emmc_life_exhausted(void **state)
{
	int rc;
	cJSON *r = storage_report("octopus-emmc-life-exhausted", &rc);

	assert_int_equal(rc, 1);
	assert_string_equal(status(r), "fail");
	assert_true(cbd_tb_has_finding(probe(r), "storage.emmc_life", "fail"));
	assert_true(cbd_tb_has_finding(probe(r), "storage.emmc_pre_eol", "fail"));
	cJSON_Delete(r);
}

static void
test_old_emmc(void **state)
{
	int rc;
	cJSON *r = storage_report("old-emmc-4.5", &rc);
	const cJSON *e = cJSON_GetObjectItem(dev(r, "mmcblk0"), "emmc");

	assert_string_equal(status(r), "pass");
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(e, "life_time_a")));
	assert_true(cbd_tb_has_finding(probe(r), "storage.emmc_no_health", "info"));
	cJSON_Delete(r);
}

static void
test_nvme_healthy(void **state)
{
	int rc;
	cJSON *r = storage_report("nvme-healthy", &rc);
	const cJSON *d = dev(r, "nvme0n1"), *n = cJSON_GetObjectItem(d, "nvme");

	assert_string_equal(status(r), "pass");
	assert_string_equal(cJSON_GetObjectItem(d, "serial")->valuestring, "X0PA1234ABCD");
	assert_string_equal(cJSON_GetObjectItem(d, "firmware")->valuestring, "10410104");
	assert_non_null(n);
	assert_int_equal(cbd_tb_num(n, "critical_warning"), 0);
	assert_int_equal(cbd_tb_num(n, "temperature_c"), 37);
	assert_int_equal(cbd_tb_num(n, "percentage_used"), 3);
	assert_int_equal(cbd_tb_num(n, "power_on_hours"), 1234);
	assert_int_equal(cbd_tb_num(n, "data_units_read"), 12000000);
	cJSON_Delete(r);
}

static void
test_nvme_failing(void **state)
{
	int rc;
	cJSON *r = storage_report("nvme-failing", &rc);
	const cJSON *n = cJSON_GetObjectItem(dev(r, "nvme0n1"), "nvme");

	assert_int_equal(rc, 1);
	assert_string_equal(status(r), "fail");
	assert_int_equal(cbd_tb_num(n, "critical_warning"), 5);
	assert_int_equal(cbd_tb_num(n, "available_spare"), 4);
	assert_int_equal(cbd_tb_num(n, "media_errors"), 42);
	assert_int_equal(cbd_tb_num(n, "temperature_c"), 85);
	assert_true(cbd_tb_has_finding(probe(r), "storage.nvme_critical_warning", "fail"));
	assert_true(cbd_tb_has_finding(probe(r), "storage.nvme_spare_low", "fail"));
	assert_true(cbd_tb_has_finding(probe(r), "storage.nvme_worn", "fail"));
	assert_true(cbd_tb_has_finding(probe(r), "storage.nvme_media_errors", "warn"));
	cJSON_Delete(r);
}

static void
test_sd_and_usb_not_internal(void **state)
{
	int rc;
	cJSON *r = storage_report("emmc-with-sd-and-usb-stick", &rc);

	assert_string_equal(status(r), "pass");
	assert_int_equal(devices(r), 3);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(dev(r, "mmcblk0"), "internal")));
	assert_string_equal(cJSON_GetObjectItem(dev(r, "mmcblk1"), "type")->valuestring, "sd");
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(dev(r, "mmcblk1"), "internal")));
	assert_string_equal(cJSON_GetObjectItem(dev(r, "sda"), "type")->valuestring, "usb");
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(dev(r, "sda"), "internal")));
	assert_string_equal(cJSON_GetObjectItem(dev(r, "sda"), "model")->valuestring,
			    "SanDisk Ultra Fit");
	assert_non_null(strstr(cJSON_GetObjectItem(probe(r), "summary")->valuestring, "mmcblk0"));
	assert_null(strstr(cJSON_GetObjectItem(probe(r), "summary")->valuestring, "sda"));
	cJSON_Delete(r);
}

static void
test_only_removable_media(void **state)
{
	int rc;
	cJSON *r = storage_report("only-removable-media", &rc);

	assert_int_equal(rc, 1);
	assert_string_equal(status(r), "fail");
	assert_true(cbd_tb_has_finding(probe(r), "storage.missing", "fail"));
	cJSON_Delete(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_emmc_healthy),
		cmocka_unit_test(test_emmc_pre_eol_warning),
		cmocka_unit_test(test_emmc_life_exhausted),
		cmocka_unit_test(test_old_emmc),
		cmocka_unit_test(test_nvme_healthy),
		cmocka_unit_test(test_nvme_failing),
		cmocka_unit_test(test_sd_and_usb_not_internal),
		cmocka_unit_test(test_only_removable_media),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
