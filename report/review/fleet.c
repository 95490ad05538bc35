/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cbdiag summary: the fleet view over many reports. Each report is reduced to
 * a small extract (device key, model, time, statuses, finding codes, one
 * figure per view that has a fleet measure) and dropped, so memory grows with
 * the number of reports, not their size.
 *
 * The summary is built section by section: "history" (per-probe rates, top
 * findings, per-model top failures, repeat visitors) uses every report;
 * "current state" (devices, per-model figures, still failing) only the latest
 * report of each device (by started_at).
 */
#include <errno.h>

#include "fleet.h"

struct cbd_fleet *
cbd_fleet_new(double health_warn, double health_fail)
{
	struct cbd_fleet *f = cbd_zalloc(sizeof(*f));

	f->ctx = (struct cbd_view_ctx){.health_warn = health_warn, .health_fail = health_fail};
	for (size_t i = 0; cbd_views[i]; i++)
		if (cbd_views[i]->measure) {
			f->measured = cbd_realloc_array(f->measured, f->n_measures + 1,
							sizeof(*f->measured));
			f->measured[f->n_measures++] = cbd_views[i];
		}
	pthread_mutex_init(&f->lock, NULL);
	return f;
}

void
cbd_fleet_free(struct cbd_fleet *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->n; i++) {
		free(f->e[i].st);
		free(f->e[i].fc);
		free(f->e[i].measure);
	}
	free(f->e);
	for (size_t i = 0; i < f->n_sk; i++) {
		free(f->sk[i].path);
		free(f->sk[i].reason);
	}
	free(f->sk);
	free(f->seen);
	free(f->measured);
	cbd_atoms_clear(&f->atoms);
	pthread_mutex_destroy(&f->lock);
	free(f);
}

void
fleet_add_skipped_locked(struct cbd_fleet *f, const char *path, const char *reason)
{
	f->sk = cbd_realloc_array(f->sk, f->n_sk + 1, sizeof(*f->sk));
	f->sk[f->n_sk].path = cbd_strdup(path);
	f->sk[f->n_sk].reason = cbd_strdup(reason);
	f->n_sk++;
}

void
cbd_fleet_add_skipped(struct cbd_fleet *f, const char *path, const char *reason)
{
	pthread_mutex_lock(&f->lock);
	fleet_add_skipped_locked(f, path, reason);
	pthread_mutex_unlock(&f->lock);
}

/* ---- one report ---------------------------------------------------------- */

/* Add finding @code of the entry being built (number f->n) once, with the worst
 * severity: linear in the report's findings, whatever their number. */
static void
add_code(struct cbd_fleet *f, struct fleet_entry *e, uint32_t code, enum cbd_severity sev)
{
	if (code >= f->n_seen) {
		size_t n = f->atoms.n > code ? f->atoms.n : (size_t)code + 1;

		f->seen = cbd_realloc_array(f->seen, n, sizeof(*f->seen));
		memset(f->seen + f->n_seen, 0, (n - f->n_seen) * sizeof(*f->seen));
		f->n_seen = n;
	}
	if (f->seen[code].entry == f->n) {
		struct fleet_code *c = &e->fc[f->seen[code].pos];

		if (sev > c->severity)
			c->severity = (uint8_t)sev;
		return;
	}
	f->seen[code].entry = f->n;
	f->seen[code].pos = e->n_fc;
	e->fc[e->n_fc++] = (struct fleet_code){.code = code, .severity = (uint8_t)sev};
}

void
fleet_add_report(struct cbd_fleet *f, const cJSON *root, const char *path)
{
	const cJSON *dev = cbd_json_member(root, "device"), *probes = cbd_json_member(root, "probes"), *p;
	struct fleet_entry *e;
	enum cbd_status s;
	size_t n_probes = (size_t)cJSON_GetArraySize(probes), n_findings = 0;

	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 1024;
		f->e = cbd_realloc_array(f->e, f->cap, sizeof(*f->e));
	}
	e = &f->e[f->n];
	*e = (struct fleet_entry){.key = CBD_NO_ATOM};
	if (cbd_json_member_str(dev, "serial")) {
		e->key = cbd_atoms_add(&f->atoms, cbd_json_member_str(dev, "serial"));
	} else if (cbd_json_member_str(dev, "asset_tag")) {
		_cleanup_free_ char *k = cbd_strdupf("asset:%s", cbd_json_member_str(dev, "asset_tag"));

		e->key = cbd_atoms_add(&f->atoms, k);
	}
	e->model = cbd_atoms_add(&f->atoms,
				 cbd_json_member_str(dev, "model") ? cbd_json_member_str(dev, "model") : "unknown");
	e->path = cbd_atoms_add(&f->atoms, path);
	snprintf(e->started_at, sizeof(e->started_at), "%s", cbd_json_member_str(root, "started_at"));
	e->overall = cbd_status_from_string(cbd_json_member_str(root, "overall"), &s) == 0 ? (uint8_t)s
										 : CBD_STATUS_ERROR;

	/* sized from the report itself, counted in size_t: no count can wrap */
	e->st = cbd_realloc_array(NULL, n_probes ? n_probes : 1, sizeof(*e->st));
	cJSON_ArrayForEach(p, probes)
	{
		if (e->n_st == n_probes || cbd_status_from_string(cbd_json_member_str(p, "status"), &s) < 0)
			continue;
		e->st[e->n_st++] = (struct fleet_status){
			.probe = cbd_atoms_add(&f->atoms, p->string), .status = (uint8_t)s};
		n_findings += (size_t)cJSON_GetArraySize(cbd_json_member(p, "findings"));
	}
	e->fc = cbd_realloc_array(NULL, n_findings ? n_findings : 1, sizeof(*e->fc));
	f->n++; /* the entry's number for add_code(): f->n, never 0 */
	cJSON_ArrayForEach(p, probes)
	{
		const cJSON *fd;

		cJSON_ArrayForEach(fd, cbd_json_member(p, "findings"))
		{
			enum cbd_severity sev;

			if (e->n_fc == n_findings ||
			    cbd_severity_from_string(cbd_json_member_str(fd, "severity"), &sev) < 0)
				continue;
			add_code(f, e, cbd_atoms_add(&f->atoms, cbd_json_member_str(fd, "code")), sev);
		}
	}
	e->measure = cbd_realloc_array(NULL, f->n_measures ? f->n_measures : 1, sizeof(double));
	for (size_t i = 0; i < f->n_measures; i++) {
		const cJSON *data = cbd_json_member(cbd_json_member(probes, f->measured[i]->probe), "data");

		if (!f->measured[i]->measure->extract(data, &e->measure[i]))
			e->measure[i] = NAN;
	}
}

/* ---- aggregation ------------------------------------------------------- */

/* How often a string (a finding code) was counted; indexed by atom. */
struct counted {
	uint32_t id;
	uint32_t count, fail, warn, info;
};

/* Most counted first; ties by the string, so that the output does not depend
 * on which thread read what first (atom numbers do). */
static int
cmp_counted(const void *a, const void *b, void *userdata)
{
	const struct counted *x = a, *y = b;
	const struct cbd_atoms *atoms = userdata;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return strcmp(cbd_atoms_str(atoms, x->id), cbd_atoms_str(atoms, y->id));
}

static struct counted *
counts_new(const struct cbd_fleet *f)
{
	struct counted *c = cbd_zalloc((f->atoms.n + 1) * sizeof(*c));

	for (size_t i = 0; i < f->atoms.n; i++)
		c[i].id = (uint32_t)i;
	return c;
}

static void
count_codes(struct counted *c, const struct fleet_entry *e, bool fail_only)
{
	for (size_t j = 0; j < e->n_fc; j++) {
		struct counted *x = &c[e->fc[j].code];

		if (fail_only && e->fc[j].severity != CBD_SEVERITY_FAIL)
			continue;
		x->count++;
		if (e->fc[j].severity == CBD_SEVERITY_FAIL)
			x->fail++;
		else if (e->fc[j].severity == CBD_SEVERITY_WARN)
			x->warn++;
		else
			x->info++;
	}
}

/* The @limit most counted codes of @c (sorted in place). */
static cJSON *
top_codes(const struct cbd_fleet *f, struct counted *c, size_t limit)
{
	cJSON *arr = cbd_json_check(cJSON_CreateArray());

	qsort_r(c, f->atoms.n, sizeof(*c), cmp_counted, (void *)&f->atoms);
	for (size_t i = 0; i < f->atoms.n && i < limit && c[i].count; i++) {
		cJSON *o = cbd_json_check(cJSON_CreateObject());

		cJSON_AddStringToObject(o, "code", cbd_atoms_str(&f->atoms, c[i].id));
		cJSON_AddNumberToObject(o, "reports", c[i].count);
		cJSON_AddNumberToObject(o, "fail", c[i].fail);
		cJSON_AddNumberToObject(o, "warn", c[i].warn);
		cJSON_AddNumberToObject(o, "info", c[i].info);
		cJSON_AddItemToArray(arr, o);
	}
	return arr;
}

/* History: per probe, its statuses over all reports, in the order of the
 * first report that names it (reports share the order). */
static cJSON *
section_probes(const struct cbd_fleet *f)
{
	cJSON *probes = cbd_json_check(cJSON_CreateArray());
	uint32_t(*pst)[CBD_STATUS_N] = cbd_zalloc((f->atoms.n + 1) * sizeof(*pst));
	bool *placed = cbd_zalloc(f->atoms.n + 1);
	uint32_t *order = cbd_zalloc((f->atoms.n + 1) * sizeof(*order));
	size_t n_order = 0;

	for (size_t i = 0; i < f->n; i++)
		for (size_t j = 0; j < f->e[i].n_st; j++) {
			const struct fleet_status *st = &f->e[i].st[j];

			pst[st->probe][st->status]++;
			if (!placed[st->probe]) {
				placed[st->probe] = true;
				order[n_order++] = st->probe;
			}
		}
	for (size_t k = 0; k < n_order; k++) {
		uint32_t id = order[k];
		size_t total = 0;
		cJSON *o = cbd_json_check(cJSON_CreateObject());

		for (int s = 0; s < CBD_STATUS_N; s++)
			total += pst[id][s];
		cJSON_AddStringToObject(o, "name", cbd_atoms_str(&f->atoms, id));
		cJSON_AddNumberToObject(o, "reports", (double)total);
		for (int s = 0; s < CBD_STATUS_N; s++)
			cJSON_AddNumberToObject(o, cbd_status_to_string(s), pst[id][s]);
		cJSON_AddNumberToObject(o, "fail_percent", cbd_view_pct(pst[id][CBD_STATUS_FAIL], total));
		cJSON_AddNumberToObject(o, "warn_percent", cbd_view_pct(pst[id][CBD_STATUS_WARN], total));
		cJSON_AddItemToArray(probes, o);
	}
	free(order);
	free(placed);
	free(pst);
	return probes;
}

/* What the current state gathers per model (indexed by atom). */
struct model_acc {
	uint32_t devices, still_failing;
	struct {
		double *v;
		size_t n;
	} *measure; /* per fleet measure: the latest value of each device */
	struct counted *fail_codes; /* history: fail-severity codes of the model's reports */
};

/* Entries of one device together (by key), oldest first. */
static int
cmp_entry(const void *a, const void *b, void *userdata)
{
	const struct fleet_entry *x = *(const struct fleet_entry *const *)a,
				 *y = *(const struct fleet_entry *const *)b;
	const struct cbd_atoms *atoms = userdata;
	int r;

	if (x->key != y->key) {
		if (x->key == CBD_NO_ATOM || y->key == CBD_NO_ATOM)
			return x->key == CBD_NO_ATOM ? -1 : 1;
		return strcmp(cbd_atoms_str(atoms, x->key), cbd_atoms_str(atoms, y->key));
	}
	r = strcmp(x->started_at, y->started_at);
	if (r)
		return r;
	return strcmp(cbd_atoms_str(atoms, x->path), cbd_atoms_str(atoms, y->path));
}

static bool
probe_failed(const struct fleet_entry *e, uint32_t probe)
{
	for (size_t i = 0; i < e->n_st; i++)
		if (e->st[i].probe == probe && e->st[i].status == CBD_STATUS_FAIL)
			return true;
	return false;
}

static cJSON *
still_failing_item(const struct cbd_fleet *f, const struct fleet_entry *latest)
{
	cJSON *o = cbd_json_check(cJSON_CreateObject());
	cJSON *parts = cbd_json_check(cJSON_CreateArray());

	cJSON_AddStringToObject(o, "device", cbd_atoms_str(&f->atoms, latest->key));
	cJSON_AddStringToObject(o, "model", cbd_atoms_str(&f->atoms, latest->model));
	cJSON_AddStringToObject(o, "started_at", latest->started_at);
	cJSON_AddStringToObject(o, "path", cbd_atoms_str(&f->atoms, latest->path));
	for (size_t k = 0; k < latest->n_st; k++)
		if (latest->st[k].status == CBD_STATUS_FAIL)
			cJSON_AddItemToArray(parts, cbd_json_check(cJSON_CreateString(cbd_atoms_str(
							    &f->atoms, latest->st[k].probe))));
	cJSON_AddItemToObject(o, "failed", parts);
	return o;
}

/* History of one device (its reports @d[0..n), oldest first): each part that
 * failed in more than one visit, counted from its first failure. */
static void
repeat_visits(const struct cbd_fleet *f, struct fleet_entry *const *d, size_t n, cJSON *repeats)
{
	for (size_t a = 0; a < n; a++)
		for (size_t s = 0; s < d[a]->n_st; s++) {
			uint32_t probe = d[a]->st[s].probe;
			size_t times = 0, last = a;
			bool before = false;
			cJSON *o;

			if (d[a]->st[s].status != CBD_STATUS_FAIL)
				continue;
			for (size_t b = 0; b < a && !before; b++)
				before = probe_failed(d[b], probe);
			if (before)
				continue;
			for (size_t b = a; b < n; b++)
				if (probe_failed(d[b], probe)) {
					times++;
					last = b;
				}
			if (times < 2)
				continue;
			o = cbd_json_check(cJSON_CreateObject());
			cJSON_AddStringToObject(o, "device", cbd_atoms_str(&f->atoms, d[a]->key));
			cJSON_AddStringToObject(o, "model", cbd_atoms_str(&f->atoms, d[a]->model));
			cJSON_AddStringToObject(o, "probe", cbd_atoms_str(&f->atoms, probe));
			cJSON_AddNumberToObject(o, "failed_reports", (double)times);
			cJSON_AddStringToObject(o, "first", d[a]->started_at);
			cJSON_AddStringToObject(o, "last", d[last]->started_at);
			cJSON_AddItemToArray(repeats, o);
		}
}

/* Per device: the latest report is its current state (counted into its
 * model), all of them its history. Returns the number of devices. */
static size_t
section_devices(const struct cbd_fleet *f, struct model_acc *macc, cJSON *failing,
		cJSON *repeats)
{
	struct fleet_entry **byd = cbd_realloc_array(NULL, f->n + 1, sizeof(*byd));
	size_t devices = 0;

	for (size_t i = 0; i < f->n; i++)
		byd[i] = &f->e[i];
	qsort_r(byd, f->n, sizeof(*byd), cmp_entry, (void *)&f->atoms);
	for (size_t i = 0, j; i < f->n; i = j) {
		const struct fleet_entry *latest;
		struct model_acc *m;

		for (j = i; j < f->n && byd[j]->key == byd[i]->key;)
			j++;
		if (byd[i]->key == CBD_NO_ATOM)
			continue; /* reports that name no device: history only */
		devices++;
		latest = byd[j - 1];
		m = &macc[latest->model];
		m->devices++;
		for (size_t k = 0; k < f->n_measures; k++)
			if (!isnan(latest->measure[k])) {
				m->measure[k].v = cbd_realloc_array(m->measure[k].v, m->measure[k].n + 1,
								    sizeof(double));
				m->measure[k].v[m->measure[k].n++] = latest->measure[k];
			}
		if (latest->overall == CBD_STATUS_FAIL) {
			m->still_failing++;
			cJSON_AddItemToArray(failing, still_failing_item(f, latest));
		}
		repeat_visits(f, byd + i, j - i, repeats);
	}
	free(byd);
	return devices;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Per model, by number of devices: current state, each view's measure, and
 * the model's most frequent fail-severity codes over its history. */
static cJSON *
section_models(const struct cbd_fleet *f, struct model_acc *macc)
{
	cJSON *models = cbd_json_check(cJSON_CreateArray());
	struct counted *order = counts_new(f);

	for (size_t id = 0; id < f->atoms.n; id++)
		order[id].count = macc[id].devices;
	qsort_r(order, f->atoms.n, sizeof(*order), cmp_counted, (void *)&f->atoms);
	for (size_t k = 0; k < f->atoms.n && order[k].count; k++) {
		struct model_acc *m = &macc[order[k].id];
		cJSON *o = cbd_json_check(cJSON_CreateObject());

		cJSON_AddStringToObject(o, "model", cbd_atoms_str(&f->atoms, order[k].id));
		cJSON_AddNumberToObject(o, "devices", m->devices);
		cJSON_AddNumberToObject(o, "still_failing", m->still_failing);
		for (size_t i = 0; i < f->n_measures; i++) {
			const struct cbd_view_measure *vm = f->measured[i]->measure;

			if (m->measure[i].n)
				qsort(m->measure[i].v, m->measure[i].n, sizeof(double), cmp_double);
			cJSON_AddItemToObject(o, vm->key,
					      vm->summarise(m->measure[i].v, m->measure[i].n, &f->ctx));
		}
		cJSON_AddItemToObject(o, "top_failures",
				      m->fail_codes ? top_codes(f, m->fail_codes, 5)
						    : cbd_json_check(cJSON_CreateArray()));
		cJSON_AddItemToArray(models, o);
	}
	free(order);
	return models;
}

static int
cmp_skipped(const void *a, const void *b)
{
	return strcmp(((const struct fleet_skipped *)a)->path,
		      ((const struct fleet_skipped *)b)->path);
}

static cJSON *
section_skipped(struct cbd_fleet *f)
{
	cJSON *skipped = cbd_json_check(cJSON_CreateArray());

	if (f->n_sk)
		qsort(f->sk, f->n_sk, sizeof(*f->sk), cmp_skipped);
	for (size_t i = 0; i < f->n_sk; i++) {
		cJSON *o = cbd_json_check(cJSON_CreateObject());

		cJSON_AddStringToObject(o, "path", f->sk[i].path);
		cJSON_AddStringToObject(o, "reason", f->sk[i].reason);
		cJSON_AddItemToArray(skipped, o);
	}
	return skipped;
}

struct cbd_doc *
cbd_fleet_result(struct cbd_fleet *f)
{
	cJSON *root = cbd_json_check(cJSON_CreateObject());
	cJSON *failing = cbd_json_check(cJSON_CreateArray());
	cJSON *repeats = cbd_json_check(cJSON_CreateArray());
	struct counted *codes = counts_new(f);
	struct model_acc *macc = cbd_zalloc((f->atoms.n + 1) * sizeof(*macc));
	struct cbd_doc *doc = cbd_zalloc(sizeof(*doc));
	size_t anonymous = 0, devices;

	for (size_t i = 0; i < f->n; i++) {
		const struct fleet_entry *e = &f->e[i];
		struct model_acc *m = &macc[e->model];

		count_codes(codes, e, false);
		if (!m->fail_codes) {
			m->fail_codes = counts_new(f);
			m->measure = cbd_zalloc((f->n_measures + 1) * sizeof(*m->measure));
		}
		count_codes(m->fail_codes, e, true);
		anonymous += e->key == CBD_NO_ATOM;
	}
	cJSON_AddNumberToObject(root, "reports", (double)f->n);
	cJSON_AddNumberToObject(root, "reports_without_device_identity", (double)anonymous);
	cJSON_AddNumberToObject(root, "skipped_files", (double)f->n_sk);
	cJSON_AddItemToObject(root, "probes", section_probes(f));
	devices = section_devices(f, macc, failing, repeats);
	cJSON_AddNumberToObject(root, "devices", (double)devices);
	cJSON_AddItemToObject(root, "top_findings", top_codes(f, codes, 20));
	cJSON_AddItemToObject(root, "models", section_models(f, macc));
	cJSON_AddItemToObject(root, "still_failing", failing);
	cJSON_AddItemToObject(root, "repeat_visitors", repeats);
	cJSON_AddItemToObject(root, "skipped", section_skipped(f));

	for (size_t id = 0; id < f->atoms.n; id++) {
		for (size_t i = 0; macc[id].measure && i < f->n_measures; i++)
			free(macc[id].measure[i].v);
		free(macc[id].measure);
		free(macc[id].fail_codes);
	}
	free(macc);
	free(codes);
	doc->root = root;
	return doc;
}
