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
/* The number of @s, or CBD_NO_ATOM. */
uint32_t cbd_atoms_find(const struct cbd_atoms *t, const char *s);
void cbd_atoms_clear(struct cbd_atoms *t);

static inline const char *
cbd_atoms_str(const struct cbd_atoms *t, uint32_t id)
{
	return t->strs[id];
}

/* ---- one report, read ------------------------------------------------------ */

/* What the summary takes from one report, read from its parsed tree without
 * the fleet's lock (the strings point into the tree). A reader keeps one and
 * reuses its arrays. */
struct fleet_extract {
	const char *key_serial, *key_asset, *model, *started_at, *overall;
	struct {
		const char *probe;
		uint8_t status; /* enum cbd_status */
	} *st;
	size_t n_st, cap_st;
	struct {
		const char *probe, *code;
		uint8_t severity; /* enum cbd_severity */
	} *fd;
	size_t n_fd, cap_fd;
	double *measure; /* one per fleet measure (views), NAN when unknown */
	/* the inventory's facts (views' facts): "camera" and "yes" */
	struct {
		const char *key;
		char value[48];
	} *facts;
	size_t n_facts, cap_facts;
};

void fleet_extract(const struct cbd_fleet *f, const cJSON *root, struct fleet_extract *x);
void fleet_extract_clear(struct fleet_extract *x);

/* ---- what is kept: per device, and counts ------------------------------------ */

/* A probe that failed in some report of a device: enough for "repeat visitors". */
struct fleet_fail {
	uint32_t probe;
	uint32_t model;   /* of the first report it failed in */
	uint32_t reports; /* how many of the device's reports it failed in */
	uint32_t pos;     /* its place among the first failing report's statuses */
	size_t counted;   /* the report (number + 1) that last counted it */
	char first[32], last[32];
	char *first_path; /* orders reports with the same started_at */
};

/* A device (by key): its latest report (by started_at, then path) is its
 * current state; its failures are its history. Nothing else of its reports
 * is kept: memory grows with devices, not reports. */
struct fleet_device {
	bool seen;
	char started_at[32];
	char *path;
	uint32_t model;
	uint8_t overall;
	uint32_t *failed; /* probes failing in the latest report, in its order */
	size_t n_failed;
	double *measure;
	struct fleet_fail *fails;
	size_t n_fails;
	uint32_t reports; /* how many reports name the device */
	/* the latest report's findings, kept only when the document lists devices */
	struct fleet_finding {
		uint32_t probe, code;
		uint8_t severity;
	} *findings;
	size_t n_findings;
};

/* History per calendar month of started_at ("YYYY-MM", else "unknown"):
 * a few hundred at most, whatever the number of reports. */
struct fleet_month {
	char month[8];
	uint32_t reports, failed;
};

struct fleet_skipped {
	char *path;
	char *reason;
};

/* How often a string (a finding code) was counted; indexed by atom. */
struct counted {
	uint32_t id;
	uint32_t count, fail, warn, info;
};

/* How many reports of a model (@model) counted something (@what, an atom):
 * a finding code of fail severity, a fact of its inventory. */
struct model_count {
	uint32_t model, what, count;
};

struct model_counts {
	struct model_count *v;
	uint32_t *slots; /* index + 1, 0 = empty */
	size_t n, cap, n_slots;
};

struct cbd_fleet {
	struct cbd_view_ctx ctx;
	const struct cbd_view **measured; /* the views with a fleet measure */
	size_t n_measures;
	struct cbd_atoms keys;  /* device keys: serial, else "asset:<tag>"; number = device */
	struct cbd_atoms names; /* models, probes, finding codes */
	size_t n;               /* valid reports */
	size_t anonymous;       /* of which without device identity */
	struct fleet_device *dev; /* indexed by key atom */
	size_t cap_dev;
	/* history counts, indexed by name atom (grown with names) */
	uint32_t (*pst)[CBD_STATUS_N]; /* per probe, per status */
	uint32_t *probe_order;         /* probes in the order first seen */
	size_t n_probe_order;
	struct counted *codes;
	struct {
		size_t report; /* the report (number + 1) that last saw the code */
		size_t pos;    /* where in its codes */
	} *seen;
	uint32_t (*mr)[2]; /* per model: reports, of which overall fail (history) */
	size_t cap_names;
	struct fleet_month *months; /* in the order first seen */
	size_t n_months;
	bool list_devices; /* the document lists every device (html, csv, ndjson) */
	const struct cbd_enrolled *enrolled; /* joined by serial, when given */
	/* the summary's "enrolled" section, set with it (fleet-enrolled.c) */
	cJSON *(*enrolled_section)(struct cbd_fleet *f);
	/* (model, code) -> fail count: open addressing, at most half full */
	struct model_counts mc;    /* fail-severity reports of a finding code */
	struct model_counts facts; /* reports with a fact known ("camera") and with
				    * each value ("camera=yes"): the profiles */
	/* one report's codes, each once with its worst severity (scratch) */
	struct {
		uint32_t code;
		uint8_t severity;
	} *rc;
	size_t cap_rc;
	struct fleet_skipped *sk;
	size_t n_sk;
	pthread_mutex_t lock; /* taken by readers around fleet_add_extract() and skips */
};

/* Count one report's extract. Caller holds f->lock when threads read. */
void fleet_add_extract(struct cbd_fleet *f, const struct fleet_extract *x, const char *path);
void fleet_add_skipped_locked(struct cbd_fleet *f, const char *path, const char *reason);
