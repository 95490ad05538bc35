/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The camera probe: a camera found (UVC on USB, or an SoC's through V4L2),
 * a short stream from it, and its picture judged from brightness figures
 * alone: black, all one colour, frozen, or no picture at all. The frames
 * themselves are never kept. See probes/camera/README.md.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "hw.h"
#include "probe.h"

#define CBD_CAM_MAX 8

struct cbd_camera_raw {
	struct cbd_hw_camera_node nodes[CBD_CAM_MAX];
	size_t n_nodes;
	int list_err;
	/* the stream from each node that can capture (same index); grab_err is
	 * -ENOSYS for a node that was not streamed */
	struct cbd_hw_camera_grab grab[CBD_CAM_MAX];
	int grab_err[CBD_CAM_MAX];
};

struct cbd_camera_limits {
	double black_mean; /* a picture darker than this on average... */
	double flat_sd;    /* ...or whose brightness varies less than this, is judged */
};

/** Read the nodes; stream @frames frames from each capture node, up to
 * @timeout_ms each. */
void cbd_camera_read(struct cbd_camera_raw *raw, unsigned frames, unsigned timeout_ms);

/** Pure: a capture node the repair image can only find, not stream from: a
 * MIPI camera behind an SoC's image pipeline (Intel IPU, MediaTek, Qualcomm
 * CAMSS, Rockchip ISP), which needs the vendor's camera stack. */
bool cbd_camera_is_mipi_pipeline(const char *driver);

/** Pure: the verdict. @chromebook: every Chromebook has a camera, so a
 * missing one is a finding; elsewhere it is a skip. */
void cbd_camera_judge(const struct cbd_camera_raw *raw, bool chromebook,
                      const struct cbd_camera_limits *lim, struct cbd_result *out);
