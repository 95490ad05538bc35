/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the staff views know about each probe, one file per probe's view
 * (battery.c, keyboard.c, ...) and one list (views.c): the HTML section of its
 * data, the parts the diff pairs before and after a repair, and the figure the
 * fleet summary keeps per device. html.c, diff.c and the fleet ask this table
 * and never name a probe; a probe without a view still gets its card, findings
 * and status everywhere, only no details.
 *
 * Adding a probe's view: a file here defining `const struct cbd_view
 * cbd_view_<probe>`, its line in views.c, its name in meson.build.
 */
#pragma once

#include <math.h>
#include <stdio.h>

#include "cbd-i18n.h"
#include "doc-json.h"
#include "review.h"

/* The figures in force that a view draws or counts against. */
struct cbd_view_ctx {
	double health_warn, health_fail; /* battery health lines, percent */
};

/* Diff: parts of a probe's data paired across two reports. */
struct cbd_view_part {
	const char *array;       /* the array in data: "batteries" */
	const char *match;       /* the field that pairs before and after: "name" */
	const char *what;        /* the part in words: "battery", "disk" */
	const char *identity[5]; /* fields that change when the part is swapped (dotted paths) */
	const char *measures[9]; /* numbers to show before and after (dotted paths) */
};

/* Fleet: one number per device (from its latest report), summarised per model. */
struct cbd_view_measure {
	const char *key; /* the member of each model in the summary: "battery_health" */
	/* The number in one report's probe data; false when the report has none. */
	bool (*extract)(const cJSON *data, double *ret);
	/* The model's figures from @n values sorted ascending (n may be 0). */
	cJSON *(*summarise)(const double *v, size_t n, const struct cbd_view_ctx *ctx);
};

/* Profiles (profiles.c): what a machine has, in a word, so that a model's
 * usual inventory can be learned from its reports and a machine that lacks
 * a part its model has is told so. */
enum cbd_fact_kind {
	CBD_FACT_PRESENCE, /* "yes" or "no": fewer is "no" where the model says "yes" */
	CBD_FACT_COUNT,    /* a number: fewer than the model's is missing */
	CBD_FACT_VALUE,    /* a word: another one is a different part (info) */
};

struct cbd_view_fact {
	const char *key; /* "camera": a key of the profiles file */
	enum cbd_fact_kind kind;
	/* The fact in one report's probe data; false when the data cannot say. */
	bool (*extract)(const cJSON *data, char *out, size_t size);
	/* the finding when this machine does not have what its model has: a
	 * message, marked for translation, and its next step; a count's message
	 * has the model's number and this machine's (%s, %s), the others no
	 * value (an intern reads no resolution or disk type: the values go into
	 * the probe's data, data.profile); NULL when the probe already says it
	 * (the fact is then only in the profile) */
	const char *message, *action;
};

struct cbd_view {
	const char *probe; /* the probe's name, the key under "probes" */
	/* The details section's body for a probe whose data is a non-empty object. */
	void (*html)(FILE *out, const cJSON *data, const struct cbd_view_ctx *ctx);
	const struct cbd_view_part *diff;       /* or NULL */
	const struct cbd_view_measure *measure; /* or NULL */
	const struct cbd_view_fact *facts;      /* ended by a NULL key, or NULL */
};

/* Every view, NULL-terminated, in no particular order. */
extern const struct cbd_view *const cbd_views[];

/* The view of probe @name, or NULL. */
const struct cbd_view *cbd_view_find(const char *name);

/* ---- helpers the views share ---------------------------------------------- */

/* A dotted path ("edid.product_code") inside @o, or NULL. */
const cJSON *cbd_view_path(const cJSON *o, const char *dotted);

/* The number at @key of @o. */
static inline bool
cbd_view_num(const cJSON *o, const char *key, double *ret)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!cJSON_IsNumber(v))
		return false;
	*ret = v->valuedouble;
	return true;
}

/* "yes" or "no" into @out for a fact of presence */
static inline bool
cbd_view_yes_no(bool yes, char *out, size_t size)
{
	snprintf(out, size, "%s", yes ? "yes" : "no");
	return true;
}

/* How many members of the array at @key of @data pass @keep (all when NULL);
 * -1 when @data has no such array. */
int cbd_view_count(const cJSON *data, const char *key, bool (*keep)(const cJSON *item));

static inline double
cbd_view_round1(double x)
{
	return round(x * 10.0) / 10.0;
}

/* @part of @whole in percent with one decimal (0 when @whole is 0). */
static inline double
cbd_view_pct(size_t part, size_t whole)
{
	return whole ? cbd_view_round1(100.0 * (double)part / (double)whole) : 0;
}

/* The string at @key of @o, or @dflt when absent or not a string. */
static inline const char *
cbd_view_str(const cJSON *o, const char *key, const char *dflt)
{
	const char *s = cbd_json_member_str(o, key);

	return s ? s : dflt;
}

/* HTML pieces (html.c). Every string goes through cbd_html_escape(); class
 * names only through cbd_html_status_class(). */
void cbd_html_row(FILE *out, const char *label, const char *value);
void cbd_html_row_num(FILE *out, const char *label, const cJSON *o, const char *key,
		      const char *unit);
/* <tag class="cls">escaped text</tag>; @cls is a constant of the caller's. */
void cbd_html_el(FILE *out, const char *tag, const char *cls, const char *text);
/* A status word as a coloured badge; a word outside the statuses is shown, neutral. */
void cbd_html_badge(FILE *out, const char *status);
/* A row for an interactive step's outcome @t: its "result" as a badge, then the
 * string at @why_key ("reason", "ended"). */
void cbd_html_row_result(FILE *out, const char *label, const cJSON *t, const char *why_key);
