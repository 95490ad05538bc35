/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Test beds for the device suite. A scenario is tests/device/scenarios/NAME
 * with two optional parts:
 *   NAME.umockdev  devices in umockdev's record format (sysfs attributes,
 *                  udev properties), loaded with umockdev_testbed_add_from_file;
 *   NAME.files     plain files the kernel keeps outside /sys/devices: one per
 *                  line, "PATH<TAB>CONTENT", PATH relative to the test bed
 *                  root (sys/firmware/vpd/ro/serial_number,
 *                  proc/device-tree/model), CONTENT with \n \t \\ \0 and \xHH
 *                  escapes. Lines starting with # are comments.
 * The tests run under umockdev-wrapper, so every /sys, /dev and /proc access
 * of the code under test (and of a cbdiag it starts) sees the test bed.
 */
#pragma once

#include <umockdev.h>

/* A new test bed with scenario NAME loaded; aborts the test on a bad scenario. */
UMockdevTestbed *cbd_testbed_new(const char *name);

/* Run "$CBDIAG run --no-interactive -o - ARGS..." in the current test bed and
 * return its parsed report (cJSON *, caller deletes); *@ret_exit gets the exit code. */
void *cbd_testbed_run_report(int *ret_exit, const char *const *args);

/* cbd_testbed_run_report() in a fresh test bed of scenario NAME, freed after. */
void *cbd_testbed_report(const char *name, const char *const *args, int *ret_exit);

/* Run "$CBDIAG run ARGS... -o -" (ARGS chosen by the caller, stdin /dev/null)
 * and return its parsed report. */
void *cbd_testbed_run_report_raw(int *ret_exit, const char *const *args);

/* cbd_testbed_run_report_raw() in a fresh test bed of scenario NAME, with a
 * config file holding @config_text (say "[thresholds]\nkey = value\n") passed
 * as --config after ARGS; the file is removed after. */
void *cbd_testbed_report_conf(const char *name, const char *config_text,
			      const char *const *args, int *ret_exit);

/* Reading the report in assertions (cJSON objects passed as void * like above). */
#include <stdbool.h>
/** probes.@name of a report. */
const void *cbd_tb_probe(const void *root, const char *name);
/** The string at @key of object @o, NULL when absent or not a string. */
const char *cbd_tb_str(const void *o, const char *key);
/** The number at @key of object @o; aborts the test when it is not a number. */
double cbd_tb_num(const void *o, const char *key);
/** Fail the test when a probe's headline contradicts its verdict (a warn or
 * fail whose summary does not name one of its warn or fail findings: see
 * cbd_result_headline_agrees). Every report the test beds produce passes here. */
void cbd_tb_check_headlines(const void *root);
/** Whether probe object @probe has a finding @code with @severity. */
bool cbd_tb_has_finding(const void *probe, const char *code, const char *severity);
