/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Judging half of the lid probe: pure code, rules in probes/lid/README.md. */
#include "cbd-i18n.h"
#include "lid.h"

#include <errno.h>
#include <stdlib.h>

bool
cbd_lid_is_power_button(const struct cbd_lid_input_raw *d)
{
	return d->has_power && !d->keyboard;
}

size_t
cbd_lid_watch_list(const struct cbd_lid_raw *raw, bool power, const char **nodes, bool *grab,
                   size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < raw->n && n < max; i++) {
		if (power ? !raw->in[i].has_power : !raw->in[i].has_lid)
			continue;
		grab[n] = !raw->in[i].keyboard;
		nodes[n++] = raw->in[i].devnode;
	}
	return n;
}

bool
cbd_kmsg_is_display_link_failure(const char *msg)
{
	/* i915: "[drm] *ERROR* Link Training failed at link rate = 270000, lane count = 2",
	 * "[drm:intel_dp_aux_xfer [i915]] *ERROR* AUX A/DDI A/PHY A: did not complete or
	 * timeout within 10ms", "[drm] *ERROR* [CRTC:51:pipe A] flip_done timed out";
	 * drm core: "EDID has corrupt header", "EDID block 0 is all zeroes",
	 * "EDID checksum is invalid"; bridges (anx7625, ps8640, ti-sn65dsi86): "AUX
	 * transfer failed", "link training failed", "failed to read DPCD" */
	if (!msg)
		return false;
	if (strcasestr(msg, "link training") && strcasestr(msg, "fail"))
		return true;
	if (strstr(msg, "flip_done timed out"))
		return true;
	if (strstr(msg, "EDID") && (strstr(msg, "corrupt") || strstr(msg, "all zeroes") ||
	                            strstr(msg, "checksum is invalid")))
		return true;
	if (strstr(msg, "AUX") &&
	    (strcasestr(msg, "timeout") || strcasestr(msg, "timed out") || strcasestr(msg, "fail")))
		return true;
	return strcasestr(msg, "failed to read DPCD") != NULL;
}

void
cbd_lid_add_link_errors(struct cbd_lid_test *t, const struct cbd_hw_kmsg_rec *recs, size_t n,
                        uint64_t since)
{
	for (size_t i = 0; i < n; i++) {
		if (recs[i].ts_us <= since || !cbd_kmsg_is_display_link_failure(recs[i].msg))
			continue;
		if (t->n_link_errors == CBD_LID_MAX_LINK_ERRORS) { /* keep the newest */
			free(t->link_errors[0]);
			memmove(t->link_errors, t->link_errors + 1,
			        (CBD_LID_MAX_LINK_ERRORS - 1) * sizeof(char *));
			t->n_link_errors--;
		}
		t->link_errors[t->n_link_errors++] = cbd_strdup(recs[i].msg);
	}
}

void
cbd_lid_test_clear(struct cbd_lid_test *t)
{
	free(t->panel.edid_before);
	free(t->panel.edid_after);
	for (size_t i = 0; i < t->n_link_errors; i++)
		free(t->link_errors[i]);
	*t = (struct cbd_lid_test){0};
}

static const char *
end_word(enum cbd_lid_step_end e)
{
	switch (e) {
	case CBD_LID_DONE:
		return "done";
	case CBD_LID_TIMEOUT:
		return N_("timed out");
	case CBD_LID_SKIPPED:
		return N_("skipped by the intern");
	case CBD_LID_ERROR:
		return N_("could not run");
	case CBD_LID_NOT_RUN:
		break;
	}
	return N_("not run");
}

static void
add_devices(struct cbd_json *parent, const char *key, const struct cbd_lid_raw *raw, bool lid)
{
	struct cbd_json *arr = cbd_json_add_array(parent, key);

	for (size_t i = 0; i < raw->n; i++) {
		const struct cbd_lid_input_raw *d = &raw->in[i];
		struct cbd_json *o;

		if (lid ? !d->has_lid : !cbd_lid_is_power_button(d))
			continue;
		o = cbd_json_add_object(arr, NULL);
		cbd_json_add_str(o, "name", d->name);
		cbd_json_add_str(o, "event", d->event);
		cbd_json_add_str(o, "phys", d->phys);
		if (lid) {
			if (d->lid_closed >= 0)
				cbd_json_add_str(o, "state", d->lid_closed ? "closed" : "open");
			else
				cbd_json_add_null(o, "state");
		}
	}
}

static bool
edid_same(const struct cbd_lid_panel *p)
{
	return p->edid_before_len == p->edid_after_len &&
	       (p->edid_before_len == 0 ||
	        memcmp(p->edid_before, p->edid_after, p->edid_before_len) == 0);
}

static void
judge_lid_test(const struct cbd_lid_test *t, struct cbd_json *data, struct cbd_result *out)
{
	struct cbd_json *o = cbd_json_add_object(data, "lid_test");
	const struct cbd_lid_panel *p = &t->panel;

	cbd_json_add_str(o, "ended", end_word(t->end));
	cbd_json_add_bool(o, "closed", t->closed);
	cbd_json_add_bool(o, "opened", t->opened);
	if (t->closed)
		cbd_json_add_int(o, "closed_after_ms", (long long)t->close_ms);
	if (t->opened)
		cbd_json_add_int(o, "opened_after_ms", (long long)t->open_ms);
	if (t->end == CBD_LID_ERROR) {
		cbd_json_add_str(o, "result", "error");
		cbd_result_add_finding(out, "lid.test_error", CBD_SEVERITY_INFO, false,
		                       N_("Run cbdiag as root"),
		                       N_("The lid test could not watch the lid switch: %s"),
		                       strerror(t->err > 0 ? t->err : -t->err));
		return;
	}
	if (t->end == CBD_LID_SKIPPED && !t->closed) {
		cbd_json_add_str(o, "result", "skip");
		return;
	}
	if (!t->closed) {
		cbd_json_add_str(o, "result", "fail");
		cbd_result_add_finding(
		    out, "lid.no_close", CBD_SEVERITY_FAIL, true,
		    N_("Tell staff: check that the lid's magnet is in the display housing "
		    "and the lid sensor on the main board"),
		    N_("The lid switch never reported the lid closing"));
		return;
	}
	if (!t->opened) {
		cbd_json_add_str(o, "result", t->end == CBD_LID_SKIPPED ? "skip" : "fail");
		if (t->end != CBD_LID_SKIPPED)
			cbd_result_add_finding(
			    out, "lid.stuck_closed", CBD_SEVERITY_FAIL, true,
			    N_("Tell staff: the lid sensor (or a stray magnet near it) "
			    "keeps the switch closed"),
			    N_("The lid switch reported the lid closing but never opening again"));
		return;
	}
	/* the hinge: the panel's connector and EDID after the lid moved */
	if (p->found) {
		struct cbd_json *po = cbd_json_add_object(o, "panel");

		cbd_json_add_str(po, "connector", p->connector);
		cbd_json_add_str(po, "status_before", p->status_before);
		cbd_json_add_str(po, "status_after", p->status_after);
		cbd_json_add_bool(po, "edid_same", edid_same(p));
		if (p->probe_err < 0)
			cbd_json_add_str(po, "reprobe", strerror(-p->probe_err));
		else
			cbd_json_add_str(po, "reprobe", "done");
		if (streq(p->status_before, "connected") && !streq(p->status_after, "connected"))
			cbd_result_add_finding(
			    out, "lid.panel_lost", CBD_SEVERITY_FAIL, false,
			    N_("Reseat the display cable at both ends and look for a pinch at the "
			    "hinge; replace the cable if it is damaged"),
			    N_("The screen's connector %s was %s after the lid moved (it was "
			    "connected before): a hinge-pinched display cable"),
			    p->connector, p->status_after[0] ? p->status_after : N_("gone"));
		else if (!edid_same(p))
			cbd_result_add_finding(
			    out, "lid.edid_changed", CBD_SEVERITY_FAIL, false,
			    N_("Reseat the display cable at both ends and look for a pinch at the "
			    "hinge; replace the cable if it is damaged"),
			    N_("The screen %s after the lid moved: the display cable drops data"),
			    p->edid_after_len ? N_("reported itself differently") : N_("could not be read"));
	} else {
		cbd_json_add_null(o, "panel");
	}
	{
		struct cbd_json *le = cbd_json_add_array(o, "link_errors");

		for (size_t i = 0; i < t->n_link_errors; i++)
			cbd_json_add_str(le, NULL, t->link_errors[i]);
	}
	if (t->kmsg_err < 0) {
		cbd_json_add_str(o, "kernel_log", strerror(-t->kmsg_err));
		cbd_result_add_finding(out, "lid.kernel_log_unreadable", CBD_SEVERITY_INFO, false,
		                       N_("Run cbdiag as root"),
		                       N_("The screen's error messages could not be read while the "
		                       "lid moved"));
	}
	if (t->n_link_errors > 0)
		cbd_result_add_finding(out, "lid.display_link_errors", CBD_SEVERITY_FAIL, false,
		                       N_("Reseat the display cable at both ends and look for a pinch "
		                       "at the hinge; replace the cable if it is damaged"),
		                       N_("The screen lost its signal while the lid moved"));
	cbd_json_add_str(o, "result",
	                 cbd_result_find_finding(out, "lid.panel_lost") ||
	                         cbd_result_find_finding(out, "lid.edid_changed") ||
	                         t->n_link_errors
	                     ? "fail"
	                     : "pass");
}

static void
judge_power_test(const struct cbd_power_test *t, struct cbd_json *data, struct cbd_result *out)
{
	struct cbd_json *o = cbd_json_add_object(data, "power_test");

	cbd_json_add_str(o, "ended", end_word(t->end));
	cbd_json_add_bool(o, "pressed", t->pressed);
	cbd_json_add_bool(o, "released", t->released);
	if (t->pressed)
		cbd_json_add_int(o, "pressed_after_ms", (long long)t->press_ms);
	if (t->end == CBD_LID_ERROR) {
		cbd_json_add_str(o, "result", "error");
		cbd_result_add_finding(out, "lid.power_test_error", CBD_SEVERITY_INFO, false,
		                       N_("Run cbdiag as root"),
		                       N_("The power-button test could not watch the button: %s"),
		                       strerror(t->err > 0 ? t->err : -t->err));
		return;
	}
	if (t->end == CBD_LID_SKIPPED && !t->pressed) {
		cbd_json_add_str(o, "result", "skip");
		return;
	}
	if (!t->pressed) {
		cbd_json_add_str(o, "result", "fail");
		cbd_result_add_finding(out, "lid.power_button_dead", CBD_SEVERITY_FAIL, true,
		                       N_("Tell staff: check the power button's cable (on many "
		                       "models it runs with the keyboard's)"),
		                       N_("The power button was never pressed as far as the machine "
		                       "could tell"));
		return;
	}
	if (!t->released) {
		cbd_json_add_str(o, "result", "warn");
		cbd_result_add_finding(out, "lid.power_button_stuck", CBD_SEVERITY_WARN, true,
		                       N_("Tell staff: a power button that stays down can "
		                       "switch the machine off"),
		                       N_("The power button went down but did not come back up"));
		return;
	}
	cbd_json_add_str(o, "result", "pass");
}

void
cbd_lid_judge(const struct cbd_lid_raw *raw, bool laptop, bool interactive,
              const struct cbd_lid_test *lid, const struct cbd_power_test *power,
              struct cbd_result *out)
{
	const struct cbd_lid_input_raw *lid_dev = NULL, *pwr_dev = NULL;
	const struct cbd_finding *worst;
	bool lid_tested = lid && lid->end != CBD_LID_NOT_RUN;
	bool power_tested = power && power->end != CBD_LID_NOT_RUN;

	for (size_t i = 0; i < raw->n; i++) {
		if (raw->in[i].has_lid && !lid_dev)
			lid_dev = &raw->in[i];
		if (cbd_lid_is_power_button(&raw->in[i]) && !pwr_dev)
			pwr_dev = &raw->in[i];
	}
	add_devices(out->data, "lid_switches", raw, true);
	add_devices(out->data, "power_buttons", raw, false);
	if (lid_dev && lid_dev->lid_closed >= 0)
		cbd_json_add_str(out->data, "lid", lid_dev->lid_closed ? "closed" : "open");
	else
		cbd_json_add_null(out->data, "lid");
	if (lid_tested)
		judge_lid_test(lid, out->data, out);
	if (power_tested)
		judge_power_test(power, out->data, out);

	if (!lid_dev && !pwr_dev && !laptop) {
		cbd_result_set(out, CBD_STATUS_SKIP,
		               N_("No lid switch or power button (not a laptop)"));
		return;
	}
	if (!lid_dev && laptop)
		cbd_result_add_finding(out, "lid.missing", CBD_SEVERITY_WARN, true,
		                       N_("Tell staff: this repair stick may not know this laptop's "
		                       "lid sensor"),
		                       N_("No lid switch was found on this laptop"));
	if (!pwr_dev && laptop)
		cbd_result_add_finding(
		    out, "lid.power_button_missing", CBD_SEVERITY_WARN, true,
		    N_("Tell staff: this repair stick may not know this laptop's "
		    "power button"),
		    N_("No power button was found on this laptop"));
	/* open in front of the intern but closed to the machine: a missing magnet
	 * or a stuck sensor (a closed lid and an outside screen is not a repair bench) */
	if (lid_dev && lid_dev->lid_closed == 1 && !(lid_tested && lid->opened))
		cbd_result_add_finding(out, "lid.reads_closed", CBD_SEVERITY_WARN, true,
		                       N_("If the lid is open, escalate to staff: the lid sensor or "
		                       "its magnet is faulty"),
		                       N_("The lid switch says the lid is closed"));
	worst = cbd_result_most_severe(out);
	if (worst && worst->severity != CBD_SEVERITY_INFO)
		cbd_result_set(out, cbd_result_worst_finding(out), "%s", worst->message);
	else if (lid_tested && power_tested && lid->opened && power->pressed)
		cbd_result_set(out, CBD_STATUS_PASS,
		               N_("The lid switch, the screen after the lid moved and the power "
		               "button work"));
	else if (lid_tested && lid->opened)
		cbd_result_set(out, CBD_STATUS_PASS,
		               N_("The lid switch works and the screen survived the lid moving%s"),
		               pwr_dev ? N_(" (power button not tested)") : "");
	else if (power_tested && power->pressed)
		cbd_result_set(out, CBD_STATUS_PASS, N_("The power button works%s"),
		               lid_dev ? N_(" (lid not tested)") : "");
	else
		cbd_result_set(out, CBD_STATUS_PASS, N_("%s found (%s)"),
		               lid_dev && pwr_dev ? N_("Lid switch and power button")
		               : lid_dev          ? N_("Lid switch")
		                                  : N_("Power button"),
		               interactive ? N_("not tested") : N_("not tested without the guided steps"));
}
