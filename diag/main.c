/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cbdiag: dispatch and --help, driven by the command table in cli.c. */
#include <stdio.h>

#include "cbd-i18n.h"
#include "cli.h"

static void
print_help(void)
{
	printf("Usage: cbdiag COMMAND [OPTIONS]\n\n"
	       "Chromebook diagnostics for the help-desk bench: battery, keyboard, display,\n"
	       "storage and USB, with a JSON report for the help-desk ticket.\n\nCommands:\n");
	for (size_t i = 0; i < cbd_n_commands; i++)
		printf("  %-10s %s\n", cbd_commands[i].name, cbd_commands[i].summary);
	printf("\nOptions:\n  --help       this help; 'cbdiag COMMAND --help' for one command\n"
	       "  --version    the version\n\n"
	       "Exit status: 0 all good, 1 a part failed, 2 usage error or bad input,\n"
	       "3 incomplete. See cbdiag(1).\n");
}

int
main(int argc, char **argv)
{
	const struct cbd_command *c;

	if (argc < 2)
		return cbd_usage_error(NULL, "no command given");
	if (streq(argv[1], "--help") || streq(argv[1], "-h") || streq(argv[1], "help")) {
		if (argc > 2 && streq(argv[1], "help")) {
			c = cbd_command_find(argv[2]);
			if (!c)
				return cbd_usage_error(NULL, "unknown command '%s'", argv[2]);
			cbd_print_command_help(c);
			return CBD_EXIT_OK;
		}
		print_help();
		return CBD_EXIT_OK;
	}
	if (streq(argv[1], "--version") || streq(argv[1], "-V")) {
		printf("cbdiag %s\n", CBD_VERSION);
		return CBD_EXIT_OK;
	}
	if (argv[1][0] == '-')
		return cbd_usage_error(NULL, "unknown option '%s'", argv[1]);
	c = cbd_command_find(argv[1]);
	if (!c)
		return cbd_usage_error(NULL, "unknown command '%s'", argv[1]);
	for (int i = 2; i < argc; i++) {
		if (streq(argv[i], "--"))
			break;
		if (streq(argv[i], "--help") || streq(argv[i], "-h")) {
			cbd_print_command_help(c);
			return CBD_EXIT_OK;
		}
	}
	if (!c->fn) {
		cbd_log_error(c->name, "not implemented yet in cbdiag %s", CBD_VERSION);
		return CBD_EXIT_USAGE;
	}
	/* the intern's language from the environment; run and show take --lang */
	(void)cbd_i18n_init(NULL);
	/* each command parses its own options from argv[1] = its name */
	return c->fn(argc - 1, argv + 1);
}
