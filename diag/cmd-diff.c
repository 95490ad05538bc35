/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cbdiag diff BEFORE AFTER [--json] [--force]: what changed across a repair. */
#include <getopt.h>

#include "cli.h"
#include "report.h"
#include "review.h"


int
cbd_cmd_diff(int argc, char **argv)
{
	static const struct option options[] = {
		{"json", no_argument, NULL, 'j'},
		{"force", no_argument, NULL, 'f'},
		{},
	};
	_cleanup_doc_ struct cbd_doc *before = NULL, *after = NULL, *diff = NULL;
	enum cbd_diff_device same;
	bool json = false, force = false;
	int c, r;

	optind = 0;
	while ((c = getopt_long(argc, argv, ":", options, NULL)) != -1) {
		if (c == 'j')
			json = true;
		else if (c == 'f')
			force = true;
		else
			return cbd_getopt_error("diff", c, argv);
	}
	if (argc - optind != 2)
		return cbd_usage_error("diff", "give two reports: cbdiag diff BEFORE AFTER");
	if ((r = cbd_cli_load_report("diff", argv[optind], &before)) != 0 ||
	    (r = cbd_cli_load_report("diff", argv[optind + 1], &after)) != 0)
		return r;
	diff = cbd_diff(before, after, &same);
	if (same == CBD_DIFF_DIFFERENT_DEVICE && !force) {
		_cleanup_free_ char *sb = cbd_text_sanitize(cbd_doc_device_serial(before));
		_cleanup_free_ char *sa = cbd_text_sanitize(cbd_doc_device_serial(after));

		cbd_log_error("diff",
			      "%s and %s are reports of two different devices (serial %s vs %s); "
			      "use --force to compare them anyway",
			      argv[optind], argv[optind + 1],
			      sb ? sb : "?", sa ? sa : "?");
		return CBD_EXIT_USAGE;
	}
	if (json) {
		_cleanup_free_ char *s = cbd_doc_to_string(diff);

		fputs(s, stdout);
	} else {
		cbd_diff_render_text(diff, stdout, cbd_use_colour(STDOUT_FILENO));
	}
	return CBD_EXIT_OK;
}
