/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cbdiag show: a report rendered for people. */
#include <getopt.h>

#include "cbd-i18n.h"
#include "config.h"
#include "cli.h"
#include "report.h"
#include "review.h"

int
cbd_cmd_show(int argc, char **argv)
{
	static const struct option options[] = {
		{"format", required_argument, NULL, 'f'},
		{"output", required_argument, NULL, 'o'},
		{"details", no_argument, NULL, 'd'},
		{"lang", required_argument, NULL, 'l'},
		{},
	};
	_cleanup_doc_ struct cbd_doc *doc = NULL;
	const char *output = NULL;
	bool html = false, details = false;
	struct cbd_config cfg;
	_cleanup_free_ char *cfg_err = NULL;
	int c, r;

	optind = 0;
	while ((c = getopt_long(argc, argv, ":o:", options, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (!streq(optarg, "text") && !streq(optarg, "html"))
				return cbd_usage_error("show", "--format takes text or html, not '%s'",
						       optarg);
			html = streq(optarg, "html");
			break;
		case 'o':
			output = optarg;
			break;
		case 'd':
			details = true;
			break;
		case 'l':
			if (cbd_i18n_init(optarg) < 0)
				return cbd_usage_error("show", "--lang takes a language such as es or "
							       "en, not '%s'", optarg);
			break;
		default:
			return cbd_getopt_error("show", c, argv);
		}
	}
	if (optind >= argc)
		return cbd_usage_error("show", "which report? (cbdiag show REPORT)");
	if (argc - optind > 1)
		return cbd_usage_error("show", "one report at a time ('%s' is one too many)",
				       argv[optind + 1]);
	r = cbd_cli_load_report("show", argv[optind], &doc);
	if (r != 0)
		return r;
	/* the HTML page draws the battery lines in force: those of the config */
	cbd_config_init(&cfg);
	if (html && cbd_config_load(&cfg, NULL, &cfg_err) < 0) {
		cbd_log_error("show", "%s", cfg_err);
		cbd_config_clear(&cfg);
		return CBD_EXIT_USAGE;
	}

	if ((output && !streq(output, "-")) || html) {
		_cleanup_free_ char *text = NULL, *err = NULL;
		size_t len = 0;
		FILE *mem = open_memstream(&text, &len);

		if (!mem)
			abort();
		if (html)
			cbd_doc_render_html(doc, mem, cfg.thresholds.v[CBD_T_BATTERY_HEALTH_WARN],
					    cfg.thresholds.v[CBD_T_BATTERY_HEALTH_FAIL]);
		else
			cbd_doc_render_text_details(doc, mem, false, details);
		fclose(mem);
		cbd_config_clear(&cfg);
		if (!output || streq(output, "-")) {
			fwrite(text, 1, len, stdout);
			return CBD_EXIT_OK;
		}
		cbd_clean_leftovers_near(output); /* of earlier killed writes */
		if (cbd_write_file_atomic(output, text, len, &err) < 0) {
			cbd_log_error("show", "%s", err);
			return CBD_EXIT_INCOMPLETE;
		}
		return CBD_EXIT_OK;
	}
	cbd_config_clear(&cfg);
	cbd_doc_render_text_details(doc, stdout, cbd_use_colour(STDOUT_FILENO), details);
	return CBD_EXIT_OK;
}
