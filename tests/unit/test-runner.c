/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The runner's promises: a probe that blocks forever, crashes, forgets its
 * verdict or returns an errno becomes `error`, within the deadline, and the
 * rest of the report is intact and valid.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "probe.h"
#include "report.h"
#include "runner.h"

static int
ok_run(const struct cbd_ctx *ctx, struct cbd_result *out)
{
	cbd_json_add_int(out->data, "answer", 42);
	cbd_result_add_finding(out, "test.worn", CBD_SEVERITY_WARN, false, "Replace it",
			       "The part is worn (%d%%)", 70);
	cbd_result_set(out, cbd_result_worst_finding(out), "worn but working");
	return 0;
}

static int
hang_run(const struct cbd_ctx *ctx, struct cbd_result *out)
{
	for (;;)
		pause(); /* stands for a read() stuck in the kernel */
	return 0;
}

static int
crash_run(const struct cbd_ctx *ctx, struct cbd_result *out)
{
	raise(SIGSEGV);
	return 0;
}

static int
silent_run(const struct cbd_ctx *ctx, struct cbd_result *out)
{
	return 0; /* forgot cbd_result_set() */
}

static int
errno_run(const struct cbd_ctx *ctx, struct cbd_result *out)
{
	return -EACCES;
}

static int
fail_run(const struct cbd_ctx *ctx, struct cbd_result *out)
{
	cbd_result_add_finding(out, "test.dead", CBD_SEVERITY_FAIL, true, NULL, "Dead");
	cbd_result_set(out, CBD_STATUS_FAIL, "dead");
	return 0;
}

static const struct cbd_probe p_ok = {"ok", "works", 0, ok_run};
static const struct cbd_probe p_hang = {"hang", "blocks forever", 0, hang_run};
static const struct cbd_probe p_crash = {"crash", "segfaults", 0, crash_run};
static const struct cbd_probe p_silent = {"silent", "no verdict", 0, silent_run};
static const struct cbd_probe p_errno = {"errno", "returns -EACCES", 0, errno_run};
static const struct cbd_probe p_fail = {"failing", "finds a failure", 0, fail_run};

static struct cbd_thresholds thresholds;
static struct cbd_device_id device;
static const struct cbd_ctx ctx = {.thresholds = &thresholds, .device = &device};

static void
test_hang_times_out(void **state)
{
	const struct cbd_probe *probes[] = {&p_ok, &p_hang, &p_ok};
	struct cbd_report_probe out[3];
	struct cbd_runner_opts opts = {.timeout_s = 1, .interactive_timeout_s = 1};
	struct cbd_report rep = {0};
	struct cbd_doc *doc;
	_cleanup_free_ char *err = NULL;
	uint64_t t0 = cbd_now_mono_ms(), elapsed;

	assert_int_equal(cbd_runner_run(probes, 3, &ctx, &opts, out), 3);
	elapsed = cbd_now_mono_ms() - t0;
	/* the deadline is 1 s; allow the other two probes and a loaded machine */
	assert_true(elapsed >= 1000);
	assert_true(elapsed < 10000);

	assert_int_equal(out[1].result->status, CBD_STATUS_ERROR);
	assert_string_equal(out[1].result->summary, "The hang check timed out after 1 s");
	assert_true(out[1].result->duration_ms >= 1000);

	/* the probes around it are intact */
	for (int i = 0; i < 3; i += 2) {
		assert_int_equal(out[i].result->status, CBD_STATUS_WARN);
		/* the headline next to WARN is the finding, not the probe's "worn but working" */
		assert_string_equal(out[i].result->summary, "The part is worn (70%)");
		assert_int_equal(out[i].result->n_findings, 1);
		assert_string_equal(out[i].result->findings[0].code, "test.worn");
		assert_string_equal(out[i].result->findings[0].action, "Replace it");
	}

	/* and the report built from them is valid, overall error */
	assert_int_equal(cbd_uuid4(rep.report_id), 0);
	rep.probes = out;
	rep.n_probes = 3;
	doc = cbd_report_to_doc(&rep);
	assert_int_equal(cbd_doc_validate(doc, &err), 0);
	assert_int_equal(cbd_doc_exit_code(doc), 3);
	cbd_doc_free(doc);
	for (int i = 0; i < 3; i++)
		cbd_result_free(out[i].result);
}

static void
test_crash_silent_errno(void **state)
{
	const struct cbd_probe *probes[] = {&p_crash, &p_silent, &p_errno, &p_fail};
	struct cbd_report_probe out[4];
	struct cbd_runner_opts opts = {.timeout_s = 5, .interactive_timeout_s = 5};

	cbd_runner_run(probes, 4, &ctx, &opts, out);
	assert_int_equal(out[0].result->status, CBD_STATUS_ERROR);
	assert_non_null(strstr(out[0].result->summary, "crashed"));
	assert_int_equal(out[1].result->status, CBD_STATUS_ERROR);
	assert_non_null(strstr(out[1].result->summary, "no verdict"));
	assert_int_equal(out[2].result->status, CBD_STATUS_ERROR);
	assert_non_null(strstr(out[2].result->summary, strerror(EACCES)));
	/* a hardware failure is fail, not error */
	assert_int_equal(out[3].result->status, CBD_STATUS_FAIL);
	assert_true(out[3].result->findings[0].escalate);
	assert_null(out[3].result->findings[0].action);
	for (int i = 0; i < 4; i++)
		cbd_result_free(out[i].result);
}

static void
test_interactive_deadline_applies_only_to_interactive_probes(void **state)
{
	static const struct cbd_probe p_ihang = {"ihang", "interactive, blocks",
						 CBD_PROBE_INTERACTIVE_STEPS, hang_run};
	const struct cbd_probe *probes[] = {&p_ihang};
	struct cbd_report_probe out[1];
	struct cbd_runner_opts opts = {.timeout_s = 1, .interactive_timeout_s = 2};
	struct cbd_ctx ictx = ctx;

	ictx.interactive = true;
	cbd_runner_run(probes, 1, &ictx, &opts, out);
	assert_string_equal(out[0].result->summary, "The ihang check timed out after 2 s");
	cbd_result_free(out[0].result);

	ictx.interactive = false;
	cbd_runner_run(probes, 1, &ictx, &opts, out);
	assert_string_equal(out[0].result->summary, "The ihang check timed out after 1 s");
	cbd_result_free(out[0].result);
}

static void
test_inline(void **state)
{
	struct cbd_result *r = cbd_runner_run_inline(&p_errno, &ctx);

	assert_int_equal(r->status, CBD_STATUS_ERROR);
	cbd_result_free(r);
	r = cbd_runner_run_inline(&p_ok, &ctx);
	assert_int_equal(r->status, CBD_STATUS_WARN);
	cbd_result_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hang_times_out),
		cmocka_unit_test(test_crash_silent_errno),
		cmocka_unit_test(test_interactive_deadline_applies_only_to_interactive_probes),
		cmocka_unit_test(test_inline),
	};

	cbd_thresholds_init(&thresholds);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
