/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The lid probe's verdicts from literal values: every rule of probes/lid/README.md. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>

#include "json.h"
#include "lid.h"

#define LID_SWITCH                                                                                 \
	{                                                                                          \
		"event4", "/dev/input/event4", "Lid Switch", "PNP0C0D/button/input0", 0x19, true,  \
		    false, false, 0, 0                                                             \
	}
#define POWER_BUTTON                                                                               \
	{                                                                                          \
		"event2", "/dev/input/event2", "Power Button", "LNXPWRBN/button/input0", 0x19,     \
		    false, true, false, -1, 0                                                      \
	}
#define ATKBD                                                                                      \
	{                                                                                          \
		"event3", "/dev/input/event3", "AT Translated Set 2 keyboard",                     \
		    "isa0060/serio0/input0", 0x11, false, true, true, -1, 0                        \
	}

static uint8_t edid_a[128] = {0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x09, 0xe5};

static struct cbd_result *
judge(struct cbd_lid_input_raw *in, size_t n, bool laptop, bool interactive,
      const struct cbd_lid_test *lid, const struct cbd_power_test *power)
{
	struct cbd_lid_raw raw = {.in = in, .n = n};
	struct cbd_result *r = cbd_result_new();

	cbd_lid_judge(&raw, laptop, interactive, lid, power, r);
	assert_true(r->status_set);
	return r;
}

static bool
has(const struct cbd_result *r, const char *code, enum cbd_severity sev, bool escalate)
{
	const struct cbd_finding *f = cbd_result_find_finding(r, code);

	return f && f->severity == sev && f->escalate == escalate;
}

static const char *
test_result(const struct cbd_result *r, const char *which)
{
	return cbd_json_get_str(cbd_json_get(r->data, which), "result");
}

/* A lid test where the lid closed and opened and the panel stayed as it was. */
static struct cbd_lid_test
lid_ok(void)
{
	struct cbd_lid_test t = {
	    .end = CBD_LID_DONE, .closed = true, .opened = true, .close_ms = 1200, .open_ms = 2600};

	t.panel.found = true;
	strcpy(t.panel.card, "card0");
	strcpy(t.panel.connector, "eDP-1");
	strcpy(t.panel.status_before, "connected");
	strcpy(t.panel.status_after, "connected");
	t.panel.edid_before = edid_a;
	t.panel.edid_after = edid_a;
	t.panel.edid_before_len = t.panel.edid_after_len = sizeof(edid_a);
	return t;
}

static void
test_power_button_rule(void **state)
{
	struct cbd_lid_input_raw p = POWER_BUTTON, k = ATKBD, l = LID_SWITCH;

	assert_true(cbd_lid_is_power_button(&p));
	assert_false(cbd_lid_is_power_button(&k)); /* atkbd lists every key */
	assert_false(cbd_lid_is_power_button(&l));
}

static void
test_watch_list_never_grabs_a_keyboard(void **state)
{
	struct cbd_lid_input_raw in[] = {POWER_BUTTON, ATKBD, LID_SWITCH};
	struct cbd_lid_raw raw = {.in = in, .n = 3};
	const char *nodes[8];
	bool grab[8];

	/* the power step listens to the keyboard's KEY_POWER too, without taking
	 * the keyboard the intern types "s" on */
	assert_int_equal(cbd_lid_watch_list(&raw, true, nodes, grab, 8), 2);
	assert_string_equal(nodes[0], "/dev/input/event2");
	assert_true(grab[0]);
	assert_string_equal(nodes[1], "/dev/input/event3");
	assert_false(grab[1]);
	assert_int_equal(cbd_lid_watch_list(&raw, false, nodes, grab, 8), 1);
	assert_string_equal(nodes[0], "/dev/input/event4");
	assert_true(grab[0]);
	assert_int_equal(cbd_lid_watch_list(&raw, true, nodes, grab, 1), 1);
}

static void
test_link_failure_lines(void **state)
{
	assert_true(cbd_kmsg_is_display_link_failure(
	    "[drm] *ERROR* Link Training failed at link rate = 270000, lane count = 2"));
	assert_true(cbd_kmsg_is_display_link_failure(
	    "[drm:intel_dp_aux_xfer [i915]] *ERROR* AUX A/DDI A/PHY A: did not complete or "
	    "timeout within 10ms (status 0xad4003ff)"));
	assert_true(cbd_kmsg_is_display_link_failure(
	    "[drm:drm_atomic_helper_wait_for_flip_done] *ERROR* [CRTC:51:pipe A] flip_done "
	    "timed out"));
	assert_true(cbd_kmsg_is_display_link_failure("EDID has corrupt header"));
	assert_true(cbd_kmsg_is_display_link_failure("EDID block 0 is all zeroes"));
	assert_true(cbd_kmsg_is_display_link_failure("anx7625 2-0058: AUX transfer failed"));
	assert_true(cbd_kmsg_is_display_link_failure("ps8640 2-0008: failed to read DPCD"));
	assert_false(cbd_kmsg_is_display_link_failure("[drm] Initialized i915 1.6.0 20201103"));
	assert_false(cbd_kmsg_is_display_link_failure("ACPI: button: Lid Switch [LID0]"));
	assert_false(cbd_kmsg_is_display_link_failure("usb 1-1: new high-speed USB device"));
	assert_false(cbd_kmsg_is_display_link_failure(NULL));
}

static void
test_link_errors_only_since_the_step(void **state)
{
	struct cbd_hw_kmsg_rec recs[] = {
	    {1000, "[drm] *ERROR* Link Training failed at link rate = 270000, lane count = 2"},
	    {2000, "ACPI: button: Lid Switch [LID0]"},
	    {3000, "EDID has corrupt header"},
	    {4000, "[drm] *ERROR* Link Training failed at link rate = 162000, lane count = 1"},
	    {5000, "EDID block 0 is all zeroes"},
	    {6000, "EDID checksum is invalid, remainder is 12"},
	    {7000, "usb 1-1: new high-speed USB device"},
	    {8000, "anx7625 2-0058: AUX transfer failed"},
	};
	struct cbd_lid_test t = {0};

	/* the link failure at 1000 came before the step (the newest record then: 2000) */
	cbd_lid_add_link_errors(&t, recs, CBD_ARRAY_SIZE(recs), 2000);
	assert_int_equal(t.n_link_errors, CBD_LID_MAX_LINK_ERRORS);
	/* five after it, the newest four kept, in order */
	assert_string_equal(
	    t.link_errors[0],
	    "[drm] *ERROR* Link Training failed at link rate = 162000, lane count = 1");
	assert_string_equal(t.link_errors[3], "anx7625 2-0058: AUX transfer failed");
	cbd_lid_test_clear(&t);
	cbd_lid_add_link_errors(&t, recs, 2, 2000);
	assert_int_equal(t.n_link_errors, 0);
	cbd_lid_test_clear(&t);
}

static void
test_nothing_not_laptop_is_skip(void **state)
{
	struct cbd_result *r = judge(NULL, 0, false, false, NULL, NULL);

	assert_int_equal(r->status, CBD_STATUS_SKIP);
	assert_int_equal(r->n_findings, 0);
	cbd_result_free(r);
}

static void
test_laptop_without_either_warns(void **state)
{
	struct cbd_lid_input_raw in[] = {ATKBD};
	struct cbd_result *r = judge(in, 1, true, false, NULL, NULL);

	assert_int_equal(r->status, CBD_STATUS_WARN);
	assert_true(has(r, "lid.missing", CBD_SEVERITY_WARN, true));
	/* the keyboard's KEY_POWER does not make a power button */
	assert_true(has(r, "lid.power_button_missing", CBD_SEVERITY_WARN, true));
	cbd_result_free(r);
}

static void
test_found_not_tested(void **state)
{
	struct cbd_lid_input_raw in[] = {POWER_BUTTON, ATKBD, LID_SWITCH};
	struct cbd_result *r = judge(in, 3, true, false, NULL, NULL);

	assert_int_equal(r->status, CBD_STATUS_PASS);
	assert_int_equal(r->n_findings, 0);
	assert_string_equal(r->summary,
	                    "Lid switch and power button found (not tested without the guided steps)");
	assert_string_equal(cbd_json_get_str(r->data, "lid"), "open");
	assert_int_equal(cbd_json_get_array_size(r->data, "lid_switches"), 1);
	assert_int_equal(cbd_json_get_array_size(r->data, "power_buttons"), 1);
	assert_null(cbd_json_get(r->data, "lid_test"));
	cbd_result_free(r);
}

static void
test_reads_closed(void **state)
{
	struct cbd_lid_input_raw in[] = {LID_SWITCH, POWER_BUTTON};
	struct cbd_result *r;

	in[0].lid_closed = 1;
	r = judge(in, 2, true, false, NULL, NULL);
	assert_int_equal(r->status, CBD_STATUS_WARN);
	assert_true(has(r, "lid.reads_closed", CBD_SEVERITY_WARN, true));
	assert_string_equal(cbd_json_get_str(r->data, "lid"), "closed");
	cbd_result_free(r);
}

static void
test_all_pass(void **state)
{
	struct cbd_lid_input_raw in[] = {LID_SWITCH, POWER_BUTTON};
	struct cbd_lid_test lid = lid_ok();
	struct cbd_power_test pw = {.end = CBD_LID_DONE, .pressed = true, .released = true};
	struct cbd_result *r = judge(in, 2, true, true, &lid, &pw);

	assert_int_equal(r->status, CBD_STATUS_PASS);
	assert_int_equal(r->n_findings, 0);
	assert_string_equal(test_result(r, "lid_test"), "pass");
	assert_string_equal(test_result(r, "power_test"), "pass");
	assert_non_null(strstr(r->summary, "power button work"));
	cbd_result_free(r);
}

static void
test_lid_never_closed(void **state)
{
	struct cbd_lid_input_raw in[] = {LID_SWITCH};
	struct cbd_lid_test lid = {.end = CBD_LID_TIMEOUT};
	struct cbd_result *r = judge(in, 1, true, true, &lid, NULL);

	assert_int_equal(r->status, CBD_STATUS_FAIL);
	assert_true(has(r, "lid.no_close", CBD_SEVERITY_FAIL, true));
	assert_string_equal(test_result(r, "lid_test"), "fail");
	cbd_result_free(r);
}

static void
test_lid_stuck_closed(void **state)
{
	struct cbd_lid_input_raw in[] = {LID_SWITCH};
	struct cbd_lid_test lid = {.end = CBD_LID_TIMEOUT, .closed = true};
	struct cbd_result *r = judge(in, 1, false, true, &lid, NULL);

	assert_int_equal(r->status, CBD_STATUS_FAIL);
	assert_true(has(r, "lid.stuck_closed", CBD_SEVERITY_FAIL, true));
	cbd_result_free(r);
}

static void
test_lid_skipped(void **state)
{
	struct cbd_lid_input_raw in[] = {LID_SWITCH, POWER_BUTTON};
	struct cbd_lid_test lid = {.end = CBD_LID_SKIPPED};
	struct cbd_power_test pw = {.end = CBD_LID_SKIPPED};
	struct cbd_result *r = judge(in, 2, true, true, &lid, &pw);

	assert_int_equal(r->status, CBD_STATUS_PASS);
	assert_int_equal(r->n_findings, 0);
	assert_string_equal(test_result(r, "lid_test"), "skip");
	assert_string_equal(test_result(r, "power_test"), "skip");
	assert_string_equal(r->summary, "Lid switch and power button found (not tested)");
	cbd_result_free(r);
}

static void
test_panel_lost(void **state)
{
	struct cbd_lid_input_raw in[] = {LID_SWITCH, POWER_BUTTON};
	struct cbd_lid_test lid = lid_ok();
	struct cbd_result *r;

	strcpy(lid.panel.status_after, "disconnected");
	r = judge(in, 2, true, true, &lid, NULL);
	assert_int_equal(r->status, CBD_STATUS_FAIL);
	assert_true(has(r, "lid.panel_lost", CBD_SEVERITY_FAIL, false));
	assert_non_null(strstr(r->summary, "eDP-1 was disconnected"));
	assert_string_equal(test_result(r, "lid_test"), "fail");
	cbd_result_free(r);
}

static void
test_edid_changed_or_lost(void **state)
{
	struct cbd_lid_input_raw in[] = {LID_SWITCH};
	uint8_t other[128];
	struct cbd_lid_test lid = lid_ok();
	struct cbd_result *r;

	memcpy(other, edid_a, sizeof(other));
	other[127] ^= 0x5a;
	lid.panel.edid_after = other;
	r = judge(in, 1, true, true, &lid, NULL);
	assert_true(has(r, "lid.edid_changed", CBD_SEVERITY_FAIL, false));
	assert_non_null(strstr(r->summary, "reported itself differently"));
	cbd_result_free(r);

	lid.panel.edid_after = NULL;
	lid.panel.edid_after_len = 0;
	r = judge(in, 1, true, true, &lid, NULL);
	assert_true(has(r, "lid.edid_changed", CBD_SEVERITY_FAIL, false));
	assert_non_null(strstr(r->summary, "could not be read"));
	cbd_result_free(r);
}

static void
test_link_errors(void **state)
{
	struct cbd_lid_input_raw in[] = {LID_SWITCH};
	struct cbd_lid_test lid = lid_ok();
	char *msgs[] = {"[drm] *ERROR* Link Training failed at link rate = 270000, lane count = 2",
	                "EDID has corrupt header"};
	struct cbd_result *r;

	lid.link_errors[0] = msgs[0];
	lid.link_errors[1] = msgs[1];
	lid.n_link_errors = 2;
	r = judge(in, 1, true, true, &lid, NULL);
	assert_int_equal(r->status, CBD_STATUS_FAIL);
	assert_true(has(r, "lid.display_link_errors", CBD_SEVERITY_FAIL, false));
	assert_string_equal(r->summary, "The screen lost its signal while the lid moved");
	assert_int_equal(cbd_json_get_array_size(cbd_json_get(r->data, "lid_test"), "link_errors"),
	                 2);
	cbd_result_free(r);
}

static void
test_kmsg_unreadable_is_info(void **state)
{
	struct cbd_lid_input_raw in[] = {LID_SWITCH};
	struct cbd_lid_test lid = lid_ok();
	struct cbd_result *r;

	lid.kmsg_err = -EPERM;
	r = judge(in, 1, false, true, &lid, NULL);
	assert_int_equal(r->status, CBD_STATUS_PASS);
	assert_true(has(r, "lid.kernel_log_unreadable", CBD_SEVERITY_INFO, false));
	cbd_result_free(r);
}

static void
test_power_dead_and_stuck(void **state)
{
	struct cbd_lid_input_raw in[] = {POWER_BUTTON};
	struct cbd_power_test dead = {.end = CBD_LID_TIMEOUT};
	struct cbd_power_test stuck = {.end = CBD_LID_TIMEOUT, .pressed = true};
	struct cbd_result *r = judge(in, 1, false, true, NULL, &dead);

	assert_int_equal(r->status, CBD_STATUS_FAIL);
	assert_true(has(r, "lid.power_button_dead", CBD_SEVERITY_FAIL, true));
	cbd_result_free(r);
	r = judge(in, 1, false, true, NULL, &stuck);
	assert_int_equal(r->status, CBD_STATUS_WARN);
	assert_true(has(r, "lid.power_button_stuck", CBD_SEVERITY_WARN, true));
	assert_string_equal(test_result(r, "power_test"), "warn");
	cbd_result_free(r);
}

static void
test_step_errors_are_info(void **state)
{
	struct cbd_lid_input_raw in[] = {LID_SWITCH, POWER_BUTTON};
	struct cbd_lid_test lid = {.end = CBD_LID_ERROR, .err = -EACCES};
	struct cbd_power_test pw = {.end = CBD_LID_ERROR, .err = -EACCES};
	struct cbd_result *r = judge(in, 2, true, true, &lid, &pw);

	assert_int_equal(r->status, CBD_STATUS_PASS);
	assert_true(has(r, "lid.test_error", CBD_SEVERITY_INFO, false));
	assert_true(has(r, "lid.power_test_error", CBD_SEVERITY_INFO, false));
	assert_string_equal(test_result(r, "lid_test"), "error");
	assert_non_null(strstr(r->summary, "not tested"));
	cbd_result_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_power_button_rule),
	    cmocka_unit_test(test_watch_list_never_grabs_a_keyboard),
	    cmocka_unit_test(test_link_failure_lines),
	    cmocka_unit_test(test_link_errors_only_since_the_step),
	    cmocka_unit_test(test_nothing_not_laptop_is_skip),
	    cmocka_unit_test(test_laptop_without_either_warns),
	    cmocka_unit_test(test_found_not_tested),
	    cmocka_unit_test(test_reads_closed),
	    cmocka_unit_test(test_all_pass),
	    cmocka_unit_test(test_lid_never_closed),
	    cmocka_unit_test(test_lid_stuck_closed),
	    cmocka_unit_test(test_lid_skipped),
	    cmocka_unit_test(test_panel_lost),
	    cmocka_unit_test(test_edid_changed_or_lost),
	    cmocka_unit_test(test_link_errors),
	    cmocka_unit_test(test_kmsg_unreadable_is_info),
	    cmocka_unit_test(test_power_dead_and_stuck),
	    cmocka_unit_test(test_step_errors_are_info),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
