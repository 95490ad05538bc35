/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cbdiag summary PATH... [--json | --format text|json|html|csv|csv-findings|csv-unchecked|
 * ndjson] [--helpdesk [--cache DIR]] [--enrolled EXPORT.csv]: the fleet view over reports in files and folders, and over
 * those on the help desk. */
#include <errno.h>
#include <ftw.h>
#include <getopt.h>
#include <sys/stat.h>

#include "config.h"
#include "cli.h"
#include "helpdesk.h"
#include "report.h"
#include "review.h"

#define DEFAULT_CACHE "/var/cache/cbdiag/helpdesk"

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

/*
 * --helpdesk: the reports where they are. A folder help desk is read in
 * place; Request Tracker's are fetched into @cache first, only the new ones
 * (report/helpdesk, rt_fetch). *@ret_path gets the folder to read. Returns
 * CBD_EXIT_OK, CBD_EXIT_INCOMPLETE (it stopped answering: what is cached is
 * still summarised) or CBD_EXIT_USAGE (nothing to read).
 */
static int
helpdesk_reports(const struct cbd_helpdesk_config *hc, const char *cache, char **ret_path)
{
	_cleanup_free_ char *err = NULL;
	struct cbd_hd *hd = NULL;
	struct cbd_hd_fetch st;
	enum cbd_hd_result r;

	if (!cbd_hd_configured(hc)) {
		cbd_log_error("summary", "--helpdesk: the configuration has no [helpdesk] (see "
			      "docs/configuration.md)");
		return CBD_EXIT_USAGE;
	}
	if (streq(hc->type, "folder")) {
		*ret_path = cbd_strdup(hc->path);
		return CBD_EXIT_OK;
	}
	if (cbd_hd_open(hc, &hd, &err) < 0) {
		cbd_log_error("summary", "%s", err);
		return CBD_EXIT_USAGE;
	}
	r = cbd_hd_fetch_reports(hd, cache, &st, &err);
	cbd_hd_close(hd);
	if (r != CBD_HD_DONE && r != CBD_HD_UNREACHABLE) {
		cbd_log_error("summary", "%s", err);
		return CBD_EXIT_USAGE;
	}
	fprintf(stderr, "cbdiag summary: %u new report%s from the help desk", st.fetched,
		st.fetched == 1 ? "" : "s");
	if (st.duplicates)
		fprintf(stderr, ", %u attached more than once (counted once)", st.duplicates);
	if (st.refused)
		fprintf(stderr, ", %u attachment%s that %s not a report file", st.refused,
			st.refused == 1 ? "" : "s", st.refused == 1 ? "is" : "are");
	fputc('\n', stderr);
	*ret_path = cbd_strdup(cache);
	if (r == CBD_HD_UNREACHABLE) {
		cbd_log_error("summary", "%s: the summary covers the reports fetched before", err);
		return CBD_EXIT_INCOMPLETE;
	}
	return CBD_EXIT_OK;
}

/* what a model's profile takes (docs/profiles.md) */
#define PROFILE_MIN_REPORTS 5
#define PROFILE_MIN_SHARE 0.9

int
cbd_cmd_summary(int argc, char **argv)
{
	static const struct option options[] = {
		{"json", no_argument, NULL, 'j'},
		{"format", required_argument, NULL, 'f'},
		{"config", required_argument, NULL, 'c'},
		{"helpdesk", no_argument, NULL, 'H'},
		{"cache", required_argument, NULL, 'C'},
		{"profiles", required_argument, NULL, 'P'},
		{"enrolled", required_argument, NULL, 'E'},
		{},
	};
	_cleanup_doc_ struct cbd_doc *doc = NULL;
	_cleanup_free_ char *err = NULL;
	_cleanup_free_ char *hd_path = NULL;
	const char *config = NULL, *cache = DEFAULT_CACHE, *profiles = NULL, *enrolled = NULL;
	struct cbd_enrolled *en = NULL;
	struct cbd_config cfg;
	struct cbd_fleet *f;
	const char *format = "text";
	bool shown = false, helpdesk = false;
	int c, code = CBD_EXIT_OK;

	optind = 0;
	while ((c = getopt_long(argc, argv, ":", options, NULL)) != -1) {
		if (c == 'j')
			format = "json";
		else if (c == 'f')
			format = optarg;
		else if (c == 'c')
			config = optarg;
		else if (c == 'H')
			helpdesk = true;
		else if (c == 'C')
			cache = optarg;
		else if (c == 'P')
			profiles = optarg;
		else if (c == 'E')
			enrolled = optarg;
		else
			return cbd_getopt_error("summary", c, argv);
	}
	if (!streq(format, "text") && !streq(format, "json") && !streq(format, "html") &&
	    !streq(format, "csv") && !streq(format, "csv-findings") && !streq(format, "ndjson") &&
	    !streq(format, "csv-unchecked"))
		return cbd_usage_error("summary", "--format is text, json, html, csv, csv-findings, "
						  "csv-unchecked or ndjson");
	if (streq(format, "csv-unchecked") && !enrolled)
		return cbd_usage_error("summary", "--format csv-unchecked needs --enrolled EXPORT.csv "
						  "(the devices to look for)");
	if (optind >= argc && !helpdesk)
		return cbd_usage_error("summary",
				       "which reports? (cbdiag summary PATH... or --helpdesk)");
	/* the device export is read before any report: a bad one stops here */
	if (enrolled && cbd_enrolled_load(enrolled, &en, &err) < 0) {
		cbd_log_error("summary", "--enrolled %s", err);
		return CBD_EXIT_USAGE;
	}
	cbd_config_init(&cfg);
	if (cbd_config_load(&cfg, config, &err) < 0) {
		cbd_log_error("summary", "%s", err);
		cbd_config_clear(&cfg);
		cbd_enrolled_free(en);
		return CBD_EXIT_USAGE;
	}
	if (helpdesk) {
		code = helpdesk_reports(&cfg.helpdesk, cache, &hd_path);
		if (code == CBD_EXIT_USAGE) {
			cbd_config_clear(&cfg);
			cbd_enrolled_free(en);
			return code;
		}
	}
	f = cbd_fleet_new(cfg.thresholds.v[CBD_T_BATTERY_HEALTH_WARN],
			  cfg.thresholds.v[CBD_T_BATTERY_HEALTH_FAIL]);
	cbd_config_clear(&cfg);
	if (!streq(format, "text") && !streq(format, "json"))
		cbd_fleet_list_devices(f);
	if (en)
		cbd_fleet_set_enrolled(f, en);
	walk_fleet = f;
	walk_reader = cbd_fleet_reader_new(f, isatty(STDERR_FILENO) ? progress : NULL, &shown);
	for (int i = optind; i <= argc; i++) {
		const char *p = i < argc ? argv[i] : hd_path;
		struct stat st;

		if (!p)
			continue;
		if (stat(p, &st) < 0)
			cbd_fleet_add_skipped(f, p, strerror(errno));
		else if (S_ISDIR(st.st_mode))
			nftw(p, visit, 32, FTW_PHYS | FTW_ACTIONRETVAL);
		else
			add_path(p);
	}
	cbd_fleet_reader_finish(walk_reader);
	walk_reader = NULL;
	if (shown)
		fputs("\r\033[K", stderr);
	doc = cbd_fleet_result(f);
	if (profiles) {
		size_t n;
		_cleanup_doc_ struct cbd_doc *p = cbd_fleet_profiles(f, PROFILE_MIN_REPORTS,
								      PROFILE_MIN_SHARE, &n);
		_cleanup_free_ char *werr = NULL;

		cbd_clean_leftovers_near(profiles);
		if (cbd_doc_write_atomic(p, profiles, &werr) < 0) {
			cbd_log_error("summary", "%s", werr);
			code = CBD_EXIT_INCOMPLETE;
		} else {
			fprintf(stderr, "cbdiag summary: profiles of %zu model%s written to ", n,
				n == 1 ? "" : "s");
			cbd_text_fputs(profiles, false, stderr);
			fputc('\n', stderr);
		}
	}
	cbd_fleet_free(f);
	cbd_enrolled_free(en);
	if (streq(format, "json"))
		cbd_doc_print(doc, stdout);
	else if (streq(format, "html"))
		cbd_fleet_render_html(doc, stdout);
	else if (streq(format, "csv"))
		cbd_fleet_render_csv(doc, stdout);
	else if (streq(format, "csv-findings"))
		cbd_fleet_render_csv_findings(doc, stdout);
	else if (streq(format, "csv-unchecked"))
		cbd_fleet_render_csv_unchecked(doc, stdout);
	else if (streq(format, "ndjson"))
		cbd_fleet_render_ndjson(doc, stdout);
	else
		cbd_fleet_render_text(doc, stdout, 20);
	return code;
}
