/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The display probe: the internal panel (connector, EDID identity and
 * preferred mode), other connected screens, and the backlight. The
 * colour-pattern test and the backlight sweep are not implemented yet and
 * say so in the report. See probes/display/README.md.
 */
#include "display.h"

static int
display_run(const struct cbd_ctx *ctx, struct cbd_result *out)
{
	struct cbd_display_raw raw;

	cbd_display_read(&raw);
	cbd_display_judge(&raw, ctx->laptop, ctx->interactive, ctx->backlight_sweep, out);
	cbd_display_raw_clear(&raw);
	return 0;
}

const struct cbd_probe cbd_probe_display = {
	.name = "display",
	.description = "Internal panel, EDID, backlight and colour patterns",
	.flags = CBD_PROBE_INTERACTIVE_STEPS,
	.run = display_run,
};
