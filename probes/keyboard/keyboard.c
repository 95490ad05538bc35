/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The keyboard probe: keyboards and their top row, keys held down when the
 * probe starts (a stuck key). The interactive key-by-key test is not
 * implemented yet and says so. See probes/keyboard/README.md.
 */
#include <errno.h>

#include "keyboard.h"

static int
keyboard_run(const struct cbd_ctx *ctx, struct cbd_result *out)
{
	_cleanup_free_ struct cbd_keyboard_raw *k = NULL;
	int n = cbd_keyboard_read_all(&k);

	if (n == -ENOENT)
		n = 0; /* no input class: no keyboard */
	else if (n < 0) {
		cbd_result_set(out, CBD_STATUS_ERROR, "Could not list the input devices: %s",
			       strerror(-n));
		return 0;
	}
	cbd_keyboard_judge(k, (size_t)n, ctx->laptop, ctx->interactive, out);
	return 0;
}

const struct cbd_probe cbd_probe_keyboard = {
	.name = "keyboard",
	.description = "Keyboards, stuck keys and the key-by-key test",
	.flags = CBD_PROBE_INTERACTIVE_STEPS,
	.run = keyboard_run,
};
