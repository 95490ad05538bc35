/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cbdiag attach and cbdiag queue: reports to the help-desk ticket, and the
 * offline queue for when the help desk cannot be reached.
 *
 * Exit status: 0 attached (or the queue is empty after a flush); 2 bad input,
 * bad config, libcurl missing (the HTTP help desks), or the help desk refused
 * / no or several tickets matched (a person must act); 3 the help desk could
 * not be reached: queued.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <time.h>

#include "cmd-attach.h"
#include "attach.h"
#include "config.h"
#include "cli.h"
#include "report.h"
#include "review.h"


const char *
cbd_attach_queue_dir(const struct cbd_config *cfg)
{
	return strempty(cfg->helpdesk.queue_dir) ? CBD_HD_DEFAULT_QUEUE_DIR
						 : cfg->helpdesk.queue_dir;
}

/* The page `show --format html` writes, for a backend that sends it along (mail_html). */
static int
render_html(const char *data, size_t len, char **ret, size_t *ret_len, void *userdata)
{
	const struct cbd_config *cfg = userdata;
	_cleanup_doc_ struct cbd_doc *doc = NULL;
	_cleanup_free_ char *err = NULL;
	FILE *f;

	if (cbd_doc_parse(data, len, &doc, &err) < 0)
		return -EINVAL;
	f = open_memstream(ret, ret_len);
	if (!f)
		return -ENOMEM;
	cbd_doc_render_html(doc, f, cfg->thresholds.v[CBD_T_BATTERY_HEALTH_WARN],
			    cfg->thresholds.v[CBD_T_BATTERY_HEALTH_FAIL]);
	if (fclose(f) != 0) {
		free(*ret);
		*ret = NULL;
		return -EIO;
	}
	return 0;
}

int
cbd_attach_open(const char *cmd, const struct cbd_config *cfg, struct cbd_hd **ret)
{
	_cleanup_free_ char *err = NULL;
	int r;

	if (!cbd_hd_configured(&cfg->helpdesk)) {
		cbd_log_error(cmd, "no help desk is configured: set [helpdesk] type in %s",
			      cfg->source ? cfg->source : "the config file (see --config)");
		return CBD_EXIT_USAGE;
	}
	r = cbd_hd_open(&cfg->helpdesk, ret, &err);
	if (r == -ELIBACC) {
		/* libcurl is missing: the machine is at fault, not the config file */
		cbd_log_error(cmd, "%s", err);
		return CBD_EXIT_USAGE;
	}
	if (r < 0) {
		cbd_log_error(cmd, "%s%s%s", cfg->source ? cfg->source : "",
			      cfg->source ? ": " : "", err);
		return CBD_EXIT_USAGE;
	}
	if (cbd_hd_wants_html(*ret))
		cbd_hd_set_html_renderer(*ret, render_html, (void *)cfg);
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
cbd_attach_print(const char *cmd, struct cbd_hd *hd, const char *queue_dir,
		 const struct cbd_hd_item *item, const char *path, const char *ticket,
		 bool create, FILE *out)
{
	return cbd_attach_print_delivery(cmd, hd, queue_dir, item, path, ticket, create, out, NULL);
}

int
cbd_attach_print_delivery(const char *cmd, struct cbd_hd *hd, const char *queue_dir,
			  const struct cbd_hd_item *item, const char *path, const char *ticket,
			  bool create, FILE *out, enum cbd_delivery *ret_delivery)
{
	struct cbd_attach_outcome o;
	enum cbd_delivery delivery = CBD_DELIVERY_FAILED;
	int rc = CBD_EXIT_USAGE;

	switch (cbd_attach_report(hd, queue_dir, item, ticket, create, &o)) {
	case CBD_HD_DONE:
		fputs(out == stderr ? "cbdiag: " : "", out);
		cbd_text_fputs(o.message, false, out); /* the help desk's words */
		fprintf(out, " (%s)\n", cbd_hd_describe(hd));
		rc = CBD_EXIT_OK;
		delivery = CBD_DELIVERY_ATTACHED;
		break;
	case CBD_HD_UNREACHABLE:
		cbd_log_error(cmd, "%s", o.message);
		if (o.queue_error) {
			cbd_log_error(cmd, "%s", o.queue_error);
			cbd_log_error(cmd, "the report was NOT queued; it is still in %s", path);
			/* an untrusted queue directory is for a person to fix */
			rc = o.queue_errno == -EPERM ? CBD_EXIT_USAGE : CBD_EXIT_INCOMPLETE;
		} else {
			fprintf(stderr,
				"cbdiag %s: queued as %s in %s; `cbdiag queue flush` sends it when "
				"the help desk is back\n",
				cmd, o.queued_as, queue_dir);
			rc = CBD_EXIT_INCOMPLETE;
			delivery = CBD_DELIVERY_QUEUED;
		}
		break;
	case CBD_HD_NO_MATCH:
	case CBD_HD_AMBIGUOUS:
	case CBD_HD_REFUSED:
		cbd_log_error(cmd, "%s", o.message);
		rc = CBD_EXIT_USAGE;
		break;
	}
	cbd_attach_outcome_clear(&o);
	if (ret_delivery)
		*ret_delivery = delivery;
	return rc;
}

struct flush_print {
	const char *cmd;
	FILE *out;
};

static void
flush_note(const struct cbd_flush_note *n, void *userdata)
{
	const struct flush_print *p = userdata;

	if (n->result == CBD_HD_DONE && !n->local) {
		fprintf(p->out, "%s%s: ", p->out == stderr ? "cbdiag: sent " : "", n->entry);
		cbd_text_fputs(n->message, false, p->out); /* the help desk's words */
		fputc('\n', p->out);
	} else {
		cbd_log_error(p->cmd, "%s: %s", n->entry, n->message);
	}
}

int
cbd_attach_flush(const char *cmd, struct cbd_hd *hd, const char *dir, bool automatic, FILE *out)
{
	struct flush_print p = {.cmd = cmd, .out = out};
	struct cbd_flush_counts c;
	_cleanup_free_ char *err = NULL;
	int r;

	r = cbd_queue_flush(hd, dir, automatic, flush_note, &p, &c, &err);
	if (r < 0) {
		cbd_log_error(cmd, "%s", err);
		return r == -EPERM ? CBD_EXIT_USAGE : CBD_EXIT_INCOMPLETE;
	}
	if (c.sent + c.waiting + c.held || !automatic)
		fprintf(stderr, "cbdiag %s: %zu sent, %zu waiting for the help desk, %zu waiting for "
				"a person\n",
			cmd, c.sent, c.waiting, c.held);
	print_stats(hd);
	return c.held ? CBD_EXIT_USAGE : c.waiting ? CBD_EXIT_INCOMPLETE : CBD_EXIT_OK;
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
		struct cbd_hd_item item;
		_cleanup_free_ char *err = NULL;

		/* read and validated once; exactly those bytes are sent */
		if (cbd_hd_item_load(&item, argv[optind], &err) < 0) {
			cbd_log_error("attach", "%s: %s", argv[optind], err);
			rc = CBD_EXIT_USAGE;
		} else {
			rc = cbd_attach_print("attach", hd, cbd_attach_queue_dir(&cfg), &item,
					      argv[optind], ticket, create, stdout);
			print_stats(hd);
			cbd_hd_item_clear(&item);
		}
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
	int r;

	if ((r = cbd_queue_list(dir, &v, &n, &err)) < 0) {
		cbd_log_error("queue", "%s", err);
		return r == -EPERM ? CBD_EXIT_USAGE : CBD_EXIT_INCOMPLETE;
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
			if (e->sending_since) {
				char since[32] = "";

				cbd_format_utc(e->sending_since, since, sizeof(since));
				printf("  a send began %s: looked for on the ticket before any "
				       "resend\n",
				       since);
			}
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
	int rc = CBD_EXIT_USAGE, r;

	if ((r = cbd_queue_list(dir, &v, &n, &err)) < 0) {
		cbd_log_error("queue", "%s", err);
		return r == -EPERM ? CBD_EXIT_USAGE : CBD_EXIT_INCOMPLETE;
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
		rc = cbd_attach_flush("queue", hd, cbd_attach_queue_dir(&cfg), false, stdout);
	cbd_hd_close(hd);
	cbd_config_clear(&cfg);
	return rc;
}
