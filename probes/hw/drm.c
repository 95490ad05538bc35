/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * KMS dumb buffers for the colour-pattern test (libdrm). Reads connectors and
 * modes; the only state it changes is which buffer the CRTC scans out, and it
 * puts the previous one back when done, on error and on a signal.
 */
#include "hw.h"

#include <drm.h>
#include <drm_fourcc.h>
#include <drm_mode.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

_Static_assert(sizeof(struct drm_mode_crtc) <= sizeof(((struct cbd_hw_screen *)0)->saved_req),
	       "saved_req too small");
_Static_assert(sizeof(drmModeModeInfo) <= sizeof(((struct cbd_hw_screen *)0)->mode),
	       "mode too small");

static bool
connector_matches(const drmModeConnector *c, const char *name)
{
	const char *type = drmModeGetConnectorTypeName(c->connector_type);
	char buf[64];

	if (!type)
		return false;
	snprintf(buf, sizeof(buf), "%s-%u", type, c->connector_type_id);
	return streq(buf, name);
}

/* The CRTC driving the connector now, else the first one its encoders can use. */
static uint32_t
pick_crtc(int fd, const drmModeRes *res, const drmModeConnector *c)
{
	if (c->encoder_id) {
		drmModeEncoder *e = drmModeGetEncoder(fd, c->encoder_id);
		uint32_t id = e ? e->crtc_id : 0;

		drmModeFreeEncoder(e);
		if (id)
			return id;
	}
	for (int i = 0; i < c->count_encoders; i++) {
		drmModeEncoder *e = drmModeGetEncoder(fd, c->encoders[i]);

		if (!e)
			continue;
		for (int j = 0; j < res->count_crtcs && j < 32; j++) {
			if (e->possible_crtcs & (1u << j)) {
				drmModeFreeEncoder(e);
				return res->crtcs[j];
			}
		}
		drmModeFreeEncoder(e);
	}
	return 0;
}

static const drmModeModeInfo *
preferred_mode(const drmModeConnector *c)
{
	for (int i = 0; i < c->count_modes; i++)
		if (c->modes[i].type & DRM_MODE_TYPE_PREFERRED)
			return &c->modes[i];
	return c->count_modes > 0 ? &c->modes[0] : NULL;
}

static void
save_crtc(struct cbd_hw_screen *s)
{
	drmModeCrtc *old = drmModeGetCrtc(s->fd, s->crtc_id);
	struct drm_mode_crtc req = {0};

	if (!old)
		return;
	req.crtc_id = s->crtc_id;
	req.fb_id = old->buffer_id;
	req.x = old->x;
	req.y = old->y;
	if (old->mode_valid && old->buffer_id) {
		memcpy(&req.mode, &old->mode, sizeof(req.mode));
		req.mode_valid = 1;
		req.count_connectors = 1; /* the pointer is set where the request is used */
	}
	/* a CRTC that was off is switched off again: no fb, no mode */
	s->saved_conn = s->conn_id;
	memcpy(s->saved_req, &req, sizeof(req));
	s->have_saved = true;
	drmModeFreeCrtc(old);
}

int
cbd_hw_screen_open(const char *card, const char *connector, struct cbd_hw_screen *ret)
{
	struct cbd_hw_screen s = {.fd = -1};
	struct drm_mode_create_dumb create = {0};
	struct drm_mode_map_dumb map = {0};
	drmModeRes *res = NULL;
	drmModeConnector *conn = NULL;
	const drmModeModeInfo *mode;
	char path[64];
	uint32_t handles[4] = {0}, pitches[4] = {0}, offsets[4] = {0};
	int r = -ENODEV;
	void *p;

	*ret = s;
	if (strncmp(card, "card", 4) != 0 || strchr(card, '/'))
		return -EINVAL;
	snprintf(path, sizeof(path), "/dev/dri/%s", card);
	s.fd = open(path, O_RDWR | O_CLOEXEC | O_NOCTTY);
	if (s.fd < 0)
		return -errno;
	res = drmModeGetResources(s.fd);
	if (!res) {
		r = errno ? -errno : -ENODEV;
		goto fail;
	}
	for (int i = 0; i < res->count_connectors && !s.conn_id; i++) {
		drmModeConnector *c = drmModeGetConnectorCurrent(s.fd, res->connectors[i]);

		if (c && connector_matches(c, connector)) {
			conn = c;
			s.conn_id = c->connector_id;
		} else {
			drmModeFreeConnector(c);
		}
	}
	if (!conn || !(mode = preferred_mode(conn)) || !(s.crtc_id = pick_crtc(s.fd, res, conn)))
		goto fail;
	s.width = mode->hdisplay;
	s.height = mode->vdisplay;
	s.refresh_hz = mode->vrefresh;

	create.width = s.width;
	create.height = s.height;
	create.bpp = 32;
	if (drmIoctl(s.fd, DRM_IOCTL_MODE_CREATE_DUMB, &create) < 0) {
		r = -errno;
		goto fail;
	}
	s.handle = create.handle;
	s.pitch = create.pitch;
	s.size = create.size;
	handles[0] = s.handle;
	pitches[0] = s.pitch;
	if (drmModeAddFB2(s.fd, s.width, s.height, DRM_FORMAT_XRGB8888, handles, pitches, offsets,
			  &s.fb_id, 0) < 0) {
		r = -errno;
		goto fail;
	}
	map.handle = s.handle;
	if (drmIoctl(s.fd, DRM_IOCTL_MODE_MAP_DUMB, &map) < 0) {
		r = -errno;
		goto fail;
	}
	p = mmap(NULL, s.size, PROT_READ | PROT_WRITE, MAP_SHARED, s.fd, (off_t)map.offset);
	if (p == MAP_FAILED) {
		r = -errno;
		goto fail;
	}
	s.pixels = p;
	memcpy(s.mode, mode, sizeof(*mode));
	save_crtc(&s);
	drmModeFreeConnector(conn);
	drmModeFreeResources(res);
	*ret = s;
	return 0;
fail:
	drmModeFreeConnector(conn);
	drmModeFreeResources(res);
	cbd_hw_screen_close(&s);
	return r;
}

int
cbd_hw_screen_show(struct cbd_hw_screen *s)
{
	drmModeClip clip = {0, 0, (uint16_t)s->width, (uint16_t)s->height};
	drmModeModeInfo mode;

	if (s->fbdev)
		return cbd_hw_fbdev_show(s);
	if (!s->shown) {
		memcpy(&mode, s->mode, sizeof(mode));
		if (drmModeSetCrtc(s->fd, s->crtc_id, s->fb_id, 0, 0, &s->conn_id, 1, &mode) < 0)
			return -errno;
		s->shown = true;
	}
	/* drivers with a shadow or a host copy (virtio-gpu, manual-update panels)
	 * only show what they are told changed; the others do not implement it */
	if (drmModeDirtyFB(s->fd, s->fb_id, &clip, 1) < 0 && errno != ENOSYS && errno != EOPNOTSUPP &&
	    errno != EINVAL)
		return -errno;
	return 0;
}

void
cbd_hw_screen_restore_signal_safe(const struct cbd_hw_screen *s)
{
	struct drm_mode_crtc req;

	if (s->fbdev) {
		cbd_hw_fbdev_restore_signal_safe(s);
		return;
	}
	if (s->fd < 0 || !s->shown || !s->have_saved)
		return;
	memcpy(&req, s->saved_req, sizeof(req));
	if (req.count_connectors)
		req.set_connectors_ptr = (uint64_t)(uintptr_t)&s->saved_conn;
	(void)ioctl(s->fd, DRM_IOCTL_MODE_SETCRTC, &req);
}

void
cbd_hw_screen_hide(struct cbd_hw_screen *s)
{
	if (s->fbdev) {
		cbd_hw_fbdev_hide(s);
		return;
	}
	cbd_hw_screen_restore_signal_safe(s);
	/* the next show sets the CRTC to our buffer again */
	s->shown = false;
}

void
cbd_hw_screen_close(struct cbd_hw_screen *s)
{
	if (s->fbdev) {
		cbd_hw_fbdev_close(s);
		return;
	}
	if (s->fd < 0)
		return;
	if (s->shown && s->have_saved) {
		struct drm_mode_crtc req;

		memcpy(&req, s->saved_req, sizeof(req));
		if (req.count_connectors)
			req.set_connectors_ptr = (uint64_t)(uintptr_t)&s->saved_conn;
		(void)drmIoctl(s->fd, DRM_IOCTL_MODE_SETCRTC, &req);
	}
	if (s->pixels)
		munmap(s->pixels, s->size);
	if (s->fb_id)
		drmModeRmFB(s->fd, s->fb_id);
	if (s->handle) {
		struct drm_mode_destroy_dumb d = {.handle = s->handle};

		(void)drmIoctl(s->fd, DRM_IOCTL_MODE_DESTROY_DUMB, &d);
	}
	close(s->fd);
	*s = (struct cbd_hw_screen){.fd = -1, .tty_fd = -1};
}

int
cbd_hw_drm_probe_connector(const char *card, const char *connector)
{
	drmModeRes *res;
	char path[64];
	int fd, r = -ENODEV;

	if (strncmp(card, "card", 4) != 0 || strchr(card, '/'))
		return -EINVAL;
	snprintf(path, sizeof(path), "/dev/dri/%s", card);
	fd = open(path, O_RDWR | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	res = drmModeGetResources(fd);
	for (int i = 0; res && i < res->count_connectors && r == -ENODEV; i++) {
		drmModeConnector *c = drmModeGetConnectorCurrent(fd, res->connectors[i]);

		if (c && connector_matches(c, connector)) {
			/* drmModeGetConnector, not ...Current: the probing call, for
			 * this connector only */
			drmModeConnector *p = drmModeGetConnector(fd, res->connectors[i]);

			r = p ? 0 : (errno ? -errno : -EIO);
			drmModeFreeConnector(p);
		}
		drmModeFreeConnector(c);
	}
	if (!res)
		r = errno ? -errno : -ENODEV;
	drmModeFreeResources(res);
	close(fd);
	return r;
}
