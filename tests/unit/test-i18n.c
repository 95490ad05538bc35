/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The intern's language (common/i18n.c): a report's English text matched
 * against the catalogue's formats and rebuilt in Spanish, from the Spanish
 * catalogue this build made (CBD_LOCALEDIR, set by the test suite). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cbd-i18n.h"
#include "cbd-util.h"

static void
free_args(char **args, int n)
{
	for (int i = 0; i < n; i++)
		free(args[i]);
}

static void
test_match(void **state)
{
	char *a[8];
	int n;

	assert_true(cbd_i18n_match("The touchscreen did not respond in %zu of %d places",
				   "The touchscreen did not respond in 3 of 9 places", a, 8, &n));
	assert_int_equal(n, 2);
	assert_string_equal(a[0], "3");
	assert_string_equal(a[1], "9");
	free_args(a, n);
	/* text around numbers, a number at the end, %% */
	assert_true(cbd_i18n_match("%s holds %.1f%% (%llu)", "Disk A holds 52.5% (7)", a, 8, &n));
	assert_int_equal(n, 3);
	assert_string_equal(a[0], "Disk A");
	assert_string_equal(a[1], "52.5");
	assert_string_equal(a[2], "7");
	free_args(a, n);
	/* what does not fit the format */
	assert_false(cbd_i18n_match("%d keys", "many keys", a, 8, &n));
	assert_false(cbd_i18n_match("%d keys", "3 keys left", a, 8, &n));
	assert_false(cbd_i18n_match("Key %s", "Keys", a, 8, &n));
	assert_int_equal(n, 0);
	/* more conversions than room: no match, nothing left allocated */
	assert_false(cbd_i18n_match("%s %s %s", "a b c", a, 2, &n));
}

static void
test_rebuild(void **state)
{
	char *args[] = {"3", "9"};
	char *s;

	s = cbd_i18n_rebuild("%zu de %d sitios", args, 2);
	assert_string_equal(s, "3 de 9 sitios");
	free(s);
	s = cbd_i18n_rebuild("%2$d sitios, %1$zu sin respuesta (100%%)", args, 2);
	assert_string_equal(s, "9 sitios, 3 sin respuesta (100%)");
	free(s);
	/* a translation asking for a value that is not there */
	assert_null(cbd_i18n_rebuild("%s %s %s", args, 2));
}

/* a hostile report: a long message that has every literal piece of a
 * format of several %s, in order, but can never match it (no number before
 * the last "z"), ends in the step budget, not in hours of backtracking
 * (without the budget this test runs past its timeout) */
static void
test_budget(void **state)
{
	size_t reps = 3000;
	char *s = cbd_zalloc(reps * 4 + 4), *a[8];
	int n;

	for (size_t i = 0; i < reps; i++)
		memcpy(s + i * 4, "a 1 ", 4);
	memcpy(s + reps * 4, "q z", 4);
	assert_false(cbd_i18n_match("%s %d %s %d %s %dz", s, a, 8, &n));
	assert_int_equal(n, 0);
	free(s);
}

static void
test_spanish(void **state)
{
	const char *t;

	assert_int_equal(cbd_i18n_init("es"), 0);
	assert_string_equal(cbd_i18n_lang(), "es");
	/* a string said now, and one the report keeps */
	assert_string_not_equal(_("Tell staff."), "Tell staff.");
	t = cbd_tr("The touchscreen did not respond in 3 of 9 places");
	assert_non_null(strstr(t, "3"));
	assert_non_null(strstr(t, "9"));
	assert_null(strstr(t, "touchscreen"));
	/* the same pointer again (kept until cbd_tr_reset), and text no catalogue knows as it is */
	assert_ptr_equal(cbd_tr("The touchscreen did not respond in 3 of 9 places"), t);
	assert_string_equal(cbd_tr("SanDisk SDINADF4-64G"), "SanDisk SDINADF4-64G");
	assert_null(cbd_tr(NULL));
	assert_string_equal(cbd_tr(""), "");
	/* a headline made of a finding's message: both parts in Spanish */
	t = cbd_tr("The touchscreen did not respond in 3 of 9 places (and 2 more problems)");
	assert_null(strstr(t, "touchscreen"));
	assert_null(strstr(t, "more problems"));
	cbd_tr_reset();
	t = cbd_tr("The touchscreen did not respond in 3 of 9 places");
	assert_null(strstr(t, "touchscreen"));
	cbd_tr_reset();
	/* a list inside a sentence, its joint in the language too */
	t = cbd_tr("72 keys never registered: F1, F2, F3 and 56 more");
	assert_non_null(strstr(t, "F1, F2, F3"));
	assert_null(strstr(t, "and 56 more"));
	assert_non_null(strstr(t, "56"));
	/* English again: nothing translated */
	assert_int_equal(cbd_i18n_init("en_GB"), 0);
	assert_string_equal(_("Tell staff."), "Tell staff.");
	assert_string_equal(cbd_tr("The camera works"), "The camera works");
	/* names that are not languages */
	assert_int_equal(cbd_i18n_init("../../etc"), -EINVAL);
	assert_int_equal(cbd_i18n_init(""), -EINVAL);
	assert_int_equal(cbd_i18n_init("es_ES_this_is_too_long"), -EINVAL);
}

static void
test_environment(void **state)
{
	setenv("LANGUAGE", "", 1);
	setenv("LC_ALL", "es_MX.UTF-8", 1);
	assert_int_equal(cbd_i18n_init(NULL), 0);
	assert_string_equal(cbd_i18n_lang(), "es_MX");
	assert_string_not_equal(_("Tell staff."), "Tell staff.");
	/* (gettext was told the language through LANGUAGE: cleared first) */
	setenv("LANGUAGE", "", 1);
	setenv("LC_ALL", "C", 1);
	assert_int_equal(cbd_i18n_init(NULL), 0);
	assert_string_equal(cbd_i18n_lang(), "en");
	unsetenv("LC_ALL");
	setenv("LANGUAGE", "en", 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_rebuild),
		cmocka_unit_test(test_budget),
		cmocka_unit_test(test_spanish),
		cmocka_unit_test(test_environment),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
