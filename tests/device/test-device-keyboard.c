/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The keyboard probe against umockdev test beds: the real binary reading
 * /sys/class/input and asking the node for its held keys with EVIOCGKEY,
 * which the test bed answers from a recording. Runs under umockdev-wrapper.
 */
#include <setjmp.h>
#include <stdlib.h>
#include <unistd.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "cbd-util.h"
#include "testbed.h"

static cJSON *
keyboard_report(const char *scenario, int *exit_code)
{
	static const char *const args[] = {"--probe", "keyboard", NULL};

	return cbd_testbed_report(scenario, args, exit_code);
}

static const cJSON *
probe(const cJSON *root)
{
	return cbd_tb_probe(root, "keyboard");
}

static const cJSON *
data(const cJSON *root, const char *key)
{
	return cJSON_GetObjectItem(cJSON_GetObjectItem(probe(root), "data"), key);
}

static void
test_atkbd_healthy(void **state)
{
	int rc;
	cJSON *r = keyboard_report("octopus-atkbd-healthy", &rc);
	const cJSON *kbds = data(r, "keyboards"), *k = cJSON_GetArrayItem(kbds, 0);
	const cJSON *row = cJSON_GetObjectItem(k, "top_row");

	assert_int_equal(rc, 0);
	assert_string_equal(cbd_tb_str(probe(r), "status"), "pass");
	assert_int_equal(cJSON_GetArraySize(kbds), 1); /* the power button is no keyboard */
	assert_string_equal(cbd_tb_str(k, "name"), "AT Translated Set 2 keyboard");
	assert_string_equal(cbd_tb_str(k, "device"), "/dev/input/event3");
	assert_string_equal(cbd_tb_str(k, "bus"), "i8042");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(k, "internal")));
	assert_int_equal(cJSON_GetArraySize(row), 10);
	assert_string_equal(cJSON_GetArrayItem(row, 0)->valuestring, "back");
	assert_string_equal(cJSON_GetArrayItem(row, 2)->valuestring, "refresh");
	assert_string_equal(cJSON_GetArrayItem(row, 9)->valuestring, "volume_up");
	assert_int_equal(cJSON_GetArraySize(data(r, "stuck_keys")), 0);
	assert_true(cJSON_IsNull(data(r, "key_test")));
	cJSON_Delete(r);
}

static void
test_stuck_shift(void **state)
{
	int rc;
	cJSON *r = keyboard_report("octopus-stuck-shift", &rc);

	assert_int_equal(rc, 1);
	assert_string_equal(cbd_tb_str(probe(r), "status"), "fail");
	assert_string_equal(cJSON_GetArrayItem(data(r, "stuck_keys"), 0)->valuestring, "LEFTSHIFT");
	assert_true(cbd_tb_has_finding(probe(r), "keyboard.stuck_key", "fail"));
	cJSON_Delete(r);
}

static void
test_cros_ec_keyb(void **state)
{
	int rc;
	cJSON *r = keyboard_report("kukui-cros-ec-keyb", &rc);
	const cJSON *k = cJSON_GetArrayItem(data(r, "keyboards"), 0);

	assert_string_equal(cbd_tb_str(probe(r), "status"), "pass");
	assert_string_equal(cbd_tb_str(k, "bus"), "virtual");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(k, "internal")));
	/* matrix scancodes have no atkbd action: shown as hex */
	assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(k, "top_row"), 1)->valuestring,
			    "32");
	cJSON_Delete(r);
}

static void
test_usb_keyboard_only(void **state)
{
	int rc;
	cJSON *r = keyboard_report("laptop-usb-keyboard-only", &rc);
	const cJSON *k = cJSON_GetArrayItem(data(r, "keyboards"), 0);

	assert_string_equal(cbd_tb_str(probe(r), "status"), "fail");
	assert_true(cbd_tb_has_finding(probe(r), "keyboard.missing", "fail"));
	assert_false(cbd_tb_has_finding(probe(r), "keyboard.stuck_key", "fail"));
	assert_string_equal(cbd_tb_str(k, "bus"), "usb");
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(k, "internal")));
	cJSON_Delete(r);
}

static void
test_detachable_base(void **state)
{
	int rc;
	cJSON *r = keyboard_report("detachable-hammer-base", &rc);
	const cJSON *k = cJSON_GetArrayItem(data(r, "keyboards"), 0);

	assert_string_equal(cbd_tb_str(probe(r), "status"), "pass");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(k, "internal")));
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(k, "top_row")), 10);
	cJSON_Delete(r);
}

/* ---- the interactive key test, driven by recorded event streams ------------ */

static cJSON *
keytest_report(const char *scenario, int *exit_code)
{
	static const char *const args[] = {"--interactive", "--probe", "keyboard", NULL};

	return cbd_testbed_report_conf(scenario, "[thresholds]\nkeyboard.no_event_seconds = 5\n",
				       args, exit_code);
}

static bool
listed(const cJSON *arr, const char *label)
{
	const cJSON *v;

	cJSON_ArrayForEach(v, arr) if (streq(v->valuestring, label)) return true;
	return false;
}

static void
test_keytest_all_keys(void **state)
{
	int rc;
	cJSON *r = keytest_report("octopus-keytest-all-keys", &rc);
	const cJSON *kt = data(r, "key_test");

	assert_non_null(kt);
	assert_string_equal(cbd_tb_str(kt, "ended"), "all keys tested");
	assert_int_equal(cJSON_GetObjectItem(kt, "expected")->valueint, 73);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(kt, "tested")), 73);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(kt, "untested")), 0);
	/* the vivaldi top row was matched by scancode */
	assert_true(listed(cJSON_GetObjectItem(kt, "tested"), "T3"));
	/* the bouncing E */
	assert_true(listed(cJSON_GetObjectItem(kt, "chatter"), "E"));
	assert_string_equal(cbd_tb_str(kt, "result"), "warn");
	assert_true(cbd_tb_has_finding(probe(r), "keyboard.chatter", "warn"));
	assert_string_equal(cbd_tb_str(probe(r), "status"), "warn");
	cJSON_Delete(r);
}

static void
test_keytest_give_up(void **state)
{
	int rc;
	cJSON *r = keytest_report("octopus-keytest-give-up", &rc);
	const cJSON *kt = data(r, "key_test");

	assert_int_equal(rc, 1);
	assert_string_equal(cbd_tb_str(kt, "ended"), "stopped by the intern (Esc held)");
	assert_true(listed(cJSON_GetObjectItem(kt, "tested"), "A"));
	assert_true(listed(cJSON_GetObjectItem(kt, "untested"), "SPACE"));
	assert_true(cbd_tb_has_finding(probe(r), "keyboard.untested_keys", "fail"));
	assert_non_null(strstr(cbd_tb_str(probe(r), "summary"), "and 55 more"));
	assert_true(strlen(cbd_tb_str(probe(r), "summary")) < 1024);
	cJSON_Delete(r);
}

static void
test_keytest_no_events(void **state)
{
	int rc;
	/* the healthy bed plays no events at all: after 5 s the test says so */
	cJSON *r = keytest_report("octopus-atkbd-healthy", &rc);

	assert_string_equal(cbd_tb_str(data(r, "key_test"), "ended"), "no key event arrived");
	assert_true(cbd_tb_has_finding(probe(r), "keyboard.no_events", "fail"));
	cJSON_Delete(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_atkbd_healthy),   cmocka_unit_test(test_stuck_shift),
		cmocka_unit_test(test_cros_ec_keyb),    cmocka_unit_test(test_usb_keyboard_only),
		cmocka_unit_test(test_detachable_base),
		cmocka_unit_test(test_keytest_all_keys),
		cmocka_unit_test(test_keytest_give_up),
		cmocka_unit_test(test_keytest_no_events),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
