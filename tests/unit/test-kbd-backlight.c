/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The keyboard-light verdicts from literal values: every rule of probes/kbd-backlight/README.md. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "json.h"
#include "kbd-backlight.h"

static struct cbd_kbd_led_raw ec_led = {"chromeos::kbd_backlight", 100, 30};

static struct cbd_sweep
sweep_following(void)
{
	struct cbd_sweep s = {.ran = true, .original = 30, .max = 100, .n_steps = 4,
			      .restored = true, .intern = -1};
	static const long long set[] = {10, 40, 70, 100};

	for (int i = 0; i < 4; i++)
		s.steps[i].set = s.steps[i].actual = set[i], s.steps[i].follows = true;
	return s;
}

static struct cbd_result *
judge(struct cbd_kbd_led_raw *leds, size_t n, bool requested, const struct cbd_sweep *sw)
{
	struct cbd_kbd_backlight_raw raw = {.leds = leds, .n = n};
	struct cbd_result *r = cbd_result_new();

	cbd_kbd_backlight_judge(&raw, requested, sw, r);
	assert_true(r->status_set);
	return r;
}

static const struct cbd_json *
led(const struct cbd_result *r, int i)
{
	return cbd_json_at(cbd_json_get(r->data, "leds"), i);
}

static void
test_names(void **state)
{
	assert_true(cbd_led_is_kbd_backlight("chromeos::kbd_backlight"));
	assert_true(cbd_led_is_kbd_backlight("dell::kbd_backlight"));
	assert_true(cbd_led_is_kbd_backlight("platform:white:kbd_backlight"));
	assert_false(cbd_led_is_kbd_backlight("input3::capslock"));
	assert_false(cbd_led_is_kbd_backlight("kbd_backlight")); /* no function field */
	assert_false(cbd_led_is_kbd_backlight("chromeos::kbd_backlight_x"));
}

static void
test_none_is_skip(void **state)
{
	struct cbd_result *r = judge(NULL, 0, true, NULL);

	assert_int_equal(r->status, CBD_STATUS_SKIP);
	assert_int_equal(r->n_findings, 0);
	cbd_result_free(r);
}

static void
test_found_not_asked(void **state)
{
	struct cbd_sweep none = {0};
	struct cbd_result *r = judge(&ec_led, 1, false, &none);

	assert_int_equal(r->status, CBD_STATUS_PASS);
	assert_string_equal(cbd_json_get_str(led(r, 0), "sweep"), "skip");
	assert_non_null(strstr(cbd_json_get_str(led(r, 0), "sweep_reason"), "not requested"));
	cbd_result_free(r);
}

static void
test_sweep_pass(void **state)
{
	struct cbd_sweep s = sweep_following();
	struct cbd_result *r = judge(&ec_led, 1, true, &s);

	assert_int_equal(r->status, CBD_STATUS_PASS);
	assert_string_equal(r->summary, "The keyboard light works at every level");
	assert_string_equal(cbd_json_get_str(led(r, 0), "sweep"), "pass");
	assert_int_equal(cbd_json_get_array_size(led(r, 0), "sweep_levels"), 4);
	cbd_result_free(r);
}

static void
test_sweep_not_following_fails(void **state)
{
	struct cbd_sweep s = sweep_following();
	struct cbd_result *r;

	s.steps[2].actual = 30;
	s.steps[2].follows = false;
	r = judge(&ec_led, 1, true, &s);
	assert_int_equal(r->status, CBD_STATUS_FAIL);
	assert_non_null(cbd_result_find_finding(r, "kbd_backlight.sweep"));
	assert_true(cbd_result_find_finding(r, "kbd_backlight.sweep")->escalate);
	/* the headline is the failure, never "works" */
	assert_non_null(strstr(r->summary, "did not change brightness"));
	/* the levels are for staff, in the data; not in the intern's sentence */
	assert_null(strstr(r->summary, "30"));
	cbd_result_free(r);
}

static void
test_intern_saw_nothing(void **state)
{
	struct cbd_sweep s = sweep_following();
	struct cbd_result *r;

	s.intern = CBD_UI_NO;
	r = judge(&ec_led, 1, true, &s);
	assert_int_equal(r->status, CBD_STATUS_FAIL);
	assert_non_null(cbd_result_find_finding(r, "kbd_backlight.dark"));
	assert_string_equal(cbd_json_get_str(led(r, 0), "intern_saw_change"), "no");
	cbd_result_free(r);
}

static void
test_not_restored_warns(void **state)
{
	struct cbd_sweep s = sweep_following();
	struct cbd_result *r;

	s.restored = false;
	r = judge(&ec_led, 1, true, &s);
	assert_int_equal(r->status, CBD_STATUS_WARN);
	assert_non_null(cbd_result_find_finding(r, "kbd_backlight.not_restored"));
	cbd_result_free(r);
}

static void
test_sweep_refused_is_info(void **state)
{
	struct cbd_sweep s = {.ran = true, .err = -EACCES, .intern = -1};
	struct cbd_result *r = judge(&ec_led, 1, true, &s);

	assert_int_equal(r->status, CBD_STATUS_PASS);
	assert_int_equal(cbd_result_find_finding(r, "kbd_backlight.sweep_error")->severity,
			 CBD_SEVERITY_INFO);
	assert_string_equal(cbd_json_get_str(led(r, 0), "sweep"), "skip");
	cbd_result_free(r);
}

static void
test_unreadable_maximum(void **state)
{
	struct cbd_kbd_led_raw bad = {"chromeos::kbd_backlight", -1, -1};
	struct cbd_result *r = judge(&bad, 1, true, NULL);

	assert_int_equal(r->status, CBD_STATUS_WARN);
	assert_non_null(cbd_result_find_finding(r, "kbd_backlight.unreadable"));
	assert_true(cbd_json_is_null(led(r, 0), "max_brightness"));
	cbd_result_free(r);
}

static void
test_pick_skips_unusable(void **state)
{
	struct cbd_kbd_led_raw two[2] = {{"a::kbd_backlight", 0, 0}, {"b::kbd_backlight", 3, 1}};
	struct cbd_kbd_backlight_raw raw = {.leds = two, .n = 2};

	assert_ptr_equal(cbd_kbd_backlight_pick(&raw), &two[1]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_none_is_skip),
		cmocka_unit_test(test_found_not_asked),
		cmocka_unit_test(test_sweep_pass),
		cmocka_unit_test(test_sweep_not_following_fails),
		cmocka_unit_test(test_intern_saw_nothing),
		cmocka_unit_test(test_not_restored_warns),
		cmocka_unit_test(test_sweep_refused_is_info),
		cmocka_unit_test(test_unreadable_maximum),
		cmocka_unit_test(test_pick_skips_unusable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
