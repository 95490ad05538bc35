/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fuzz target: `cbdiag diff` over two reports. The input is the report
 * before and the report after, split at the first NUL byte (no NUL: the
 * report against itself); both must parse and validate, as in cmd-diff.c. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "review.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct cbd_doc *
load(const uint8_t *data, size_t size)
{
	struct cbd_doc *doc = NULL;
	char *err = NULL;

	if (cbd_doc_parse((const char *)data, size, &doc, &err) != 0 ||
	    cbd_doc_validate(doc, &err) != 0) {
		free(err);
		cbd_doc_free(doc);
		return NULL;
	}
	return doc;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *sink;
	const uint8_t *nul = memchr(data, 0, size);
	size_t first = nul ? (size_t)(nul - data) : size;
	struct cbd_doc *before, *after = NULL, *diff;
	enum cbd_diff_device dev;

	if (!sink && !(sink = fopen("/dev/null", "w")))
		abort();
	before = load(data, first);
	if (before)
		after = nul ? load(nul + 1, size - first - 1) : before;
	if (before && after) {
		diff = cbd_diff(before, after, &dev);
		if (!diff)
			abort();
		cbd_diff_render_text(diff, sink, true);
		free(cbd_doc_to_string(diff));
		cbd_doc_free(diff);
	}
	if (after != before)
		cbd_doc_free(after);
	cbd_doc_free(before);
	return 0;
}
