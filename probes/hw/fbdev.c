/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The colour-pattern test on a framebuffer device (/dev/fbN), for machines
 * whose kernel has no display (KMS) driver for their graphics: the screen
 * then runs on the firmware's framebuffer (coreboot's through simplefb,
 * UEFI's through efifb, VESA's through vesafb). cbdiag paints into its own
 * XRGB8888 buffer as with DRM; showing converts it into the device's pixel
 * format. While the patterns show, the console's virtual terminal is in
 * graphics mode (KDSETMODE), so the console neither draws text nor blinks a
 * cursor over them. Everything is put back afterwards, also from a signal
 * handler: the framebuffer's earlier contents and the terminal's text mode.
 */
#include "hw.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/fb.h>
#include <linux/kd.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

int
cbd_hw_screen_open_fbdev(const char *fb, struct cbd_hw_screen *ret)
{
	struct cbd_hw_screen s = {.fd = -1, .fbdev = true, .tty_fd = -1};
	struct fb_var_screeninfo var;
	struct fb_fix_screeninfo fix;
	char path[64];
	void *p;
	int r, mode;

	if (strncmp(fb, "fb", 2) != 0 || strchr(fb, '/'))
		return -EINVAL;
	snprintf(path, sizeof(path), "/dev/%s", fb);
	s.fd = open(path, O_RDWR | O_CLOEXEC | O_NOCTTY);
	if (s.fd < 0)
		return -errno;
	if (ioctl(s.fd, FBIOGET_VSCREENINFO, &var) < 0 || ioctl(s.fd, FBIOGET_FSCREENINFO, &fix) < 0) {
		r = -errno;
		goto fail;
	}
	/* packed true-colour pixels of 16, 24 or 32 bits; palettes and planes are not drawn */
	if (fix.type != FB_TYPE_PACKED_PIXELS || fix.visual != FB_VISUAL_TRUECOLOR ||
	    (var.bits_per_pixel != 16 && var.bits_per_pixel != 24 && var.bits_per_pixel != 32) ||
	    var.xres == 0 || var.yres == 0 || fix.line_length < var.xres * (var.bits_per_pixel / 8)) {
		r = -EOPNOTSUPP;
		goto fail;
	}
	s.width = var.xres;
	s.height = var.yres;
	s.fb_bpp = var.bits_per_pixel;
	s.fb_line = fix.line_length;
	s.fb_off[0] = var.red.offset, s.fb_len[0] = var.red.length;
	s.fb_off[1] = var.green.offset, s.fb_len[1] = var.green.length;
	s.fb_off[2] = var.blue.offset, s.fb_len[2] = var.blue.length;
	/* the visible part: the panning offset and the rows shown */
	s.fb_start = (size_t)var.yoffset * fix.line_length + (size_t)var.xoffset * (var.bits_per_pixel / 8);
	s.fb_size = fix.smem_len;
	if (s.fb_start + (size_t)s.height * s.fb_line > s.fb_size) {
		r = -EOPNOTSUPP;
		goto fail;
	}
	if (var.pixclock && var.left_margin + var.xres + var.right_margin + var.hsync_len &&
	    var.upper_margin + var.yres + var.lower_margin + var.vsync_len) {
		double hz = 1e12 / var.pixclock /
			    (var.left_margin + var.xres + var.right_margin + var.hsync_len) /
			    (var.upper_margin + var.yres + var.lower_margin + var.vsync_len);

		s.refresh_hz = (uint32_t)(hz + 0.5);
	}
	p = mmap(NULL, s.fb_size, PROT_READ | PROT_WRITE, MAP_SHARED, s.fd, 0);
	if (p == MAP_FAILED) {
		r = -errno;
		goto fail;
	}
	s.fb_mem = p;
	s.pitch = s.width * 4;
	s.size = (size_t)s.pitch * s.height;
	s.pixels = cbd_zalloc(s.size);
	s.fb_saved = cbd_zalloc((size_t)s.height * s.fb_line);
	memcpy(s.fb_saved, s.fb_mem + s.fb_start, (size_t)s.height * s.fb_line);
	/* the console's terminal: graphics mode while the patterns show (no VT,
	 * as on a serial console, leaves nothing to quiet) */
	s.tty_fd = open("/dev/tty0", O_RDWR | O_CLOEXEC | O_NOCTTY);
	if (s.tty_fd >= 0 && ioctl(s.tty_fd, KDGETMODE, &mode) == 0) {
		s.tty_saved_mode = mode;
	} else if (s.tty_fd >= 0) {
		close(s.tty_fd);
		s.tty_fd = -1;
	}
	*ret = s;
	return 0;
fail:
	close(s.fd);
	return r;
}

int
cbd_hw_fbdev_show(struct cbd_hw_screen *s)
{
	unsigned bytes = s->fb_bpp / 8;

	if (!s->shown) {
		/* what the console shows now (the question asked since the
		 * last pattern): what hiding puts back */
		memcpy(s->fb_saved, s->fb_mem + s->fb_start, (size_t)s->height * s->fb_line);
		if (s->tty_fd >= 0 && ioctl(s->tty_fd, KDSETMODE, KD_GRAPHICS) < 0)
			return -errno;
		s->shown = true;
	}
	for (uint32_t y = 0; y < s->height; y++) {
		uint8_t *row = s->fb_mem + s->fb_start + (size_t)y * s->fb_line;
		const uint32_t *src = s->pixels + (size_t)y * s->width;

		for (uint32_t x = 0; x < s->width; x++) {
			uint32_t v = cbd_pixel_pack(src[x], s->fb_off, s->fb_len);

			if (bytes == 4)
				memcpy(row + (size_t)x * 4, &v, 4);
			else if (bytes == 2) {
				uint16_t v16 = (uint16_t)v;

				memcpy(row + (size_t)x * 2, &v16, 2);
			} else {
				row[x * 3] = (uint8_t)v;
				row[x * 3 + 1] = (uint8_t)(v >> 8);
				row[x * 3 + 2] = (uint8_t)(v >> 16);
			}
		}
	}
	return 0;
}

/* async-signal-safe: a copy and one ioctl */
void
cbd_hw_fbdev_restore_signal_safe(const struct cbd_hw_screen *s)
{
	if (!s->shown)
		return;
	memcpy(s->fb_mem + s->fb_start, s->fb_saved, (size_t)s->height * s->fb_line);
	if (s->tty_fd >= 0) /* open only with its mode saved */
		(void)ioctl(s->tty_fd, KDSETMODE, s->tty_saved_mode);
}

void
cbd_hw_fbdev_hide(struct cbd_hw_screen *s)
{
	cbd_hw_fbdev_restore_signal_safe(s);
	s->shown = false;
}

void
cbd_hw_fbdev_close(struct cbd_hw_screen *s)
{
	cbd_hw_fbdev_restore_signal_safe(s);
	if (s->fb_mem)
		munmap(s->fb_mem, s->fb_size);
	if (s->tty_fd >= 0)
		close(s->tty_fd);
	free(s->pixels);
	free(s->fb_saved);
	close(s->fd);
	*s = (struct cbd_hw_screen){.fd = -1, .tty_fd = -1};
}

int
cbd_hw_terminal_size(int fd, int *ret_rows, int *ret_cols)
{
	struct winsize ws;

	if (ioctl(fd, TIOCGWINSZ, &ws) < 0)
		return -errno;
	if (ws.ws_row == 0 || ws.ws_col == 0)
		return -ENOTTY;
	*ret_rows = ws.ws_row;
	*ret_cols = ws.ws_col;
	return 0;
}
