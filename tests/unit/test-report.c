/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The report model: ids, overall, result round trip, validation, parsing,
 * atomic writing and the text rendering. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "doc-json.h"

static char tmpdir[] = "/tmp/cbd-test-report-XXXXXX";

static struct cbd_result *
make_result(enum cbd_status s, const char *summary)
{
	struct cbd_result *r = cbd_result_new();
	struct cbd_json *arr, *o;

	cbd_result_set(r, s, "%s", summary);
	arr = cbd_json_add_array(r->data, "batteries");
	o = cbd_json_add_object(arr, NULL);
	cbd_json_add_str(o, "name", "BAT0");
	cbd_json_add_double(o, "health_percent", 52.5);
	cbd_json_add_null(o, "cycle_count");
	cbd_json_add_bool(o, "present", true);
	if (s == CBD_STATUS_FAIL)
		cbd_result_add_finding(r, "battery.health_low", CBD_SEVERITY_FAIL, false,
				       "Replace the battery", "Battery holds %d%% of its design capacity",
				       52);
	return r;
}

/* A report of five probes with the given statuses. */
static struct cbd_doc *
make_doc(const enum cbd_status *st, size_t n)
{
	static const char *names[] = {"battery", "keyboard", "display", "storage", "usb"};
	struct cbd_report rep = {0};
	struct cbd_doc *doc;

	assert_int_equal(cbd_uuid4(rep.report_id), 0);
	rep.started_at = 1795907481; /* 2026-11-28T23:11:21Z */
	rep.finished_at = rep.started_at + 1;
	rep.duration_ms = 812;
	rep.ticket = cbd_strdup("20500");
	rep.device.serial = cbd_strdup("5CD1234XYZ");
	rep.device.vendor = cbd_strdup("Google");
	rep.device.form_factor = CBD_FORM_LAPTOP;
	rep.n_probes = n;
	rep.probes = cbd_realloc_array(NULL, n, sizeof(*rep.probes));
	for (size_t i = 0; i < n; i++) {
		rep.probes[i].name = names[i];
		rep.probes[i].result = make_result(st[i], "a summary");
	}
	doc = cbd_report_to_doc(&rep);
	cbd_report_clear(&rep);
	return doc;
}

static struct cbd_doc *
make_good_doc(void)
{
	static const enum cbd_status st[] = {CBD_STATUS_FAIL, CBD_STATUS_PASS, CBD_STATUS_WARN,
					     CBD_STATUS_SKIP, CBD_STATUS_ERROR};
	return make_doc(st, 5);
}

static void
test_uuid4(void **state)
{
	char a[37], b[37];

	assert_int_equal(cbd_uuid4(a), 0);
	assert_int_equal(cbd_uuid4(b), 0);
	assert_int_equal(strlen(a), 36);
	assert_int_equal(a[14], '4');
	assert_non_null(strchr("89ab", a[19]));
	assert_int_equal(a[8], '-');
	assert_int_equal(a[23], '-');
	assert_string_not_equal(a, b);
}

static void
test_overall(void **state)
{
	enum cbd_status s1[] = {CBD_STATUS_PASS, CBD_STATUS_SKIP};
	enum cbd_status s2[] = {CBD_STATUS_WARN, CBD_STATUS_ERROR, CBD_STATUS_PASS};
	enum cbd_status s3[] = {CBD_STATUS_ERROR, CBD_STATUS_FAIL, CBD_STATUS_WARN};
	enum cbd_status s4[] = {CBD_STATUS_SKIP, CBD_STATUS_SKIP};
	enum cbd_status s5[] = {CBD_STATUS_SKIP, CBD_STATUS_WARN};

	assert_int_equal(cbd_overall(s1, 2), CBD_STATUS_PASS);
	assert_int_equal(cbd_overall(s2, 3), CBD_STATUS_ERROR);
	assert_int_equal(cbd_overall(s3, 3), CBD_STATUS_FAIL);
	assert_int_equal(cbd_overall(s4, 2), CBD_STATUS_PASS);
	assert_int_equal(cbd_overall(s5, 2), CBD_STATUS_WARN);
	assert_int_equal(cbd_overall(NULL, 0), CBD_STATUS_PASS);
}

static void
test_result_round_trip(void **state)
{
	struct cbd_result *r = make_result(CBD_STATUS_FAIL, "Battery worn: 52%"), *back = NULL;
	char *a, *b;

	r->duration_ms = 17;
	a = cbd_result_serialize(r);
	assert_int_equal(cbd_result_deserialize(a, strlen(a), &back), 0);
	assert_int_equal(back->status, CBD_STATUS_FAIL);
	assert_int_equal(back->duration_ms, 17);
	assert_string_equal(back->summary, "Battery worn: 52%");
	assert_int_equal(back->n_findings, 1);
	assert_string_equal(back->findings[0].code, "battery.health_low");
	assert_int_equal(back->findings[0].severity, CBD_SEVERITY_FAIL);
	assert_string_equal(back->findings[0].action, "Replace the battery");
	b = cbd_result_serialize(back);
	assert_string_equal(a, b);
	assert_non_null(strstr(a, "\"health_percent\":52.5"));
	assert_non_null(strstr(a, "\"cycle_count\":null"));

	assert_int_equal(cbd_result_deserialize("{", 1, &back), -EINVAL);
	assert_int_equal(cbd_result_deserialize("{\"status\":\"great\"}", 18, &back), -EINVAL);
	free(a);
	free(b);
	cbd_result_free(r);
	cbd_result_free(back);
}

static void
test_worst_finding(void **state)
{
	struct cbd_result *r = cbd_result_new();

	assert_int_equal(cbd_result_worst_finding(r), CBD_STATUS_PASS);
	cbd_result_add_finding(r, "x.info", CBD_SEVERITY_INFO, false, NULL, "fyi");
	assert_int_equal(cbd_result_worst_finding(r), CBD_STATUS_PASS);
	cbd_result_add_finding(r, "x.warn", CBD_SEVERITY_WARN, false, NULL, "hm");
	assert_int_equal(cbd_result_worst_finding(r), CBD_STATUS_WARN);
	cbd_result_add_finding(r, "x.fail", CBD_SEVERITY_FAIL, false, NULL, "bad");
	assert_int_equal(cbd_result_worst_finding(r), CBD_STATUS_FAIL);
	cbd_result_free(r);
}

static void
test_built_doc_is_valid(void **state)
{
	struct cbd_doc *doc = make_good_doc();
	cJSON *counts = cJSON_GetObjectItem(doc->root, "counts");
	_cleanup_free_ char *err = NULL;

	assert_int_equal(cbd_doc_validate(doc, &err), 0);
	assert_string_equal(cJSON_GetObjectItem(doc->root, "overall")->valuestring, "fail");
	assert_int_equal(cJSON_GetObjectItem(counts, "fail")->valueint, 1);
	assert_int_equal(cJSON_GetObjectItem(counts, "skip")->valueint, 1);
	assert_int_equal(cJSON_GetObjectItem(counts, "error")->valueint, 1);
	assert_int_equal(cbd_doc_exit_code(doc), 1);
	assert_string_equal(cJSON_GetObjectItem(doc->root, "started_at")->valuestring,
			    "2026-11-28T23:11:21Z");
	assert_string_equal(cbd_doc_device_serial(doc), "5CD1234XYZ");
	cbd_doc_free(doc);
}

static void
test_exit_codes(void **state)
{
	enum cbd_status all_ok[] = {CBD_STATUS_PASS, CBD_STATUS_WARN, CBD_STATUS_SKIP};
	enum cbd_status err_only[] = {CBD_STATUS_PASS, CBD_STATUS_ERROR};
	struct cbd_doc *d;

	d = make_doc(all_ok, 3);
	assert_int_equal(cbd_doc_exit_code(d), 0);
	cbd_doc_free(d);
	d = make_doc(err_only, 2);
	assert_int_equal(cbd_doc_exit_code(d), 3);
	cbd_doc_free(d);
}

/* Apply @mutate to a good document; the validator must reject it naming @where. */
static void
expect_invalid(void (*mutate)(cJSON *root), const char *where, int want)
{
	struct cbd_doc *doc = make_good_doc();
	_cleanup_free_ char *err = NULL;

	mutate(doc->root);
	assert_int_equal(cbd_doc_validate(doc, &err), want);
	if (!err || !strstr(err, where))
		fail_msg("message '%s' does not name '%s'", err, where);
	cbd_doc_free(doc);
}

static void
m_drop_device(cJSON *root)
{
	cJSON_DeleteItemFromObject(root, "device");
}
static void
m_bad_status(cJSON *root)
{
	cJSON *b = cJSON_GetObjectItem(cJSON_GetObjectItem(root, "probes"), "battery");

	cJSON_ReplaceItemInObject(b, "status", cJSON_CreateString("great"));
}
static void
m_newer(cJSON *root)
{
	cJSON_ReplaceItemInObject(root, "schema_version", cJSON_CreateNumber(2));
}
static void
m_version_string(cJSON *root)
{
	cJSON_ReplaceItemInObject(root, "schema_version", cJSON_CreateString("1"));
}
static void
m_bad_uuid(cJSON *root)
{
	cJSON_ReplaceItemInObject(root, "report_id",
				  cJSON_CreateString("8c1e0000-0000-1000-8000-000000000000"));
}
static void
m_bad_code(cJSON *root)
{
	cJSON *b = cJSON_GetObjectItem(cJSON_GetObjectItem(root, "probes"), "battery");
	cJSON *f = cJSON_GetArrayItem(cJSON_GetObjectItem(b, "findings"), 0);

	cJSON_ReplaceItemInObject(f, "code", cJSON_CreateString("Battery Health"));
}
static void
m_negative_duration(cJSON *root)
{
	cJSON_ReplaceItemInObject(root, "duration_ms", cJSON_CreateNumber(-1));
}
static void
m_fractional_count(cJSON *root)
{
	cJSON_ReplaceItemInObject(cJSON_GetObjectItem(root, "counts"), "pass",
				  cJSON_CreateNumber(1.5));
}
static void
m_extra_count(cJSON *root)
{
	cJSON_AddNumberToObject(cJSON_GetObjectItem(root, "counts"), "maybe", 1);
}
static void
m_bad_time(cJSON *root)
{
	cJSON_ReplaceItemInObject(root, "started_at", cJSON_CreateString("yesterday"));
}
static void
m_not_object(cJSON *root)
{
	cJSON_ReplaceItemInObject(root, "probes", cJSON_CreateArray());
}
static void
m_data_missing(cJSON *root)
{
	cJSON *b = cJSON_GetObjectItem(cJSON_GetObjectItem(root, "probes"), "usb");

	cJSON_DeleteItemFromObject(b, "data");
}

static void
test_validate_rejects(void **state)
{
	expect_invalid(m_drop_device, "the field \"device\" is missing", -EINVAL);
	expect_invalid(m_bad_status, "/probes/battery/status", -EINVAL);
	expect_invalid(m_newer, "newer than this cbdiag understands", -EPROTONOSUPPORT);
	expect_invalid(m_version_string, "/schema_version", -EINVAL);
	expect_invalid(m_bad_uuid, "/report_id", -EINVAL);
	expect_invalid(m_bad_code, "/probes/battery/findings/0/code", -EINVAL);
	expect_invalid(m_negative_duration, "/duration_ms: must be at least 0", -EINVAL);
	expect_invalid(m_fractional_count, "/counts/pass", -EINVAL);
	expect_invalid(m_extra_count, "/counts/maybe: unexpected field", -EINVAL);
	expect_invalid(m_bad_time, "/started_at", -EINVAL);
	expect_invalid(m_not_object, "/probes: must be of type", -EINVAL);
	expect_invalid(m_data_missing, "\"data\" is missing", -EINVAL);
}

static void
expect_parse(const char *text, size_t len, int want, const char *msg)
{
	struct cbd_doc *doc = NULL;
	_cleanup_free_ char *err = NULL;
	int r = cbd_doc_parse(text, len, &doc, &err);

	assert_int_equal(r, want);
	if (r == 0)
		cbd_doc_free(doc);
	else if (!err || !strstr(err, msg))
		fail_msg("message '%s' does not contain '%s'", err, msg);
}

static void
test_parse(void **state)
{
	expect_parse("", 0, -ENODATA, "empty");
	expect_parse("hello", 5, -EINVAL, "not valid JSON");
	expect_parse("{\n\"a\": 1,\n\"b\": }", 16, -EINVAL, "line 3");
	expect_parse("{} {}", 5, -EINVAL, "after the end");
	expect_parse("{\"a\":\"\xff\"}", 9, -EINVAL, "UTF-8");
	expect_parse("{\"a\":\"\x01\"}", 9, -EINVAL, "control character");
	expect_parse("{\"a\":\"caf\xc3\xa9\"}\n", 13, 0, "");
	expect_parse("[1,2]", 5, 0, ""); /* JSON, wrong shape: validation rejects it */
}

/* The text check reads eight bytes at a time: what it finds, and the byte
 * it names, must not depend on where a byte falls in a word. */
static void
test_text_check_words(void **state)
{
	static const char *const seqs[] = {"\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x94\x8b"};
	char buf[64], want[64];
	char *err = NULL;

	for (size_t at = 0; at < 40; at++) {
		/* a control character at @at, after plain ASCII */
		memset(buf, 'a', sizeof(buf));
		buf[at] = '\x1b';
		assert_int_equal(cbd_report_text_check(buf, 48, &err), -EINVAL);
		snprintf(want, sizeof(want), "control character 0x1b at byte %zu)", at);
		assert_non_null(strstr(err, want));
		free(steal_ptr(&err));
		/* tab, LF and CR pass anywhere */
		buf[at] = "\t\n\r"[at % 3];
		assert_int_equal(cbd_report_text_check(buf, 48, &err), 0);
		/* a stray continuation byte, a lead byte cut short at the end */
		buf[at] = '\x80';
		assert_int_equal(cbd_report_text_check(buf, 48, &err), -EINVAL);
		assert_non_null(strstr(err, "UTF-8"));
		free(steal_ptr(&err));
		buf[at] = 'a';
		buf[at + 1] = '\xe2';
		assert_int_equal(cbd_report_text_check(buf, at + 2, &err), -EINVAL);
		assert_non_null(strstr(err, "UTF-8"));
		free(steal_ptr(&err));
		/* bad UTF-8 first and a control character after it: the control
		 * character is what is said, as before */
		buf[at + 1] = '\xff';
		buf[at + 20] = '\x01';
		assert_int_equal(cbd_report_text_check(buf, sizeof(buf), &err), -EINVAL);
		assert_non_null(strstr(err, "control character 0x01"));
		free(steal_ptr(&err));
		/* valid sequences across every word boundary */
		for (size_t k = 0; k < CBD_ARRAY_SIZE(seqs); k++) {
			memset(buf, 'a', sizeof(buf));
			memcpy(buf + at, seqs[k], strlen(seqs[k]));
			assert_int_equal(cbd_report_text_check(buf, 48, &err), 0);
			/* the same cut one byte short at the end of the text */
			assert_int_equal(cbd_report_text_check(buf, at + strlen(seqs[k]) - 1, &err),
					 -EINVAL);
			free(steal_ptr(&err));
		}
		/* overlong and surrogate forms stay invalid */
		memset(buf, 'a', sizeof(buf));
		memcpy(buf + at, "\xed\xa0\x80", 3);
		assert_int_equal(cbd_report_text_check(buf, 48, &err), -EINVAL);
		free(steal_ptr(&err));
		memset(buf, 'a', sizeof(buf));
		memcpy(buf + at, "\xc0\xaf", 2);
		assert_int_equal(cbd_report_text_check(buf, 48, &err), -EINVAL);
		free(steal_ptr(&err));
		/* DEL and bytes 0x20..0x7e pass */
		memset(buf, ' ', sizeof(buf));
		buf[at] = '\x7f';
		assert_int_equal(cbd_report_text_check(buf, 48, &err), 0);
	}
}

/* cbd_doc_print() writes what cbd_doc_to_string() returns, byte for byte:
 * nested objects and arrays, escapes, unsafe code points. */
static void
test_doc_print(void **state)
{
	static const char *const docs[] = {
		"{\"a\":1,\"b\":{\"c\":[1,{\"d\":\"x\\ny\"},[]],\"e\":{}},\"f\":\"\xe2\x80\xae" "evil\","
		"\"g\":[\"\\u0007\",null,true,2.5],\"\xe2\x80\xae\":\"k\"}",
		"{}",
		"[1,2]",
		"{\"only\":[]}",
		"{\"l\":[{\"a\":[{\"b\":1},[2,{}]],\"c\":\"\xe2\x80\xae\"},3,\"s\",[],{}],\"m\":[[1,[2]]]}",
	};

	for (size_t i = 0; i < CBD_ARRAY_SIZE(docs); i++) {
		struct cbd_doc *doc = NULL;
		_cleanup_free_ char *err = NULL, *want = NULL;
		char *got = NULL;
		size_t len = 0;
		FILE *out = open_memstream(&got, &len);

		assert_non_null(out);
		assert_int_equal(cbd_doc_parse(docs[i], strlen(docs[i]), &doc, &err), 0);
		want = cbd_doc_to_string(doc);
		assert_int_equal(cbd_doc_print(doc, out), 0);
		fclose(out);
		assert_string_equal(got, want);
		free(got);
		cbd_doc_free(doc);
	}
}

static void
test_load_limits(void **state)
{
	_cleanup_free_ char *big = cbd_strdupf("%s/big.json", tmpdir);
	_cleanup_free_ char *missing = cbd_strdupf("%s/missing.json", tmpdir);
	struct cbd_doc *doc = NULL;
	char *err = NULL;
	int fd;

	fd = open(big, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, 50 * 1024 * 1024), 0); /* sparse 50 MB */
	close(fd);
	assert_int_equal(cbd_doc_load(big, &doc, &err), -EFBIG);
	assert_non_null(strstr(err, "32 MiB"));
	free(steal_ptr(&err));
	assert_int_equal(cbd_doc_load(missing, &doc, &err), -ENOENT);
	free(steal_ptr(&err));
	assert_int_equal(cbd_doc_load(tmpdir, &doc, &err), -EISDIR);
	free(steal_ptr(&err));
	unlink(big);
}

static size_t
count_entries(const char *dir)
{
	_cleanup_free_ char *cmd = cbd_strdupf("ls -A %s | wc -l", dir);
	FILE *p = popen(cmd, "r");
	unsigned n = 0;

	assert_non_null(p);
	assert_int_equal(fscanf(p, "%u", &n), 1);
	pclose(p);
	return n;
}

static void
test_write_atomic(void **state)
{
	struct cbd_doc *doc = make_good_doc(), *back = NULL;
	_cleanup_free_ char *path = cbd_strdupf("%s/r.json", tmpdir);
	_cleanup_free_ char *bad = cbd_strdupf("%s/no/such/dir/r.json", tmpdir);
	char *err = NULL;
	_cleanup_free_ char *msg = NULL;

	assert_int_equal(cbd_doc_write_atomic(doc, path, &err), 0);
	assert_int_equal(cbd_doc_write_atomic(doc, path, &err), 0); /* replace */
	assert_int_equal(count_entries(tmpdir), 1);                 /* no temp files left */
	assert_int_equal(cbd_doc_load(path, &back, &msg), 0);
	assert_int_equal(cbd_doc_validate(back, &msg), 0);
	cbd_doc_free(back);

	assert_int_equal(cbd_doc_write_atomic(doc, bad, &err), -ENOENT);
	assert_non_null(strstr(err, bad));
	free(err);
	unlink(path);
	cbd_doc_free(doc);
}

static void
test_render_text(void **state)
{
	struct cbd_doc *doc = make_good_doc();
	cJSON *dev = cJSON_GetObjectItem(doc->root, "device");
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	/* a hostile string must not reach the terminal as an escape sequence */
	cJSON_ReplaceItemInObject(dev, "model", cJSON_CreateString("Evil\033[2JModel"));
	f = open_memstream(&text, &len);
	cbd_doc_render_text(doc, f, false);
	fclose(f);
	assert_non_null(strstr(text, "Google Evil?[2JModel"));
	assert_null(strchr(text, '\033'));
	assert_non_null(strstr(text, "Overall: FAIL"));
	assert_non_null(strstr(text, "  FAIL   battery   a summary"));
	assert_non_null(strstr(text, "Battery holds 52% of its design capacity"));
	assert_non_null(strstr(text, "next: Replace the battery"));
	assert_non_null(strstr(text, "serial 5CD1234XYZ"));
	assert_non_null(strstr(text, "Ticket:  20500"));
	free(text);

	f = open_memstream(&text, &len);
	cbd_doc_render_text(doc, f, true);
	fclose(f);
	assert_non_null(strstr(text, "\033[1;31mFAIL"));
	free(text);

	/* a step that already names staff is not followed by "(ask staff)" again */
	{
		cJSON *fi = cJSON_GetArrayItem(
			cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(doc->root, "probes"),
								"battery"),
					    "findings"),
			0);

		cJSON_ReplaceItemInObject(fi, "escalate", cJSON_CreateTrue());
		f = open_memstream(&text, &len);
		cbd_doc_render_text(doc, f, false);
		fclose(f);
		assert_non_null(strstr(text, "next: Replace the battery (ask staff)\n"));
		free(text);
		cJSON_ReplaceItemInObject(fi, "action",
					  cJSON_CreateString("Tell staff: replace the disk"));
		f = open_memstream(&text, &len);
		cbd_doc_render_text(doc, f, false);
		fclose(f);
		assert_non_null(strstr(text, "next: Tell staff: replace the disk\n"));
		assert_null(strstr(text, "(ask staff)"));
		assert_null(strstr(text, "(escalate to staff)"));
		free(text);
	}
	cbd_doc_free(doc);
}

/* the intern's last screen: words, width, paging, and hostile text kept in bounds */
static void
test_render_final(void **state)
{
	struct cbd_doc *doc = make_good_doc();
	cJSON *bat = cJSON_GetObjectItem(cJSON_GetObjectItem(doc->root, "probes"), "battery");
	char long_word[301], keys[] = "\n\n\n\n\n\n";
	struct cbd_final_screen o = {.cols = 40, .rows = 8, .saved_path = "/a/b/r.json",
				     .delivery = CBD_DELIVERY_QUEUED};
	char *text = NULL, *line, *save = NULL;
	size_t len = 0, n = 0;
	FILE *f;

	memset(long_word, 'x', 300);
	long_word[300] = '\0';
	cJSON_ReplaceItemInObject(bat, "summary", cJSON_CreateString(long_word));
	o.pager_in = fmemopen(keys, strlen(keys), "r");
	f = open_memstream(&text, &len);
	cbd_doc_render_final(doc, f, &o);
	fclose(f);
	fclose(o.pager_in);
	assert_non_null(strstr(text, "RESULT: NEEDS REPAIR"));
	assert_non_null(strstr(text, "REPAIR Battery: xxx"));
	assert_non_null(strstr(text, "Next: Replace the battery."));
	assert_non_null(strstr(text, "Report: saved as r.json"));
	assert_non_null(strstr(text, "Help desk: waiting;"));
	assert_non_null(strstr(text, "REPAIR: Battery"));
	assert_non_null(strstr(text, "-- press Enter for more --"));
	assert_null(strcasestr(text, "exit"));
	assert_null(strstr(text, "battery.health_low"));
	assert_null(strchr(text, '\033'));
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strlen(line) > 39 && !strstr(line, "press Enter"))
			fail_msg("%zu columns: \"%s\"", strlen(line), line);
		n++;
	}
	assert_true(n > 8); /* 300 x in 39 columns: paged */
	free(text);

	/* colour only when asked, and no pager: every line, no prompt */
	o = (struct cbd_final_screen){.colour = true};
	f = open_memstream(&text, &len);
	cbd_doc_render_final(doc, f, &o);
	fclose(f);
	assert_non_null(strstr(text, "\033[1;31mRESULT: NEEDS REPAIR"));
	assert_non_null(strstr(text, "Report: NOT saved"));
	assert_null(strstr(text, "press Enter"));
	free(text);
	cbd_doc_free(doc);
}

/* what identity could not read is in the report and its text */
static void
test_device_findings(void **state)
{
	struct cbd_report rep = {0};
	struct cbd_doc *doc;
	const cJSON *f;
	char *text = NULL, *err = NULL;
	size_t len = 0;
	FILE *out;

	assert_int_equal(cbd_uuid4(rep.report_id), 0);
	rep.started_at = rep.finished_at = 1795907481;
	rep.device.serial = cbd_strdup("DMI-1");
	cbd_findings_add(&rep.device.findings, &rep.device.n_findings, "device.no_hwid",
			 CBD_SEVERITY_WARN, false, NULL, "No HWID: <b>%s</b>", "chromeos_acpi");
	doc = cbd_report_to_doc(&rep);
	cbd_report_clear(&rep);
	assert_int_equal(cbd_doc_validate(doc, &err), 0);
	assert_string_equal(cJSON_GetObjectItem(doc->root, "overall")->valuestring, "pass");
	f = cJSON_GetArrayItem(
		cJSON_GetObjectItem(cJSON_GetObjectItem(doc->root, "device"), "findings"), 0);
	assert_string_equal(cJSON_GetObjectItem(f, "code")->valuestring, "device.no_hwid");
	assert_string_equal(cJSON_GetObjectItem(f, "severity")->valuestring, "warn");
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(f, "action")));

	out = open_memstream(&text, &len);
	cbd_doc_render_text(doc, out, false);
	fclose(out);
	/* the intern's text has no codes; the staff's (--details) has them */
	assert_non_null(strstr(text, "Note:    No HWID: <b>chromeos_acpi</b>\n"));
	assert_null(strstr(text, "[device.no_hwid]"));
	free(text);
	out = open_memstream(&text, &len);
	cbd_doc_render_text_details(doc, out, false, true);
	fclose(out);
	assert_non_null(strstr(text, "Note:    No HWID: <b>chromeos_acpi</b> [device.no_hwid]"));
	assert_non_null(strstr(text, "Details for staff"));
	free(text);
	/* a finding in the device object must have the finding's shape */
	cJSON_ReplaceItemInObject((cJSON *)f, "severity", cJSON_CreateString("dire"));
	assert_int_equal(cbd_doc_validate(doc, &err), -EINVAL);
	assert_non_null(err);
	free(err);
	cbd_doc_free(doc);
}

/* what befell the report itself (kept elsewhere): top-level findings, only
 * when there are some, in its text, validated, never in overall */
static void
test_report_findings(void **state)
{
	struct cbd_report rep = {0};
	struct cbd_doc *doc;
	cJSON *f;
	char *text = NULL, *err = NULL;
	size_t len = 0;
	FILE *out;

	assert_int_equal(cbd_uuid4(rep.report_id), 0);
	rep.started_at = rep.finished_at = 1795907481;
	doc = cbd_report_to_doc(&rep);
	assert_null(cJSON_GetObjectItem(doc->root, "findings"));
	cbd_doc_free(doc);

	cbd_findings_add(&rep.findings, &rep.n_findings, "report.dir_read_only", CBD_SEVERITY_WARN,
			 false, "Copy the report off", "The report could not be saved in %s", "/s");
	doc = cbd_report_to_doc(&rep);
	cbd_report_clear(&rep);
	assert_int_equal(cbd_doc_validate(doc, &err), 0);
	assert_string_equal(cJSON_GetObjectItem(doc->root, "overall")->valuestring, "pass");
	assert_int_equal(cbd_doc_exit_code(doc), 0);
	f = cJSON_GetArrayItem(cJSON_GetObjectItem(doc->root, "findings"), 0);
	assert_string_equal(cJSON_GetObjectItem(f, "code")->valuestring, "report.dir_read_only");

	out = open_memstream(&text, &len);
	cbd_doc_render_text(doc, out, false);
	fclose(out);
	assert_non_null(strstr(text, "Report:  The report could not be saved in /s"));
	assert_null(strstr(text, "[report.dir_read_only]")); /* codes are for --details */
	free(text);
	/* a top-level finding must have the finding's shape */
	cJSON_ReplaceItemInObject(f, "code", cJSON_CreateString("Not A Code"));
	assert_int_equal(cbd_doc_validate(doc, &err), -EINVAL);
	assert_non_null(err);
	free(err);
	cbd_doc_free(doc);
}

static void
test_sanitize(void **state)
{
	struct cbd_result *r = cbd_result_new();
	char *s;

	cbd_json_add_str(r->data, "model", "bad\xff\x01name");
	cbd_result_set(r, CBD_STATUS_PASS, "ok");
	s = cbd_result_serialize(r);
	assert_non_null(strstr(s, "\"model\":\"bad??name\""));
	free(s);
	cbd_result_free(r);
}

static void
test_schema_compiles(void **state)
{
	_cleanup_free_ char *err = NULL;

	/* every keyword of report.schema.json is one the validator implements */
	if (cbd_report_schema_problems(&err) != 0)
		fail_msg("the embedded schema has problems: %s", err);
	assert_non_null(strstr(cbd_report_schema_text(), "\"schema_version\": {\"const\": 1}"));
}

static void
test_list_json(void **state)
{
	struct cbd_list_entry e[] = {{"battery", "Battery", true}, {"storage", "Disks", false}};
	char *s = cbd_list_to_json(e, 2);

	assert_non_null(strstr(s, "\"name\":\t\"battery\""));
	assert_non_null(strstr(s, "\"interactive\":\tfalse"));
	free(s);
}

static int
setup(void **state)
{
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int
teardown(void **state)
{
	return rmdir(tmpdir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uuid4),
		cmocka_unit_test(test_overall),
		cmocka_unit_test(test_result_round_trip),
		cmocka_unit_test(test_worst_finding),
		cmocka_unit_test(test_built_doc_is_valid),
		cmocka_unit_test(test_exit_codes),
		cmocka_unit_test(test_validate_rejects),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_text_check_words),
		cmocka_unit_test(test_doc_print),
		cmocka_unit_test(test_load_limits),
		cmocka_unit_test(test_write_atomic),
		cmocka_unit_test(test_render_text),
		cmocka_unit_test(test_render_final),
		cmocka_unit_test(test_device_findings),
		cmocka_unit_test(test_report_findings),
		cmocka_unit_test(test_sanitize),
		cmocka_unit_test(test_schema_compiles),
		cmocka_unit_test(test_list_json),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
