/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cbdiag attach and cbdiag queue: reports to the help-desk ticket, and the
 * offline queue for when the help desk cannot be reached.
 *
 * Exit status: 0 attached (or the queue is empty after a flush); 2 bad input,
 * bad config, or the help desk refused / no or several tickets matched (a
 * person must act); 3 the help desk could not be reached: queued.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <time.h>

#include "attach.h"
#include "config.h"
#include "cli.h"
#include "report.h"


const char *
cbd_attach_queue_dir(const struct cbd_config *cfg)
{
	return strempty(cfg->helpdesk.queue_dir) ? CBD_HD_DEFAULT_QUEUE_DIR
						 : cfg->helpdesk.queue_dir;
}

int
cbd_attach_open(const char *cmd, const struct cbd_config *cfg, struct cbd_hd **ret)
{
	_cleanup_free_ char *err = NULL;

	if (!cbd_hd_configured(&cfg->helpdesk)) {
		cbd_log_error(cmd, "no help desk is configured: set [helpdesk] type in %s",
			      cfg->source ? cfg->source : "the config file (see --config)");
		return CBD_EXIT_USAGE;
	}
	if (cbd_hd_open(&cfg->helpdesk, ret, &err) < 0) {
		cbd_log_error(cmd, "%s%s%s", cfg->source ? cfg->source : "",
			      cfg->source ? ": " : "", err);
		return CBD_EXIT_USAGE;
	}
	return 0;
}

static void
print_stats(const struct cbd_hd *hd)
{
	unsigned req, conn;

	cbd_hd_stats(hd, &req, &conn);
	if (req && getenv("CBDIAG_HTTP_STATS"))
		fprintf(stderr, "cbdiag: %u HTTP requests over %u connections\n", req, conn);
}

int
cbd_attach_report(const char *cmd, struct cbd_hd *hd, const char *queue_dir, const char *path,
		  const char *ticket_arg, bool create, FILE *out)
{
	_cleanup_doc_ struct cbd_doc *doc = NULL;
	_cleanup_free_ char *ticket = NULL, *msg = NULL, *err = NULL, *name = NULL;
	struct cbd_hd_item item;
	enum cbd_hd_result r;
	int rc;

	rc = cbd_cli_load_report(cmd, path, &doc);
	if (rc != 0)
		return rc;
	if ((rc = cbd_hd_item_init(&item, doc, path)) < 0) {
		cbd_log_error(cmd, "%s: cannot read it: %s", path, strerror(-rc));
		return CBD_EXIT_USAGE;
	}
	ticket = cbd_strdup(ticket_arg ? ticket_arg : cbd_doc_ticket(doc));
	r = cbd_hd_deliver(hd, &item, &ticket, create, &msg);
	switch (r) {
	case CBD_HD_DONE:
		fputs(out == stderr ? "cbdiag: " : "", out);
		cbd_text_fputs(msg, false, out); /* the help desk's words */
		fprintf(out, " (%s)\n", cbd_hd_describe(hd));
		rc = CBD_EXIT_OK;
		break;
	case CBD_HD_UNREACHABLE:
		cbd_log_error(cmd, "%s", msg);
		if (cbd_queue_add(queue_dir, &item, ticket, create && !ticket, msg, &name, &err) <
		    0) {
			cbd_log_error(cmd, "%s", err);
			cbd_log_error(cmd, "the report was NOT queued; it is still in %s", path);
		} else {
			fprintf(stderr,
				"cbdiag %s: queued as %s in %s; `cbdiag queue flush` sends it when "
				"the help desk is back\n",
				cmd, name, queue_dir);
		}
		rc = CBD_EXIT_INCOMPLETE;
		break;
	case CBD_HD_NO_MATCH:
	case CBD_HD_AMBIGUOUS:
	case CBD_HD_REFUSED:
		cbd_log_error(cmd, "%s", msg);
		rc = CBD_EXIT_USAGE;
		break;
	}
	cbd_hd_item_clear(&item);
	return rc;
}

/* Send the queue, oldest first. @automatic: skip entries that wait for a
 * person or for their backoff (the flush at the start of run --attach). */
int
cbd_queue_flush(const char *cmd, struct cbd_hd *hd, const char *dir, bool automatic, FILE *out)
{
	struct cbd_queue_entry *v = NULL;
	_cleanup_free_ char *err = NULL;
	_cleanup_close_ int lock = -1;
	size_t n = 0, sent = 0, waiting = 0, held = 0;
	bool stop = false;
	int64_t now = time(NULL);

	lock = cbd_queue_lock(dir, automatic ? 0 : 10000);
	if (lock < 0) {
		cbd_log_error(cmd, "the queue %s is busy (another cbdiag is sending it) or cannot be "
				   "locked: %s",
			      dir, strerror(-lock));
		return CBD_EXIT_INCOMPLETE;
	}
	if (cbd_queue_list(dir, &v, &n, &err) < 0) {
		cbd_log_error(cmd, "%s", err);
		return CBD_EXIT_INCOMPLETE;
	}
	for (size_t i = 0; i < n; i++) {
		struct cbd_queue_entry *e = &v[i];
		_cleanup_doc_ struct cbd_doc *doc = NULL;
		_cleanup_free_ char *msg = NULL, *uerr = NULL, *verr = NULL;
		struct cbd_hd_item item;
		enum cbd_hd_result r;

		if (!e->report_id) { /* damaged entry: only a person can help */
			held++;
			continue;
		}
		if (stop || (automatic && (e->held || e->next_attempt_at > now))) {
			e->held ? held++ : waiting++;
			continue;
		}
		if (cbd_doc_load_valid(e->report, &doc, &verr) < 0 ||
		    cbd_hd_item_init(&item, doc, e->report) < 0) {
			free(e->last_error);
			e->last_error = cbd_strdupf("the queued report is damaged: %s",
						    verr ? verr : "cannot read it");
			e->held = true;
			held++;
			if (cbd_queue_update(e, &uerr) < 0)
				cbd_log_error(cmd, "%s", uerr);
			continue;
		}
		/* the name the report was queued under stays its name on the ticket */
		free(item.filename);
		item.filename = cbd_strdup(e->filename);
		r = cbd_hd_deliver(hd, &item, &e->ticket, e->create, &msg);
		e->attempts++;
		e->last_attempt_at = time(NULL);
		if (r == CBD_HD_DONE) {
			fprintf(out, "%s%s: ", out == stderr ? "cbdiag: sent " : "", e->name);
			cbd_text_fputs(msg, false, out); /* the help desk's words */
			fputc('\n', out);
			if (cbd_queue_remove(e, &uerr) < 0)
				cbd_log_error(cmd, "%s", uerr);
			sent++;
			cbd_hd_item_clear(&item);
			continue;
		}
		cbd_log_error(cmd, "%s: %s", e->name, msg);
		free(e->last_error);
		e->last_error = steal_ptr(&msg);
		if (e->ticket)
			e->create = false; /* a ticket was found or opened: use it next time */
		if (r == CBD_HD_UNREACHABLE) {
			e->held = false;
			e->next_attempt_at = e->last_attempt_at + cbd_queue_backoff_s(e->attempts);
			waiting++;
			stop = true; /* the help desk is down: leave the rest for later */
		} else {
			e->held = true;
			held++;
		}
		if (cbd_queue_update(e, &uerr) < 0)
			cbd_log_error(cmd, "%s", uerr);
		cbd_hd_item_clear(&item);
	}
	if (n || !automatic)
		fprintf(stderr, "cbdiag %s: %zu sent, %zu waiting for the help desk, %zu waiting for "
				"a person\n",
			cmd, sent, waiting, held);
	print_stats(hd);
	cbd_queue_entries_free(v, n);
	return held ? CBD_EXIT_USAGE : waiting ? CBD_EXIT_INCOMPLETE : CBD_EXIT_OK;
}

static int
load_config(const char *cmd, const char *path, struct cbd_config *cfg)
{
	_cleanup_free_ char *err = NULL;

	cbd_config_init(cfg);
	if (cbd_config_load(cfg, path, &err) < 0) {
		cbd_log_error(cmd, "%s", err);
		cbd_config_clear(cfg);
		return CBD_EXIT_USAGE;
	}
	return 0;
}

int
cbd_cmd_attach(int argc, char **argv)
{
	static const struct option options[] = {
		{"ticket", required_argument, NULL, 't'},
		{"create", no_argument, NULL, 'c'},
		{"config", required_argument, NULL, 'C'},
		{},
	};
	const char *ticket = NULL, *config = NULL;
	struct cbd_config cfg;
	struct cbd_hd *hd = NULL;
	bool create = false;
	int c, rc;

	optind = 0;
	while ((c = getopt_long(argc, argv, ":", options, NULL)) != -1) {
		switch (c) {
		case 't':
			if (strempty(optarg) || strlen(optarg) > 64 ||
			    !cbd_is_printable_ascii(optarg, strlen(optarg)))
				return cbd_usage_error("attach",
						       "--ticket must be 1 to 64 printable "
						       "characters");
			ticket = optarg;
			break;
		case 'c':
			create = true;
			break;
		case 'C':
			config = optarg;
			break;
		default:
			return cbd_getopt_error("attach", c, argv);
		}
	}
	if (optind >= argc)
		return cbd_usage_error("attach", "which report? (cbdiag attach REPORT)");
	if (argc - optind > 1)
		return cbd_usage_error("attach", "one report at a time ('%s' is one too many)",
				       argv[optind + 1]);
	if (ticket && create)
		return cbd_usage_error("attach", "--create opens a new ticket; it cannot be used "
						 "with --ticket");
	if ((rc = load_config("attach", config, &cfg)) != 0)
		return rc;
	rc = cbd_attach_open("attach", &cfg, &hd);
	if (rc == 0) {
		rc = cbd_attach_report("attach", hd, cbd_attach_queue_dir(&cfg), argv[optind],
				       ticket, create, stdout);
		print_stats(hd);
	}
	cbd_hd_close(hd);
	cbd_config_clear(&cfg);
	return rc;
}

static int
queue_list(const char *dir, bool json)
{
	struct cbd_queue_entry *v = NULL;
	_cleanup_free_ char *err = NULL;
	size_t n = 0;

	if (cbd_queue_list(dir, &v, &n, &err) < 0) {
		cbd_log_error("queue", "%s", err);
		return CBD_EXIT_INCOMPLETE;
	}
	if (json) {
		_cleanup_free_ char *raw = cbd_queue_entries_to_json(v, n);
		_cleanup_free_ char *text = cbd_json_escape_unsafe(raw); /* C1, bidi: \u */

		printf("%s\n", text);
	} else if (n == 0) {
		printf("The queue %s is empty.\n", dir);
	} else {
		for (size_t i = 0; i < n; i++) {
			const struct cbd_queue_entry *e = &v[i];
			char when[32] = "";
			_cleanup_free_ char *where =
				e->ticket ? cbd_strdupf("ticket %s", e->ticket)
					  : cbd_strdup(e->create ? "new ticket" : "ticket by serial");

			if (e->enqueued_at)
				cbd_format_utc(e->enqueued_at, when, sizeof(when));
			_cleanup_free_ char *fname = cbd_text_sanitize(e->filename ? e->filename : "?");
			_cleanup_free_ char *swhere = cbd_text_sanitize(where);
			_cleanup_free_ char *sname = cbd_text_sanitize(e->name);

			printf("%s\n  %s -> %s, queued %s, %u attempt%s, %s\n", sname,
			       fname, swhere, when[0] ? when : "?",
			       e->attempts, e->attempts == 1 ? "" : "s",
			       e->held ? "WAITING FOR A PERSON" : "waiting for the help desk");
			if (e->last_error) {
				fputs("  last problem: ", stdout);
				cbd_text_put_safe(stdout, e->last_error);
				fputc('\n', stdout);
			}
		}
	}
	cbd_queue_entries_free(v, n);
	return CBD_EXIT_OK;
}

static int
queue_drop(const char *dir, const char *name)
{
	struct cbd_queue_entry *v = NULL;
	_cleanup_free_ char *err = NULL;
	size_t n = 0;
	int rc = CBD_EXIT_USAGE;

	if (cbd_queue_list(dir, &v, &n, &err) < 0) {
		cbd_log_error("queue", "%s", err);
		return CBD_EXIT_INCOMPLETE;
	}
	for (size_t i = 0; i < n; i++) {
		if (!streq(v[i].name, name))
			continue;
		if (cbd_queue_remove(&v[i], &err) < 0) {
			cbd_log_error("queue", "%s", err);
			rc = CBD_EXIT_INCOMPLETE;
		} else {
			printf("%s: removed from the queue\n", name);
			rc = CBD_EXIT_OK;
		}
		break;
	}
	if (rc == CBD_EXIT_USAGE)
		cbd_log_error("queue", "no entry '%s' in %s (see `cbdiag queue list`)", name, dir);
	cbd_queue_entries_free(v, n);
	return rc;
}

int
cbd_cmd_queue(int argc, char **argv)
{
	static const struct option options[] = {
		{"json", no_argument, NULL, 'j'},
		{"config", required_argument, NULL, 'C'},
		{},
	};
	const char *config = NULL, *what = "list";
	struct cbd_config cfg;
	struct cbd_hd *hd = NULL;
	bool json = false;
	int c, rc;

	optind = 0;
	while ((c = getopt_long(argc, argv, ":", options, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'C':
			config = optarg;
			break;
		default:
			return cbd_getopt_error("queue", c, argv);
		}
	}
	if (optind < argc)
		what = argv[optind++];
	if (!streq(what, "list") && !streq(what, "flush") && !streq(what, "drop"))
		return cbd_usage_error("queue", "unknown action '%s' (list, flush or drop)", what);
	if (streq(what, "drop") ? argc - optind != 1 : optind < argc)
		return cbd_usage_error("queue", streq(what, "drop") ? "drop takes one entry name"
								    : "too many arguments");
	if ((rc = load_config("queue", config, &cfg)) != 0)
		return rc;
	if (streq(what, "list"))
		rc = queue_list(cbd_attach_queue_dir(&cfg), json);
	else if (streq(what, "drop"))
		rc = queue_drop(cbd_attach_queue_dir(&cfg), argv[optind]);
	else if ((rc = cbd_attach_open("queue", &cfg, &hd)) == 0)
		rc = cbd_queue_flush("queue", hd, cbd_attach_queue_dir(&cfg), false, stdout);
	cbd_hd_close(hd);
	cbd_config_clear(&cfg);
	return rc;
}
