/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The kbd_backlight probe against umockdev test beds: the real binary reading
 * /sys/class/leds and, with --backlight-sweep, writing the LED's brightness
 * and putting it back. Runs under umockdev-wrapper.
 */
#include <signal.h>
#include <setjmp.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "cbd-util.h"
#include "testbed.h"

#define LED "/sys/devices/platform/GOOG0002:00/leds/chromeos::kbd_backlight"

/* A Chromebook whose EC drives the keyboard light, at 30 of 100. */
static UMockdevTestbed *
bed_with_led(void)
{
	UMockdevTestbed *tb = cbd_testbed_new("octopus-edp-healthy");
	char *path = umockdev_testbed_add_device(tb, "leds", "chromeos::kbd_backlight", NULL,
						 "max_brightness", "100", "brightness", "30",
						 NULL, NULL);

	assert_non_null(path);
	g_free(path);
	return tb;
}

static long long
brightness(void)
{
	char buf[32] = "";
	int fd = -1;
	ssize_t n;

	/* the device's path under the test bed: find it through the class link */
	fd = open("/sys/class/leds/chromeos::kbd_backlight/brightness", O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 ? strtoll(buf, NULL, 10) : -1;
}

static const cJSON *
led0(const cJSON *root)
{
	return cJSON_GetArrayItem(
		cJSON_GetObjectItem(cJSON_GetObjectItem(cbd_tb_probe(root, "kbd_backlight"), "data"),
				    "leds"),
		0);
}

/*
 * Run the sweep. @stuck: play an EC that ignores the level by writing the old
 * level back after each write, as brightness_get would report it.
 */
static cJSON *
sweep_run(UMockdevTestbed *tb, bool stuck)
{
	char out[] = "/tmp/cbd-kbd-sweep-XXXXXX";
	char *argv[] = {(char *)getenv("CBDIAG"), "run", "--no-interactive", "--probe",
			"kbd_backlight", "--backlight-sweep", "-o", out, NULL};
	int fd = mkstemp(out), status = 0;
	cJSON *root = NULL;
	char *text = NULL;
	pid_t pid;

	assert_true(fd >= 0);
	close(fd);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int devnull = open("/dev/null", O_WRONLY);

		dup2(devnull, STDERR_FILENO);
		dup2(devnull, STDOUT_FILENO);
		execv(argv[0], argv);
		_exit(127);
	}
	for (int i = 0; i < 2000 && waitpid(pid, &status, WNOHANG) == 0; i++) {
		if (stuck && brightness() != 30)
			umockdev_testbed_set_attribute(tb, "/sys/class/leds/chromeos::kbd_backlight",
						       "brightness", "30");
		usleep(10000);
	}
	assert_true(WIFEXITED(status));
	if (g_file_get_contents(out, &text, NULL, NULL))
		root = cJSON_Parse(text);
	g_free(text);
	unlink(out);
	return root;
}

/*
 * An interactive run with @answers on stdin; what the intern read (stderr)
 * into *@ret_said.
 */
static cJSON *
interactive_run(const char *answers, char **ret_said)
{
	char out[] = "/tmp/cbd-kbd-int-XXXXXX", err[] = "/tmp/cbd-kbd-err-XXXXXX";
	char *argv[] = {(char *)getenv("CBDIAG"), "run", "--interactive", "--probe",
			"kbd_backlight", "-o", out, NULL};
	int fd = mkstemp(out), efd = mkstemp(err), in[2], status = 0;
	cJSON *root = NULL;
	char *text = NULL;
	pid_t pid;

	assert_true(fd >= 0 && efd >= 0 && pipe(in) == 0);
	close(fd);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int devnull = open("/dev/null", O_WRONLY);

		dup2(in[0], STDIN_FILENO);
		close(in[1]);
		dup2(efd, STDERR_FILENO);
		dup2(devnull, STDOUT_FILENO);
		execv(argv[0], argv);
		_exit(127);
	}
	close(in[0]);
	assert_true(cbd_write_all(in[1], answers, strlen(answers)) == 0);
	close(in[1]);
	for (int i = 0; i < 2000 && waitpid(pid, &status, WNOHANG) == 0; i++)
		usleep(10000);
	assert_true(WIFEXITED(status));
	if (g_file_get_contents(out, &text, NULL, NULL))
		root = cJSON_Parse(text);
	g_free(text);
	assert_true(g_file_get_contents(err, ret_said, NULL, NULL));
	close(efd);
	unlink(out);
	unlink(err);
	return root;
}

/* Issue 14: the intern is told what will change before the light changes;
 * skipping there writes nothing */
static void
test_heads_up_before_the_sweep(void **state)
{
	UMockdevTestbed *tb = bed_with_led();
	char *said = NULL;
	cJSON *r = interactive_run("s\n", &said);
	const char *heads_up = "Watch the keys: their light will go dim, then brighter";

	assert_non_null(r);
	assert_non_null(strstr(said, heads_up));
	assert_null(strstr(said, "watch the keys get brighter")); /* it never ran */
	assert_string_equal(cbd_tb_str(led0(r), "sweep"), "skip");
	assert_string_equal(cbd_tb_str(led0(r), "sweep_reason"), "skipped by the intern");
	assert_int_equal(brightness(), 30);
	assert_null(cJSON_GetArrayItem(
		cJSON_GetObjectItem(cbd_tb_probe(r, "kbd_backlight"), "findings"), 0));
	cJSON_Delete(r);
	g_free(said);

	/* Enter: the sweep runs after the heads-up, then the question */
	r = interactive_run("\n\n", &said);
	assert_non_null(r);
	assert_non_null(strstr(said, heads_up));
	assert_non_null(strstr(said, "watch the keys get brighter"));
	assert_true(strstr(said, heads_up) < strstr(said, "watch the keys get brighter"));
	assert_string_equal(cbd_tb_str(led0(r), "sweep"), "pass");
	assert_string_equal(cbd_tb_str(led0(r), "intern_saw_change"), "yes");
	assert_int_equal(brightness(), 30);
	cJSON_Delete(r);
	g_free(said);
	g_object_unref(tb);
}

static void
test_no_keyboard_light(void **state)
{
	static const char *const args[] = {"--probe", "kbd_backlight", NULL};
	int code;
	cJSON *r = cbd_testbed_report("octopus-edp-healthy", args, &code);

	assert_non_null(r);
	assert_int_equal(code, 0);
	assert_string_equal(cbd_tb_str(cbd_tb_probe(r, "kbd_backlight"), "status"), "skip");
	cJSON_Delete(r);
}

static void
test_found_not_swept_without_asking(void **state)
{
	static const char *const args[] = {"--probe", "kbd_backlight", NULL};
	UMockdevTestbed *tb = bed_with_led();
	int code;
	cJSON *r = cbd_testbed_run_report(&code, args);

	assert_non_null(r);
	assert_string_equal(cbd_tb_str(cbd_tb_probe(r, "kbd_backlight"), "status"), "pass");
	assert_string_equal(cbd_tb_str(led0(r), "name"), "chromeos::kbd_backlight");
	assert_int_equal((int)cbd_tb_num(led0(r), "max_brightness"), 100);
	assert_string_equal(cbd_tb_str(led0(r), "sweep"), "skip");
	/* nothing was written */
	assert_int_equal(brightness(), 30);
	cJSON_Delete(r);
	g_object_unref(tb);
}

static void
test_sweep_follows_and_restores(void **state)
{
	UMockdevTestbed *tb = bed_with_led();
	cJSON *r = sweep_run(tb, false);
	const cJSON *levels;

	assert_non_null(r);
	assert_string_equal(cbd_tb_str(cbd_tb_probe(r, "kbd_backlight"), "status"), "pass");
	assert_string_equal(cbd_tb_str(led0(r), "sweep"), "pass");
	levels = cJSON_GetObjectItem(led0(r), "sweep_levels");
	assert_int_equal(cJSON_GetArraySize(levels), 4);
	assert_int_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(levels, 3), "actual")->valueint,
			 100);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(led0(r), "restored")));
	assert_int_equal((int)cbd_tb_num(led0(r), "restored_to"), 30);
	assert_int_equal(brightness(), 30);
	cJSON_Delete(r);
	g_object_unref(tb);
}

static void
test_sweep_stuck_fails(void **state)
{
	UMockdevTestbed *tb = bed_with_led();
	cJSON *r = sweep_run(tb, true);

	assert_non_null(r);
	assert_string_equal(cbd_tb_str(cbd_tb_probe(r, "kbd_backlight"), "status"), "fail");
	assert_string_equal(cbd_tb_str(led0(r), "sweep"), "fail");
	assert_true(cbd_tb_has_finding(cbd_tb_probe(r, "kbd_backlight"), "kbd_backlight.sweep",
				       "fail"));
	assert_int_equal(brightness(), 30);
	cJSON_Delete(r);
	g_object_unref(tb);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_keyboard_light),
		cmocka_unit_test(test_found_not_swept_without_asking),
		cmocka_unit_test(test_sweep_follows_and_restores),
		cmocka_unit_test(test_heads_up_before_the_sweep),
		cmocka_unit_test(test_sweep_stuck_fails),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
