/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The keyboard probe: input devices from /sys/class/input (keyboard-read.c,
 * through probes/hw), verdicts in keyboard-judge.c.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "hw.h"
#include "probe.h"

enum cbd_kbd_bus {
	CBD_KBD_BUS_I8042,
	CBD_KBD_BUS_USB,
	CBD_KBD_BUS_BLUETOOTH,
	CBD_KBD_BUS_I2C,
	CBD_KBD_BUS_SPI,
	CBD_KBD_BUS_VIRTUAL,
	CBD_KBD_BUS_OTHER,
};

const char *cbd_kbd_bus_to_string(enum cbd_kbd_bus b);
/** The bus from the kernel's id/bustype (BUS_I8042 0x11, BUS_USB 0x03, ...). */
enum cbd_kbd_bus cbd_kbd_bus_from_id(unsigned bustype);

#define CBD_MAX_TOP_ROW 24

struct cbd_keyboard_raw {
	char event[16];    /* event3 */
	char devnode[32];  /* /dev/input/event3 */
	char name[128];
	char phys[128];
	char syspath[512]; /* resolved /sys/devices path of the event node */
	unsigned bustype, vendor, product;
	uint8_t keys[CBD_KEY_BITMAP_BYTES];  /* supported keys (capabilities/key) */
	bool usb_port_fixed;                 /* on a USB port the firmware calls fixed */
	unsigned top_row[CBD_MAX_TOP_ROW];   /* function_row_physmap scancodes */
	int n_top_row;                       /* -1 when the attribute is absent */
	uint8_t down[CBD_KEY_BITMAP_BYTES];  /* keys held now (EVIOCGKEY) */
	int down_err;                        /* -errno when that could not be read */
};

/** Every input event device that is a keyboard (keys 1-31 all present, the
 * rule udev's ID_INPUT_KEYBOARD uses), sorted. *@ret owned by the caller. */
int cbd_keyboard_read_all(struct cbd_keyboard_raw **ret);

/* ---- pure ---------------------------------------------------------------- */

/** Parse sysfs capabilities ("fffff 0 feff..." : long words, highest first) into a bitmap. */
void cbd_parse_capabilities(const char *text, uint8_t *bits, size_t nbytes);
/** Keys 1 (ESC) to 31 (S) all present: a keyboard, not a power button. */
bool cbd_is_keyboard(const uint8_t keys[CBD_KEY_BITMAP_BYTES]);
/** Parse function_row_physmap ("EA E9 E7 ...") into @codes; returns the count. */
int cbd_parse_physmap(const char *text, unsigned *codes, int max);
/** The action of a top-row key from its atkbd set-1 scancode ("back"), or NULL. */
const char *cbd_top_row_action(unsigned scancode);
/** The ISO/JIS keys to offer in the key test (KEY_102ND, KEY_YEN, KEY_RO, ...):
 * those the keyboard's keymap declares, when the keymap is the board's own
 * (cros_ec, I2C, SPI); none for atkbd and USB, whose tables list every key.
 * Returns the count. */
int cbd_keyboard_layout_extras(const struct cbd_keyboard_raw *k, unsigned *codes,
			       const char **labels, int max);
/** Internal: the laptop's own keyboard, not one plugged in. */
bool cbd_keyboard_is_internal(const struct cbd_keyboard_raw *k);

struct cbd_keytest;

/**
 * Judge the keyboards, and the key test when one ran (@kt non-NULL, or
 * @kt_err < 0 when it could not start: no permission, the grab refused).
 */
void cbd_keyboard_judge(const struct cbd_keyboard_raw *k, size_t n, bool laptop,
			bool interactive, const struct cbd_keytest *kt, int kt_err,
			struct cbd_result *out);
