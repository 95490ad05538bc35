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

struct cbd_display_raw {
	struct cbd_connector_raw *conn;
	size_t n_conn;
	struct cbd_backlight_raw *bl;
	size_t n_bl;
};

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

/* ---- the backlight sweep (backlight-sweep.c) ---------------------------- */

#define CBD_SWEEP_STEPS 4

struct cbd_sweep {
	bool ran;
	int err; /* -errno when the sweep could not be done (no permission, ...) */
	long long original, max;
	struct {
		long long set, actual;
		bool follows;
	} steps[CBD_SWEEP_STEPS];
	int n_steps;
	bool restored;
	int intern; /* -1 not asked; CBD_UI_DONE saw it change; CBD_UI_NO did not; CBD_UI_SKIP */
};

/** Pure: does a read-back level follow the level set (within 2 % of max, at least 1)? */
bool cbd_sweep_follows(long long set, long long actual, long long max);

/**
 * Step @bl through 10, 40, 70 and 100 % of its maximum, reading back
 * actual_brightness after each, then restore the original level — also when
 * interrupted (SIGINT, SIGTERM, SIGHUP). In an interactive run the intern is
 * asked whether the screen changed.
 */
void cbd_backlight_sweep(const struct cbd_ctx *ctx, const struct cbd_backlight_raw *bl,
			 struct cbd_sweep *out);

void cbd_display_judge(const struct cbd_display_raw *raw, bool laptop, bool interactive,
		       bool sweep_requested, const struct cbd_sweep *sweep, struct cbd_result *out);
