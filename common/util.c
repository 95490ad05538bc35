/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "cbd-util.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>

void
cbd_oom(void)
{
	fputs("cbdiag: out of memory\n", stderr);
	abort();
}

char *
cbd_strdup(const char *s)
{
	char *r;

	if (!s)
		return NULL;
	r = strdup(s);
	if (!r)
		cbd_oom();
	return r;
}

char *
cbd_strdupf(const char *fmt, ...)
{
	va_list ap;
	char *r;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&r, fmt, ap);
	va_end(ap);
	if (n < 0)
		cbd_oom();
	return r;
}

void *
cbd_zalloc(size_t size)
{
	void *p = calloc(1, size ? size : 1);

	if (!p)
		cbd_oom();
	return p;
}

void *
cbd_realloc_array(void *p, size_t n, size_t size)
{
	void *r;

	if (size && n > SIZE_MAX / size)
		cbd_oom();
	r = realloc(p, n * size > 0 ? n * size : 1);
	if (!r)
		cbd_oom();
	return r;
}

size_t
cbd_strstrip(char *s)
{
	size_t len, start = 0;

	if (!s)
		return 0;
	len = strlen(s);
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	s[len] = '\0';
	while (start < len && isspace((unsigned char)s[start]))
		start++;
	if (start)
		memmove(s, s + start, len - start + 1);
	return len - start;
}

int
cbd_parse_ll(const char *s, int base, long long *ret)
{
	char *end;
	long long v;

	if (strempty(s))
		return -EINVAL;
	errno = 0;
	v = strtoll(s, &end, base);
	if (errno == ERANGE)
		return -ERANGE;
	if (end == s || *end != '\0')
		return -EINVAL;
	*ret = v;
	return 0;
}

void
cbd_filename_safe(char *s)
{
	for (; s && *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '.' && *s != '_' && *s != '-')
			*s = '_';
}

char *
cbd_filename_part(const char *s, size_t max, const char *fallback)
{
	uint32_t h = 2166136261u; /* FNV-1a of the whole string, before any change */
	char *r;
	size_t len;

	if (strempty(s))
		s = fallback;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		h = (h ^ *p) * 16777619u;
	r = cbd_strdup(s);
	cbd_filename_safe(r);
	/* not hidden (".x"), not an option ("-x") to whoever lists the folder */
	if (r[0] == '.' || r[0] == '-')
		r[0] = '_';
	len = strlen(r);
	if (max >= 16 && len > max) /* keep the start, readable; the hash keeps it unique */
		snprintf(r + max - 9, 10, "~%08x", h);
	return r;
}

bool
cbd_is_printable_ascii(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			return false;
	return true;
}

uint64_t
cbd_now_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

uint64_t
cbd_now_mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

void
cbd_format_utc(int64_t epoch_s, char *buf, size_t size)
{
	time_t t = (time_t)epoch_s;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void
cbd_format_utc_compact(int64_t epoch_s, char *buf, size_t size)
{
	time_t t = (time_t)epoch_s;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, size, "%Y%m%dT%H%M%SZ", &tm);
}

size_t
cbd_utf8_seq_len(const unsigned char *s, size_t avail)
{
	unsigned char c = s[0];
	size_t n;
	uint32_t cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, cp = c & 0x07;
	else
		return 0;
	if (n > avail)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

bool
cbd_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;

	for (size_t i = 0; i < len;) {
		size_t n;

		if (p[i] < 0x80) { /* ASCII, the common case */
			i++;
			continue;
		}
		n = cbd_utf8_seq_len(p + i, len - i);

		if (n == 0)
			return false;
		i += n;
	}
	return true;
}

/* Decode the valid UTF-8 sequence at @s (@n bytes, from cbd_utf8_seq_len). */
static uint32_t
utf8_decode(const unsigned char *s, size_t n)
{
	static const unsigned char lead_mask[5] = {0, 0x7f, 0x1f, 0x0f, 0x07};
	uint32_t cp = s[0] & lead_mask[n];

	for (size_t i = 1; i < n; i++)
		cp = (cp << 6) | (s[i] & 0x3f);
	return cp;
}

bool
cbd_codepoint_is_unsafe(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7f ||        /* C0 controls (tab too: the caller decides) */
	       (cp >= 0x80 && cp <= 0x9f) ||     /* C1: U+009B is CSI on the Linux console */
	       cp == 0xad ||                     /* soft hyphen: invisible */
	       cp == 0x061c ||                   /* Arabic letter mark (bidi) */
	       cp == 0x180e ||                   /* Mongolian vowel separator */
	       (cp >= 0x200b && cp <= 0x200f) || /* zero-width chars, LRM, RLM */
	       (cp >= 0x2028 && cp <= 0x202e) || /* line/paragraph separators, bidi embeddings */
	       (cp >= 0x2060 && cp <= 0x206f) || /* word joiner, invisible operators, isolates */
	       cp == 0xfeff ||                   /* zero-width no-break space / BOM */
	       (cp >= 0xfff9 && cp <= 0xfffb) || /* interlinear annotation */
	       cp == 0xfffe || cp == 0xffff ||   /* noncharacters */
	       (cp >= 0xe0000 && cp <= 0xe007f); /* tag characters */
}

char *
cbd_text_neutralise(const char *s, bool keep_newlines)
{
	size_t len;
	char *r, *o;
	const unsigned char *p;

	if (!s)
		return NULL;
	len = strlen(s);
	r = o = cbd_zalloc(len + 1); /* never longer: each dropped sequence becomes one '?' */
	p = (const unsigned char *)s;
	for (size_t i = 0; i < len;) {
		size_t n = cbd_utf8_seq_len(p + i, len - i);
		uint32_t cp;

		if (n == 0) { /* an invalid byte: a lone 0x9b is CSI to an 8-bit terminal */
			*o++ = '?';
			i++;
			continue;
		}
		cp = utf8_decode(p + i, n);
		if (cbd_codepoint_is_unsafe(cp) && cp != '\t' && !(keep_newlines && cp == '\n')) {
			*o++ = '?';
			i += n;
			continue;
		}
		memcpy(o, p + i, n);
		o += n;
		i += n;
	}
	*o = '\0';
	return r;
}

char *
cbd_text_sanitize(const char *s)
{
	return cbd_text_neutralise(s, false);
}

void
cbd_text_fputs(const char *s, bool keep_newlines, FILE *out)
{
	_cleanup_free_ char *clean = cbd_text_neutralise(s, keep_newlines);

	if (clean)
		fputs(clean, out);
}

char *
cbd_json_escape_unsafe(const char *json)
{
	const unsigned char *p = (const unsigned char *)json;
	size_t len = strlen(json), cap = len + 1, o = 0;
	char *r = cbd_zalloc(cap);

	for (size_t i = 0; i < len;) {
		size_t n = p[i] < 0x7f ? 1 : cbd_utf8_seq_len(p + i, len - i);
		uint32_t cp = n ? utf8_decode(p + i, n) : 0;
		char esc[13];
		size_t elen;

		if (n == 0 || cp < 0x7f || !cbd_codepoint_is_unsafe(cp)) {
			n = n ? n : 1; /* invalid UTF-8 is the writer's problem: copied */
			if (o + n + 1 > cap)
				r = cbd_realloc_array(r, cap = cap * 2 + n, 1);
			memcpy(r + o, p + i, n);
			o += n;
			i += n;
			continue;
		}
		if (cp > 0xffff)
			elen = (size_t)snprintf(esc, sizeof(esc), "\\u%04x\\u%04x",
						0xd800 + ((cp - 0x10000) >> 10),
						0xdc00 + ((cp - 0x10000) & 0x3ff));
		else
			elen = (size_t)snprintf(esc, sizeof(esc), "\\u%04x", cp);
		if (o + elen + 1 > cap)
			r = cbd_realloc_array(r, cap = cap * 2 + elen, 1);
		memcpy(r + o, esc, elen);
		o += elen;
		i += n;
	}
	r[o] = '\0';
	return r;
}

int
cbd_write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int
cbd_write_file_atomic(const char *path, const char *data, size_t len, char **ret_err)
{
	_cleanup_free_ char *dircopy = cbd_strdup(path);
	_cleanup_free_ char *tmp = NULL;
	_cleanup_close_ int dfd = -1;
	const char *dir;
	int fd, r = 0;

	if (streq(path, "-")) {
		r = cbd_write_all(STDOUT_FILENO, data, len);
		if (r < 0)
			*ret_err = cbd_strdupf("cannot write to stdout: %s", strerror(-r));
		return r;
	}
	/* A device, FIFO or socket (-o /dev/null, a pipe): write into it. Renaming
	 * a temporary file over it would replace /dev/null with a regular file. */
	{
		struct stat st;

		if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
			if (S_ISDIR(st.st_mode)) {
				*ret_err = cbd_strdupf("cannot write %s: it is a directory", path);
				return -EISDIR;
			}
			if (S_ISBLK(st.st_mode)) { /* a disk: cbdiag never writes to one */
				*ret_err = cbd_strdupf("refusing to write %s: it is a block device "
						       "(a disk), and cbdiag never writes to disks",
						       path);
				return -EPERM;
			}
			fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
			if (fd < 0 || (r = cbd_write_all(fd, data, len)) < 0) {
				r = r < 0 ? r : -errno;
				*ret_err = cbd_strdupf("cannot write %s: %s", path, strerror(-r));
				if (fd >= 0)
					close(fd);
				return r;
			}
			if (close(fd) < 0) {
				r = -errno;
				*ret_err = cbd_strdupf("cannot write %s: %s", path, strerror(-r));
				return r;
			}
			return 0;
		}
	}
	dir = dirname(dircopy);
	/* the pid in the name: an empty one whose writer is gone is a leftover */
	tmp = cbd_strdupf("%s/" CBD_TMP_PREFIX "%ld-XXXXXX", dir, (long)getpid());
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		r = -errno;
		*ret_err = cbd_strdupf("cannot write %s: %s", path, strerror(-r));
		return r;
	}
	/* held until the rename: a live writer's temporary is never taken for a
	 * leftover (cbd_clean_leftovers); the lock goes with the process */
	(void)flock(fd, LOCK_EX);
	if (fchmod(fd, 0644) < 0 || (r = cbd_write_all(fd, data, len)) < 0 || fsync(fd) < 0)
		r = r < 0 ? r : -errno;
	if (r == 0 && rename(tmp, path) < 0)
		r = -errno;
	if (r < 0)
		unlink(tmp);
	if (close(fd) < 0 && r == 0)
		r = -errno; /* renamed already: the data was fsynced, the error is said */
	if (r < 0) {
		*ret_err = cbd_strdupf("cannot write %s: %s", path, strerror(-r));
		return r;
	}
	/* make the rename itself durable */
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0)
		(void)fsync(dfd);
	return 0;
}

const char *
cbd_file_type_name(mode_t mode)
{
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISFIFO(mode))
		return "a named pipe (FIFO)";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISSOCK(mode))
		return "a socket";
	if (S_ISLNK(mode))
		return "a symbolic link";
	return S_ISREG(mode) ? "a regular file" : "not a regular file";
}

int
cbd_open_regular(const char *path, mode_t *ret_mode)
{
	struct stat st;
	int fd;

	/* stat first: opening a device can itself do something (a watchdog
	 * starts, a tape rewinds); a FIFO's open would wait for a writer */
	if (stat(path, &st) < 0)
		return -errno;
	if (ret_mode)
		*ret_mode = st.st_mode;
	if (!S_ISREG(st.st_mode))
		return S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
	/* ... and again on what was opened: the path may have changed since */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		int r = -errno;

		close(fd);
		return r;
	}
	if (ret_mode)
		*ret_mode = st.st_mode;
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
	}
	return fd;
}

int
cbd_read_file(const char *path, size_t max, char **ret, size_t *ret_len)
{
	_cleanup_close_ int fd = cbd_open_regular(path, NULL);
	size_t len = 0, cap = 0;
	char *buf = NULL;
	struct stat st;

	if (fd < 0)
		return fd;
	if (fstat(fd, &st) < 0)
		return -errno;
	/* by its size first: a sparse 1 TB file must not size the buffer */
	if ((uint64_t)st.st_size > max)
		return -EFBIG;
	for (;;) {
		ssize_t n;

		if (len == cap) {
			size_t want;

			if (cap > max) /* max + 1 bytes read: larger than allowed */
				break;
			want = cap ? cap * 2 : (st.st_size > 0 ? (size_t)st.st_size + 1 : 4096);
			cap = want > max + 1 ? max + 1 : want; /* a file that grows stops here */
			buf = cbd_realloc_array(buf, cap + 1, 1);
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0) {
			int r = -errno;

			if (r == -EINTR)
				continue;
			free(buf);
			return r;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len > max) {
		free(buf);
		return -EFBIG;
	}
	if (!buf)
		buf = cbd_zalloc(1);
	buf[len] = '\0';
	*ret = buf;
	if (ret_len)
		*ret_len = len;
	return 0;
}

static bool
is_leftover_name(const char *name, unsigned flags)
{
	if (strncmp(name, CBD_TMP_PREFIX, strlen(CBD_TMP_PREFIX)) == 0)
		return true;
	return (flags & CBD_CLEAN_QUEUE_DIRS) &&
	       (strncmp(name, ".new-", 5) == 0 || strncmp(name, ".old-", 5) == 0);
}

/* The files a queue entry directory may hold: nothing else is removed. */
static bool
is_entry_file_name(const char *name)
{
	return streq(name, "report.json") || streq(name, "entry.json") ||
	       strncmp(name, CBD_TMP_PREFIX, strlen(CBD_TMP_PREFIX)) == 0;
}

/* Empty the entry directory @fd of our own regular files; true if it is then empty. */
static bool
empty_entry_dir(int fd)
{
	int dup_fd = dup(fd);
	DIR *d = dup_fd >= 0 ? fdopendir(dup_fd) : NULL;
	struct dirent *de;
	bool empty = true;

	if (!d) {
		if (dup_fd >= 0)
			close(dup_fd);
		return false;
	}
	rewinddir(d); /* a dup shares the offset that has_content() moved */
	while ((de = readdir(d))) {
		struct stat st;

		if (streq(de->d_name, ".") || streq(de->d_name, ".."))
			continue;
		if (!is_entry_file_name(de->d_name) ||
		    fstatat(fd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode) ||
		    unlinkat(fd, de->d_name, 0) < 0)
			empty = false;
	}
	closedir(d);
	return empty;
}

/* The pid in a ".cbdiag-<pid>-..." or ".new-<pid>-..." name, or 0. */
static pid_t
owner_pid(const char *name)
{
	const char *p = strchr(name + 1, '-');
	long long v = 0;

	if (!p || !isdigit((unsigned char)p[1]))
		return 0;
	for (p++; isdigit((unsigned char)*p) && v < INT32_MAX; p++)
		v = v * 10 + (*p - '0');
	return *p == '-' && v > 0 && v < INT32_MAX ? (pid_t)v : 0;
}

/* True if the process @pid named in a temporary is gone (on this machine). */
static bool
owner_gone(const char *name)
{
	pid_t pid = owner_pid(name);

	return pid > 0 && kill(pid, 0) < 0 && errno == ESRCH;
}

/* Whether @st (an entry's directory or file) holds anything. */
static bool
has_content(int fd, const struct stat *st)
{
	int dup_fd;
	DIR *d;
	struct dirent *de;
	bool any = false;

	if (!S_ISDIR(st->st_mode))
		return st->st_size > 0;
	dup_fd = dup(fd);
	d = dup_fd >= 0 ? fdopendir(dup_fd) : NULL;
	if (!d) {
		if (dup_fd >= 0)
			close(dup_fd);
		return true; /* unknown: treat as in use by someone */
	}
	rewinddir(d);
	while (!any && (de = readdir(d)))
		any = !streq(de->d_name, ".") && !streq(de->d_name, "..");
	closedir(d);
	return any;
}

int
cbd_clean_leftovers(const char *dir, unsigned flags, unsigned *ret_removed)
{
	_cleanup_close_ int dfd = -1;
	struct timespec now;
	struct dirent *de;
	unsigned removed = 0;
	DIR *d;
	int dup_fd;

	if (ret_removed)
		*ret_removed = 0;
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0)
		return errno == ENOENT ? 0 : -errno;
	dup_fd = dup(dfd);
	d = dup_fd >= 0 ? fdopendir(dup_fd) : NULL;
	if (!d) {
		int r = -errno;

		if (dup_fd >= 0)
			close(dup_fd);
		return r;
	}
	clock_gettime(CLOCK_REALTIME, &now);
	while ((de = readdir(d))) {
		struct stat st, fst;
		bool is_dir;
		int fd;

		if (!is_leftover_name(de->d_name, flags))
			continue;
		/* never follow a symbolic link, never leave the directory: only our
		 * own regular files and real directories, by name relative to dfd */
		if (fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		is_dir = S_ISDIR(st.st_mode);
		if (!(S_ISREG(st.st_mode) ||
		      (is_dir && strncmp(de->d_name, CBD_TMP_PREFIX, strlen(CBD_TMP_PREFIX)) != 0)))
			continue;
		if (st.st_uid != geteuid())
			continue;
		fd = openat(dfd, de->d_name,
			    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC |
				    (is_dir ? O_DIRECTORY : 0));
		if (fd < 0)
			continue;
		if (fstat(fd, &fst) < 0 || fst.st_dev != st.st_dev || fst.st_ino != st.st_ino ||
		    flock(fd, LOCK_EX | LOCK_NB) < 0) { /* swapped, or its writer is alive */
			close(fd);
			continue;
		}
		/* unlocked: its writer is gone, or has just created it and not yet
		 * locked it (an empty one, for microseconds): an empty one goes if
		 * the pid in its name is gone, else after a minute. An .old-* entry
		 * is made by renaming a locked one: no wait. */
		if (strncmp(de->d_name, ".old-", 5) != 0 && !has_content(fd, &fst) &&
		    !owner_gone(de->d_name) && now.tv_sec - fst.st_mtime < CBD_LEFTOVER_GRACE_S &&
		    now.tv_sec >= fst.st_mtime) {
			close(fd);
			continue;
		}
		if (is_dir) {
			if (empty_entry_dir(fd) && unlinkat(dfd, de->d_name, AT_REMOVEDIR) == 0)
				removed++;
		} else if (unlinkat(dfd, de->d_name, 0) == 0) {
			removed++;
		}
		close(fd);
	}
	closedir(d);
	if (ret_removed)
		*ret_removed = removed;
	return 0;
}

void
cbd_clean_leftovers_near(const char *path)
{
	_cleanup_free_ char *copy = NULL;

	if (strempty(path) || streq(path, "-"))
		return;
	copy = cbd_strdup(path);
	(void)cbd_clean_leftovers(dirname(copy), 0, NULL);
}

int
cbd_mkdir_p(const char *path, mode_t mode)
{
	_cleanup_free_ char *p = cbd_strdup(path);

	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, mode) < 0 && errno != EEXIST)
			return -errno;
		*s = '/';
	}
	if (mkdir(p, mode) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

static uint32_t
scale_channel(uint32_t v8, uint32_t bits)
{
	if (bits == 0)
		return 0;
	if (bits >= 8)
		return v8 << (bits - 8) | (bits > 8 ? v8 >> (16 - bits) : 0);
	return v8 >> (8 - bits);
}

uint32_t
cbd_pixel_pack(uint32_t xrgb, const uint32_t off[3], const uint32_t len[3])
{
	uint32_t px = 0;

	for (int c = 0; c < 3; c++) {
		uint32_t v8 = (xrgb >> (16 - 8 * c)) & 0xff;

		if (off[c] < 32 && len[c] <= 16)
			px |= scale_channel(v8, len[c]) << off[c];
	}
	return px;
}

static int
b64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

int
cbd_base64_decode(const char *in, size_t len, char **ret, size_t *ret_len)
{
	char *out = cbd_zalloc(len / 4 * 3 + 4);
	size_t n = 0, pad = 0;
	unsigned acc = 0, have = 0;

	for (size_t i = 0; i < len; i++) {
		char c = in[i];
		int v;

		if (c == '\n' || c == '\r' || c == ' ' || c == '\t')
			continue;
		if (c == '=') {
			pad++;
			continue;
		}
		v = b64_value(c);
		if (v < 0 || pad) /* a stray byte, or data after the padding */
			goto bad;
		acc = acc << 6 | (unsigned)v;
		if (++have == 4) {
			out[n++] = (char)(acc >> 16);
			out[n++] = (char)(acc >> 8);
			out[n++] = (char)acc;
			acc = have = 0;
		}
	}
	/* what is left: 2 symbols = 1 byte (pad 2), 3 = 2 bytes (pad 1) */
	if (have == 1 || (have && pad && have + pad != 4) || (!have && pad))
		goto bad;
	if (have == 2) {
		out[n++] = (char)(acc >> 4);
	} else if (have == 3) {
		out[n++] = (char)(acc >> 10);
		out[n++] = (char)(acc >> 2);
	}
	out[n] = '\0';
	*ret = out;
	*ret_len = n;
	return 0;
bad:
	free(out);
	return -EINVAL;
}
