/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cbdiag summary (report/review/fleet*.c): the aggregation on a small fleet,
 * the threaded path over many files with skipped and invalid ones (the same
 * answer whatever order the threads read in), and reports far larger than
 * any real one (they crashed the summary: a 16-bit count).
 */
#include <sys/stat.h>

#include "review-reports.h"

static char dir[] = "/tmp/cbd-test-fleet-XXXXXX";

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


static void
write_text(const char *name, const char *text)
{
	_cleanup_free_ char *path = cbd_strdupf("%s/%s", dir, name);
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static char *
summary_json(const char *const *paths, size_t n)
{
	struct cbd_fleet *f = cbd_fleet_new(80, 60);
	struct cbd_doc *s;
	char *text;

	cbd_fleet_add_files(f, paths, n);
	s = cbd_fleet_result(f);
	cbd_fleet_free(f);
	text = cJSON_PrintUnformatted(s->root);
	cbd_doc_free(s);
	return text;
}

/* ---- summary --------------------------------------------------------------- */

static const cJSON *
model_of(const cJSON *root, const char *name)
{
	const cJSON *m;

	cJSON_ArrayForEach(m, cJSON_GetObjectItem(root, "models"))
	if (streq(cJSON_GetObjectItem(m, "model")->valuestring, name))
		return m;
	return NULL;
}

static const cJSON *
model(const struct cbd_doc *s, const char *name)
{
	return model_of(s->root, name);
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

/* ---- many files, threads --------------------------------------------------- */

static const cJSON *
skipped_reason(const cJSON *root, const char *base)
{
	const cJSON *x;

	cJSON_ArrayForEach(x, cJSON_GetObjectItem(root, "skipped"))
	{
		const char *p = cJSON_GetObjectItem(x, "path")->valuestring;

		if (strlen(p) >= strlen(base) && streq(p + strlen(p) - strlen(base), base))
			return cJSON_GetObjectItem(x, "reason");
	}
	return NULL;
}

static void
test_summary_many_files(void **state)
{
	enum { REPORTS = 600, DEVICES = 150 };
	static const char *const models[] = {"Bobba", "Krane", "Drawcia"};
	char **paths = cbd_zalloc((REPORTS + 64) * sizeof(*paths));
	const char **rev = cbd_zalloc((REPORTS + 64) * sizeof(*rev));
	size_t n = 0, fails = 0;
	char *a, *b;
	cJSON *root;

	for (int i = 0; i < REPORTS; i++) {
		char name[64], serial[32], when[32];
		int dev = i % DEVICES, visit = i / DEVICES;
		bool bad = visit == 3 && dev % 5 == 0; /* the latest visit of every 5th device fails */

		snprintf(name, sizeof(name), "r%04d.json", i);
		snprintf(serial, sizeof(serial), "SER%03d", dev);
		snprintf(when, sizeof(when), "2026-0%d-%02dT09:00:00Z", visit + 1, dev % 28 + 1);
		fails += bad;
		write_json(name, report(serial, models[dev % 3], when, 50 + dev % 50,
					bad ? "fail" : "pass", "pass"));
		paths[n++] = cbd_strdupf("%s/%s", dir, name);
		if (i % 60 == 0) { /* interleaved: what a shared folder holds besides reports */
			snprintf(name, sizeof(name), "empty%04d.json", i);
			write_text(name, "");
			paths[n++] = cbd_strdupf("%s/%s", dir, name);
			snprintf(name, sizeof(name), "trunc%04d.json", i);
			write_text(name, "{\"schema_version\": 1,");
			paths[n++] = cbd_strdupf("%s/%s", dir, name);
			snprintf(name, sizeof(name), "other%04d.json", i);
			write_text(name, "{\"schema_version\": 1}\n");
			paths[n++] = cbd_strdupf("%s/%s", dir, name);
			snprintf(name, sizeof(name), "gone%04d.json", i);
			paths[n++] = cbd_strdupf("%s/%s", dir, name);
		}
	}
	paths[n++] = cbd_strdupf("%s", dir); /* a directory */
	for (size_t i = 0; i < n; i++)
		rev[i] = paths[n - 1 - i];

	a = summary_json((const char *const *)paths, n);
	b = summary_json(rev, n); /* another order, other threads first: the same answer */
	assert_string_equal(a, b);
	root = cJSON_Parse(a);
	assert_int_equal(num(root, "reports"), REPORTS);
	assert_int_equal(num(root, "devices"), DEVICES);
	assert_int_equal(num(root, "skipped_files"), 41);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(root, "still_failing")), fails);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(root, "skipped")), 41);
	assert_non_null(strstr(skipped_reason(root, "empty0000.json")->valuestring, "empty"));
	assert_non_null(strstr(skipped_reason(root, "trunc0060.json")->valuestring, "not valid JSON"));
	assert_non_null(strstr(skipped_reason(root, "other0120.json")->valuestring, "is missing"));
	assert_non_null(strstr(skipped_reason(root, "gone0180.json")->valuestring, "cannot open"));
	assert_string_equal(skipped_reason(root, dir + 4)->valuestring, "a directory, not a report file");
	/* per model: 50 devices each, history of all 600 reports per probe */
	assert_int_equal(num(model_of(root, "Krane"), "devices"), 50);
	assert_int_equal(num(cJSON_GetArrayItem(cJSON_GetObjectItem(root, "probes"), 0), "reports"),
			 REPORTS);
	cJSON_Delete(root);
	free(a);
	free(b);
	for (size_t i = 0; i < n; i++) {
		if (!streq(paths[i], dir))
			unlink(paths[i]);
		free(paths[i]);
	}
	free(paths);
	free(rev);
}

/* ---- the reader fed while the folders are walked ------------------------------ */

struct progress_seen {
	size_t calls, done, found;
	bool backwards;
};

static void
on_progress(size_t done, size_t found, void *userdata)
{
	struct progress_seen *p = userdata;

	p->backwards |= done < p->done || found < p->found || done > found;
	p->calls++;
	p->done = done;
	p->found = found;
}

/* More paths than the reader's queue holds (the walker waits for it), the
 * same few files many times over; the repeat visitor's first failure is the
 * earliest visit by (started_at, path) whatever order the files come in, with
 * the model of that visit, and the current state is the latest visit. */
static void
test_summary_reader(void **state)
{
	enum { ROUNDS = 700 };
	static const char *const names[] = {"v1.json", "v2.json", "v2b.json", "v3.json"};
	char *paths[4];
	struct progress_seen seen = {0};
	struct cbd_fleet *f = cbd_fleet_new(80, 60);
	struct cbd_fleet_reader *r;
	struct cbd_doc *s;
	const cJSON *rv, *sf, *x;

	/* X: keyboard fails as a Bobba, then twice at the same time as a Krane
	 * (files v2 and v2b), then passes */
	write_json("v1.json", report("X", "Bobba", "2026-01-01T09:00:00Z", 90, "pass", "fail"));
	write_json("v2.json", report("X", "Krane", "2026-02-01T09:00:00Z", 90, "pass", "fail"));
	write_json("v2b.json", report("X", "Krane", "2026-02-01T09:00:00Z", 55, "fail", "fail"));
	write_json("v3.json", report("X", "Krane", "2026-03-01T09:00:00Z", 90, "pass", "pass"));
	for (size_t i = 0; i < 4; i++)
		paths[i] = cbd_strdupf("%s/%s", dir, names[i]);
	r = cbd_fleet_reader_new(f, on_progress, &seen);
	for (size_t k = 0; k < ROUNDS; k++)
		for (size_t i = 0; i < 4; i++) /* newest first every other round */
			cbd_fleet_reader_add(r, paths[k % 2 ? 3 - i : i]);
	cbd_fleet_reader_finish(r);
	s = cbd_fleet_result(f);
	cbd_fleet_free(f);

	assert_false(seen.backwards);
	assert_true(seen.calls >= 1);
	assert_int_equal(seen.done, 4 * ROUNDS);
	assert_int_equal(seen.found, 4 * ROUNDS);
	assert_int_equal(num(s->root, "reports"), 4 * ROUNDS);
	assert_int_equal(num(s->root, "devices"), 1);
	/* each file counts every time it is given: the keyboard failed first (in
	 * v1), the battery (in v2b only, ROUNDS times) after it */
	rv = cJSON_GetObjectItem(s->root, "repeat_visitors");
	assert_int_equal(cJSON_GetArraySize(rv), 2);
	x = cJSON_GetArrayItem(rv, 1);
	assert_string_equal(cJSON_GetObjectItem(x, "probe")->valuestring, "battery");
	assert_string_equal(cJSON_GetObjectItem(x, "model")->valuestring, "Krane");
	assert_string_equal(cJSON_GetObjectItem(x, "first")->valuestring, "2026-02-01T09:00:00Z");
	assert_int_equal(num(x, "failed_reports"), ROUNDS);
	rv = cJSON_GetArrayItem(rv, 0);
	assert_string_equal(cJSON_GetObjectItem(rv, "probe")->valuestring, "keyboard");
	assert_string_equal(cJSON_GetObjectItem(rv, "model")->valuestring, "Bobba");
	assert_string_equal(cJSON_GetObjectItem(rv, "first")->valuestring, "2026-01-01T09:00:00Z");
	assert_string_equal(cJSON_GetObjectItem(rv, "last")->valuestring, "2026-02-01T09:00:00Z");
	assert_int_equal(num(rv, "failed_reports"), 3 * ROUNDS);
	/* the latest visit passes: nothing still failing, X counted as a Krane */
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(s->root, "still_failing")), 0);
	assert_int_equal(num(model(s, "Krane"), "devices"), 1);
	assert_null(model(s, "Bobba"));
	/* Bobba's history still has its keyboard failures, Krane's its battery */
	sf = cJSON_GetArrayItem(cJSON_GetObjectItem(model(s, "Krane"), "top_failures"), 0);
	assert_string_equal(cJSON_GetObjectItem(sf, "code")->valuestring, "keyboard.untested_keys");
	assert_int_equal(num(sf, "reports"), 2 * ROUNDS);
	cbd_doc_free(s);

	/* without v3, the latest is v2b (the same time as v2, the later path):
	 * still failing, battery and keyboard */
	f = cbd_fleet_new(80, 60);
	cbd_fleet_add_files(f, (const char *const[]){paths[2], paths[1], paths[0]}, 3);
	s = cbd_fleet_result(f);
	cbd_fleet_free(f);
	sf = cJSON_GetArrayItem(cJSON_GetObjectItem(s->root, "still_failing"), 0);
	assert_non_null(sf);
	assert_non_null(strstr(cJSON_GetObjectItem(sf, "path")->valuestring, "v2b.json"));
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(sf, "failed")), 2);
	cbd_doc_free(s);
	for (size_t i = 0; i < 4; i++) {
		unlink(paths[i]);
		free(paths[i]);
	}
}

/* ---- reports far past any real one -------------------------------------------- */

/* A valid report but for its size: @n_probes probes, the first with
 * @n_findings findings of distinct codes. */
static cJSON *
big_report(size_t n_probes, size_t n_findings, bool repeat_codes)
{
	cJSON *r = report("BIG", "Bobba", "2026-05-01T09:00:00Z", 70, "warn", "pass");
	cJSON *probes = cJSON_GetObjectItem(r, "probes");
	cJSON *bat = cJSON_GetObjectItem(probes, "battery");
	cJSON *findings = cJSON_GetObjectItem(bat, "findings");
	cJSON *model_finding = cJSON_DetachItemFromArray(findings, 0);

	for (size_t i = 0; i < n_findings; i++) {
		cJSON *f = cJSON_Duplicate(model_finding, true);
		char code[64];

		snprintf(code, sizeof(code), "battery.code_%zu", repeat_codes ? i % 100 : i);
		cJSON_ReplaceItemInObject(f, "code", cJSON_CreateString(code));
		cJSON_ReplaceItemInObject(f, "severity",
					  cJSON_CreateString(i == 150 ? "fail" : i % 2 ? "info" : "warn"));
		cJSON_AddItemToArray(findings, f);
	}
	cJSON_Delete(model_finding);
	for (size_t i = cJSON_GetArraySize(probes); i < n_probes; i++) {
		char name[32];
		cJSON *p = cJSON_Duplicate(cJSON_GetObjectItem(probes, "keyboard"), true);

		snprintf(name, sizeof(name), "p%zu", i);
		cJSON_AddItemToObject(probes, name, p);
	}
	return r;
}

static void
test_summary_oversized_reports(void **state)
{
	const char *paths[4];
	cJSON *root;
	char *s;

	write_json("probes70k.json", big_report(70000, 0, false));
	write_json("codes70k.json", big_report(2, 70000, false));
	write_json("ok.json", report("OK", "Bobba", "2026-05-01T09:00:00Z", 90, "pass", "pass"));
	paths[0] = cbd_strdupf("%s/probes70k.json", dir);
	paths[1] = cbd_strdupf("%s/codes70k.json", dir);
	paths[2] = cbd_strdupf("%s/ok.json", dir);
	s = summary_json(paths, 3);
	root = cJSON_Parse(s);
	assert_int_equal(num(root, "reports"), 1);
	assert_int_equal(num(root, "skipped_files"), 2);
	assert_non_null(strstr(skipped_reason(root, "probes70k.json")->valuestring, "at most 64"));
	assert_non_null(strstr(skipped_reason(root, "codes70k.json")->valuestring, "at most 256"));
	cJSON_Delete(root);
	free(s);
	for (size_t i = 0; i < 3; i++) {
		unlink(paths[i]);
		free((char *)paths[i]);
	}
}

/* The largest report the schema allows: 64 probes, 256 findings in one; codes
 * repeat within the report and count once, with their worst severity. */
static void
test_summary_largest_report(void **state)
{
	const char *paths[2];
	const cJSON *top, *x;
	cJSON *root;
	char *s;

	write_json("max1.json", big_report(64, 256, true));
	write_json("max2.json", big_report(64, 256, true));
	paths[0] = cbd_strdupf("%s/max1.json", dir);
	paths[1] = cbd_strdupf("%s/max2.json", dir);
	s = summary_json(paths, 2);
	root = cJSON_Parse(s);
	assert_int_equal(num(root, "reports"), 2);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(root, "probes")), 64);
	top = cJSON_GetObjectItem(root, "top_findings");
	assert_int_equal(cJSON_GetArraySize(top), 20);
	cJSON_ArrayForEach(x, top) assert_int_equal(num(x, "reports"), 2);
	/* code_50: findings 50, 150 (fail), 250 -> fail in both reports */
	cJSON_ArrayForEach(x, top) if (streq(cJSON_GetObjectItem(x, "code")->valuestring,
					     "battery.code_50")) assert_int_equal(num(x, "fail"), 2);
	/* code_1: 1, 101, 201 all info */
	cJSON_ArrayForEach(x, top) if (streq(cJSON_GetObjectItem(x, "code")->valuestring,
					     "battery.code_1")) assert_int_equal(num(x, "info"), 2);
	cJSON_Delete(root);
	free(s);
	for (size_t i = 0; i < 2; i++) {
		unlink(paths[i]);
		free((char *)paths[i]);
	}
}


/* ---- the dashboard and CSV ------------------------------------------------- */

static __attribute__((noinline)) char *
render(const struct cbd_doc *s, void (*fn)(const struct cbd_doc *, FILE *))
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	assert_non_null(out);
	fn(s, out);
	fclose(out);
	return text;
}

static bool
has(const char *html, const char *fmt, ...)
{
	va_list ap;
	char *want;
	bool r;

	va_start(ap, fmt);
	assert_true(vasprintf(&want, fmt, ap) >= 0);
	va_end(ap);
	r = strstr(html, want) != NULL;
	if (!r)
		print_error("not in the page: %s\n", want);
	free(want);
	return r;
}

/* Every number the charts draw is the document's (what --json prints). */
static void
test_dashboard_numbers(void **state)
{
	static const char *const names[] = {"h1.json", "h2.json", "h3.json", "h4.json", "h5.json"};
	const char *paths[5];
	struct cbd_fleet *f = cbd_fleet_new(80, 60);
	struct cbd_doc *s;
	const cJSON *x;
	char *html, *csv;

	write_json("h1.json", report("A", "Bobba", "2026-01-10T09:00:00Z", 72, "warn", "fail"));
	write_json("h2.json", report("A", "Bobba", "2026-03-10T09:00:00Z", 55, "fail", "fail"));
	write_json("h3.json", report("B", "Bobba", "2026-03-11T09:00:00Z", 99, "pass", "pass"));
	write_json("h4.json", report("C", "Krane", "2026-03-12T09:00:00Z", 85, "pass", "pass"));
	write_json("h5.json", report("D", "Krane", "2026-04-01T09:00:00Z", 100, "pass", "fail"));
	for (size_t i = 0; i < 5; i++)
		paths[i] = cbd_strdupf("%s/%s", dir, names[i]);
	cbd_fleet_list_devices(f);
	cbd_fleet_add_files(f, paths, 5);
	s = cbd_fleet_result(f);
	cbd_fleet_free(f);
	html = render(s, cbd_fleet_render_html);

	/* the document itself: per-model and per-month rates, histograms */
	x = model_of(s->root, "Bobba");
	assert_int_equal(num(x, "reports"), 3);
	assert_int_equal(num(x, "failed_reports"), 2);
	x = cJSON_GetArrayItem(cJSON_GetObjectItem(s->root, "months"), 1);
	assert_string_equal(cJSON_GetObjectItem(x, "month")->valuestring, "2026-03");
	assert_int_equal(num(x, "reports"), 3);
	assert_int_equal(num(x, "failed_reports"), 1);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(s->root, "device_list")), 4);

	cJSON_ArrayForEach(x, cJSON_GetObjectItem(s->root, "probes"))
		assert_true(has(html, "data-chart=\"parts\" data-label=\"%s\" data-value=\"%.1f\"",
				cJSON_GetObjectItem(x, "name")->valuestring, num(x, "fail_percent")));
	cJSON_ArrayForEach(x, cJSON_GetObjectItem(s->root, "models"))
	{
		const cJSON *bh = cJSON_GetObjectItem(x, "battery_health"), *bin;
		const char *p;

		assert_true(has(html, "data-chart=\"models\" data-label=\"%s\" data-value=\"%.1f\"",
				cJSON_GetObjectItem(x, "model")->valuestring, num(x, "fail_percent")));
		/* the histogram's ten bars, in order, after the model's chart */
		{
			char *want = cbd_strdupf("data-chart=\"battery\" data-label=\"%s\"",
						 cJSON_GetObjectItem(x, "model")->valuestring);

			p = strstr(html, want);
			free(want);
		}
		assert_non_null(p);
		cJSON_ArrayForEach(bin, cJSON_GetObjectItem(bh, "histogram"))
		{
			char want[64];

			p = strstr(p + 1, "<rect ");
			assert_non_null(p);
			snprintf(want, sizeof(want), "data-value=\"%.0f\"", bin->valuedouble);
			assert_true(strncmp(strstr(p, "data-value="), want, strlen(want)) == 0);
		}
	}
	cJSON_ArrayForEach(x, cJSON_GetObjectItem(s->root, "months"))
		assert_true(has(html, "data-label=\"%s\" data-value=\"%.0f\" data-reports=\"%.0f\"",
				cJSON_GetObjectItem(x, "month")->valuestring,
				num(x, "failed_reports"), num(x, "reports")));
	/* Krane: 85 and 100 -> bins 8 and 9; Bobba: 55 (A's latest), 99 */
	x = cJSON_GetObjectItem(model_of(s->root, "Krane"), "battery_health");
	assert_int_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(x, "histogram"), 8)->valueint, 1);
	assert_int_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(x, "histogram"), 9)->valueint, 1);
	/* repeat visitors: A's keyboard, once */
	assert_true(has(html, "data-chart=\"repeats\" data-label=\"keyboard\" data-value=\"1.0\""));
	/* the thresholds drawn */
	assert_true(has(html, "data-warn=\"80.0\" data-fail=\"60.0\""));
	assert_true(has(html, ">warn 80</text>"));

	csv = render(s, cbd_fleet_render_csv);
	assert_true(has(csv, "\"A\",\"Bobba\",\"2026-03-10T09:00:00Z\",\"fail\",\"battery keyboard\","
			     "55,2,\"%s/h2.json\"\r\n",
			dir));
	free(csv);
	/* one row per finding of each device's latest report */
	csv = render(s, cbd_fleet_render_csv_findings);
	assert_true(has(csv, "\"A\",\"Bobba\",\"2026-03-10T09:00:00Z\",\"battery\","
			     "\"battery.health_low\",\"fail\",\"%s/h2.json\"\r\n",
			dir));
	assert_null(strstr(csv, "h1.json")); /* not the latest of A */
	assert_null(strstr(csv, "h3.json")); /* B passes: no findings */
	free(csv);
	free(html);
	cbd_doc_free(s);
	for (size_t i = 0; i < 5; i++) {
		unlink(paths[i]);
		free((char *)paths[i]);
	}
}

/* A summary whose every string is hostile: each is escaped for where it
 * lands (HTML text, an attribute, SVG text, an href, a CSV cell). */
static const char hostile_summary[] =
	"{\"reports\":3,\"devices\":3,\"skipped_files\":1,"
	"\"probes\":[{\"name\":\"<svg onload=alert(1)>\",\"reports\":3,\"fail\":1,"
	"\"fail_percent\":33.3}],"
	"\"models\":[{\"model\":\"\\\"><script>alert(1)</script>\",\"devices\":3,"
	"\"reports\":3,\"failed_reports\":1,\"fail_percent\":33.3,"
	"\"battery_health\":{\"devices_with_health\":1,\"median\":50,"
	"\"histogram\":[0,0,0,0,0,1,0,0,0,0],\"warn_line\":80,\"fail_line\":60}}],"
	"\"still_failing\":[{\"device\":\"=HYPERLINK(\\\"http://x\\\")\",\"model\":\"m\","
	"\"started_at\":\"t\",\"path\":\"\\\"><img src=x onerror=alert(1)>.json\","
	"\"failed\":[\"</td><script>\"]}],"
	"\"repeat_visitors\":[{\"device\":\"'><b>\",\"model\":\"m\",\"probe\":\"<i>\","
	"\"failed_reports\":2,\"first\":\"a\",\"last\":\"b\"}],"
	"\"months\":[{\"month\":\"</text><script>\",\"reports\":3,\"failed_reports\":1}],"
	"\"device_list\":["
	"{\"device\":\"+1+cmd|' /C calc'!A0\",\"model\":\"@SUM(1)\",\"started_at\":\"-2\","
	"\"overall\":\"fail\\\" onmouseover=\\\"x\",\"reports\":1,\"failed\":[\"\\tboom\"],"
	"\"battery_health\":50,\"path\":\"javascript:alert(1)\","
	"\"findings\":[{\"probe\":\"-p\",\"code\":\"=1+2\",\"severity\":\"@\"}]},"
	"{\"device\":\"a\\\"b,c\\r\\nd\",\"model\":\"m\",\"started_at\":\"t\",\"overall\":\"pass\","
	"\"reports\":1,\"failed\":[],\"battery_health\":null,\"path\":\"/abs/olute.json\"},"
	"{\"device\":\"x\",\"model\":\"m\",\"started_at\":\"t\",\"overall\":\"pass\","
	"\"reports\":1,\"failed\":[],\"battery_health\":null,\"path\":\"//evil.example/x\"}],"
	"\"skipped\":[{\"path\":\"<plaintext>\",\"reason\":\"&amp;\"}]}";

static void
test_dashboard_hostile(void **state)
{
	struct cbd_doc *s = cbd_zalloc(sizeof(*s));
	char *html, *csv;
	size_t links = 0;

	s->root = cJSON_Parse(hostile_summary);
	assert_non_null(s->root);
	html = render(s, cbd_fleet_render_html);
	/* no markup from a string: the page's own tags only */
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "<img"));
	assert_null(strstr(html, "<svg onload"));
	assert_null(strstr(html, "<plaintext"));
	assert_null(strstr(html, "<b>"));
	assert_null(strstr(html, "<i>"));
	assert_null(strstr(html, "onmouseover=\""));
	assert_true(has(html, "<title>&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;: 33.3%%"));
	assert_true(has(html, "data-label=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\""));
	assert_true(has(html, "&lt;/text&gt;&lt;script&gt;"));
	assert_true(has(html, "&amp;amp;"));
	/* a status word becomes a class only when it is one */
	assert_true(has(html, "class=\"st st-skip\">skip<"));
	/* links: relative paths only, percent-encoded; an absolute one is text */
	assert_true(has(html, "<a href=\"./%%22%%3E%%3Cimg%%20src%%3Dx%%20onerror%%3Dalert%%281%%29%%3E.json\">"));
	assert_true(has(html, "<a href=\"./javascript%%3Aalert%%281%%29\">"));
	assert_null(strstr(html, "evil.example/x\""));
	assert_null(strstr(html, "href=\"/abs"));
	assert_null(strstr(html, "href=\"./abs"));
	for (const char *p = html; (p = strstr(p, "<a ")); p++)
		links++;
	assert_int_equal(links, 2);
	for (const char *p = html; (p = strstr(p, "href=")); p++)
		assert_true(strncmp(p, "href=\"./", 8) == 0);

	csv = render(s, cbd_fleet_render_csv);
	assert_string_equal(
		csv, "device,model,latest_report_at,overall,failed_parts,battery_health,reports,"
		     "latest_report\r\n"
		     "\"'+1+cmd|' /C calc'!A0\",\"'@SUM(1)\",\"'-2\",\"fail\"\" onmouseover=\"\"x\","
		     "\"'\tboom\",50,1,\"javascript:alert(1)\"\r\n"
		     "\"a\"\"b,c\r\nd\",\"m\",\"t\",\"pass\",\"\",,1,\"/abs/olute.json\"\r\n"
		     "\"x\",\"m\",\"t\",\"pass\",\"\",,1,\"//evil.example/x\"\r\n");
	free(csv);
	csv = render(s, cbd_fleet_render_csv_findings);
	assert_string_equal(csv, "device,model,latest_report_at,probe,code,severity,latest_report\r\n"
				 "\"'+1+cmd|' /C calc'!A0\",\"'@SUM(1)\",\"'-2\",\"'-p\",\"'=1+2\","
				 "\"'@\",\"javascript:alert(1)\"\r\n");
	free(csv);
	free(html);
	cbd_doc_free(s);
}

/* One cell: quoted, quotes doubled, each formula sign defused (and only those). */
static void
test_csv_cell(void **state)
{
	static const char *const cases[][2] = {
		{"=1+1", "\"'=1+1\""},   {"+1", "\"'+1\""},    {"-1", "\"'-1\""},
		{"@x", "\"'@x\""},       {"\tx", "\"'\tx\""},  {"\rx", "\"'\rx\""},
		{"a=b", "\"a=b\""},      {"a\"b", "\"a\"\"b\""}, {"", "\"\""},
		{"1,2\n3", "\"1,2\n3\""}, {"'x", "\"'x\""},    {"\"=x", "\"\"\"=x\""},
	};

	for (size_t i = 0; i < CBD_ARRAY_SIZE(cases); i++) {
		char *text = NULL;
		size_t len = 0;
		FILE *out = open_memstream(&text, &len);

		cbd_csv_cell(out, cases[i][0]);
		fclose(out);
		assert_string_equal(text, cases[i][1]);
		free(text);
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
		cmocka_unit_test(test_summary),
		cmocka_unit_test(test_summary_many_files),
		cmocka_unit_test(test_summary_reader),
		cmocka_unit_test(test_summary_oversized_reports),
		cmocka_unit_test(test_summary_largest_report),
		cmocka_unit_test(test_dashboard_numbers),
		cmocka_unit_test(test_dashboard_hostile),
		cmocka_unit_test(test_csv_cell),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
