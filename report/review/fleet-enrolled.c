/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The fleet summary joined with the devices the district has enrolled
 * (Google Admin's export, enrolled.c) by serial: which were never checked,
 * per organisational unit, and which checked devices the export does not
 * know. Serials are matched trimmed and in upper case on both sides; a
 * device known to the reports by its asset tag only cannot be matched.
 */
#include <stdlib.h>

#include "fleet.h"

static cJSON *section_enrolled(struct cbd_fleet *f);

void
cbd_fleet_set_enrolled(struct cbd_fleet *f, const struct cbd_enrolled *e)
{
	f->enrolled = e;
	f->enrolled_section = section_enrolled;
}

struct ou_count {
	uint32_t ou; /* atom */
	size_t devices, checked;
};

static int
cmp_ou(const void *a, const void *b, void *userdata)
{
	const struct ou_count *x = a, *y = b;
	const struct cbd_atoms *names = userdata;
	size_t ux = x->devices - x->checked, uy = y->devices - y->checked;

	if (ux != uy)
		return ux < uy ? 1 : -1;
	return strcmp(cbd_atoms_str(names, x->ou), cbd_atoms_str(names, y->ou));
}

static void
num(cJSON *o, const char *key, double v)
{
	cJSON_AddItemToObjectCS(o, key, cbd_json_check(cJSON_CreateNumber(v)));
}

static void
str(cJSON *o, const char *key, const char *v)
{
	cJSON_AddItemToObjectCS(o, key, v ? cbd_json_check(cJSON_CreateString(v))
					   : cbd_json_check(cJSON_CreateNull()));
}

/* The summary's "enrolled" section, called by cbd_fleet_result(). */
static cJSON *
section_enrolled(struct cbd_fleet *f)
{
	const struct cbd_enrolled *e = f->enrolled;
	struct cbd_atoms seen = {0}, serials = {0}, ous = {0};
	struct ou_count *oc = NULL;
	size_t checked = 0, duplicates = 0, not_enrolled = 0, n_oc = 0;
	cJSON *o = cbd_json_check(cJSON_CreateObject()), *units, *list;

	/* the serials the reports name, as the export writes them */
	for (size_t i = 0; i < f->keys.n; i++) {
		const char *k = cbd_atoms_str(&f->keys, (uint32_t)i);
		_cleanup_free_ char *s = NULL;

		if (strncmp(k, "asset:", 6) == 0)
			continue;
		s = cbd_enrolled_serial_key(k);
		(void)cbd_atoms_add(&seen, s);
	}
	list = cbd_json_check(cJSON_CreateArray());
	for (size_t i = 0; i < e->n; i++) {
		const struct cbd_enrolled_device *d = &e->v[i];
		size_t before = serials.n;
		uint32_t ou;
		bool was_checked;

		(void)cbd_atoms_add(&serials, d->serial);
		if (serials.n == before) { /* listed twice in the export: once */
			duplicates++;
			continue;
		}
		was_checked = cbd_atoms_find(&seen, d->serial) != CBD_NO_ATOM;
		checked += was_checked;
		ou = cbd_atoms_add(&ous, d->org_unit ? d->org_unit : "");
		if (ou >= n_oc) { /* a new unit: atoms are numbered in order */
			oc = cbd_realloc_array(oc, ou + 1, sizeof(*oc));
			oc[ou] = (struct ou_count){.ou = ou};
			n_oc = ou + 1;
		}
		oc[ou].devices++;
		oc[ou].checked += was_checked;
		if (!was_checked) {
			cJSON *u = cbd_json_check(cJSON_CreateObject());

			str(u, "serial", d->serial);
			str(u, "org_unit", d->org_unit);
			str(u, "asset_id", d->asset_id);
			str(u, "model", d->model);
			cJSON_AddItemToArray(list, u);
		}
	}
	for (size_t i = 0; i < seen.n; i++)
		not_enrolled += cbd_atoms_find(&serials, cbd_atoms_str(&seen, (uint32_t)i)) ==
				CBD_NO_ATOM;

	num(o, "devices", (double)serials.n);
	num(o, "checked", (double)checked);
	num(o, "never_checked", (double)(serials.n - checked));
	num(o, "checked_percent", cbd_view_pct(checked, serials.n));
	num(o, "checked_not_in_export", (double)not_enrolled);
	num(o, "duplicate_rows", (double)duplicates);
	num(o, "deprovisioned_rows", (double)e->deprovisioned);
	num(o, "rows_without_serial", (double)e->without_serial);
	units = cbd_json_check(cJSON_CreateArray());
	if (n_oc)
		qsort_r(oc, n_oc, sizeof(*oc), cmp_ou, &ous);
	for (size_t i = 0; e->has_org_unit && i < n_oc; i++) {
		cJSON *u = cbd_json_check(cJSON_CreateObject());
		const char *unit = cbd_atoms_str(&ous, oc[i].ou);

		str(u, "org_unit", *unit ? unit : NULL);
		num(u, "devices", (double)oc[i].devices);
		num(u, "checked", (double)oc[i].checked);
		num(u, "never_checked", (double)(oc[i].devices - oc[i].checked));
		cJSON_AddItemToArray(units, u);
	}
	cJSON_AddItemToObjectCS(o, "org_units", units);
	cJSON_AddItemToObjectCS(o, "never_checked_list", list);
	free(oc);
	cbd_atoms_clear(&seen);
	cbd_atoms_clear(&serials);
	cbd_atoms_clear(&ous);
	return o;
}
