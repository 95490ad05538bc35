/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The display probe against umockdev test beds made from real panel EDIDs:
 * the real binary reading /sys/class/drm and /sys/class/backlight.
 * Runs under umockdev-wrapper.
 */
#include <signal.h>
#include <setjmp.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "cbd-util.h"
#include "testbed.h"

static cJSON *
display_report(const char *scenario, int *exit_code)
{
	static const char *const args[] = {"--probe", "display", NULL};

	return cbd_testbed_report(scenario, args, exit_code);
}

static const cJSON *
probe(const cJSON *root)
{
	return cbd_tb_probe(root, "display");
}

static const cJSON *
panel(const cJSON *root, const char *conn)
{
	const cJSON *p;

	cJSON_ArrayForEach(p, cJSON_GetObjectItem(cJSON_GetObjectItem(probe(root), "data"), "panels"))
	if (streq(cbd_tb_str(p, "connector"), conn))
		return p;
	return NULL;
}

static void
test_edp_healthy(void **state)
{
	int rc;
	cJSON *r = display_report("octopus-edp-healthy", &rc);
	const cJSON *p = panel(r, "eDP-1"), *e = cJSON_GetObjectItem(p, "edid");
	const cJSON *m = cJSON_GetObjectItem(e, "preferred_mode");
	const cJSON *bl = cJSON_GetObjectItem(cJSON_GetObjectItem(probe(r), "data"), "backlight");

	assert_int_equal(rc, 0);
	assert_string_equal(cbd_tb_str(probe(r), "status"), "pass");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(p, "internal")));
	assert_string_equal(cbd_tb_str(p, "card"), "card0");
	assert_string_equal(cbd_tb_str(p, "status"), "connected");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(e, "checksum_ok")));
	assert_string_equal(cbd_tb_str(e, "manufacturer"), "BOE");
	assert_string_equal(cbd_tb_str(e, "name"), "NV116WHM-N45"); /* the eDP part number */
	assert_int_equal(cbd_tb_num(m, "width"), 1366);
	assert_int_equal(cbd_tb_num(m, "height"), 768);
	assert_true(cbd_tb_num(m, "refresh_hz") > 59.9 && cbd_tb_num(m, "refresh_hz") < 60.1);
	assert_true(cbd_tb_num(e, "width_mm") > 200);
	assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(p, "modes"), 0)->valuestring,
			    "1366x768");
	/* the firmware backlight wins over the raw one */
	assert_string_equal(cbd_tb_str(bl, "device"), "acpi_video0");
	assert_int_equal(cbd_tb_num(bl, "max_brightness"), 100);
	assert_string_equal(cbd_tb_str(bl, "sweep"), "skip");
	/* the external connectors are listed too, not internal */
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(panel(r, "HDMI-A-1"), "internal")));
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(panel(r, "DP-1"), "edid")));
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetObjectItem(probe(r), "data"),
						     "pattern_test")));
	cJSON_Delete(r);
}

/* no KMS driver: only the firmware's framebuffer in /sys/class/graphics */
static void
test_firmware_framebuffer_only(void **state)
{
	int rc;
	cJSON *r = display_report("zork-simplefb-only", &rc);
	const cJSON *data = cJSON_GetObjectItem(probe(r), "data");
	const cJSON *fb = cJSON_GetObjectItem(data, "framebuffer");

	assert_int_equal(rc, 0); /* skip: nothing known to be wrong */
	assert_string_equal(cbd_tb_str(probe(r), "status"), "skip");
	assert_true(cbd_tb_has_finding(probe(r), "display.no_kms", "info"));
	assert_false(cbd_tb_has_finding(probe(r), "display.missing", "fail"));
	assert_string_equal(cbd_tb_str(fb, "device"), "fb0");
	assert_string_equal(cbd_tb_str(fb, "name"), "simple");
	assert_int_equal(cbd_tb_num(fb, "width"), 1366);
	assert_int_equal(cbd_tb_num(fb, "height"), 768);
	assert_int_equal(cbd_tb_num(fb, "bits_per_pixel"), 32);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(data, "panels")), 0);
	cJSON_Delete(r);
}

static void
test_edp_bad_checksum(void **state)
{
	int rc;
	cJSON *r = display_report("octopus-edp-bad-checksum", &rc);

	assert_string_equal(cbd_tb_str(probe(r), "status"), "warn");
	assert_true(cbd_tb_has_finding(probe(r), "display.edid_checksum", "warn"));
	assert_true(cJSON_IsFalse(
		cJSON_GetObjectItem(cJSON_GetObjectItem(panel(r, "eDP-1"), "edid"), "checksum_ok")));
	cJSON_Delete(r);
}

static void
test_edp_no_edid(void **state)
{
	int rc;
	cJSON *r = display_report("octopus-edp-no-edid", &rc);

	assert_string_equal(cbd_tb_str(probe(r), "status"), "warn");
	assert_true(cbd_tb_has_finding(probe(r), "display.edid_missing", "warn"));
	cJSON_Delete(r);
}

static void
test_panel_gone(void **state)
{
	int rc;
	cJSON *r = display_report("laptop-edp-disconnected", &rc);

	assert_int_equal(rc, 1);
	assert_string_equal(cbd_tb_str(probe(r), "status"), "fail");
	assert_true(cbd_tb_has_finding(probe(r), "display.missing", "fail"));
	assert_string_equal(cbd_tb_str(panel(r, "HDMI-A-1"), "status"), "connected");
	cJSON_Delete(r);
}

static void
test_spwg_panel(void **state)
{
	int rc;
	cJSON *r = display_report("spwg-panel", &rc);
	const cJSON *e = cJSON_GetObjectItem(panel(r, "eDP-1"), "edid");

	assert_string_equal(cbd_tb_str(probe(r), "status"), "pass");
	assert_string_equal(cbd_tb_str(e, "name"), "B154PW2");
	assert_string_equal(cbd_tb_str(e, "spwg_part_number"), "B154PW2");
	assert_true(cbd_tb_has_finding(probe(r), "display.backlight_off", "info")); /* brightness 0 */
	cJSON_Delete(r);
}

static void
test_dsi_panel_without_edid(void **state)
{
	int rc;
	cJSON *r = display_report("trogdor-dsi-panel", &rc);

	assert_string_equal(cbd_tb_str(probe(r), "status"), "pass");
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(probe(r), "findings")), 0);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(panel(r, "DSI-1"), "internal")));
	cJSON_Delete(r);
}

static void
test_desktop_without_panel(void **state)
{
	int rc;
	cJSON *r = display_report("desktop-hdmi-only", &rc);

	assert_string_equal(cbd_tb_str(probe(r), "status"), "skip");
	assert_string_equal(cbd_tb_str(probe(r), "summary"), "This machine has no internal screen");
	cJSON_Delete(r);
}

/* ---- the backlight sweep ------------------------------------------------ */

#define ACPI_VIDEO "/sys/devices/LNXSYSTM:00/LNXSYBUS:00/PNP0A08:00/LNXVIDEO:00/backlight/acpi_video0"

static long long
read_ll(const char *path)
{
	FILE *f = fopen(path, "r");
	long long v = -1;

	if (f) {
		if (fscanf(f, "%lld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

/*
 * Run cbdiag with the sweep in the test bed. @follow: play the hardware by
 * copying brightness into actual_brightness as the driver would. @interrupt:
 * Ctrl-C the whole process group once the sweep has changed the level.
 */
static cJSON *
sweep_run(UMockdevTestbed *tb, bool follow, bool interrupt, int *ret_status)
{
	char out[] = "/tmp/cbd-sweep-XXXXXX";
	char *argv[] = {(char *)getenv("CBDIAG"), "run", "--no-interactive", "--probe", "display",
			"--backlight-sweep", "-o", out, NULL};
	int fd = mkstemp(out), status = 0;
	bool interrupted = false;
	pid_t pid;
	cJSON *root = NULL;

	assert_true(fd >= 0);
	close(fd);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int devnull = open("/dev/null", O_WRONLY);

		setpgid(0, 0); /* its own group, as a terminal's foreground job */
		dup2(devnull, STDERR_FILENO);
		dup2(devnull, STDOUT_FILENO);
		execv(argv[0], argv);
		_exit(127);
	}
	setpgid(pid, pid);
	for (int i = 0; i < 2000 && waitpid(pid, &status, WNOHANG) == 0; i++) {
		long long b = read_ll(ACPI_VIDEO "/brightness");
		char v[32];

		if (follow && b >= 0) {
			snprintf(v, sizeof(v), "%lld", b);
			umockdev_testbed_set_attribute(tb, ACPI_VIDEO, "actual_brightness", v);
		}
		if (interrupt && !interrupted && b >= 0 && b != 50) {
			kill(-pid, SIGINT); /* Ctrl-C in the middle of the sweep */
			interrupted = true;
		}
		usleep(10000);
	}
	if (interrupt)
		assert_true(interrupted);
	*ret_status = status;
	{
		char *text = NULL;

		if (g_file_get_contents(out, &text, NULL, NULL))
			root = cJSON_Parse(text);
		g_free(text);
	}
	unlink(out);
	return root;
}

static void
test_sweep_hardware_does_not_follow(void **state)
{
	UMockdevTestbed *tb = cbd_testbed_new("octopus-edp-healthy");
	int status;
	cJSON *r = sweep_run(tb, false, false, &status);
	const cJSON *bl = cJSON_GetObjectItem(cJSON_GetObjectItem(probe(r), "data"), "backlight");

	assert_non_null(r);
	assert_string_equal(cbd_tb_str(bl, "sweep"), "fail");
	assert_true(cbd_tb_has_finding(probe(r), "display.backlight_sweep", "fail"));
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(bl, "sweep_levels")), 4);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(bl, "restored")));
	/* the original level is back */
	assert_int_equal(read_ll(ACPI_VIDEO "/brightness"), 50);
	cJSON_Delete(r);
	g_object_unref(tb);
}

static void
test_sweep_hardware_follows(void **state)
{
	UMockdevTestbed *tb = cbd_testbed_new("octopus-edp-healthy");
	int status;
	cJSON *r = sweep_run(tb, true, false, &status);
	const cJSON *bl = cJSON_GetObjectItem(cJSON_GetObjectItem(probe(r), "data"), "backlight");
	const cJSON *levels = cJSON_GetObjectItem(bl, "sweep_levels");

	assert_non_null(r);
	assert_string_equal(cbd_tb_str(bl, "sweep"), "pass");
	assert_string_equal(cbd_tb_str(probe(r), "status"), "pass");
	/* 10, 40, 70, 100 % of 100; never 0 */
	assert_int_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(levels, 0), "set")->valueint, 10);
	assert_int_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(levels, 3), "set")->valueint, 100);
	assert_int_equal(read_ll(ACPI_VIDEO "/brightness"), 50);
	cJSON_Delete(r);
	g_object_unref(tb);
}

static void
test_sweep_restored_on_ctrl_c(void **state)
{
	UMockdevTestbed *tb = cbd_testbed_new("octopus-edp-healthy");
	int status;
	cJSON *r = sweep_run(tb, true, true, &status);

	/* interrupted mid-sweep: the level is back all the same, and the report
	 * says the check was interrupted */
	assert_int_equal(read_ll(ACPI_VIDEO "/brightness"), 50);
	assert_non_null(r);
	assert_string_equal(cbd_tb_str(probe(r), "status"), "error");
	assert_non_null(strstr(cbd_tb_str(probe(r), "summary"), "interrupted"));
	cJSON_Delete(r);
	g_object_unref(tb);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_edp_healthy),     cmocka_unit_test(test_edp_bad_checksum),
		cmocka_unit_test(test_edp_no_edid),     cmocka_unit_test(test_panel_gone),
		cmocka_unit_test(test_spwg_panel),      cmocka_unit_test(test_dsi_panel_without_edid),
		cmocka_unit_test(test_desktop_without_panel),
		cmocka_unit_test(test_firmware_framebuffer_only),
		cmocka_unit_test(test_sweep_hardware_does_not_follow),
		cmocka_unit_test(test_sweep_hardware_follows),
		cmocka_unit_test(test_sweep_restored_on_ctrl_c),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
