/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cbdiag summary: the fleet view over many reports. Each report is parsed,
 * validated, reduced to a small extract (device key, model, time, statuses,
 * finding codes, battery health) and dropped, so memory grows with the number
 * of reports, not their size. Strings that repeat (models, codes, probe
 * names, serials) are interned.
 *
 * "Current state" uses only the latest report of each device (by started_at);
 * history (failure rates, top findings, repeat visitors) uses all of them.
 */
#include "doc-json.h"
#include "review.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/stat.h>

/* ---- interning ----------------------------------------------------------- */

struct intern {
	char **strs;
	size_t n, cap;
	uint32_t *slots; /* open addressing: index + 1, 0 = empty */
	size_t nslots;
};

static uint64_t
hash(const char *s)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static void
intern_grow(struct intern *in)
{
	size_t n = in->nslots ? in->nslots * 2 : 1024;
	uint32_t *slots = cbd_zalloc(n * sizeof(*slots));

	for (size_t i = 0; i < in->n; i++) {
		size_t j = hash(in->strs[i]) & (n - 1);

		while (slots[j])
			j = (j + 1) & (n - 1);
		slots[j] = (uint32_t)i + 1;
	}
	free(in->slots);
	in->slots = slots;
	in->nslots = n;
}

static uint32_t
intern(struct intern *in, const char *s)
{
	size_t j;

	if (in->n * 2 >= in->nslots)
		intern_grow(in);
	for (j = hash(s) & (in->nslots - 1); in->slots[j]; j = (j + 1) & (in->nslots - 1))
		if (strcmp(in->strs[in->slots[j] - 1], s) == 0)
			return in->slots[j] - 1;
	if (in->n == in->cap) {
		in->cap = in->cap ? in->cap * 2 : 256;
		in->strs = cbd_realloc_array(in->strs, in->cap, sizeof(*in->strs));
	}
	in->strs[in->n] = cbd_strdup(s);
	in->slots[j] = (uint32_t)in->n + 1;
	return (uint32_t)in->n++;
}

static void
intern_clear(struct intern *in)
{
	for (size_t i = 0; i < in->n; i++)
		free(in->strs[i]);
	free(in->strs);
	free(in->slots);
}

/* ---- extracts ------------------------------------------------------------ */

#define NO_ID UINT32_MAX

struct pstat {
	uint32_t probe;
	uint8_t status; /* enum cbd_status */
};

struct fcode {
	uint32_t code;
	uint8_t severity; /* enum cbd_severity, the worst in the report */
	uint32_t probe;
};

struct entry {
	uint32_t key;   /* serial, else "asset:<tag>", else NO_ID */
	uint32_t model; /* interned, "unknown" when null */
	uint32_t path;
	char started_at[32];
	uint8_t overall;
	struct pstat *st;
	uint16_t n_st;
	struct fcode *fc;
	uint16_t n_fc;
	double health; /* NAN when unknown */
};

struct skipped {
	char *path;
	char *reason;
};

struct cbd_fleet {
	double warn, fail;
	struct intern strings;
	struct entry *e;
	size_t n, cap;
	struct skipped *sk;
	size_t n_sk;
};

struct cbd_fleet *
cbd_fleet_new(double health_warn, double health_fail)
{
	struct cbd_fleet *f = cbd_zalloc(sizeof(*f));

	f->warn = health_warn;
	f->fail = health_fail;
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
	}
	free(f->e);
	for (size_t i = 0; i < f->n_sk; i++) {
		free(f->sk[i].path);
		free(f->sk[i].reason);
	}
	free(f->sk);
	intern_clear(&f->strings);
	free(f);
}

void
cbd_fleet_add_skipped(struct cbd_fleet *f, const char *path, const char *reason)
{
	f->sk = cbd_realloc_array(f->sk, f->n_sk + 1, sizeof(*f->sk));
	f->sk[f->n_sk].path = cbd_strdup(path);
	f->sk[f->n_sk].reason = cbd_strdup(reason);
	f->n_sk++;
}

static void
extract(struct cbd_fleet *f, const cJSON *root, const char *path)
{
	const cJSON *dev = cbd_cj_obj(root, "device"), *p, *bat;
	struct entry *e;
	enum cbd_status s;
	size_t n_fc = 0;

	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 1024;
		f->e = cbd_realloc_array(f->e, f->cap, sizeof(*f->e));
	}
	e = &f->e[f->n++];
	*e = (struct entry){.key = NO_ID, .health = NAN};
	if (cbd_cj_str(dev, "serial"))
		e->key = intern(&f->strings, cbd_cj_str(dev, "serial"));
	else if (cbd_cj_str(dev, "asset_tag")) {
		_cleanup_free_ char *k = cbd_strdupf("asset:%s", cbd_cj_str(dev, "asset_tag"));

		e->key = intern(&f->strings, k);
	}
	e->model = intern(&f->strings, cbd_cj_str(dev, "model") ? cbd_cj_str(dev, "model") : "unknown");
	e->path = intern(&f->strings, path);
	snprintf(e->started_at, sizeof(e->started_at), "%s", cbd_cj_str(root, "started_at"));
	e->overall = cbd_status_from_string(cbd_cj_str(root, "overall"), &s) == 0 ? (uint8_t)s
									 : CBD_STATUS_ERROR;

	e->n_st = (uint16_t)cJSON_GetArraySize(cbd_cj_obj(root, "probes"));
	e->st = cbd_realloc_array(NULL, e->n_st ? e->n_st : 1, sizeof(*e->st));
	e->n_st = 0;
	cJSON_ArrayForEach(p, cbd_cj_obj(root, "probes"))
	{
		if (cbd_status_from_string(cbd_cj_str(p, "status"), &s) < 0)
			continue;
		e->st[e->n_st++] = (struct pstat){.probe = intern(&f->strings, p->string),
						  .status = (uint8_t)s};
		n_fc += (size_t)cJSON_GetArraySize(cbd_cj_obj(p, "findings"));
	}
	e->fc = cbd_realloc_array(NULL, n_fc ? n_fc : 1, sizeof(*e->fc));
	cJSON_ArrayForEach(p, cbd_cj_obj(root, "probes"))
	{
		const cJSON *fd;
		uint32_t probe = intern(&f->strings, p->string);

		cJSON_ArrayForEach(fd, cbd_cj_obj(p, "findings"))
		{
			enum cbd_severity sev;
			uint32_t code;
			bool dup = false;

			if (cbd_severity_from_string(cbd_cj_str(fd, "severity"), &sev) < 0)
				continue;
			code = intern(&f->strings, cbd_cj_str(fd, "code"));
			for (size_t i = 0; i < e->n_fc; i++)
				if (e->fc[i].code == code) { /* once per report, the worst severity */
					if (sev > e->fc[i].severity)
						e->fc[i].severity = (uint8_t)sev;
					dup = true;
				}
			if (!dup)
				e->fc[e->n_fc++] =
					(struct fcode){.code = code, .severity = (uint8_t)sev, .probe = probe};
		}
	}
	bat = cJSON_GetArrayItem(
	    cbd_cj_obj(cbd_cj_obj(cbd_cj_obj(cbd_cj_obj(root, "probes"), "battery"), "data"),
	               "batteries"),
	    0);
	if (cJSON_IsNumber(cbd_cj_obj(bat, "health_percent")))
		e->health = cbd_cj_obj(bat, "health_percent")->valuedouble;
}

/* ---- reading many reports fast ------------------------------------------ */

/*
 * A fleet is thousands of small files. Each worker thread reads a file, checks
 * its bytes, parses it into a per-thread arena (cJSON's allocation hooks: a
 * document costs one arena reset instead of hundreds of free() calls),
 * validates it against the schema exactly as `cbdiag validate` does, and
 * hands the tree to extract() under a lock.
 */

struct arena_chunk {
	struct arena_chunk *next;
	size_t used, size;
	max_align_t data[];
};

static __thread struct arena_chunk *arena;

static void *
arena_alloc(size_t size)
{
	struct arena_chunk *c = arena;

	size = (size + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
	if (!c || c->used + size > c->size) {
		size_t cap = size > (1u << 20) ? size : (1u << 20);

		c = malloc(sizeof(*c) + cap);
		if (!c)
			return NULL;
		c->size = cap;
		c->used = 0;
		c->next = arena;
		arena = c;
	}
	c->used += size;
	return (char *)c->data + c->used - size;
}

static void
arena_free(void *p)
{
	(void)p; /* released all at once by arena_reset() */
}

/* Keep the newest chunk for the next document, release the others. */
static void
arena_reset(bool all)
{
	struct arena_chunk *c = all ? arena : (arena ? arena->next : NULL);

	if (arena && !all) {
		arena->used = 0;
		arena->next = NULL;
	} else {
		arena = NULL;
	}
	while (c) {
		struct arena_chunk *next = c->next;

		free(c);
		c = next;
	}
}

/* Read a whole file into *buf (grown as needed, at most CBD_REPORT_MAX_BYTES). */
static ssize_t
slurp(const char *path, char **buf, size_t *cap, char *err, size_t errsize)
{
	mode_t mode = 0;
	int fd = cbd_open_regular(path, &mode); /* a FIFO in the folder: no hang */
	struct stat st;
	size_t len = 0;

	if (fd == -EINVAL || fd == -EISDIR) {
		snprintf(err, errsize, "%s, not a report file", cbd_file_type_name(mode));
		return -1;
	}
	if (fd < 0) {
		snprintf(err, errsize, "cannot open: %s", strerror(-fd));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    (uint64_t)st.st_size > CBD_REPORT_MAX_BYTES) {
		snprintf(err, errsize, S_ISREG(st.st_mode) ? "larger than %u MiB"
							   : "not a regular file",
			 CBD_REPORT_MAX_BYTES >> 20);
		close(fd);
		return -1;
	}
	for (;;) {
		ssize_t n;

		if (len == *cap) {
			if (*cap >= CBD_REPORT_MAX_BYTES) {
				snprintf(err, errsize, "larger than %u MiB", CBD_REPORT_MAX_BYTES >> 20);
				close(fd);
				return -1;
			}
			*cap = *cap ? *cap * 2 : 65536;
			*buf = cbd_realloc_array(*buf, *cap, 1);
		}
		n = read(fd, *buf + len, *cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(err, errsize, "read error: %s", strerror(errno));
			close(fd);
			return -1;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	return (ssize_t)len;
}

struct work {
	struct cbd_fleet *f;
	const char *const *paths;
	size_t n;
	atomic_size_t next;
	pthread_mutex_t lock;
};

static void *
worker(void *userdata)
{
	struct work *w = userdata;
	char *buf = NULL;
	size_t cap = 0;

	for (;;) {
		size_t i = atomic_fetch_add(&w->next, 1);
		const char *path;
		const char *end = NULL;
		cJSON *root = NULL;
		char rerr[600];
		_cleanup_free_ char *err = NULL;
		ssize_t len;

		if (i >= w->n)
			break;
		path = w->paths[i];
		len = slurp(path, &buf, &cap, rerr, sizeof(rerr));
		if (len < 0)
			err = cbd_strdup(rerr);
		else if (cbd_report_text_check(buf, (size_t)len, &err) == 0) {
			root = cJSON_ParseWithLengthOpts(buf, (size_t)len, &end, false);
			while (root && end < buf + len &&
			       (*end == ' ' || *end == '\n' || *end == '\r' || *end == '\t'))
				end++;
			if (!root || end < buf + len) {
				err = cbd_strdup("not valid JSON");
				root = NULL;
			} else {
				struct cbd_doc d = {.root = root};

				if (cbd_doc_validate(&d, &err) < 0)
					root = NULL; /* the same rules as cbdiag validate */
			}
		}
		pthread_mutex_lock(&w->lock);
		if (root)
			extract(w->f, root, path);
		else
			cbd_fleet_add_skipped(w->f, path, err);
		pthread_mutex_unlock(&w->lock);
		arena_reset(false);
	}
	arena_reset(true);
	free(buf);
	return NULL;
}

void
cbd_fleet_add_files(struct cbd_fleet *f, const char *const *paths, size_t n)
{
	cJSON_Hooks arena_hooks = {.malloc_fn = arena_alloc, .free_fn = arena_free};
	struct work w = {.f = f, .paths = paths, .n = n};
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t nthreads = cpus < 1 ? 1 : cpus > 8 ? 8 : (size_t)cpus;
	pthread_t threads[8];
	size_t started = 0;

	if (nthreads > n)
		nthreads = n ? n : 1;
	pthread_mutex_init(&w.lock, NULL);
	/* the schema must live on the ordinary heap, not in a worker's arena */
	cbd_schema_load();
	/* cJSON's hooks are process-wide: only the workers allocate while they are set */
	cJSON_InitHooks(&arena_hooks);
	for (size_t t = 1; t < nthreads; t++)
		if (pthread_create(&threads[started], NULL, worker, &w) == 0)
			started++;
	worker(&w);
	for (size_t t = 0; t < started; t++)
		pthread_join(threads[t], NULL);
	cJSON_InitHooks(NULL);
	pthread_mutex_destroy(&w.lock);
}

void
cbd_fleet_add_file(struct cbd_fleet *f, const char *path)
{
	cbd_fleet_add_files(f, &path, 1);
}

/* ---- aggregation -------------------------------------------------------- */

static int
cmp_skipped(const void *a, const void *b)
{
	return strcmp(((const struct skipped *)a)->path, ((const struct skipped *)b)->path);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

struct counted {
	uint32_t id;
	uint32_t count, fail, warn, info;
};

/* interned ids depend on which thread read what first: ties and orders are
 * broken by the strings themselves, so the output is the same every run */
static const struct cbd_fleet *sort_fleet;

static int
cmp_counted(const void *a, const void *b)
{
	const struct counted *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return strcmp(sort_fleet->strings.strs[x->id], sort_fleet->strings.strs[y->id]);
}

/* counts indexed by interned id */
static struct counted *
counts_new(const struct cbd_fleet *f)
{
	struct counted *c = cbd_zalloc((f->strings.n + 1) * sizeof(*c));

	for (size_t i = 0; i < f->strings.n; i++)
		c[i].id = (uint32_t)i;
	return c;
}

static cJSON *
top_codes(const struct cbd_fleet *f, struct counted *c, size_t limit)
{
	cJSON *arr = cbd_cjson_check(cJSON_CreateArray());
	size_t n = f->strings.n;

	qsort(c, n, sizeof(*c), cmp_counted);
	for (size_t i = 0; i < n && i < limit && c[i].count; i++) {
		cJSON *o = cbd_cjson_check(cJSON_CreateObject());

		cJSON_AddStringToObject(o, "code", f->strings.strs[c[i].id]);
		cJSON_AddNumberToObject(o, "reports", c[i].count);
		cJSON_AddNumberToObject(o, "fail", c[i].fail);
		cJSON_AddNumberToObject(o, "warn", c[i].warn);
		cJSON_AddNumberToObject(o, "info", c[i].info);
		cJSON_AddItemToArray(arr, o);
	}
	return arr;
}

static void
count_codes(struct counted *c, const struct entry *e, bool fail_only)
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

static double
round1(double x)
{
	return round(x * 10.0) / 10.0;
}

static void
add_pct(cJSON *o, const char *key, size_t part, size_t whole)
{
	cJSON_AddNumberToObject(o, key, whole ? round1(100.0 * (double)part / (double)whole) : 0);
}

/* sort entries of one device together (by serial), oldest first */
static int
cmp_entry(const void *a, const void *b)
{
	const struct entry *x = *(const struct entry *const *)a, *y = *(const struct entry *const *)b;
	int r;

	if (x->key != y->key) {
		if (x->key == NO_ID || y->key == NO_ID)
			return x->key == NO_ID ? -1 : 1;
		return strcmp(sort_fleet->strings.strs[x->key], sort_fleet->strings.strs[y->key]);
	}
	r = strcmp(x->started_at, y->started_at);
	if (r)
		return r;
	return strcmp(sort_fleet->strings.strs[x->path], sort_fleet->strings.strs[y->path]);
}

static bool
probe_failed(const struct entry *e, uint32_t probe)
{
	for (size_t i = 0; i < e->n_st; i++)
		if (e->st[i].probe == probe && e->st[i].status == CBD_STATUS_FAIL)
			return true;
	return false;
}

struct model_acc {
	uint32_t devices;
	double *health;
	size_t n_health;
	uint32_t still_failing;
};

struct cbd_doc *
cbd_fleet_result(struct cbd_fleet *f)
{
	cJSON *root = cbd_cjson_check(cJSON_CreateObject());
	cJSON *probes, *models, *failing, *repeats, *skipped;
	struct entry **byd = cbd_realloc_array(NULL, f->n + 1, sizeof(*byd));
	struct counted *codes = counts_new(f);
	struct model_acc *macc = cbd_zalloc((f->strings.n + 1) * sizeof(*macc));
	struct counted **mcodes = cbd_zalloc((f->strings.n + 1) * sizeof(*mcodes));
	uint32_t (*pst)[CBD_STATUS_N] = cbd_zalloc((f->strings.n + 1) * sizeof(*pst));
	bool *is_probe = cbd_zalloc(f->strings.n + 1);
	size_t devices = 0, anonymous = 0;
	struct cbd_doc *doc = cbd_zalloc(sizeof(*doc));

	sort_fleet = f;
	/* history */
	for (size_t i = 0; i < f->n; i++) {
		const struct entry *e = &f->e[i];

		byd[i] = &f->e[i];
		count_codes(codes, e, false);
		for (size_t j = 0; j < e->n_st; j++) {
			pst[e->st[j].probe][e->st[j].status]++;
			is_probe[e->st[j].probe] = true;
		}
		if (!mcodes[e->model])
			mcodes[e->model] = counts_new(f);
		count_codes(mcodes[e->model], e, true);
		anonymous += e->key == NO_ID;
	}

	/* probes in the order of the first report that names them (reports share it) */
	size_t *probe_order = cbd_zalloc((f->strings.n + 1) * sizeof(size_t));
	{
		size_t n_order = 0;
		bool *placed = cbd_zalloc(f->strings.n + 1);

		for (size_t i = 0; i < f->n; i++)
			for (size_t j = 0; j < f->e[i].n_st; j++)
				if (!placed[f->e[i].st[j].probe]) {
					placed[f->e[i].st[j].probe] = true;
					probe_order[n_order++] = f->e[i].st[j].probe;
				}
		for (size_t id = 0; id < f->strings.n; id++)
			if (!placed[id])
				probe_order[n_order++] = id;
		free(placed);
	}
	cJSON_AddNumberToObject(root, "reports", (double)f->n);
	cJSON_AddNumberToObject(root, "reports_without_device_identity", (double)anonymous);
	cJSON_AddNumberToObject(root, "skipped_files", (double)f->n_sk);
	probes = cbd_cjson_check(cJSON_AddArrayToObject(root, "probes"));
	for (size_t k = 0, id; k < f->strings.n; k++) {
		id = probe_order[k];
		size_t total = 0;
		cJSON *o;

		if (!is_probe[id])
			continue;
		for (int s = 0; s < CBD_STATUS_N; s++)
			total += pst[id][s];
		o = cbd_cjson_check(cJSON_CreateObject());
		cJSON_AddStringToObject(o, "name", f->strings.strs[id]);
		cJSON_AddNumberToObject(o, "reports", (double)total);
		for (int s = 0; s < CBD_STATUS_N; s++)
			cJSON_AddNumberToObject(o, cbd_status_to_string(s), pst[id][s]);
		add_pct(o, "fail_percent", pst[id][CBD_STATUS_FAIL], total);
		add_pct(o, "warn_percent", pst[id][CBD_STATUS_WARN], total);
		cJSON_AddItemToArray(probes, o);
	}

	/* per device: latest report = current state; repeat visitors */
	qsort(byd, f->n, sizeof(*byd), cmp_entry);
	failing = cbd_cjson_check(cJSON_CreateArray());
	repeats = cbd_cjson_check(cJSON_CreateArray());
	for (size_t i = 0; i < f->n;) {
		size_t j = i;
		const struct entry *latest;

		while (j < f->n && byd[j]->key == byd[i]->key)
			j++;
		if (byd[i]->key == NO_ID) { /* reports that name no device: history only */
			i = j;
			continue;
		}
		devices++;
		latest = byd[j - 1];
		macc[latest->model].devices++;
		if (!isnan(latest->health)) {
			struct model_acc *m = &macc[latest->model];

			m->health = cbd_realloc_array(m->health, m->n_health + 1, sizeof(double));
			m->health[m->n_health++] = latest->health;
		}
		if (latest->overall == CBD_STATUS_FAIL) {
			cJSON *o = cbd_cjson_check(cJSON_CreateObject());
			cJSON *parts = cbd_cjson_check(cJSON_CreateArray());

			macc[latest->model].still_failing++;
			cJSON_AddStringToObject(o, "device", f->strings.strs[latest->key]);
			cJSON_AddStringToObject(o, "model", f->strings.strs[latest->model]);
			cJSON_AddStringToObject(o, "started_at", latest->started_at);
			cJSON_AddStringToObject(o, "path", f->strings.strs[latest->path]);
			for (size_t k = 0; k < latest->n_st; k++)
				if (latest->st[k].status == CBD_STATUS_FAIL)
					cJSON_AddItemToArray(parts, cJSON_CreateString(
						f->strings.strs[latest->st[k].probe]));
			cJSON_AddItemToObject(o, "failed", parts);
			cJSON_AddItemToArray(failing, o);
		}
		/* the same part failing in more than one visit */
		for (size_t a = i; a < j; a++)
			for (size_t s = 0; s < byd[a]->n_st; s++) {
				uint32_t probe = byd[a]->st[s].probe;
				size_t times = 0, first = a, seen_before = 0;

				if (byd[a]->st[s].status != CBD_STATUS_FAIL)
					continue;
				for (size_t b = i; b < a; b++)
					seen_before += probe_failed(byd[b], probe);
				if (seen_before)
					continue; /* counted from its first failure */
				for (size_t b = a; b < j; b++)
					times += probe_failed(byd[b], probe);
				if (times >= 2) {
					cJSON *o = cbd_cjson_check(cJSON_CreateObject());
					size_t last = first;

					for (size_t b = a; b < j; b++)
						if (probe_failed(byd[b], probe))
							last = b;
					cJSON_AddStringToObject(o, "device",
								f->strings.strs[byd[a]->key]);
					cJSON_AddStringToObject(o, "model",
								f->strings.strs[byd[a]->model]);
					cJSON_AddStringToObject(o, "probe", f->strings.strs[probe]);
					cJSON_AddNumberToObject(o, "failed_reports", (double)times);
					cJSON_AddStringToObject(o, "first", byd[first]->started_at);
					cJSON_AddStringToObject(o, "last", byd[last]->started_at);
					cJSON_AddItemToArray(repeats, o);
				}
			}
		i = j;
	}
	cJSON_AddNumberToObject(root, "devices", (double)devices);
	cJSON_AddItemToObject(root, "top_findings", top_codes(f, codes, 20));

	models = cbd_cjson_check(cJSON_AddArrayToObject(root, "models"));
	{
		/* models by number of devices */
		struct counted *order = counts_new(f);

		for (size_t id = 0; id < f->strings.n; id++)
			order[id].count = macc[id].devices;
		qsort(order, f->strings.n, sizeof(*order), cmp_counted);
		for (size_t k = 0; k < f->strings.n && order[k].count; k++) {
			uint32_t id = order[k].id;
			struct model_acc *m = &macc[id];
			cJSON *o = cbd_cjson_check(cJSON_CreateObject());
			cJSON *bh = cbd_cjson_check(cJSON_CreateObject());
			size_t below_warn = 0, below_fail = 0;

			cJSON_AddStringToObject(o, "model", f->strings.strs[id]);
			cJSON_AddNumberToObject(o, "devices", m->devices);
			cJSON_AddNumberToObject(o, "still_failing", m->still_failing);
			cJSON_AddNumberToObject(bh, "devices_with_health", (double)m->n_health);
			if (m->n_health) {
				size_t n = m->n_health;

				qsort(m->health, n, sizeof(double), cmp_double);
				cJSON_AddNumberToObject(
					bh, "median",
					round1(n % 2 ? m->health[n / 2]
						     : (m->health[n / 2 - 1] + m->health[n / 2]) / 2));
				/* nearest rank */
				cJSON_AddNumberToObject(bh, "p10",
							round1(m->health[(size_t)ceil(0.1 * (double)n) - 1]));
				for (size_t h = 0; h < n; h++) {
					below_warn += m->health[h] < f->warn;
					below_fail += m->health[h] < f->fail;
				}
				add_pct(bh, "below_warn_percent", below_warn, n);
				add_pct(bh, "below_fail_percent", below_fail, n);
			} else {
				cJSON_AddNullToObject(bh, "median");
				cJSON_AddNullToObject(bh, "p10");
				cJSON_AddNullToObject(bh, "below_warn_percent");
				cJSON_AddNullToObject(bh, "below_fail_percent");
			}
			cJSON_AddNumberToObject(bh, "warn_line", f->warn);
			cJSON_AddNumberToObject(bh, "fail_line", f->fail);
			cJSON_AddItemToObject(o, "battery_health", bh);
			cJSON_AddItemToObject(o, "top_failures",
					      mcodes[id] ? top_codes(f, mcodes[id], 5)
							 : cbd_cjson_check(cJSON_CreateArray()));
			cJSON_AddItemToArray(models, o);
		}
		free(order);
	}
	cJSON_AddItemToObject(root, "still_failing", failing);
	cJSON_AddItemToObject(root, "repeat_visitors", repeats);
	skipped = cbd_cjson_check(cJSON_AddArrayToObject(root, "skipped"));
	if (f->n_sk)
		qsort(f->sk, f->n_sk, sizeof(*f->sk), cmp_skipped);
	for (size_t i = 0; i < f->n_sk; i++) {
		cJSON *o = cbd_cjson_check(cJSON_CreateObject());

		cJSON_AddStringToObject(o, "path", f->sk[i].path);
		cJSON_AddStringToObject(o, "reason", f->sk[i].reason);
		cJSON_AddItemToArray(skipped, o);
	}

	for (size_t id = 0; id < f->strings.n; id++) {
		free(macc[id].health);
		free(mcodes[id]);
	}
	free(macc);
	free(mcodes);
	free(pst);
	free(is_probe);
	free(probe_order);
	free(codes);
	free(byd);
	doc->root = root;
	return doc;
}

/* ---- text ---------------------------------------------------------------- */

static double
n_of(const cJSON *o, const char *key)
{
	const cJSON *v = cbd_cj_obj(o, key);

	return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

static void
put(FILE *out, const char *s)
{
	cbd_text_put_safe(out, s ? s : "");
}

void
cbd_fleet_render_text(const struct cbd_doc *summary, FILE *out, int max_rows)
{
	const cJSON *r = summary->root, *x;
	int k;

	fprintf(out, "Fleet: %.0f reports, %.0f devices", n_of(r, "reports"), n_of(r, "devices"));
	if (n_of(r, "reports_without_device_identity"))
		fprintf(out, ", %.0f reports without a serial or asset tag",
			n_of(r, "reports_without_device_identity"));
	if (n_of(r, "skipped_files"))
		fprintf(out, ", %.0f files skipped", n_of(r, "skipped_files"));
	fputs("\n\nFailure rate per probe (all reports)\n", out);
	fprintf(out, "  %-10s %8s %7s %7s %7s\n", "probe", "reports", "fail", "warn", "error");
	cJSON_ArrayForEach(x, cbd_cj_obj(r, "probes"))
	{
		fputs("  ", out);
		put(out, cbd_cj_str(x, "name"));
		fprintf(out, "%*s %8.0f %6.1f%% %6.1f%% %7.0f\n",
			(int)(10 - strlen(cbd_cj_str(x, "name"))) > 0 ? (int)(10 - strlen(cbd_cj_str(x, "name"))) : 0,
			"", n_of(x, "reports"), n_of(x, "fail_percent"), n_of(x, "warn_percent"),
			n_of(x, "error"));
	}
	fputs("\nTop findings (reports)\n", out);
	k = 0;
	cJSON_ArrayForEach(x, cbd_cj_obj(r, "top_findings"))
	{
		if (k++ == max_rows)
			break;
		fputs("  ", out);
		put(out, cbd_cj_str(x, "code"));
		fprintf(out, "  %.0f (fail %.0f, warn %.0f)\n", n_of(x, "reports"), n_of(x, "fail"),
			n_of(x, "warn"));
	}
	fputs("\nPer model (latest report of each device)\n", out);
	cJSON_ArrayForEach(x, cbd_cj_obj(r, "models"))
	{
		const cJSON *bh = cbd_cj_obj(x, "battery_health"), *t;
		bool first = true;

		fputs("  ", out);
		put(out, cbd_cj_str(x, "model"));
		fprintf(out, ": %.0f devices, %.0f still failing", n_of(x, "devices"),
			n_of(x, "still_failing"));
		if (cJSON_IsNumber(cbd_cj_obj(bh, "median")))
			fprintf(out, "; battery health median %.1f%%, p10 %.1f%%, %.1f%% below %.0f%%, "
				     "%.1f%% below %.0f%%",
				n_of(bh, "median"), n_of(bh, "p10"), n_of(bh, "below_warn_percent"),
				n_of(bh, "warn_line"), n_of(bh, "below_fail_percent"),
				n_of(bh, "fail_line"));
		fputc('\n', out);
		cJSON_ArrayForEach(t, cbd_cj_obj(x, "top_failures"))
		{
			fputs(first ? "    top failures: " : ", ", out);
			put(out, cbd_cj_str(t, "code"));
			fprintf(out, " (%.0f)", n_of(t, "reports"));
			first = false;
		}
		if (!first)
			fputc('\n', out);
	}
	fprintf(out, "\nStill failing (latest report fails): %d devices\n",
		cJSON_GetArraySize(cbd_cj_obj(r, "still_failing")));
	k = 0;
	cJSON_ArrayForEach(x, cbd_cj_obj(r, "still_failing"))
	{
		const cJSON *p;

		if (k++ == max_rows) {
			fprintf(out, "  ... (--json lists all)\n");
			break;
		}
		fputs("  ", out);
		put(out, cbd_cj_str(x, "device"));
		fputs("  ", out);
		put(out, cbd_cj_str(x, "model"));
		fputs("  ", out);
		put(out, cbd_cj_str(x, "started_at"));
		fputs("  failed:", out);
		cJSON_ArrayForEach(p, cbd_cj_obj(x, "failed"))
		{
			fputc(' ', out);
			put(out, p->valuestring);
		}
		fputc('\n', out);
	}
	fprintf(out, "\nRepeat visitors (the same part failed in more than one visit): %d\n",
		cJSON_GetArraySize(cbd_cj_obj(r, "repeat_visitors")));
	k = 0;
	cJSON_ArrayForEach(x, cbd_cj_obj(r, "repeat_visitors"))
	{
		if (k++ == max_rows) {
			fprintf(out, "  ... (--json lists all)\n");
			break;
		}
		fputs("  ", out);
		put(out, cbd_cj_str(x, "device"));
		fputs("  ", out);
		put(out, cbd_cj_str(x, "model"));
		fputs("  ", out);
		put(out, cbd_cj_str(x, "probe"));
		fprintf(out, " failed %.0f times, ", n_of(x, "failed_reports"));
		put(out, cbd_cj_str(x, "first"));
		fputs(" .. ", out);
		put(out, cbd_cj_str(x, "last"));
		fputc('\n', out);
	}
	if (cJSON_GetArraySize(cbd_cj_obj(r, "skipped"))) {
		fputs("\nSkipped files\n", out);
		k = 0;
		cJSON_ArrayForEach(x, cbd_cj_obj(r, "skipped"))
		{
			if (k++ == max_rows) {
				fprintf(out, "  ... (--json lists all)\n");
				break;
			}
			fputs("  ", out);
			put(out, cbd_cj_str(x, "path"));
			fputs(": ", out);
			put(out, cbd_cj_str(x, "reason"));
			fputc('\n', out);
		}
	}
}
