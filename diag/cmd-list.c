/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cbdiag list: the probes, one line each (the registry is the truth). */
#include <getopt.h>

#include "cli.h"
#include "probe.h"
#include "report.h"

int
cbd_cmd_list(int argc, char **argv)
{
	static const struct option options[] = {{"json", no_argument, NULL, 'j'}, {}};
	struct cbd_list_entry entries[64];
	bool json = false;
	size_t width = 0;
	int c;

	optind = 0;
	while ((c = getopt_long(argc, argv, ":", options, NULL)) != -1) {
		if (c == 'j')
			json = true;
		else
			return cbd_getopt_error("list", c, argv);
	}
	if (optind < argc)
		return cbd_usage_error("list", "unexpected argument '%s'", argv[optind]);

	for (size_t i = 0; i < cbd_n_probes && i < CBD_ARRAY_SIZE(entries); i++)
		entries[i] = (struct cbd_list_entry){
			.name = cbd_probes[i]->name,
			.description = cbd_probes[i]->description,
			.interactive = cbd_probes[i]->flags & CBD_PROBE_INTERACTIVE_STEPS,
		};
	if (json) {
		_cleanup_free_ char *s = cbd_list_to_json(entries, cbd_n_probes);

		fputs(s, stdout);
		return CBD_EXIT_OK;
	}
	for (size_t i = 0; i < cbd_n_probes; i++)
		if (strlen(entries[i].name) > width)
			width = strlen(entries[i].name);
	for (size_t i = 0; i < cbd_n_probes; i++)
		printf("%-*s %s%s\n", (int)width, entries[i].name, entries[i].description,
		       entries[i].interactive ? " (has interactive steps)" : "");
	return CBD_EXIT_OK;
}
