/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The list of probe views: one line per view, defined in <probe>.c here. */
#include "views.h"

#define VIEWS(V)                                                                                   \
	V(battery)                                                                                 \
	V(keyboard)                                                                                \
	V(kbd_backlight)                                                                           \
	V(display)                                                                                 \
	V(storage)                                                                                 \
	V(usb)                                                                                     \
	V(wireless)                                                                                \
	V(lid)                                                                                     \
	V(camera)                                                                                  \
	V(touch)                                                                                   \
	V(audio)

#define DECLARE(name) extern const struct cbd_view cbd_view_##name;
#define ENTRY(name) &cbd_view_##name,

VIEWS(DECLARE)

const struct cbd_view *const cbd_views[] = {VIEWS(ENTRY) NULL};

const struct cbd_view *
cbd_view_find(const char *name)
{
	for (size_t i = 0; cbd_views[i]; i++)
		if (streq(cbd_views[i]->probe, name))
			return cbd_views[i];
	return NULL;
}

int
cbd_view_count(const cJSON *data, const char *key, bool (*keep)(const cJSON *item))
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(data, key), *e;
	int n = 0;

	if (!cJSON_IsArray(a))
		return -1;
	cJSON_ArrayForEach(e, a) n += !keep || keep(e);
	return n;
}

const cJSON *
cbd_view_path(const cJSON *o, const char *dotted)
{
	char buf[128], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", dotted);
	for (char *k = strtok_r(buf, ".", &save); k && o; k = strtok_r(NULL, ".", &save))
		o = cJSON_GetObjectItemCaseSensitive(o, k);
	return o;
}

/* Profiles (profiles.c, fleet.c): each fact a report's probes can say. */
void
cbd_profile_facts(const cJSON *root, cbd_fact_fn fn, void *userdata)
{
	const cJSON *probes = cbd_json_member(root, "probes");

	for (size_t i = 0; cbd_views[i]; i++) {
		const struct cbd_view *v = cbd_views[i];
		const cJSON *p = cbd_json_member(probes, v->probe);
		const char *status = cbd_json_member_str(p, "status");

		/* a check that could not run says nothing of what is there */
		if (!v->facts || !cJSON_IsObject(p) || !status || streq(status, "error"))
			continue;
		for (const struct cbd_view_fact *f = v->facts; f->key; f++) {
			char value[48];

			if (f->extract(cbd_json_member(p, "data"), value, sizeof(value)))
				fn(v, f, value, userdata);
		}
	}
}
