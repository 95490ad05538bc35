/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The key-by-key test state machine from timed literal events. */
#include <linux/input-event-codes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cbd-util.h"
#include "keytest.h"

#define MS 1000ull

static struct cbd_keytest kt;

static void
start(const unsigned *physmap, int n)
{
	cbd_keytest_init(&kt, physmap, n, 1000 * MS, 30, 5, 20, 600);
}

static void
tap(uint64_t t, unsigned code, unsigned scan)
{
	if (scan)
		cbd_keytest_event(&kt, t, EV_MSC, MSC_SCAN, (int)scan);
	cbd_keytest_event(&kt, t, EV_KEY, code, 1);
	cbd_keytest_event(&kt, t + 60 * MS, EV_KEY, code, 0);
}

static const struct cbd_kt_key *
key(const char *label)
{
	for (int i = 0; i < kt.n_keys; i++)
		if (streq(kt.keys[i].label, label))
			return &kt.keys[i];
	fail_msg("no key %s", label);
	return NULL;
}

static void
test_layout(void **state)
{
	start(NULL, 0);
	assert_int_equal(kt.n_keys, 1 + 10 + 62); /* Esc, F1-F10, the US Chromebook layout */
	assert_int_equal(key("SEARCH")->code, KEY_LEFTMETA);
	assert_int_equal(key("F1")->code, KEY_F1);
	for (int i = 0; i < kt.n_keys; i++)
		assert_int_not_equal(kt.keys[i].code, KEY_CAPSLOCK); /* no caps lock */
	assert_int_equal(cbd_keytest_count(&kt, CBD_KT_UNTESTED), kt.n_keys);
}

static void
test_all_keys_end_the_test(void **state)
{
	uint64_t t = 1000 * MS;

	start(NULL, 0);
	for (int i = 0; i < kt.n_keys; i++, t += 200 * MS) {
		assert_int_equal(kt.end, CBD_KT_RUNNING);
		tap(t, kt.keys[i].code, 0);
	}
	assert_int_equal(kt.end, CBD_KT_ALL_TESTED);
	assert_int_equal(cbd_keytest_count(&kt, CBD_KT_TESTED), kt.n_keys);
}

static void
test_vivaldi_top_row_by_scancode(void **state)
{
	static const unsigned physmap[] = {0xea, 0xe9, 0xe7};

	start(physmap, 3);
	assert_string_equal(kt.keys[1].label, "T1");
	/* the refresh key sends KEY_REFRESH with scancode 0xe7: that is T3 */
	tap(2000 * MS, KEY_REFRESH, 0xe7);
	assert_int_equal(key("T3")->state, CBD_KT_TESTED);
	assert_int_equal(key("T1")->state, CBD_KT_UNTESTED);
	/* a scancode that is not in the top row falls back to the keycode */
	tap(3000 * MS, KEY_A, 0x1e);
	assert_int_equal(key("A")->state, CBD_KT_TESTED);
}

static void
test_press_without_release_is_not_tested(void **state)
{
	start(NULL, 0);
	cbd_keytest_event(&kt, 2000 * MS, EV_KEY, KEY_Q, 1);
	assert_int_equal(key("Q")->state, CBD_KT_DOWN);
	cbd_keytest_tick(&kt, 6000 * MS); /* 4 s: still just down */
	assert_int_equal(key("Q")->state, CBD_KT_DOWN);
	cbd_keytest_tick(&kt, 7000 * MS); /* 5 s with no release: stuck */
	assert_int_equal(key("Q")->state, CBD_KT_STUCK);
	/* autorepeat does not release it */
	cbd_keytest_event(&kt, 7100 * MS, EV_KEY, KEY_Q, 2);
	assert_int_equal(key("Q")->state, CBD_KT_STUCK);
}

static void
test_chatter(void **state)
{
	start(NULL, 0);
	/* press, release, press again 20 ms after the first press: a bouncing switch */
	cbd_keytest_event(&kt, 2000 * MS, EV_KEY, KEY_E, 1);
	cbd_keytest_event(&kt, 2010 * MS, EV_KEY, KEY_E, 0);
	cbd_keytest_event(&kt, 2020 * MS, EV_KEY, KEY_E, 1);
	cbd_keytest_event(&kt, 2080 * MS, EV_KEY, KEY_E, 0);
	assert_true(key("E")->chatter);
	assert_int_equal(key("E")->state, CBD_KT_TESTED);
	/* two deliberate presses 300 ms apart are no chatter */
	tap(3000 * MS, KEY_R, 0);
	tap(3300 * MS, KEY_R, 0);
	assert_false(key("R")->chatter);
}

static void
test_esc_hold_gives_up(void **state)
{
	start(NULL, 0);
	tap(2000 * MS, KEY_A, 0);
	cbd_keytest_event(&kt, 3000 * MS, EV_KEY, KEY_ESC, 1);
	cbd_keytest_tick(&kt, 4500 * MS);
	assert_int_equal(kt.end, CBD_KT_RUNNING); /* 1.5 s: not yet */
	cbd_keytest_event(&kt, 4900 * MS, EV_KEY, KEY_ESC, 2);
	cbd_keytest_tick(&kt, 5000 * MS);
	assert_int_equal(kt.end, CBD_KT_GAVE_UP);
	/* the hold proves Esc works: it is not left "still down" or untested */
	assert_int_equal(key("ESC")->state, CBD_KT_TESTED);
	/* a short Esc press only tests Esc */
	start(NULL, 0);
	tap(2000 * MS, KEY_ESC, 0);
	cbd_keytest_tick(&kt, 9000 * MS);
	assert_int_equal(kt.end, CBD_KT_RUNNING);
	assert_int_equal(key("ESC")->state, CBD_KT_TESTED);
}

static void
test_no_events(void **state)
{
	start(NULL, 0);
	cbd_keytest_tick(&kt, 20999 * MS);
	assert_int_equal(kt.end, CBD_KT_RUNNING);
	cbd_keytest_tick(&kt, 21000 * MS);
	assert_int_equal(kt.end, CBD_KT_NO_EVENTS);
	/* an event keeps the test alive past the window */
	start(NULL, 0);
	tap(1500 * MS, KEY_A, 0);
	cbd_keytest_tick(&kt, 60000 * MS);
	assert_int_equal(kt.end, CBD_KT_RUNNING);
	cbd_keytest_tick(&kt, 601000 * MS);
	assert_int_equal(kt.end, CBD_KT_TIME_LIMIT);
}

static void
test_render(void **state)
{
	char *s;

	start(NULL, 0);
	tap(2000 * MS, KEY_A, 0);
	cbd_keytest_event(&kt, 3000 * MS, EV_KEY, KEY_S, 1);
	s = cbd_keytest_render(&kt, false);
	assert_non_null(strstr(s, "[ESC] [F1]"));
	assert_non_null(strstr(s, "[SEARCH]  A  <S> [D]"));
	assert_non_null(strstr(s, "1 of 73 keys tested"));
	assert_null(strchr(s, '\033'));
	free(s);
	s = cbd_keytest_render(&kt, true);
	assert_non_null(strstr(s, "\033[30;42m A \033[0m"));
	free(s);
}

static void
test_optional_iso_jis_keys(void **state)
{
	uint64_t t = 1000 * MS;
	char *text;

	start(NULL, 0);
	cbd_keytest_add_optional(&kt, "ISO\\", KEY_102ND);
	cbd_keytest_add_optional(&kt, "RO", KEY_RO);
	cbd_keytest_add_optional(&kt, "DUP", KEY_A); /* already in the layout: not added */
	assert_int_equal(kt.n_keys, 73 + 2);
	assert_int_equal(kt.n_required, 73);
	assert_true(key("RO")->optional);
	text = cbd_keytest_render(&kt, false);
	assert_non_null(strstr(text, "If the keyboard has them: [ISO\\] [RO]"));
	assert_non_null(strstr(text, "0 of 73 keys tested"));
	free(text);

	tap(t, KEY_102ND, 0); /* pressed: tested, but never counted as required */
	assert_int_equal(key("ISO\\")->state, CBD_KT_TESTED);
	assert_int_equal(cbd_keytest_count(&kt, CBD_KT_TESTED), 0);
	/* the required keys alone end the test; RO is never pressed */
	for (int i = 0; i < kt.n_required; i++, t += 200 * MS) {
		assert_int_equal(kt.end, CBD_KT_RUNNING);
		tap(t + 200 * MS, kt.keys[i].code, 0);
	}
	assert_int_equal(kt.end, CBD_KT_ALL_TESTED);
	assert_int_equal(key("RO")->state, CBD_KT_UNTESTED);
}

/* A key released just after the grab carries the kernel's time of the release,
 * which can be before the test's own start: the test must go on (it once ended
 * at once with "time limit", the elapsed time having wrapped around). */
static void
test_event_before_start(void **state)
{
	start(NULL, 0);
	cbd_keytest_event(&kt, 1000 * MS - 5 * MS, EV_KEY, KEY_ENTER, 0);
	assert_int_equal(kt.end, CBD_KT_RUNNING);
	cbd_keytest_event(&kt, 990 * MS, EV_KEY, KEY_A, 1);
	cbd_keytest_event(&kt, 999 * MS, EV_KEY, KEY_A, 0);
	assert_int_equal(kt.end, CBD_KT_RUNNING);
	cbd_keytest_tick(&kt, 2000 * MS);
	assert_int_equal(kt.end, CBD_KT_RUNNING);
	assert_int_equal(key("A")->state, CBD_KT_TESTED);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_event_before_start),
		cmocka_unit_test(test_all_keys_end_the_test),
		cmocka_unit_test(test_vivaldi_top_row_by_scancode),
		cmocka_unit_test(test_press_without_release_is_not_tested),
		cmocka_unit_test(test_chatter),
		cmocka_unit_test(test_esc_hold_gives_up),
		cmocka_unit_test(test_no_events),
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_optional_iso_jis_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
