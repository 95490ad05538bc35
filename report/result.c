/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "cbd-i18n.h"
#include "result.h"

#include <errno.h>
#include <stdarg.h>

static const char *const status_names[CBD_STATUS_N] = {
	[CBD_STATUS_PASS] = "pass", [CBD_STATUS_WARN] = "warn",   [CBD_STATUS_FAIL] = "fail",
	[CBD_STATUS_SKIP] = "skip", [CBD_STATUS_ERROR] = "error",
};

static const char *const severity_names[CBD_SEVERITY_N] = {
	[CBD_SEVERITY_INFO] = "info",
	[CBD_SEVERITY_WARN] = "warn",
	[CBD_SEVERITY_FAIL] = "fail",
};

const char *
cbd_status_to_string(enum cbd_status s)
{
	return s < CBD_STATUS_N ? status_names[s] : "error";
}

/* The index of @s in @names[0..n), or -EINVAL. */
static int
name_index(const char *const *names, int n, const char *s)
{
	for (int i = 0; i < n; i++)
		if (streq(s, names[i]))
			return i;
	return -EINVAL;
}

int
cbd_status_from_string(const char *s, enum cbd_status *ret)
{
	int i = name_index(status_names, CBD_STATUS_N, s);

	if (i < 0)
		return i;
	*ret = (enum cbd_status)i;
	return 0;
}

const char *
cbd_severity_to_string(enum cbd_severity s)
{
	return s < CBD_SEVERITY_N ? severity_names[s] : "fail";
}

int
cbd_severity_from_string(const char *s, enum cbd_severity *ret)
{
	int i = name_index(severity_names, CBD_SEVERITY_N, s);

	if (i < 0)
		return i;
	*ret = (enum cbd_severity)i;
	return 0;
}

struct cbd_result *
cbd_result_new(void)
{
	struct cbd_result *r = cbd_zalloc(sizeof(*r));

	r->data = cbd_json_new_object();
	r->status = CBD_STATUS_ERROR;
	return r;
}

void
cbd_result_free(struct cbd_result *r)
{
	if (!r)
		return;
	cbd_findings_free(r->findings, r->n_findings);
	free(r->summary);
	cbd_json_free(r->data);
	free(r);
}

/* The schema allows 1024 characters for a summary or a message: a longer text
 * is cut on a character boundary and ends in an ellipsis. */
#define TEXT_MAX 1024

static char *
bounded(char *s)
{
	size_t chars = 0, i;

	for (i = 0; s[i]; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80 && ++chars > TEXT_MAX - 1)
			break;
	if (s[i]) {
		s = cbd_realloc_array(s, i + 4, 1);
		memcpy(s + i, "\xe2\x80\xa6", 4); /* … */
	}
	return s;
}

void
cbd_result_set(struct cbd_result *r, enum cbd_status status, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		abort();
	va_end(ap);
	free(r->summary);
	r->summary = bounded(s);
	r->status = status;
	r->status_set = true;
}

void
cbd_findings_free(struct cbd_finding *findings, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(findings[i].code);
		free(findings[i].message);
		free(findings[i].action);
	}
	free(findings);
}

static void
push_finding(struct cbd_finding **findings, size_t *n, const char *code,
	     enum cbd_severity severity, bool escalate, const char *action, char *message)
{
	struct cbd_finding *f;

	*findings = cbd_realloc_array(*findings, *n + 1, sizeof(**findings));
	f = &(*findings)[(*n)++];
	f->code = cbd_strdup(code);
	f->severity = severity;
	f->escalate = escalate;
	f->action = cbd_strdup(action);
	f->message = message;
}

void
cbd_result_add_finding(struct cbd_result *r, const char *code, enum cbd_severity severity,
		       bool escalate, const char *action, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		abort();
	va_end(ap);
	push_finding(&r->findings, &r->n_findings, code, severity, escalate, action, bounded(msg));
}

void
cbd_findings_add(struct cbd_finding **findings, size_t *n, const char *code,
		 enum cbd_severity severity, bool escalate, const char *action, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		abort();
	va_end(ap);
	push_finding(findings, n, code, severity, escalate, action, bounded(msg));
}

void
cbd_result_set_part_missing(struct cbd_result *r, bool laptop, const char *code,
			    const char *action, const char *message, const char *skip_summary)
{
	if (laptop) {
		cbd_result_add_finding(r, code, CBD_SEVERITY_FAIL, false, action, "%s", message);
		cbd_result_set(r, CBD_STATUS_FAIL, "%s", message);
	} else {
		cbd_result_set(r, CBD_STATUS_SKIP, "%s", skip_summary);
	}
}


const struct cbd_finding *
cbd_result_find_finding(const struct cbd_result *r, const char *code)
{
	for (size_t i = 0; i < r->n_findings; i++)
		if (streq(r->findings[i].code, code))
			return &r->findings[i];
	return NULL;
}

const struct cbd_finding *
cbd_result_most_severe(const struct cbd_result *r)
{
	const struct cbd_finding *best = NULL;

	for (size_t i = 0; i < r->n_findings; i++)
		if (!best || r->findings[i].severity > best->severity)
			best = &r->findings[i];
	return best;
}

static enum cbd_severity
severity_of_status(enum cbd_status s)
{
	return s == CBD_STATUS_FAIL ? CBD_SEVERITY_FAIL : CBD_SEVERITY_WARN;
}

bool
cbd_result_headline_agrees(const struct cbd_result *r)
{
	bool any = false;

	if (r->status != CBD_STATUS_WARN && r->status != CBD_STATUS_FAIL)
		return true;
	for (size_t i = 0; i < r->n_findings; i++) {
		const struct cbd_finding *f = &r->findings[i];

		if (f->severity != severity_of_status(r->status) || strempty(f->message))
			continue;
		any = true;
		if (r->summary && strncmp(r->summary, f->message, strlen(f->message)) == 0)
			return true;
	}
	return !any;
}

void
cbd_result_headline_from_findings(struct cbd_result *r)
{
	const struct cbd_finding *worst = NULL;
	size_t problems = 0;

	if (cbd_result_headline_agrees(r))
		return;
	for (size_t i = 0; i < r->n_findings; i++) {
		const struct cbd_finding *f = &r->findings[i];

		if (f->severity == CBD_SEVERITY_INFO)
			continue;
		problems++;
		if (f->severity == severity_of_status(r->status) && !strempty(f->message) &&
		    (!worst || f->severity > worst->severity))
			worst = f;
	}
	if (!worst)
		return;
	if (problems == 2)
		cbd_result_set(r, r->status, N_("%s (and 1 more problem)"), worst->message);
	else if (problems > 2)
		cbd_result_set(r, r->status, N_("%s (and %zu more problems)"), worst->message,
			       problems - 1);
	else
		cbd_result_set(r, r->status, "%s", worst->message);
}

enum cbd_status
cbd_result_worst_finding(const struct cbd_result *r)
{
	const struct cbd_finding *f = cbd_result_most_severe(r);

	if (!f || f->severity == CBD_SEVERITY_INFO)
		return CBD_STATUS_PASS;
	return f->severity == CBD_SEVERITY_FAIL ? CBD_STATUS_FAIL : CBD_STATUS_WARN;
}
