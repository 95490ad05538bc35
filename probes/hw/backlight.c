/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The backlight sweep: the only place cbdiag writes to sysfs, and only when the
 * intern asked for it (--backlight-sweep or --interactive). The original level
 * is remembered on open and restored by the caller, including from a signal
 * handler (cbd_hw_backlight_restore is async-signal-safe).
 */
#include "hw.h"

#include <errno.h>
#include <fcntl.h>

#define BL "/sys/class/backlight"

int
cbd_hw_backlight_open(const char *name, struct cbd_hw_backlight *ret)
{
	_cleanup_free_ char *dir = NULL, *path = NULL;
	struct cbd_hw_backlight b = {.fd = -1};
	int r;

	if (strchr(name, '/') || streq(name, "..") || streq(name, "."))
		return -EINVAL;
	dir = cbd_strdupf(BL "/%s", name);
	path = cbd_strdupf("%s/brightness", dir);
	r = cbd_hw_read_ll_at(dir, "brightness", &b.original);
	if (r < 0)
		return r;
	b.fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
	if (b.fd < 0)
		return -errno;
	snprintf(b.name, sizeof(b.name), "%s", name);
	b.restore_len = (size_t)snprintf(b.restore_text, sizeof(b.restore_text), "%lld\n",
					 b.original);
	*ret = b;
	return 0;
}

int
cbd_hw_backlight_set(const struct cbd_hw_backlight *b, long long level)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%lld\n", level);

	if (pwrite(b->fd, buf, (size_t)n, 0) != n)
		return -errno;
	return 0;
}

int
cbd_hw_backlight_get_actual(const struct cbd_hw_backlight *b, long long *ret)
{
	_cleanup_free_ char *dir = cbd_strdupf(BL "/%s", b->name);
	int r = cbd_hw_read_ll_at(dir, "actual_brightness", ret);

	if (r == -ENOENT)
		r = cbd_hw_read_ll_at(dir, "brightness", ret);
	return r;
}

int
cbd_hw_backlight_restore(const struct cbd_hw_backlight *b)
{
	ssize_t n = pwrite(b->fd, b->restore_text, b->restore_len, 0);

	return n == (ssize_t)b->restore_len ? 0 : -errno;
}

void
cbd_hw_backlight_close(struct cbd_hw_backlight *b)
{
	if (b && b->fd >= 0) {
		close(b->fd);
		b->fd = -1;
	}
}
