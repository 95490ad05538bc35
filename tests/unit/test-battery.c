/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Battery math and verdicts from literal values: every edge of the rules in probes/battery/README.md. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "battery.h"
#include "json.h"

#define OK(x) ((struct cbd_val){.state = CBD_VAL_OK, .v = (x)})
#define BAD(e) ((struct cbd_val){.state = CBD_VAL_UNAVAILABLE, .err = (e)})

static struct cbd_thresholds t;

static struct cbd_supply_raw
battery(const char *name)
{
	struct cbd_supply_raw s = {0};

	snprintf(s.name, sizeof(s.name), "%s", name);
	snprintf(s.type, sizeof(s.type), "Battery");
	snprintf(s.status, sizeof(s.status), "Discharging");
	s.present = OK(1);
	s.capacity = OK(64);
	return s;
}

static struct cbd_supply_raw
mains(const char *name, const char *type, int online, const char *usb_type)
{
	struct cbd_supply_raw s = {0};

	snprintf(s.name, sizeof(s.name), "%s", name);
	snprintf(s.type, sizeof(s.type), "%s", type);
	snprintf(s.usb_type, sizeof(s.usb_type), "%s", usb_type ? usb_type : "");
	s.online = OK(online);
	return s;
}

/* Judge and return the result; its data is read back through json.h. */
static struct cbd_result *
judge(const struct cbd_supply_raw *s, size_t n, bool laptop)
{
	struct cbd_result *r = cbd_result_new();

	cbd_battery_judge(s, n, laptop, &t, r);
	assert_true(r->status_set);
	return r;
}

static const struct cbd_json *
bat0(const struct cbd_result *r)
{
	return cbd_json_at(cbd_json_get(r->data, "batteries"), 0);
}

static double
num(const struct cbd_json *o, const char *key)
{
	double v = 0;

	assert_true(cbd_json_get_number(o, key, &v));
	return v;
}

static bool
is_null(const struct cbd_json *o, const char *key)
{
	return cbd_json_is_null(o, key);
}

static bool
is_true(const struct cbd_json *o, const char *key)
{
	bool v = false;

	return cbd_json_get_bool(o, key, &v) && v;
}

static bool
is_false(const struct cbd_json *o, const char *key)
{
	bool v = true;

	return cbd_json_get_bool(o, key, &v) && !v;
}

static void
test_x86_worn_charge_based(void **state)
{
	struct cbd_supply_raw s[2] = {battery("BAT0"), mains("AC", "Mains", 0, NULL)};
	struct cbd_result *r;

	s[0].charge_full = OK(2600000);
	s[0].charge_full_design = OK(5000000);
	s[0].charge_now = OK(1664000);
	s[0].current_now = OK(812000); /* ACPI: unsigned magnitude */
	s[0].cycle_count = OK(1100);
	r = judge(s, 2, true);
	assert_int_equal(r->status, CBD_STATUS_FAIL);
	assert_true(num(bat0(r), "health_percent") == 52.0);
	assert_true(num(bat0(r), "wear_percent") == 48.0);
	assert_int_equal(num(bat0(r), "cycle_count"), 1100);
	assert_int_equal(num(bat0(r), "charge_full_uah"), 2600000);
	assert_int_equal(num(bat0(r), "charge_full_design_uah"), 5000000);
	assert_null(cbd_json_get(bat0(r), "energy_full_uwh"));
	assert_int_equal(cbd_result_find_finding(r, "battery.health_low")->severity, CBD_SEVERITY_FAIL);
	assert_int_equal(cbd_result_find_finding(r, "battery.cycles_high")->severity, CBD_SEVERITY_FAIL);
	assert_false(cbd_result_find_finding(r, "battery.health_low")->escalate);
	assert_string_equal(cbd_result_find_finding(r, "battery.health_low")->action,
			    "Replace the battery");
	assert_non_null(strstr(r->summary, "52.0%"));
	assert_non_null(strstr(r->summary, "1100 cycles"));
	assert_non_null(strstr(r->summary, "on battery"));
	cbd_result_free(r);
}

static void
test_arm_sbs_healthy_signed_current(void **state)
{
	struct cbd_supply_raw s[1] = {battery("sbs-9-000b")};
	struct cbd_result *r;

	/* sbs exposes both families; charge is used, energy is reported too */
	s[0].charge_full = OK(4750000);
	s[0].charge_full_design = OK(5000000);
	s[0].energy_full = OK(36100000);
	s[0].energy_full_design = OK(38000000);
	s[0].current_now = OK(-1234000); /* signed: discharging */
	s[0].cycle_count = OK(120);
	snprintf(s[0].serial, sizeof(s[0].serial), "0a1b");
	r = judge(s, 1, true);
	assert_int_equal(r->status, CBD_STATUS_PASS);
	assert_int_equal(r->n_findings, 0);
	assert_true(num(bat0(r), "health_percent") == 95.0);
	assert_string_equal(cbd_json_get_str(bat0(r), "health_basis"), "charge");
	/* not assert_int_equal: it converts to an unsigned integer, and a
	 * negative double converted to unsigned is undefined (x86 wraps it,
	 * aarch64 gives 0: the cross suite's run under qemu-aarch64 found it) */
	assert_true(num(bat0(r), "current_now_ua") == -1234000.0);
	assert_int_equal(num(bat0(r), "energy_full_uwh"), 36100000);
	assert_true(is_null(cbd_json_get(r->data, "external_power"), "online"));
	cbd_result_free(r);
}

static void
test_energy_only(void **state)
{
	struct cbd_supply_raw s[1] = {battery("BAT0")};
	struct cbd_result *r;

	s[0].energy_full = OK(40000000);
	s[0].energy_full_design = OK(50000000);
	s[0].power_now = OK(7000000);
	r = judge(s, 1, true);
	/* exactly 80.0 is not below the warn line */
	assert_int_equal(r->status, CBD_STATUS_PASS);
	assert_true(num(bat0(r), "health_percent") == 80.0);
	assert_string_equal(cbd_json_get_str(bat0(r), "health_basis"), "energy");
	assert_int_equal(num(bat0(r), "power_now_uw"), 7000000);
	assert_null(cbd_json_get(bat0(r), "charge_full_uah"));
	cbd_result_free(r);

	s[0].energy_full = OK(39950000); /* 79.9 % */
	r = judge(s, 1, true);
	assert_int_equal(r->status, CBD_STATUS_WARN);
	assert_true(num(bat0(r), "health_percent") == 79.9);
	assert_int_equal(cbd_result_find_finding(r, "battery.health_low")->severity, CBD_SEVERITY_WARN);
	cbd_result_free(r);
}

static void
test_never_mix_families(void **state)
{
	struct cbd_supply_raw s[1] = {battery("BAT0")};
	struct cbd_result *r;

	/* charge_full without its design value, energy pair complete: energy wins;
	 * a charge numerator over an energy denominator would say 6 %. */
	s[0].charge_full = OK(3000000);
	s[0].energy_full = OK(45000000);
	s[0].energy_full_design = OK(50000000);
	r = judge(s, 1, true);
	assert_true(num(bat0(r), "health_percent") == 90.0);
	assert_string_equal(cbd_json_get_str(bat0(r), "health_basis"), "energy");
	cbd_result_free(r);
}

static void
test_design_missing_or_zero(void **state)
{
	struct cbd_supply_raw s[1] = {battery("BAT0")};
	struct cbd_result *r;

	s[0].charge_full = OK(3000000); /* no design at all */
	r = judge(s, 1, true);
	assert_int_equal(r->status, CBD_STATUS_WARN);
	assert_true(is_null(bat0(r), "health_percent"));
	assert_true(is_null(bat0(r), "wear_percent"));
	assert_non_null(cbd_result_find_finding(r, "battery.design_unknown"));
	assert_non_null(strstr(cbd_result_find_finding(r, "battery.design_unknown")->message,
			       "does not say how much it held when new"));
	cbd_result_free(r);

	s[0].charge_full_design = OK(0);
	r = judge(s, 1, true);
	assert_int_equal(r->status, CBD_STATUS_WARN);
	assert_true(is_null(bat0(r), "health_percent"));
	assert_non_null(cbd_result_find_finding(r, "battery.design_unknown"));
	cbd_result_free(r);
}

static void
test_full_exceeds_design(void **state)
{
	struct cbd_supply_raw s[1] = {battery("BAT0")};
	struct cbd_result *r;

	s[0].charge_full = OK(5300000);
	s[0].charge_full_design = OK(5000000);
	r = judge(s, 1, true);
	assert_int_equal(r->status, CBD_STATUS_PASS);
	assert_true(num(bat0(r), "health_percent") == 100.0); /* never above 100 */
	assert_true(num(bat0(r), "wear_percent") == 0.0);
	assert_true(is_true(bat0(r), "full_exceeds_design"));
	cbd_result_free(r);
}

static void
test_cycle_count_zero_and_thresholds(void **state)
{
	struct cbd_supply_raw s[1] = {battery("BAT0")};
	struct cbd_result *r;

	s[0].charge_full = OK(4500000);
	s[0].charge_full_design = OK(5000000);
	s[0].cycle_count = OK(0); /* 0 = not available */
	r = judge(s, 1, true);
	assert_true(is_null(bat0(r), "cycle_count"));
	assert_null(cbd_result_find_finding(r, "battery.cycles_high"));
	cbd_result_free(r);

	s[0].cycle_count = OK(801);
	r = judge(s, 1, true);
	assert_int_equal(r->status, CBD_STATUS_WARN);
	assert_int_equal(cbd_result_find_finding(r, "battery.cycles_high")->severity, CBD_SEVERITY_WARN);
	cbd_result_free(r);

	s[0].cycle_count = OK(800); /* "> 800" is the rule */
	r = judge(s, 1, true);
	assert_int_equal(r->status, CBD_STATUS_PASS);
	cbd_result_free(r);

	/* overrides from the config move the lines */
	t.v[CBD_T_BATTERY_HEALTH_WARN] = 95;
	r = judge(s, 1, true);
	assert_int_equal(r->status, CBD_STATUS_WARN);
	assert_non_null(strstr(cbd_result_find_finding(r, "battery.health_low")->message, "wearing out"));
	cbd_result_free(r);
	cbd_thresholds_init(&t);
}

static void
test_missing_battery(void **state)
{
	struct cbd_supply_raw s[2] = {battery("BAT0"), mains("AC", "Mains", 1, NULL)};
	struct cbd_result *r;

	s[0].present = OK(0);
	s[0].charge_full = BAD(ENODATA); /* sbs: reads fail when absent */
	r = judge(s, 2, true);
	assert_int_equal(r->status, CBD_STATUS_FAIL);
	assert_non_null(cbd_result_find_finding(r, "battery.missing"));
	assert_true(is_false(bat0(r), "present"));
	cbd_result_free(r);

	r = judge(s, 2, false);
	assert_int_equal(r->status, CBD_STATUS_SKIP);
	assert_string_equal(r->summary, "This machine has no battery");
	cbd_result_free(r);

	r = judge(NULL, 0, true);
	assert_int_equal(r->status, CBD_STATUS_FAIL);
	assert_string_equal(r->summary, "No battery found in this laptop");
	cbd_result_free(r);
}

static void
test_peripheral_batteries_left_out(void **state)
{
	struct cbd_supply_raw s[2] = {battery("hid-0018:2D1F:0063.0001-battery"),
				      battery("wacom_battery_0")};
	struct cbd_result *r;

	snprintf(s[1].scope, sizeof(s[1].scope), "Device");
	r = judge(s, 2, true);
	assert_int_equal(r->status, CBD_STATUS_FAIL);
	assert_non_null(cbd_result_find_finding(r, "battery.missing"));
	assert_int_equal(cbd_json_get_array_size(r->data, "batteries"),
			 0);
	cbd_result_free(r);
}

static void
test_unreadable_is_error_not_fail(void **state)
{
	struct cbd_supply_raw s[1] = {battery("BAT0")};
	struct cbd_result *r;
	const struct cbd_json *un;

	s[0].charge_full = BAD(EIO);
	s[0].charge_full_design = OK(5000000);
	r = judge(s, 1, true);
	assert_int_equal(r->status, CBD_STATUS_ERROR);
	assert_non_null(strstr(r->summary, "Could not read battery BAT0's capacity"));
	assert_non_null(strstr(r->summary, strerror(EIO)));
	un = cbd_json_get(bat0(r), "unavailable");
	assert_int_equal(cbd_json_size(un), 1);
	assert_non_null(strstr(cbd_json_str(cbd_json_at(un, 0)), "charge_full:"));
	cbd_result_free(r);

	/* a real failure found alongside still says fail */
	s[0].cycle_count = OK(1500);
	r = judge(s, 1, true);
	assert_int_equal(r->status, CBD_STATUS_FAIL);
	cbd_result_free(r);
}

static void
test_kernel_health(void **state)
{
	static const struct {
		const char *health;
		enum cbd_status status;
	} cases[] = {
		{"Good", CBD_STATUS_PASS},         {"Dead", CBD_STATUS_FAIL},
		{"Unspecified failure", CBD_STATUS_FAIL}, {"Over voltage", CBD_STATUS_FAIL},
		{"Overheat", CBD_STATUS_WARN},     {"Calibration required", CBD_STATUS_PASS},
		{"Unknown", CBD_STATUS_PASS},
	};

	for (size_t i = 0; i < CBD_ARRAY_SIZE(cases); i++) {
		struct cbd_supply_raw s[1] = {battery("BAT0")};
		struct cbd_result *r;

		s[0].charge_full = OK(4900000);
		s[0].charge_full_design = OK(5000000);
		snprintf(s[0].health, sizeof(s[0].health), "%s", cases[i].health);
		r = judge(s, 1, true);
		if (r->status != cases[i].status)
			fail_msg("health %s: status %s", cases[i].health,
				 cbd_status_to_string(r->status));
		cbd_result_free(r);
	}
}

static void
test_external_power(void **state)
{
	struct cbd_supply_raw s[4] = {
		battery("BAT0"),
		mains("AC", "Mains", 0, NULL),
		mains("CROS_USBPD_CHARGER0", "USB", 1, "Unknown SDP DCP CDP C [PD] PD_DRP BrickID"),
		mains("CROS_USBPD_CHARGER1", "USB", 0, "[Unknown] SDP DCP CDP C PD PD_DRP BrickID"),
	};
	struct cbd_result *r;
	const struct cbd_json *ext, *src;

	s[0].charge_full = OK(4900000);
	s[0].charge_full_design = OK(5000000);
	snprintf(s[0].status, sizeof(s[0].status), "Charging");
	r = judge(s, 4, true);
	assert_int_equal(r->status, CBD_STATUS_PASS);
	ext = cbd_json_get(r->data, "external_power");
	assert_true(is_true(ext, "online"));
	src = cbd_json_get(ext, "sources");
	assert_int_equal(cbd_json_size(src), 3);
	assert_string_equal(cbd_json_get_str(cbd_json_at(src, 1), "usb_type"),
			    "PD");
	assert_string_equal(cbd_json_get_str(cbd_json_at(src, 2), "usb_type"),
			    "Unknown");
	assert_true(is_null(cbd_json_at(src, 0), "usb_type"));
	assert_non_null(strstr(r->summary, "on external power"));
	cbd_result_free(r);

	/* on the charger yet discharging: the charging path is suspect */
	snprintf(s[0].status, sizeof(s[0].status), "Discharging");
	r = judge(s, 4, true);
	assert_int_equal(r->status, CBD_STATUS_WARN);
	assert_true(cbd_result_find_finding(r, "battery.not_charging_on_ac")->escalate);
	cbd_result_free(r);
}

static void
test_bracketed(void **state)
{
	char b[32];

	cbd_bracketed_active("C [PD] PD_DRP", b, sizeof(b));
	assert_string_equal(b, "PD");
	cbd_bracketed_active("SDP", b, sizeof(b));
	assert_string_equal(b, "SDP");
	cbd_bracketed_active("", b, sizeof(b));
	assert_string_equal(b, "");
	cbd_bracketed_active("A [B", b, sizeof(b));
	assert_string_equal(b, "");
	cbd_bracketed_active("[] x", b, sizeof(b));
	assert_string_equal(b, "");
}

static void
test_rates(void **state)
{
	/* 5 Ah battery, +10 mAh over 60 s (0.6 A) at 12 V: +12 %/h, 7.2 W */
	struct cbd_rate_sample c[] = {{0, 2500000, 12000000}, {60, 2510000, 12000000}};
	/* 50 Wh battery, -0.5 Wh over 180 s: -20 %/h, -10 W */
	struct cbd_rate_sample e[] = {{0, 30000000, 0}, {90, 29750000, 0}, {180, 29500000, 0}};
	struct cbd_rate r;

	cbd_rate_compute(c, 2, 5000000, false, &r);
	assert_true(r.known);
	assert_true(r.percent_per_hour == 12.0);
	assert_true(r.watts == 7.2);
	cbd_rate_compute(e, 3, 50000000, true, &r);
	assert_true(r.percent_per_hour == -20.0);
	assert_true(r.watts == -10.0);
	cbd_rate_compute(c, 1, 5000000, false, &r);
	assert_false(r.known);
	cbd_rate_compute(c, 2, 0, false, &r);
	assert_false(r.known);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_x86_worn_charge_based),
		cmocka_unit_test(test_arm_sbs_healthy_signed_current),
		cmocka_unit_test(test_energy_only),
		cmocka_unit_test(test_never_mix_families),
		cmocka_unit_test(test_design_missing_or_zero),
		cmocka_unit_test(test_full_exceeds_design),
		cmocka_unit_test(test_cycle_count_zero_and_thresholds),
		cmocka_unit_test(test_missing_battery),
		cmocka_unit_test(test_peripheral_batteries_left_out),
		cmocka_unit_test(test_unreadable_is_error_not_fail),
		cmocka_unit_test(test_kernel_health),
		cmocka_unit_test(test_external_power),
		cmocka_unit_test(test_bracketed),
		cmocka_unit_test(test_rates),
	};

	cbd_thresholds_init(&t);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
