/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The fleet summary's insides, shared by its files:
 *   fleet-atoms.c  the string pool: each distinct string once, named by a number
 *   fleet-read.c   reading many report files with a few threads
 *   fleet.c        one report reduced to an extract, and the extracts aggregated
 *                  into the summary document, section by section
 *   fleet-text.c   the summary document as text
 */
#pragma once

#include <pthread.h>

#include "doc-json.h"
#include "review.h"
#include "views/views.h"

/* ---- the string pool ------------------------------------------------------- */

/* Models, serials, paths, probe names and finding codes repeat across
 * thousands of reports: each is kept once and named by its number. */
struct cbd_atoms {
	char **strs;
	size_t n, cap;
	uint32_t *slots; /* open addressing: number + 1, 0 = empty */
	size_t nslots;
};

#define CBD_NO_ATOM UINT32_MAX

/* The number of @s, added when new. */
uint32_t cbd_atoms_add(struct cbd_atoms *t, const char *s);
void cbd_atoms_clear(struct cbd_atoms *t);

static inline const char *
cbd_atoms_str(const struct cbd_atoms *t, uint32_t id)
{
	return t->strs[id];
}

/* ---- one report, reduced ------------------------------------------------- */

struct fleet_status {
	uint32_t probe;
	uint8_t status; /* enum cbd_status */
};

struct fleet_code {
	uint32_t code;
	uint8_t severity; /* enum cbd_severity: the worst in the report */
};

struct fleet_entry {
	uint32_t key;   /* serial, else "asset:<tag>", else CBD_NO_ATOM */
	uint32_t model; /* "unknown" when null */
	uint32_t path;
	char started_at[32];
	uint8_t overall;
	struct fleet_status *st;
	size_t n_st;
	struct fleet_code *fc; /* each code once */
	size_t n_fc;
	double *measure; /* one per fleet measure (views), NAN when unknown */
};

struct fleet_skipped {
	char *path;
	char *reason;
};

struct cbd_fleet {
	struct cbd_view_ctx ctx;
	const struct cbd_view **measured; /* the views with a fleet measure */
	size_t n_measures;
	struct cbd_atoms atoms;
	struct fleet_entry *e;
	size_t n, cap;
	struct fleet_skipped *sk;
	size_t n_sk;
	/* de-duplicating codes in one report: per atom, the entry that last saw
	 * it (index + 1) and where in that entry's codes */
	struct {
		size_t entry;
		size_t pos;
	} *seen;
	size_t n_seen;
	pthread_mutex_t lock; /* taken by readers around fleet_add_report() and skips */
};

/* Reduce one valid report to its extract. Caller holds f->lock when threads read. */
void fleet_add_report(struct cbd_fleet *f, const cJSON *root, const char *path);
void fleet_add_skipped_locked(struct cbd_fleet *f, const char *path, const char *reason);
