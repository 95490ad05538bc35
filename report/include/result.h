/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The result of one probe: status, one-line summary, findings, and the
 * probe's data. A probe fills one of these; the runner times it and moves it
 * across the process boundary (cbd_result_serialize/deserialize); the report
 * collects them.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cbd-util.h"
#include "json.h"

/* The order is the order of the report's "counts" (docs/report-format.md). */
enum cbd_status {
	CBD_STATUS_PASS,  /* the part works */
	CBD_STATUS_WARN,  /* works but is worn or suspicious */
	CBD_STATUS_FAIL,  /* the hardware is bad */
	CBD_STATUS_SKIP,  /* does not apply here; reason in the summary */
	CBD_STATUS_ERROR, /* the probe could not do its job */
	CBD_STATUS_N,
};

enum cbd_severity {
	CBD_SEVERITY_INFO,
	CBD_SEVERITY_WARN,
	CBD_SEVERITY_FAIL,
	CBD_SEVERITY_N,
};

struct cbd_finding {
	char *code;    /* "battery.health_low" */
	enum cbd_severity severity;
	char *message; /* plain English for an intern */
	char *action;  /* next step, or NULL */
	bool escalate; /* the fix needs staff */
};

struct cbd_result {
	enum cbd_status status;
	bool status_set;  /* false until cbd_result_set() */
	char *summary;    /* never NULL once set */
	struct cbd_finding *findings;
	size_t n_findings;
	struct cbd_json *data; /* an object, never NULL */
	uint64_t duration_ms;  /* filled by the runner */
};

struct cbd_result *cbd_result_new(void);
void cbd_result_free(struct cbd_result *r);
CBD_DEFINE_TRIVIAL_CLEANUP_FUNC(struct cbd_result *, cbd_result_free)
#define _cleanup_result_ _cleanup_(cbd_result_freep)

/** Set the status and the one-line summary (printf-style). */
void cbd_result_set(struct cbd_result *r, enum cbd_status status, const char *fmt, ...)
	_printf_(3, 4);

/**
 * Add a finding. @code is a stable "probe.what" identifier, @action may be
 * NULL. The message is printf-style.
 */
void cbd_result_add_finding(struct cbd_result *r, const char *code, enum cbd_severity severity,
			    bool escalate, const char *action, const char *fmt, ...)
	_printf_(6, 7);

/** The same for a bare array of findings (the report's device object has
 * findings but no status of its own). */
void cbd_findings_add(struct cbd_finding **findings, size_t *n, const char *code,
		      enum cbd_severity severity, bool escalate, const char *action,
		      const char *fmt, ...) _printf_(7, 8);
void cbd_findings_free(struct cbd_finding *findings, size_t n);

/** pass, warn or fail: the worst severity among the findings (info = pass). */
enum cbd_status cbd_result_worst_finding(const struct cbd_result *r);

/**
 * A part every laptop has is not there (battery, screen, keyboard): on a
 * laptop a `fail` finding @code with @action, whose message is also the
 * summary; elsewhere (a Chromebox, a VM) `skip` with @skip_summary.
 */
void cbd_result_set_part_missing(struct cbd_result *r, bool laptop, const char *code,
				 const char *action, const char *message, const char *skip_summary);

/**
 * A headline never contradicts its verdict: when @r's status is warn or fail
 * and a finding of that severity exists, the summary must begin with the
 * message of one of them (the cause the intern reads next to FAIL), not a
 * sentence such as "holds 96 % of its design capacity". pass, skip and error
 * results, and a warn or fail without such a finding, always agree.
 */
bool cbd_result_headline_agrees(const struct cbd_result *r);

/**
 * Make the summary of a warn or fail result that does not agree (above) the
 * message of its worst finding, followed by "(and 1 more problem)" or "(and N
 * more problems)" when other warn or fail findings exist. The old summary is
 * dropped: its facts stay in the result's data and findings.
 */
void cbd_result_headline_from_findings(struct cbd_result *r);

/** The first finding with @code, or NULL. */
const struct cbd_finding *cbd_result_find_finding(const struct cbd_result *r, const char *code);
/** The first of the most severe findings (for a summary), NULL when there are none. */
const struct cbd_finding *cbd_result_most_severe(const struct cbd_result *r);

const char *cbd_status_to_string(enum cbd_status s);
int cbd_status_from_string(const char *s, enum cbd_status *ret);
const char *cbd_severity_to_string(enum cbd_severity s);
int cbd_severity_from_string(const char *s, enum cbd_severity *ret);

/** The result as one JSON text (malloc'd), as it appears in the report. */
char *cbd_result_serialize(const struct cbd_result *r);

/**
 * Parse what cbd_result_serialize() wrote. Returns 0, or -EINVAL when the
 * text is not a well-formed result (bad JSON, missing or wrongly typed field).
 */
int cbd_result_deserialize(const char *text, size_t len, struct cbd_result **ret);
