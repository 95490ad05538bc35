/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The wireless probe: Wi-Fi and Bluetooth found, driven, not blocked. */
#include "wireless.h"

static int
wireless_run(const struct cbd_ctx *ctx, struct cbd_result *out)
{
	struct cbd_wireless_raw raw;

	const double *t = ctx->thresholds->v;

	cbd_wireless_read(&raw, (unsigned)(t[CBD_T_WIRELESS_SCAN_SECONDS] * 1000));
	cbd_wireless_judge(&raw, ctx->laptop, (int)t[CBD_T_WIRELESS_WEAK_DBM], out);
	cbd_wireless_raw_clear(&raw);
	return 0;
}

const struct cbd_probe cbd_probe_wireless = {
    .name = "wireless",
    .description = "Wi-Fi and Bluetooth: found, driver and firmware loaded, radio not blocked",
    .flags = 0,
    .run = wireless_run,
};
