/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The offline queue: one directory per waiting report. See helpdesk.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>

#include "helpdesk.h"
#include "doc-json.h"
#include "report.h"

#define ENTRY_FILE "entry.json"
#define REPORT_FILE "report.json"
#define ENTRY_MAX_BYTES (64u * 1024u)

void
cbd_queue_entry_clear(struct cbd_queue_entry *e)
{
	free(e->name);
	free(e->dir);
	free(e->report);
	free(e->report_id);
	free(e->filename);
	free(e->serial);
	free(e->ticket);
	free(e->last_error);
	*e = (struct cbd_queue_entry){0};
}

void
cbd_queue_entries_free(struct cbd_queue_entry *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		cbd_queue_entry_clear(&v[i]);
	free(v);
}

int64_t
cbd_queue_backoff_s(unsigned attempts)
{
	/* 1 min, 2, 4, … up to an hour between automatic attempts */
	int64_t s = 60;

	for (unsigned i = 1; i < attempts && s < 3600; i++)
		s *= 2;
	return s < 3600 ? s : 3600;
}

static void
put_str(cJSON *o, const char *key, const char *v)
{
	if (v)
		cbd_cjson_check(cJSON_AddStringToObject(o, key, v));
	else
		cbd_cjson_check(cJSON_AddNullToObject(o, key));
}

static char *
entry_to_json(const struct cbd_queue_entry *e)
{
	cJSON *o = cbd_cjson_check(cJSON_CreateObject());
	char *s;

	cbd_cjson_check(cJSON_AddNumberToObject(o, "version", 1));
	put_str(o, "report_id", e->report_id);
	put_str(o, "filename", e->filename);
	put_str(o, "serial", e->serial);
	put_str(o, "ticket", e->ticket);
	cbd_cjson_check(cJSON_AddBoolToObject(o, "create", e->create));
	cbd_cjson_check(cJSON_AddBoolToObject(o, "held", e->held));
	cbd_cjson_check(cJSON_AddNumberToObject(o, "attempts", e->attempts));
	cbd_cjson_check(cJSON_AddNumberToObject(o, "enqueued_at", (double)e->enqueued_at));
	cbd_cjson_check(cJSON_AddNumberToObject(o, "last_attempt_at", (double)e->last_attempt_at));
	cbd_cjson_check(cJSON_AddNumberToObject(o, "next_attempt_at", (double)e->next_attempt_at));
	put_str(o, "last_error", e->last_error);
	s = cJSON_Print(o);
	cJSON_Delete(o);
	if (!s)
		abort();
	return s;
}

static bool
get_str(const cJSON *o, const char *key, bool nullable, char **ret)
{
	const cJSON *v = cbd_cj_obj(o, key);

	if (nullable && (!v || cJSON_IsNull(v))) {
		*ret = NULL;
		return true;
	}
	if (!cJSON_IsString(v) || strlen(v->valuestring) > 1024)
		return false;
	*ret = cbd_text_sanitize(v->valuestring);
	return true;
}

static bool
get_num(const cJSON *o, const char *key, double max, int64_t *ret)
{
	const cJSON *v = cbd_cj_obj(o, key);

	if (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > max ||
	    v->valuedouble != (double)(int64_t)v->valuedouble)
		return false;
	*ret = (int64_t)v->valuedouble;
	return true;
}

bool
cbd_queue_entry_parse(const char *text, size_t len, struct cbd_queue_entry *e)
{
	cJSON *o = cJSON_ParseWithLength(text, len);
	int64_t attempts = 0;
	bool ok;

	ok = cJSON_IsObject(o) && get_str(o, "report_id", false, &e->report_id) &&
	     get_str(o, "filename", false, &e->filename) &&
	     get_str(o, "serial", true, &e->serial) && get_str(o, "ticket", true, &e->ticket) &&
	     get_str(o, "last_error", true, &e->last_error) &&
	     cJSON_IsBool(cbd_cj_obj(o, "create")) && cJSON_IsBool(cbd_cj_obj(o, "held")) &&
	     get_num(o, "attempts", 1e6, &attempts) &&
	     get_num(o, "enqueued_at", 1e11, &e->enqueued_at) &&
	     get_num(o, "last_attempt_at", 1e11, &e->last_attempt_at) &&
	     get_num(o, "next_attempt_at", 1e11, &e->next_attempt_at);
	if (ok) {
		e->create = cJSON_IsTrue(cbd_cj_obj(o, "create"));
		e->held = cJSON_IsTrue(cbd_cj_obj(o, "held"));
		e->attempts = (unsigned)attempts;
		/* the file name travels to the help desk: it must be one we would make */
		ok = !strchr(e->filename, '/') && strncmp(e->filename, "cbdiag-", 7) == 0;
	}
	cJSON_Delete(o);
	return ok;
}

int
cbd_queue_add(const char *dir, const struct cbd_hd_item *item, const char *ticket, bool create,
	      const char *reason, char **ret_name, char **ret_err)
{
	struct cbd_queue_entry e = {0};
	_cleanup_free_ char *tmp = NULL, *final = NULL, *data = NULL, *meta = NULL;
	_cleanup_free_ char *rpath = NULL, *mpath = NULL, *err = NULL, *name = NULL;
	_cleanup_close_ int tmp_fd = -1;
	struct timespec now;
	char stamp[32];
	size_t len = 0;
	struct tm tm;
	int r;

	r = cbd_mkdir_p(dir, 0700);
	if (r < 0) {
		*ret_err = cbd_strdupf("cannot create the queue directory %s: %s", dir, strerror(-r));
		return r;
	}
	(void)cbd_clean_leftovers(dir, CBD_CLEAN_QUEUE_DIRS, NULL); /* of killed writers */
	r = cbd_read_file(item->path, CBD_REPORT_MAX_BYTES, &data, &len);
	if (r < 0) {
		*ret_err = cbd_strdupf("cannot read %s: %s", item->path, strerror(-r));
		return r;
	}
	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%S", &tm);
	name = cbd_strdupf("%s.%09ldZ-%s", stamp, now.tv_nsec, item->report_id);
	cbd_filename_safe(name);
	tmp = cbd_strdupf("%s/.new-%ld-%s", dir, (long)getpid(), name); /* pid: see cbd_clean_leftovers */
	final = cbd_strdupf("%s/%s", dir, name);
	if (mkdir(tmp, 0700) < 0) {
		r = -errno;
		*ret_err = cbd_strdupf("cannot queue the report in %s: %s", dir, strerror(-r));
		return r;
	}
	/* locked while half-built: cbd_clean_leftovers() takes only unlocked ones */
	tmp_fd = open(tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (tmp_fd >= 0)
		(void)flock(tmp_fd, LOCK_EX);
	e.report_id = item->report_id;
	e.filename = item->filename;
	e.serial = item->serial;
	e.ticket = (char *)ticket;
	e.create = create;
	e.enqueued_at = now.tv_sec;
	e.last_attempt_at = reason ? now.tv_sec : 0;
	e.attempts = reason ? 1 : 0;
	/* the next run --attach tries it at once; backoff starts from its next failure */
	e.next_attempt_at = 0;
	e.last_error = (char *)reason;
	meta = entry_to_json(&e);
	rpath = cbd_strdupf("%s/" REPORT_FILE, tmp);
	mpath = cbd_strdupf("%s/" ENTRY_FILE, tmp);
	if ((r = cbd_write_file_atomic(rpath, data, len, &err)) < 0 ||
	    (r = cbd_write_file_atomic(mpath, meta, strlen(meta), &err)) < 0) {
		*ret_err = cbd_strdupf("cannot queue the report: %s", err);
		unlink(rpath);
		unlink(mpath);
		rmdir(tmp);
		return r;
	}
	if (rename(tmp, final) < 0) {
		r = -errno;
		*ret_err = cbd_strdupf("cannot queue the report in %s: %s", dir, strerror(-r));
		unlink(rpath);
		unlink(mpath);
		rmdir(tmp);
		return r;
	}
	{
		_cleanup_close_ int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		if (dfd >= 0)
			(void)fsync(dfd);
	}
	if (ret_name)
		*ret_name = steal_ptr(&name);
	return 0;
}

static int
cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct cbd_queue_entry *)a)->name,
		      ((const struct cbd_queue_entry *)b)->name);
}

int
cbd_queue_list(const char *dir, struct cbd_queue_entry **ret, size_t *ret_n, char **ret_err)
{
	DIR *d = opendir(dir);
	struct cbd_queue_entry *v = NULL;
	struct dirent *de;
	size_t n = 0;

	*ret = NULL;
	*ret_n = 0;
	/* what killed writers left: half-built (.new-*), half-removed (.old-*)
	 * entries and the atomic writer's temporaries, if nobody holds them */
	(void)cbd_clean_leftovers(dir, CBD_CLEAN_QUEUE_DIRS, NULL);
	if (!d) {
		int r = -errno;

		if (r == -ENOENT)
			return 0;
		*ret_err = cbd_strdupf("cannot read the queue %s: %s", dir, strerror(-r));
		return r;
	}
	while ((de = readdir(d))) {
		struct cbd_queue_entry *e;
		_cleanup_free_ char *meta = NULL, *path = NULL;
		size_t len = 0;
		int r;

		if (de->d_name[0] == '.') /* leftovers went above; .lock */
			continue;
		v = cbd_realloc_array(v, n + 1, sizeof(*v));
		e = &v[n++];
		*e = (struct cbd_queue_entry){0};
		e->name = cbd_strdup(de->d_name);
		e->dir = cbd_strdupf("%s/%s", dir, de->d_name);
		e->report = cbd_strdupf("%s/" REPORT_FILE, e->dir);
		(void)cbd_clean_leftovers(e->dir, 0, NULL); /* an update killed mid-way */
		path = cbd_strdupf("%s/" ENTRY_FILE, e->dir);
		r = cbd_read_file(path, ENTRY_MAX_BYTES, &meta, &len);
		if (r < 0 || !cbd_queue_entry_parse(meta, len, e)) {
			char *name = steal_ptr(&e->name), *edir = steal_ptr(&e->dir);
			char *rep = steal_ptr(&e->report);

			cbd_queue_entry_clear(e);
			e->name = name;
			e->dir = edir;
			e->report = rep;
			e->held = true;
			e->last_error = r < 0 ? cbd_strdupf("cannot read its %s: %s", ENTRY_FILE,
							    strerror(-r))
					      : cbd_strdupf("its %s is damaged", ENTRY_FILE);
		}
	}
	closedir(d);
	if (n)
		qsort(v, n, sizeof(*v), cmp_entry);
	*ret = v;
	*ret_n = n;
	return 0;
}

int
cbd_queue_update(const struct cbd_queue_entry *e, char **ret_err)
{
	_cleanup_free_ char *meta = entry_to_json(e);
	_cleanup_free_ char *path = cbd_strdupf("%s/" ENTRY_FILE, e->dir);

	return cbd_write_file_atomic(path, meta, strlen(meta), ret_err);
}

int
cbd_queue_remove(const struct cbd_queue_entry *e, char **ret_err)
{
	_cleanup_free_ char *copy = cbd_strdup(e->dir);
	_cleanup_free_ char *old = NULL;
	char *slash = strrchr(copy, '/');
	int lock_fd;

	if (!slash)
		return -EINVAL;
	*slash = '\0';
	old = cbd_strdupf("%s/.old-%s", copy, slash + 1);
	/* locked across the rename (the lock is the inode's): a half-removed
	 * entry is cleaned by whoever finds it unlocked, this process or a later */
	lock_fd = open(e->dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (lock_fd < 0 || flock(lock_fd, LOCK_EX) < 0 || rename(e->dir, old) < 0) {
		int r = -errno;

		if (lock_fd >= 0)
			close(lock_fd);
		*ret_err = cbd_strdupf("cannot remove %s from the queue: %s", e->name, strerror(-r));
		return r;
	}
	close(lock_fd);
	(void)cbd_clean_leftovers(copy, CBD_CLEAN_QUEUE_DIRS, NULL);
	return 0;
}

int
cbd_queue_lock(const char *dir, unsigned wait_ms)
{
	_cleanup_free_ char *path = cbd_strdupf("%s/.lock", dir);
	int fd, r;

	r = cbd_mkdir_p(dir, 0700);
	if (r < 0)
		return r;
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	for (unsigned waited = 0;; waited += 50) {
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			return fd;
		if (errno != EWOULDBLOCK || waited >= wait_ms) {
			r = -errno;
			close(fd);
			return r;
		}
		struct timespec ts = {0, 50 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
}

char *
cbd_queue_entries_to_json(const struct cbd_queue_entry *v, size_t n)
{
	cJSON *arr = cbd_cjson_check(cJSON_CreateArray());
	char *s;

	for (size_t i = 0; i < n; i++) {
		const struct cbd_queue_entry *e = &v[i];
		cJSON *o = cbd_cjson_check(cJSON_CreateObject());

		cJSON_AddItemToArray(arr, o);
		put_str(o, "entry", e->name);
		put_str(o, "file", e->filename);
		put_str(o, "ticket", e->ticket);
		cbd_cjson_check(cJSON_AddBoolToObject(o, "create", e->create));
		put_str(o, "state", e->held ? "held" : "waiting");
		cbd_cjson_check(cJSON_AddNumberToObject(o, "attempts", e->attempts));
		cbd_cjson_check(cJSON_AddNumberToObject(o, "enqueued_at", (double)e->enqueued_at));
		cbd_cjson_check(
			cJSON_AddNumberToObject(o, "next_attempt_at", (double)e->next_attempt_at));
		put_str(o, "last_error", e->last_error);
	}
	s = cJSON_Print(arr);
	cJSON_Delete(arr);
	if (!s)
		abort();
	return s;
}

