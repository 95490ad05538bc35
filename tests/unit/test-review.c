/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Staff review: HTML escaping, diff and the fleet summary on small report sets. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "doc-json.h"
#include "review.h"

static char dir[] = "/tmp/cbd-test-review-XXXXXX";

/* A valid report: one device, a battery probe with given health and status,
 * and a keyboard probe. */
static cJSON *
report(const char *serial, const char *model, const char *when, double health,
       const char *bat_status, const char *kbd_status)
{
	cJSON *r = cJSON_CreateObject(), *dev, *probes, *bat, *data, *arr, *b, *kbd, *f;
	bool bad = streq(bat_status, "fail") || streq(kbd_status, "fail");

	cJSON_AddNumberToObject(r, "schema_version", 1);
	cJSON_AddStringToObject(r, "report_id", "8c1e2f4a-9b3d-4e5f-a1b2-c3d4e5f60718");
	cJSON_AddItemToObject(r, "tool", cJSON_Parse("{\"name\":\"cbdiag\",\"version\":\"0.1.0\"}"));
	cJSON_AddStringToObject(r, "started_at", when);
	cJSON_AddStringToObject(r, "finished_at", when);
	cJSON_AddNumberToObject(r, "duration_ms", 5);
	cJSON_AddStringToObject(r, "ticket", "20500");
	cJSON_AddStringToObject(r, "technician", "jd");
	dev = cJSON_AddObjectToObject(r, "device");
	if (serial)
		cJSON_AddStringToObject(dev, "serial", serial);
	else
		cJSON_AddNullToObject(dev, "serial");
	cJSON_AddNullToObject(dev, "asset_tag");
	cJSON_AddStringToObject(dev, "vendor", "Google");
	cJSON_AddStringToObject(dev, "model", model);
	cJSON_AddNullToObject(dev, "board");
	cJSON_AddNullToObject(dev, "sku");
	cJSON_AddNullToObject(dev, "firmware_version");
	cJSON_AddNullToObject(dev, "hwid");
	cJSON_AddStringToObject(dev, "form_factor", "laptop");
	cJSON_AddStringToObject(r, "overall", bad ? "fail" : "pass");
	cJSON_AddItemToObject(r, "counts",
			      cJSON_Parse(bad ? "{\"pass\":1,\"warn\":0,\"fail\":1,\"skip\":0,\"error\":0}"
					      : "{\"pass\":2,\"warn\":0,\"fail\":0,\"skip\":0,\"error\":0}"));
	probes = cJSON_AddObjectToObject(r, "probes");
	bat = cJSON_AddObjectToObject(probes, "battery");
	cJSON_AddStringToObject(bat, "status", bat_status);
	cJSON_AddNumberToObject(bat, "duration_ms", 1);
	cJSON_AddStringToObject(bat, "summary", "battery summary");
	arr = cJSON_AddArrayToObject(bat, "findings");
	if (!streq(bat_status, "pass")) {
		f = cJSON_CreateObject();
		cJSON_AddStringToObject(f, "code", "battery.health_low");
		cJSON_AddStringToObject(f, "severity", bat_status);
		cJSON_AddStringToObject(f, "message", "worn");
		cJSON_AddStringToObject(f, "action", "Replace the battery");
		cJSON_AddFalseToObject(f, "escalate");
		cJSON_AddItemToArray(arr, f);
	}
	data = cJSON_AddObjectToObject(bat, "data");
	arr = cJSON_AddArrayToObject(data, "batteries");
	b = cJSON_CreateObject();
	cJSON_AddStringToObject(b, "name", "BAT0");
	cJSON_AddStringToObject(b, "serial", health > 99 ? "NEW01" : "OLD01");
	if (health >= 0)
		cJSON_AddNumberToObject(b, "health_percent", health);
	else
		cJSON_AddNullToObject(b, "health_percent");
	cJSON_AddItemToArray(arr, b);
	kbd = cJSON_AddObjectToObject(probes, "keyboard");
	cJSON_AddStringToObject(kbd, "status", kbd_status);
	cJSON_AddNumberToObject(kbd, "duration_ms", 1);
	cJSON_AddStringToObject(kbd, "summary", "keyboard summary");
	arr = cJSON_AddArrayToObject(kbd, "findings");
	if (streq(kbd_status, "fail")) {
		f = cJSON_CreateObject();
		cJSON_AddStringToObject(f, "code", "keyboard.untested_keys");
		cJSON_AddStringToObject(f, "severity", "fail");
		cJSON_AddStringToObject(f, "message", "A is dead");
		cJSON_AddNullToObject(f, "action");
		cJSON_AddFalseToObject(f, "escalate");
		cJSON_AddItemToArray(arr, f);
	}
	cJSON_AddObjectToObject(kbd, "data");
	return r;
}

static struct cbd_doc *
doc_of(cJSON *root)
{
	struct cbd_doc *d = cbd_zalloc(sizeof(*d));
	_cleanup_free_ char *err = NULL;

	d->root = root;
	if (cbd_doc_validate(d, &err) != 0)
		fail_msg("test report invalid: %s", err);
	return d;
}

static void
write_json(const char *name, cJSON *root)
{
	char *path = cbd_strdupf("%s/%s", dir, name), *text = cJSON_Print(root);
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(text);
	free(path);
	cJSON_Delete(root);
}

/* ---- HTML ------------------------------------------------------------------ */

static const char *const HOSTILE = "<script>alert(1)</script>\"'&<img src=x onerror=y>";

static void
set_hostile(cJSON *o, const char *key)
{
	cJSON_ReplaceItemInObject(o, key, cJSON_CreateString(HOSTILE));
}

static void
test_html_escapes_every_text_field(void **state)
{
	cJSON *r = report("S1", "Bobba", "2026-11-20T10:00:00Z", 52, "fail", "fail");
	cJSON *dev = cJSON_GetObjectItem(r, "device"), *p, *f;
	struct cbd_doc *d;
	char *html = NULL;
	size_t len = 0;
	FILE *out;
	static const char *const dev_keys[] = {"serial", "asset_tag", "vendor", "model",
					       "board", "sku", "firmware_version", "hwid"};

	for (size_t i = 0; i < CBD_ARRAY_SIZE(dev_keys); i++)
		set_hostile(dev, dev_keys[i]);
	set_hostile(r, "ticket");
	set_hostile(r, "technician");
	cJSON_ArrayForEach(p, cJSON_GetObjectItem(r, "probes"))
	{
		set_hostile(p, "summary");
		cJSON_ArrayForEach(f, cJSON_GetObjectItem(p, "findings"))
		{
			set_hostile(f, "message");
			set_hostile(f, "action");
		}
	}
	set_hostile(cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(
						       cJSON_GetObjectItem(cJSON_GetObjectItem(r, "probes"),
									   "battery"),
						       "data"),
					       "batteries"),
				       0),
		    "serial");
	/* a hostile probe name too: probes are keyed by name */
	cJSON_AddItemToObject(cJSON_GetObjectItem(r, "probes"), HOSTILE,
			      cJSON_Duplicate(cJSON_GetObjectItem(cJSON_GetObjectItem(r, "probes"),
								  "keyboard"),
					      true));
	/* and what identity could not read (device.findings, issue 13) */
	{
		cJSON *df = cJSON_AddArrayToObject(cJSON_GetObjectItem(r, "device"), "findings");
		cJSON *nf = cJSON_CreateObject();

		cJSON_AddStringToObject(nf, "code", "device.no_hwid");
		cJSON_AddStringToObject(nf, "severity", "warn");
		cJSON_AddStringToObject(nf, "message", HOSTILE);
		cJSON_AddStringToObject(nf, "action", HOSTILE);
		cJSON_AddFalseToObject(nf, "escalate");
		cJSON_AddItemToArray(df, nf);
	}
	d = doc_of(r);
	out = open_memstream(&html, &len);
	cbd_doc_render_html(d, out, 80, 60);
	fclose(out);
	assert_non_null(strstr(html, "<code>device.no_hwid</code>"));
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "<img"));
	assert_null(strstr(html, HOSTILE));
	assert_non_null(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;"));
	/* it is still the page: verdict banner, cards, battery bar */
	assert_non_null(strstr(html, "class=\"banner b-fail\""));
	assert_non_null(strstr(html, "Needs repair"));
	assert_non_null(strstr(html, "replace 60%"));
	/* self-contained: nothing is fetched (the escaped hostile text may say
	 * "src=x", but no element has a src or href attribute) */
	assert_null(strstr(html, " src=\""));
	assert_null(strstr(html, " href=\""));
	assert_non_null(strstr(html, "default-src 'none'"));
	assert_null(strstr(html, "@import"));
	free(html);
	cbd_doc_free(d);
}

static void
test_html_escape_function(void **state)
{
	char *s = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&s, &len);

	cbd_html_escape(out, "a<b>&\"c'd");
	cbd_html_escape(out, NULL);
	fclose(out);
	assert_string_equal(s, "a&lt;b&gt;&amp;&quot;c&#39;d");
	free(s);
}

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

/* ---- summary --------------------------------------------------------------- */

static const cJSON *
model(const struct cbd_doc *s, const char *name)
{
	const cJSON *m;

	cJSON_ArrayForEach(m, cJSON_GetObjectItem(s->root, "models"))
	if (streq(cJSON_GetObjectItem(m, "model")->valuestring, name))
		return m;
	return NULL;
}

static double
num(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItem(o, key);

	if (!cJSON_IsNumber(v))
		fail_msg("%s is not a number", key);
	return v->valuedouble;
}

static void
test_summary(void **state)
{
	char sub[512];
	const char *paths[16];
	size_t n = 0;
	struct cbd_fleet *f = cbd_fleet_new(80, 60);
	struct cbd_doc *s;
	const cJSON *bobba, *bh, *x;
	char *text = NULL;
	size_t len = 0;
	FILE *out;

	snprintf(sub, sizeof(sub), "%s/fleet", dir);
	/* A: keyboard fails twice (a repeat visitor), then fixed; battery 70 */
	write_json("a1.json", report("A", "Bobba", "2026-01-10T09:00:00Z", 72, "warn", "fail"));
	write_json("a2.json", report("A", "Bobba", "2026-03-10T09:00:00Z", 71, "warn", "fail"));
	write_json("a3.json", report("A", "Bobba", "2026-05-10T09:00:00Z", 70, "warn", "pass"));
	/* B: healthy, then its battery dies: still failing */
	write_json("b1.json", report("B", "Bobba", "2026-02-01T09:00:00Z", 90, "pass", "pass"));
	write_json("b2.json", report("B", "Bobba", "2026-06-01T09:00:00Z", 50, "fail", "pass"));
	/* C: another model, no battery health known */
	write_json("c1.json", report("C", "Krane", "2026-04-01T09:00:00Z", -1, "pass", "pass"));
	/* D: Bobba at 95 */
	write_json("d1.json", report("D", "Bobba", "2026-04-02T09:00:00Z", 95, "pass", "pass"));
	/* a report without a serial: history only */
	write_json("n1.json", report(NULL, "VM", "2026-04-03T09:00:00Z", -1, "pass", "pass"));
	/* foreign files */
	{
		char *p = cbd_strdupf("%s/notes.txt", dir);
		FILE *t = fopen(p, "w");

		fputs("not a report\n", t);
		fclose(t);
		free(p);
		p = cbd_strdupf("%s/other.json", dir);
		t = fopen(p, "w");
		fputs("{\"hello\": \"world\"}\n", t);
		fclose(t);
		free(p);
	}
	{
		static const char *const names[] = {"a1.json", "a2.json", "a3.json", "b1.json",
						    "b2.json", "c1.json", "d1.json", "n1.json",
						    "notes.txt", "other.json", "missing.json"};

		for (size_t i = 0; i < CBD_ARRAY_SIZE(names); i++)
			paths[n++] = cbd_strdupf("%s/%s", dir, names[i]);
	}
	cbd_fleet_add_files(f, paths, n);
	s = cbd_fleet_result(f);
	cbd_fleet_free(f);

	assert_int_equal(num(s->root, "reports"), 8);
	assert_int_equal(num(s->root, "devices"), 4);
	assert_int_equal(num(s->root, "reports_without_device_identity"), 1);
	assert_int_equal(num(s->root, "skipped_files"), 3);
	/* per probe, all reports: battery failed in 1 of 8 */
	x = cJSON_GetArrayItem(cJSON_GetObjectItem(s->root, "probes"), 0);
	assert_string_equal(cJSON_GetObjectItem(x, "name")->valuestring, "battery");
	assert_int_equal(num(x, "fail"), 1);
	assert_true(num(x, "fail_percent") == 12.5);
	/* current state: B still fails; A's latest passes */
	x = cJSON_GetObjectItem(s->root, "still_failing");
	assert_int_equal(cJSON_GetArraySize(x), 1);
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(x, 0), "device")->valuestring,
			    "B");
	/* repeat visitor: A's keyboard, twice */
	x = cJSON_GetObjectItem(s->root, "repeat_visitors");
	assert_int_equal(cJSON_GetArraySize(x), 1);
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(x, 0), "probe")->valuestring,
			    "keyboard");
	assert_int_equal(num(cJSON_GetArrayItem(x, 0), "failed_reports"), 2);
	/* Bobba: latest health of A 70, B 50, D 95 -> median 70, p10 50, 2 of 3 below 80,
	 * 1 of 3 below 60 */
	bobba = model(s, "Bobba");
	assert_int_equal(num(bobba, "devices"), 3);
	assert_int_equal(num(bobba, "still_failing"), 1);
	bh = cJSON_GetObjectItem(bobba, "battery_health");
	assert_true(num(bh, "median") == 70);
	assert_true(num(bh, "p10") == 50);
	assert_true(num(bh, "below_warn_percent") == 66.7);
	assert_true(num(bh, "below_fail_percent") == 33.3);
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetObjectItem(model(s, "Krane"),
									 "battery_health"),
						     "median")));
	/* top findings: battery.health_low in 4 reports (3 warn, 1 fail) */
	x = cJSON_GetArrayItem(cJSON_GetObjectItem(s->root, "top_findings"), 0);
	assert_string_equal(cJSON_GetObjectItem(x, "code")->valuestring, "battery.health_low");
	assert_int_equal(num(x, "reports"), 4);
	assert_int_equal(num(x, "warn"), 3);
	/* skipped files carry their reasons: validation's own message, or why they
	 * could not be read */
	{
		char *sk = cJSON_PrintUnformatted(cJSON_GetObjectItem(s->root, "skipped"));

		assert_non_null(strstr(sk, "the field \\\"schema_version\\\" is missing"));
		assert_non_null(strstr(sk, "not valid JSON"));
		assert_non_null(strstr(sk, "cannot open"));
		free(sk);
	}

	out = open_memstream(&text, &len);
	cbd_fleet_render_text(s, out, 20);
	fclose(out);
	assert_non_null(strstr(text, "Fleet: 8 reports, 4 devices"));
	assert_non_null(strstr(text, "Bobba: 3 devices, 1 still failing; battery health median "
				     "70.0%, p10 50.0%"));
	assert_non_null(strstr(text, "A  Bobba  keyboard failed 2 times"));
	free(text);
	cbd_doc_free(s);
	for (size_t i = 0; i < n; i++) {
		unlink(paths[i]);
		free((char *)paths[i]);
	}
}

static int
setup(void **state)
{
	return mkdtemp(dir) ? 0 : -1;
}

static int
teardown(void **state)
{
	return rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_html_escape_function),
		cmocka_unit_test(test_html_escapes_every_text_field),
		cmocka_unit_test(test_diff_across_a_repair),
		cmocka_unit_test(test_diff_device_match),
		cmocka_unit_test(test_summary),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
