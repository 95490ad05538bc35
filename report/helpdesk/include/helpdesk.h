/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Sending reports to the help desk, and the offline queue.
 *
 * A backend (report/hd-*.c) knows one help desk: how to find a device's open
 * ticket, create one, tell whether a ticket already holds a file, and attach
 * a report. helpdesk.c holds the logic every backend shares (find or create,
 * "already there?", send, verify) and classifies every problem as one of
 * enum cbd_hd_result, which decides what the queue does with it.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cbd-util.h"

struct cbd_doc;

/* [helpdesk] of the configuration file (docs/configuration.md). */
struct cbd_helpdesk_config {
	char *type; /* "rt" | "folder" | "webhook" | "email" or NULL when not configured */
	char *url;
	char *token_file;
	char *queue;
	char *serial_field;
	char *asset_field;
	char *queue_dir;
	char *path;    /* folder backend */
	char *ca_file; /* TLS trust for the help desk */
	unsigned connect_timeout_s;
	unsigned timeout_s;
	unsigned resend_wait_s; /* how long to look for a report an interrupted send may still be storing */
	/* type = email (hd-email.c; docs/helpdesk.md, "E-mail") */
	char *mail_preset;  /* rt, zammad, osticket, …: the subject's ticket tag; NULL: generic */
	char *mail_from;    /* the sender (envelope and From:), one the help desk accepts */
	char *mail_to;      /* the help desk's incoming address */
	char *mail_reply_to; /* or NULL */
	char *mail_user;    /* SMTP login; NULL: mail_from (the password is in token_file) */
	char *mail_subject; /* template ({tag} {ticket} {summary} …); NULL: the preset's */
	char *mail_tag_name; /* {name} in a tag: RT's $rtname */
	bool mail_plain;     /* mail_tls = none: no TLS at all (loopback only, for tests) */
	bool mail_html;      /* also attach the HTML page */
};

#define CBD_HD_DEFAULT_QUEUE_DIR "/var/lib/cbdiag/queue"
#define CBD_HD_DEFAULT_SERIAL_FIELD "Serial Number"
#define CBD_HD_DEFAULT_CONNECT_TIMEOUT_S 10
#define CBD_HD_DEFAULT_TIMEOUT_S 300
#define CBD_HD_DEFAULT_RESEND_WAIT_S 30

/** Is a help desk configured at all? */
bool cbd_hd_configured(const struct cbd_helpdesk_config *cfg);

/* What became of one attempt. The order matters: it is also the severity. */
enum cbd_hd_result {
	CBD_HD_DONE = 0,    /* the report is on the ticket (sent now, or found there) */
	CBD_HD_UNREACHABLE, /* network, DNS, timeout, HTTP 5xx: queue it, try again later */
	CBD_HD_NO_MATCH,    /* no open ticket for this device (and no --create) */
	CBD_HD_AMBIGUOUS,   /* several open tickets: a person must pick one */
	CBD_HD_REFUSED,     /* auth refused, ticket missing, bad request: a person must act */
};

/*
 * One report to deliver: the bytes that were validated, and what is derived
 * from them. Backends send @data, never a file by path, so what goes out is
 * what was checked (a file swapped after validation changes nothing).
 */
struct cbd_hd_item {
	char *data;      /* the report, byte for byte (owned) */
	size_t size;     /* its size in bytes */
	char *ticket;    /* the report's own ticket field (run --ticket), or NULL */
	char *filename;  /* cbdiag-<serial>-<report_id>.json */
	char *report_id; /* the report's UUID */
	char *serial;    /* device serial, or NULL */
	char *asset_tag; /* or NULL */
	char *body;      /* the text rendering: the comment staff read in the ticket */
	char *subject;   /* for a new ticket: "Chromebook 5CD1234: battery worn (52 %)" */
};

/**
 * Fill @item from the valid report @doc whose text is @data (@len bytes, copied):
 * what `run --attach` holds after writing the report. Returns 0 or -errno.
 */
int cbd_hd_item_init(struct cbd_hd_item *item, const struct cbd_doc *doc, const char *data,
		     size_t len);

/**
 * Read the report at @path once (a regular file, at most CBD_REPORT_MAX_BYTES),
 * parse and validate those bytes and fill @item from them: `cbdiag attach PATH`.
 * Returns 0, or -errno with *@ret_err (without the path) for a person to read.
 */
int cbd_hd_item_load(struct cbd_hd_item *item, const char *path, char **ret_err);

/** The same from @fd (read from where it stands; not closed). */
int cbd_hd_item_load_fd(struct cbd_hd_item *item, int fd, char **ret_err);
void cbd_hd_item_clear(struct cbd_hd_item *item);

/** The file name a report gets on the ticket: cbdiag-<serial|unknown>-<report_id>.json */
char *cbd_hd_filename(const char *serial, const char *report_id);

/** The subject of a new ticket: the device and the parts that failed (or warned). */
char *cbd_hd_subject(const struct cbd_doc *doc);

/* A session with the configured help desk (one connection, reused). */
struct cbd_hd;

/**
 * Open a session: checks the configuration and reads the token file (which
 * must not be readable or writable by others). Nothing goes over the network
 * yet. Returns 0, or -errno with *@ret_err for a person to read.
 */
int cbd_hd_open(const struct cbd_helpdesk_config *cfg, struct cbd_hd **ret, char **ret_err);
void cbd_hd_close(struct cbd_hd *hd);

/* What a fetch of the help desk's reports did (cbd_hd_fetch_reports). */
struct cbd_hd_fetch {
	unsigned fetched;    /* new report files written */
	unsigned duplicates; /* a report attached more than once: kept once */
	unsigned refused;    /* attachments that are not a file cbdiag can take */
};

/**
 * For the fleet view: bring the reports the help desk holds into the folder
 * @dir (made when missing), only those not fetched before — RT: cbdiag's
 * attachments on any ticket, newer than the last fetch (`.rt-last-id` in
 * @dir); what was written is kept when the help desk stops answering midway.
 * CBD_HD_REFUSED, with the reason, for a help desk that cannot be read back
 * (webhook, e-mail); CBD_HD_UNREACHABLE when it stops answering.
 */
enum cbd_hd_result cbd_hd_fetch_reports(struct cbd_hd *hd, const char *dir,
					struct cbd_hd_fetch *st, char **ret_msg);

/*
 * For backends that can send the HTML page too (type = email, mail_html):
 * @fn renders the report @data (@len bytes, already validated) into a
 * malloc'd page (*@ret, *@ret_len). helpdesk/ cannot link the views itself
 * (the layers), so diag/ hands the renderer in after cbd_hd_open().
 */
typedef int (*cbd_hd_html_fn)(const char *data, size_t len, char **ret, size_t *ret_len,
			      void *userdata);
void cbd_hd_set_html_renderer(struct cbd_hd *hd, cbd_hd_html_fn fn, void *userdata);

/** Does the configured backend want the HTML page (type = email with mail_html)? */
bool cbd_hd_wants_html(const struct cbd_hd *hd);

/** Where the reports go, for messages: "Request Tracker at https://…". */
const char *cbd_hd_describe(const struct cbd_hd *hd);

/*
 * One delivery attempt's memory of earlier ones, and what it did. A send that
 * was interrupted (cbdiag killed, a timeout) may still be stored by the help
 * desk after cbdiag gave up on it, so before sending again the ticket is asked
 * repeatedly (0.25 s, 0.5, 1, … apart) until resend_wait_s have passed since
 * that earlier send could last have reached the server (its start plus
 * timeout_s): a report is never sent twice while an earlier copy may still
 * appear. The marker is the report id, in the attachment's file name.
 */
struct cbd_hd_attempt {
	int64_t earlier_send_at; /* in: UTC second an earlier send began, 0: none */
	/* in, optional: called just before the report goes out; a failure stops
	 * the send (the queue persists "sending since @now" here, so that a crash
	 * during the send is known to the next attempt) */
	int (*before_send)(struct cbd_hd_attempt *a, int64_t now, char **ret_err);
	void *userdata;
	int64_t send_at; /* out: UTC second this attempt's send began, 0: nothing sent */
};

/**
 * Deliver @item. *@ticket is the ticket to attach to, or NULL to find the
 * device's open ticket (by serial, or asset tag) and, with @create, to open
 * one when there is none; on return *@ticket names the ticket used (a new one
 * is reported even when sending failed afterwards, so a retry uses it).
 *
 * Before sending, the ticket is asked whether it already holds the report's
 * file name (waiting as struct cbd_hd_attempt says after an earlier send);
 * after sending, the attachment is looked up again, so CBD_HD_DONE means it is
 * there. A send that got no answer is followed by the same bounded wait, so a
 * slow server's late copy is found, not sent again. @a may be NULL (no
 * earlier send). *@ret_msg says what happened, in words.
 */
enum cbd_hd_result cbd_hd_deliver(struct cbd_hd *hd, const struct cbd_hd_item *item,
				  char **ticket, bool create, struct cbd_hd_attempt *a,
				  char **ret_msg);

/** Requests and TCP connections made so far (connection reuse, in docs/performance.md). */
void cbd_hd_stats(const struct cbd_hd *hd, unsigned *requests, unsigned *connections);

/* ---- the offline queue (report/queue.c) --------------------------------- */

/*
 * One directory per waiting report under queue_dir, named
 * <UTC enqueue time, ns>-<report_id> so that names sort oldest first, holding
 * report.json (the report, byte for byte) and entry.json (where it goes and
 * what happened so far). An entry is built in a temporary directory and
 * renamed into place, and removed by renaming it away first: a crash leaves
 * either a whole entry or none.
 */
struct cbd_queue_entry {
	char *name;      /* directory name, the entry's id in `queue list` */
	char *dir;       /* full path of the entry directory */
	char *report_id;
	char *filename;
	char *serial;
	char *ticket; /* or NULL: find (or create) at send time */
	bool create;
	bool held; /* a person must act (refused, no or several tickets) */
	unsigned attempts;
	int64_t enqueued_at, last_attempt_at, next_attempt_at; /* UTC seconds; 0 never */
	int64_t sending_since; /* UTC second a send began that was not seen to end; 0 none */
	char *last_error;      /* or NULL */
};

void cbd_queue_entry_clear(struct cbd_queue_entry *e);
void cbd_queue_entries_free(struct cbd_queue_entry *v, size_t n);

/*
 * The queue directory is trusted only when it is a directory owned by root or
 * by the user running cbdiag and not writable by group or others: anyone who
 * can write there could make cbdiag (often root) send a file of their choice.
 * Every function below checks it and refuses with -EPERM and a message naming
 * the problem; files inside are opened relative to it and never through a
 * symbolic link.
 */

/**
 * Open (with @create: make, mode 0700, missing parents too) the queue
 * directory @dir and check it as above. Returns a directory fd, -ENOENT when
 * it is missing and !@create, or -errno with *@ret_err.
 */
int cbd_queue_open(const char *dir, bool create, char **ret_err);

/**
 * Store @item->data in @dir as a new entry. @sending_since: when a send of it
 * began that may still reach the help desk (0: none). Returns 0 or -errno with
 * *@ret_err; *@ret_name (optional) gets the entry's name.
 */
int cbd_queue_add(const char *dir, const struct cbd_hd_item *item, const char *ticket,
		  bool create, const char *reason, int64_t sending_since, char **ret_name,
		  char **ret_err);

/**
 * Read the entries of @dir, oldest first. A missing directory is an empty
 * queue. Entries that cannot be read are returned with held = true and the
 * problem in last_error, never skipped silently. Returns 0 or -errno.
 */
int cbd_queue_list(const char *dir, struct cbd_queue_entry **ret, size_t *ret_n, char **ret_err);

/** Rewrite the entry's entry.json (atomically) from @e. */
int cbd_queue_update(const struct cbd_queue_entry *e, char **ret_err);

/** Remove the entry (renamed away first, then deleted). */
int cbd_queue_remove(const struct cbd_queue_entry *e, char **ret_err);

/**
 * Read the entry's report.json (never through a symbolic link), validate it
 * and fill @item from those bytes, under the entry's file name.
 */
int cbd_queue_load_item(const struct cbd_queue_entry *e, struct cbd_hd_item *item,
			char **ret_err);

/**
 * Take the queue's lock: flock on <dir>/.lock, opened relative to the checked
 * directory and refused when it is a symbolic link; waiting up to @wait_ms.
 * Returns an fd, -EWOULDBLOCK when busy, or -errno with *@ret_err.
 */
int cbd_queue_lock(const char *dir, unsigned wait_ms, char **ret_err);

/** `cbdiag queue list --json`: the entries as a JSON array (caller frees). */
char *cbd_queue_entries_to_json(const struct cbd_queue_entry *v, size_t n);

/** Parse the text of an entry.json into @e; false on any problem (tests, fuzzer). */
bool cbd_queue_entry_parse(const char *text, size_t len, struct cbd_queue_entry *e);

/**
 * Seconds the automatic flush (run --attach) waits before trying an entry
 * again after @attempts failed ones: 1 min, 2, 4, … at most 1 h. The attempt
 * made when the report was queued does not count: the next run tries it.
 * `queue flush`, asked for by a person, tries every entry at once.
 */
int64_t cbd_queue_backoff_s(unsigned attempts);
