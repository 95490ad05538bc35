/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A probe's result as JSON (cJSON): the report's probe object, and the text
 * the runner moves from a probe's process to its own. Kept apart from
 * result.c, the model, so that only what needs cJSON sees it. */
#include "result-json.h"

#include <errno.h>
#include <stdlib.h>

cJSON *
cbd_json_check(cJSON *j)
{
	if (!j)
		cbd_oom();
	return j;
}

cJSON *
cbd_findings_to_cjson(const struct cbd_finding *findings, size_t n)
{
	cJSON *a = cbd_json_check(cJSON_CreateArray());

	for (size_t i = 0; i < n; i++) {
		const struct cbd_finding *f = &findings[i];
		cJSON *fo = cbd_json_check(cJSON_CreateObject());

		cbd_json_check(cJSON_AddStringToObject(fo, "code", f->code));
		cbd_json_check(
			cJSON_AddStringToObject(fo, "severity", cbd_severity_to_string(f->severity)));
		cbd_json_check(cJSON_AddStringToObject(fo, "message", f->message));
		if (f->action)
			cbd_json_check(cJSON_AddStringToObject(fo, "action", f->action));
		else
			cbd_json_check(cJSON_AddNullToObject(fo, "action"));
		cbd_json_check(cJSON_AddBoolToObject(fo, "escalate", f->escalate));
		cJSON_AddItemToArray(a, fo);
	}
	return a;
}

cJSON *
cbd_result_to_cjson(const struct cbd_result *r)
{
	cJSON *o = cbd_json_check(cJSON_CreateObject());
	cJSON *findings;

	cbd_json_check(cJSON_AddStringToObject(o, "status", cbd_status_to_string(r->status)));
	cbd_json_check(cJSON_AddNumberToObject(o, "duration_ms", (double)r->duration_ms));
	cbd_json_check(cJSON_AddStringToObject(
		o, "summary", strempty(r->summary) ? "(no summary)" : r->summary));
	findings = cbd_findings_to_cjson(r->findings, r->n_findings);
	cJSON_AddItemToObject(o, "findings", findings);
	cJSON_AddItemToObject(o, "data",
			      cbd_json_check(cJSON_Duplicate(TO_CJSON(r->data), true)));
	return o;
}

char *
cbd_result_serialize(const struct cbd_result *r)
{
	cJSON *o = cbd_result_to_cjson(r);
	char *s = cJSON_PrintUnformatted(o);

	cJSON_Delete(o);
	if (!s)
		abort();
	return s;
}

static const char *
get_str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

int
cbd_result_from_cjson(const cJSON *o, struct cbd_result **ret)
{
	_cleanup_result_ struct cbd_result *r = NULL;
	const cJSON *findings, *data, *dur, *f;
	enum cbd_status status;

	if (!cJSON_IsObject(o) || cbd_status_from_string(get_str(o, "status"), &status) < 0 ||
	    !get_str(o, "summary"))
		return -EINVAL;
	findings = cJSON_GetObjectItemCaseSensitive(o, "findings");
	data = cJSON_GetObjectItemCaseSensitive(o, "data");
	dur = cJSON_GetObjectItemCaseSensitive(o, "duration_ms");
	if (!cJSON_IsArray(findings) || !cJSON_IsObject(data) || !cJSON_IsNumber(dur))
		return -EINVAL;

	r = cbd_result_new();
	cbd_result_set(r, status, "%s", get_str(o, "summary"));
	r->duration_ms = dur->valuedouble > 0 ? (uint64_t)dur->valuedouble : 0;
	cJSON_ArrayForEach(f, findings)
	{
		const cJSON *esc = cJSON_GetObjectItemCaseSensitive(f, "escalate");
		enum cbd_severity sev;

		if (!get_str(f, "code") || !get_str(f, "message") ||
		    cbd_severity_from_string(get_str(f, "severity"), &sev) < 0)
			return -EINVAL;
		cbd_result_add_finding(r, get_str(f, "code"), sev, cJSON_IsTrue(esc),
				       get_str(f, "action"), "%s", get_str(f, "message"));
	}
	cbd_json_free(r->data);
	r->data = TO_CBD(cbd_json_check(cJSON_Duplicate(data, true)));
	*ret = steal_ptr(&r);
	return 0;
}

int
cbd_result_deserialize(const char *text, size_t len, struct cbd_result **ret)
{
	cJSON *o = cJSON_ParseWithLength(text, len);
	int r;

	if (!o)
		return -EINVAL;
	r = cbd_result_from_cjson(o, ret);
	cJSON_Delete(o);
	return r;
}
