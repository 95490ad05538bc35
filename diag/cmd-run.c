/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cbdiag run: identify the device, run the probes, write the report. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <sys/stat.h>
#include <time.h>

#include "cbd-i18n.h"
#include "cmd-attach.h"
#include "ui.h"
#include "cli.h"
#include "config.h"
#include "hw.h"
#include "identity.h"
#include "probe.h"
#include "report.h"
#include "review.h"
#include "runner.h"

enum {
	OPT_PROBE = 0x100,
	OPT_TICKET,
	OPT_TECH,
	OPT_ASSET,
	OPT_INTERACTIVE,
	OPT_NO_INTERACTIVE,
	OPT_STORAGE_SCAN,
	OPT_FORMAT,
	OPT_ATTACH,
	OPT_CONFIG,
	OPT_BACKLIGHT_SWEEP,
	OPT_INLINE,
	OPT_DETAILS,
	OPT_LANG,
	OPT_PROFILES,
};

static const struct option options[] = {
	{"probe", required_argument, NULL, OPT_PROBE},
	{"ticket", required_argument, NULL, OPT_TICKET},
	{"tech", required_argument, NULL, OPT_TECH},
	{"asset", required_argument, NULL, OPT_ASSET},
	{"interactive", no_argument, NULL, OPT_INTERACTIVE},
	{"no-interactive", no_argument, NULL, OPT_NO_INTERACTIVE},
	{"storage-scan", required_argument, NULL, OPT_STORAGE_SCAN},
	{"output", required_argument, NULL, 'o'},
	{"format", required_argument, NULL, OPT_FORMAT},
	{"attach", no_argument, NULL, OPT_ATTACH},
	{"config", required_argument, NULL, OPT_CONFIG},
	{"backlight-sweep", no_argument, NULL, OPT_BACKLIGHT_SWEEP},
	{"details", no_argument, NULL, OPT_DETAILS},
	{"lang", required_argument, NULL, OPT_LANG},
	{"profiles", required_argument, NULL, OPT_PROFILES},
	/* debugging: run probes in-process, without deadlines */
	{"debug-inline", no_argument, NULL, OPT_INLINE},
	{},
};

struct run_args {
	const struct cbd_probe *selected[64];
	size_t n_selected;
	bool probes_given; /* a --probe replaced the default (every probe) */
	const char *ticket, *tech, *asset, *output, *config, *profiles;
	int interactive; /* -1 auto */
	enum cbd_storage_scan scan;
	int format_json; /* -1 not given (text), 0 text, 1 json */
	bool attach, backlight_sweep, inline_probes, details;
};

/* A free-text argument that ends up in the report: printable, bounded. */
static int
check_label(const char *opt, const char *v)
{
	size_t len = strlen(v);

	if (len == 0 || len > 64 || !cbd_is_printable_ascii(v, len))
		return cbd_usage_error("run",
				       "%s must be 1 to 64 printable characters, not '%s'", opt, v);
	return 0;
}

static int
parse_probe_list(struct run_args *a, const char *list)
{
	_cleanup_free_ char *copy = cbd_strdup(list);
	char *save = NULL;
	size_t before;

	/* --probe may be given more than once: the lists add up */
	if (!a->probes_given)
		a->n_selected = 0;
	a->probes_given = true;
	before = a->n_selected;
	for (char *name = strtok_r(copy, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
		const struct cbd_probe *p;

		cbd_strstrip(name);
		p = cbd_probe_find(name);
		if (!p)
			return cbd_usage_error("run", "unknown probe '%s' (see 'cbdiag list')", name);
		for (size_t i = 0; i < a->n_selected; i++)
			if (a->selected[i] == p)
				goto dup;
		if (a->n_selected == CBD_ARRAY_SIZE(a->selected))
			return cbd_usage_error("run", "too many probes in --probe");
		a->selected[a->n_selected++] = p;
dup:;
	}
	if (a->n_selected == before)
		return cbd_usage_error("run", "--probe needs at least one probe name");
	return 0;
}

static int
parse_args(int argc, char **argv, struct run_args *a)
{
	int c, r;

	*a = (struct run_args){.interactive = -1, .scan = CBD_STORAGE_SCAN_QUICK, .format_json = -1};
	for (size_t i = 0; i < cbd_n_probes; i++)
		a->selected[a->n_selected++] = cbd_probes[i];
	optind = 0;
	while ((c = getopt_long(argc, argv, ":o:", options, NULL)) != -1) {
		switch (c) {
		case OPT_PROBE:
			if ((r = parse_probe_list(a, optarg)) != 0)
				return r;
			break;
		case OPT_TICKET:
			if ((r = check_label("--ticket", optarg)) != 0)
				return r;
			a->ticket = optarg;
			break;
		case OPT_TECH:
			if ((r = check_label("--tech", optarg)) != 0)
				return r;
			a->tech = optarg;
			break;
		case OPT_PROFILES:
			a->profiles = optarg;
			break;
		case OPT_LANG:
			if (cbd_i18n_init(optarg) < 0)
				return cbd_usage_error("run", "--lang takes a language such as es or en, "
							      "not '%s'", optarg);
			break;
		case OPT_ASSET:
			if ((r = check_label("--asset", optarg)) != 0)
				return r;
			a->asset = optarg;
			break;
		case OPT_INTERACTIVE:
			a->interactive = 1;
			break;
		case OPT_NO_INTERACTIVE:
			a->interactive = 0;
			break;
		case OPT_STORAGE_SCAN:
			if (streq(optarg, "off"))
				a->scan = CBD_STORAGE_SCAN_OFF;
			else if (streq(optarg, "quick"))
				a->scan = CBD_STORAGE_SCAN_QUICK;
			else if (streq(optarg, "full"))
				a->scan = CBD_STORAGE_SCAN_FULL;
			else
				return cbd_usage_error(
					"run", "--storage-scan takes off, quick or full, not '%s'",
					optarg);
			break;
		case 'o':
			if (strempty(optarg))
				return cbd_usage_error("run", "-o needs a path");
			a->output = optarg;
			break;
		case OPT_FORMAT:
			if (streq(optarg, "json"))
				a->format_json = 1;
			else if (streq(optarg, "text"))
				a->format_json = 0;
			else
				return cbd_usage_error("run", "--format takes json or text, not '%s'",
						       optarg);
			break;
		case OPT_ATTACH:
			a->attach = true;
			break;
		case OPT_CONFIG:
			a->config = optarg;
			break;
		case OPT_BACKLIGHT_SWEEP:
			a->backlight_sweep = true;
			break;
		case OPT_INLINE:
			a->inline_probes = true;
			break;
		case OPT_DETAILS:
			a->details = true;
			break;
		default:
			return cbd_getopt_error("run", c, argv);
		}
	}
	if (optind < argc)
		return cbd_usage_error("run", "unexpected argument '%s'", argv[optind]);
	if (a->details && a->format_json == 1)
		return cbd_usage_error("run", "--details is for the text output, not --format json");
	if (streq(a->output, "-") && a->format_json == 0)
		return cbd_usage_error("run", "--format text cannot go with -o - (stdout then "
					      "carries the JSON report)");
	return 0;
}

/* Refuse early, before any probe runs, when the report could not be written. */
static int
check_output_dir(const char *path)
{
	_cleanup_free_ char *copy = cbd_strdup(path);
	char *slash = strrchr(copy, '/');
	const char *dir = slash ? (slash == copy ? "/" : (*slash = '\0', copy)) : ".";
	struct stat st;

	if (stat(dir, &st) < 0) {
		cbd_log_error("run", "cannot write the report to %s: directory %s: %s", path, dir,
			      strerror(errno));
		return -errno;
	}
	if (!S_ISDIR(st.st_mode)) {
		cbd_log_error("run", "cannot write the report to %s: %s is not a directory", path,
			      dir);
		return -ENOTDIR;
	}
	if (access(dir, W_OK | X_OK) < 0) {
		cbd_log_error("run", "cannot write the report to %s: directory %s: %s", path, dir,
			      strerror(errno));
		return -errno;
	}
	if (stat(path, &st) == 0 && S_ISBLK(st.st_mode)) {
		cbd_log_error("run", "refusing to write the report to %s: it is a block device (a "
				     "disk), and cbdiag never writes to disks",
			      path);
		return -EPERM;
	}
	return 0;
}

/* The report directory: $CBDIAG_REPORT_DIR, else the config's report_dir, else ./reports */
static const char *
report_dir(const struct cbd_config *cfg)
{
	const char *dir = getenv("CBDIAG_REPORT_DIR");

	if (strempty(dir))
		dir = cfg->report_dir ? cfg->report_dir : "reports";
	return dir;
}

/* The report's file in @dir, created when missing: <serial>-<UTC>[-<id8>].json;
 * NULL with the -errno in *ret_r and the reason in *ret_err when @dir cannot be made. */
static char *
report_path_in(const char *dir, const struct cbd_report *rep, int *ret_r, char **ret_err)
{
	/* <serial>-<UTC>[-<id8>].json stays within NAME_MAX (255) for any serial */
	_cleanup_free_ char *serial = cbd_filename_part(rep->device.serial, 200, "unknown");
	char stamp[32];
	char *path;
	int r;

	r = cbd_mkdir_p(dir, 0755);
	if (r < 0) {
		*ret_err = cbd_strdupf("cannot create the report directory %s: %s", dir, strerror(-r));
		*ret_r = r;
		return NULL;
	}
	cbd_format_utc_compact(rep->started_at, stamp, sizeof(stamp));
	path = cbd_strdupf("%s/%s-%s.json", dir, serial, stamp);
	if (access(path, F_OK) == 0) { /* two runs in one second: keep both */
		free(path);
		path = cbd_strdupf("%s/%s-%s-%.8s.json", dir, serial, stamp, rep->report_id);
	}
	*ret_r = 0;
	return path;
}

/*
 * The report directory could not take the report (@why: a read-only or full
 * stick): with $CBDIAG_REPORT_FALLBACK_DIR set (the developer-shell launcher
 * sets it to a directory on the Chromebook), the report goes there instead,
 * and says so in its own findings (report.dir_read_only, report.dir_full,
 * report.dir_unwritable) before it is written, so the copy staff get tells
 * them where it was kept and why. *doc, *text and *path are replaced by the
 * kept report's. Returns 0, or @why when there is no fallback or it fails too.
 */
static int
keep_elsewhere(struct cbd_report *rep, const char *dir, int why, struct cbd_doc **doc,
	       char **text, char **path)
{
	const char *fallback = getenv("CBDIAG_REPORT_FALLBACK_DIR");
	_cleanup_free_ char *err = NULL, *fpath = NULL;
	const char *code, *reason;
	int r;

	if (strempty(fallback) || streq(fallback, dir))
		return why;
	switch (why) {
	case -EROFS:
		code = "report.dir_read_only";
		reason = "it is read-only";
		break;
	case -ENOSPC:
	case -EDQUOT:
		code = "report.dir_full";
		reason = "it is full";
		break;
	default:
		code = "report.dir_unwritable";
		reason = strerror(-why);
		break;
	}
	fpath = report_path_in(fallback, rep, &r, &err);
	if (!fpath) {
		cbd_log_error("run", "%s", err);
		return why;
	}
	cbd_findings_add(&rep->findings, &rep->n_findings, code, CBD_SEVERITY_WARN, false,
			 N_("Copy the report off this machine or attach it to the ticket before the "
			 "machine is wiped; check the stick (its lock switch, its free space)"),
			 N_("The report could not be saved in %s (%s): it was kept in %s on this machine"),
			 dir, reason, fpath);
	cbd_doc_free(*doc);
	*doc = cbd_report_to_doc(rep);
	free(*text);
	*text = cbd_doc_to_string(*doc);
	cbd_clean_leftovers_near(fpath);
	r = cbd_write_file_atomic(fpath, *text, strlen(*text), &err);
	if (r < 0) {
		cbd_log_error("run", "%s", err);
		return why;
	}
	fprintf(stderr, "cbdiag: the report could not be saved in ");
	cbd_text_fputs(dir, false, stderr);
	fprintf(stderr, " (%s): it was kept on this machine instead\n", reason);
	free(*path);
	*path = steal_ptr(&fpath);
	return 0;
}

/* What this machine lacks against its model's profile (docs/profiles.md):
 * each a finding of the part's probe, whose status and headline follow.
 * Returns true when a result changed. */
static bool
apply_profile(const struct cbd_doc *profiles, const struct cbd_doc *doc, struct cbd_report *rep)
{
	struct cbd_profile_miss *miss;
	size_t n;
	bool changed = false;

	if (cbd_profiles_check(profiles, doc, &miss, &n) <= 0)
		return false;
	for (size_t k = 0; k < rep->n_probes; k++) {
		struct cbd_result *r = rep->probes[k].result;
		struct cbd_json *staff = NULL, *o;

		for (size_t i = 0; i < n; i++) {
			if (!r || !streq(rep->probes[k].name, miss[i].probe))
				continue;
			cbd_result_add_finding(r, miss[i].code, miss[i].severity, false, miss[i].action,
					       "%s", miss[i].message);
			/* for staff, in the probe's data: what the model has and
			 * what this machine has (data.profile.<part>) */
			if (!staff)
				staff = cbd_json_add_object(r->data, "profile");
			o = cbd_json_add_object(staff, miss[i].part);
			cbd_json_add_str(o, "model", miss[i].model_value);
			cbd_json_add_str(o, "this", miss[i].this_value);
			/* a part the model has is missing: the part fails, whatever
			 * the probe made of its absence (a camera-less machine is
			 * only a note, a pass or a skip to it) */
			if (miss[i].severity == CBD_SEVERITY_FAIL && r->status != CBD_STATUS_ERROR)
				r->status = CBD_STATUS_FAIL;
			cbd_result_headline_from_findings(r);
			changed = true;
		}
	}
	cbd_profile_misses_free(miss, n);
	return changed;
}

/* A probe's end as a line. For an intern (interactive): the part's name and
 * a word, the headline only when there is something to say (a passing
 * headline is built from parts for staff: "mmcblk0 (eMMC, 31.3 GB)"), no
 * timings; for staff and scripts: the probe, its status, headline and time. */
static void
progress(const struct cbd_probe *p, const struct cbd_result *r, void *userdata)
{
	const struct cbd_ctx *ctx = userdata;
	_cleanup_free_ char *summary = cbd_text_sanitize(r->summary ? cbd_tr(r->summary) : "");

	if (ctx && ctx->interactive) {
		const char *word = r->status == CBD_STATUS_PASS	 ? _("OK")
				   : r->status == CBD_STATUS_WARN  ? _("NOTE")
				   : r->status == CBD_STATUS_FAIL  ? _("REPAIR")
				   : r->status == CBD_STATUS_ERROR ? _("RETRY")
								   : _("NOT TESTED");

		/* a probe ended by Ctrl-C or its deadline leaves its status line
		 * ("…get brighter...^C"): the line starts clean */
		if (isatty(STDERR_FILENO))
			fputs("\r\033[K", stderr);
		if (r->status == CBD_STATUS_PASS || !*summary)
			fprintf(stderr, "%-10s %s\n", word, cbd_part_name(p->name));
		else
			fprintf(stderr, "%-10s %s: %s\n", word, cbd_part_name(p->name), summary);
		return;
	}
	fprintf(stderr, "cbdiag: %-9s %-5s %s (%llu ms)\n", p->name, cbd_status_to_string(r->status),
		summary, (unsigned long long)r->duration_ms);
}

/* The final screen, sized to the console; paged only when a person can press Enter. */
static void
final_screen(const struct cbd_doc *doc, const char *saved_path, enum cbd_delivery delivery)
{
	struct cbd_final_screen o = {
		.colour = cbd_use_colour(STDOUT_FILENO),
		.saved_path = saved_path,
		.delivery = delivery,
	};
	if (isatty(STDOUT_FILENO))
		(void)cbd_hw_terminal_size(STDOUT_FILENO, &o.rows, &o.cols);
	if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))
		o.pager_in = stdin;
	cbd_doc_render_final(doc, stdout, &o);
}

/* A Ctrl-C while the report is being written is noted and let pass: the
 * run's one Ctrl-C has already ended its probe (runner.c), and a second one
 * (or the same one passed on by a wrapper such as umockdev-run, a moment
 * later) must not lose the report that says so. */
static void
on_late_sigint(int sig)
{
	(void)sig;
}

int
cbd_cmd_run(int argc, char **argv)
{
	struct run_args a;
	struct cbd_config cfg;
	struct cbd_identity_raw raw;
	struct cbd_report rep = {0};
	struct cbd_ctx ctx = {0};
	struct cbd_runner_opts ropts = {0};
	struct cbd_hd *hd = NULL;
	_cleanup_doc_ struct cbd_doc *doc = NULL, *profiles = NULL;
	_cleanup_free_ char *err = NULL;
	_cleanup_free_ char *path = NULL, *text = NULL;
	struct timespec t0, t1;
	uint64_t m0;
	int r, wr = 0, exit_code;
	enum cbd_delivery delivery = CBD_DELIVERY_NONE;
	bool saved = false;
	struct sigaction hold_int = {.sa_handler = on_late_sigint, .sa_flags = SA_RESTART}, old_int;

	r = parse_args(argc, argv, &a);
	if (r != 0)
		return r;
	if (a.attach && streq(a.output, "-"))
		return cbd_usage_error("run", "--attach sends the report file: it cannot go to "
					      "stdout (-o -)");

	cbd_config_init(&cfg);
	if (cbd_config_load(&cfg, a.config, &err) < 0) {
		cbd_log_error("run", "%s", err);
		cbd_config_clear(&cfg);
		return CBD_EXIT_USAGE;
	}
	if (a.output && !streq(a.output, "-") && check_output_dir(a.output) < 0) {
		cbd_config_clear(&cfg);
		return CBD_EXIT_INCOMPLETE;
	}
	/* the models' usual parts: refused before anything runs when unreadable */
	if ((a.profiles || cfg.profiles) &&
	    cbd_profiles_load(a.profiles ? a.profiles : cfg.profiles, &profiles, &err) < 0) {
		cbd_log_error("run", "%s", err);
		cbd_config_clear(&cfg);
		return CBD_EXIT_USAGE;
	}
	if (a.attach) {
		/* a help desk that cannot work is said before the probes, not after */
		r = cbd_attach_open("run", &cfg, &hd);
		if (r != 0) {
			cbd_config_clear(&cfg);
			return r;
		}
		/* what waits from earlier runs goes first (skipping what waits for a
		 * person or for its backoff); its outcome does not change this run's */
		(void)cbd_attach_flush("run", hd, cbd_attach_queue_dir(&cfg), true, stderr);
	}

	clock_gettime(CLOCK_REALTIME, &t0);
	m0 = cbd_now_mono_ms();
	if (cbd_uuid4(rep.report_id) < 0) {
		cbd_log_error("run", "cannot get random bytes for the report id: %s", strerror(errno));
		cbd_hd_close(hd);
		cbd_config_clear(&cfg);
		return CBD_EXIT_INCOMPLETE;
	}
	rep.started_at = t0.tv_sec;
	rep.ticket = cbd_strdup(a.ticket);
	rep.technician = cbd_strdup(a.tech);

	cbd_identity_read(&raw);
	cbd_identity_decide(&raw, &rep.device);
	if (a.asset) {
		free(rep.device.asset_tag);
		rep.device.asset_tag = cbd_strdup(a.asset);
	}

	ctx.thresholds = &cfg.thresholds;
	ctx.device = &rep.device;
	ctx.laptop = rep.device.form_factor == CBD_FORM_LAPTOP;
	ctx.interactive = a.interactive < 0 ? (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))
					    : a.interactive == 1;
	ctx.ui = cbd_terminal_ui();
	ctx.storage_scan = a.scan;
	ctx.backlight_sweep = a.backlight_sweep;

	ropts.timeout_s = cfg.probe_timeout_s;
	ropts.interactive_timeout_s = cfg.interactive_timeout_s;
	ropts.progress = progress;
	ropts.userdata = &ctx;
	ropts.inline_probes = a.inline_probes;

	rep.n_probes = a.n_selected;
	rep.probes = cbd_realloc_array(NULL, a.n_selected, sizeof(*rep.probes));
	sigemptyset(&hold_int.sa_mask);
	sigaction(SIGINT, &hold_int, &old_int);
	cbd_runner_run(a.selected, a.n_selected, &ctx, &ropts, rep.probes);

	clock_gettime(CLOCK_REALTIME, &t1);
	rep.finished_at = t1.tv_sec;
	rep.duration_ms = cbd_now_mono_ms() - m0;
	doc = cbd_report_to_doc(&rep);
	if (profiles && apply_profile(profiles, doc, &rep)) {
		cbd_doc_free(doc);
		doc = cbd_report_to_doc(&rep);
	}
	exit_code = cbd_doc_exit_code(doc);

	path = a.output ? cbd_strdup(a.output) : report_path_in(report_dir(&cfg), &rep, &wr, &err);
	text = cbd_doc_to_string(doc);
	/* temporaries of runs killed mid-write (kill -9, power cut) go first */
	cbd_clean_leftovers_near(path);
	if (path)
		wr = cbd_write_file_atomic(path, text, strlen(text), &err);
	/* a stick that is read-only or full: kept elsewhere, when there is a place
	 * (which then says it, in one sentence); else the error is said */
	if (wr < 0 && !a.output)
		wr = keep_elsewhere(&rep, report_dir(&cfg), wr, &doc, &text, &path);
	sigaction(SIGINT, &old_int, NULL);
	if (wr < 0 && err)
		cbd_log_error("run", "%s", err);
	if (wr < 0) {
		exit_code = CBD_EXIT_INCOMPLETE;
	} else if (!streq(path, "-")) {
		saved = true;
		/* for scripts and staff; the intern's final screen says it in words */
		if (!ctx.interactive) {
			fputs("cbdiag: report written to ", stderr);
			cbd_text_fputs(path, false, stderr);
			fputc('\n', stderr);
		}
		if (hd) {
			/* the help desk gets the document held here, the bytes just written */
			struct cbd_hd_item item;
			int ar = CBD_EXIT_INCOMPLETE;

			if (cbd_hd_item_init(&item, doc, text, strlen(text)) == 0)
				ar = cbd_attach_print_delivery("run", hd, cbd_attach_queue_dir(&cfg),
							       &item, path, a.ticket, false, stderr,
							       &delivery);
			else
				delivery = CBD_DELIVERY_FAILED;
			cbd_hd_item_clear(&item);
			/* a hardware failure (1) says more than the help desk's answer; the
			 * report is safe either way (attached, queued, or in its file) */
			if (ar != CBD_EXIT_OK && exit_code == CBD_EXIT_OK)
				exit_code = ar;
		}
	}

	if (!streq(a.output, "-")) {
		if (a.format_json == 1) {
			fputs(text, stdout);
		} else if (ctx.interactive) {
			/* the intern's last screen; the staff text before it on request */
			if (a.details)
				cbd_doc_render_text_details(doc, stdout,
							    cbd_use_colour(STDOUT_FILENO), true);
			final_screen(doc, saved ? path : NULL, delivery);
		} else {
			cbd_doc_render_text_details(doc, stdout, cbd_use_colour(STDOUT_FILENO),
						    a.details);
		}
		fflush(stdout);
	}

	cbd_hd_close(hd);
	cbd_report_clear(&rep);
	cbd_config_clear(&cfg);
	return exit_code;
}
