/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The display probe against umockdev test beds made from real panel EDIDs:
 * the real binary reading /sys/class/drm and /sys/class/backlight.
 * Runs under umockdev-wrapper.
 */
#include <setjmp.h>
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
	UMockdevTestbed *tb = cbd_testbed_new(scenario);
	cJSON *root = cbd_testbed_run_report(exit_code, args);

	g_object_unref(tb);
	return root;
}

static const cJSON *
probe(const cJSON *root)
{
	return cJSON_GetObjectItem(cJSON_GetObjectItem(root, "probes"), "display");
}

static const char *
s(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItem(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static const cJSON *
panel(const cJSON *root, const char *conn)
{
	const cJSON *p;

	cJSON_ArrayForEach(p, cJSON_GetObjectItem(cJSON_GetObjectItem(probe(root), "data"), "panels"))
	if (streq(s(p, "connector"), conn))
		return p;
	return NULL;
}

static bool
has_finding(const cJSON *root, const char *code, const char *severity)
{
	const cJSON *f;

	cJSON_ArrayForEach(f, cJSON_GetObjectItem(probe(root), "findings"))
	if (streq(s(f, "code"), code) && streq(s(f, "severity"), severity))
		return true;
	return false;
}

static double
num(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItem(o, key);

	if (!cJSON_IsNumber(v))
		fail_msg("%s is not a number", key);
	return v->valuedouble;
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
	assert_string_equal(s(probe(r), "status"), "pass");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(p, "internal")));
	assert_string_equal(s(p, "card"), "card0");
	assert_string_equal(s(p, "status"), "connected");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(e, "checksum_ok")));
	assert_string_equal(s(e, "manufacturer"), "BOE");
	assert_string_equal(s(e, "name"), "NV116WHM-N45"); /* the eDP part number */
	assert_int_equal(num(m, "width"), 1366);
	assert_int_equal(num(m, "height"), 768);
	assert_true(num(m, "refresh_hz") > 59.9 && num(m, "refresh_hz") < 60.1);
	assert_true(num(e, "width_mm") > 200);
	assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(p, "modes"), 0)->valuestring,
			    "1366x768");
	/* the firmware backlight wins over the raw one */
	assert_string_equal(s(bl, "device"), "acpi_video0");
	assert_int_equal(num(bl, "max_brightness"), 100);
	assert_string_equal(s(bl, "sweep"), "skip");
	/* the external connectors are listed too, not internal */
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(panel(r, "HDMI-A-1"), "internal")));
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(panel(r, "DP-1"), "edid")));
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetObjectItem(probe(r), "data"),
						     "pattern_test")));
	cJSON_Delete(r);
}

static void
test_edp_bad_checksum(void **state)
{
	int rc;
	cJSON *r = display_report("octopus-edp-bad-checksum", &rc);

	assert_string_equal(s(probe(r), "status"), "warn");
	assert_true(has_finding(r, "display.edid_checksum", "warn"));
	assert_true(cJSON_IsFalse(
		cJSON_GetObjectItem(cJSON_GetObjectItem(panel(r, "eDP-1"), "edid"), "checksum_ok")));
	cJSON_Delete(r);
}

static void
test_edp_no_edid(void **state)
{
	int rc;
	cJSON *r = display_report("octopus-edp-no-edid", &rc);

	assert_string_equal(s(probe(r), "status"), "warn");
	assert_true(has_finding(r, "display.edid_missing", "warn"));
	cJSON_Delete(r);
}

static void
test_panel_gone(void **state)
{
	int rc;
	cJSON *r = display_report("laptop-edp-disconnected", &rc);

	assert_int_equal(rc, 1);
	assert_string_equal(s(probe(r), "status"), "fail");
	assert_true(has_finding(r, "display.missing", "fail"));
	assert_string_equal(s(panel(r, "HDMI-A-1"), "status"), "connected");
	cJSON_Delete(r);
}

static void
test_spwg_panel(void **state)
{
	int rc;
	cJSON *r = display_report("spwg-panel", &rc);
	const cJSON *e = cJSON_GetObjectItem(panel(r, "eDP-1"), "edid");

	assert_string_equal(s(probe(r), "status"), "pass");
	assert_string_equal(s(e, "name"), "B154PW2");
	assert_string_equal(s(e, "spwg_part_number"), "B154PW2");
	assert_true(has_finding(r, "display.backlight_off", "info")); /* brightness 0 */
	cJSON_Delete(r);
}

static void
test_dsi_panel_without_edid(void **state)
{
	int rc;
	cJSON *r = display_report("trogdor-dsi-panel", &rc);

	assert_string_equal(s(probe(r), "status"), "pass");
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(probe(r), "findings")), 0);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(panel(r, "DSI-1"), "internal")));
	cJSON_Delete(r);
}

static void
test_desktop_without_panel(void **state)
{
	int rc;
	cJSON *r = display_report("desktop-hdmi-only", &rc);

	assert_string_equal(s(probe(r), "status"), "skip");
	assert_string_equal(s(probe(r), "summary"), "This machine has no internal screen");
	cJSON_Delete(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_edp_healthy),     cmocka_unit_test(test_edp_bad_checksum),
		cmocka_unit_test(test_edp_no_edid),     cmocka_unit_test(test_panel_gone),
		cmocka_unit_test(test_spwg_panel),      cmocka_unit_test(test_dsi_panel_without_edid),
		cmocka_unit_test(test_desktop_without_panel),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
