/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The kernel log, read from /dev/kmsg (Documentation/ABI/testing/dev-kmsg):
 * each record is "prio,seq,usec,flags;message" followed by continuation lines
 * (" KEY=value") that are skipped here. Opened non-blocking, it gives every
 * record still in the ring buffer and then EAGAIN; a record overwritten while
 * reading gives EPIPE once, and reading goes on. Reading needs root (or
 * CAP_SYSLOG when dmesg_restrict is set), as the repair image has.
 */
#include "hw.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>

#define MAX_RECORDS 4096

/* The time stamp of a record's prefix "prio,seq,usec[,flags...]" (the @n
 * bytes before its ';'), read within those bytes only: a record is not a
 * NUL-terminated string. */
static bool
record_ts(const char *s, size_t n, unsigned long long *ret)
{
	unsigned long long v = 0;
	int field = 0;
	bool digits = false;

	for (size_t k = 0; k < n && !(field == 2 && s[k] == ','); k++) {
		if (s[k] == ',') {
			if (!digits)
				return false;
			field++;
			digits = false;
			continue;
		}
		if (s[k] < '0' || s[k] > '9')
			return false;
		digits = true;
		if (field == 2) {
			if (v > (ULLONG_MAX - (unsigned)(s[k] - '0')) / 10)
				return false;
			v = v * 10 + (unsigned)(s[k] - '0');
		}
	}
	if (field != 2 || !digits)
		return false;
	*ret = v;
	return true;
}

static void
take_lines(const char *buf, size_t len, const char *prefix, struct cbd_hw_kmsg_rec **v,
	   size_t *n)
{
	size_t plen = strlen(prefix);

	for (size_t i = 0; i < len;) {
		const char *line = buf + i, *end = memchr(line, '\n', len - i);
		size_t l = end ? (size_t)(end - line) : len - i;
		const char *semi = memchr(line, ';', l);
		unsigned long long ts = 0;

		i += l + 1;
		if (l == 0 || line[0] == ' ' || !semi)
			continue; /* a continuation line, or not a record */
		if (!record_ts(line, (size_t)(semi - line), &ts))
			continue;
		semi++;
		l -= (size_t)(semi - line);
		if (l < plen || strncmp(semi, prefix, plen) != 0)
			continue;
		if (*n == MAX_RECORDS) { /* keep the newest */
			free((*v)[0].msg);
			memmove(*v, *v + 1, (MAX_RECORDS - 1) * sizeof(**v));
			(*n)--;
		}
		*v = cbd_realloc_array(*v, *n + 1, sizeof(**v));
		(*v)[*n].ts_us = ts;
		(*v)[*n].msg = strndup(semi, l < 512 ? l : 512);
		if (!(*v)[*n].msg)
			abort();
		(*n)++;
	}
}

int
cbd_hw_kmsg_read(const char *prefix, struct cbd_hw_kmsg_rec **ret, size_t *ret_n)
{
	_cleanup_close_ int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	struct cbd_hw_kmsg_rec *v = NULL;
	size_t n = 0;
	char buf[8192];

	*ret = NULL;
	*ret_n = 0;
	if (fd < 0)
		return -errno;
	for (int reads = 0; reads < 200000; reads++) {
		ssize_t r = read(fd, buf, sizeof(buf));

		if (r < 0) {
			if (errno == EINTR || errno == EPIPE)
				continue; /* EPIPE: a record was overwritten; the next one follows */
			if (errno == EAGAIN)
				break; /* the end of the buffer */
			{
				int e = -errno;

				cbd_hw_kmsg_free(v, n);
				return e;
			}
		}
		if (r == 0)
			break;
		take_lines(buf, (size_t)r, prefix, &v, &n);
	}
	*ret = v;
	*ret_n = n;
	return 0;
}

void
cbd_hw_kmsg_free(struct cbd_hw_kmsg_rec *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].msg);
	free(v);
}
