/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The camera probe: found, streaming, and a picture that is not black, flat or frozen. */
#include "camera.h"

#include "cbd-util.h"

static int
camera_run(const struct cbd_ctx *ctx, struct cbd_result *out)
{
	const double *t = ctx->thresholds->v;
	const struct cbd_device_id *d = ctx->device;
	struct cbd_camera_limits lim = {
	    .black_mean = t[CBD_T_CAMERA_BLACK_MEAN],
	    .flat_sd = t[CBD_T_CAMERA_FLAT_SPREAD],
	};
	struct cbd_camera_raw raw;
	bool chromebook = d && (d->hwid || (d->vendor && streq(d->vendor, "Google")));

	cbd_camera_read(&raw, (unsigned)t[CBD_T_CAMERA_FRAMES],
	                (unsigned)(t[CBD_T_CAMERA_TIMEOUT_SECONDS] * 1000));
	cbd_camera_judge(&raw, chromebook && ctx->laptop, &lim, out);
	return 0;
}

const struct cbd_probe cbd_probe_camera = {
    .name = "camera",
    .description = "Camera: found, gives a picture that is not black, flat or frozen",
    .flags = 0,
    .run = camera_run,
};
