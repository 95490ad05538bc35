/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cbdiag summary PATH... [--json | --format text|json|html|csv|csv-findings|ndjson]: the fleet view
 * over reports in files and folders. */
#include <errno.h>
#include <ftw.h>
#include <getopt.h>
#include <sys/stat.h>

#include "config.h"
#include "cli.h"
#include "report.h"
#include "review.h"

static struct cbd_fleet *walk_fleet;
static struct cbd_fleet_reader *walk_reader;

static void
add_path(const char *path)
{
	cbd_fleet_reader_add(walk_reader, path);
}

/* On a terminal, a million files take a while: say how far it is, on one
 * line that is rubbed out at the end. */
static void
progress(size_t done, size_t found, void *userdata)
{
	bool *shown = userdata;

	fprintf(stderr, "\rcbdiag summary: %zu of %zu files read", done, found);
	*shown = true;
}

static int
visit(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	const char *base = path + ftw->base;

	/* hidden files and folders (editor backups, .cbdiag-* temporaries) are not reports */
	if (ftw->level > 0 && base[0] == '.')
		return type == FTW_D ? FTW_SKIP_SUBTREE : FTW_CONTINUE;
	if (type == FTW_F)
		add_path(path);
	else if (type == FTW_DNR || type == FTW_NS)
		cbd_fleet_add_skipped(walk_fleet, path, "cannot be read");
	return FTW_CONTINUE;
}

int
cbd_cmd_summary(int argc, char **argv)
{
	static const struct option options[] = {
		{"json", no_argument, NULL, 'j'},
		{"format", required_argument, NULL, 'f'},
		{"config", required_argument, NULL, 'c'},
		{},
	};
	_cleanup_doc_ struct cbd_doc *doc = NULL;
	_cleanup_free_ char *err = NULL;
	const char *config = NULL;
	struct cbd_config cfg;
	struct cbd_fleet *f;
	const char *format = "text";
	bool shown = false;
	int c;

	optind = 0;
	while ((c = getopt_long(argc, argv, ":", options, NULL)) != -1) {
		if (c == 'j')
			format = "json";
		else if (c == 'f')
			format = optarg;
		else if (c == 'c')
			config = optarg;
		else
			return cbd_getopt_error("summary", c, argv);
	}
	if (!streq(format, "text") && !streq(format, "json") && !streq(format, "html") &&
	    !streq(format, "csv") && !streq(format, "csv-findings") && !streq(format, "ndjson"))
		return cbd_usage_error("summary",
				       "--format is text, json, html, csv, csv-findings or ndjson");
	if (optind >= argc)
		return cbd_usage_error("summary", "which reports? (cbdiag summary PATH...)");
	cbd_config_init(&cfg);
	if (cbd_config_load(&cfg, config, &err) < 0) {
		cbd_log_error("summary", "%s", err);
		cbd_config_clear(&cfg);
		return CBD_EXIT_USAGE;
	}
	f = cbd_fleet_new(cfg.thresholds.v[CBD_T_BATTERY_HEALTH_WARN],
			  cfg.thresholds.v[CBD_T_BATTERY_HEALTH_FAIL]);
	cbd_config_clear(&cfg);
	if (!streq(format, "text") && !streq(format, "json"))
		cbd_fleet_list_devices(f);
	walk_fleet = f;
	walk_reader = cbd_fleet_reader_new(f, isatty(STDERR_FILENO) ? progress : NULL, &shown);
	for (int i = optind; i < argc; i++) {
		struct stat st;

		if (stat(argv[i], &st) < 0)
			cbd_fleet_add_skipped(f, argv[i], strerror(errno));
		else if (S_ISDIR(st.st_mode))
			nftw(argv[i], visit, 32, FTW_PHYS | FTW_ACTIONRETVAL);
		else
			add_path(argv[i]);
	}
	cbd_fleet_reader_finish(walk_reader);
	walk_reader = NULL;
	if (shown)
		fputs("\r\033[K", stderr);
	doc = cbd_fleet_result(f);
	cbd_fleet_free(f);
	if (streq(format, "json"))
		cbd_doc_print(doc, stdout);
	else if (streq(format, "html"))
		cbd_fleet_render_html(doc, stdout);
	else if (streq(format, "csv"))
		cbd_fleet_render_csv(doc, stdout);
	else if (streq(format, "csv-findings"))
		cbd_fleet_render_csv_findings(doc, stdout);
	else if (streq(format, "ndjson"))
		cbd_fleet_render_ndjson(doc, stdout);
	else
		cbd_fleet_render_text(doc, stdout, 20);
	return CBD_EXIT_OK;
}
