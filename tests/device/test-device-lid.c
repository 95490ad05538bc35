/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The lid probe against umockdev test beds: the real binary finding the lid
 * switch and the power button in /sys/class/input, reading the lid's state
 * with EVIOCGSW, and in an interactive run waiting for the lid and the power
 * button on event streams umockdev plays. Runs under umockdev-wrapper.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "cbd-util.h"
#include "testbed.h"

static const cJSON *
probe(const cJSON *root)
{
	return cbd_tb_probe(root, "lid");
}

static const cJSON *
data(const cJSON *root, const char *key)
{
	return cJSON_GetObjectItem(cJSON_GetObjectItem(probe(root), "data"), key);
}

static cJSON *
lid_report(const char *scenario, int *rc)
{
	const char *args[] = {"--probe", "lid", NULL};

	return cbd_testbed_report(scenario, args, rc);
}

/* An interactive run: stdin at its end, so only the devices and the time count. */
static cJSON *
interactive_report(const char *scenario, int *rc)
{
	static const char *const args[] = {"--interactive", "--probe", "lid", NULL};

	return cbd_testbed_report_conf(scenario, "[thresholds]\nlid.wait_seconds = 5\n", args, rc);
}

static void
test_acpi_lid_and_button_found(void **state)
{
	int rc;
	cJSON *r = lid_report("octopus-lid", &rc);
	const cJSON *lid = cJSON_GetArrayItem(data(r, "lid_switches"), 0);
	const cJSON *pwr = data(r, "power_buttons");

	assert_int_equal(rc, 0);
	assert_string_equal(cbd_tb_str(probe(r), "status"), "pass");
	assert_string_equal(cbd_tb_str(probe(r), "summary"),
	                    "Lid switch and power button found (not tested without the guided steps)");
	assert_string_equal(cbd_tb_str(lid, "name"), "Lid Switch");
	assert_string_equal(cbd_tb_str(lid, "phys"), "PNP0C0D/button/input0");
	assert_string_equal(cbd_tb_str(lid, "state"), "open");
	/* the Power Button, and not the keyboard that lists KEY_POWER too */
	assert_int_equal(cJSON_GetArraySize(pwr), 1);
	assert_string_equal(cbd_tb_str(cJSON_GetArrayItem(pwr, 0), "name"), "Power Button");
	assert_null(data(r, "lid_test"));
	cJSON_Delete(r);
}

static void
test_lid_reads_closed(void **state)
{
	int rc;
	cJSON *r = lid_report("octopus-lid-closed", &rc);

	assert_string_equal(cbd_tb_str(probe(r), "status"), "warn");
	assert_true(cbd_tb_has_finding(probe(r), "lid.reads_closed", "warn"));
	assert_string_equal(cJSON_GetStringValue(data(r, "lid")), "closed");
	cJSON_Delete(r);
}

static void
test_cros_ec_buttons(void **state)
{
	int rc;
	cJSON *r = lid_report("kukui-cros-ec-buttons", &rc);

	/* one EC device is both the lid switch and the power button */
	assert_string_equal(cbd_tb_str(probe(r), "status"), "pass");
	assert_string_equal(cbd_tb_str(cJSON_GetArrayItem(data(r, "lid_switches"), 0), "name"),
	                    "cros_ec_buttons");
	assert_string_equal(cbd_tb_str(cJSON_GetArrayItem(data(r, "power_buttons"), 0), "name"),
	                    "cros_ec_buttons");
	cJSON_Delete(r);
}

static void
test_laptop_without_lid_switch(void **state)
{
	int rc;
	/* the keyboard bed: a Power Button, no lid switch (a kernel without button.ko's
	 * lid half would look like this) */
	cJSON *r = lid_report("octopus-atkbd-healthy", &rc);

	assert_string_equal(cbd_tb_str(probe(r), "status"), "warn");
	assert_true(cbd_tb_has_finding(probe(r), "lid.missing", "warn"));
	assert_false(cbd_tb_has_finding(probe(r), "lid.power_button_missing", "warn"));
	assert_int_equal(cJSON_GetArraySize(data(r, "power_buttons")), 1);
	cJSON_Delete(r);
}

static void
test_interactive_lid_and_button(void **state)
{
	int rc;
	cJSON *r = interactive_report("octopus-lid", &rc);
	const cJSON *lt = data(r, "lid_test"), *pt = data(r, "power_test");
	const cJSON *panel = cJSON_GetObjectItem(lt, "panel");

	assert_non_null(lt);
	assert_string_equal(cbd_tb_str(lt, "ended"), "done");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(lt, "closed")));
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(lt, "opened")));
	/* the panel read again after the lid opened: the same connector and EDID */
	assert_string_equal(cbd_tb_str(panel, "connector"), "eDP-1");
	assert_string_equal(cbd_tb_str(panel, "status_after"), "connected");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(panel, "edid_same")));
	assert_string_equal(cbd_tb_str(lt, "result"), "pass");
	assert_string_equal(cbd_tb_str(pt, "result"), "pass");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(pt, "released")));
	assert_string_equal(cbd_tb_str(probe(r), "status"), "pass");
	cJSON_Delete(r);
}

static void
test_interactive_power_button_dead(void **state)
{
	int rc;
	cJSON *r = interactive_report("octopus-lid-power-dead", &rc);

	assert_int_equal(rc, 1);
	assert_string_equal(cbd_tb_str(data(r, "lid_test"), "result"), "pass");
	assert_string_equal(cbd_tb_str(data(r, "power_test"), "ended"), "timed out");
	assert_true(cbd_tb_has_finding(probe(r), "lid.power_button_dead", "fail"));
	assert_string_equal(cbd_tb_str(probe(r), "status"), "fail");
	cJSON_Delete(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_acpi_lid_and_button_found),
	    cmocka_unit_test(test_lid_reads_closed),
	    cmocka_unit_test(test_cros_ec_buttons),
	    cmocka_unit_test(test_laptop_without_lid_switch),
	    cmocka_unit_test(test_interactive_lid_and_button),
	    cmocka_unit_test(test_interactive_power_button_dead),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
