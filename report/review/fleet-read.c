/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Reading a fleet: thousands (or a million) small files, each read whole
 * (cbd_read_file), parsed and checked by the model exactly as `cbdiag
 * validate` does (cbd_doc_parse, cbd_doc_validate), reduced to its extract
 * without any lock, counted under the fleet's lock and dropped. Threads: as
 * many as there are cores, at most 8, take the files from a short queue that
 * the caller fills while it walks the folders: the paths are never all in
 * memory, and reading starts with the first file found.
 */
#include <errno.h>
#include <sys/stat.h>
#include <stdatomic.h>

#include "fleet.h"

/*
 * cJSON allocates each node and string on its own, so a report costs hundreds
 * of malloc()/free() pairs. While the workers run, cJSON's allocator is
 * swapped for a per-thread arena (its hooks are process-wide: nothing else
 * may use cJSON between cbd_fleet_reader_new() and cbd_fleet_reader_finish(),
 * which waits for the workers), and a document costs one arena reset instead.
 *
 * It pays: over 20,500 generated reports (tests/perf/bench-summary.sh) the
 * summary without the arena took 1.41x the CPU time (median 1.045 s against
 * 0.735 s, 15 alternating runs, 2 cores; docs/performance.md).
 */
struct arena_chunk {
	struct arena_chunk *next;
	size_t used, size;
	max_align_t data[];
};

static __thread struct arena_chunk *arena;

/* A chunk holds a typical report's tree several times over. Under
 * AddressSanitizer (the fuzzing build) every large malloc is a fresh mapping
 * whose pages and shadow are faulted in and cleared again: smaller chunks
 * keep the fuzzer's executions fast, at no cost to what it checks. */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ARENA_CHUNK (64u << 10)
#endif
#endif
#ifndef ARENA_CHUNK
#define ARENA_CHUNK (1u << 20)
#endif

static void *
arena_alloc(size_t size)
{
	struct arena_chunk *c = arena;

	size = (size + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
	if (!c || c->used + size > c->size) {
		size_t cap = size > ARENA_CHUNK ? size : ARENA_CHUNK;

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

/* Keep the newest chunk for the next document (unless @all), release the others. */
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

/* After each file: the document's tree (or what a failed parse left) is in
 * the arena; only the struct is on the heap. */
static void
doc_done(struct cbd_doc *doc)
{
	free(doc);
	arena_reset(false);
}

static char *
read_error(const char *path, int r)
{
	struct stat st;

	switch (r) {
	case -EINVAL: /* cbd_read_file opens regular files only: a FIFO would hang */
	case -EISDIR:
		return cbd_strdupf("%s, not a report file",
				   stat(path, &st) == 0 ? cbd_file_type_name(st.st_mode)
							: "not a regular file");
	case -EFBIG:
		return cbd_strdupf("larger than %u MiB", CBD_REPORT_MAX_BYTES >> 20);
	case -ENOENT:
	case -EACCES:
	case -ELOOP:
	case -ENOTDIR:
		return cbd_strdupf("cannot open: %s", strerror(-r));
	default:
		return cbd_strdupf("read error: %s", strerror(-r));
	}
}

#define QUEUE_LEN 1024
#define MAX_THREADS 8
#define PROGRESS_EVERY_US 200000

struct cbd_fleet_reader {
	struct cbd_fleet *f;
	pthread_mutex_t mu;
	pthread_cond_t not_empty, not_full;
	char *queue[QUEUE_LEN];
	size_t head, count;
	bool closed;
	size_t found;        /* paths given (caller's thread only) */
	atomic_size_t done;  /* files read */
	pthread_t threads[MAX_THREADS];
	size_t started;
	void (*progress)(size_t done, size_t found, void *userdata);
	void *userdata;
	uint64_t last_progress;
};

/* One file: read, parsed, validated, extracted (no lock), then counted or
 * skipped (under the fleet's lock). */
static void
read_one(struct cbd_fleet *f, const char *path, struct fleet_extract *x)
{
	_cleanup_free_ char *buf = NULL, *err = NULL;
	struct cbd_doc *doc = NULL;
	size_t len = 0;
	bool valid = false;
	int r;

	r = cbd_read_file(path, CBD_REPORT_MAX_BYTES, &buf, &len);
	if (r < 0)
		err = read_error(path, r);
	else if (cbd_doc_parse(buf, len, &doc, &err) == 0)
		valid = cbd_doc_validate(doc, &err) == 0;
	if (valid)
		fleet_extract(f, doc->root, x);
	pthread_mutex_lock(&f->lock);
	if (valid)
		fleet_add_extract(f, x, path);
	else
		fleet_add_skipped_locked(f, path, err);
	pthread_mutex_unlock(&f->lock);
	doc_done(doc);
}

static void
maybe_progress(struct cbd_fleet_reader *r, bool force)
{
	uint64_t now;

	if (!r->progress)
		return;
	now = cbd_now_mono_us();
	if (!force && now - r->last_progress < PROGRESS_EVERY_US)
		return;
	r->last_progress = now;
	r->progress(atomic_load(&r->done), r->found, r->userdata);
}

/* Take the next path from the queue; NULL when it is closed and empty. */
static char *
next_path(struct cbd_fleet_reader *r)
{
	char *path = NULL;

	pthread_mutex_lock(&r->mu);
	while (!r->count && !r->closed)
		pthread_cond_wait(&r->not_empty, &r->mu);
	if (r->count) {
		path = r->queue[r->head];
		r->head = (r->head + 1) % QUEUE_LEN;
		/* the walker, once the queue was full, waits for half of it to
		 * be free: one wake-up per QUEUE_LEN / 2 files, not one a file */
		if (--r->count == QUEUE_LEN / 2)
			pthread_cond_signal(&r->not_full);
	}
	pthread_mutex_unlock(&r->mu);
	return path;
}

/* A reader thread; the caller's thread too, once it has found every file
 * (@caller: it also reports progress). */
static void
drain(struct cbd_fleet_reader *r, bool caller)
{
	struct fleet_extract x = {0};

	for (char *path; (path = next_path(r));) {
		read_one(r->f, path, &x);
		free(path);
		atomic_fetch_add(&r->done, 1);
		if (caller)
			maybe_progress(r, false);
	}
	fleet_extract_clear(&x);
	arena_reset(true);
}

static void *
worker(void *userdata)
{
	drain(userdata, false);
	return NULL;
}

struct cbd_fleet_reader *
cbd_fleet_reader_new(struct cbd_fleet *f, void (*progress)(size_t done, size_t found, void *),
		     void *userdata)
{
	struct cbd_fleet_reader *r = cbd_zalloc(sizeof(*r));
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t nthreads = cpus < 1 ? 1 : cpus > MAX_THREADS ? MAX_THREADS : (size_t)cpus;

	r->f = f;
	r->progress = progress;
	r->userdata = userdata;
	r->last_progress = cbd_now_mono_us();
	pthread_mutex_init(&r->mu, NULL);
	pthread_cond_init(&r->not_empty, NULL);
	pthread_cond_init(&r->not_full, NULL);
	/* the schema must live on the ordinary heap, not in a worker's arena */
	cbd_schema_load();
	cJSON_InitHooks(&(cJSON_Hooks){.malloc_fn = arena_alloc, .free_fn = arena_free});
	for (size_t t = 0; t < nthreads; t++)
		if (pthread_create(&r->threads[r->started], NULL, worker, r) == 0)
			r->started++;
	return r;
}

void
cbd_fleet_reader_add(struct cbd_fleet_reader *r, const char *path)
{
	r->found++;
	if (!r->started) {
		/* no thread could start: read it here and now */
		struct fleet_extract x = {0};

		read_one(r->f, path, &x);
		fleet_extract_clear(&x);
		atomic_fetch_add(&r->done, 1);
		arena_reset(true);
	} else {
		pthread_mutex_lock(&r->mu);
		if (r->count == QUEUE_LEN)
			while (r->count > QUEUE_LEN / 2)
				pthread_cond_wait(&r->not_full, &r->mu);
		r->queue[(r->head + r->count) % QUEUE_LEN] = cbd_strdup(path);
		r->count++;
		pthread_cond_signal(&r->not_empty);
		pthread_mutex_unlock(&r->mu);
	}
	maybe_progress(r, false);
}

void
cbd_fleet_reader_finish(struct cbd_fleet_reader *r)
{
	pthread_mutex_lock(&r->mu);
	r->closed = true;
	pthread_cond_broadcast(&r->not_empty);
	pthread_mutex_unlock(&r->mu);
	drain(r, true);
	for (size_t t = 0; t < r->started; t++)
		pthread_join(r->threads[t], NULL);
	cJSON_InitHooks(NULL);
	maybe_progress(r, true);
	pthread_cond_destroy(&r->not_full);
	pthread_cond_destroy(&r->not_empty);
	pthread_mutex_destroy(&r->mu);
	free(r);
}

/* Fewer files than this are read in the caller's thread: starting threads
 * costs more than a few small reports take to read (and under
 * AddressSanitizer each thread started leaves some of the runtime's own
 * bookkeeping behind: a fuzz target that started two an input grew by
 * 0.4 KiB an input, to its memory limit within a campaign). */
#define FEW_FILES 16

void
cbd_fleet_add_files(struct cbd_fleet *f, const char *const *paths, size_t n)
{
	struct cbd_fleet_reader *r;

	if (n < FEW_FILES) {
		struct fleet_extract x = {0};

		cbd_schema_load();
		cJSON_InitHooks(&(cJSON_Hooks){.malloc_fn = arena_alloc, .free_fn = arena_free});
		for (size_t i = 0; i < n; i++)
			read_one(f, paths[i], &x);
		cJSON_InitHooks(NULL);
		fleet_extract_clear(&x);
		arena_reset(true);
		return;
	}
	r = cbd_fleet_reader_new(f, NULL, NULL);

	for (size_t i = 0; i < n; i++)
		cbd_fleet_reader_add(r, paths[i]);
	cbd_fleet_reader_finish(r);
}
