/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* evdev ioctls. Read-only: no grab here, no event injection, ever. */
#include "hw.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/input.h>
#include <libevdev/libevdev.h>
#include <sys/ioctl.h>

int
cbd_hw_evdev_key_state(const char *devnode, uint8_t bits[CBD_KEY_BITMAP_BYTES])
{
	_cleanup_close_ int fd = -1;

	if (strncmp(devnode, "/dev/input/event", 16) != 0)
		return -EINVAL;
	fd = open(devnode, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	memset(bits, 0, CBD_KEY_BITMAP_BYTES);
	if (ioctl(fd, EVIOCGKEY(CBD_KEY_BITMAP_BYTES), bits) < 0)
		return -errno;
	return 0;
}

const char *
cbd_hw_key_name(unsigned code)
{
	const char *n = libevdev_event_code_get_name(EV_KEY, code);

	if (n && strncmp(n, "KEY_", 4) == 0)
		return n + 4;
	return n;
}
