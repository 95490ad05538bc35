/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The keyboard probe: keyboards and their top row, keys held down when the
 * probe starts (a stuck key), and with --interactive the key-by-key test on
 * the grabbed internal keyboard. See probes/keyboard/README.md.
 */
#include <errno.h>

#include "cbd-i18n.h"
#include "keyboard.h"
#include "keytest.h"

#define KEYTEST_LIMIT_S 900

/* The key test on the grabbed internal keyboard; 0, or -errno when it could
 * not start. The grab is released on every way out (and by the kernel if the
 * process dies). */
static int
run_keytest(const struct cbd_ctx *ctx, const struct cbd_keyboard_raw *k, struct cbd_keytest *kt)
{
	const struct cbd_thresholds *t = ctx->thresholds;
	struct cbd_hw_evdev dev;
	struct cbd_hw_input_event ev[64];
	uint64_t last_draw = 0;
	int r, drawn_tested = -1;

	ctx->ui->say(ctx->ui, _("Key test: press every key of the internal keyboard once, one at a "
			      "time. Hold Esc for 2 seconds to stop early."));
	r = cbd_hw_evdev_open(k->devnode, true, &dev);
	if (r < 0)
		return r;
	cbd_keytest_init(kt, k->n_top_row > 0 ? k->top_row : NULL, k->n_top_row,
			 cbd_now_mono_us(), (unsigned)t->v[CBD_T_KEYBOARD_CHATTER_MS],
			 (unsigned)t->v[CBD_T_KEYBOARD_STUCK_SECONDS],
			 (unsigned)t->v[CBD_T_KEYBOARD_NO_EVENT_SECONDS], KEYTEST_LIMIT_S);
	{
		unsigned codes[8];
		const char *labels[8];
		int n = cbd_keyboard_layout_extras(k, codes, labels, 8);

		for (int i = 0; i < n; i++)
			cbd_keytest_add_optional(kt, labels[i], codes[i]);
	}
	while (kt->end == CBD_KT_RUNNING) {
		int n = cbd_hw_evdev_read(&dev, ev, CBD_ARRAY_SIZE(ev), 100);
		uint64_t now = cbd_now_mono_us();

		if (n < 0)
			break; /* the keyboard went away: what was tested stands */
		for (int i = 0; i < n; i++)
			cbd_keytest_event(kt, dev.monotonic ? ev[i].time_us : now, ev[i].type,
					  ev[i].code, ev[i].value);
		cbd_keytest_tick(kt, now);
		/* redraw on change, and every second for the clock-driven states */
		if (n > 0 || now - last_draw > 1000000 ||
		    drawn_tested != cbd_keytest_count(kt, CBD_KT_TESTED)) {
			_cleanup_free_ char *screen = cbd_keytest_render(kt, ctx->ui->colour);
			_cleanup_free_ char *line = cbd_strdupf(
				_("Key test: %d of %d keys tested"), cbd_keytest_count(kt, CBD_KT_TESTED),
				kt->n_required);

			ctx->ui->screen(ctx->ui, screen, line);
			last_draw = now;
			drawn_tested = cbd_keytest_count(kt, CBD_KT_TESTED);
		}
	}
	cbd_hw_evdev_close(&dev);
	ctx->ui->screen(ctx->ui, NULL, "");
	return 0;
}

static int
keyboard_run(const struct cbd_ctx *ctx, struct cbd_result *out)
{
	_cleanup_free_ struct cbd_keyboard_raw *k = NULL;
	int n = cbd_keyboard_read_all(&k);

	if (n == -ENOENT)
		n = 0; /* no input class: no keyboard */
	else if (n < 0) {
		cbd_result_set(out, CBD_STATUS_ERROR, N_("Could not list the input devices: %s"),
			       strerror(-n));
		return 0;
	}
	if (ctx->interactive && ctx->ui) {
		for (int i = 0; i < n; i++)
			if (cbd_keyboard_is_internal(&k[i])) {
				struct cbd_keytest *kt = cbd_zalloc(sizeof(*kt));
				int r = run_keytest(ctx, &k[i], kt);

				cbd_keyboard_judge(k, (size_t)n, ctx->laptop, true, r < 0 ? NULL : kt, r,
						   out);
				free(kt);
				return 0;
			}
	}
	cbd_keyboard_judge(k, (size_t)n, ctx->laptop, ctx->interactive, NULL, 0, out);
	return 0;
}

const struct cbd_probe cbd_probe_keyboard = {
	.name = "keyboard",
	.description = "Keyboards, stuck keys and the key-by-key test",
	.flags = CBD_PROBE_INTERACTIVE_STEPS,
	.run = keyboard_run,
};
