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

/* struct cbd_json is a cJSON node. */
#define TO_CJSON(j) ((cJSON *)(j))
#define TO_CBD(c) ((struct cbd_json *)(c))

struct cbd_doc {
	cJSON *root;
	/* when set, the whole tree lives in these blocks (each starts with a
	 * pointer to the next): cbd_doc_free() frees them, not the tree. Such a
	 * document is read-only: nothing may be deleted from it. */
	void *blocks;
};

/* Abort on allocation failure, else return @j. */
cJSON *cbd_json_check(cJSON *j);

/* A result as the report's probe object, and back (-EINVAL when malformed). */
cJSON *cbd_result_to_cjson(const struct cbd_result *r);
/* A bare array of findings (the device object's) as a JSON array. */
cJSON *cbd_findings_to_cjson(const struct cbd_finding *findings, size_t n);
int cbd_result_from_cjson(const cJSON *o, struct cbd_result **ret);

/* Reading a parsed report: the member @key of @o (NULL when absent), and the
 * string at @key (NULL when absent or not a string). */
static inline const cJSON *
cbd_json_member(const cJSON *o, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(o, key);
}

static inline const char *
cbd_json_member_str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

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
