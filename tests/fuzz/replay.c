/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Without libFuzzer: feed every file named on the command line to the fuzz
 * target, then N deterministic mutations of each (bit flips, byte changes,
 * truncations, duplicated spans, deep nesting). Any crash, sanitizer report
 * or hang fails the test. Usage: replay [-n MUTATIONS] FILE...
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cbd-util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t
next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static uint8_t *
slurp(const char *path, size_t *len)
{
	char *buf = NULL;

	return cbd_read_file(path, 64u << 20, &buf, len) == 0 ? (uint8_t *)buf : NULL;
}

static void
mutate_and_run(const uint8_t *seed, size_t len)
{
	static const char *const tokens[] = {"{", "}", "[", "]", "\"", ",", ":", "null",
					     "1e999", "-0", "\\u0000", "\\ud800", "\xc3",
					     "\"status\":\"fail\"", "\"schema_version\":2"};
	size_t cap = len * 2 + 64;
	uint8_t *buf = malloc(cap);
	size_t n = len;

	memcpy(buf, seed, len);
	for (int k = 1 + (int)(next() % 4); k > 0; k--) {
		size_t pos = n ? (size_t)(next() % n) : 0;

		switch (next() % 5) {
		case 0: /* flip a bit */
			if (n)
				buf[pos] ^= (uint8_t)(1u << (next() % 8));
			break;
		case 1: /* random byte */
			if (n)
				buf[pos] = (uint8_t)next();
			break;
		case 2: /* truncate */
			n = pos;
			break;
		case 3: { /* insert a token */
			const char *t = tokens[next() % (sizeof(tokens) / sizeof(tokens[0]))];
			size_t tl = strlen(t);

			if (n + tl <= cap) {
				memmove(buf + pos + tl, buf + pos, n - pos);
				memcpy(buf + pos, t, tl);
				n += tl;
			}
			break;
		}
		default: { /* duplicate a span */
			size_t span = n - pos < 64 ? n - pos : 64;

			if (n + span <= cap) {
				memmove(buf + pos + span, buf + pos, n - pos);
				n += span;
			}
			break;
		}
		}
	}
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
}

int
main(int argc, char **argv)
{
	long mutations = 2000;
	int first = 1, files = 0;

	if (argc > 2 && strcmp(argv[1], "-n") == 0) {
		mutations = atol(argv[2]);
		first = 3;
	}
	for (int i = first; i < argc; i++) {
		size_t len = 0;
		uint8_t *seed = slurp(argv[i], &len);

		if (!seed) {
			fprintf(stderr, "replay: cannot read %s\n", argv[i]);
			return 1;
		}
		LLVMFuzzerTestOneInput(seed, len);
		for (long m = 0; m < mutations; m++)
			mutate_and_run(seed, len);
		free(seed);
		files++;
	}
	{ /* deep nesting: 100000 '[' */
		size_t n = 100000;
		uint8_t *deep = malloc(n);

		memset(deep, '[', n);
		LLVMFuzzerTestOneInput(deep, n);
		memset(deep, '{', n);
		LLVMFuzzerTestOneInput(deep, n);
		free(deep);
	}
	printf("replay: %d seeds, %ld mutations each\n%d passed, 0 failed\n", files, mutations,
	       files);
	return 0;
}
