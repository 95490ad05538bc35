/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The display probe: DRM connectors and backlights from sysfs
 * (display-read.c, through probes/hw), EDIDs decoded by edid.c, verdicts in
 * display-judge.c. Nothing is ever written: not a connector's status, not
 * the brightness (the sweep is a separate, requested step).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "edid.h"
#include "probe.h"
#include "sweep.h"

#define CBD_EDID_MAX_BYTES (CBD_EDID_BLOCK * CBD_EDID_MAX_BLOCKS)
#define CBD_MAX_MODES 32

struct cbd_connector_raw {
	char card[16];      /* card0 */
	char name[48];      /* eDP-1 */
	char status[24];    /* connected, disconnected, unknown */
	char enabled[16];   /* enabled, disabled */
	char modes[CBD_MAX_MODES][24];
	int n_modes;
	uint8_t *edid; /* owned, NULL when the attribute is empty or unreadable */
	size_t edid_len;
	int edid_err; /* -errno when the edid attribute could not be read */
};

struct cbd_backlight_raw {
	char name[64];
	char type[16]; /* firmware, platform, raw */
	long long max_brightness, brightness, actual_brightness; /* -1 when unreadable */
};

/* a framebuffer device (/sys/class/graphics/fbN) */
struct cbd_fb_raw {
	char dev[16];  /* "fb0" */
	char name[32]; /* the driver's name for it: "EFI VGA", "simple", "i915drmfb" */
	unsigned width, height, bpp;
};

struct cbd_display_raw {
	struct cbd_connector_raw *conn;
	size_t n_conn;
	struct cbd_backlight_raw *bl;
	size_t n_bl;
	struct cbd_fb_raw *fb;
	size_t n_fb;
};

/** The firmware's framebuffer when the kernel has no display (KMS) driver: no
 * DRM connector at all, and a framebuffer device. NULL otherwise. */
const struct cbd_fb_raw *cbd_display_firmware_fb(const struct cbd_display_raw *raw);

int cbd_display_read(struct cbd_display_raw *ret);
void cbd_display_raw_clear(struct cbd_display_raw *r);

/* ---- pure ---------------------------------------------------------------- */

/** Internal panel connector types: eDP, LVDS, DSI, DPI, and Virtual (a VM's screen). */
bool cbd_connector_is_internal(const char *name);

/** The backlight to report: type firmware over platform over raw, then by name. */
const struct cbd_backlight_raw *cbd_backlight_pick(const struct cbd_backlight_raw *bl, size_t n);

/** The name to show for a panel: the display name, else the SPWG part number,
 * else the last alphanumeric string (eDP panels keep their part number there). */
const char *cbd_edid_panel_name(const struct cbd_edid *e);

/* The backlight sweep is probes/sweep.h's cbd_light_sweep(). */

/* ---- the colour-pattern test (pattern.c) --------------------------------- */

enum cbd_pattern {
	CBD_PATTERN_RED,
	CBD_PATTERN_GREEN,
	CBD_PATTERN_BLUE,
	CBD_PATTERN_WHITE,
	CBD_PATTERN_BLACK,
	CBD_PATTERN_GREY,
	CBD_PATTERN_CHECKER,
	CBD_N_PATTERNS,
};
/* what the intern can mark on a pattern, one letter each */
enum {
	CBD_DEFECT_DEAD_PIXELS = 1u << 0, /* d: dead or stuck pixels */
	CBD_DEFECT_LINES = 1u << 1,       /* l: lines or bands */
	CBD_DEFECT_BLEEDING = 1u << 2,    /* b: bleeding, patches, cracks */
	CBD_DEFECT_FLICKER = 1u << 3,     /* f: flicker */
	CBD_DEFECT_DIM = 1u << 4,         /* m: dim or uneven brightness */
	CBD_N_DEFECTS = 5,
};
/** "red", "green", ..., "checkerboard". */
const char *cbd_pattern_name(enum cbd_pattern p);
/** The defect's name in the report ("dead_pixels"). */
const char *cbd_defect_name(unsigned bit_index);
/** The same in plain words for the intern ("dead or stuck pixels"). */
const char *cbd_defect_label(unsigned bit_index);
/** Pure: paint @p into an XRGB8888 buffer of @w x @h, @stride pixels per row.
 * Grey is 50 % (0x80); the checkerboard alternates white and black pixels. */
void cbd_pattern_fill(enum cbd_pattern p, uint32_t *pixels, uint32_t w, uint32_t h,
		      uint32_t stride);
/** Pure: the intern's answer for one pattern. "" = looks fine; letters from
 * "dlbfm" in any order and case, spaces and commas ignored; "s" skips the rest.
 * Returns 0 and sets *@defects, 1 for skip, -EINVAL for anything else. */
int cbd_pattern_parse_answer(const char *line, unsigned *defects);

struct cbd_pattern_run {
	bool ran;
	int err;          /* -errno when the screen could not be taken (no DRM master...) */
	char connector[48];
	bool fbdev;       /* shown on a framebuffer device, not through DRM */
	uint32_t width, height, refresh_hz;
	int n_shown;      /* patterns shown and answered */
	bool skipped_rest; /* the intern skipped the remaining patterns */
	bool no_answer;   /* nobody answered (-EPIPE) */
	unsigned defects[CBD_N_PATTERNS];
};
/** Show each pattern full screen on @card/@connector (the internal panel) and
 * ask the intern what was wrong; the console comes back afterwards, also on
 * SIGINT, SIGTERM and SIGHUP. */
void cbd_pattern_test(const struct cbd_ctx *ctx, const char *card, const char *connector,
		      struct cbd_pattern_run *out);
/** The same on the framebuffer device @fb ("fb0"): machines without a KMS driver. */
void cbd_pattern_test_fbdev(const struct cbd_ctx *ctx, const struct cbd_fb_raw *fb,
			    struct cbd_pattern_run *out);

void cbd_display_judge(const struct cbd_display_raw *raw, bool laptop, bool interactive,
		       bool sweep_requested, const struct cbd_sweep *sweep,
		       const struct cbd_pattern_run *patterns, struct cbd_result *out);
