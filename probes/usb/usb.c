/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The usb probe. Not implemented yet: it reports `skip` and says so,
 * never a made-up pass. See probes/usb/README.md.
 */
#include "probe.h"

static int
usb_run(const struct cbd_ctx *ctx, struct cbd_result *out)
{
	cbd_result_set(out, CBD_STATUS_SKIP, "Not implemented yet in this version of cbdiag");
	return 0;
}

const struct cbd_probe cbd_probe_usb = {
	.name = "usb",
	.description = "USB devices, ports, speeds, Type-C and the port-by-port plug test",
	.flags = CBD_PROBE_INTERACTIVE_STEPS,
	.run = usb_run,
};
