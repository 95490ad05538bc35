/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Views for staff, built on valid report documents (report.h): the HTML
 * page of one report, the before/after diff of two, and the fleet summary
 * of many. Nothing here touches the machine or the help desk.
 */
#pragma once

#include <stdbool.h>
#include <stdio.h>

#include "report.h"

/**
 * One self-contained HTML page for staff: device and ticket, a verdict
 * banner, a card per probe, then the details (battery bar against the
 * thresholds, keyboard map, panel identity, storage wear and read speed, USB
 * tree: each probe's view, report/review/views/). Inline CSS, no scripts,
 * readable when printed. Every value from the report is escaped for where it
 * goes; words that become class names are checked against their enum. @doc must be valid. @warn/@fail: the battery health
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

/** Read many report files, by as many threads as there are cores (at most 8):
 * a valid report is counted, anything else is recorded as skipped with the
 * reason. Never fails. */
void cbd_fleet_add_files(struct cbd_fleet *f, const char *const *paths, size_t n);
/** The same, while the caller finds the files: cbd_fleet_reader_add() queues a
 * path (waiting while the short queue is full), reader threads take them,
 * cbd_fleet_reader_finish() reads what is left, waits for the threads and
 * frees the reader. Memory does not grow with the number of files. While a
 * reader is open nothing else may use cJSON (its allocator is swapped).
 * @progress, when not NULL, is called from the caller's thread at most every
 * 200 ms, and once at the end, with the files read and the files given. */
struct cbd_fleet_reader;
struct cbd_fleet_reader *cbd_fleet_reader_new(struct cbd_fleet *f,
					      void (*progress)(size_t done, size_t found,
							       void *userdata),
					      void *userdata);
void cbd_fleet_reader_add(struct cbd_fleet_reader *r, const char *path);
void cbd_fleet_reader_finish(struct cbd_fleet_reader *r);
/** Record a path that could not be read at all (a directory walk error). */
void cbd_fleet_add_skipped(struct cbd_fleet *f, const char *path, const char *reason);

/** The fleet view as a JSON document (docs/report-format.md, "cbdiag summary"). */
struct cbd_doc *cbd_fleet_result(struct cbd_fleet *f);
/** The fleet view as text; @max_rows bounds the long lists. */
void cbd_fleet_render_text(const struct cbd_doc *summary, FILE *out, int max_rows);
/** Also list every device's latest report in the document ("device_list"):
 * what the dashboard's tables, the CSV and NDJSON are made of. Call before
 * cbd_fleet_result(). */
void cbd_fleet_list_devices(struct cbd_fleet *f);
/** The fleet dashboard: one self-contained HTML page (inline CSS and SVG
 * charts, no script, no fetch; print-ready). Every string is escaped for its
 * place; a device links to its latest report only by a relative path,
 * percent-encoded. */
void cbd_fleet_render_html(const struct cbd_doc *summary, FILE *out);
/** One CSV row per device (RFC 4180, CRLF, UTF-8, every text cell quoted;
 * a cell starting with = + - @ tab or CR gets a leading '). Needs
 * "device_list". */
void cbd_fleet_render_csv(const struct cbd_doc *summary, FILE *out);
/** One CSV row per finding of each device's latest report (device, model,
 * time, probe, code, severity, report path); quoted as cbd_fleet_render_csv(). */
void cbd_fleet_render_csv_findings(const struct cbd_doc *summary, FILE *out);
/** Write @s as one CSV cell: quoted, quotes doubled, formula prefixes defused. */
void cbd_csv_cell(FILE *out, const char *s);
/** One JSON object per line per device (NDJSON). Needs "device_list". */
void cbd_fleet_render_ndjson(const struct cbd_doc *summary, FILE *out);

/* ---- the enrolled devices (Google Admin's export) ---------------------- */

struct cbd_enrolled_device {
	char *serial; /* trimmed, upper case (cbd_enrolled_serial_key) */
	char *org_unit, *asset_id, *model; /* NULL when the export has none */
};
struct cbd_enrolled {
	struct cbd_enrolled_device *v;
	size_t n;
	size_t deprovisioned;  /* rows whose status is DEPROVISIONED: left out */
	size_t without_serial; /* rows with an empty serial: left out */
	bool has_org_unit;
};
/** Parse a device export (CSV, RFC 4180; docs/report-format.md). 0, or
 * -EINVAL with *@ret_err saying the line and what is wrong. */
int cbd_enrolled_parse(const char *buf, size_t len, struct cbd_enrolled **ret, char **ret_err);
/** The same from a file (at most 64 MiB); *@ret_err names the file. */
int cbd_enrolled_load(const char *path, struct cbd_enrolled **ret, char **ret_err);
void cbd_enrolled_free(struct cbd_enrolled *e);
/** A serial as both sides are matched: spaces trimmed, ASCII upper case (malloc'd). */
char *cbd_enrolled_serial_key(const char *s);
/** Join the summary with the enrolled devices by serial: the document gets
 * "enrolled" (checked and never checked, per organisational unit, and the
 * devices never checked). @e must live
 * until cbd_fleet_result(). Call before it. */
void cbd_fleet_set_enrolled(struct cbd_fleet *f, const struct cbd_enrolled *e);
/** The enrolled devices never checked, one CSV row each (serial, org_unit,
 * asset_id, model), quoted as cbd_fleet_render_csv(). Needs "enrolled"
 * with its list. */
void cbd_fleet_render_csv_unchecked(const struct cbd_doc *summary, FILE *out);

/* ---- profiles: a model's usual inventory (docs/profiles.md) ------------------ */

struct cbd_view;
struct cbd_view_fact;
struct cJSON;
typedef void (*cbd_fact_fn)(const struct cbd_view *view, const struct cbd_view_fact *fact,
			    const char *value, void *userdata);

/** Each fact of a report's inventory ("camera" "yes", "panel" "1366x768") that
 * its probes' data can say; a probe that ended in error says none. */
void cbd_profile_facts(const struct cJSON *report_root, cbd_fact_fn fn, void *userdata);

/** The profiles the fleet's reports give: per model, each fact whose most
 * common value is that of at least @min_share of the reports that know it,
 * when at least @min_reports know it. */
struct cbd_doc *cbd_fleet_profiles(struct cbd_fleet *f, unsigned min_reports, double min_share,
				   size_t *ret_models);

/** Read a profiles file: 0, or -errno with *@ret_err naming the file and the
 * line (not JSON) or the key (another version, an unknown part, a bad value). */
int cbd_profiles_load(const char *path, struct cbd_doc **ret, char **ret_err);
/** The same for a profiles file's text in memory; @name stands for the path
 * in *@ret_err. */
int cbd_profiles_parse(const char *text, size_t len, const char *name, struct cbd_doc **ret,
		       char **ret_err);

/* a part this machine lacks (or has another of) against its model's profile */
struct cbd_profile_miss {
	const char *probe;  /* the probe the finding belongs to */
	char *code;         /* "camera.camera_missing_for_model" */
	enum cbd_severity severity;
	char *message;      /* English, made from a catalogue format */
	const char *action; /* English, a catalogue message */
	const char *part;   /* the fact's key ("panel") */
	char model_value[48], this_value[48]; /* for staff: the probe's data */
};

/** Compare a report with its model's profile. Returns 1 when the profiles know
 * the model (the misses in *@ret, maybe none), 0 when they do not. */
int cbd_profiles_check(const struct cbd_doc *profiles, const struct cbd_doc *report,
		       struct cbd_profile_miss **ret, size_t *n);
void cbd_profile_misses_free(struct cbd_profile_miss *m, size_t n);
