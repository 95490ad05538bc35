/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A model's usual inventory (docs/profiles.md): the profiles the fleet
 * learns from its reports' facts (the views' facts, read by
 * cbd_profile_facts in views/views.c: "camera" is "yes", "panel" is
 * "1366x768"; the value nearly every report of a model has), a profiles file
 * read, and a run's report checked against its model's profile: a part the
 * model has and this machine lacks is a finding of the part's probe.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>

#include "fleet.h"

#define PROFILES_VERSION 1

static bool
fact_known(const char *key)
{
	for (size_t i = 0; cbd_views[i]; i++)
		for (const struct cbd_view_fact *f = cbd_views[i]->facts; f && f->key; f++)
			if (streq(f->key, key))
				return true;
	return false;
}

/* ---- learned from the fleet ---------------------------------------------- */

static int
cmp_model_count(const void *a, const void *b)
{
	const struct model_count *x = a, *y = b;

	if (x->model != y->model)
		return x->model < y->model ? -1 : 1;
	return x->what < y->what ? -1 : x->what > y->what;
}

struct cbd_doc *
cbd_fleet_profiles(struct cbd_fleet *f, unsigned min_reports, double min_share, size_t *ret_models)
{
	struct cbd_doc *doc = cbd_zalloc(sizeof(*doc));
	cJSON *root = cbd_json_check(cJSON_CreateObject()), *models;
	struct model_count *v = cbd_realloc_array(NULL, f->facts.n + 1, sizeof(*v));
	size_t n = f->facts.n;

	doc->root = root;
	cJSON_AddNumberToObject(root, "cbdiag_profiles", PROFILES_VERSION);
	cJSON_AddNumberToObject(root, "reports", (double)f->n);
	cbd_json_check(cJSON_AddObjectToObject(root, "rules"));
	cJSON_AddNumberToObject(cJSON_GetObjectItem(root, "rules"), "min_reports", min_reports);
	cJSON_AddNumberToObject(cJSON_GetObjectItem(root, "rules"), "min_share", min_share);
	models = cbd_json_check(cJSON_AddObjectToObject(root, "models"));
	memcpy(v, f->facts.v, n * sizeof(*v));
	qsort(v, n, sizeof(*v), cmp_model_count);
	for (size_t i = 0; i < n;) {
		uint32_t model = v[i].model;
		const char *mname = cbd_atoms_str(&f->names, model);
		cJSON *expect = NULL;
		size_t end = i;

		while (end < n && v[end].model == model)
			end++;
		/* each fact (an atom without '='): its best value among the values
		 * ("fact=value") of this model */
		for (size_t k = i; k < end; k++) {
			const char *key = cbd_atoms_str(&f->names, v[k].what);
			const struct model_count *best = NULL;
			size_t klen = strlen(key);
			cJSON *e;

			if (strchr(key, '=') || v[k].count < min_reports)
				continue;
			for (size_t m = i; m < end; m++) {
				const char *kv = cbd_atoms_str(&f->names, v[m].what);

				if (strncmp(kv, key, klen) == 0 && kv[klen] == '=' &&
				    (!best || v[m].count > best->count))
					best = &v[m];
			}
			if (!best || (double)best->count < min_share * v[k].count)
				continue;
			if (!expect) {
				cJSON *mo = cbd_json_check(cJSON_AddObjectToObject(models, mname));

				cJSON_AddNumberToObject(mo, "reports", f->mr[model][0]);
				expect = cbd_json_check(cJSON_AddObjectToObject(mo, "expect"));
			}
			e = cbd_json_check(cJSON_AddObjectToObject(expect, key));
			cbd_json_check(cJSON_AddStringToObject(
			    e, "value", cbd_atoms_str(&f->names, best->what) + klen + 1));
			cJSON_AddNumberToObject(e, "share",
						round(1000.0 * best->count / v[k].count) / 1000.0);
			cJSON_AddNumberToObject(e, "reports", v[k].count);
		}
		i = end;
	}
	free(v);
	*ret_models = (size_t)cJSON_GetArraySize(models);
	return doc;
}

/* ---- a profiles file, read --------------------------------------------- */

/* *@ret_err = "PATH: WHAT" (@what is taken) */
static int
refuse(char **ret_err, const char *path, char *what)
{
	*ret_err = cbd_strdupf("%s: %s", path, what);
	free(what);
	return -EINVAL;
}

/* the parsed file's keys checked: 0 and *@ret takes @doc, or -EINVAL */
static int
profiles_accept(struct cbd_doc *doc_in, const char *path, struct cbd_doc **ret, char **ret_err)
{
	_cleanup_doc_ struct cbd_doc *doc = doc_in;
	const cJSON *root, *models, *m, *version;

	root = doc->root;
	version = cbd_json_member(root, "cbdiag_profiles");
	if (!cJSON_IsObject(root) || !cJSON_IsNumber(version))
		return refuse(ret_err, path,
			      cbd_strdup("not a cbdiag profiles file (no key 'cbdiag_profiles')"));
	if (version->valuedouble != PROFILES_VERSION)
		return refuse(ret_err, path,
			      cbd_strdupf("key 'cbdiag_profiles': version %g is not one this cbdiag "
					  "reads (%d)",
					  version->valuedouble, PROFILES_VERSION));
	models = cbd_json_member(root, "models");
	if (!cJSON_IsObject(models))
		return refuse(ret_err, path, cbd_strdup("key 'models': not an object"));
	cJSON_ArrayForEach(m, models)
	{
		const cJSON *expect = cbd_json_member(m, "expect"), *e;

		if (!cJSON_IsObject(m) || !cJSON_IsObject(expect))
			return refuse(ret_err, path,
				      cbd_strdupf("model '%s': no 'expect' object", m->string));
		cJSON_ArrayForEach(e, expect)
		{
			const char *value = cbd_json_member_str(e, "value");

			if (!fact_known(e->string))
				return refuse(ret_err, path,
					      cbd_strdupf("model '%s': unknown part '%s'", m->string,
							  e->string));
			if (!value || !*value || strlen(value) >= 48)
				return refuse(ret_err, path,
					      cbd_strdupf("model '%s', part '%s': 'value' must be a word "
							  "of 1 to 47 characters",
							  m->string, e->string));
		}
	}
	*ret = steal_ptr(&doc);
	return 0;
}

int
cbd_profiles_load(const char *path, struct cbd_doc **ret, char **ret_err)
{
	struct cbd_doc *doc = NULL;
	int r;

	*ret = NULL;
	r = cbd_doc_load(path, &doc, ret_err);
	if (r < 0)
		return r;
	return profiles_accept(doc, path, ret, ret_err);
}

int
cbd_profiles_parse(const char *text, size_t len, const char *name, struct cbd_doc **ret,
		   char **ret_err)
{
	struct cbd_doc *doc = NULL;
	int r;

	*ret = NULL;
	r = cbd_doc_parse(text, len, &doc, ret_err);
	if (r < 0)
		return r;
	return profiles_accept(doc, name, ret, ret_err);
}

/* ---- a run's report against its model ------------------------------------ */

struct check {
	const cJSON *expect; /* the model's */
	struct cbd_profile_miss *miss;
	size_t n;
};

static void
check_fact(const struct cbd_view *v, const struct cbd_view_fact *f, const char *value, void *userdata)
{
	struct check *c = userdata;
	const char *want = cbd_json_member_str(cbd_json_member(c->expect, f->key), "value");
	long long w, h;
	bool missing;
	char *args[2];
	struct cbd_profile_miss *m;

	if (!want || !f->message || streq(want, value))
		return;
	switch (f->kind) {
	case CBD_FACT_PRESENCE:
		missing = streq(want, "yes") && streq(value, "no");
		break;
	case CBD_FACT_COUNT:
		missing = cbd_parse_ll(want, 10, &w) == 0 && cbd_parse_ll(value, 10, &h) == 0 && h < w;
		break;
	default:
		missing = true;
		break;
	}
	if (!missing)
		return;
	c->miss = cbd_realloc_array(c->miss, c->n + 1, sizeof(*c->miss));
	m = &c->miss[c->n++];
	m->probe = v->probe;
	m->code = cbd_strdupf("%s.%s_%s", v->probe, f->key,
			      f->kind == CBD_FACT_VALUE ? "differs_from_model" : "missing_for_model");
	m->severity = f->kind == CBD_FACT_VALUE ? CBD_SEVERITY_INFO : CBD_SEVERITY_FAIL;
	m->action = f->action;
	m->part = f->key;
	snprintf(m->model_value, sizeof(m->model_value), "%s", want);
	snprintf(m->this_value, sizeof(m->this_value), "%s", value);
	/* the English sentence, made from the catalogue's format (so that
	 * cbd_tr() finds it again in the intern's language) */
	args[0] = (char *)want;
	args[1] = (char *)value;
	m->message = cbd_i18n_rebuild(f->message, args, 2);
	if (!m->message)
		m->message = cbd_strdup(f->message);
}

int
cbd_profiles_check(const struct cbd_doc *profiles, const struct cbd_doc *doc,
		   struct cbd_profile_miss **ret, size_t *n)
{
	const cJSON *report = doc->root;
	const char *model = cbd_json_member_str(cbd_json_member(report, "device"), "model");
	struct check c = {0};

	*ret = NULL;
	*n = 0;
	c.expect = cbd_json_member(cbd_json_member(cbd_json_member(profiles->root, "models"), model ? model : ""),
				   "expect");
	if (!model || !cJSON_IsObject(c.expect))
		return 0; /* a model the profiles do not know */
	cbd_profile_facts(report, check_fact, &c);
	*ret = c.miss;
	*n = c.n;
	return 1;
}

void
cbd_profile_misses_free(struct cbd_profile_miss *m, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(m[i].code);
		free(m[i].message);
	}
	free(m);
}
