/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fuzz target: the queue's entry.json parser, which reads files that sit on
 * disk between runs and may be damaged or edited by hand. */
#include <stdint.h>
#include <string.h>

#include "helpdesk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cbd_queue_entry e = {0};

	if (cbd_queue_entry_parse((const char *)data, size, &e)) {
		/* what is accepted is safe to use as a file name on a ticket */
		if (strchr(e.filename, '/') || strncmp(e.filename, "cbdiag-", 7) != 0)
			__builtin_trap();
	}
	cbd_queue_entry_clear(&e);
	return 0;
}
