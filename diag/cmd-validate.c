/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cbdiag validate: check reports against report/report.schema.json. */
#include <getopt.h>

#include "cli.h"
#include "report.h"


int
cbd_cmd_validate(int argc, char **argv)
{
	static const struct option options[] = {{}};
	int c, exit_code = CBD_EXIT_OK;

	optind = 0;
	while ((c = getopt_long(argc, argv, ":", options, NULL)) != -1)
		return cbd_getopt_error("validate", c, argv);
	if (optind >= argc)
		return cbd_usage_error("validate", "which reports? (cbdiag validate REPORT...)");
	for (int i = optind; i < argc; i++) {
		_cleanup_doc_ struct cbd_doc *doc = NULL;

		if (cbd_cli_load_report("validate", argv[i], &doc) != 0) {
			exit_code = CBD_EXIT_USAGE;
			continue;
		}
		printf("%s: valid\n", argv[i]);
	}
	return exit_code;
}
