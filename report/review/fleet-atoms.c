/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The fleet's string pool: a growable array of strings and an open-addressing
 * hash table (FNV-1a, linear probing, at most half full) over it. */
#include "fleet.h"

static uint64_t
hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static void
grow(struct cbd_atoms *t)
{
	size_t n = t->nslots ? t->nslots * 2 : 1024;
	uint32_t *slots = cbd_zalloc(n * sizeof(*slots));

	for (size_t i = 0; i < t->n; i++) {
		size_t j = hash(t->strs[i]) & (n - 1);

		while (slots[j])
			j = (j + 1) & (n - 1);
		slots[j] = (uint32_t)i + 1;
	}
	free(t->slots);
	t->slots = slots;
	t->nslots = n;
}

uint32_t
cbd_atoms_add(struct cbd_atoms *t, const char *s)
{
	size_t j;

	if (t->n * 2 >= t->nslots)
		grow(t);
	for (j = hash(s) & (t->nslots - 1); t->slots[j]; j = (j + 1) & (t->nslots - 1))
		if (strcmp(t->strs[t->slots[j] - 1], s) == 0)
			return t->slots[j] - 1;
	if (t->n >= UINT32_MAX - 1)
		abort(); /* 4 billion distinct strings: far past any memory */
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 256;
		t->strs = cbd_realloc_array(t->strs, t->cap, sizeof(*t->strs));
	}
	t->strs[t->n] = cbd_strdup(s);
	t->slots[j] = (uint32_t)t->n + 1;
	return (uint32_t)t->n++;
}

uint32_t
cbd_atoms_find(const struct cbd_atoms *t, const char *s)
{
	if (!t->nslots)
		return CBD_NO_ATOM;
	for (size_t j = hash(s) & (t->nslots - 1); t->slots[j]; j = (j + 1) & (t->nslots - 1))
		if (strcmp(t->strs[t->slots[j] - 1], s) == 0)
			return t->slots[j] - 1;
	return CBD_NO_ATOM;
}

void
cbd_atoms_clear(struct cbd_atoms *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->strs[i]);
	free(t->strs);
	free(t->slots);
	*t = (struct cbd_atoms){0};
}
