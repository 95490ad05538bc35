/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Help desk, without a help desk: names, subjects, the token file, the queue on disk. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "attach.h"
#include "helpdesk.h"
#include "report.h"

static char dir[] = "/tmp/cbd-test-helpdesk-XXXXXX";

static struct cbd_doc *
load_fixture(const char *name)
{
	_cleanup_free_ char *path =
		cbd_strdupf("%s/tests/fixtures/reports/good/%s", getenv("CBDIAG_SRCDIR"), name);
	struct cbd_doc *doc = NULL;
	_cleanup_free_ char *err = NULL;

	assert_int_equal(cbd_doc_load(path, &doc, &err), 0);
	return doc;
}

static struct cbd_doc *
parse(const char *text)
{
	struct cbd_doc *doc = NULL;
	_cleanup_free_ char *err = NULL;

	assert_int_equal(cbd_doc_parse(text, strlen(text), &doc, &err), 0);
	return doc;
}

static void
test_filename(void **state)
{
	_cleanup_free_ char *a = cbd_hd_filename("5CD1234XYZ", "8c1e2f4a-9b3d");
	_cleanup_free_ char *b = cbd_hd_filename("../etc/x y", "id");
	_cleanup_free_ char *c = cbd_hd_filename(NULL, "id");

	assert_string_equal(a, "cbdiag-5CD1234XYZ-8c1e2f4a-9b3d.json");
	assert_string_equal(b, "cbdiag-_._etc_x_y-id.json"); /* no slash survives */
	assert_string_equal(c, "cbdiag-unknown-id.json");
}

/* Issue 18 #8: any serial and id give a name within NAME_MAX. */
static void
test_filename_long(void **state)
{
	char serial[1001], id[401];
	_cleanup_free_ char *a = NULL, *b = NULL, *c = NULL;

	memset(serial, 'S', sizeof(serial) - 1);
	serial[sizeof(serial) - 1] = '\0';
	memset(id, 'i', sizeof(id) - 1);
	id[sizeof(id) - 1] = '\0';
	a = cbd_hd_filename(serial, id);
	assert_true(strlen(a) <= 255);
	assert_memory_equal(a, "cbdiag-SSSS", 11);
	serial[500] = 'T'; /* the same start, another serial: another name */
	b = cbd_hd_filename(serial, id);
	assert_true(strlen(b) <= 255);
	assert_string_not_equal(a, b);
	c = cbd_hd_filename("-x", "-y");
	assert_string_equal(c, "cbdiag-_x-_y.json");
}

static void
test_subject_names_failures(void **state)
{
	_cleanup_doc_ struct cbd_doc *doc = load_fixture("worn-battery.json");
	_cleanup_free_ char *s = cbd_hd_subject(doc);

	/* the warning (display) is left out when something failed */
	assert_string_equal(s, "Chromebook 5CD1234XYZ: Battery holds 52% of its design capacity");
}

static void
test_subject_warn_and_pass(void **state)
{
	_cleanup_doc_ struct cbd_doc *warn = parse(
		"{\"device\":{\"serial\":null,\"asset_tag\":\"D-0042\"},\"probes\":{"
		"\"display\":{\"status\":\"warn\",\"summary\":\"Panel EDID has a bad checksum\"},"
		"\"usb\":{\"status\":\"warn\",\"summary\":\"over-current on port 2\"},"
		"\"storage\":{\"status\":\"pass\",\"summary\":\"eMMC healthy\"}}}");
	_cleanup_doc_ struct cbd_doc *pass = parse(
		"{\"device\":{},\"probes\":{\"usb\":{\"status\":\"pass\",\"summary\":\"4 devices\"}}}");
	_cleanup_free_ char *w = cbd_hd_subject(warn);
	_cleanup_free_ char *p = cbd_hd_subject(pass);

	assert_string_equal(w, "Chromebook asset D-0042: display Panel EDID has a bad checksum, "
			       "usb over-current on port 2");
	assert_string_equal(p, "Chromebook (serial unknown): every part passed");
}

static void
test_subject_bounded_and_clean(void **state)
{
	char long_summary[600];
	_cleanup_free_ char *json = NULL;
	_cleanup_doc_ struct cbd_doc *doc = NULL;
	_cleanup_free_ char *s = NULL;

	memset(long_summary, 'x', sizeof(long_summary) - 1);
	long_summary[sizeof(long_summary) - 1] = '\0';
	memcpy(long_summary, "\\u001b[31m\\u00e9", 16); /* an escape sequence and an é */
	json = cbd_strdupf("{\"device\":{\"serial\":\"SN\"},\"probes\":{\"battery\":{\"status\":"
			   "\"fail\",\"summary\":\"%s\"}}}",
			   long_summary);
	doc = parse(json);
	s = cbd_hd_subject(doc);
	assert_true(strlen(s) <= 200);
	assert_true(cbd_utf8_valid(s, strlen(s)));
	assert_null(strchr(s, '\033'));
	assert_string_equal(s + strlen(s) - 3, "...");
}

static char *
token_file(const char *name, const char *text, mode_t mode)
{
	char *path = cbd_strdupf("%s/%s", dir, name);
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(chmod(path, mode), 0);
	return path;
}

static int
open_with_token(const char *path, char **err)
{
	struct cbd_helpdesk_config cfg = {
		.type = (char *)"webhook",
		.url = (char *)"http://127.0.0.1:9/hook",
		.token_file = (char *)path,
		.connect_timeout_s = 1,
		.timeout_s = 5,
	};
	struct cbd_hd *hd = NULL;
	int r = cbd_hd_open(&cfg, &hd, err);

	cbd_hd_close(hd);
	return r;
}

static void
test_token_file_rules(void **state)
{
	_cleanup_free_ char *good = token_file("good", "1-14-b817eae754ef2d51fd94ff72d313262b\n", 0600);
	_cleanup_free_ char *group = token_file("group", "abc\n", 0640);
	_cleanup_free_ char *world = token_file("world", "abc\n", 0644);
	_cleanup_free_ char *empty = token_file("empty", "\n", 0600);
	_cleanup_free_ char *spaced = token_file("spaced", "two words\n", 0600);
	_cleanup_free_ char *missing = cbd_strdupf("%s/missing", dir);
	char *err = NULL;

	assert_int_equal(open_with_token(good, &err), 0);
	assert_null(err);
	/* group may read (a cbdiag group), nobody else */
	assert_int_equal(open_with_token(group, &err), 0);
	assert_int_equal(open_with_token(world, &err), -EPERM);
	assert_non_null(strstr(err, "can be read or changed by other users (mode 0644)"));
	assert_null(strstr(err, "abc")); /* the token is never in a message */
	free(err);
	err = NULL;
	assert_int_equal(open_with_token(empty, &err), -EINVAL);
	free(err);
	err = NULL;
	assert_int_equal(open_with_token(spaced, &err), -EINVAL);
	assert_null(strstr(err, "words"));
	free(err);
	err = NULL;
	assert_int_equal(open_with_token(missing, &err), -ENOENT);
	free(err);
	err = NULL;
	assert_int_equal(open_with_token(dir, &err), -EINVAL); /* a directory */
	free(err);
}

static void
make_item(struct cbd_hd_item *item, const char *report_id)
{
	const char *text = "{\"report\": \"bytes as they are\"}\n";

	*item = (struct cbd_hd_item){
		.data = cbd_strdup(text),
		.size = strlen(text),
		.report_id = cbd_strdup(report_id),
		.serial = cbd_strdup("SN1"),
		.filename = cbd_hd_filename("SN1", report_id),
		.body = cbd_strdup("text"),
		.subject = cbd_strdup("subject"),
	};
}

static void
test_queue_round_trip(void **state)
{
	_cleanup_free_ char *q = cbd_strdupf("%s/queue/nested", dir);
	_cleanup_free_ char *err = NULL, *n1 = NULL, *n2 = NULL, *bytes = NULL;
	struct cbd_queue_entry *v = NULL;
	struct cbd_hd_item a, b;
	size_t n = 0, len = 0;

	/* a queue that does not exist yet is empty, not an error */
	assert_int_equal(cbd_queue_list(q, &v, &n, &err), 0);
	assert_int_equal(n, 0);

	make_item(&a, "aaaa");
	make_item(&b, "bbbb");
	assert_int_equal(cbd_queue_add(q, &a, "42", false, "HTTP 503", 1700000000, &n1, &err), 0);
	assert_int_equal(cbd_queue_add(q, &b, NULL, true, NULL, 0, &n2, &err), 0);
	assert_true(strcmp(n1, n2) < 0);

	assert_int_equal(cbd_queue_list(q, &v, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].name, n1); /* oldest first */
	assert_string_equal(v[0].ticket, "42");
	assert_string_equal(v[0].filename, "cbdiag-SN1-aaaa.json");
	assert_string_equal(v[0].last_error, "HTTP 503");
	assert_int_equal(v[0].attempts, 1);
	assert_int_equal(v[0].next_attempt_at, 0); /* the next run tries it at once */
	assert_int_equal(v[0].sending_since, 1700000000); /* a send that may still arrive */
	assert_int_equal(v[1].sending_since, 0);
	assert_false(v[0].held);
	assert_null(v[1].ticket);
	assert_true(v[1].create);
	assert_int_equal(v[1].attempts, 0);
	/* the report is kept byte for byte */
	{
		_cleanup_free_ char *rp = cbd_strdupf("%s/report.json", v[0].dir);

		assert_int_equal(cbd_read_file(rp, 4096, &bytes, &len), 0);
	}
	assert_string_equal(bytes, "{\"report\": \"bytes as they are\"}\n");

	/* queue list --json */
	{
		_cleanup_free_ char *json = cbd_queue_entries_to_json(v, n);

		assert_non_null(strstr(json, "\"ticket\":\t\"42\""));
		assert_non_null(strstr(json, "\"state\":\t\"waiting\""));
		assert_non_null(strstr(json, "\"last_error\":\t\"HTTP 503\""));
		assert_non_null(strstr(json, "\"ticket\":\tnull"));
	}

	/* an update survives a re-read */
	v[1].held = true;
	v[1].attempts = 3;
	v[1].last_error = cbd_strdup("refused");
	assert_int_equal(cbd_queue_update(&v[1], &err), 0);
	assert_int_equal(cbd_queue_remove(&v[0], &err), 0);
	cbd_queue_entries_free(v, n);
	assert_int_equal(cbd_queue_list(q, &v, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].name, n2);
	assert_true(v[0].held);
	assert_int_equal(v[0].attempts, 3);
	assert_string_equal(v[0].last_error, "refused");
	cbd_queue_entries_free(v, n);
	cbd_hd_item_clear(&a);
	cbd_hd_item_clear(&b);
}

static void
test_queue_damage(void **state)
{
	_cleanup_free_ char *q = cbd_strdupf("%s/queue2", dir);
	_cleanup_free_ char *bad = cbd_strdupf("%s/20260101T000000Z-bad", q);
	_cleanup_free_ char *old = cbd_strdupf("%s/.old-20250101T000000Z-x", q);
	_cleanup_free_ char *err = NULL, *path = NULL;
	struct cbd_queue_entry *v = NULL;
	size_t n = 0;

	assert_int_equal(mkdir(q, 0700), 0);
	assert_int_equal(mkdir(bad, 0700), 0);
	assert_int_equal(mkdir(old, 0700), 0); /* a removal a crash interrupted */
	path = cbd_strdupf("%s/entry.json", bad);
	assert_int_equal(cbd_write_file_atomic(path, "{\"version\":", 11, &err), 0);
	assert_int_equal(cbd_queue_list(q, &v, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_true(v[0].held);
	assert_null(v[0].report_id);
	assert_non_null(strstr(v[0].last_error, "damaged"));
	assert_int_equal(access(old, F_OK), -1); /* cleaned up */
	cbd_queue_entries_free(v, n);
}

static void
test_entry_parse_rules(void **state)
{
	static const char *const bad[] = {
		"",
		"[]",
		"{\"report_id\":\"a\",\"filename\":\"../../etc/passwd\",\"serial\":null,"
		"\"ticket\":null,\"create\":false,\"held\":false,\"attempts\":0,\"enqueued_at\":0,"
		"\"last_attempt_at\":0,\"next_attempt_at\":0,\"last_error\":null}",
		"{\"report_id\":\"a\",\"filename\":\"cbdiag-a.json\",\"serial\":null,"
		"\"ticket\":null,\"create\":false,\"held\":false,\"attempts\":-1,\"enqueued_at\":0,"
		"\"last_attempt_at\":0,\"next_attempt_at\":0,\"last_error\":null}",
		"{\"report_id\":\"a\",\"filename\":\"cbdiag-a.json\",\"serial\":null,"
		"\"ticket\":7,\"create\":false,\"held\":false,\"attempts\":0,\"enqueued_at\":0,"
		"\"last_attempt_at\":0,\"next_attempt_at\":0,\"last_error\":null}",
	};
	const char *good = "{\"report_id\":\"a\",\"filename\":\"cbdiag-a.json\",\"serial\":null,"
			   "\"ticket\":\"7\",\"create\":false,\"held\":true,\"attempts\":2,"
			   "\"enqueued_at\":1,\"last_attempt_at\":2,\"next_attempt_at\":3,"
			   "\"last_error\":\"x\"}";
	struct cbd_queue_entry e = {0};

	for (size_t i = 0; i < CBD_ARRAY_SIZE(bad); i++) {
		assert_false(cbd_queue_entry_parse(bad[i], strlen(bad[i]), &e));
		cbd_queue_entry_clear(&e);
	}
	assert_true(cbd_queue_entry_parse(good, strlen(good), &e));
	assert_int_equal(e.sending_since, 0); /* absent: written by an earlier version */
	assert_true(e.held);
	assert_int_equal(e.attempts, 2);
	cbd_queue_entry_clear(&e);
}

static void
test_backoff(void **state)
{
	assert_int_equal(cbd_queue_backoff_s(1), 60);
	assert_int_equal(cbd_queue_backoff_s(2), 120);
	assert_int_equal(cbd_queue_backoff_s(4), 480);
	assert_int_equal(cbd_queue_backoff_s(50), 3600);
}


static int
open_url(const char *type, const char *url, char **err)
{
	struct cbd_helpdesk_config cfg = {
		.type = (char *)type,
		.url = (char *)url,
		.connect_timeout_s = 1,
		.timeout_s = 5,
	};
	struct cbd_hd *hd = NULL;
	int r = cbd_hd_open(&cfg, &hd, err);

	cbd_hd_close(hd);
	return r;
}

static void
test_plain_http_only_to_loopback(void **state)
{
	static const char *const ok[] = {
		"https://helpdesk.example.org",  "https://10.0.0.5:8443/rt",
		"http://127.0.0.1:8080/",        "http://127.3.4.5/hook",
		"http://localhost:9/x",          "http://[::1]:8080/",
		"HTTP://127.0.0.1/upper-case",
		"http://127.1/", /* libcurl reads it as 127.0.0.1, and connects there */
	};
	static const char *const refused[] = {
		"http://helpdesk.example.org", "http://10.0.0.5/rt",
		"http://127.0.0.1.example.org/", "http://127.0.0.1@example.org/",
		"http://[::ffff:8.8.8.8]/", "ftp://127.0.0.1/", "file:///etc/passwd",
		"not a url",
	};
	char *err = NULL;

	for (size_t i = 0; i < CBD_ARRAY_SIZE(ok); i++) {
		/* rt would need a token; webhook checks the same URL rule without */
		assert_int_equal(open_url("webhook", ok[i], &err), 0);
		assert_null(err);
	}
	for (size_t i = 0; i < CBD_ARRAY_SIZE(refused); i++) {
		assert_int_equal(open_url("webhook", refused[i], &err), -EINVAL);
		assert_non_null(err);
		free(err);
		err = NULL;
		assert_int_equal(open_url("rt", refused[i], &err), -EINVAL);
		free(err);
		err = NULL;
	}
	assert_int_equal(open_url("rt", "http://rt.example.org", &err), -EINVAL);
	assert_non_null(strstr(err, "travel in clear"));
	assert_non_null(strstr(err, "127.0.0.1, ::1 or localhost"));
	free(err);
}

static void
test_not_dumpable_while_token_held(void **state)
{
	_cleanup_free_ char *tok = token_file("dump", "1-14-0123456789abcdef\n", 0600);
	struct cbd_helpdesk_config cfg = {
		.type = (char *)"webhook",
		.url = (char *)"http://127.0.0.1:9/hook",
		.token_file = tok,
		.connect_timeout_s = 1,
		.timeout_s = 5,
	};
	struct cbd_hd *hd = NULL;
	char *err = NULL;

	assert_int_equal(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 1);
	assert_int_equal(cbd_hd_open(&cfg, &hd, &err), 0);
	assert_int_equal(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
	cbd_hd_close(hd);
	assert_int_equal(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 1);
	/* a token file that is refused leaves the process as it was */
	cfg.token_file = (char *)"/nonexistent/token";
	assert_int_equal(cbd_hd_open(&cfg, &hd, &err), -ENOENT);
	free(err);
	assert_int_equal(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 1);
}

static void
test_queue_dir_must_be_trusted(void **state)
{
	_cleanup_free_ char *q = cbd_strdupf("%s/q-open", dir);
	_cleanup_free_ char *err = NULL;
	struct cbd_queue_entry *v = NULL;
	struct cbd_hd_item a;
	size_t n = 0;

	make_item(&a, "cccc");
	assert_int_equal(mkdir(q, 0700), 0);
	assert_int_equal(chmod(q, 0777), 0); /* world-writable */
	assert_int_equal(cbd_queue_lock(q, 0, &err), -EPERM);
	assert_non_null(strstr(err, "can be written by other users (mode 0777)"));
	free(steal_ptr(&err));
	assert_int_equal(cbd_queue_add(q, &a, "1", false, NULL, 0, NULL, &err), -EPERM);
	free(steal_ptr(&err));
	assert_int_equal(cbd_queue_list(q, &v, &n, &err), -EPERM);
	free(steal_ptr(&err));
	assert_int_equal(chmod(q, 0770), 0); /* group-writable */
	assert_int_equal(cbd_queue_list(q, &v, &n, &err), -EPERM);
	free(steal_ptr(&err));
	assert_int_equal(chmod(q, 0755), 0); /* others may read: fine */
	assert_int_equal(cbd_queue_list(q, &v, &n, &err), 0);
	if (geteuid() == 0) {
		/* owned by someone who is neither root nor us */
		assert_int_equal(chown(q, 65534, 65534), 0);
		assert_int_equal(cbd_queue_list(q, &v, &n, &err), -EPERM);
		assert_non_null(strstr(err, "belongs to user 65534"));
		free(steal_ptr(&err));
	} else {
		print_message("not root: the foreign-owner case is checked in the cli tests only\n");
	}
	cbd_hd_item_clear(&a);
}

static void
test_queue_lock_refuses_symlink(void **state)
{
	_cleanup_free_ char *q = cbd_strdupf("%s/q-lock", dir);
	_cleanup_free_ char *lock = cbd_strdupf("%s/.lock", q);
	_cleanup_free_ char *target = cbd_strdupf("%s/precious", dir);
	_cleanup_free_ char *err = NULL;
	struct stat st;
	int fd;

	assert_int_equal(mkdir(q, 0700), 0);
	assert_int_equal(symlink(target, lock), 0);
	assert_int_equal(cbd_queue_lock(q, 0, &err), -EPERM);
	assert_non_null(strstr(err, "symbolic link"));
	assert_int_equal(stat(target, &st), -1); /* nothing was created through it */
	free(steal_ptr(&err));
	assert_int_equal(unlink(lock), 0);
	fd = cbd_queue_lock(q, 0, &err);
	assert_true(fd >= 0);
	/* a second flush waits, then says the queue is busy */
	assert_int_equal(cbd_queue_lock(q, 100, &err), -EWOULDBLOCK);
	assert_non_null(strstr(err, "busy"));
	close(fd);
}

static void
test_queue_entry_files_not_followed(void **state)
{
	_cleanup_free_ char *q = cbd_strdupf("%s/q-link", dir);
	_cleanup_free_ char *err = NULL, *name = NULL, *rp = NULL, *other = NULL;
	_cleanup_free_ char *good = cbd_strdupf("%s/tests/fixtures/reports/good/worn-battery.json",
						getenv("CBDIAG_SRCDIR"));
	struct cbd_queue_entry *v = NULL;
	struct cbd_hd_item a, it;
	size_t n = 0;

	make_item(&a, "dddd");
	assert_int_equal(cbd_queue_add(q, &a, "1", false, NULL, 0, &name, &err), 0);
	assert_int_equal(cbd_queue_list(q, &v, &n, &err), 0);
	assert_int_equal(n, 1);
	/* the queued bytes are no report: refused, not sent */
	assert_true(cbd_queue_load_item(&v[0], &it, &err) < 0);
	free(steal_ptr(&err));
	/* report.json replaced by a symbolic link to a valid report elsewhere */
	rp = cbd_strdupf("%s/report.json", v[0].dir);
	assert_int_equal(unlink(rp), 0);
	assert_int_equal(symlink(good, rp), 0);
	assert_int_equal(cbd_queue_load_item(&v[0], &it, &err), -ELOOP);
	assert_non_null(strstr(err, "symbolic link"));
	free(steal_ptr(&err));
	/* a real file: loaded from the bytes read, under the queued name */
	assert_int_equal(unlink(rp), 0);
	assert_int_equal(cbd_read_file(good, 1 << 20, &other, &n), 0);
	assert_int_equal(cbd_write_file_atomic(rp, other, n, &err), 0);
	assert_int_equal(cbd_queue_load_item(&v[0], &it, &err), 0);
	assert_int_equal(it.size, n);
	assert_memory_equal(it.data, other, n);
	assert_string_equal(it.filename, "cbdiag-SN1-dddd.json");
	cbd_hd_item_clear(&it);
	cbd_queue_entries_free(v, 1);
	cbd_hd_item_clear(&a);
}

static void
test_item_load_reads_once(void **state)
{
	_cleanup_free_ char *good = cbd_strdupf("%s/tests/fixtures/reports/good/worn-battery.json",
						getenv("CBDIAG_SRCDIR"));
	_cleanup_free_ char *fifo = cbd_strdupf("%s/fifo", dir);
	_cleanup_free_ char *bytes = NULL, *err = NULL;
	struct cbd_hd_item it;
	size_t len = 0;

	assert_int_equal(cbd_read_file(good, 1 << 20, &bytes, &len), 0);
	assert_int_equal(cbd_hd_item_load(&it, good, &err), 0);
	assert_int_equal(it.size, len);
	assert_memory_equal(it.data, bytes, len);
	assert_string_equal(it.serial, "5CD1234XYZ");
	cbd_hd_item_clear(&it);
	assert_int_equal(cbd_hd_item_load(&it, dir, &err), -EISDIR);
	free(steal_ptr(&err));
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(cbd_hd_item_load(&it, fifo, &err), -EINVAL); /* not a hang */
	free(steal_ptr(&err));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_filename), cmocka_unit_test(test_filename_long),
		cmocka_unit_test(test_subject_names_failures),
		cmocka_unit_test(test_subject_warn_and_pass),
		cmocka_unit_test(test_subject_bounded_and_clean),
		cmocka_unit_test(test_token_file_rules),
		cmocka_unit_test(test_queue_round_trip),
		cmocka_unit_test(test_queue_damage),
		cmocka_unit_test(test_entry_parse_rules),
		cmocka_unit_test(test_backoff),
		cmocka_unit_test(test_plain_http_only_to_loopback),
		cmocka_unit_test(test_not_dumpable_while_token_held),
		cmocka_unit_test(test_queue_dir_must_be_trusted),
		cmocka_unit_test(test_queue_lock_refuses_symlink),
		cmocka_unit_test(test_queue_entry_files_not_followed),
		cmocka_unit_test(test_item_load_reads_once),
	};
	int r;

	if (!mkdtemp(dir))
		return 1;
	r = cmocka_run_group_tests(tests, NULL, NULL);
	{
		_cleanup_free_ char *cmd = cbd_strdupf("rm -rf '%s'", dir);

		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", dir);
	}
	return r;
}
