/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "json.h"
#include "doc-json.h"

#include "cbd-util.h"

cJSON *
cbd_json_check(cJSON *j)
{
	if (!j)
		cbd_oom();
	return j;
}

struct cbd_json *
cbd_json_new_object(void)
{
	return TO_CBD(cbd_json_check(cJSON_CreateObject()));
}

void
cbd_json_free(struct cbd_json *j)
{
	cJSON_Delete(TO_CJSON(j));
}

static void
attach(struct cbd_json *parent, const char *key, cJSON *item)
{
	cJSON *p = TO_CJSON(parent);
	cJSON_bool ok;

	cbd_json_check(item);
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
	cJSON *o = cbd_json_check(cJSON_CreateObject());

	attach(parent, key, o);
	return TO_CBD(o);
}

struct cbd_json *
cbd_json_add_array(struct cbd_json *parent, const char *key)
{
	cJSON *a = cbd_json_check(cJSON_CreateArray());

	attach(parent, key, a);
	return TO_CBD(a);
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
	return TO_CBD(cJSON_GetObjectItemCaseSensitive(TO_CJSON(o), key));
}

const struct cbd_json *
cbd_json_at(const struct cbd_json *a, int i)
{
	return cJSON_IsArray(TO_CJSON(a)) ? TO_CBD(cJSON_GetArrayItem(TO_CJSON(a), i)) : NULL;
}

int
cbd_json_size(const struct cbd_json *a)
{
	return cJSON_IsArray(TO_CJSON(a)) || cJSON_IsObject(TO_CJSON(a))
		       ? cJSON_GetArraySize(TO_CJSON(a))
		       : 0;
}

const char *
cbd_json_get_str(const struct cbd_json *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(TO_CJSON(o), key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

const char *
cbd_json_str(const struct cbd_json *v)
{
	return cJSON_IsString(TO_CJSON(v)) ? TO_CJSON(v)->valuestring : NULL;
}

bool
cbd_json_get_number(const struct cbd_json *o, const char *key, double *ret)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(TO_CJSON(o), key);

	if (!cJSON_IsNumber(v))
		return false;
	*ret = v->valuedouble;
	return true;
}

bool
cbd_json_get_bool(const struct cbd_json *o, const char *key, bool *ret)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(TO_CJSON(o), key);

	if (!cJSON_IsBool(v))
		return false;
	*ret = cJSON_IsTrue(v);
	return true;
}

bool
cbd_json_is_null(const struct cbd_json *o, const char *key)
{
	return cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(TO_CJSON(o), key));
}

int
cbd_json_get_array_size(const struct cbd_json *o, const char *key)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(TO_CJSON(o), key);

	return cJSON_IsArray(a) ? cJSON_GetArraySize(a) : 0;
}
