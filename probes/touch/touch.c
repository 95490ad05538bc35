/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The touch probe: the touchpad, touchscreen and stylus found and described;
 * with --interactive, the touchpad traced (edges and a diagonal), clicked
 * with one and two fingers and scrolled with two, the touchscreen drawn on
 * until every cell of its grid is reached, and the stylus pressed on the
 * screen. Each step waits touch.wait_seconds at most; Enter ends it early, s
 * and Enter skips it. See probes/touch/README.md.
 *
 * The device under test is grabbed while a step waits, so a session (where
 * one runs) does not move a pointer or click on something meanwhile.
 */
#include <errno.h>

#include "cbd-i18n.h"
#include "touch.h"

struct step_ctx {
	const struct cbd_ctx *ctx;
	const char *what; /* for the status line: "touchpad" */
	bool path;        /* the trace: only the path's cells count */
	enum { WANT_CELLS, WANT_CLICKS, WANT_PEN } want;
	bool pressure;
	const char *prompt;
	char *last; /* the status line drawn last, [160] */
};

static bool
step_done(const struct step_ctx *sc, const struct cbd_touch_tracker *t)
{
	switch (sc->want) {
	case WANT_CELLS:
		return t->reports > 0 && cbd_touch_dead_cells(t, sc->path, NULL, 0) == 0;
	case WANT_CLICKS:
		return t->click1 && t->click2 && t->scroll;
	case WANT_PEN:
		return t->pen_seen && (!sc->pressure || t->pressure_max_seen > 0);
	}
	return false;
}

/* On a terminal, the grid drawn under the prompt: # reached, . still to reach. */
static void
draw_map(const struct step_ctx *sc, const struct cbd_touch_tracker *t, const char *line)
{
	char map[(CBD_TOUCH_MAX_CELLS + 1) * 2 + 8], text[1024], *row, *save = NULL;
	size_t len;

	cbd_touch_map_text(t, sc->path, map, sizeof(map));
	len = (size_t)snprintf(text, sizeof(text), "%s\n\n", sc->prompt);
	for (row = strtok_r(map, "\n", &save); row && len < sizeof(text);
	     row = strtok_r(NULL, "\n", &save))
		len += (size_t)snprintf(text + len, sizeof(text) - len, "    |%s|\n", row);
	if (len < sizeof(text))
		snprintf(text + len, sizeof(text) - len,
		         _("\n    # reached   . still to reach\n\n%s\n"), line);
	sc->ctx->ui->screen(sc->ctx->ui, text, line);
}

static void
status(const struct step_ctx *sc, const struct cbd_touch_tracker *t, uint64_t left_ms)
{
	char line[160];
	unsigned secs = (unsigned)((left_ms + 999) / 1000);

	if (sc->want == WANT_CELLS) {
		int total = 0;

		for (int i = 0; i < t->cols * t->rows; i++)
			total += !sc->path || cbd_touch_on_path(t->cols, t->rows, i);
		snprintf(line, sizeof(line), _("  %s: %zu of %d places still to reach, %u s left"),
		         sc->what, cbd_touch_dead_cells(t, sc->path, NULL, 0), total, secs);
	} else if (sc->want == WANT_CLICKS) {
		snprintf(
		    line, sizeof(line),
		    _("  one-finger click %s, two-finger click %s, two-finger scroll %s; %u s left"),
		    t->click1 ? _("seen") : _("waiting"), t->click2 ? _("seen") : _("waiting"),
		    t->scroll ? _("seen") : _("waiting"), secs);
	} else {
		snprintf(line, sizeof(line), _("  stylus %s; %u s left"),
		         t->pen_seen ? _("seen, press harder") : _("not seen yet"), secs);
	}
	if (streq(line, sc->last))
		return; /* nothing new: no redraw */
	snprintf(sc->last, 160, "%s", line);
	if (sc->want == WANT_CELLS)
		draw_map(sc, t, line);
	else
		sc->ctx->ui->status(sc->ctx->ui, line);
}

static void
run_step(const struct step_ctx *sc, const char *devnode, unsigned timeout_ms,
         struct cbd_touch_step *s)
{
	const struct cbd_ui *ui = sc->ctx->ui;
	const char *nodes[1] = {devnode};
	bool grab[1] = {true};
	struct cbd_hw_evdev_set set;
	uint64_t t0;
	int r = cbd_hw_evdev_set_open(nodes, grab, 1, &set);

	if (r < 0) {
		s->end = CBD_TOUCH_ERROR;
		s->err = r;
		return;
	}
	ui->say(ui, sc->prompt);
	sc->last[0] = '\0';
	t0 = cbd_now_mono_ms();
	for (;;) {
		struct cbd_hw_input_event ev[64];
		uint64_t waited = cbd_now_mono_ms() - t0;

		if (step_done(sc, &s->t)) {
			s->end = CBD_TOUCH_DONE;
			break;
		}
		if (waited >= timeout_ms) {
			s->end = CBD_TOUCH_TIMEOUT;
			break;
		}
		status(sc, &s->t, timeout_ms - waited);
		r = ui->wait(ui, set.fd, 250);
		if (r == CBD_UI_SKIP || r == CBD_UI_NO) {
			s->end = CBD_TOUCH_SKIPPED;
			break;
		}
		if (r == CBD_UI_DONE) {
			s->end = CBD_TOUCH_ENDED;
			break;
		}
		if (r < 0 && r != -EPIPE) {
			s->end = CBD_TOUCH_ERROR;
			s->err = r;
			break;
		}
		if (r != CBD_UI_READY)
			continue;
		/* drain what is there: a busy pad sends hundreds of events a second */
		while ((r = cbd_hw_evdev_set_read(&set, ev, CBD_ARRAY_SIZE(ev))) > 0)
			cbd_touch_tracker_feed(&s->t, ev, (size_t)r);
		if (r < 0) {
			s->end = CBD_TOUCH_ERROR;
			s->err = r;
			break;
		}
	}
	if (sc->want == WANT_CELLS)
		ui->screen(ui, NULL, "");
	ui->status(ui, "");
	cbd_hw_evdev_set_close(&set);
}

static void
init_tracker(struct cbd_touch_step *s, const struct cbd_touch_dev_raw *d, int cols, int rows,
             double jump)
{
	struct cbd_touch_info in;

	cbd_touch_classify(d, &in);
	cbd_touch_tracker_init(&s->t, &d->x, &d->y, in.multitouch, cols, rows, jump);
}

static int
touch_run(const struct cbd_ctx *ctx, struct cbd_result *out)
{
	struct cbd_touch_raw raw;
	struct cbd_touch_tests tests = {0};
	unsigned timeout_ms = (unsigned)ctx->thresholds->v[CBD_T_TOUCH_WAIT_SECONDS] * 1000u;
	double jump = ctx->thresholds->v[CBD_T_TOUCH_JUMP_PERCENT];
	const struct cbd_touch_dev_raw *pad = NULL, *screen = NULL, *pen = NULL;
	int r = cbd_touch_read(&raw);

	if (r < 0) {
		cbd_result_set(out, CBD_STATUS_ERROR, N_("Could not list the input devices: %s"),
		               strerror(-r));
		return 0;
	}
	for (size_t i = 0; i < raw.n; i++) {
		struct cbd_touch_info in;

		cbd_touch_classify(&raw.dev[i], &in);
		if (raw.dev[i].abs_err < 0)
			continue; /* no ranges: nothing to map a position to */
		if (in.kind == CBD_TOUCH_TOUCHPAD && !pad)
			pad = &raw.dev[i];
		if (in.kind == CBD_TOUCH_TOUCHSCREEN && !screen)
			screen = &raw.dev[i];
		if (in.pen && (in.kind == CBD_TOUCH_TOUCHSCREEN || in.kind == CBD_TOUCH_PEN) &&
		    !pen)
			pen = &raw.dev[i];
	}
	if (ctx->interactive && ctx->ui) {
		const char *trace_prompt =
		    _("Touchpad test: with one finger, trace slowly all around the edge of the "
		    "touchpad, then a line from the top-left corner to the bottom-right. (Enter "
		    "when done, s and Enter to skip)");
		const char *click_prompt =
		    _("Touchpad test: click once with one finger, then once with two fingers, then "
		    "scroll: two fingers side by side moved up or down. (s and Enter to skip)");
		const char *screen_prompt =
		    _("Touchscreen test: draw with one finger over the whole screen, edges and "
		    "corners too, until every part has been touched. (Enter when done, s and "
		    "Enter to skip)");
		const char *pen_prompt = _("Stylus test: take out the stylus and draw a line on the "
		                         "screen with it, pressing firmly. (s and Enter to skip)");
		char last[160];

		if (pad) {
			struct step_ctx sc = {ctx,   "touchpad",   true, WANT_CELLS,
			                      false, trace_prompt, last};

			init_tracker(&tests.trace, pad, CBD_TOUCHPAD_COLS, CBD_TOUCHPAD_ROWS, jump);
			run_step(&sc, pad->devnode, timeout_ms, &tests.trace);
			sc.want = WANT_CLICKS;
			sc.prompt = click_prompt;
			init_tracker(&tests.clicks, pad, CBD_TOUCHPAD_COLS, CBD_TOUCHPAD_ROWS,
			             jump);
			run_step(&sc, pad->devnode, timeout_ms, &tests.clicks);
		}
		if (screen) {
			struct step_ctx sc = {ctx,   "touchscreen", false, WANT_CELLS,
			                      false, screen_prompt, last};

			init_tracker(&tests.screen, screen, CBD_TOUCHSCREEN_COLS,
			             CBD_TOUCHSCREEN_ROWS, jump);
			run_step(&sc, screen->devnode, timeout_ms, &tests.screen);
		}
		if (pen) {
			struct cbd_touch_info in;
			struct step_ctx sc = {ctx,   "stylus",   false, WANT_PEN,
			                      false, pen_prompt, last};

			cbd_touch_classify(pen, &in);
			sc.pressure = in.pressure;
			init_tracker(&tests.pen, pen, CBD_TOUCHSCREEN_COLS, CBD_TOUCHSCREEN_ROWS,
			             jump);
			run_step(&sc, pen->devnode, timeout_ms, &tests.pen);
		}
	}
	cbd_touch_judge(&raw, ctx->laptop, ctx->interactive, &tests, out);
	cbd_touch_raw_clear(&raw);
	return 0;
}

const struct cbd_probe cbd_probe_touch = {
    .name = "touch",
    .description = "Touchpad, touchscreen and stylus: found, and traced and clicked when guided",
    .flags = CBD_PROBE_INTERACTIVE_STEPS,
    .run = touch_run,
};
