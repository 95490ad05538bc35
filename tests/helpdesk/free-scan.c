/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * LD_PRELOAD shim for tests/helpdesk/test-token-memory.sh: looks into every
 * block handed to free() for the token in $FREE_SCAN_TOKEN and says so on
 * stderr. A block that begins with the token or with "Authorization:" is one
 * of cbdiag's own copies (the token read from its file, the header string,
 * a header list's entry) and must have been zeroed before it was freed:
 * "free-scan: LEFT". The token inside a longer block (libcurl's buffer of a
 * whole request) is libcurl's, outside cbdiag's reach: "free-scan: libcurl".
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void (*real_free)(void *);
static int resolving;

void free(void *p);

void
free(void *p)
{
	static const char *tok;
	static size_t tlen;
	static int init;

	if (!real_free) {
		if (resolving)
			return; /* dlsym freeing while it is looked up: leak that one block */
		resolving = 1;
		real_free = (void (*)(void *))dlsym(RTLD_NEXT, "free");
		resolving = 0;
	}
	if (p && !init) {
		init = 1;
		tok = getenv("FREE_SCAN_TOKEN");
		tlen = tok ? strlen(tok) : 0;
	}
	if (p && tlen) {
		size_t n = malloc_usable_size(p);
		const char *hit = memmem(p, n, tok, tlen);

		if (hit) {
			const char *kind = (hit == (const char *)p ||
					    strncmp((const char *)p, "Authorization:", 14) == 0)
						   ? "LEFT"
						   : "libcurl";
			char buf[160];
			int l = snprintf(buf, sizeof(buf),
					 "free-scan: %s: the token in a freed block of %zu bytes\n",
					 kind, n);

			if (l > 0)
				(void)!write(2, buf, (size_t)l);
		}
	}
	real_free(p);
}
