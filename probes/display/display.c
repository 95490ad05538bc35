/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The display probe. Not implemented yet: it reports `skip` and says so,
 * never a made-up pass. See probes/display/README.md.
 */
#include "probe.h"

static int
display_run(const struct cbd_ctx *ctx, struct cbd_result *out)
{
	cbd_result_set(out, CBD_STATUS_SKIP, "Not implemented yet in this version of cbdiag");
	return 0;
}

const struct cbd_probe cbd_probe_display = {
	.name = "display",
	.description = "Internal panel, EDID, backlight and colour patterns",
	.flags = CBD_PROBE_INTERACTIVE_STEPS,
	.run = display_run,
};
