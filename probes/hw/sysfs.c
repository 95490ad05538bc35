/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Bounded reads of sysfs, procfs and device-tree files. */
#include "hw.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>

static int
read_fd_bounded(int fd, char *buf, size_t size, bool *ret_more)
{
	size_t have = 0;

	while (have < size) {
		ssize_t n = read(fd, buf + have, size - have);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0) {
			*ret_more = false;
			return (int)have;
		}
		have += (size_t)n;
	}
	/* Buffer full: is there more? One extra byte tells. */
	{
		char extra;
		ssize_t n;

		do
			n = read(fd, &extra, 1);
		while (n < 0 && errno == EINTR);
		*ret_more = n > 0;
	}
	return (int)have;
}

static int
open_ro(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	return fd < 0 ? -errno : fd;
}

int
cbd_hw_read_bytes(const char *path, void *buf, size_t size)
{
	_cleanup_close_ int fd = open_ro(path);
	bool more;

	if (fd < 0)
		return fd;
	if (size > INT_MAX)
		size = INT_MAX;
	return read_fd_bounded(fd, buf, size, &more);
}

int
cbd_hw_read_bytes_all(const char *path, void *buf, size_t size)
{
	_cleanup_close_ int fd = open_ro(path);
	bool more = false;
	int r;

	if (fd < 0)
		return fd;
	if (size > INT_MAX)
		return -EINVAL;
	r = read_fd_bounded(fd, buf, size, &more);
	if (r >= 0 && more)
		return -EFBIG;
	return r;
}

int
cbd_hw_read_text(const char *path, char *buf, size_t size)
{
	int r;

	if (size < 1)
		return -EINVAL;
	r = cbd_hw_read_bytes_all(path, buf, size - 1);
	if (r < 0)
		return r;
	buf[r] = '\0'; /* strlen() below stops at an embedded NUL */
	return (int)cbd_strstrip(buf);
}

int
cbd_hw_read_text_at(const char *dir, const char *name, char *buf, size_t size)
{
	_cleanup_free_ char *p = cbd_strdupf("%s/%s", dir, name);

	return cbd_hw_read_text(p, buf, size);
}

void
cbd_hw_read_str_at(const char *dir, const char *name, char *buf, size_t size)
{
	if (size > 0 && cbd_hw_read_text_at(dir, name, buf, size) < 0)
		buf[0] = '\0';
}

int
cbd_hw_read_ll_at(const char *dir, const char *name, long long *ret)
{
	char buf[64];
	int r = cbd_hw_read_text_at(dir, name, buf, sizeof(buf));

	if (r < 0)
		return r;
	return cbd_parse_ll(buf, 10, ret);
}

bool
cbd_hw_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void
cbd_hw_strv_free(char **strv)
{
	for (char **s = strv; s && *s; s++)
		free(*s);
	free(strv);
}

int
cbd_hw_list_dir(const char *path, char ***ret_names, size_t *ret_n)
{
	DIR *d = opendir(path);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0;

	if (!d)
		return -errno;
	names = cbd_realloc_array(NULL, 1, sizeof(char *));
	names[0] = NULL;
	while ((de = readdir(d))) {
		if (streq(de->d_name, ".") || streq(de->d_name, ".."))
			continue;
		names = cbd_realloc_array(names, n + 2, sizeof(char *));
		names[n++] = cbd_strdup(de->d_name);
		names[n] = NULL;
	}
	closedir(d);
	qsort(names, n, sizeof(char *), cmp_str);
	*ret_names = names;
	if (ret_n)
		*ret_n = n;
	return 0;
}

int
cbd_hw_readlink_basename(const char *path, char *buf, size_t size)
{
	char target[PATH_MAX];
	ssize_t n = readlink(path, target, sizeof(target) - 1);
	const char *base;
	size_t len;

	if (n < 0)
		return -errno;
	target[n] = '\0';
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	len = strlen(base);
	if (len + 1 > size)
		return -ENAMETOOLONG;
	memcpy(buf, base, len + 1);
	return (int)len;
}
