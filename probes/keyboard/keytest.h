/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The key-by-key test as a pure state machine: key events in (with their
 * kernel timestamps), the state of every expected key out. No I/O: the probe
 * feeds it events read from the grabbed keyboard, the tests feed it literals.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define CBD_KT_MAX_KEYS 128
#define CBD_KT_ESC_HOLD_US 2000000 /* holding Esc this long ends the test */

enum cbd_kt_state {
	CBD_KT_UNTESTED,
	CBD_KT_DOWN,   /* pressed, not yet released */
	CBD_KT_TESTED, /* pressed and released */
	CBD_KT_STUCK,  /* down with no release for too long */
};

struct cbd_kt_key {
	char label[24];    /* "A", "LEFTMETA", "T3" */
	unsigned code;     /* keycode; 0 when matched by scancode only */
	unsigned scancode; /* MSC_SCAN to match, 0 = any */
	unsigned seen_code; /* the keycode it sent when pressed (top-row keys) */
	enum cbd_kt_state state;
	bool chatter;
	bool optional; /* an ISO/JIS extra: drawn and judged if pressed, never required */
	uint64_t down_since_us;
	uint64_t last_press_us;
	unsigned presses;
};

enum cbd_kt_end {
	CBD_KT_RUNNING,
	CBD_KT_ALL_TESTED,
	CBD_KT_GAVE_UP,   /* the intern held Esc */
	CBD_KT_NO_EVENTS, /* nothing at all arrived in time */
	CBD_KT_TIME_LIMIT,
};

struct cbd_keytest {
	struct cbd_kt_key keys[CBD_KT_MAX_KEYS];
	int n_keys;     /* all keys: the required ones first, then the optional */
	int n_required; /* the layout every keyboard has */
	uint64_t chatter_us, stuck_us, no_event_us, limit_us;
	uint64_t start_us;
	bool any_event;
	unsigned last_scan; /* MSC_SCAN seen before the next key event */
	uint64_t esc_down_us; /* 0 when Esc is up */
	enum cbd_kt_end end;
};

/** The Chromebook US layout (search key in place of caps lock). The top row is
 * matched by scancode when @physmap is given (vivaldi), else as F1-F10. */
void cbd_keytest_init(struct cbd_keytest *kt, const unsigned *physmap, int n_physmap,
		      uint64_t now_us, unsigned chatter_ms, unsigned stuck_s, unsigned no_event_s,
		      unsigned limit_s);

/** Feed one input event (type, code, value as in struct input_event). */
void cbd_keytest_event(struct cbd_keytest *kt, uint64_t time_us, unsigned type, unsigned code,
		       int value);

/** Advance the clock with no event: stuck keys, Esc held, no events, time limit. */
void cbd_keytest_tick(struct cbd_keytest *kt, uint64_t now_us);

/** Add an optional key after the layout (ISO/JIS extras): it is drawn on a line
 * of its own, and not needed for the test to end with every key tested. */
void cbd_keytest_add_optional(struct cbd_keytest *kt, const char *label, unsigned code);

/** The number of required keys in state @s (optional keys not counted). */
int cbd_keytest_count(const struct cbd_keytest *kt, enum cbd_kt_state s);

/** The key map as text for the terminal: untested [A], tested  A , down <A>,
 * stuck !A!. With @colour, ANSI colours too. Caller frees. */
char *cbd_keytest_render(const struct cbd_keytest *kt, bool colour);
