/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The report: what one run found, as SPEC.md "The report" describes it.
 *
 * struct cbd_report is the model diag/ fills during a run. struct cbd_doc is
 * a report as a JSON document (built from the model, or loaded from a file)
 * and is what gets written, validated and rendered.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "result.h"

#define CBD_SCHEMA_VERSION 1
/* Reports larger than this are refused when read (a 20 MB report is legal). */
#define CBD_REPORT_MAX_BYTES (32u * 1024u * 1024u)

enum cbd_form_factor {
	CBD_FORM_UNKNOWN,
	CBD_FORM_LAPTOP,
	CBD_FORM_DESKTOP,
};

const char *cbd_form_factor_to_string(enum cbd_form_factor f);

/* device: identity only, never personal data, never secrets. Strings may be NULL. */
struct cbd_device_id {
	char *serial;
	char *asset_tag;
	char *vendor;
	char *model;
	char *board;
	char *sku;
	char *firmware_version;
	char *hwid;
	enum cbd_form_factor form_factor;
	/* what identity could not read, said plainly (device.findings): they do
	 * not change the overall verdict, which is about the hardware */
	struct cbd_finding *findings;
	size_t n_findings;
};

void cbd_device_id_clear(struct cbd_device_id *d);

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
static inline void
cbd_doc_freep(struct cbd_doc **d)
{
	cbd_doc_free(*d);
}
#define _cleanup_doc_ _cleanup_(cbd_doc_freep)

/** The document as indented JSON text with a final newline (malloc'd). */
char *cbd_doc_to_string(const struct cbd_doc *doc);

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
 * @err: -ENOENT/-EACCES (cannot open), -EFBIG (over CBD_REPORT_MAX_BYTES),
 * -ENODATA (empty), -EINVAL (not JSON, with the line of the problem).
 * Does not validate: see cbd_doc_validate().
 */
int cbd_doc_load(const char *path, struct cbd_doc **ret, char *err, size_t errsize);
int cbd_doc_parse(const char *text, size_t len, struct cbd_doc **ret, char *err, size_t errsize);

/**
 * Check @doc against report/report.schema.json (embedded in the program).
 * Returns 0 when valid; -EPROTONOSUPPORT when the report's schema_version is
 * newer than this program; -EINVAL otherwise. @err names the first problem
 * with its JSON pointer ("/probes/battery/status: ...").
 */
int cbd_doc_validate(const struct cbd_doc *doc, char *err, size_t errsize);

/** The schema text this program enforces. */
const char *cbd_report_schema_text(void);

/**
 * Plain-text rendering for people: device line, one line per probe with
 * status word and summary, then each finding with its action. ANSI colour
 * only when @colour. @doc must be valid.
 */
void cbd_doc_render_text(const struct cbd_doc *doc, FILE *out, bool colour);

/* Print @s with control characters shown as '?', so text from a file cannot drive the terminal. */
void cbd_text_put_safe(FILE *out, const char *s);

/** Exit status for a report per SPEC: 0 all good, 1 a fail, 3 an error and no fail. */
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

/**
 * One self-contained HTML page for staff: device and ticket, a verdict
 * banner, a card per probe, then the details (battery bar against the
 * thresholds, keyboard map, panel identity, storage wear and read speed, USB
 * tree). Inline CSS, no scripts, readable when printed. Every value from the
 * report is escaped. @doc must be valid. @warn/@fail: the battery health
 * lines to draw (from the thresholds in force).
 */
void cbd_doc_render_html(const struct cbd_doc *doc, FILE *out, double health_warn,
			 double health_fail);

/** Write @s to @out with & < > " ' escaped for HTML text and attributes. */
void cbd_html_escape(FILE *out, const char *s);

/* ---- diff: what changed across a repair ------------------------------- */

enum cbd_diff_device {
	CBD_DIFF_SAME_DEVICE,      /* serials (or asset tags) match */
	CBD_DIFF_UNKNOWN_DEVICE,   /* neither report names the device */
	CBD_DIFF_DIFFERENT_DEVICE, /* they name two different devices */
};

/**
 * Compare two valid reports. Returns a JSON document (see docs/report-format.md,
 * "cbdiag diff") and sets *@ret_device. Pure.
 */
struct cbd_doc *cbd_diff(const struct cbd_doc *before, const struct cbd_doc *after,
			 enum cbd_diff_device *ret_device);

/** The diff document as text for people. */
void cbd_diff_render_text(const struct cbd_doc *diff, FILE *out, bool colour);

/* ---- fleet summary ------------------------------------------------------ */

struct cbd_fleet;

/** A new aggregation; @health_warn/@health_fail are the battery lines in force. */
struct cbd_fleet *cbd_fleet_new(double health_warn, double health_fail);
void cbd_fleet_free(struct cbd_fleet *f);

/** Read one file: a valid report is counted, anything else is recorded as
 * skipped with the reason. Never fails. */
void cbd_fleet_add_file(struct cbd_fleet *f, const char *path);
/** cbd_fleet_add_file() for many files, read by as many threads as there are
 * cores (at most 8). */
void cbd_fleet_add_files(struct cbd_fleet *f, const char *const *paths, size_t n);
/** Record a path that could not be read at all (a directory walk error). */
void cbd_fleet_add_skipped(struct cbd_fleet *f, const char *path, const char *reason);

/** The fleet view as a JSON document (docs/report-format.md, "cbdiag summary"). */
struct cbd_doc *cbd_fleet_result(struct cbd_fleet *f);
/** The fleet view as text; @max_rows bounds the long lists. */
void cbd_fleet_render_text(const struct cbd_doc *summary, FILE *out, int max_rows);
