/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The report: what one run found, as docs/report-format.md describes it.
 *
 * struct cbd_report is the model diag/ fills during a run. struct cbd_doc is
 * a report as a JSON document (built from the model, or loaded from a file)
 * and is what gets written, validated and rendered.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "device-id.h"
#include "result.h"

#define CBD_SCHEMA_VERSION 1
/* Reports larger than this are refused when read (a 20 MB report is legal). */
#define CBD_REPORT_MAX_BYTES (32u * 1024u * 1024u)


struct cbd_report_probe {
	const char *name;          /* static: from the probe registry */
	struct cbd_result *result; /* owned */
};

struct cbd_report {
	char report_id[37];
	int64_t started_at;  /* UTC seconds */
	int64_t finished_at; /* UTC seconds */
	uint64_t duration_ms;
	char *ticket;     /* or NULL */
	char *technician; /* or NULL */
	struct cbd_device_id device;
	struct cbd_report_probe *probes;
	size_t n_probes;
	/* about this run's report, not the hardware (report.*, e.g. kept
	 * elsewhere because its directory could not be written): the report's
	 * top-level "findings", there only when not empty; never in overall */
	struct cbd_finding *findings;
	size_t n_findings;
};

void cbd_report_clear(struct cbd_report *r);

/** The worst status in the order fail > error > warn > pass (skip counts as pass). */
enum cbd_status cbd_overall(const enum cbd_status *statuses, size_t n);

/** A random (version 4) UUID from getrandom(): "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx". */
int cbd_uuid4(char buf[static 37]);

/* ---- documents ------------------------------------------------------- */

struct cbd_doc;

struct cbd_doc *cbd_report_to_doc(const struct cbd_report *r);
void cbd_doc_free(struct cbd_doc *doc);
CBD_DEFINE_TRIVIAL_CLEANUP_FUNC(struct cbd_doc *, cbd_doc_free)
#define _cleanup_doc_ _cleanup_(cbd_doc_freep)

/** The document as indented JSON text with a final newline (malloc'd). */
char *cbd_doc_to_string(const struct cbd_doc *doc);
/** The same text written to @out, one top-level member at a time (a large
 * document's whole text is never in memory). -EIO when @out failed. */
int cbd_doc_print(const struct cbd_doc *doc, FILE *out);

/**
 * Write @doc to @path atomically: a temporary file in the same directory,
 * fsync, rename over @path, fsync of the directory. A crash leaves the old
 * file or the new one, never half of one. "-" writes to stdout.
 * On failure returns -errno and sets *@ret_err to a message naming the path
 * (caller frees); nothing is left behind.
 */
int cbd_doc_write_atomic(const struct cbd_doc *doc, const char *path, char **ret_err);

/**
 * Read and parse a report file. Returns 0, or -errno with a plain message in
 * *@ret_err (malloc'd): -ENOENT/-EACCES (cannot open), -EFBIG (over
 * CBD_REPORT_MAX_BYTES), -ENODATA (empty), -EINVAL (not JSON, with the line of
 * the problem). Does not validate: see cbd_doc_validate().
 */
int cbd_doc_load(const char *path, struct cbd_doc **ret, char **ret_err);
int cbd_doc_parse(const char *text, size_t len, struct cbd_doc **ret, char **ret_err);

/**
 * Check @doc against report/report.schema.json (embedded in the program).
 * Returns 0 when valid; -EPROTONOSUPPORT when the report's schema_version is
 * newer than this program; -EINVAL otherwise. *@ret_err names the first
 * problem with its JSON pointer ("/probes/battery/status: ...").
 */
int cbd_doc_validate(const struct cbd_doc *doc, char **ret_err);

/** cbd_doc_load() then cbd_doc_validate(): what every command that reads a report does. */
int cbd_doc_load_valid(const char *path, struct cbd_doc **ret, char **ret_err);

/** The schema text this program enforces. */
const char *cbd_report_schema_text(void);

/**
 * Plain-text rendering for people: device line, one line per probe with
 * status word and summary, then each finding with its action. ANSI colour
 * only when @colour. @doc must be valid.
 */
void cbd_doc_render_text(const struct cbd_doc *doc, FILE *out, bool colour);

/**
 * A probe's part in the intern's words and language ("display" -> "Screen"),
 * as the final screen and the progress lines of an interactive run name it;
 * an unknown probe name is returned as it is.
 */
const char *cbd_part_name(const char *probe);

/** Where the report of a run went, for the final screen. */
enum cbd_delivery {
	CBD_DELIVERY_NONE,     /* no help desk set up: the file only */
	CBD_DELIVERY_ATTACHED, /* on the ticket */
	CBD_DELIVERY_QUEUED,   /* in the offline queue, sent later */
	CBD_DELIVERY_FAILED,   /* neither sent nor queued */
};

struct cbd_final_screen {
	bool colour;
	int rows, cols;         /* the console's size; 0 (or too small): 24 x 80 */
	FILE *pager_in;         /* Enter is read here between pages; NULL: no paging */
	const char *saved_path; /* where the report was written; NULL: not written */
	enum cbd_delivery delivery;
};

/**
 * The last screen of an intern's run (docs/writing-for-interns.md): the
 * verdict in words (and colour when @o->colour), each part that failed, could
 * not be checked or has a note with its headline and next step, whether the
 * report was saved and sent, and what to write on the ticket and the sticker.
 * Lines stay within @o->cols - 1 columns; more lines than @o->rows are paged
 * when @o->pager_in is set. No codes and no exit status. @doc must be valid.
 */
void cbd_doc_render_final(const struct cbd_doc *doc, FILE *out, const struct cbd_final_screen *o);

/**
 * cbd_doc_render_text() for staff when @details: each finding's code and
 * whether it goes to staff, and every probe's data (raw values, units, ids)
 * as "probe.path: value" lines.
 */
void cbd_doc_render_text_details(const struct cbd_doc *doc, FILE *out, bool colour, bool details);

/* Print @s with control characters shown as '?', so text from a file cannot drive the terminal. */
void cbd_text_put_safe(FILE *out, const char *s);

/** Exit status for a report (cbdiag(1) EXIT STATUS): 0 all good, 1 a fail, 3 an error and no fail. */
int cbd_doc_exit_code(const struct cbd_doc *doc);

/** device.serial of a document, or NULL. */
const char *cbd_doc_device_serial(const struct cbd_doc *doc);

/* The report's ticket field (set by run --ticket), or NULL. */
const char *cbd_doc_ticket(const struct cbd_doc *doc);

/* `cbdiag list --json`: [{"name":…, "description":…, "interactive":bool}] */
struct cbd_list_entry {
	const char *name;
	const char *description;
	bool interactive;
};
char *cbd_list_to_json(const struct cbd_list_entry *entries, size_t n);

