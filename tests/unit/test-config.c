/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The config file: good values land, bad ones name file, line and key. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "config.h"

static char dir[] = "/tmp/cbd-test-config-XXXXXX";

static char *
write_conf(const char *text)
{
	char *path = cbd_strdupf("%s/cbdiag.conf", dir);
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static void
test_good(void **state)
{
	_cleanup_free_ char *path = write_conf(
		"; cbdiag bench config\n"
		"[report]\nreport_dir = /var/lib/cbdiag/reports\n\n"
		"[run]\nprobe_timeout_seconds = 45\n\n"
		"[helpdesk]\ntype = rt   ; inline comment\n"
		"url = https://helpdesk.example.org\ntoken_file = /etc/cbdiag/rt.token\n"
		"queue = General\nserial_field = Serial Number\n\n"
		"[thresholds]\nbattery.health_warn_percent = 85\nbattery.cycles_fail = 1200\n");
	struct cbd_config cfg;
	char *err = NULL;

	cbd_config_init(&cfg);
	assert_int_equal(cbd_config_load(&cfg, path, &err), 0);
	assert_string_equal(cfg.report_dir, "/var/lib/cbdiag/reports");
	assert_int_equal(cfg.probe_timeout_s, 45);
	assert_int_equal(cfg.interactive_timeout_s, CBD_DEFAULT_INTERACTIVE_TIMEOUT_S);
	assert_string_equal(cfg.helpdesk.type, "rt");
	assert_string_equal(cfg.helpdesk.serial_field, "Serial Number");
	assert_true(cfg.thresholds.v[CBD_T_BATTERY_HEALTH_WARN] == 85);
	assert_true(cfg.thresholds.v[CBD_T_BATTERY_CYCLES_FAIL] == 1200);
	/* untouched thresholds keep their defaults */
	assert_true(cfg.thresholds.v[CBD_T_BATTERY_HEALTH_FAIL] == 60);
	assert_true(cfg.thresholds.v[CBD_T_STORAGE_EMMC_LIFE_FAIL] == 11);
	assert_string_equal(cfg.source, path);
	cbd_config_clear(&cfg);
}

static void
test_email(void **state)
{
	_cleanup_free_ char *path = write_conf(
		"[helpdesk]\ntype = email\nurl = smtps://mail.example.org\n"
		"mail_preset = rt\nmail_tag_name = helpdesk.example.org\n"
		"mail_from = bench@example.org\nmail_to = help@example.org\n"
		"mail_reply_to = it@example.org\nmail_user = bench\n"
		"mail_subject = [{name} #{ticket}] {serial}\nmail_tls = required\nmail_html = true\n");
	struct cbd_config cfg;
	char *err = NULL;

	(void)state;
	cbd_config_init(&cfg);
	assert_int_equal(cbd_config_load(&cfg, path, &err), 0);
	assert_string_equal(cfg.helpdesk.type, "email");
	assert_string_equal(cfg.helpdesk.mail_preset, "rt");
	assert_string_equal(cfg.helpdesk.mail_tag_name, "helpdesk.example.org");
	assert_string_equal(cfg.helpdesk.mail_from, "bench@example.org");
	assert_string_equal(cfg.helpdesk.mail_to, "help@example.org");
	assert_string_equal(cfg.helpdesk.mail_reply_to, "it@example.org");
	assert_string_equal(cfg.helpdesk.mail_user, "bench");
	assert_string_equal(cfg.helpdesk.mail_subject, "[{name} #{ticket}] {serial}");
	assert_false(cfg.helpdesk.mail_plain);
	assert_true(cfg.helpdesk.mail_html);
	cbd_config_clear(&cfg);
}

static void
expect_error(const char *text, const char *want)
{
	_cleanup_free_ char *path = write_conf(text);
	_cleanup_free_ char *full = NULL;
	struct cbd_config cfg;
	char *err = NULL;

	cbd_config_init(&cfg);
	assert_int_equal(cbd_config_load(&cfg, path, &err), -EINVAL);
	full = cbd_strdupf("%s:%s", path, want);
	if (strncmp(err, full, strlen(full)) != 0)
		fail_msg("got '%s', want it to start with '%s'", err, full);
	free(err);
	cbd_config_clear(&cfg);
}

static void
test_errors(void **state)
{
	expect_error("[report]\nreport_dir = x\ncolour = yes\n",
		     "3: key 'colour' in [report]: unknown key");
	expect_error("[thresholds]\n\nbattery.health_warn_percent = 150\n",
		     "3: key 'battery.health_warn_percent' in [thresholds]: '150' is out of range");
	expect_error("[thresholds]\nbattery.cycles_warn = lots\n",
		     "2: key 'battery.cycles_warn' in [thresholds]: 'lots' is not a number");
	expect_error("[thresholds]\nbattery.cycles_warn = 800.5\n",
		     "2: key 'battery.cycles_warn' in [thresholds]: '800.5' must be a whole number");
	expect_error("[thresholds]\nbattery.wobble = 3\n",
		     "2: key 'battery.wobble' in [thresholds]: unknown threshold");
	expect_error("[helpdesk]\ntype = carrier-pigeon\n",
		     "2: key 'type' in [helpdesk]: 'carrier-pigeon' is not a help-desk type");
	expect_error("[helpdesk]\ntype = email\nmail_tls = optional\n",
		     "3: key 'mail_tls' in [helpdesk]: 'optional' is not required or none");
	expect_error("[helpdesk]\ntype = email\nmail_html = yes\n",
		     "3: key 'mail_html' in [helpdesk]: 'yes' is not true or false");
	expect_error("[printer]\nport = 9100\n", "2: key 'port': unknown section [printer]");
	expect_error("[run]\nprobe_timeout_seconds = 0\n",
		     "2: key 'probe_timeout_seconds' in [run]: '0' is out of range");
	/* a syntax error before a bad key: the first problem is reported */
	expect_error("[report]\nthis is not ini\ncolour = yes\n", "2: cannot parse this line");
	expect_error("[report]\ncolour = yes\nthis is not ini\n",
		     "2: key 'colour' in [report]: unknown key");
	/* a fail line above its warn line */
	expect_error("[thresholds]\nbattery.health_fail_percent = 90\n",
		     " key 'battery.health_fail_percent' in [thresholds]: "
		     "battery.health_fail_percent (90) must not be above");
}

static void
test_missing_file(void **state)
{
	struct cbd_config cfg;
	char *err = NULL;

	cbd_config_init(&cfg);
	assert_int_equal(cbd_config_load(&cfg, "/nonexistent/cbdiag.conf", &err), -ENOENT);
	assert_non_null(strstr(err, "/nonexistent/cbdiag.conf: cannot read the config file"));
	free(err);

	/* $CBDIAG_CONFIG named but missing is an error too */
	setenv("CBDIAG_CONFIG", "/nonexistent/env.conf", 1);
	assert_int_equal(cbd_config_load(&cfg, NULL, &err), -ENOENT);
	free(err);
	unsetenv("CBDIAG_CONFIG");
	cbd_config_clear(&cfg);
}

static int
setup(void **state)
{
	return mkdtemp(dir) ? 0 : -1;
}

static int
teardown(void **state)
{
	_cleanup_free_ char *p = cbd_strdupf("%s/cbdiag.conf", dir);

	unlink(p);
	return rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_email),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_missing_file),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
