/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The touch probe against umockdev test beds: the real binary finding the
 * touchpad, touchscreen and pen in /sys/class/input by their bits and
 * properties, reading their axes with EVIOCGABS, and in an interactive run
 * following the event streams umockdev plays (an edge trace, clicks and a
 * scroll; a drawing over the screen; a pen line). Runs under umockdev-wrapper.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "cbd-util.h"
#include "testbed.h"

static const cJSON *
probe(const cJSON *root)
{
	return cbd_tb_probe(root, "touch");
}

static const cJSON *
data(const cJSON *root, const char *key)
{
	return cJSON_GetObjectItem(cJSON_GetObjectItem(probe(root), "data"), key);
}

static cJSON *
touch_report(const char *scenario, int *rc)
{
	const char *args[] = {"--probe", "touch", NULL};

	return cbd_testbed_report(scenario, args, rc);
}

/* An interactive run: stdin at its end, so only the devices and the time count. */
static cJSON *
interactive_report(const char *scenario, int *rc)
{
	static const char *const args[] = {"--interactive", "--probe", "touch", NULL};

	return cbd_testbed_report_conf(scenario, "[thresholds]\ntouch.wait_seconds = 5\n", args,
	                               rc);
}

static int
num(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItem(o, key);

	assert_true(cJSON_IsNumber(v));
	return v->valueint;
}

static void
test_i2c_clickpad_found(void **state)
{
	int rc;
	cJSON *r = touch_report("octopus-touchpad", &rc);
	const cJSON *pad = cJSON_GetArrayItem(data(r, "touchpads"), 0);

	assert_int_equal(rc, 0);
	assert_string_equal(cbd_tb_str(probe(r), "status"), "pass");
	assert_string_equal(cbd_tb_str(probe(r), "summary"),
	                    "Touchpad found (not tested without the guided steps)");
	assert_string_equal(cbd_tb_str(pad, "name"), "Elan Touchpad");
	assert_string_equal(cbd_tb_str(pad, "bus"), "i2c");
	assert_string_equal(cbd_tb_str(pad, "kind"), "clickpad");
	/* from EVIOCGABS: five slots, 3124 x 1807 at 31 units a millimetre */
	assert_int_equal(num(pad, "slots"), 5);
	assert_int_equal(num(pad, "width_mm"), 101);
	assert_int_equal(num(pad, "height_mm"), 58);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(probe(r), "findings")), 0);
	/* no touchscreen: said, not failed */
	assert_true(cJSON_IsFalse(data(r, "touchscreen")));
	assert_int_equal(cJSON_GetArraySize(data(r, "touchscreens")), 0);
	cJSON_Delete(r);
}

static void
test_convertible_found(void **state)
{
	int rc;
	cJSON *r = touch_report("convertible-touchscreen-pen", &rc);
	const cJSON *pad = cJSON_GetArrayItem(data(r, "touchpads"), 0);
	const cJSON *scr = data(r, "touchscreens");

	assert_string_equal(cbd_tb_str(probe(r), "status"), "pass");
	assert_string_equal(cbd_tb_str(pad, "bus"), "ps2");
	assert_int_equal(num(pad, "slots"), 2);
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(pad, "width_mm"))); /* no resolution */
	assert_int_equal(cJSON_GetArraySize(scr),
	                 2); /* the screen and its pen, event9 before event10 */
	assert_int_equal(num(cJSON_GetArrayItem(scr, 0), "slots"), 10);
	assert_int_equal(num(cJSON_GetArrayItem(scr, 0), "width_mm"), 256);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetArrayItem(scr, 1), "stylus")));
	assert_int_equal(num(cJSON_GetArrayItem(scr, 1), "pressure_max"), 4095);
	assert_true(cJSON_IsTrue(data(r, "touchscreen")));
	assert_true(cJSON_IsTrue(data(r, "stylus")));
	cJSON_Delete(r);
}

static void
test_laptop_without_touchpad(void **state)
{
	int rc;
	/* the lid bed: a keyboard, buttons and a lid switch, no touch surface */
	cJSON *r = touch_report("octopus-lid", &rc);

	assert_int_equal(rc, 1);
	assert_string_equal(cbd_tb_str(probe(r), "status"), "fail");
	assert_true(cbd_tb_has_finding(probe(r), "touch.touchpad_missing", "fail"));
	cJSON_Delete(r);
}

static void
test_desktop_is_skip(void **state)
{
	int rc;
	cJSON *r = touch_report("dmi-only-x86-desktop", &rc);

	assert_string_equal(cbd_tb_str(probe(r), "status"), "skip");
	cJSON_Delete(r);
}

static void
test_interactive_trace_clicks_scroll(void **state)
{
	int rc;
	cJSON *r = interactive_report("octopus-touchpad", &rc);
	const cJSON *tt = data(r, "trace_test"), *ct = data(r, "click_test");

	assert_non_null(tt);
	assert_string_equal(cbd_tb_str(tt, "ended"), "done");
	assert_string_equal(cbd_tb_str(tt, "result"), "pass");
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(tt, "dead_cells")), 0);
	assert_int_equal(num(tt, "jumps"), 0);
	assert_string_equal(cbd_tb_str(ct, "ended"), "done");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(ct, "one_finger_click")));
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(ct, "two_finger_click")));
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(ct, "two_finger_scroll")));
	assert_string_equal(cbd_tb_str(probe(r), "status"), "pass");
	assert_int_equal(rc, 0);
	cJSON_Delete(r);
}

static void
test_interactive_dead_corner(void **state)
{
	int rc;
	cJSON *r = interactive_report("octopus-touchpad-dead-corner", &rc);
	const cJSON *tt = data(r, "trace_test");
	const cJSON *dead = cJSON_GetObjectItem(tt, "dead_cells");

	assert_int_equal(rc, 1);
	assert_string_equal(cbd_tb_str(tt, "ended"), "timed out");
	assert_int_equal(cJSON_GetArraySize(dead), 1);
	assert_string_equal(cJSON_GetArrayItem(dead, 0)->valuestring, "row 5 column 8");
	assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(tt, "map"), 4)->valuestring,
	                    "#######.");
	assert_true(cbd_tb_has_finding(probe(r), "touch.touchpad_dead_zone", "fail"));
	/* leaving the dead corner, the position leaps */
	assert_true(cbd_tb_has_finding(probe(r), "touch.touchpad_jumps", "warn"));
	/* the clicks work on this pad */
	assert_string_equal(cbd_tb_str(data(r, "click_test"), "result"), "pass");
	assert_string_equal(cbd_tb_str(probe(r), "status"), "fail");
	cJSON_Delete(r);
}

static void
test_interactive_screen_and_pen(void **state)
{
	int rc;
	cJSON *r = interactive_report("convertible-touchscreen-pen", &rc);
	const cJSON *st = data(r, "screen_test"), *pt;
	/* Once in a sanitizer run on a loaded machine (CI, 2026-12-03) the
	 * drawing umockdev replays never reached the screen step within its 5 s,
	 * which 80-odd runs before and since did not see: a second run says
	 * whether it is the replay's timing (it passes) or the probe (it fails
	 * again, and the assertions below say how). */
	const char *ended = cbd_tb_str(st, "ended");

	if (!streq(ended, "done")) {
		print_message("the screen step ended '%s': running the bed once more\n",
		              ended ? ended : "(none)");
		cJSON_Delete(r);
		r = interactive_report("convertible-touchscreen-pen", &rc);
		st = data(r, "screen_test");
	}
	pt = data(r, "stylus_test");

	assert_string_equal(cbd_tb_str(st, "ended"), "done");
	assert_string_equal(cbd_tb_str(st, "result"), "pass");
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(st, "dead_cells")), 0);
	assert_string_equal(cbd_tb_str(pt, "result"), "pass");
	assert_true(num(pt, "pressure_max_seen") > 0);
	/* the PS/2 pad, with its range not starting at 0, traced and clicked too */
	assert_string_equal(cbd_tb_str(data(r, "trace_test"), "result"), "pass");
	assert_string_equal(cbd_tb_str(data(r, "click_test"), "result"), "pass");
	assert_string_equal(cbd_tb_str(probe(r), "status"), "pass");
	assert_string_equal(cbd_tb_str(probe(r), "summary"),
	                    "Touchpad, touchscreen and stylus: the guided tests passed");
	assert_int_equal(rc, 0);
	cJSON_Delete(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_i2c_clickpad_found),
	    cmocka_unit_test(test_convertible_found),
	    cmocka_unit_test(test_laptop_without_touchpad),
	    cmocka_unit_test(test_desktop_is_skip),
	    cmocka_unit_test(test_interactive_trace_clicks_scroll),
	    cmocka_unit_test(test_interactive_dead_corner),
	    cmocka_unit_test(test_interactive_screen_and_pen),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
