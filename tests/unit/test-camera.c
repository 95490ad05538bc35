/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The camera verdicts from literal values: every rule of probes/camera/README.md. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <linux/videodev2.h>

#include "camera.h"
#include "json.h"

static const struct cbd_camera_limits lim = {.black_mean = 12, .flat_sd = 2};

static struct cbd_result *
judge(const struct cbd_camera_raw *raw, bool chromebook)
{
	struct cbd_result *r = cbd_result_new();

	cbd_camera_judge(raw, chromebook, &lim, r);
	assert_true(r->status_set);
	return r;
}

/* A UVC webcam: its capture node and its metadata node, and a good stream */
static struct cbd_camera_raw
webcam(void)
{
	struct cbd_camera_raw raw = {
		.nodes = {{.node = "video0", .name = "HD User Facing", .driver = "uvcvideo",
		           .bus = "usb", .capture = true, .streaming = true},
		          {.node = "video1", .name = "HD User Facing", .driver = "uvcvideo",
		           .bus = "usb", .streaming = true}},
		.n_nodes = 2,
		.grab = {{.width = 640, .height = 480, .fourcc = V4L2_PIX_FMT_YUYV, .luma = true,
		          .frames = 10, .first_frame_ms = 180, .mean = 104.5, .stddev = 41.2}},
		.grab_err = {0, -ENOSYS},
	};

	return raw;
}

static const struct cbd_json *
stream0(const struct cbd_result *r)
{
	return cbd_json_get(cbd_json_at(cbd_json_get(r->data, "cameras"), 0), "stream");
}

static void
test_working_webcam(void **state)
{
	struct cbd_camera_raw raw = webcam();
	struct cbd_result *r = judge(&raw, true);
	double v = 0;

	assert_int_equal(r->status, CBD_STATUS_PASS);
	assert_string_equal(r->summary, "The camera works");
	assert_int_equal(r->n_findings, 0);
	assert_string_equal(cbd_json_get_str(stream0(r), "format"), "YUYV");
	assert_true(cbd_json_get_number(stream0(r), "brightness_mean", &v) && v == 104.5);
	/* the metadata node is listed, not judged */
	assert_int_equal(cbd_json_size(cbd_json_get(r->data, "cameras")), 2);
	cbd_result_free(r);
}

static void
test_black_picture(void **state)
{
	struct cbd_camera_raw raw = webcam();
	struct cbd_result *r;

	raw.grab[0].mean = 3;
	raw.grab[0].stddev = 0.5;
	r = judge(&raw, true);
	assert_int_equal(r->status, CBD_STATUS_WARN);
	assert_true(cbd_result_find_finding(r, "camera.black")->escalate);
	cbd_result_free(r);
	raw.grab[0].mean = 12; /* at the line: not black */
	raw.grab[0].stddev = 20;
	r = judge(&raw, true);
	assert_int_equal(r->status, CBD_STATUS_PASS);
	cbd_result_free(r);
}

static void
test_flat_picture(void **state)
{
	struct cbd_camera_raw raw = webcam();
	struct cbd_result *r;

	raw.grab[0].mean = 200;
	raw.grab[0].stddev = 1.0;
	r = judge(&raw, true);
	assert_int_equal(r->status, CBD_STATUS_FAIL);
	assert_non_null(cbd_result_find_finding(r, "camera.flat"));
	cbd_result_free(r);
}

static void
test_frozen_stream(void **state)
{
	struct cbd_camera_raw raw = webcam();
	struct cbd_result *r;

	raw.grab[0].all_identical = true;
	r = judge(&raw, true);
	assert_int_equal(r->status, CBD_STATUS_FAIL);
	assert_non_null(cbd_result_find_finding(r, "camera.frozen"));
	cbd_result_free(r);
}

static void
test_no_picture(void **state)
{
	struct cbd_camera_raw raw = webcam();
	struct cbd_result *r;

	raw.grab[0] = (struct cbd_hw_camera_grab){.width = 640, .height = 480,
	                                          .fourcc = V4L2_PIX_FMT_YUYV, .luma = true};
	raw.grab_err[0] = -ETIMEDOUT;
	r = judge(&raw, true);
	assert_int_equal(r->status, CBD_STATUS_FAIL);
	assert_true(cbd_result_find_finding(r, "camera.no_picture")->escalate);
	assert_string_equal(cbd_json_get_str(stream0(r), "reason"), "no picture in time");
	assert_true(cbd_json_is_null(stream0(r), "first_frame_ms"));
	cbd_result_free(r);
}

static void
test_damaged_frames(void **state)
{
	struct cbd_camera_raw raw = webcam();
	struct cbd_result *r;

	raw.grab[0].error_frames = 3;
	r = judge(&raw, true);
	assert_int_equal(r->status, CBD_STATUS_WARN);
	assert_non_null(cbd_result_find_finding(r, "camera.damaged_pictures"));
	cbd_result_free(r);
}

static void
test_in_use(void **state)
{
	struct cbd_camera_raw raw = webcam();
	struct cbd_result *r;

	raw.grab_err[0] = -EBUSY;
	r = judge(&raw, true);
	assert_int_equal(r->status, CBD_STATUS_WARN);
	assert_false(cbd_result_find_finding(r, "camera.in_use")->escalate);
	cbd_result_free(r);
}

static void
test_mjpeg_only_is_not_judged(void **state)
{
	struct cbd_camera_raw raw = webcam();
	struct cbd_result *r;

	raw.grab[0].fourcc = V4L2_PIX_FMT_MJPEG;
	raw.grab[0].luma = false;
	raw.grab[0].mean = 0;
	r = judge(&raw, true);
	assert_int_equal(r->status, CBD_STATUS_PASS);
	assert_int_equal(cbd_result_find_finding(r, "camera.picture_not_judged")->severity,
	                 CBD_SEVERITY_INFO);
	assert_false(cbd_json_get_bool(stream0(r), "frozen", NULL));
	cbd_result_free(r);
}

static void
test_mipi_camera_is_not_tested(void **state)
{
	struct cbd_camera_raw raw = {
		.nodes = {{.node = "video0", .name = "Intel IPU6 ISYS Capture 0",
		           .driver = "isys", .bus = "pci", .capture_mplane = true,
		           .streaming = true}},
		.n_nodes = 1,
		.grab_err = {-ENOSYS},
	};
	struct cbd_result *r = judge(&raw, true);

	assert_int_equal(r->status, CBD_STATUS_SKIP);
	assert_non_null(cbd_result_find_finding(r, "camera.not_tested"));
	assert_true(cbd_camera_is_mipi_pipeline("ipu3-cio2"));
	assert_true(cbd_camera_is_mipi_pipeline("mtk-cam-isp"));
	assert_true(cbd_camera_is_mipi_pipeline("qcom-camss"));
	assert_false(cbd_camera_is_mipi_pipeline("uvcvideo"));
	assert_false(cbd_camera_is_mipi_pipeline("vivid"));
	cbd_result_free(r);
}

static void
test_missing_on_a_chromebook(void **state)
{
	struct cbd_camera_raw raw = {0};
	struct cbd_result *r = judge(&raw, true);

	assert_int_equal(r->status, CBD_STATUS_WARN);
	assert_true(cbd_result_find_finding(r, "camera.missing")->escalate);
	cbd_result_free(r);
	/* a PC without a camera is not a fault */
	r = judge(&raw, false);
	assert_int_equal(r->status, CBD_STATUS_SKIP);
	assert_int_equal(r->n_findings, 0);
	cbd_result_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_working_webcam),
		cmocka_unit_test(test_black_picture),
		cmocka_unit_test(test_flat_picture),
		cmocka_unit_test(test_frozen_stream),
		cmocka_unit_test(test_no_picture),
		cmocka_unit_test(test_damaged_frames),
		cmocka_unit_test(test_in_use),
		cmocka_unit_test(test_mjpeg_only_is_not_judged),
		cmocka_unit_test(test_mipi_camera_is_not_tested),
		cmocka_unit_test(test_missing_on_a_chromebook),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
