/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The wireless verdicts from literal values: every rule of probes/wireless/README.md. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "json.h"
#include "wireless.h"

static struct cbd_result *
judge(const struct cbd_wireless_raw *raw, bool laptop)
{
	struct cbd_result *r = cbd_result_new();

	cbd_wireless_judge(raw, laptop, -80, r);
	assert_true(r->status_set);
	return r;
}

static struct cbd_wireless_raw
intel_card(void)
{
	struct cbd_wireless_raw raw = {
		.wifi = {{"wlan0", "phy0", "iwlwifi", "pci", "down"}},
		.n_wifi = 1,
		.bt = {{"hci0", "btusb", "usb"}},
		.n_bt = 1,
		.rfkill = {{"phy0", "wlan", 0, 0}, {"hci0", "bluetooth", 0, 0}},
		.n_rfkill = 2,
		.hw = {{"pci 0000:01:00.0", "8086:2723", "iwlwifi", true}},
		.n_hw = 1,
	};

	return raw;
}

static void
test_firmware_lines(void **state)
{
	const char *intel = "iwlwifi 0000:00:14.3: Direct firmware load for "
			    "iwlwifi-QuZ-a0-hr-b0-77.ucode failed with error -2";
	const char *qca = "firmware: failed to load ath10k/WCN3990/hw1.0/wlanmdsp.mbn (-110)";

	assert_true(cbd_kmsg_is_firmware_failure(intel));
	assert_true(cbd_kmsg_is_firmware_failure(qca));
	assert_true(cbd_kmsg_is_firmware_failure("mt7921e 0000:01:00.0: Failed to load firmware"));
	assert_false(cbd_kmsg_is_firmware_failure("iwlwifi 0000:00:14.3: loaded firmware version 77"));
	assert_false(cbd_kmsg_is_firmware_failure(NULL));
	assert_int_equal(cbd_kmsg_firmware_error(intel), -ENOENT);
	assert_int_equal(cbd_kmsg_firmware_error(qca), -110);
	assert_int_equal(cbd_kmsg_firmware_error("Failed to load firmware"), 0);
}

static void
test_healthy(void **state)
{
	struct cbd_wireless_raw raw = intel_card();
	struct cbd_result *r = judge(&raw, true);

	assert_int_equal(r->status, CBD_STATUS_PASS);
	assert_string_equal(r->summary, "Wi-Fi (iwlwifi) found, and Bluetooth");
	assert_int_equal(r->n_findings, 0);
	assert_string_equal(cbd_json_get_str(cbd_json_at(cbd_json_get(r->data, "wifi"), 0), "driver"),
			    "iwlwifi");
	cbd_result_free(r);
}

static void
test_hard_blocked(void **state)
{
	struct cbd_wireless_raw raw = intel_card();
	struct cbd_result *r;

	raw.rfkill[0].hard = 1;
	r = judge(&raw, true);
	assert_int_equal(r->status, CBD_STATUS_WARN);
	assert_non_null(cbd_result_find_finding(r, "wireless.wifi_blocked"));
	cbd_result_free(r);
}

static void
test_soft_blocked_is_info(void **state)
{
	struct cbd_wireless_raw raw = intel_card();
	struct cbd_result *r;

	raw.rfkill[0].soft = 1;
	r = judge(&raw, true);
	assert_int_equal(r->status, CBD_STATUS_PASS);
	assert_int_equal(cbd_result_find_finding(r, "wireless.wifi_off")->severity,
			 CBD_SEVERITY_INFO);
	cbd_result_free(r);
}

static void
test_missing_on_a_laptop_fails(void **state)
{
	struct cbd_wireless_raw raw = {0};
	struct cbd_result *r = judge(&raw, true);

	assert_int_equal(r->status, CBD_STATUS_FAIL);
	assert_true(cbd_result_find_finding(r, "wireless.wifi_missing")->escalate);
	/* no Wi-Fi at all: a missing Bluetooth is not piled on top */
	assert_null(cbd_result_find_finding(r, "wireless.bt_missing"));
	cbd_result_free(r);
	r = judge(&raw, false);
	assert_int_equal(r->status, CBD_STATUS_SKIP);
	assert_int_equal(r->n_findings, 0);
	cbd_result_free(r);
}

static void
test_card_without_driver_is_not_tested(void **state)
{
	struct cbd_wireless_raw raw = {
		.hw = {{"pci 0000:01:00.0", "8086:2723", "", true}, {"usb 1-4:1.0", "8087:0026", "", false}},
		.n_hw = 2,
	};
	struct cbd_result *r = judge(&raw, true);

	/* the image's limit, never the card's fault */
	assert_int_equal(r->status, CBD_STATUS_SKIP);
	assert_non_null(strstr(r->summary, "no driver"));
	assert_non_null(strstr(cbd_result_find_finding(r, "wireless.wifi_no_driver")->message,
			       "8086:2723"));
	assert_non_null(cbd_result_find_finding(r, "wireless.bt_no_driver"));
	cbd_result_free(r);
}

static void
test_firmware_missing_from_the_image(void **state)
{
	char *lines[] = {"iwlwifi 0000:01:00.0: Direct firmware load for iwlwifi-cc-a0-77.ucode "
			 "failed with error -2"};
	struct cbd_wireless_raw raw = {
		.hw = {{"pci 0000:01:00.0", "8086:2723", "iwlwifi", true},
		       {"usb 1-10:1.0", "8087:0026", "", false}},
		.n_hw = 2,
		.fw_failures = lines,
		.n_fw_failures = 1,
	};
	struct cbd_result *r = judge(&raw, true);

	assert_int_equal(r->status, CBD_STATUS_SKIP);
	assert_non_null(cbd_result_find_finding(r, "wireless.wifi_firmware_missing"));
	cbd_result_free(r);
}

static void
test_firmware_fails_to_start(void **state)
{
	char *lines[] = {"ath10k_snoc 18800000.wifi: firmware: failed to load "
			 "ath10k/WCN3990/hw1.0/wlanmdsp.mbn (-110)"};
	struct cbd_wireless_raw raw = {
		.hw = {{"dt 18800000.wifi", "", "ath10k_snoc", true}},
		.n_hw = 1,
		.fw_failures = lines,
		.n_fw_failures = 1,
	};
	struct cbd_result *r = judge(&raw, true);

	assert_int_equal(r->status, CBD_STATUS_FAIL);
	assert_non_null(cbd_result_find_finding(r, "wireless.wifi_firmware"));
	cbd_result_free(r);
}

static void
test_driver_without_interface(void **state)
{
	struct cbd_wireless_raw raw = {
		.hw = {{"pci 0000:01:00.0", "14c3:7961", "mt7921e", true}},
		.n_hw = 1,
	};
	struct cbd_result *r = judge(&raw, true);

	assert_int_equal(r->status, CBD_STATUS_WARN);
	assert_non_null(cbd_result_find_finding(r, "wireless.wifi_no_interface"));
	cbd_result_free(r);
}

static void
test_bluetooth_missing_next_to_wifi(void **state)
{
	struct cbd_wireless_raw raw = intel_card();
	struct cbd_result *r;

	raw.n_bt = 0;
	r = judge(&raw, true);
	assert_int_equal(r->status, CBD_STATUS_WARN);
	assert_non_null(cbd_result_find_finding(r, "wireless.bt_missing"));
	cbd_result_free(r);
}

static void
test_kmsg_unreadable_is_null(void **state)
{
	struct cbd_wireless_raw raw = intel_card();
	struct cbd_result *r;

	raw.kmsg_err = -EPERM;
	r = judge(&raw, true);
	assert_true(cbd_json_is_null(r->data, "firmware_failures"));
	cbd_result_free(r);
}

static const struct cbd_json *
scan_of(const struct cbd_result *r)
{
	return cbd_json_get(cbd_json_at(cbd_json_get(r->data, "wifi"), 0), "scan");
}

static double
num(const struct cbd_json *o, const char *key)
{
	double v = -12345;

	assert_true(cbd_json_get_number(o, key, &v));
	return v;
}

static bool
flag(const struct cbd_json *o, const char *key)
{
	bool v = false;

	assert_true(cbd_json_get_bool(o, key, &v));
	return v;
}

static void
test_scan_hears_networks(void **state)
{
	struct cbd_wireless_raw raw = intel_card();
	struct cbd_result *r;

	raw.wifi[0].scan = (struct cbd_hw_wifi_scan){.done = true, .brought_up = true, .networks = 5,
						       .networks_2ghz = 3, .networks_5ghz = 2,
						       .have_signal = true, .strongest_dbm = -48};
	r = judge(&raw, true);
	assert_int_equal(r->status, CBD_STATUS_PASS);
	assert_int_equal(r->n_findings, 0);
	assert_true(flag(scan_of(r), "done"));
	assert_true(num(scan_of(r), "networks") == 5);
	assert_true(num(scan_of(r), "networks_5ghz") == 2);
	assert_true(num(scan_of(r), "strongest_dbm") == -48);
	cbd_result_free(r);
}

static void
test_scan_hears_nothing(void **state)
{
	struct cbd_wireless_raw raw = intel_card();
	struct cbd_result *r;

	raw.wifi[0].scan = (struct cbd_hw_wifi_scan){.done = true};
	r = judge(&raw, true);
	assert_int_equal(r->status, CBD_STATUS_WARN);
	assert_true(cbd_result_find_finding(r, "wireless.wifi_no_networks")->escalate);
	assert_true(cbd_json_is_null(scan_of(r), "strongest_dbm"));
	cbd_result_free(r);
}

static void
test_scan_faint(void **state)
{
	struct cbd_wireless_raw raw = intel_card();
	struct cbd_result *r;

	raw.wifi[0].scan = (struct cbd_hw_wifi_scan){.done = true, .networks = 2, .have_signal = true,
						       .strongest_dbm = -86};
	r = judge(&raw, true);
	assert_int_equal(r->status, CBD_STATUS_WARN);
	assert_non_null(cbd_result_find_finding(r, "wireless.wifi_weak_signal"));
	cbd_result_free(r);
	/* at the line itself, not below it */
	raw.wifi[0].scan.strongest_dbm = -80;
	r = judge(&raw, true);
	assert_int_equal(r->status, CBD_STATUS_PASS);
	cbd_result_free(r);
}

static void
test_scan_not_done_says_why(void **state)
{
	struct cbd_wireless_raw raw = intel_card();
	struct cbd_result *r;

	raw.wifi[0].scan_err = -ERFKILL;
	r = judge(&raw, true);
	assert_false(flag(scan_of(r), "done"));
	assert_string_equal(cbd_json_get_str(scan_of(r), "reason"), "the radio is switched off");
	assert_null(cbd_result_find_finding(r, "wireless.wifi_no_networks"));
	cbd_result_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_firmware_lines),
		cmocka_unit_test(test_healthy),
		cmocka_unit_test(test_hard_blocked),
		cmocka_unit_test(test_soft_blocked_is_info),
		cmocka_unit_test(test_missing_on_a_laptop_fails),
		cmocka_unit_test(test_card_without_driver_is_not_tested),
		cmocka_unit_test(test_firmware_missing_from_the_image),
		cmocka_unit_test(test_firmware_fails_to_start),
		cmocka_unit_test(test_driver_without_interface),
		cmocka_unit_test(test_bluetooth_missing_next_to_wifi),
		cmocka_unit_test(test_kmsg_unreadable_is_null),
		cmocka_unit_test(test_scan_hears_networks),
		cmocka_unit_test(test_scan_hears_nothing),
		cmocka_unit_test(test_scan_faint),
		cmocka_unit_test(test_scan_not_done_says_why),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
