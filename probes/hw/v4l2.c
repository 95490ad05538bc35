/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Cameras through V4L2 (Documentation/userspace-api/media/v4l): the capture
 * nodes under /sys/class/video4linux, and a short stream from one of them
 * (VIDIOC_REQBUFS with mmap buffers, STREAMON, DQBUF until enough frames or
 * the deadline, STREAMOFF).
 *
 * Privacy: a frame never leaves this file. Each one is reduced here to a few
 * figures of its brightness (mean, spread, a hash to tell a frozen stream)
 * taken from a sparse grid of luma samples; the buffers are unmapped and
 * freed before returning. Nothing is written, stored or attached.
 */
#include "hw.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <linux/videodev2.h>

#define V4L "/sys/class/video4linux"
#define NBUF 4

static int
xioctl(int fd, unsigned long req, void *arg)
{
	int r;

	do
		r = ioctl(fd, req, arg);
	while (r < 0 && errno == EINTR);
	return r < 0 ? -errno : 0;
}

static int
open_node(const char *node)
{
	_cleanup_free_ char *dev = NULL;
	int fd;

	if (!node[0] || strchr(node, '/') || strncmp(node, "video", 5) != 0)
		return -EINVAL;
	dev = cbd_strdupf("/dev/%s", node);
	/* capture needs read-write on a V4L2 node; nothing is written to it */
	fd = open(dev, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int
cbd_hw_camera_list(struct cbd_hw_camera_node **ret, size_t *ret_n)
{
	char **names = NULL;
	struct cbd_hw_camera_node *v = NULL;
	size_t n = 0;
	int r;

	*ret = NULL;
	*ret_n = 0;
	r = cbd_hw_list_dir(V4L, &names, NULL);
	if (r < 0)
		return r == -ENOENT ? 0 : r;
	for (size_t i = 0; names[i]; i++) {
		_cleanup_free_ char *dir = cbd_strdupf(V4L "/%s", names[i]);
		_cleanup_free_ char *subsys = cbd_strdupf("%s/device/subsystem", dir);
		struct cbd_hw_camera_node *c;
		struct v4l2_capability cap = {0};
		int fd;

		if (strncmp(names[i], "video", 5) != 0)
			continue;
		v = cbd_realloc_array(v, n + 1, sizeof(*v));
		c = &v[n++];
		*c = (struct cbd_hw_camera_node){0};
		snprintf(c->node, sizeof(c->node), "%s", names[i]);
		cbd_hw_read_str_at(dir, "name", c->name, sizeof(c->name));
		if (cbd_hw_readlink_basename(subsys, c->bus, sizeof(c->bus)) < 0)
			c->bus[0] = '\0';
		fd = open_node(c->node);
		if (fd < 0) {
			c->open_err = fd;
			continue;
		}
		if (xioctl(fd, VIDIOC_QUERYCAP, &cap) == 0) {
			uint32_t caps = (cap.capabilities & V4L2_CAP_DEVICE_CAPS) ? cap.device_caps
										  : cap.capabilities;

			snprintf(c->driver, sizeof(c->driver), "%.*s", (int)sizeof(cap.driver),
				 (const char *)cap.driver);
			snprintf(c->card, sizeof(c->card), "%.*s", (int)sizeof(cap.card),
				 (const char *)cap.card);
			c->capture = caps & V4L2_CAP_VIDEO_CAPTURE;
			c->capture_mplane = caps & V4L2_CAP_VIDEO_CAPTURE_MPLANE;
			c->streaming = caps & V4L2_CAP_STREAMING;
		} else {
			c->open_err = -ENOTTY;
		}
		close(fd);
	}
	cbd_hw_strv_free(names);
	*ret = v;
	*ret_n = n;
	return 0;
}

/* Where the luma samples of a frame are: byte offset of pixel (0,0), the step
 * between neighbouring pixels, 0 when the format has no luma plane read here */
static unsigned
luma_layout(uint32_t fourcc, unsigned *first)
{
	switch (fourcc) {
	case V4L2_PIX_FMT_YUYV:
	case V4L2_PIX_FMT_YVYU:
		*first = 0;
		return 2;
	case V4L2_PIX_FMT_UYVY:
	case V4L2_PIX_FMT_VYUY:
		*first = 1;
		return 2;
	case V4L2_PIX_FMT_GREY:
	case V4L2_PIX_FMT_NV12:
	case V4L2_PIX_FMT_NV21:
	case V4L2_PIX_FMT_YUV420:
	case V4L2_PIX_FMT_YVU420:
		*first = 0;
		return 1;
	default:
		return 0;
	}
}

/* Mean and spread of a grid of luma samples (every 4th pixel of every 4th
 * line: fine enough that a changing digit changes the hash), and a hash of them */
static void
frame_figures(const uint8_t *p, size_t len, const struct v4l2_pix_format *f, double *mean,
	      double *sd, uint64_t *hash)
{
	unsigned first, step = luma_layout(f->pixelformat, &first);
	double sum = 0, sq = 0;
	uint64_t h = 1469598103934665603ull;
	size_t n = 0;

	for (uint32_t y = 0; y < f->height; y += 4)
		for (uint32_t x = 0; x < f->width; x += 4) {
			size_t off = (size_t)y * f->bytesperline + (size_t)x * step + first;
			uint8_t v;

			if (off >= len)
				break;
			v = p[off];
			sum += v;
			sq += (double)v * v;
			h = (h ^ v) * 1099511628211ull;
			n++;
		}
	*mean = n ? sum / n : 0;
	*sd = n ? sqrt(fmax(0, sq / n - *mean * *mean)) : 0;
	*hash = h;
}

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct stream {
	int fd;
	void *map[NBUF];
	size_t len[NBUF];
	unsigned n;
	bool on;
};

static void
stream_close(struct stream *s)
{
	enum v4l2_buf_type type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
	struct v4l2_requestbuffers rb = {.type = type, .memory = V4L2_MEMORY_MMAP};

	if (s->on)
		(void)xioctl(s->fd, VIDIOC_STREAMOFF, &type);
	for (unsigned i = 0; i < s->n; i++)
		if (s->map[i] && s->map[i] != MAP_FAILED)
			munmap(s->map[i], s->len[i]);
	if (s->n)
		(void)xioctl(s->fd, VIDIOC_REQBUFS, &rb); /* count 0: free them */
	close(s->fd);
}

/* A format whose luma can be read, at the size the camera is set to, when
 * its current one has none (a camera in MJPEG) */
static int
choose_format(int fd, struct v4l2_format *fmt)
{
	unsigned first;
	int r;

	fmt->type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
	r = xioctl(fd, VIDIOC_G_FMT, fmt);
	if (r < 0)
		return r;
	if (luma_layout(fmt->fmt.pix.pixelformat, &first))
		return 0;
	{
		struct v4l2_format want = *fmt;

		want.fmt.pix.pixelformat = V4L2_PIX_FMT_YUYV;
		want.fmt.pix.bytesperline = 0;
		want.fmt.pix.sizeimage = 0;
		if (xioctl(fd, VIDIOC_S_FMT, &want) == 0)
			*fmt = want;
	}
	return 0;
}

static int
stream_start(struct stream *s)
{
	enum v4l2_buf_type type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
	struct v4l2_requestbuffers rb = {
	    .count = NBUF, .type = type, .memory = V4L2_MEMORY_MMAP};
	int r;

	r = xioctl(s->fd, VIDIOC_REQBUFS, &rb);
	if (r < 0)
		return r;
	if (rb.count == 0)
		return -ENOMEM;
	s->n = rb.count > NBUF ? NBUF : rb.count;
	for (unsigned i = 0; i < s->n; i++) {
		struct v4l2_buffer b = {.type = type, .memory = V4L2_MEMORY_MMAP, .index = i};

		r = xioctl(s->fd, VIDIOC_QUERYBUF, &b);
		if (r < 0)
			return r;
		s->len[i] = b.length;
		s->map[i] = mmap(NULL, b.length, PROT_READ, MAP_SHARED, s->fd, b.m.offset);
		if (s->map[i] == MAP_FAILED)
			return -errno;
		r = xioctl(s->fd, VIDIOC_QBUF, &b);
		if (r < 0)
			return r;
	}
	r = xioctl(s->fd, VIDIOC_STREAMON, &type);
	s->on = r == 0;
	return r;
}

int
cbd_hw_camera_grab(const char *node, unsigned frames, unsigned timeout_ms,
		   struct cbd_hw_camera_grab *out)
{
	struct stream s = {.fd = -1};
	struct v4l2_format fmt = {0};
	long long t0 = now_ms(), deadline = t0 + timeout_ms;
	uint64_t first_hash = 0;
	unsigned first;
	int r;

	memset(out, 0, sizeof(*out));
	s.fd = open_node(node);
	if (s.fd < 0)
		return s.fd;
	r = choose_format(s.fd, &fmt);
	if (r < 0)
		goto out;
	out->width = fmt.fmt.pix.width;
	out->height = fmt.fmt.pix.height;
	out->fourcc = fmt.fmt.pix.pixelformat;
	out->luma = luma_layout(out->fourcc, &first) != 0;
	out->all_identical = true;
	r = stream_start(&s);
	if (r < 0)
		goto out;
	while (out->frames < frames) {
		struct v4l2_buffer b = {.type = V4L2_BUF_TYPE_VIDEO_CAPTURE,
					.memory = V4L2_MEMORY_MMAP};
		struct pollfd p = {.fd = s.fd, .events = POLLIN};
		long long left = deadline - now_ms();

		if (left <= 0) {
			r = -ETIMEDOUT;
			break;
		}
		r = poll(&p, 1, (int)left);
		if (r < 0 && errno != EINTR) {
			r = -errno;
			break;
		}
		if (r <= 0)
			continue;
		r = xioctl(s.fd, VIDIOC_DQBUF, &b);
		if (r == -EAGAIN)
			continue;
		if (r < 0)
			break;
		if (b.index < s.n && !(b.flags & V4L2_BUF_FLAG_ERROR)) {
			uint64_t h = 0;

			if (out->frames == 0)
				out->first_frame_ms = (unsigned)(now_ms() - t0);
			if (b.bytesused < fmt.fmt.pix.sizeimage)
				out->short_frames++;
			if (out->luma)
				frame_figures(s.map[b.index],
					      b.bytesused && b.bytesused < s.len[b.index]
						  ? b.bytesused
						  : s.len[b.index],
					      &fmt.fmt.pix, &out->mean, &out->stddev, &h);
			if (out->frames == 0)
				first_hash = h;
			else if (h != first_hash)
				out->all_identical = false;
			out->frames++;
		} else {
			out->error_frames++;
		}
		r = xioctl(s.fd, VIDIOC_QBUF, &b);
		if (r < 0)
			break;
	}
	if (out->frames < 2 || !out->luma)
		out->all_identical = false; /* nothing to tell from */
out:
	stream_close(&s);
	return out->frames ? 0 : r < 0 ? r : -EIO;
}
