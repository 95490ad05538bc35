/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The kbd_backlight probe: the keyboard's backlight, an LED class device
 * whose function is "kbd_backlight" (chromeos::kbd_backlight on Chromebooks,
 * driven by the EC). Found and read here; with --backlight-sweep or
 * --interactive stepped through its levels with read-back, like the screen's
 * backlight (probes/sweep.h). See probes/kbd-backlight/README.md.
 */
#pragma once

#include <stdbool.h>

#include "probe.h"
#include "sweep.h"

struct cbd_kbd_led_raw {
	char name[64];                        /* "chromeos::kbd_backlight" */
	long long max_brightness, brightness; /* -1 when unreadable */
};

struct cbd_kbd_backlight_raw {
	struct cbd_kbd_led_raw *leds;
	size_t n;
};

/** Pure: is LED class device @name a keyboard backlight ("<device>:<colour>:kbd_backlight")? */
bool cbd_led_is_kbd_backlight(const char *name);

/** Every keyboard-backlight LED of /sys/class/leds, sorted by name (through probes/hw). */
int cbd_kbd_backlight_read(struct cbd_kbd_backlight_raw *ret);
void cbd_kbd_backlight_raw_clear(struct cbd_kbd_backlight_raw *raw);

/** Pure: the LED to sweep: the first with a readable maximum above 0, or NULL. */
const struct cbd_kbd_led_raw *cbd_kbd_backlight_pick(const struct cbd_kbd_backlight_raw *raw);

/**
 * Pure: the verdict. @sweep (may be NULL) is the sweep of the picked LED;
 * @sweep_requested says whether the intern asked for one (for the reason
 * given when it did not run).
 */
void cbd_kbd_backlight_judge(const struct cbd_kbd_backlight_raw *raw, bool sweep_requested,
                             const struct cbd_sweep *sweep, struct cbd_result *out);
