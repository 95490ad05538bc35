/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Inside report/ only: struct cbd_json is a cJSON node. */
#pragma once

#include <cjson/cJSON.h>

#define TO_CJSON(j) ((cJSON *)(j))
#define TO_CBD(c) ((struct cbd_json *)(c))

/* Abort on allocation failure, else return @j. */
cJSON *cbd_cjson_check(cJSON *j);

/* Reading a parsed report: the member @key of @o (NULL when absent), and the
 * string at @key (NULL when absent or not a string). */
static inline const cJSON *
cbd_cj_obj(const cJSON *o, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(o, key);
}

static inline const char *
cbd_cj_str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}
