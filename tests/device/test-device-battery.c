/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The battery probe against umockdev test beds: the real binary reading
 * /sys/class/power_supply, one scenario per board and fault, and the
 * interactive charge and discharge tests driven the way an intern would
 * (plug, press Enter, unplug) while the test bed's gauge moves.
 * Runs under umockdev-wrapper.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <sys/wait.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "cbd-util.h"
#include "testbed.h"

static cJSON *
battery_report(const char *scenario, int *exit_code)
{
	static const char *const args[] = {"--probe", "battery", NULL};

	return cbd_testbed_report(scenario, args, exit_code);
}

static const cJSON *
probe(const cJSON *root)
{
	return cbd_tb_probe(root, "battery");
}

static const char *
status(const cJSON *root)
{
	return cbd_tb_str(probe(root), "status");
}

static const cJSON *
bat(const cJSON *root, int i)
{
	return cJSON_GetArrayItem(
		cJSON_GetObjectItem(cJSON_GetObjectItem(probe(root), "data"), "batteries"), i);
}

static void
test_octopus_worn_battery(void **state)
{
	int rc;
	cJSON *r = battery_report("octopus-worn-battery", &rc);

	assert_int_equal(rc, 1);
	assert_string_equal(status(r), "fail");
	assert_true(cbd_tb_num(bat(r, 0), "health_percent") == 52.0);
	assert_true(cbd_tb_num(bat(r, 0), "cycle_count") == 1100);
	assert_true(cbd_tb_num(bat(r, 0), "current_now_ua") == 812000);
	assert_string_equal(cJSON_GetObjectItem(bat(r, 0), "model")->valuestring, "AP18F4M");
	assert_true(cbd_tb_has_finding(probe(r), "battery.health_low", "fail"));
	assert_true(cbd_tb_has_finding(probe(r), "battery.cycles_high", "fail"));
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(
		cJSON_GetObjectItem(cJSON_GetObjectItem(probe(r), "data"), "external_power"),
		"online")));
	cJSON_Delete(r);
}

static void
test_kukui_sbs_healthy(void **state)
{
	int rc;
	cJSON *r = battery_report("kukui-sbs-healthy", &rc);

	assert_int_equal(rc, 0);
	assert_string_equal(status(r), "pass");
	assert_string_equal(cJSON_GetObjectItem(bat(r, 0), "name")->valuestring, "sbs-9-000b");
	assert_true(cbd_tb_num(bat(r, 0), "health_percent") == 94.0);
	assert_true(cbd_tb_num(bat(r, 0), "current_now_ua") == -845000);
	assert_true(cbd_tb_num(bat(r, 0), "energy_full_uwh") == 34740000);
	/* an ARM board with ChromeOS firmware is a laptop */
	assert_string_equal(
		cJSON_GetObjectItem(cJSON_GetObjectItem(r, "device"), "form_factor")->valuestring,
		"laptop");
	cJSON_Delete(r);
}

static void
test_config_moves_the_lines(void **state)
{
	/* 94 % passes by default; a district that replaces batteries below 95 %
	 * gets a warning from its config file, end to end */
	char path[] = "/tmp/cbd-conf-XXXXXX";
	int fd = mkstemp(path), rc;
	const char *args[] = {"--probe", "battery", "--config", path, NULL};
	UMockdevTestbed *tb;
	cJSON *r;

	assert_true(fd >= 0);
	{
	const char *conf = "[thresholds]\nbattery.health_warn_percent = 95\n";

	assert_true(write(fd, conf, strlen(conf)) == (ssize_t)strlen(conf));
	}
	close(fd);
	tb = cbd_testbed_new("kukui-sbs-healthy");
	r = cbd_testbed_run_report(&rc, args);
	g_object_unref(tb);
	unlink(path);
	assert_string_equal(status(r), "warn");
	assert_true(cbd_tb_has_finding(probe(r), "battery.health_low", "warn"));
	cJSON_Delete(r);
}

static void
test_energy_only(void **state)
{
	int rc;
	cJSON *r = battery_report("energy-only-battery", &rc);

	assert_string_equal(status(r), "warn");
	assert_true(cbd_tb_num(bat(r, 0), "health_percent") == 74.0);
	assert_string_equal(cJSON_GetObjectItem(bat(r, 0), "health_basis")->valuestring, "energy");
	assert_true(cbd_tb_num(bat(r, 0), "power_now_uw") == 7400000);
	assert_true(cbd_tb_has_finding(probe(r), "battery.health_low", "warn"));
	cJSON_Delete(r);
}

static void
test_no_design(void **state)
{
	int rc;
	cJSON *r = battery_report("no-design-battery", &rc);

	assert_string_equal(status(r), "warn");
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(bat(r, 0), "health_percent")));
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(bat(r, 0), "cycle_count")));
	assert_true(cbd_tb_has_finding(probe(r), "battery.design_unknown", "warn"));
	cJSON_Delete(r);
}

static void
test_laptop_no_battery(void **state)
{
	int rc;
	cJSON *r = battery_report("laptop-no-battery", &rc);

	assert_int_equal(rc, 1);
	assert_string_equal(status(r), "fail");
	assert_true(cbd_tb_has_finding(probe(r), "battery.missing", "fail"));
	assert_null(bat(r, 0)); /* the mouse battery is not a system battery */
	cJSON_Delete(r);
}

static void
test_usbpd_charger_online(void **state)
{
	int rc;
	cJSON *r = battery_report("usbpd-charger-online", &rc);
	const cJSON *ext = cJSON_GetObjectItem(cJSON_GetObjectItem(probe(r), "data"),
					       "external_power");
	const cJSON *src = cJSON_GetObjectItem(ext, "sources");

	assert_string_equal(status(r), "pass");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(ext, "online")));
	assert_int_equal(cJSON_GetArraySize(src), 2);
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(src, 0), "name")->valuestring,
			    "CROS_USBPD_CHARGER0");
	assert_string_equal(
		cJSON_GetObjectItem(cJSON_GetArrayItem(src, 0), "usb_type")->valuestring, "PD");
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(cJSON_GetArrayItem(src, 1), "online")));
	cJSON_Delete(r);
}

/* ---- interactive: an intern at the bench, played by this test ---------- */

#define BAT "/sys/devices/LNXSYSTM:00/LNXSYBUS:00/PNP0A08:00/device:1e/PNP0C09:00/PNP0C0A:00/power_supply/BAT0"
#define AC "/sys/devices/LNXSYSTM:00/LNXSYBUS:00/PNP0A08:00/device:1e/PNP0C09:00/ACPI0003:00/power_supply/AC"

struct bench {
	UMockdevTestbed *tb;
	long long charge_now;
	int phase; /* 0 waiting, 1 charging, 2 discharging */
	bool plug_charger;   /* does the intern's charger work? */
	bool skip_discharge; /* does the intern skip the discharge test? */
};

static void
set_attr(struct bench *b, const char *dev, const char *name, const char *value)
{
	umockdev_testbed_set_attribute(b->tb, dev, name, value);
}

static void
tick(struct bench *b)
{
	char v[32];

	if (b->phase == 1 && b->plug_charger)
		b->charge_now += 2000; /* charging */
	else if (b->phase == 2)
		b->charge_now -= 1500; /* a fast drain */
	else
		return;
	snprintf(v, sizeof(v), "%lld", b->charge_now);
	set_attr(b, BAT, "charge_now", v);
}

/* React to one line cbdiag printed; returns the answer to type, or NULL. */
static const char *
react(struct bench *b, const char *line)
{
	if (strstr(line, "Charge test:")) {
		if (b->plug_charger) {
			set_attr(b, AC, "online", "1");
			set_attr(b, BAT, "status", "Charging");
		}
		b->phase = 1;
		return "\n";
	}
	if (strstr(line, "Discharge test:")) {
		if (b->skip_discharge)
			return "s\n";
		set_attr(b, AC, "online", "0");
		set_attr(b, BAT, "status", "Discharging");
		b->phase = 2;
		return "\n";
	}
	return NULL;
}

static cJSON *
run_bench(struct bench *b, char **ret_stderr)
{
	char dir[] = "/tmp/cbd-bench-XXXXXX";
	char *conf, *out, *argv[12];
	GString *err = g_string_new(NULL);
	GError *error = NULL;
	int in_fd, err_fd, status = 0;
	GPid pid;
	cJSON *root;
	char buf[4096];
	size_t line_start = 0;
	FILE *f;

	assert_non_null(mkdtemp(dir));
	conf = g_strdup_printf("%s/bench.conf", dir);
	out = g_strdup_printf("%s/r.json", dir);
	f = fopen(conf, "w");
	fputs("[thresholds]\nbattery.sample_seconds = 5\nbattery.charger_wait_seconds = 5\n", f);
	fclose(f);
	argv[0] = (char *)getenv("CBDIAG");
	argv[1] = "run";
	argv[2] = "--interactive";
	argv[3] = "--probe";
	argv[4] = "battery";
	argv[5] = "--config";
	argv[6] = conf;
	argv[7] = "-o";
	argv[8] = out;
	argv[9] = NULL;
	if (!g_spawn_async_with_pipes(NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid,
				      &in_fd, NULL, &err_fd, &error))
		fail_msg("spawn: %s", error->message);

	for (uint64_t until = cbd_now_mono_ms() + 60000; cbd_now_mono_ms() < until;) {
		struct pollfd p = {.fd = err_fd, .events = POLLIN};
		ssize_t n;

		if (poll(&p, 1, 250) > 0) {
			n = read(err_fd, buf, sizeof(buf));
			if (n <= 0)
				break; /* cbdiag is done */
			g_string_append_len(err, buf, n);
			/* answer every complete new line */
			for (char *nl; (nl = strchr(err->str + line_start, '\n'));) {
				char *line = g_strndup(err->str + line_start,
						       (gsize)(nl - (err->str + line_start)));
				const char *answer = react(b, line);

				if (answer && write(in_fd, answer, strlen(answer)) < 0)
					fail_msg("write to cbdiag: %s", strerror(errno));
				g_free(line);
				line_start = (size_t)(nl - err->str) + 1;
			}
		}
		tick(b);
	}
	waitpid(pid, &status, 0);
	close(in_fd);
	close(err_fd);
	assert_true(WIFEXITED(status));
	{
		char *text = NULL;

		assert_true(g_file_get_contents(out, &text, NULL, NULL));
		root = cJSON_Parse(text);
		if (root)
			cbd_tb_check_headlines(root);
		g_free(text);
	}
	assert_non_null(root);
	*ret_stderr = g_string_free(err, FALSE);
	unlink(conf);
	unlink(out);
	rmdir(dir);
	g_free(conf);
	g_free(out);
	return root;
}

static void
test_interactive_charge_and_discharge(void **state)
{
	struct bench b = {.charge_now = 2400000, .plug_charger = true};
	char *log = NULL;
	cJSON *r;
	const cJSON *data, *ct, *dt;

	b.tb = cbd_testbed_new("octopus-charging-bench");
	r = run_bench(&b, &log);
	data = cJSON_GetObjectItem(probe(r), "data");
	ct = cJSON_GetObjectItem(data, "charge_test");
	dt = cJSON_GetObjectItem(data, "discharge_test");
	if (!cJSON_IsObject(ct) || !cJSON_IsObject(dt))
		fail_msg("no test data; cbdiag said:\n%s", log);
	assert_string_equal(cJSON_GetObjectItem(ct, "result")->valuestring, "pass");
	assert_true(cbd_tb_num(ct, "percent_per_hour") > 0);
	assert_true(cbd_tb_num(ct, "watts") > 0);
	assert_true(cbd_tb_num(ct, "samples") >= 5);
	assert_string_equal(cJSON_GetObjectItem(dt, "result")->valuestring, "warn");
	assert_true(cbd_tb_num(dt, "percent_per_hour") < -30);
	assert_true(cbd_tb_has_finding(probe(r), "battery.drains_fast", "warn"));
	assert_string_equal(status(r), "warn");
	/* the progress reached the intern */
	assert_non_null(strstr(log, "Charging: "));
	assert_non_null(strstr(log, "plug the charger back in"));
	cJSON_Delete(r);
	g_free(log);
	g_object_unref(b.tb);
}

static void
test_interactive_charger_never_detected(void **state)
{
	struct bench b = {.charge_now = 2400000, .plug_charger = false, .skip_discharge = true};
	char *log = NULL;
	cJSON *r;
	const cJSON *data;

	b.tb = cbd_testbed_new("octopus-charging-bench");
	r = run_bench(&b, &log);
	data = cJSON_GetObjectItem(probe(r), "data");
	assert_string_equal(
		cJSON_GetObjectItem(cJSON_GetObjectItem(data, "charge_test"), "result")->valuestring,
		"fail");
	assert_true(cbd_tb_has_finding(probe(r), "battery.charger_not_detected", "fail"));
	/* the intern is told when it fails, and the headline names the cause */
	if (!strstr(log, "Charge test FAILED"))
		fail_msg("the failed charge test said nothing; cbdiag said:\n%s", log);
	assert_non_null(strstr(cbd_tb_str(probe(r), "summary"), "No charger was detected"));
	assert_string_equal(
		cJSON_GetObjectItem(cJSON_GetObjectItem(data, "discharge_test"), "reason")
			->valuestring,
		"skipped by the intern");
	assert_string_equal(status(r), "fail");
	cJSON_Delete(r);
	g_free(log);
	g_object_unref(b.tb);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_octopus_worn_battery),
		cmocka_unit_test(test_kukui_sbs_healthy),
		cmocka_unit_test(test_config_moves_the_lines),
		cmocka_unit_test(test_energy_only),
		cmocka_unit_test(test_no_design),
		cmocka_unit_test(test_laptop_no_battery),
		cmocka_unit_test(test_usbpd_charger_online),
		cmocka_unit_test(test_interactive_charge_and_discharge),
		cmocka_unit_test(test_interactive_charger_never_detected),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
