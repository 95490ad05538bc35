/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The offline queue: one directory per waiting report. See helpdesk.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "helpdesk.h"
#include "doc-json.h"
#include "report.h"

#define ENTRY_FILE "entry.json"
#define REPORT_FILE "report.json"
#define ENTRY_MAX_BYTES (64u * 1024u)

static int
take_fd(int *fd)
{
	int r = *fd;

	*fd = -1;
	return r;
}

void
cbd_queue_entry_clear(struct cbd_queue_entry *e)
{
	free(e->name);
	free(e->dir);
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
		cbd_json_check(cJSON_AddStringToObject(o, key, v));
	else
		cbd_json_check(cJSON_AddNullToObject(o, key));
}

static char *
entry_to_json(const struct cbd_queue_entry *e)
{
	cJSON *o = cbd_json_check(cJSON_CreateObject());
	char *s;

	cbd_json_check(cJSON_AddNumberToObject(o, "version", 1));
	put_str(o, "report_id", e->report_id);
	put_str(o, "filename", e->filename);
	put_str(o, "serial", e->serial);
	put_str(o, "ticket", e->ticket);
	cbd_json_check(cJSON_AddBoolToObject(o, "create", e->create));
	cbd_json_check(cJSON_AddBoolToObject(o, "held", e->held));
	cbd_json_check(cJSON_AddNumberToObject(o, "attempts", e->attempts));
	cbd_json_check(cJSON_AddNumberToObject(o, "enqueued_at", (double)e->enqueued_at));
	cbd_json_check(cJSON_AddNumberToObject(o, "last_attempt_at", (double)e->last_attempt_at));
	cbd_json_check(cJSON_AddNumberToObject(o, "next_attempt_at", (double)e->next_attempt_at));
	/* set before a send starts, so that a crash during it is known to the next attempt */
	cbd_json_check(cJSON_AddNumberToObject(o, "sending_since", (double)e->sending_since));
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
	const cJSON *v = cbd_json_member(o, key);

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
	const cJSON *v = cbd_json_member(o, key);

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
	     cJSON_IsBool(cbd_json_member(o, "create")) && cJSON_IsBool(cbd_json_member(o, "held")) &&
	     get_num(o, "attempts", 1e6, &attempts) &&
	     get_num(o, "enqueued_at", 1e11, &e->enqueued_at) &&
	     get_num(o, "last_attempt_at", 1e11, &e->last_attempt_at) &&
	     get_num(o, "next_attempt_at", 1e11, &e->next_attempt_at) &&
	     /* absent in entries queued by earlier versions: no send in flight */
	     (!cbd_json_member(o, "sending_since") || get_num(o, "sending_since", 1e11, &e->sending_since));
	if (ok) {
		e->create = cJSON_IsTrue(cbd_json_member(o, "create"));
		e->held = cJSON_IsTrue(cbd_json_member(o, "held"));
		e->attempts = (unsigned)attempts;
		/* the file name travels to the help desk: it must be one we would make */
		ok = !strchr(e->filename, '/') && strncmp(e->filename, "cbdiag-", 7) == 0;
	}
	cJSON_Delete(o);
	return ok;
}

int
cbd_queue_open(const char *dir, bool create, char **ret_err)
{
	_cleanup_close_ int fd = -1;
	struct stat st;
	int r;

	if (create && (r = cbd_mkdir_p(dir, 0700)) < 0) {
		*ret_err = cbd_strdupf("cannot create the queue directory %s: %s", dir, strerror(-r));
		return r;
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		r = -errno;
		if (r != -ENOENT || create)
			*ret_err = cbd_strdupf("cannot open the queue directory %s: %s", dir,
					       strerror(-r));
		return r;
	}
	if (fstat(fd, &st) < 0) {
		r = -errno;
		*ret_err = cbd_strdupf("cannot open the queue directory %s: %s", dir, strerror(-r));
		return r;
	}
	if (st.st_uid != 0 && st.st_uid != geteuid()) {
		*ret_err = cbd_strdupf("the queue directory %s belongs to user %u, not to root or to "
				       "the user running cbdiag (%u): refusing to use it (whoever owns "
				       "it could choose what cbdiag sends)",
				       dir, (unsigned)st.st_uid, (unsigned)geteuid());
		return -EPERM;
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		*ret_err = cbd_strdupf("the queue directory %s can be written by other users (mode "
				       "%04o): refusing to use it; chmod go-w %s",
				       dir, (unsigned)(st.st_mode & 07777), dir);
		return -EPERM;
	}
	return take_fd(&fd);
}

int
cbd_queue_add(const char *dir, const struct cbd_hd_item *item, const char *ticket, bool create,
	      const char *reason, int64_t sending_since, char **ret_name, char **ret_err)
{
	struct cbd_queue_entry e = {0};
	_cleanup_free_ char *tmp = NULL, *final = NULL, *meta = NULL;
	_cleanup_free_ char *rpath = NULL, *mpath = NULL, *err = NULL, *name = NULL;
	_cleanup_close_ int dfd = -1, tmp_fd = -1;
	struct timespec now;
	char stamp[32];
	struct tm tm;
	int r;

	dfd = cbd_queue_open(dir, true, ret_err);
	if (dfd < 0)
		return dfd;
	(void)cbd_clean_leftovers(dir, CBD_CLEAN_QUEUE_DIRS, NULL); /* of killed writers */
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
	e.sending_since = sending_since;
	e.last_error = (char *)reason;
	meta = entry_to_json(&e);
	rpath = cbd_strdupf("%s/" REPORT_FILE, tmp);
	mpath = cbd_strdupf("%s/" ENTRY_FILE, tmp);
	if ((r = cbd_write_file_atomic(rpath, item->data, item->size, &err)) < 0 ||
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
	(void)fsync(dfd);
	if (ret_name)
		*ret_name = steal_ptr(&name);
	return 0;
}

/*
 * Read @name in the directory @dfd whole: never through a symbolic link, a
 * regular file only, at most @max bytes (NUL-terminated).
 */
static int
read_at(int dfd, const char *name, size_t max, char **ret, size_t *ret_len)
{
	_cleanup_close_ int fd =
		openat(dfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW | O_NONBLOCK);
	_cleanup_free_ char *buf = NULL;
	size_t len = 0;
	struct stat st;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	if ((uint64_t)st.st_size > max)
		return -EFBIG;
	buf = cbd_realloc_array(NULL, max + 1, 1);
	for (;;) {
		ssize_t n = read(fd, buf + len, max + 1 - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > max)
			return -EFBIG;
	}
	buf[len] = '\0';
	*ret = steal_ptr(&buf);
	*ret_len = len;
	return 0;
}

static const char *
open_problem(int r)
{
	return r == -ELOOP ? "it is a symbolic link" : r == -EINVAL ? "it is not a regular file"
								    : strerror(-r);
}

int
cbd_queue_load_item(const struct cbd_queue_entry *e, struct cbd_hd_item *item, char **ret_err)
{
	_cleanup_close_ int edfd = open(e->dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	_cleanup_close_ int fd = -1;
	int r;

	*item = (struct cbd_hd_item){0};
	if (edfd < 0) {
		r = -errno;
		*ret_err = cbd_strdupf("cannot open the entry: %s", open_problem(r));
		return r;
	}
	fd = openat(edfd, REPORT_FILE, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0) {
		r = -errno;
		*ret_err = cbd_strdupf("cannot open its " REPORT_FILE ": %s", open_problem(r));
		return r;
	}
	r = cbd_hd_item_load_fd(item, fd, ret_err);
	if (r < 0)
		return r;
	/* the name the report was queued under stays its name on the ticket */
	free(item->filename);
	item->filename = cbd_strdup(e->filename);
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
	_cleanup_close_ int dfd = -1;
	struct cbd_queue_entry *v = NULL;
	struct dirent *de;
	size_t n = 0;
	DIR *d;
	int fd;

	*ret = NULL;
	*ret_n = 0;
	dfd = cbd_queue_open(dir, false, ret_err);
	if (dfd == -ENOENT)
		return 0;
	if (dfd < 0)
		return dfd;
	/* what killed writers left: half-built (.new-*), half-removed (.old-*)
	 * entries and the atomic writer's temporaries, if nobody holds them */
	(void)cbd_clean_leftovers(dir, CBD_CLEAN_QUEUE_DIRS, NULL);
	fd = fcntl(dfd, F_DUPFD_CLOEXEC, 3);
	if (fd < 0 || !(d = fdopendir(fd))) {
		int r = -errno;

		if (fd >= 0)
			close(fd);
		*ret_err = cbd_strdupf("cannot read the queue %s: %s", dir, strerror(-r));
		return r;
	}
	while ((de = readdir(d))) {
		struct cbd_queue_entry *e;
		_cleanup_free_ char *meta = NULL;
		_cleanup_close_ int edfd = -1;
		size_t len = 0;
		int r;

		if (de->d_name[0] == '.') /* leftovers went above; .lock */
			continue;
		v = cbd_realloc_array(v, n + 1, sizeof(*v));
		e = &v[n++];
		*e = (struct cbd_queue_entry){0};
		e->name = cbd_strdup(de->d_name);
		e->dir = cbd_strdupf("%s/%s", dir, de->d_name);
		(void)cbd_clean_leftovers(e->dir, 0, NULL); /* an update killed mid-way */
		edfd = openat(dfd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		r = edfd < 0 ? -errno : read_at(edfd, ENTRY_FILE, ENTRY_MAX_BYTES, &meta, &len);
		if (r < 0 || !cbd_queue_entry_parse(meta, len, e)) {
			char *name = steal_ptr(&e->name), *edir = steal_ptr(&e->dir);

			cbd_queue_entry_clear(e);
			e->name = name;
			e->dir = edir;
			e->held = true;
			e->last_error = edfd < 0 ? cbd_strdupf("cannot open the entry: %s",
							       open_problem(r))
					: r < 0	 ? cbd_strdupf("cannot read its %s: %s", ENTRY_FILE,
								       open_problem(r))
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
cbd_queue_lock(const char *dir, unsigned wait_ms, char **ret_err)
{
	_cleanup_close_ int dfd = -1, fd = -1;
	struct stat st;
	int r;

	dfd = cbd_queue_open(dir, true, ret_err);
	if (dfd < 0)
		return dfd;
	fd = openat(dfd, ".lock", O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK,
		    0600);
	if (fd < 0) {
		r = -errno;
		if (r == -ELOOP) {
			*ret_err = cbd_strdupf("%s/.lock is a symbolic link: refusing to follow it "
					       "(remove it; cbdiag makes its own)",
					       dir);
			return -EPERM;
		}
		*ret_err = cbd_strdupf("cannot open %s/.lock: %s", dir, strerror(-r));
		return r;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		*ret_err = cbd_strdupf("%s/.lock is not a regular file: refusing to use it", dir);
		return -EPERM;
	}
	for (unsigned waited = 0;; waited += 50) {
		struct timespec ts = {0, 50 * 1000 * 1000};

		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			return take_fd(&fd);
		if (errno != EWOULDBLOCK || waited >= wait_ms) {
			r = -errno;
			*ret_err = r == -EWOULDBLOCK
					   ? cbd_strdupf("the queue %s is busy: another cbdiag is "
							 "sending it",
							 dir)
					   : cbd_strdupf("cannot lock the queue %s: %s", dir,
							 strerror(-r));
			return r;
		}
		nanosleep(&ts, NULL);
	}
}

char *
cbd_queue_entries_to_json(const struct cbd_queue_entry *v, size_t n)
{
	cJSON *arr = cbd_json_check(cJSON_CreateArray());
	char *s;

	for (size_t i = 0; i < n; i++) {
		const struct cbd_queue_entry *e = &v[i];
		cJSON *o = cbd_json_check(cJSON_CreateObject());

		cJSON_AddItemToArray(arr, o);
		put_str(o, "entry", e->name);
		put_str(o, "file", e->filename);
		put_str(o, "ticket", e->ticket);
		cbd_json_check(cJSON_AddBoolToObject(o, "create", e->create));
		put_str(o, "state", e->held ? "held" : "waiting");
		cbd_json_check(cJSON_AddNumberToObject(o, "attempts", e->attempts));
		cbd_json_check(cJSON_AddNumberToObject(o, "enqueued_at", (double)e->enqueued_at));
		cbd_json_check(
			cJSON_AddNumberToObject(o, "next_attempt_at", (double)e->next_attempt_at));
		cbd_json_check(
			cJSON_AddNumberToObject(o, "sending_since", (double)e->sending_since));
		put_str(o, "last_error", e->last_error);
	}
	s = cJSON_Print(arr);
	cJSON_Delete(arr);
	if (!s)
		abort();
	return s;
}

