/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cbdiag diff (report/review/diff.c and the views' parts): status and
 * finding changes, swapped parts and measurements across a repair. */
#include "review-reports.h"

/* ---- diff ------------------------------------------------------------------ */

static const cJSON *
probe_diff(const struct cbd_doc *diff, const char *name)
{
	const cJSON *p;

	cJSON_ArrayForEach(p, cJSON_GetObjectItem(diff->root, "probes"))
	if (streq(cJSON_GetObjectItem(p, "name")->valuestring, name))
		return p;
	return NULL;
}

static const cJSON *
named(const cJSON *arr, const char *name)
{
	const cJSON *x;

	cJSON_ArrayForEach(x, arr) if (streq(cJSON_GetObjectItem(x, "name")->valuestring, name))
		return x;
	return NULL;
}

static void
test_diff_across_a_repair(void **state)
{
	struct cbd_doc *b = doc_of(report("S1", "Bobba", "2026-11-20T10:00:00Z", 52, "fail", "fail"));
	struct cbd_doc *a = doc_of(report("S1", "Bobba", "2026-11-24T10:00:00Z", 100, "pass", "pass"));
	enum cbd_diff_device same;
	struct cbd_doc *d = cbd_diff(b, a, &same);
	const cJSON *bat, *m, *part;
	char *text = NULL;
	size_t len = 0;
	FILE *out;

	assert_int_equal(same, CBD_DIFF_SAME_DEVICE);
	bat = probe_diff(d, "battery");
	assert_string_equal(cJSON_GetObjectItem(bat, "before")->valuestring, "fail");
	assert_string_equal(cJSON_GetObjectItem(bat, "after")->valuestring, "pass");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(bat, "changed")));
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(
							cJSON_GetObjectItem(bat, "findings_gone"), 0),
						"code")
				    ->valuestring,
			    "battery.health_low");
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(bat, "findings_new")), 0);
	m = named(cJSON_GetObjectItem(d->root, "measurements"), "battery BAT0 health_percent");
	assert_non_null(m);
	assert_true(cJSON_GetObjectItem(m, "before")->valuedouble == 52);
	assert_true(cJSON_GetObjectItem(m, "after")->valuedouble == 100);
	part = named(cJSON_GetObjectItem(d->root, "parts_changed"), "battery BAT0 serial");
	assert_non_null(part); /* a new battery */
	assert_string_equal(cJSON_GetObjectItem(part, "before")->valuestring, "OLD01");
	assert_string_equal(cJSON_GetObjectItem(part, "after")->valuestring, "NEW01");

	out = open_memstream(&text, &len);
	cbd_diff_render_text(d, out, false);
	fclose(out);
	assert_non_null(strstr(text, "battery   fail -> pass"));
	assert_non_null(strstr(text, "fixed:   battery.health_low"));
	assert_non_null(strstr(text, "battery BAT0 health_percent: 52 -> 100"));
	assert_non_null(strstr(text, "battery BAT0 serial: OLD01 -> NEW01"));
	free(text);
	cbd_doc_free(d);

	/* the other way round: a new finding, a worse severity */
	d = cbd_diff(a, b, &same);
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(
							cJSON_GetObjectItem(probe_diff(d, "keyboard"),
									    "findings_new"),
							0),
						"code")
				    ->valuestring,
			    "keyboard.untested_keys");
	cbd_doc_free(d);
	cbd_doc_free(b);
	cbd_doc_free(a);

	b = doc_of(report("S1", "Bobba", "2026-11-20T10:00:00Z", 75, "warn", "pass"));
	a = doc_of(report("S1", "Bobba", "2026-11-24T10:00:00Z", 55, "fail", "pass"));
	d = cbd_diff(b, a, &same);
	m = cJSON_GetArrayItem(cJSON_GetObjectItem(probe_diff(d, "battery"), "findings_changed"), 0);
	assert_string_equal(cJSON_GetObjectItem(m, "before")->valuestring, "warn");
	assert_string_equal(cJSON_GetObjectItem(m, "after")->valuestring, "fail");
	cbd_doc_free(d);
	cbd_doc_free(b);
	cbd_doc_free(a);
}

static void
test_diff_device_match(void **state)
{
	struct cbd_doc *x = doc_of(report("S1", "Bobba", "2026-11-20T10:00:00Z", 52, "fail", "pass"));
	struct cbd_doc *y = doc_of(report("S2", "Bobba", "2026-11-20T10:00:00Z", 52, "fail", "pass"));
	struct cbd_doc *n1 = doc_of(report(NULL, "VM", "2026-11-20T10:00:00Z", -1, "pass", "pass"));
	struct cbd_doc *n2 = doc_of(report(NULL, "VM", "2026-11-21T10:00:00Z", -1, "pass", "pass"));
	enum cbd_diff_device same;

	cbd_doc_free(cbd_diff(x, y, &same));
	assert_int_equal(same, CBD_DIFF_DIFFERENT_DEVICE);
	cbd_doc_free(cbd_diff(n1, n2, &same));
	assert_int_equal(same, CBD_DIFF_UNKNOWN_DEVICE);
	cbd_doc_free(x);
	cbd_doc_free(y);
	cbd_doc_free(n1);
	cbd_doc_free(n2);
}

/* The parts of every view, on the fixtures of a real repair: the disk and
 * battery swapped, the panel kept. */
static void
test_diff_views_on_fixtures(void **state)
{
	const char *src = getenv("CBDIAG_SRCDIR");
	_cleanup_free_ char *bp = NULL, *ap = NULL, *err = NULL;
	struct cbd_doc *b = NULL, *a = NULL, *d;
	enum cbd_diff_device same;
	const cJSON *parts, *x;

	if (!src)
		skip();
	bp = cbd_strdupf("%s/tests/fixtures/reports/good/octopus-before-repair.json", src);
	ap = cbd_strdupf("%s/tests/fixtures/reports/good/octopus-after-repair.json", src);
	if (cbd_doc_load_valid(bp, &b, &err) < 0 || cbd_doc_load_valid(ap, &a, &err) < 0)
		fail_msg("%s", err);
	d = cbd_diff(b, a, &same);
	assert_int_equal(same, CBD_DIFF_SAME_DEVICE);
	parts = cJSON_GetObjectItem(d->root, "parts_changed");
	x = named(parts, "disk mmcblk0");
	assert_non_null(x);
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(x, "before")));
	x = named(parts, "disk nvme0n1");
	assert_non_null(x);
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(x, "after")));
	assert_non_null(named(parts, "battery BAT0 serial"));
	/* no view, no parts: the usb probe is compared by status and findings only */
	cJSON_ArrayForEach(x, parts) assert_null(strstr(cJSON_GetObjectItem(x, "name")->valuestring, "usb"));
	assert_non_null(named(cJSON_GetObjectItem(d->root, "measurements"), "battery BAT0 cycle_count"));
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(probe_diff(d, "usb"), "changed")));
	cbd_doc_free(d);
	cbd_doc_free(a);
	cbd_doc_free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_diff_across_a_repair),
		cmocka_unit_test(test_diff_device_match),
		cmocka_unit_test(test_diff_views_on_fixtures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
