/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "json.h"

#include <cjson/cJSON.h>

#include "cbd-util.h"

/* struct cbd_json is a cJSON node: the builder's own casts (the rest of
 * report/ has result-json.h's; this file stands below it) */
#define NODE(j) ((cJSON *)(j))
#define BUILT(c) ((struct cbd_json *)(c))

static cJSON *
must(cJSON *j)
{
	if (!j)
		cbd_oom();
	return j;
}

struct cbd_json *
cbd_json_new_object(void)
{
	return BUILT(must(cJSON_CreateObject()));
}

void
cbd_json_free(struct cbd_json *j)
{
	cJSON_Delete(NODE(j));
}

static void
attach(struct cbd_json *parent, const char *key, cJSON *item)
{
	cJSON *p = NODE(parent);
	cJSON_bool ok;

	must(item);
	if (cJSON_IsArray(p))
		ok = cJSON_AddItemToArray(p, item);
	else
		ok = cJSON_AddItemToObject(p, key ? key : "", item);
	if (!ok)
		cbd_oom();
}

struct cbd_json *
cbd_json_add_object(struct cbd_json *parent, const char *key)
{
	cJSON *o = must(cJSON_CreateObject());

	attach(parent, key, o);
	return BUILT(o);
}

struct cbd_json *
cbd_json_add_array(struct cbd_json *parent, const char *key)
{
	cJSON *a = must(cJSON_CreateArray());

	attach(parent, key, a);
	return BUILT(a);
}

void
cbd_json_add_str(struct cbd_json *parent, const char *key, const char *s)
{
	/* Hardware strings are not always text: keep the report valid UTF-8. */
	char *clean = cbd_text_sanitize(s);

	attach(parent, key, clean ? cJSON_CreateString(clean) : cJSON_CreateNull());
	free(clean);
}

void
cbd_json_add_int(struct cbd_json *parent, const char *key, long long v)
{
	attach(parent, key, cJSON_CreateNumber((double)v));
}

void
cbd_json_add_double(struct cbd_json *parent, const char *key, double v)
{
	attach(parent, key, cJSON_CreateNumber(v));
}

void
cbd_json_add_bool(struct cbd_json *parent, const char *key, bool v)
{
	attach(parent, key, cJSON_CreateBool(v));
}

void
cbd_json_add_null(struct cbd_json *parent, const char *key)
{
	attach(parent, key, cJSON_CreateNull());
}

/* ---- reading back ---- */

const struct cbd_json *
cbd_json_get(const struct cbd_json *o, const char *key)
{
	return BUILT(cJSON_GetObjectItemCaseSensitive(NODE(o), key));
}

const struct cbd_json *
cbd_json_at(const struct cbd_json *a, int i)
{
	return cJSON_IsArray(NODE(a)) ? BUILT(cJSON_GetArrayItem(NODE(a), i)) : NULL;
}

int
cbd_json_size(const struct cbd_json *a)
{
	return cJSON_IsArray(NODE(a)) || cJSON_IsObject(NODE(a))
		       ? cJSON_GetArraySize(NODE(a))
		       : 0;
}

const char *
cbd_json_get_str(const struct cbd_json *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(NODE(o), key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

const char *
cbd_json_str(const struct cbd_json *v)
{
	return cJSON_IsString(NODE(v)) ? NODE(v)->valuestring : NULL;
}

bool
cbd_json_get_number(const struct cbd_json *o, const char *key, double *ret)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(NODE(o), key);

	if (!cJSON_IsNumber(v))
		return false;
	*ret = v->valuedouble;
	return true;
}

bool
cbd_json_get_bool(const struct cbd_json *o, const char *key, bool *ret)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(NODE(o), key);

	if (!cJSON_IsBool(v))
		return false;
	*ret = cJSON_IsTrue(v);
	return true;
}

bool
cbd_json_is_null(const struct cbd_json *o, const char *key)
{
	return cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(NODE(o), key));
}

int
cbd_json_get_array_size(const struct cbd_json *o, const char *key)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(NODE(o), key);

	return cJSON_IsArray(a) ? cJSON_GetArraySize(a) : 0;
}
