/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The storage probe. Not implemented yet: it reports `skip` and says so,
 * never a made-up pass. See probes/storage/README.md.
 */
#include "probe.h"

static int
storage_run(const struct cbd_ctx *ctx, struct cbd_result *out)
{
	cbd_result_set(out, CBD_STATUS_SKIP, "Not implemented yet in this version of cbdiag");
	return 0;
}

const struct cbd_probe cbd_probe_storage = {
	.name = "storage",
	.description = "Internal disk health (eMMC, NVMe, SATA) and a read test",
	.flags = CBD_PROBE_SLOW | CBD_PROBE_NEEDS_ROOT,
	.run = storage_run,
};
