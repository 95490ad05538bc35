/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The keyboard probe against umockdev test beds: the real binary reading
 * /sys/class/input and asking the node for its held keys with EVIOCGKEY,
 * which the test bed answers from a recording. Runs under umockdev-wrapper.
 */
#include <setjmp.h>
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
	UMockdevTestbed *tb = cbd_testbed_new(scenario);
	cJSON *root = cbd_testbed_run_report(exit_code, args);

	g_object_unref(tb);
	return root;
}

static const cJSON *
probe(const cJSON *root)
{
	return cJSON_GetObjectItem(cJSON_GetObjectItem(root, "probes"), "keyboard");
}

static const cJSON *
data(const cJSON *root, const char *key)
{
	return cJSON_GetObjectItem(cJSON_GetObjectItem(probe(root), "data"), key);
}

static const char *
s(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItem(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static bool
has_finding(const cJSON *root, const char *code, const char *severity)
{
	const cJSON *f;

	cJSON_ArrayForEach(f, cJSON_GetObjectItem(probe(root), "findings"))
	if (streq(s(f, "code"), code) && streq(s(f, "severity"), severity))
		return true;
	return false;
}

static void
test_atkbd_healthy(void **state)
{
	int rc;
	cJSON *r = keyboard_report("octopus-atkbd-healthy", &rc);
	const cJSON *kbds = data(r, "keyboards"), *k = cJSON_GetArrayItem(kbds, 0);
	const cJSON *row = cJSON_GetObjectItem(k, "top_row");

	assert_int_equal(rc, 0);
	assert_string_equal(s(probe(r), "status"), "pass");
	assert_int_equal(cJSON_GetArraySize(kbds), 1); /* the power button is no keyboard */
	assert_string_equal(s(k, "name"), "AT Translated Set 2 keyboard");
	assert_string_equal(s(k, "device"), "/dev/input/event3");
	assert_string_equal(s(k, "bus"), "i8042");
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
	assert_string_equal(s(probe(r), "status"), "fail");
	assert_string_equal(cJSON_GetArrayItem(data(r, "stuck_keys"), 0)->valuestring, "LEFTSHIFT");
	assert_true(has_finding(r, "keyboard.stuck_key", "fail"));
	cJSON_Delete(r);
}

static void
test_cros_ec_keyb(void **state)
{
	int rc;
	cJSON *r = keyboard_report("kukui-cros-ec-keyb", &rc);
	const cJSON *k = cJSON_GetArrayItem(data(r, "keyboards"), 0);

	assert_string_equal(s(probe(r), "status"), "pass");
	assert_string_equal(s(k, "bus"), "virtual");
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

	assert_string_equal(s(probe(r), "status"), "fail");
	assert_true(has_finding(r, "keyboard.missing", "fail"));
	assert_false(has_finding(r, "keyboard.stuck_key", "fail"));
	assert_string_equal(s(k, "bus"), "usb");
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(k, "internal")));
	cJSON_Delete(r);
}

static void
test_detachable_base(void **state)
{
	int rc;
	cJSON *r = keyboard_report("detachable-hammer-base", &rc);
	const cJSON *k = cJSON_GetArrayItem(data(r, "keyboards"), 0);

	assert_string_equal(s(probe(r), "status"), "pass");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(k, "internal")));
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(k, "top_row")), 10);
	cJSON_Delete(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_atkbd_healthy),   cmocka_unit_test(test_stuck_shift),
		cmocka_unit_test(test_cros_ec_keyb),    cmocka_unit_test(test_usb_keyboard_only),
		cmocka_unit_test(test_detachable_base),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
