/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Gathering half of the display probe: /sys/class/drm, /sys/class/backlight and
 * /sys/class/graphics (framebuffer devices). */
#include "display.h"

#include <ctype.h>
#include <errno.h>

#include "hw.h"

/* "card0-eDP-1" -> card "card0", connector "eDP-1"; false for "card0", "renderD128" */
static bool
split_connector(const char *entry, char *card, size_t csize, char *name, size_t nsize)
{
	const char *p = entry + 4;

	if (strncmp(entry, "card", 4) != 0 || !isdigit((unsigned char)*p))
		return false;
	while (isdigit((unsigned char)*p))
		p++;
	if (*p != '-' || !p[1])
		return false;
	snprintf(card, csize, "%.*s", (int)(p - entry), entry);
	snprintf(name, nsize, "%s", p + 1);
	return true;
}

static void
read_connector(const char *entry, struct cbd_connector_raw *c)
{
	_cleanup_free_ char *dir = cbd_strdupf("/sys/class/drm/%s", entry);
	_cleanup_free_ char *edid_path = cbd_strdupf("%s/edid", dir);
	char modes[4096], *save = NULL;
	uint8_t *buf = cbd_zalloc(CBD_EDID_MAX_BYTES);
	int n;

	cbd_hw_read_str_at(dir, "status", c->status, sizeof(c->status));
	cbd_hw_read_str_at(dir, "enabled", c->enabled, sizeof(c->enabled));
	if (cbd_hw_read_text_at(dir, "modes", modes, sizeof(modes)) >= 0)
		for (char *m = strtok_r(modes, "\n", &save); m && c->n_modes < CBD_MAX_MODES;
		     m = strtok_r(NULL, "\n", &save))
			snprintf(c->modes[c->n_modes++], sizeof(c->modes[0]), "%s", m);
	n = cbd_hw_read_bytes(edid_path, buf, CBD_EDID_MAX_BYTES);
	if (n < 0 && n != -ENOENT) {
		c->edid_err = n;
	} else if (n > 0) {
		c->edid = buf;
		c->edid_len = (size_t)n;
		buf = NULL;
	}
	free(buf);
}

int
cbd_display_read(struct cbd_display_raw *ret)
{
	struct cbd_display_raw r = {0};
	char **names = NULL;
	size_t n = 0;

	if (cbd_hw_list_dir("/sys/class/drm", &names, &n) == 0) {
		r.conn = cbd_realloc_array(NULL, n + 1, sizeof(*r.conn));
		for (size_t i = 0; i < n; i++) {
			struct cbd_connector_raw *c = &r.conn[r.n_conn];

			*c = (struct cbd_connector_raw){0};
			if (!split_connector(names[i], c->card, sizeof(c->card), c->name,
			                     sizeof(c->name)))
				continue;
			read_connector(names[i], c);
			r.n_conn++;
		}
		cbd_hw_strv_free(names);
	}
	names = NULL;
	if (cbd_hw_list_dir("/sys/class/backlight", &names, &n) == 0) {
		r.bl = cbd_realloc_array(NULL, n + 1, sizeof(*r.bl));
		for (size_t i = 0; i < n; i++) {
			_cleanup_free_ char *dir = cbd_strdupf("/sys/class/backlight/%s", names[i]);
			struct cbd_backlight_raw *b = &r.bl[r.n_bl++];

			*b = (struct cbd_backlight_raw){0};
			snprintf(b->name, sizeof(b->name), "%s", names[i]);
			cbd_hw_read_str_at(dir, "type", b->type, sizeof(b->type));
			if (cbd_hw_read_ll_at(dir, "max_brightness", &b->max_brightness) < 0)
				b->max_brightness = -1;
			if (cbd_hw_read_ll_at(dir, "brightness", &b->brightness) < 0)
				b->brightness = -1;
			if (cbd_hw_read_ll_at(dir, "actual_brightness", &b->actual_brightness) < 0)
				b->actual_brightness = -1;
		}
		cbd_hw_strv_free(names);
	}
	names = NULL;
	if (cbd_hw_list_dir("/sys/class/graphics", &names, &n) == 0) {
		r.fb = cbd_realloc_array(NULL, n + 1, sizeof(*r.fb));
		for (size_t i = 0; i < n; i++) {
			_cleanup_free_ char *dir = NULL;
			struct cbd_fb_raw *f = &r.fb[r.n_fb];
			char size[32] = "";
			long long bpp = 0;

			/* "fb0"; not "fbcon", the console's own entry */
			if (strncmp(names[i], "fb", 2) != 0 || !isdigit((unsigned char)names[i][2]))
				continue;
			dir = cbd_strdupf("/sys/class/graphics/%s", names[i]);
			*f = (struct cbd_fb_raw){0};
			snprintf(f->dev, sizeof(f->dev), "%s", names[i]);
			cbd_hw_read_str_at(dir, "name", f->name, sizeof(f->name));
			cbd_hw_read_str_at(dir, "virtual_size", size, sizeof(size));
			if (sscanf(size, "%u,%u", &f->width, &f->height) != 2)
				f->width = f->height = 0;
			if (cbd_hw_read_ll_at(dir, "bits_per_pixel", &bpp) == 0 && bpp > 0 &&
			    bpp <= 64)
				f->bpp = (unsigned)bpp;
			r.n_fb++;
		}
		cbd_hw_strv_free(names);
	}
	*ret = r;
	return 0;
}

const struct cbd_fb_raw *
cbd_display_firmware_fb(const struct cbd_display_raw *raw)
{
	const struct cbd_fb_raw *best = NULL;

	if (raw->n_conn > 0)
		return NULL; /* a KMS driver runs: the DRM path */
	for (size_t i = 0; i < raw->n_fb; i++)
		if (!best || strcmp(raw->fb[i].dev, best->dev) < 0)
			best = &raw->fb[i];
	return best;
}

void
cbd_display_raw_clear(struct cbd_display_raw *r)
{
	for (size_t i = 0; i < r->n_conn; i++)
		free(r->conn[i].edid);
	free(r->conn);
	free(r->bl);
	free(r->fb);
	*r = (struct cbd_display_raw){0};
}
