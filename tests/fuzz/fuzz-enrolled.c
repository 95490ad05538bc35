/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fuzz target: Google Admin's device export (report/review/enrolled.c), a CSV
 * file from a download folder that may have been through a spreadsheet.
 * Whatever is accepted holds only devices with a serial as the join matches
 * it (trimmed, upper case, UTF-8); whatever is refused says on which line. */
#include <ctype.h>
#include <stdint.h>
#include <string.h>

#include "cbd-util.h"
#include "review.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
valid(const char *s)
{
	if (s && !cbd_utf8_valid(s, strlen(s)))
		__builtin_trap();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cbd_enrolled *e = NULL;
	char *err = NULL;

	if (cbd_enrolled_parse((const char *)data, size, &e, &err) < 0) {
		if (e || !err || strncmp(err, "line ", 5) != 0)
			__builtin_trap();
		free(err);
		return 0;
	}
	if (!e || err)
		__builtin_trap();
	for (size_t i = 0; i < e->n; i++) {
		const char *s = e->v[i].serial;
		size_t n = strlen(s);

		if (!n || isspace((unsigned char)s[0]) || isspace((unsigned char)s[n - 1]))
			__builtin_trap();
		for (const char *c = s; *c; c++)
			if (islower((unsigned char)*c))
				__builtin_trap();
		valid(s);
		valid(e->v[i].org_unit);
		valid(e->v[i].asset_id);
		valid(e->v[i].model);
	}
	cbd_enrolled_free(e);
	return 0;
}
