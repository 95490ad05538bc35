/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The bridge between the model's JSON (json.h, struct cbd_json) and cJSON,
 * and a probe's result as a cJSON tree: what json.c and result.c build on,
 * below the report (report.h) and its document (doc-json.h, which includes
 * this). Probes never include it (the hw-boundary lint enforces it).
 */
#pragma once

#include <cjson/cJSON.h>

#include "result.h"

/* struct cbd_json is a cJSON node. */
#define TO_CJSON(j) ((cJSON *)(j))
#define TO_CBD(c) ((struct cbd_json *)(c))

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
