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
	char *type; /* "rt" | "folder" | "webhook" or NULL when not configured */
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
};

#define CBD_HD_DEFAULT_QUEUE_DIR "/var/lib/cbdiag/queue"
#define CBD_HD_DEFAULT_SERIAL_FIELD "Serial Number"
#define CBD_HD_DEFAULT_CONNECT_TIMEOUT_S 10
#define CBD_HD_DEFAULT_TIMEOUT_S 300

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

/* One report to deliver. Built from a validated report by cbd_hd_item_init(). */
struct cbd_hd_item {
	char *path;      /* the report file, sent as it is on disk */
	uint64_t size;   /* its size in bytes */
	char *filename;  /* cbdiag-<serial>-<report_id>.json */
	char *report_id; /* the report's UUID */
	char *serial;    /* device serial, or NULL */
	char *asset_tag; /* or NULL */
	char *body;      /* the text rendering: the comment staff read in the ticket */
	char *subject;   /* for a new ticket: "Chromebook 5CD1234: battery worn (52 %)" */
};

/** Fill @item from the report @doc stored at @path. Returns 0 or -errno. */
int cbd_hd_item_init(struct cbd_hd_item *item, const struct cbd_doc *doc, const char *path);
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

/** Where the reports go, for messages: "Request Tracker at https://…". */
const char *cbd_hd_describe(const struct cbd_hd *hd);

/**
 * Deliver @item. *@ticket is the ticket to attach to, or NULL to find the
 * device's open ticket (by serial, or asset tag) and, with @create, to open
 * one when there is none; on return *@ticket names the ticket used (a new one
 * is reported even when sending failed afterwards, so a retry uses it).
 *
 * Before sending, the ticket is asked whether it already holds the report's
 * file name (a retry after a crash between "posted" and "dequeued" must not
 * attach it twice); after sending, the attachment is looked up again, so
 * CBD_HD_DONE means it is there. *@ret_msg says what happened, in words.
 */
enum cbd_hd_result cbd_hd_deliver(struct cbd_hd *hd, const struct cbd_hd_item *item,
				  char **ticket, bool create, char **ret_msg);

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
	char *report;    /* full path of its report.json */
	char *report_id;
	char *filename;
	char *serial;
	char *ticket; /* or NULL: find (or create) at send time */
	bool create;
	bool held; /* a person must act (refused, no or several tickets) */
	unsigned attempts;
	int64_t enqueued_at, last_attempt_at, next_attempt_at; /* UTC seconds; 0 never */
	char *last_error;                                      /* or NULL */
};

void cbd_queue_entry_clear(struct cbd_queue_entry *e);
void cbd_queue_entries_free(struct cbd_queue_entry *v, size_t n);

/**
 * Copy the report at @item->path into @dir as a new entry. Returns 0 or
 * -errno with *@ret_err; *@ret_name (optional) gets the entry's name.
 */
int cbd_queue_add(const char *dir, const struct cbd_hd_item *item, const char *ticket,
		  bool create, const char *reason, char **ret_name, char **ret_err);

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

/** Take the queue's lock (flock on <dir>/.lock), waiting up to @wait_ms. Returns an fd or -errno. */
int cbd_queue_lock(const char *dir, unsigned wait_ms);

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
