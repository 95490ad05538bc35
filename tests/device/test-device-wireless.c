/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The wireless probe against umockdev test beds: the real binary reading
 * /sys/class/net, rfkill and bluetooth, and finding radio cards on the PCI
 * and USB buses and in the device tree. Runs under umockdev-wrapper.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <unistd.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "cbd-util.h"
#include "testbed.h"

/* The test beds mock sysfs, not netlink: a scan would reach this machine's
 * own radios, so the beds run with scanning off (the bench scans for real). */
static cJSON *
report(const char *scenario)
{
	static const char *const args[] = {"--no-interactive", "--probe", "wireless", NULL};
	int code;

	return cbd_testbed_report_conf(scenario, "[thresholds]\nwireless.scan_seconds = 0\n", args,
				       &code);
}

static const cJSON *
data(const cJSON *root, const char *key, int i)
{
	return cJSON_GetArrayItem(
		cJSON_GetObjectItem(cJSON_GetObjectItem(cbd_tb_probe(root, "wireless"), "data"), key),
		i);
}

static void
test_intel_card_with_bluetooth(void **state)
{
	cJSON *r = report("laptop-wifi-intel");
	const cJSON *p = cbd_tb_probe(r, "wireless");

	assert_string_equal(cbd_tb_str(p, "status"), "pass");
	assert_string_equal(cbd_tb_str(data(r, "wifi", 0), "interface"), "wlan0");
	assert_string_equal(cbd_tb_str(data(r, "wifi", 0), "phy"), "phy0");
	assert_string_equal(cbd_tb_str(data(r, "wifi", 0), "driver"), "iwlwifi");
	assert_string_equal(cbd_tb_str(data(r, "wifi", 0), "bus"), "pci");
	assert_string_equal(cbd_tb_str(data(r, "bluetooth", 0), "controller"), "hci0");
	assert_string_equal(cbd_tb_str(data(r, "bluetooth", 0), "driver"), "btusb");
	assert_string_equal(cbd_tb_str(data(r, "rfkill", 0), "type"), "wlan");
	assert_string_equal(cbd_tb_str(data(r, "hardware", 0), "id"), "8086:2723");
	assert_string_equal(cbd_tb_str(cJSON_GetObjectItem(data(r, "wifi", 0), "scan"), "reason"),
			    "not asked for (wireless.scan_seconds = 0)");
	cJSON_Delete(r);
}

static void
test_cards_without_drivers(void **state)
{
	cJSON *r = report("laptop-wifi-no-driver");
	const cJSON *p = cbd_tb_probe(r, "wireless");

	/* the image's limit: said, never a failure of the card */
	assert_string_equal(cbd_tb_str(p, "status"), "skip");
	assert_true(cbd_tb_has_finding(p, "wireless.wifi_no_driver", "info"));
	assert_true(cbd_tb_has_finding(p, "wireless.bt_no_driver", "info"));
	assert_string_equal(cbd_tb_str(data(r, "hardware", 0), "id"), "14c3:7961");
	assert_string_equal(cbd_tb_str(data(r, "hardware", 1), "id"), "0e8d:7961");
	cJSON_Delete(r);
}

static void
test_soc_wifi_from_the_device_tree(void **state)
{
	cJSON *r = report("trogdor-wifi-dt");
	const cJSON *p = cbd_tb_probe(r, "wireless");

	assert_true(cbd_tb_has_finding(p, "wireless.wifi_no_driver", "info"));
	assert_string_equal(cbd_tb_str(data(r, "hardware", 0), "kind"), "wifi");
	assert_non_null(strstr(cbd_tb_str(data(r, "hardware", 0), "where"), "18800000.wifi"));
	cJSON_Delete(r);
}

static void
test_laptop_without_wifi_fails(void **state)
{
	cJSON *r = report("laptop-no-battery");
	const cJSON *p = cbd_tb_probe(r, "wireless");

	assert_string_equal(cbd_tb_str(p, "status"), "fail");
	assert_true(cbd_tb_has_finding(p, "wireless.wifi_missing", "fail"));
	cJSON_Delete(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_intel_card_with_bluetooth),
		cmocka_unit_test(test_cards_without_drivers),
		cmocka_unit_test(test_soc_wifi_from_the_device_tree),
		cmocka_unit_test(test_laptop_without_wifi_fails),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
