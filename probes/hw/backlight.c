/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The light sweep (the panel's backlight, the keyboard's backlight LED): the
 * only place cbdiag writes to sysfs, and only when the intern asked for it
 * (--backlight-sweep or --interactive). The original level
 * is remembered on open and restored by the caller, including from a signal
 * handler (cbd_hw_light_restore is async-signal-safe).
 */
#include "hw.h"

#include <errno.h>
#include <fcntl.h>

static const char *const class_dir[] = {
	[CBD_HW_LIGHT_BACKLIGHT] = "/sys/class/backlight",
	[CBD_HW_LIGHT_LED] = "/sys/class/leds",
};

int
cbd_hw_light_open(enum cbd_hw_light_class cls, const char *name, struct cbd_hw_light *ret)
{
	_cleanup_free_ char *path = NULL;
	struct cbd_hw_light b = {.fd = -1};
	int r;

	if ((unsigned)cls >= CBD_ARRAY_SIZE(class_dir) || strchr(name, '/') || streq(name, "..") ||
	    streq(name, "."))
		return -EINVAL;
	if ((size_t)snprintf(b.dir, sizeof(b.dir), "%s/%s", class_dir[cls], name) >= sizeof(b.dir))
		return -ENAMETOOLONG;
	path = cbd_strdupf("%s/brightness", b.dir);
	r = cbd_hw_read_ll_at(b.dir, "brightness", &b.original);
	if (r < 0)
		return r;
	b.fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
	if (b.fd < 0)
		return -errno;
	b.restore_len = (size_t)snprintf(b.restore_text, sizeof(b.restore_text), "%lld\n",
					 b.original);
	*ret = b;
	return 0;
}

int
cbd_hw_light_set(const struct cbd_hw_light *b, long long level)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%lld\n", level);

	if (pwrite(b->fd, buf, (size_t)n, 0) != n)
		return -errno;
	return 0;
}

int
cbd_hw_light_get_actual(const struct cbd_hw_light *b, long long *ret)
{
	int r = cbd_hw_read_ll_at(b->dir, "actual_brightness", ret);

	if (r == -ENOENT)
		r = cbd_hw_read_ll_at(b->dir, "brightness", ret);
	return r;
}

int
cbd_hw_light_restore(const struct cbd_hw_light *b)
{
	ssize_t n = pwrite(b->fd, b->restore_text, b->restore_len, 0);

	return n == (ssize_t)b->restore_len ? 0 : -errno;
}

void
cbd_hw_light_close(struct cbd_hw_light *b)
{
	if (b && b->fd >= 0) {
		close(b->fd);
		b->fd = -1;
	}
}
