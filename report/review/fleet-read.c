/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Reading a fleet: thousands of small files, each read whole (cbd_read_file),
 * parsed and checked by the model exactly as `cbdiag validate` does
 * (cbd_doc_parse, cbd_doc_validate), reduced to its extract under the fleet's
 * lock and dropped. Threads: as many as there are cores, at most 8; each takes
 * the next file from a shared counter.
 */
#include <errno.h>
#include <sys/stat.h>
#include <stdatomic.h>

#include "fleet.h"

/*
 * cJSON allocates each node and string on its own, so a report costs hundreds
 * of malloc()/free() pairs. While the workers run, cJSON's allocator is
 * swapped for a per-thread arena (its hooks are process-wide: nothing else
 * may use cJSON meanwhile, cbd_fleet_add_files() does not return before the
 * workers end), and a document costs one arena reset instead.
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

struct work {
	struct cbd_fleet *f;
	const char *const *paths;
	size_t n;
	atomic_size_t next;
};

static void *
worker(void *userdata)
{
	struct work *w = userdata;

	for (size_t i; (i = atomic_fetch_add(&w->next, 1)) < w->n;) {
		const char *path = w->paths[i];
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
		pthread_mutex_lock(&w->f->lock);
		if (valid)
			fleet_add_report(w->f, doc->root, path);
		else
			fleet_add_skipped_locked(w->f, path, err);
		pthread_mutex_unlock(&w->f->lock);
		doc_done(doc);
	}
	arena_reset(true);
	return NULL;
}

void
cbd_fleet_add_files(struct cbd_fleet *f, const char *const *paths, size_t n)
{
	struct work w = {.f = f, .paths = paths, .n = n};
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t nthreads = cpus < 1 ? 1 : cpus > 8 ? 8 : (size_t)cpus;
	pthread_t threads[8];
	size_t started = 0;

	if (nthreads > n)
		nthreads = n ? n : 1;
	/* the schema must live on the ordinary heap, not in a worker's arena */
	cbd_schema_load();
	cJSON_InitHooks(&(cJSON_Hooks){.malloc_fn = arena_alloc, .free_fn = arena_free});
	for (size_t t = 1; t < nthreads; t++)
		if (pthread_create(&threads[started], NULL, worker, &w) == 0)
			started++;
	worker(&w);
	for (size_t t = 0; t < started; t++)
		pthread_join(threads[t], NULL);
	cJSON_InitHooks(NULL);
}
