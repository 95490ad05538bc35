/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The usb probe: devices, their speeds and names, and the root hubs' physical
 * ports. The port-by-port plug test is not implemented yet and says so in an
 * interactive run. See probes/usb/README.md.
 */
#include "usb.h"

static int
usb_run(const struct cbd_ctx *ctx, struct cbd_result *out)
{
	struct cbd_usb_raw raw;

	cbd_usb_read(&raw);
	cbd_usb_judge(&raw, ctx->laptop, ctx->interactive, out);
	cbd_usb_raw_clear(&raw);
	return 0;
}

const struct cbd_probe cbd_probe_usb = {
	.name = "usb",
	.description = "USB devices, ports, speeds, Type-C and the port-by-port plug test",
	.flags = CBD_PROBE_INTERACTIVE_STEPS,
	.run = usb_run,
};
