/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The command table and the helpers every command shares (the shape of bolt's boltctl). */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>

#include "cli.h"
#include "report.h"

const struct cbd_command cbd_commands[] = {
	{"run",
	 "[--probe LIST] [--ticket ID] [--tech NAME] [--asset TAG] [--interactive | "
	 "--no-interactive]\n"
	 "           [--storage-scan off|quick|full] [-o PATH] [--format json|text] [--attach]\n"
	 "           [--details] [--lang LANG] [--profiles FILE] [--config FILE]",
	 "check the hardware and write a report",
	 "  --probe LIST          comma-separated probes to run (see `cbdiag list`); default all\n"
	 "  --ticket ID           the help-desk ticket this bench visit belongs to\n"
	 "  --tech NAME           the technician's initials\n"
	 "  --asset TAG           the district's asset tag (overrides the firmware's)\n"
	 "  --interactive         run the guided steps (key test, colour screens, port test)\n"
	 "  --no-interactive      never wait for a person (default unless stdin and stdout\n"
	 "                        are terminals)\n"
	 "  --storage-scan MODE   read test of the disks: off, quick (default) or full\n"
	 "  --backlight-sweep     step the screen's and the keyboard's backlight through\n"
	 "                        their levels (writes brightness, restores it)\n"
	 "  -o, --output PATH     write the JSON report to PATH ('-' for stdout); default:\n"
	 "                        $CBDIAG_REPORT_DIR, the config's report_dir, or ./reports\n"
	 "  --format json|text    what to print on stdout (default text; an interactive run\n"
	 "                        ends with the intern's final screen)\n"
	 "  --details             with text: finding codes and each probe's data, for staff\n"
	 "  --profiles FILE       the models' usual parts (summary --profiles): a part this\n"
	 "                        model has and this machine lacks fails\n"
	 "  --lang LANG           the language of what the intern reads (en, es); default\n"
	 "                        from LANGUAGE, LC_ALL, LC_MESSAGES or LANG. The report\n"
	 "                        itself is always in English\n"
	 "  --attach              send the report to the help-desk ticket (--ticket, else the\n"
	 "                        device's open ticket); queued when the help desk is offline,\n"
	 "                        and what waits in the queue is sent first\n"
	 "  --config FILE         configuration file (default $CBDIAG_CONFIG or\n"
	 "                        /etc/cbdiag/cbdiag.conf)\n"
	 "\nExit status: 0 all good, 1 a part failed, 2 usage error, 3 incomplete (a check\n"
	 "could not run, or the report could not be written). With --attach, when all is\n"
	 "good otherwise: 3 the report was queued, 2 the help desk refused it.\n",
	 cbd_cmd_run},
	{"list", "[--json]", "list the probes", "  --json                one JSON array\n",
	 cbd_cmd_list},
	{"show", "REPORT [--format text|html] [--details] [--lang LANG] [-o PATH]", "show a report for people to read",
	 "  --format text|html    plain text (default) or one self-contained HTML page\n"
	 "  --details             text with finding codes and each probe's data, for staff\n"
	 "  --lang LANG           the language of the text (en, es; the HTML page is in English)\n"
	 "  -o, --output PATH     write the rendering to PATH instead of stdout\n",
	 cbd_cmd_show},
	{"validate", "REPORT...", "check reports against the report schema",
	 "Exit status: 0 when every report is valid, 2 otherwise.\n", cbd_cmd_validate},
	{"diff", "BEFORE AFTER [--json] [--force]", "what changed across a repair",
	 "  --json                the comparison as JSON\n"
	 "  --force               compare reports of two different devices\n"
	 "\nExit status: 0 compared, 2 bad input or two different devices.\n",
	 cbd_cmd_diff},
	{"summary", "PATH... [--json | --format FMT] [--config FILE] [--helpdesk [--cache DIR]]\n"
	 "           [--profiles OUT] [--enrolled EXPORT.csv]",
	 "fleet view over many reports",
	 "  --json                the fleet view as JSON (every list in full)\n"
	 "  --format FMT          text (default), json, html (a dashboard page: charts, every\n"
	 "                        device linked to its latest report by relative path),\n"
	 "                        csv (one row per device; cells that begin with = + - @\n"
	 "                        get a leading '), csv-findings (one row per finding of\n"
	 "                        each device's latest report), csv-unchecked (the enrolled\n"
	 "                        devices never checked; needs --enrolled) or ndjson (one\n"
	 "                        device a line)\n"
	 "  --config FILE         configuration (the battery lines of the health shares)\n"
	 "  --profiles OUT        also write each model's usual parts, learned from the\n"
	 "                        reports, to OUT: the file `run --profiles` checks against\n"
	 "  --enrolled EXPORT.csv the devices the district enrolled (Google Admin's device\n"
	 "                        export): which were never checked, per organisational unit\n"
	 "  --helpdesk            also the reports on the configured help desk: a folder\n"
	 "                        help desk is read in place; Request Tracker's reports\n"
	 "                        are fetched into the cache first, only the new ones\n"
	 "  --cache DIR           where they are kept (default " "/var/cache/cbdiag/helpdesk)\n"
	 "\nReads every file under the given files and folders (hidden ones excepted); files\n"
	 "that are not valid reports are listed as skipped. The latest report of each device\n"
	 "is its current state; all reports count for history. Exit 3 when the help desk\n"
	 "stopped answering (the summary then covers the reports fetched before).\n",
	 cbd_cmd_summary},
	{"attach", "REPORT [--ticket ID] [--create] [--config FILE]",
	 "send a report to the help-desk ticket (queued when offline)",
	 "  --ticket ID           the ticket (default: the report's own ticket, else the\n"
	 "                        device's one open ticket, found by serial or asset tag)\n"
	 "  --create              open a ticket when the device has none\n"
	 "  --config FILE         configuration ([helpdesk]; default $CBDIAG_CONFIG or\n"
	 "                        /etc/cbdiag/cbdiag.conf)\n"
	 "\nExit status: 0 attached, 2 bad input or the help desk refused (no ticket, several\n"
	 "tickets, token refused), 3 the help desk could not be reached: the report was\n"
	 "queued for `cbdiag queue flush`.\n",
	 cbd_cmd_attach},
	{"queue", "[list | flush | drop ENTRY] [--json] [--config FILE]",
	 "reports waiting for the help desk",
	 "  list                  what waits, and why (default)\n"
	 "  flush                 send it now, oldest first\n"
	 "  drop ENTRY            forget one entry (its report file stays where it was made)\n"
	 "  --json                list as JSON\n"
	 "  --config FILE         configuration ([helpdesk] queue_dir)\n"
	 "\nExit status of flush: 0 the queue is empty, 2 some reports need a person (the\n"
	 "help desk refused them; see list), 3 the help desk could not be reached.\n",
	 cbd_cmd_queue},
};
const size_t cbd_n_commands = CBD_ARRAY_SIZE(cbd_commands);

const struct cbd_command *
cbd_command_find(const char *name)
{
	for (size_t i = 0; i < cbd_n_commands; i++)
		if (streq(cbd_commands[i].name, name))
			return &cbd_commands[i];
	return NULL;
}

bool
cbd_use_colour(int fd)
{
	const char *nc = getenv("NO_COLOR");
	const char *term = getenv("TERM");

	/* NO_COLOR (no-color.org) and a dumb terminal: words only */
	return isatty(fd) && strempty(nc) && !(term && streq(term, "dumb"));
}

/* Messages quote paths, report values and server answers: neutralised
 * before they reach the terminal. */
static void put_message(const char *fmt, va_list ap) _printf_(1, 0);

static void
put_message(const char *fmt, va_list ap)
{
	_cleanup_free_ char *msg = NULL;

	if (vasprintf(&msg, fmt, ap) < 0) {
		fputs("(out of memory)", stderr);
		return;
	}
	cbd_text_fputs(msg, true, stderr);
}

void
cbd_log_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "cbdiag%s%s: ", cmd ? " " : "", cmd ? cmd : "");
	va_start(ap, fmt);
	put_message(fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int
cbd_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "cbdiag%s%s: ", cmd ? " " : "", cmd ? cmd : "");
	va_start(ap, fmt);
	put_message(fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'cbdiag%s%s --help'.\n", cmd ? " " : "", cmd ? cmd : "");
	return CBD_EXIT_USAGE;
}

int
cbd_getopt_error(const char *cmd, int opt, char **argv)
{
	const char *arg = argv[optind - 1];

	if (opt == ':')
		return cbd_usage_error(cmd, "option '%s' needs a value", arg);
	if (optopt && !(arg && arg[0] == '-' && arg[1] == '-'))
		return cbd_usage_error(cmd, "unknown option '-%c'", optopt);
	return cbd_usage_error(cmd, "unknown option '%s'", arg);
}

void
cbd_print_command_help(const struct cbd_command *c)
{
	printf("Usage: cbdiag %s %s\n\n%s.\n", c->name, c->synopsis, c->summary);
	if (c->help)
		printf("\n%s", c->help);
}


int
cbd_cli_load_report(const char *cmd, const char *path, struct cbd_doc **ret)
{
	_cleanup_free_ char *err = NULL;

	if (cbd_doc_load_valid(path, ret, &err) < 0) {
		cbd_log_error(cmd, "%s: %s", path, err);
		return CBD_EXIT_USAGE;
	}
	return 0;
}
