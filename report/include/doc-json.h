/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The report as a cJSON tree, for the libraries built on the model
 * (report/review/, report/helpdesk/) and for tests that read what a probe
 * wrote. Probes never include this: they describe their data with json.h
 * (the hw-boundary lint enforces it).
 */
#pragma once

#include <cjson/cJSON.h>

#include "report.h"

#include "result-json.h"

struct cbd_doc {
	cJSON *root;
	/* when set, the whole tree lives in these blocks (each starts with a
	 * pointer to the next): cbd_doc_free() frees them, not the tree. Such a
	 * document is read-only: nothing may be deleted from it. */
	void *blocks;
};

/* The byte-level rules of a report file: not empty, no raw control
 * characters, valid UTF-8. 0 or -errno with *@ret_err. */
int cbd_report_text_check(const char *text, size_t len, char **ret_err);

/* Parse and compile the embedded schema (once; thread-safe). The parse uses
 * cJSON's allocator hooks in force: call it before installing others. */
void cbd_schema_load(void);

/* The number of problems found when compiling the embedded schema
 * (unsupported keywords, bad patterns, unresolvable $refs); the first in
 * *@ret_first (optional, malloc'd). */
int cbd_report_schema_problems(char **ret_first);
