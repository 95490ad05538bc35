/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The keyboard probe. Not implemented yet: it reports `skip` and says so,
 * never a made-up pass. See probes/keyboard/README.md.
 */
#include "probe.h"

static int
keyboard_run(const struct cbd_ctx *ctx, struct cbd_result *out)
{
	cbd_result_set(out, CBD_STATUS_SKIP, "Not implemented yet in this version of cbdiag");
	return 0;
}

const struct cbd_probe cbd_probe_keyboard = {
	.name = "keyboard",
	.description = "Keyboards, stuck keys and the key-by-key test",
	.flags = CBD_PROBE_INTERACTIVE_STEPS,
	.run = keyboard_run,
};
