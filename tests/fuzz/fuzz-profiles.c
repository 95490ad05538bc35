/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fuzz target: a profiles file (report/review/profiles.c, docs/profiles.md)
 * and a report checked against it, as `cbdiag run --profiles` does. The input
 * is the profiles file and the report, split at the first NUL byte (no NUL:
 * the profiles file alone). A refused file says which file; an accepted one
 * holds only known parts with short values; every fact a report gives and
 * every miss the check finds is a short, valid UTF-8 word with a finding code
 * of its probe. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cbd-util.h"
#include "doc-json.h"
#include "report.h"
#include "review.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
word(const char *s, size_t max)
{
	size_t n;

	if (!s)
		__builtin_trap();
	n = strlen(s);
	if (n > max || !cbd_utf8_valid(s, n))
		__builtin_trap();
}

static void
fact(const struct cbd_view *view, const struct cbd_view_fact *f, const char *value, void *userdata)
{
	(void)view;
	(void)f;
	(void)userdata;
	word(value, 47);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t first = nul ? (size_t)(nul - data) : size;
	struct cbd_doc *profiles = NULL, *report = NULL;
	struct cbd_profile_miss *miss = NULL;
	size_t n = 0;
	char *err = NULL;

	if (cbd_profiles_parse((const char *)data, first, "p.json", &profiles, &err) < 0) {
		if (profiles || !err)
			__builtin_trap();
		free(err);
		return 0;
	}
	if (!profiles || err)
		__builtin_trap();
	if (nul && cbd_doc_parse((const char *)nul + 1, size - first - 1, &report, &err) == 0 &&
	    cbd_doc_validate(report, &err) == 0) {
		cbd_profile_facts(report->root, fact, NULL);
		if (cbd_profiles_check(profiles, report, &miss, &n) < 0)
			__builtin_trap();
		for (size_t i = 0; i < n; i++) {
			word(miss[i].code, 200);
			if (strncmp(miss[i].code, miss[i].probe, strlen(miss[i].probe)) != 0)
				__builtin_trap();
			word(miss[i].message, 4096);
			word(miss[i].model_value, 47);
			word(miss[i].this_value, 47);
		}
		cbd_profile_misses_free(miss, n);
	}
	free(err);
	cbd_doc_free(report);
	cbd_doc_free(profiles);
	return 0;
}
