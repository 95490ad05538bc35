/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cbdiag summary: the fleet view over many reports. Each report is read into
 * a small extract (device key, model, time, statuses, finding codes, one
 * figure per view that has a fleet measure), counted and dropped: history
 * (per-probe rates, top findings, per-model top failures) is kept as counts,
 * the current state as each device's latest report (by started_at, then path)
 * and repeat visits as each device's failed probes. Memory grows with the
 * number of devices, not of reports.
 *
 * The summary document is then built section by section: "history" over
 * every report, "current state" (devices, per-model figures, still failing)
 * over the latest report of each device.
 */
#include <ctype.h>
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
	for (size_t i = 0; i < f->keys.n; i++) {
		struct fleet_device *d = &f->dev[i];

		free(d->path);
		free(d->failed);
		free(d->findings);
		free(d->measure);
		for (size_t j = 0; j < d->n_fails; j++)
			free(d->fails[j].first_path);
		free(d->fails);
	}
	free(f->dev);
	for (size_t i = 0; i < f->n_sk; i++) {
		free(f->sk[i].path);
		free(f->sk[i].reason);
	}
	free(f->sk);
	free(f->pst);
	free(f->mr);
	free(f->months);
	free(f->probe_order);
	free(f->codes);
	free(f->seen);
	free(f->rc);
	free(f->mc.v);
	free(f->mc.slots);
	free(f->facts.v);
	free(f->facts.slots);
	free(f->measured);
	cbd_atoms_clear(&f->keys);
	cbd_atoms_clear(&f->names);
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

/* ---- one report: read (no lock) ------------------------------------------ */

static void
extract_fact(const struct cbd_view *v, const struct cbd_view_fact *fact, const char *value,
	     void *userdata)
{
	struct fleet_extract *x = userdata;

	(void)v;
	if (x->n_facts == x->cap_facts) {
		x->cap_facts = x->cap_facts ? x->cap_facts * 2 : 16;
		x->facts = cbd_realloc_array(x->facts, x->cap_facts, sizeof(*x->facts));
	}
	x->facts[x->n_facts].key = fact->key;
	snprintf(x->facts[x->n_facts++].value, sizeof(x->facts->value), "%s", value);
}

void
fleet_extract(const struct cbd_fleet *f, const cJSON *root, struct fleet_extract *x)
{
	const cJSON *dev = cbd_json_member(root, "device"), *probes = cbd_json_member(root, "probes"), *p;

	x->key_serial = cbd_json_member_str(dev, "serial");
	x->key_asset = cbd_json_member_str(dev, "asset_tag");
	x->model = cbd_json_member_str(dev, "model");
	x->started_at = cbd_json_member_str(root, "started_at");
	x->overall = cbd_json_member_str(root, "overall");
	x->n_st = x->n_fd = 0;
	cJSON_ArrayForEach(p, probes)
	{
		const cJSON *fd;
		enum cbd_status s;

		if (cbd_status_from_string(cbd_json_member_str(p, "status"), &s) < 0)
			continue;
		if (x->n_st == x->cap_st) {
			x->cap_st = x->cap_st ? x->cap_st * 2 : 16;
			x->st = cbd_realloc_array(x->st, x->cap_st, sizeof(*x->st));
		}
		x->st[x->n_st].probe = p->string;
		x->st[x->n_st++].status = (uint8_t)s;
		cJSON_ArrayForEach(fd, cbd_json_member(p, "findings"))
		{
			enum cbd_severity sev;

			if (cbd_severity_from_string(cbd_json_member_str(fd, "severity"), &sev) < 0)
				continue;
			if (x->n_fd == x->cap_fd) {
				x->cap_fd = x->cap_fd ? x->cap_fd * 2 : 16;
				x->fd = cbd_realloc_array(x->fd, x->cap_fd, sizeof(*x->fd));
			}
			x->fd[x->n_fd].probe = p->string;
			x->fd[x->n_fd].code = cbd_json_member_str(fd, "code");
			x->fd[x->n_fd++].severity = (uint8_t)sev;
		}
	}
	if (!x->measure)
		x->measure = cbd_realloc_array(NULL, f->n_measures ? f->n_measures : 1, sizeof(double));
	for (size_t i = 0; i < f->n_measures; i++) {
		const cJSON *data = cbd_json_member(cbd_json_member(probes, f->measured[i]->probe), "data");

		if (!f->measured[i]->measure->extract(data, &x->measure[i]))
			x->measure[i] = NAN;
	}
	x->n_facts = 0;
	cbd_profile_facts(root, extract_fact, x);
}

void
fleet_extract_clear(struct fleet_extract *x)
{
	free(x->st);
	free(x->fd);
	free(x->measure);
	free(x->facts);
	*x = (struct fleet_extract){0};
}

/* ---- one report: counted (under the lock) -------------------------------- */

/* The arrays indexed by name atom cover at least atom @id. */
static void
names_cover(struct cbd_fleet *f, uint32_t id)
{
	size_t n = f->cap_names;

	if (id < n)
		return;
	while (n <= id)
		n = n ? n * 2 : 256;
	f->pst = cbd_realloc_array(f->pst, n, sizeof(*f->pst));
	f->codes = cbd_realloc_array(f->codes, n, sizeof(*f->codes));
	f->seen = cbd_realloc_array(f->seen, n, sizeof(*f->seen));
	f->mr = cbd_realloc_array(f->mr, n, sizeof(*f->mr));
	memset(f->mr + f->cap_names, 0, (n - f->cap_names) * sizeof(*f->mr));
	memset(f->pst + f->cap_names, 0, (n - f->cap_names) * sizeof(*f->pst));
	memset(f->seen + f->cap_names, 0, (n - f->cap_names) * sizeof(*f->seen));
	for (size_t i = f->cap_names; i < n; i++)
		f->codes[i] = (struct counted){.id = (uint32_t)i};
	f->cap_names = n;
}

static uint32_t
name(struct cbd_fleet *f, const char *s)
{
	uint32_t id = cbd_atoms_add(&f->names, s ? s : "");

	names_cover(f, id);
	return id;
}

static uint64_t
mc_hash(uint32_t model, uint32_t code)
{
	return (((uint64_t)model << 32) | code) * 0x9e3779b97f4a7c15ull;
}

/* One more report of @model that counted @what. */
static void
model_count(struct model_counts *t, uint32_t model, uint32_t what)
{
	size_t j;

	if (t->n * 2 >= t->n_slots) {
		size_t n = t->n_slots ? t->n_slots * 2 : 256;

		free(t->slots);
		t->slots = cbd_zalloc(n * sizeof(*t->slots));
		t->n_slots = n;
		for (size_t i = 0; i < t->n; i++) {
			for (j = mc_hash(t->v[i].model, t->v[i].what) >> 20 & (n - 1); t->slots[j];)
				j = (j + 1) & (n - 1);
			t->slots[j] = (uint32_t)i + 1;
		}
	}
	for (j = mc_hash(model, what) >> 20 & (t->n_slots - 1); t->slots[j];
	     j = (j + 1) & (t->n_slots - 1)) {
		struct model_count *m = &t->v[t->slots[j] - 1];

		if (m->model == model && m->what == what) {
			m->count++;
			return;
		}
	}
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 256;
		t->v = cbd_realloc_array(t->v, t->cap, sizeof(*t->v));
	}
	t->v[t->n] = (struct model_count){.model = model, .what = what, .count = 1};
	t->slots[j] = (uint32_t)++t->n;
}

/* (started_at, path) of a report against a kept one: the order of a device's visits */
static int
cmp_visit(const char *at, const char *path, const char *kept_at, const char *kept_path)
{
	int r = strcmp(at, kept_at);

	return r ? r : strcmp(path, kept_path);
}

/* Probe @probe failed in the device's report number @report (at @at, @path). */
static void
device_failed(struct fleet_device *d, size_t report, uint32_t probe, uint32_t model, uint32_t pos,
	      const char *at, const char *path)
{
	struct fleet_fail *ff = NULL;

	for (size_t i = 0; i < d->n_fails && !ff; i++)
		if (d->fails[i].probe == probe)
			ff = &d->fails[i];
	if (!ff) {
		d->fails = cbd_realloc_array(d->fails, d->n_fails + 1, sizeof(*d->fails));
		ff = &d->fails[d->n_fails++];
		*ff = (struct fleet_fail){.probe = probe};
	}
	if (ff->counted == report)
		return; /* the probe twice in one report: one failed visit */
	ff->counted = report;
	if (!ff->reports++ || cmp_visit(at, path, ff->first, ff->first_path) < 0) {
		snprintf(ff->first, sizeof(ff->first), "%s", at);
		free(ff->first_path);
		ff->first_path = cbd_strdup(path);
		ff->model = model;
		ff->pos = pos;
	}
	if (ff->reports == 1 || strcmp(at, ff->last) > 0)
		snprintf(ff->last, sizeof(ff->last), "%s", at);
}

/* The month of a started_at ("2026-03-10T09:00:00Z" -> "2026-03"), else "unknown". */
static void
month_count(struct cbd_fleet *f, const char *at, bool failed)
{
	char m[8] = "unknown";
	size_t i;

	if (strlen(at) >= 7 && isdigit((unsigned char)at[0]) && isdigit((unsigned char)at[1]) &&
	    isdigit((unsigned char)at[2]) && isdigit((unsigned char)at[3]) && at[4] == '-' &&
	    isdigit((unsigned char)at[5]) && isdigit((unsigned char)at[6])) {
		memcpy(m, at, 7);
		m[7] = '\0';
	}
	/* reports come roughly in order: the month sought is most often the last */
	for (i = f->n_months; i > 0; i--)
		if (streq(f->months[i - 1].month, m))
			break;
	if (!i) {
		f->months = cbd_realloc_array(f->months, f->n_months + 1, sizeof(*f->months));
		f->months[f->n_months] = (struct fleet_month){0};
		memcpy(f->months[f->n_months].month, m, sizeof(m));
		i = ++f->n_months;
	}
	f->months[i - 1].reports++;
	f->months[i - 1].failed += failed;
}

void
cbd_fleet_list_devices(struct cbd_fleet *f)
{
	f->list_devices = true;
}

void
fleet_add_extract(struct cbd_fleet *f, const struct fleet_extract *x, const char *path)
{
	char at[32];
	uint32_t key = CBD_NO_ATOM, model = name(f, x->model ? x->model : "unknown");
	size_t report = ++f->n, n_rc = 0;
	struct fleet_device *d = NULL;
	enum cbd_status overall;

	snprintf(at, sizeof(at), "%s", x->started_at ? x->started_at : "");
	if (cbd_status_from_string(x->overall, &overall) < 0)
		overall = CBD_STATUS_ERROR;
	if (x->key_serial) {
		key = cbd_atoms_add(&f->keys, x->key_serial);
	} else if (x->key_asset) {
		_cleanup_free_ char *k = cbd_strdupf("asset:%s", x->key_asset);

		key = cbd_atoms_add(&f->keys, k);
	}
	if (key == CBD_NO_ATOM) {
		f->anonymous++;
	} else {
		if (key >= f->cap_dev) {
			size_t n = f->cap_dev ? f->cap_dev * 2 : 1024;

			f->dev = cbd_realloc_array(f->dev, n, sizeof(*f->dev));
			memset(f->dev + f->cap_dev, 0, (n - f->cap_dev) * sizeof(*f->dev));
			f->cap_dev = n;
		}
		d = &f->dev[key];
		d->reports++;
	}
	f->mr[model][0]++;
	f->mr[model][1] += overall == CBD_STATUS_FAIL;
	/* the profiles: each fact known, and its value ("camera", "camera=yes") */
	for (size_t i = 0; i < x->n_facts; i++) {
		_cleanup_free_ char *kv = cbd_strdupf("%s=%s", x->facts[i].key, x->facts[i].value);

		model_count(&f->facts, model, name(f, x->facts[i].key));
		model_count(&f->facts, model, name(f, kv));
	}
	month_count(f, at, overall == CBD_STATUS_FAIL);

	/* history: statuses per probe, in the order the first report names them */
	for (size_t i = 0; i < x->n_st; i++) {
		uint32_t probe = name(f, x->st[i].probe);
		uint32_t *pst = f->pst[probe];
		size_t total = 0;

		for (int s = 0; s < CBD_STATUS_N; s++)
			total += pst[s];
		if (!total) {
			f->probe_order = cbd_realloc_array(f->probe_order, f->n_probe_order + 1,
							   sizeof(*f->probe_order));
			f->probe_order[f->n_probe_order++] = probe;
		}
		pst[x->st[i].status]++;
		if (d && x->st[i].status == CBD_STATUS_FAIL)
			device_failed(d, report, probe, model, (uint32_t)i, at, path);
	}
	/* history: each code once a report, with its worst severity (linear in
	 * the report's findings, whatever their number) */
	if (x->n_fd > f->cap_rc) {
		f->cap_rc = x->n_fd;
		f->rc = cbd_realloc_array(f->rc, f->cap_rc, sizeof(*f->rc));
	}
	for (size_t i = 0; i < x->n_fd; i++) {
		uint32_t code = name(f, x->fd[i].code);

		if (f->seen[code].report == report) {
			uint8_t *sev = &f->rc[f->seen[code].pos].severity;

			if (x->fd[i].severity > *sev)
				*sev = x->fd[i].severity;
			continue;
		}
		f->seen[code].report = report;
		f->seen[code].pos = n_rc;
		f->rc[n_rc].code = code;
		f->rc[n_rc++].severity = x->fd[i].severity;
	}
	for (size_t i = 0; i < n_rc; i++) {
		struct counted *c = &f->codes[f->rc[i].code];

		c->count++;
		if (f->rc[i].severity == CBD_SEVERITY_FAIL) {
			c->fail++;
			model_count(&f->mc, model, f->rc[i].code);
		} else if (f->rc[i].severity == CBD_SEVERITY_WARN) {
			c->warn++;
		} else {
			c->info++;
		}
	}

	/* current state: the device's latest report */
	if (!d || (d->seen && cmp_visit(at, path, d->started_at, d->path) <= 0))
		return;
	d->seen = true;
	memcpy(d->started_at, at, sizeof(at));
	free(d->path);
	d->path = cbd_strdup(path);
	d->model = model;
	d->overall = (uint8_t)overall;
	d->n_failed = 0;
	for (size_t i = 0; i < x->n_st; i++)
		if (x->st[i].status == CBD_STATUS_FAIL) {
			d->failed = cbd_realloc_array(d->failed, d->n_failed + 1, sizeof(*d->failed));
			d->failed[d->n_failed++] = name(f, x->st[i].probe);
		}
	if (!d->measure)
		d->measure = cbd_realloc_array(NULL, f->n_measures ? f->n_measures : 1, sizeof(double));
	memcpy(d->measure, x->measure, f->n_measures * sizeof(double));
	if (f->list_devices) {
		d->findings = cbd_realloc_array(d->findings, x->n_fd + 1, sizeof(*d->findings));
		d->n_findings = x->n_fd;
		for (size_t i = 0; i < x->n_fd; i++)
			d->findings[i] = (struct fleet_finding){name(f, x->fd[i].probe),
								name(f, x->fd[i].code),
								x->fd[i].severity};
	}
}

/* ---- aggregation ------------------------------------------------------- */

/*
 * The summary document of 200,000 reports has hundreds of thousands of nodes
 * and strings: while it is built, cJSON allocates them one after the other
 * from large blocks that the document owns (doc->blocks), 16 bytes a piece
 * less than malloc's, and frees nothing (its hooks are process-wide: nothing
 * else may use cJSON meanwhile, as while reading).
 */
#define BLOCK_SIZE (256u << 10)

static struct {
	void *blocks; /* the newest first */
	size_t used;  /* in the newest */
} pool;

static void *
pool_alloc(size_t size)
{
	size_t head = sizeof(max_align_t);
	void **b;

	size = (size + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
	if (size > BLOCK_SIZE / 4) {
		/* a large piece gets a block of its own, behind the newest */
		b = malloc(head + size);
		if (!b)
			return NULL;
		if (pool.blocks) {
			*b = *(void **)pool.blocks;
			*(void **)pool.blocks = b;
		} else {
			*b = NULL;
			pool.blocks = b;
			pool.used = BLOCK_SIZE;
		}
		return (char *)b + head;
	}
	if (!pool.blocks || pool.used + size > BLOCK_SIZE) {
		b = malloc(head + BLOCK_SIZE);
		if (!b)
			return NULL;
		*b = pool.blocks;
		pool.blocks = b;
		pool.used = 0;
	}
	pool.used += size;
	return (char *)pool.blocks + head + pool.used - size;
}

static void
pool_free(void *p)
{
	(void)p; /* with the document, by cbd_doc_free() */
}

/* Members of the summary document under constant names (not copied: the
 * document of 200,000 reports has hundreds of thousands of them). */
static void
add_item(cJSON *o, const char *key, cJSON *item)
{
	cJSON_AddItemToObjectCS(o, key, item);
}

static void
add_str(cJSON *o, const char *key, const char *v)
{
	add_item(o, key, cbd_json_check(cJSON_CreateString(v)));
}

static void
add_num(cJSON *o, const char *key, double v)
{
	add_item(o, key, cbd_json_check(cJSON_CreateNumber(v)));
}

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

/* The @limit most counted of @c[0..n) (sorted in place). */
static cJSON *
top_codes(const struct cbd_fleet *f, struct counted *c, size_t n, size_t limit)
{
	cJSON *arr = cbd_json_check(cJSON_CreateArray());

	if (n)
		qsort_r(c, n, sizeof(*c), cmp_counted, (void *)&f->names);
	for (size_t i = 0; i < n && i < limit && c[i].count; i++) {
		cJSON *o = cbd_json_check(cJSON_CreateObject());

		add_str(o, "code", cbd_atoms_str(&f->names, c[i].id));
		add_num(o, "reports", c[i].count);
		add_num(o, "fail", c[i].fail);
		add_num(o, "warn", c[i].warn);
		add_num(o, "info", c[i].info);
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

	for (size_t k = 0; k < f->n_probe_order; k++) {
		uint32_t id = f->probe_order[k];
		const uint32_t *pst = f->pst[id];
		size_t total = 0;
		cJSON *o = cbd_json_check(cJSON_CreateObject());

		for (int s = 0; s < CBD_STATUS_N; s++)
			total += pst[s];
		add_str(o, "name", cbd_atoms_str(&f->names, id));
		add_num(o, "reports", (double)total);
		for (int s = 0; s < CBD_STATUS_N; s++)
			add_num(o, cbd_status_to_string(s), pst[s]);
		add_num(o, "fail_percent", cbd_view_pct(pst[CBD_STATUS_FAIL], total));
		add_num(o, "warn_percent", cbd_view_pct(pst[CBD_STATUS_WARN], total));
		cJSON_AddItemToArray(probes, o);
	}
	return probes;
}

/* What the current state gathers per model (indexed by name atom). */
struct model_acc {
	uint32_t devices, still_failing;
	struct {
		double *v;
		size_t n;
	} *measure; /* per fleet measure: the latest value of each device */
	struct counted *fail_codes; /* history: fail-severity codes of the model's reports */
	size_t n_fail_codes;
};

static int
cmp_key(const void *a, const void *b, void *userdata)
{
	const struct cbd_atoms *keys = userdata;

	return strcmp(cbd_atoms_str(keys, *(const uint32_t *)a),
		      cbd_atoms_str(keys, *(const uint32_t *)b));
}

/* One device's latest report, for the lists of every device (html, csv, ndjson). */
static cJSON *
device_item(const struct cbd_fleet *f, uint32_t key)
{
	const struct fleet_device *d = &f->dev[key];
	cJSON *o = cbd_json_check(cJSON_CreateObject());
	cJSON *parts = cbd_json_check(cJSON_CreateArray());

	add_str(o, "device", cbd_atoms_str(&f->keys, key));
	add_str(o, "model", cbd_atoms_str(&f->names, d->model));
	add_str(o, "started_at", d->started_at);
	add_str(o, "overall", cbd_status_to_string(d->overall));
	add_num(o, "reports", d->reports);
	for (size_t k = 0; k < d->n_failed; k++)
		cJSON_AddItemToArray(parts, cbd_json_check(cJSON_CreateString(
						    cbd_atoms_str(&f->names, d->failed[k]))));
	add_item(o, "failed", parts);
	for (size_t i = 0; i < f->n_measures; i++)
		add_item(o, f->measured[i]->measure->key,
			 cbd_json_check(isnan(d->measure[i]) ? cJSON_CreateNull()
							     : cJSON_CreateNumber(d->measure[i])));
	add_str(o, "path", d->path);
	parts = cbd_json_check(cJSON_CreateArray());
	for (size_t k = 0; k < d->n_findings; k++) {
		cJSON *fd = cbd_json_check(cJSON_CreateObject());

		add_str(fd, "probe", cbd_atoms_str(&f->names, d->findings[k].probe));
		add_str(fd, "code", cbd_atoms_str(&f->names, d->findings[k].code));
		add_str(fd, "severity", cbd_severity_to_string(d->findings[k].severity));
		cJSON_AddItemToArray(parts, fd);
	}
	add_item(o, "findings", parts);
	return o;
}

static cJSON *
still_failing_item(const struct cbd_fleet *f, uint32_t key)
{
	const struct fleet_device *d = &f->dev[key];
	cJSON *o = cbd_json_check(cJSON_CreateObject());
	cJSON *parts = cbd_json_check(cJSON_CreateArray());

	add_str(o, "device", cbd_atoms_str(&f->keys, key));
	add_str(o, "model", cbd_atoms_str(&f->names, d->model));
	add_str(o, "started_at", d->started_at);
	add_str(o, "path", d->path);
	for (size_t k = 0; k < d->n_failed; k++)
		cJSON_AddItemToArray(parts, cbd_json_check(cJSON_CreateString(
						    cbd_atoms_str(&f->names, d->failed[k]))));
	add_item(o, "failed", parts);
	return o;
}

/* A device's failed probes by their first failed visit, then by their place in it. */
static int
cmp_fail(const void *a, const void *b)
{
	const struct fleet_fail *x = a, *y = b;
	int r = cmp_visit(x->first, x->first_path, y->first, y->first_path);

	if (r)
		return r;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* History of one device: each part that failed in more than one visit,
 * counted from its first failure. */
static void
repeat_visits(const struct cbd_fleet *f, uint32_t key, cJSON *repeats)
{
	struct fleet_device *d = &f->dev[key];

	if (d->n_fails > 1)
		qsort(d->fails, d->n_fails, sizeof(*d->fails), cmp_fail);
	for (size_t i = 0; i < d->n_fails; i++) {
		const struct fleet_fail *ff = &d->fails[i];
		cJSON *o;

		if (ff->reports < 2)
			continue;
		o = cbd_json_check(cJSON_CreateObject());
		add_str(o, "device", cbd_atoms_str(&f->keys, key));
		add_str(o, "model", cbd_atoms_str(&f->names, ff->model));
		add_str(o, "probe", cbd_atoms_str(&f->names, ff->probe));
		add_num(o, "failed_reports", ff->reports);
		add_str(o, "first", ff->first);
		add_str(o, "last", ff->last);
		cJSON_AddItemToArray(repeats, o);
	}
}

/* Per device (by key): the latest report is its current state (counted into
 * its model), all of them its history. */
static void
section_devices(const struct cbd_fleet *f, struct model_acc *macc, cJSON *failing,
		cJSON *repeats, cJSON *list)
{
	uint32_t *order = cbd_realloc_array(NULL, f->keys.n + 1, sizeof(*order));

	for (size_t i = 0; i < f->keys.n; i++)
		order[i] = (uint32_t)i;
	if (f->keys.n)
		qsort_r(order, f->keys.n, sizeof(*order), cmp_key, (void *)&f->keys);
	for (size_t i = 0; i < f->keys.n; i++) {
		const struct fleet_device *latest = &f->dev[order[i]];
		struct model_acc *m = &macc[latest->model];

		m->devices++;
		if (!m->measure)
			m->measure = cbd_zalloc((f->n_measures + 1) * sizeof(*m->measure));
		for (size_t k = 0; k < f->n_measures; k++)
			if (!isnan(latest->measure[k])) {
				m->measure[k].v = cbd_realloc_array(m->measure[k].v, m->measure[k].n + 1,
								    sizeof(double));
				m->measure[k].v[m->measure[k].n++] = latest->measure[k];
			}
		if (latest->overall == CBD_STATUS_FAIL) {
			m->still_failing++;
			cJSON_AddItemToArray(failing, still_failing_item(f, order[i]));
		}
		repeat_visits(f, order[i], repeats);
		if (list)
			cJSON_AddItemToArray(list, device_item(f, order[i]));
	}
	free(order);
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
	struct counted *order = cbd_zalloc((f->names.n + 1) * sizeof(*order));

	for (size_t id = 0; id < f->names.n; id++)
		order[id] = (struct counted){.id = (uint32_t)id, .count = macc[id].devices};
	if (f->names.n)
		qsort_r(order, f->names.n, sizeof(*order), cmp_counted, (void *)&f->names);
	for (size_t k = 0; k < f->names.n && order[k].count; k++) {
		struct model_acc *m = &macc[order[k].id];
		cJSON *o = cbd_json_check(cJSON_CreateObject());

		add_str(o, "model", cbd_atoms_str(&f->names, order[k].id));
		add_num(o, "devices", m->devices);
		add_num(o, "still_failing", m->still_failing);
		add_num(o, "reports", f->mr[order[k].id][0]);
		add_num(o, "failed_reports", f->mr[order[k].id][1]);
		add_num(o, "fail_percent", cbd_view_pct(f->mr[order[k].id][1], f->mr[order[k].id][0]));
		for (size_t i = 0; i < f->n_measures; i++) {
			const struct cbd_view_measure *vm = f->measured[i]->measure;

			if (m->measure[i].n)
				qsort(m->measure[i].v, m->measure[i].n, sizeof(double), cmp_double);
			add_item(o, vm->key,
					      vm->summarise(m->measure[i].v, m->measure[i].n, &f->ctx));
		}
		add_item(o, "top_failures",
				      top_codes(f, m->fail_codes, m->n_fail_codes, 5));
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

static int
cmp_month(const void *a, const void *b)
{
	return strcmp(((const struct fleet_month *)a)->month, ((const struct fleet_month *)b)->month);
}

/* History by calendar month, oldest first ("unknown" last). */
static cJSON *
section_months(struct cbd_fleet *f)
{
	cJSON *months = cbd_json_check(cJSON_CreateArray());

	if (f->n_months)
		qsort(f->months, f->n_months, sizeof(*f->months), cmp_month);
	for (size_t i = 0; i < f->n_months; i++) {
		cJSON *o = cbd_json_check(cJSON_CreateObject());

		add_str(o, "month", f->months[i].month);
		add_num(o, "reports", f->months[i].reports);
		add_num(o, "failed_reports", f->months[i].failed);
		add_num(o, "fail_percent", cbd_view_pct(f->months[i].failed, f->months[i].reports));
		cJSON_AddItemToArray(months, o);
	}
	return months;
}

static cJSON *
section_skipped(struct cbd_fleet *f)
{
	cJSON *skipped = cbd_json_check(cJSON_CreateArray());

	if (f->n_sk)
		qsort(f->sk, f->n_sk, sizeof(*f->sk), cmp_skipped);
	for (size_t i = 0; i < f->n_sk; i++) {
		cJSON *o = cbd_json_check(cJSON_CreateObject());

		add_str(o, "path", f->sk[i].path);
		add_str(o, "reason", f->sk[i].reason);
		cJSON_AddItemToArray(skipped, o);
	}
	return skipped;
}

struct cbd_doc *
cbd_fleet_result(struct cbd_fleet *f)
{
	cJSON *root, *failing, *repeats, *list = NULL;
	struct counted *codes = cbd_realloc_array(NULL, f->names.n + 1, sizeof(*codes));
	struct model_acc *macc = cbd_zalloc((f->names.n + 1) * sizeof(*macc));
	struct cbd_doc *doc = cbd_zalloc(sizeof(*doc));

	pool.blocks = NULL;
	cJSON_InitHooks(&(cJSON_Hooks){.malloc_fn = pool_alloc, .free_fn = pool_free});
	root = cbd_json_check(cJSON_CreateObject());
	failing = cbd_json_check(cJSON_CreateArray());
	repeats = cbd_json_check(cJSON_CreateArray());
	if (f->list_devices)
		list = cbd_json_check(cJSON_CreateArray());
	if (f->names.n)
		memcpy(codes, f->codes, f->names.n * sizeof(*codes));
	/* each model's fail-severity codes, as counts of that model */
	for (size_t i = 0; i < f->mc.n; i++) {
		struct model_acc *m = &macc[f->mc.v[i].model];

		m->fail_codes = cbd_realloc_array(m->fail_codes, m->n_fail_codes + 1,
						  sizeof(*m->fail_codes));
		m->fail_codes[m->n_fail_codes++] = (struct counted){
			.id = f->mc.v[i].what, .count = f->mc.v[i].count, .fail = f->mc.v[i].count};
	}
	add_num(root, "reports", (double)f->n);
	add_num(root, "reports_without_device_identity", (double)f->anonymous);
	add_num(root, "skipped_files", (double)f->n_sk);
	add_item(root, "probes", section_probes(f));
	section_devices(f, macc, failing, repeats, list);
	add_num(root, "devices", (double)f->keys.n);
	add_item(root, "top_findings", top_codes(f, codes, f->names.n, 20));
	add_item(root, "models", section_models(f, macc));
	add_item(root, "still_failing", failing);
	add_item(root, "repeat_visitors", repeats);
	add_item(root, "months", section_months(f));
	if (f->enrolled && f->enrolled_section)
		add_item(root, "enrolled", f->enrolled_section(f));
	if (list)
		add_item(root, "device_list", list);
	add_item(root, "skipped", section_skipped(f));

	for (size_t id = 0; id < f->names.n; id++) {
		for (size_t i = 0; macc[id].measure && i < f->n_measures; i++)
			free(macc[id].measure[i].v);
		free(macc[id].measure);
		free(macc[id].fail_codes);
	}
	free(macc);
	free(codes);
	cJSON_InitHooks(NULL);
	doc->root = root;
	doc->blocks = steal_ptr(&pool.blocks);
	return doc;
}
