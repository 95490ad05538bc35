/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The display probe: the internal panel (connector, EDID identity and
 * preferred mode), other connected screens, the backlight and, when asked,
 * the backlight sweep and, in an interactive run, the colour-pattern test.
 * See probes/display/README.md.
 */
#include "cbd-i18n.h"
#include "display.h"

static int
display_run(const struct cbd_ctx *ctx, struct cbd_result *out)
{
	struct cbd_display_raw raw;
	struct cbd_sweep sweep = {0};
	struct cbd_pattern_run patterns = {0};
	const struct cbd_backlight_raw *bl;
	const struct cbd_connector_raw *panel = NULL;
	const struct cbd_fb_raw *fb;

	cbd_display_read(&raw);
	for (size_t i = 0; i < raw.n_conn && !panel; i++)
		if (cbd_connector_is_internal(raw.conn[i].name) &&
		    streq(raw.conn[i].status, "connected"))
			panel = &raw.conn[i];
	/* the sweep writes brightness: only when asked, and only with a panel to watch */
	bl = cbd_backlight_pick(raw.bl, raw.n_bl);
	if (bl && panel && (ctx->backlight_sweep || ctx->interactive))
		cbd_light_sweep(ctx, CBD_HW_LIGHT_BACKLIGHT, bl->name, bl->max_brightness,
				_("Screen light test next. Watch the screen: it will get darker, "
				"then brighter, step by step. Press Enter to start (s and Enter to "
				"skip)."),
				_("Screen light test: watch the screen get brighter..."),
				_("Did the screen get brighter step by step? Enter for yes, n and Enter "
				"for no, s to skip."),
				&sweep);
	if (panel && ctx->interactive)
		cbd_pattern_test(ctx, panel->card, panel->name, &patterns);
	else if (!panel && ctx->interactive && (fb = cbd_display_firmware_fb(&raw)))
		cbd_pattern_test_fbdev(ctx, fb, &patterns);
	cbd_display_judge(&raw, ctx->laptop, ctx->interactive, ctx->backlight_sweep, &sweep,
			  &patterns, out);
	cbd_display_raw_clear(&raw);
	return 0;
}

const struct cbd_probe cbd_probe_display = {
	.name = "display",
	.description = "Internal panel, EDID, backlight and colour patterns",
	.flags = CBD_PROBE_INTERACTIVE_STEPS,
	.run = display_run,
};
