/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The kbd_backlight probe: find the keyboard's backlight LED and, when the
 * intern asked for the sweep, step it through its levels with read-back.
 */
#include "cbd-i18n.h"
#include "kbd-backlight.h"

static int
kbd_backlight_run(const struct cbd_ctx *ctx, struct cbd_result *out)
{
	struct cbd_kbd_backlight_raw raw;
	struct cbd_sweep sweep = {0};
	const struct cbd_kbd_led_raw *pick;
	int r = cbd_kbd_backlight_read(&raw);

	if (r < 0)
		return r;
	pick = cbd_kbd_backlight_pick(&raw);
	/* the sweep writes brightness: only when asked */
	if (pick && (ctx->backlight_sweep || ctx->interactive))
		cbd_light_sweep(ctx, CBD_HW_LIGHT_LED, pick->name, pick->max_brightness,
		                _("Keyboard light test next. Watch the keys: their light will go "
		                "dim, then brighter, step by step. Press Enter to start (s and "
		                "Enter to skip)."),
		                _("Keyboard light: watch the keys get brighter..."),
		                _("Did the keys light up brighter step by step? Enter for yes, n and "
		                "Enter for no, s to skip."),
		                &sweep);
	cbd_kbd_backlight_judge(&raw, ctx->backlight_sweep || ctx->interactive, &sweep, out);
	cbd_kbd_backlight_raw_clear(&raw);
	return 0;
}

const struct cbd_probe cbd_probe_kbd_backlight = {
    .name = "kbd_backlight",
    .description = "Keyboard backlight, and its level sweep",
    .flags = CBD_PROBE_INTERACTIVE_STEPS,
    .run = kbd_backlight_run,
};
