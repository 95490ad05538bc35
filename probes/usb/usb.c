/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The usb probe: devices, their speeds and names, and the root hubs' physical
 * ports; with --interactive, the port-by-port plug test (port-test.c). See
 * probes/usb/README.md.
 */
#include "usb.h"

static int
usb_run(const struct cbd_ctx *ctx, struct cbd_result *out)
{
	struct cbd_usb_raw raw;
	const char *board = ctx->device ? ctx->device->board : NULL;

	cbd_usb_read(&raw);
	if (ctx->interactive && raw.list_err == 0) {
		struct cbd_usb_port_test pt = {0};

		cbd_usb_port_test_run(ctx, &raw, &pt);
		cbd_usb_judge(&raw, ctx->laptop, board, &pt, out);
		cbd_usb_port_test_clear(&pt);
	} else {
		cbd_usb_judge(&raw, ctx->laptop, board, NULL, out);
	}
	cbd_usb_raw_clear(&raw);
	return 0;
}

const struct cbd_probe cbd_probe_usb = {
	.name = "usb",
	.description = "USB devices, ports, speeds, Type-C and the port-by-port plug test",
	.flags = CBD_PROBE_INTERACTIVE_STEPS,
	.run = usb_run,
};
