/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The lid probe: the lid switch and the power button found and the lid's
 * state read; with --interactive, the intern closes and opens the lid (and
 * the panel's connector, EDID and the kernel log are checked afterwards: the
 * hinge test) and presses the power button. See probes/lid/README.md.
 *
 * Pressing the power button does not switch the machine off here: the kernel
 * only reports KEY_POWER (and an ACPI event); it is a session manager
 * (logind, acpid, ChromeOS's powerd) that acts on it, and the repair image
 * runs none. Where one runs, the devices are grabbed while cbdiag waits, so
 * the press and the closed lid reach cbdiag alone.
 */
#include <errno.h>
#include <linux/input-event-codes.h>

#include "cbd-i18n.h"
#include "display.h"
#include "lid.h"

#define RELEASE_WAIT_MS 3000 /* after the press, for the release */

/* The internal panel's connector status and EDID now (display-read.c). */
static void
panel_snapshot(struct cbd_lid_panel *p, bool after)
{
	struct cbd_display_raw d;

	cbd_display_read(&d);
	for (size_t i = 0; i < d.n_conn; i++) {
		struct cbd_connector_raw *c = &d.conn[i];

		if (!after) {
			if (p->found || !cbd_connector_is_internal(c->name) ||
			    !streq(c->status, "connected"))
				continue;
			p->found = true;
			snprintf(p->card, sizeof(p->card), "%s", c->card);
			snprintf(p->connector, sizeof(p->connector), "%s", c->name);
			snprintf(p->status_before, sizeof(p->status_before), "%s", c->status);
			p->edid_before = steal_ptr(&c->edid);
			p->edid_before_len = c->edid_len;
		} else if (streq(c->card, p->card) && streq(c->name, p->connector)) {
			snprintf(p->status_after, sizeof(p->status_after), "%s", c->status);
			p->edid_after = steal_ptr(&c->edid);
			p->edid_after_len = c->edid_len;
		}
	}
	cbd_display_raw_clear(&d);
}

/* The time stamp of the newest kernel-log record, 0 when none or unreadable. */
static uint64_t
kmsg_newest(int *err)
{
	struct cbd_hw_kmsg_rec *recs = NULL;
	size_t n = 0;
	uint64_t ts = 0;

	*err = cbd_hw_kmsg_read("", &recs, &n);
	for (size_t i = 0; i < n; i++)
		if (recs[i].ts_us > ts)
			ts = recs[i].ts_us;
	cbd_hw_kmsg_free(recs, n);
	return ts;
}

static void
kmsg_link_errors_since(uint64_t since, struct cbd_lid_test *t)
{
	struct cbd_hw_kmsg_rec *recs = NULL;
	size_t n = 0;

	t->kmsg_err = cbd_hw_kmsg_read("", &recs, &n);
	cbd_lid_add_link_errors(t, recs, n, since);
	cbd_hw_kmsg_free(recs, n);
}

/*
 * Wait on @set until @want(events) says the step is done, the intern skips,
 * or @timeout_ms passes. Returns the step's end.
 */
typedef bool (*step_fn)(const struct cbd_hw_input_event *ev, int n, uint64_t t0, void *state);

static enum cbd_lid_step_end
wait_step(const struct cbd_ctx *ctx, const struct cbd_hw_evdev_set *set, unsigned timeout_ms,
          const char *what, step_fn fn, void *state, int *err)
{
	const struct cbd_ui *ui = ctx->ui;
	uint64_t t0 = cbd_now_mono_ms();

	for (;;) {
		struct cbd_hw_input_event ev[64];
		uint64_t waited = cbd_now_mono_ms() - t0;
		char line[160];
		int r;

		if (waited >= timeout_ms) {
			ui->status(ui, "");
			return CBD_LID_TIMEOUT;
		}
		snprintf(line, sizeof(line), _("  waiting for %s: %llu s left"), _(what),
		         (unsigned long long)((timeout_ms - waited + 999) / 1000));
		ui->status(ui, line);
		r = ui->wait(ui, set->fd, 500);
		if (r == CBD_UI_SKIP || r == CBD_UI_NO) {
			ui->status(ui, "");
			return CBD_LID_SKIPPED;
		}
		if (r < 0 && r != -EPIPE) {
			ui->status(ui, "");
			*err = r;
			return CBD_LID_ERROR;
		}
		if (r != CBD_UI_READY)
			continue;
		r = cbd_hw_evdev_set_read(set, ev, CBD_ARRAY_SIZE(ev));
		if (r < 0) {
			ui->status(ui, "");
			*err = r;
			return CBD_LID_ERROR;
		}
		if (fn(ev, r, t0, state)) {
			ui->status(ui, "");
			return CBD_LID_DONE;
		}
	}
}

static bool
lid_events(const struct cbd_hw_input_event *ev, int n, uint64_t t0, void *state)
{
	struct cbd_lid_test *t = state;

	for (int i = 0; i < n; i++) {
		if (ev[i].type != EV_SW || ev[i].code != SW_LID)
			continue;
		if (ev[i].value == 1 && !t->closed) {
			t->closed = true;
			t->close_ms = cbd_now_mono_ms() - t0;
		} else if (ev[i].value == 0 && t->closed && !t->opened) {
			t->opened = true;
			t->open_ms = cbd_now_mono_ms() - t0;
		}
	}
	return t->closed && t->opened;
}

static bool
power_events(const struct cbd_hw_input_event *ev, int n, uint64_t t0, void *state)
{
	struct cbd_power_test *t = state;

	for (int i = 0; i < n; i++) {
		if (ev[i].type != EV_KEY || ev[i].code != KEY_POWER)
			continue;
		if (ev[i].value == 1 && !t->pressed) {
			t->pressed = true;
			t->press_ms = cbd_now_mono_ms() - t0;
		} else if (ev[i].value == 0 && t->pressed) {
			t->released = true;
		}
	}
	return t->pressed && t->released;
}

static void
run_lid_test(const struct cbd_ctx *ctx, const struct cbd_lid_raw *raw, unsigned timeout_ms,
             struct cbd_lid_test *t)
{
	const char *nodes[CBD_HW_EVDEV_SET_MAX];
	bool grab[CBD_HW_EVDEV_SET_MAX];
	struct cbd_hw_evdev_set set;
	size_t n = 0;
	uint64_t since;
	int r;

	n = cbd_lid_watch_list(raw, false, nodes, grab, CBD_HW_EVDEV_SET_MAX);
	for (size_t i = 0; i < raw->n; i++)
		if (raw->in[i].has_lid && raw->in[i].lid_closed == 1)
			t->closed_at_start = true;
	panel_snapshot(&t->panel, false);
	since = kmsg_newest(&t->kmsg_err);
	r = cbd_hw_evdev_set_open(nodes, grab, n, &set);
	if (r < 0) {
		t->end = CBD_LID_ERROR;
		t->err = r;
		return;
	}
	ctx->ui->say(ctx->ui, _("Lid test: close the lid all the way, wait a second, then open it "
	                      "again. (s and Enter to skip)"));
	if (t->closed_at_start)
		t->closed = true; /* closed already: opening it is the test */
	t->end =
	    wait_step(ctx, &set, timeout_ms, N_("the lid to close and open"), lid_events, t, &t->err);
	cbd_hw_evdev_set_close(&set);
	if (!t->opened)
		return;
	ctx->ui->say(ctx->ui, _("Lid test: the lid opened. Checking the screen's connection..."));
	if (t->panel.found) {
		t->panel.probe_err = cbd_hw_drm_probe_connector(t->panel.card, t->panel.connector);
		panel_snapshot(&t->panel, true);
	}
	/* without the log from before, old errors could not be told from new ones */
	if (t->kmsg_err == 0)
		kmsg_link_errors_since(since, t);
}

static void
run_power_test(const struct cbd_ctx *ctx, const struct cbd_lid_raw *raw, unsigned timeout_ms,
               struct cbd_power_test *t)
{
	const char *nodes[CBD_HW_EVDEV_SET_MAX];
	bool grab[CBD_HW_EVDEV_SET_MAX];
	struct cbd_hw_evdev_set set;
	size_t n = 0;
	int r;

	n = cbd_lid_watch_list(raw, true, nodes, grab, CBD_HW_EVDEV_SET_MAX);
	r = cbd_hw_evdev_set_open(nodes, grab, n, &set);
	if (r < 0) {
		t->end = CBD_LID_ERROR;
		t->err = r;
		return;
	}
	ctx->ui->say(ctx->ui, _("Power button test: press the power button once, briefly (do not "
	                      "hold it: holding it switches the machine off). (s and Enter to "
	                      "skip)"));
	t->end = wait_step(ctx, &set, timeout_ms, N_("the power button"), power_events, t, &t->err);
	if (t->end == CBD_LID_TIMEOUT && t->pressed) {
		/* pressed, never released within the wait: give it a moment more */
		t->end = wait_step(ctx, &set, RELEASE_WAIT_MS, N_("the power button to come up"),
		                   power_events, t, &t->err);
	}
	cbd_hw_evdev_set_close(&set);
}

static int
lid_run(const struct cbd_ctx *ctx, struct cbd_result *out)
{
	struct cbd_lid_raw raw;
	struct cbd_lid_test lid = {0};
	struct cbd_power_test power = {0};
	unsigned timeout_ms = (unsigned)ctx->thresholds->v[CBD_T_LID_WAIT_SECONDS] * 1000u;
	bool have_lid = false, have_power = false;
	int r = cbd_lid_read(&raw);

	if (r < 0) {
		cbd_result_set(out, CBD_STATUS_ERROR, N_("Could not list the input devices: %s"),
		               strerror(-r));
		return 0;
	}
	for (size_t i = 0; i < raw.n; i++) {
		have_lid |= raw.in[i].has_lid;
		have_power |= cbd_lid_is_power_button(&raw.in[i]);
	}
	if (ctx->interactive && ctx->ui) {
		if (have_lid)
			run_lid_test(ctx, &raw, timeout_ms, &lid);
		if (have_power)
			run_power_test(ctx, &raw, timeout_ms, &power);
	}
	cbd_lid_judge(&raw, ctx->laptop, ctx->interactive, &lid, &power, out);
	cbd_lid_test_clear(&lid);
	cbd_lid_raw_clear(&raw);
	return 0;
}

const struct cbd_probe cbd_probe_lid = {
    .name = "lid",
    .description = "Lid switch, power button, and the screen after the lid moves",
    .flags = CBD_PROBE_INTERACTIVE_STEPS,
    .run = lid_run,
};
