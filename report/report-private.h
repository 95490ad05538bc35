/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <cjson/cJSON.h>

#include "report.h"

struct cbd_doc {
	cJSON *root;
};

cJSON *cbd_result_to_cjson(const struct cbd_result *r);
cJSON *cbd_findings_to_cjson(const struct cbd_finding *findings, size_t n);
int cbd_result_from_cjson(const cJSON *o, struct cbd_result **ret);

/* Validation of any JSON value against the embedded schema (report/validate.c);
 * @schema is ignored. */
int cbd_schema_validate(const cJSON *schema, const cJSON *value, char *err, size_t errsize);

/* The byte-level rules of a report file: not empty, no raw control
 * characters, valid UTF-8. 0 or -errno with a message. */
int cbd_report_text_check(const char *text, size_t len, char *err, size_t errsize);

/* Parse and compile the embedded schema (once; thread-safe). The parse uses
 * cJSON's allocator hooks in force: call it before installing others. */
void cbd_schema_load(void);

/* The number of schema errors found when compiling the embedded schema
 * (unsupported keywords, bad patterns, unresolvable $refs); the first in @err. */
int cbd_report_schema_problems(char *err, size_t errsize);
