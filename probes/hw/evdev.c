/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* evdev ioctls. Read-only: grabs only while a test waits for a key or switch; no event
 * injection, ever. */
#include "hw.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/input.h>
#include <libevdev/libevdev.h>
#include <poll.h>
#include <time.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>

/*
 * Closing the last open file of an input device waits for an RCU grace
 * period in the kernel (input_close_device() calls synchronize_rcu()): 20 ms
 * of the keyboard check's 26 under emulation, and milliseconds on real
 * hardware, spent on nothing. The key-state check's files stay open until
 * the process ends instead, where that wait is off the run's path (the
 * runner takes a probe's result without waiting for its process to end).
 */
#define LINGER_MAX 16
static int lingering[LINGER_MAX];
static size_t n_lingering;

static void
close_later(int fd)
{
	if (n_lingering < LINGER_MAX)
		lingering[n_lingering++] = fd;
	else
		close(fd);
}

/* One of the state bitmaps (EVIOCGKEY, EVIOCGSW) of an event device */
static int
state_bits(const char *devnode, unsigned long req, uint8_t *bits, size_t size)
{
	int fd, r = 0;

	if (strncmp(devnode, "/dev/input/event", 16) != 0)
		return -EINVAL;
	fd = open(devnode, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	memset(bits, 0, size);
	if (ioctl(fd, req, bits) < 0)
		r = -errno;
	close_later(fd);
	return r;
}

int
cbd_hw_evdev_key_state(const char *devnode, uint8_t bits[CBD_KEY_BITMAP_BYTES])
{
	return state_bits(devnode, EVIOCGKEY(CBD_KEY_BITMAP_BYTES), bits, CBD_KEY_BITMAP_BYTES);
}

const char *
cbd_hw_key_name(unsigned code)
{
	const char *n = libevdev_event_code_get_name(EV_KEY, code);

	if (n && strncmp(n, "KEY_", 4) == 0)
		return n + 4;
	return n;
}

int
cbd_hw_evdev_open(const char *devnode, bool grab, struct cbd_hw_evdev *ret)
{
	struct cbd_hw_evdev e = {.fd = -1};
	int clk = CLOCK_MONOTONIC;

	if (strncmp(devnode, "/dev/input/event", 16) != 0)
		return -EINVAL;
	e.fd = open(devnode, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (e.fd < 0)
		return -errno;
	e.monotonic = ioctl(e.fd, EVIOCSCLOCKID, &clk) == 0;
	if (grab) {
		if (ioctl(e.fd, EVIOCGRAB, 1) < 0) {
			int r = -errno;

			close(e.fd);
			return r;
		}
		e.grabbed = true;
	}
	*ret = e;
	return 0;
}

int
cbd_hw_evdev_read(const struct cbd_hw_evdev *e, struct cbd_hw_input_event *ev, size_t max,
		  int timeout_ms)
{
	struct pollfd p = {.fd = e->fd, .events = POLLIN};
	struct input_event raw[64];
	ssize_t n;
	size_t count = 0;
	int r = poll(&p, 1, timeout_ms);

	if (r < 0)
		return errno == EINTR ? 0 : -errno;
	if (r == 0)
		return 0;
	if (p.revents & (POLLHUP | POLLERR | POLLNVAL))
		return -ENODEV;
	if (max > CBD_ARRAY_SIZE(raw))
		max = CBD_ARRAY_SIZE(raw);
	n = read(e->fd, raw, max * sizeof(raw[0]));
	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -errno;
	for (size_t i = 0; i < (size_t)n / sizeof(raw[0]); i++) {
		ev[count].time_us = e->monotonic ? (uint64_t)raw[i].input_event_sec * 1000000u +
							   (uint64_t)raw[i].input_event_usec
						 : cbd_now_mono_us();
		ev[count].type = raw[i].type;
		ev[count].code = raw[i].code;
		ev[count].value = raw[i].value;
		count++;
	}
	return (int)count;
}

void
cbd_hw_evdev_close(struct cbd_hw_evdev *e)
{
	if (!e || e->fd < 0)
		return;
	if (e->grabbed)
		(void)ioctl(e->fd, EVIOCGRAB, 0);
	close(e->fd);
	e->fd = -1;
}

int
cbd_hw_evdev_switch_state(const char *devnode, uint8_t bits[CBD_SW_BITMAP_BYTES])
{
	return state_bits(devnode, EVIOCGSW(CBD_SW_BITMAP_BYTES), bits, CBD_SW_BITMAP_BYTES);
}

int
cbd_hw_evdev_set_open(const char *const *devnodes, const bool *grab, size_t n,
		      struct cbd_hw_evdev_set *ret)
{
	struct cbd_hw_evdev_set s = {.fd = -1};
	int first_err = -ENOENT;

	*ret = s;
	s.fd = epoll_create1(EPOLL_CLOEXEC);
	if (s.fd < 0)
		return -errno;
	for (size_t i = 0; i < n && s.n < CBD_HW_EVDEV_SET_MAX; i++) {
		struct cbd_hw_evdev *e = &s.dev[s.n];
		struct epoll_event ee = {.events = EPOLLIN};
		int r = cbd_hw_evdev_open(devnodes[i], false, e);

		if (r < 0) {
			if (first_err == -ENOENT)
				first_err = r;
			continue;
		}
		/* best effort: a device another program holds still reports to us */
		e->grabbed = grab[i] && ioctl(e->fd, EVIOCGRAB, 1) == 0;
		ee.data.fd = e->fd;
		if (epoll_ctl(s.fd, EPOLL_CTL_ADD, e->fd, &ee) < 0) {
			r = -errno;
			cbd_hw_evdev_close(e);
			if (first_err == -ENOENT)
				first_err = r;
			continue;
		}
		s.n++;
	}
	if (s.n == 0) {
		close(s.fd);
		return first_err;
	}
	*ret = s;
	return (int)s.n;
}

int
cbd_hw_evdev_set_read(const struct cbd_hw_evdev_set *s, struct cbd_hw_input_event *ev,
		      size_t max)
{
	size_t count = 0;

	for (size_t i = 0; i < s->n && count < max; i++) {
		int r = cbd_hw_evdev_read(&s->dev[i], ev + count, max - count, 0);

		if (r < 0)
			return r;
		count += (size_t)r;
	}
	return (int)count;
}

void
cbd_hw_evdev_set_close(struct cbd_hw_evdev_set *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		cbd_hw_evdev_close(&s->dev[i]);
	if (s->fd >= 0)
		close(s->fd);
	*s = (struct cbd_hw_evdev_set){.fd = -1};
}

int
cbd_hw_evdev_absinfo(const char *devnode, const unsigned *codes, size_t n,
		     struct cbd_hw_absinfo *out)
{
	int fd, r = 0;

	if (strncmp(devnode, "/dev/input/event", 16) != 0)
		return -EINVAL;
	fd = open(devnode, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	for (size_t i = 0; i < n; i++) {
		struct input_absinfo a = {0};

		out[i] = (struct cbd_hw_absinfo){0};
		if (codes[i] > ABS_MAX)
			continue;
		if (ioctl(fd, EVIOCGABS(codes[i]), &a) < 0) {
			if (errno == EINVAL)
				continue; /* an axis this device does not have */
			r = -errno;
			break;
		}
		out[i] = (struct cbd_hw_absinfo){a.value,	a.minimum, a.maximum,
						 a.fuzz,	a.flat,	   a.resolution};
	}
	close_later(fd);
	return r;
}
