/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The command table and what every command shares. Only diag/ talks to people. */
#pragma once

#include <stdbool.h>

#include "cbd-util.h"

/* Exit statuses (cbdiag(1) EXIT STATUS, README "Exit status") */
enum {
	CBD_EXIT_OK = 0,
	CBD_EXIT_FAIL = 1,
	CBD_EXIT_USAGE = 2,
	CBD_EXIT_INCOMPLETE = 3,
};

struct cbd_command {
	const char *name;
	const char *synopsis; /* arguments after the name */
	const char *summary;  /* one line for `cbdiag --help` */
	const char *help;     /* the options block of `cbdiag <name> --help` */
	int (*fn)(int argc, char **argv);
};

extern const struct cbd_command cbd_commands[];
extern const size_t cbd_n_commands;

int cbd_cmd_run(int argc, char **argv);
int cbd_cmd_list(int argc, char **argv);
int cbd_cmd_show(int argc, char **argv);
int cbd_cmd_validate(int argc, char **argv);
int cbd_cmd_diff(int argc, char **argv);
int cbd_cmd_summary(int argc, char **argv);
int cbd_cmd_attach(int argc, char **argv);
int cbd_cmd_queue(int argc, char **argv);

/* Print "cbdiag <cmd>: <message>" and the usage hint on stderr; returns CBD_EXIT_USAGE. */
int cbd_usage_error(const char *cmd, const char *fmt, ...) _printf_(2, 3);
/* Print "cbdiag[ <cmd>]: <message>" on stderr. */
void cbd_log_error(const char *cmd, const char *fmt, ...) _printf_(2, 3);
/* Load and validate the report at @path for @cmd: prints the problem and
 * returns CBD_EXIT_USAGE, or 0 with *@ret set. */
struct cbd_doc;
int cbd_cli_load_report(const char *cmd, const char *path, struct cbd_doc **ret);
/* The help of one command on stdout. */
void cbd_print_command_help(const struct cbd_command *c);
const struct cbd_command *cbd_command_find(const char *name);

/* Colour on this stream: a terminal and no NO_COLOR. */
bool cbd_use_colour(int fd);

/*
 * Handle getopt_long's answer for an unknown option or a missing argument
 * (optstring must start with ':'). Returns CBD_EXIT_USAGE after printing.
 */
int cbd_getopt_error(const char *cmd, int opt, char **argv);
