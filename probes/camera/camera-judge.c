/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Judging half of the camera probe: pure code, rules in probes/camera/README.md. */
#include "cbd-i18n.h"
#include "camera.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "json.h"

bool
cbd_camera_is_mipi_pipeline(const char *driver)
{
	/* the receivers and ISPs of school Chromebooks' SoCs: Intel IPU3 (cio2,
	 * imgu) and IPU6, MediaTek's camsys, Qualcomm CAMSS, Rockchip ISP */
	static const char *const prefixes[] = {"ipu3-", "intel-ipu", "isys", "mtk-cam", "mtk_cam",
					       "qcom-camss", "camss", "rkisp1", "rkcif"};

	for (size_t i = 0; driver && i < CBD_ARRAY_SIZE(prefixes); i++)
		if (strncmp(driver, prefixes[i], strlen(prefixes[i])) == 0)
			return true;
	return false;
}

static void
fourcc_str(uint32_t f, char buf[5])
{
	for (int i = 0; i < 4; i++) {
		char c = (char)((f >> (8 * i)) & 0xff);

		buf[i] = c >= 0x20 && c < 0x7f ? c : '?';
	}
	buf[4] = '\0';
}

static const char *
grab_reason(int err)
{
	switch (err) {
	case -ENOSYS: return N_("not streamed");
	case -ETIMEDOUT: return N_("no picture in time");
	case -EBUSY: return N_("in use by another program");
	case -EACCES:
	case -EPERM: return N_("not allowed to open it (run as root)");
	default: return N_("the driver refused to stream");
	}
}

static void
add_data(const struct cbd_camera_raw *raw, struct cbd_json *d)
{
	struct cbd_json *a = cbd_json_add_array(d, "cameras");

	for (size_t i = 0; i < raw->n_nodes; i++) {
		const struct cbd_hw_camera_node *c = &raw->nodes[i];
		const struct cbd_hw_camera_grab *g = &raw->grab[i];
		struct cbd_json *o = cbd_json_add_object(a, NULL), *s;
		char fcc[5];

		cbd_json_add_str(o, "node", c->node);
		cbd_json_add_str(o, "name", c->name[0] ? c->name : NULL);
		cbd_json_add_str(o, "driver", c->driver[0] ? c->driver : NULL);
		cbd_json_add_str(o, "bus", c->bus[0] ? c->bus : NULL);
		cbd_json_add_bool(o, "capture", c->capture || c->capture_mplane);
		s = cbd_json_add_object(o, "stream");
		cbd_json_add_bool(s, "done", raw->grab_err[i] == 0);
		if (raw->grab_err[i] < 0)
			cbd_json_add_str(s, "reason", grab_reason(raw->grab_err[i]));
		if (raw->grab_err[i] == -ENOSYS)
			continue;
		fourcc_str(g->fourcc, fcc);
		cbd_json_add_int(s, "width", g->width);
		cbd_json_add_int(s, "height", g->height);
		cbd_json_add_str(s, "format", fcc);
		cbd_json_add_int(s, "frames", g->frames);
		cbd_json_add_int(s, "error_frames", g->error_frames);
		cbd_json_add_int(s, "short_frames", g->short_frames);
		if (g->frames) {
			cbd_json_add_int(s, "first_frame_ms", g->first_frame_ms);
		} else {
			cbd_json_add_null(s, "first_frame_ms");
		}
		if (g->frames && g->luma) {
			cbd_json_add_double(s, "brightness_mean", (double)(long)(g->mean * 10) / 10);
			cbd_json_add_double(s, "brightness_spread", (double)(long)(g->stddev * 10) / 10);
			cbd_json_add_bool(s, "frozen", g->all_identical);
		}
	}
}

/* One camera's stream: returns true when it was judged a working camera. */
static bool
judge_stream(const struct cbd_camera_raw *raw, size_t i, const struct cbd_camera_limits *lim,
             struct cbd_result *out)
{
	const struct cbd_hw_camera_grab *g = &raw->grab[i];
	int err = raw->grab_err[i];

	if (err == -EBUSY) {
		cbd_result_add_finding(out, "camera.in_use", CBD_SEVERITY_WARN, false,
		                       N_("Close the program using the camera and test again"),
		                       N_("Another program is using the camera"));
		return false;
	}
	if (err < 0 || g->frames == 0) {
		cbd_result_add_finding(out, "camera.no_picture", CBD_SEVERITY_FAIL, true,
		                       N_("Check the camera cable behind the screen; if it is "
		                       "plugged in, ask staff"),
		                       N_("The camera gives no picture"));
		return false;
	}
	if (g->error_frames || g->short_frames)
		cbd_result_add_finding(out, "camera.damaged_pictures", CBD_SEVERITY_WARN, true,
		                       N_("Check the camera cable behind the screen; if it is "
		                       "plugged in, ask staff"),
		                       N_("The camera sends damaged pictures"));
	if (!g->luma) {
		cbd_result_add_finding(out, "camera.picture_not_judged", CBD_SEVERITY_INFO, false,
		                       NULL,
		                       N_("The camera gives pictures, but in a form this version "
		                       "cannot look into"));
		return true;
	}
	if (g->all_identical) {
		cbd_result_add_finding(out, "camera.frozen", CBD_SEVERITY_FAIL, true,
		                       N_("Check the camera cable behind the screen; if it is "
		                       "plugged in, ask staff"),
		                       N_("The camera's picture does not change"));
		return false;
	}
	if (g->mean < lim->black_mean) {
		cbd_result_add_finding(out, "camera.black", CBD_SEVERITY_WARN, true,
		                       N_("Open the camera's privacy shutter or clean the lens, "
		                       "point it at the room and test again; if it stays black, "
		                       "ask staff"),
		                       N_("The camera's picture is black"));
		return false;
	}
	if (g->stddev < lim->flat_sd) {
		cbd_result_add_finding(out, "camera.flat", CBD_SEVERITY_FAIL, true,
		                       N_("Point the camera at the room and test again; if the "
		                       "picture is still one colour, ask staff"),
		                       N_("The camera's picture is all one colour"));
		return false;
	}
	return true;
}

void
cbd_camera_judge(const struct cbd_camera_raw *raw, bool chromebook,
                 const struct cbd_camera_limits *lim, struct cbd_result *out)
{
	const struct cbd_finding *worst;
	const struct cbd_hw_camera_grab *good = NULL;
	size_t capture = 0;

	add_data(raw, out->data);
	for (size_t i = 0; i < raw->n_nodes; i++) {
		const struct cbd_hw_camera_node *c = &raw->nodes[i];

		if (!c->capture && !c->capture_mplane)
			continue; /* a UVC camera's metadata node, an output or a codec */
		capture++;
		if (raw->grab_err[i] == -ENOSYS) {
			cbd_result_add_finding(out, "camera.not_tested", CBD_SEVERITY_INFO, false,
			                       NULL,
			                       N_("The camera was found, but this repair image cannot "
			                       "take pictures with it: not tested"));
			continue;
		}
		if (judge_stream(raw, i, lim, out) && !good)
			good = &raw->grab[i];
	}
	if (capture == 0 && chromebook)
		cbd_result_add_finding(out, "camera.missing", CBD_SEVERITY_WARN, true,
		                       N_("Check the camera cable behind the screen; if it is "
		                       "plugged in, ask staff"),
		                       N_("No camera was found"));
	worst = cbd_result_most_severe(out);
	if (worst && worst->severity != CBD_SEVERITY_INFO)
		cbd_result_set(out, cbd_result_worst_finding(out), "%s", worst->message);
	else if (good)
		cbd_result_set(out, CBD_STATUS_PASS, N_("The camera works"));
	else if (worst)
		cbd_result_set(out, CBD_STATUS_SKIP, "%s", worst->message);
	else
		cbd_result_set(out, CBD_STATUS_SKIP, N_("This machine has no camera"));
}
