/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The touch probe: the touchpad, and the touchscreen and its stylus where the
 * model has them, found among the input devices by their capability bits
 * and input properties (touch-read.c, through probes/hw); with
 * --interactive, the touchpad's edges and diagonal traced (cells reached,
 * jumps), its one- and two-finger clicks and two-finger scroll, and the
 * touchscreen drawn on until every cell of a grid is reached. Verdicts and
 * the trackers (pure) in touch-judge.c. See probes/touch/README.md.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "hw.h"
#include "probe.h"

#define CBD_ABS_BITMAP_BYTES 8  /* ABS_MAX 0x3f / 8 + 1 */
#define CBD_PROP_BITMAP_BYTES 4 /* INPUT_PROP_MAX 0x1f / 8 + 1 */

enum cbd_touch_kind {
	CBD_TOUCH_OTHER,       /* absolute axes but not a touch surface (a joystick) */
	CBD_TOUCH_TOUCHPAD,    /* indirect: moves a pointer */
	CBD_TOUCH_TOUCHSCREEN, /* direct, fingers (a pen too, perhaps) */
	CBD_TOUCH_PEN,         /* direct, a pen and no fingers (a separate digitizer) */
};

struct cbd_touch_axis {
	int32_t min, max, res; /* res: units per mm, 0 unknown */
};

/* One input device with absolute X and Y axes. */
struct cbd_touch_dev_raw {
	char event[16];   /* event7 */
	char devnode[32]; /* /dev/input/event7 */
	char name[128];   /* "Elan Touchpad", "SynPS/2 Synaptics TouchPad" */
	char phys[128];   /* "i2c-ELAN0000:00", "isa0060/serio1/input0" */
	unsigned bustype; /* BUS_I2C 0x18, BUS_I8042 0x11, BUS_USB 0x03, BUS_RMI 0x1d... */
	uint8_t props[CBD_PROP_BITMAP_BYTES];
	uint8_t abs[CBD_ABS_BITMAP_BYTES];
	uint8_t keys[CBD_KEY_BITMAP_BYTES];
	/* from EVIOCGABS: the position axes (ABS_MT_POSITION_X/Y when the device
	 * has them, else ABS_X/Y), ABS_MT_SLOT and the pressure */
	struct cbd_touch_axis x, y;
	int32_t slot_max;     /* ABS_MT_SLOT's maximum, -1 none */
	int32_t pressure_max; /* ABS_PRESSURE (or ABS_MT_PRESSURE) maximum, -1 none */
	int abs_err;          /* -errno when the axes could not be read */
};

struct cbd_touch_raw {
	struct cbd_touch_dev_raw *dev;
	size_t n;
};

/** Every input device with absolute X and Y (or multitouch X and Y) axes,
 * sorted by event number (event2 before event10). An empty list is success; -errno only when the
 * input class cannot be listed for another reason than its absence. */
int cbd_touch_read(struct cbd_touch_raw *ret);
void cbd_touch_raw_clear(struct cbd_touch_raw *raw);

/* ---- pure: what a device is --------------------------------------------- */

struct cbd_touch_info {
	enum cbd_touch_kind kind;
	bool clickpad;              /* INPUT_PROP_BUTTONPAD: the whole pad is the button */
	bool pressurepad;           /* INPUT_PROP_PRESSUREPAD: no switch, force sensing */
	bool multitouch;            /* multitouch slots */
	int slots;                  /* ABS_MT_SLOT max + 1; 1 for a single-touch device */
	bool pen;                   /* BTN_TOOL_PEN: a stylus */
	bool pressure;              /* a pressure axis */
	bool buttons;               /* separate BTN_RIGHT (a pad with real buttons) */
	double width_mm, height_mm; /* 0 when the resolution is unknown */
	const char *bus; /* "i2c", "ps2", "usb", "smbus", "spi", "bluetooth", "platform", "other" */
};

/** Pure: the kind and shape of @d from its bits and axes. */
void cbd_touch_classify(const struct cbd_touch_dev_raw *d, struct cbd_touch_info *ret);

/* ---- pure: the interactive trackers ------------------------------------ */

#define CBD_TOUCH_MAX_SLOTS 10
#define CBD_TOUCH_MAX_CELLS 64
/* the grids: a touchpad is about 100 x 60 mm, a screen about 16:9 */
#define CBD_TOUCHPAD_COLS 8
#define CBD_TOUCHPAD_ROWS 5
#define CBD_TOUCHSCREEN_COLS 8
#define CBD_TOUCHSCREEN_ROWS 5

struct cbd_touch_contact {
	bool active;
	bool has_pos, moved; /* a position since the contact began; changed since the last report */
	int32_t x, y;        /* the latest position */
	int32_t px, py;      /* at the last report, when has_prev */
	bool has_prev;
	int32_t y0; /* where it was when the two-finger gesture began */
};

/*
 * Follows the events of one touch surface (both multitouch protocol B with
 * slots and single touch with BTN_TOUCH): the grid cells reached, the jumps
 * (one contact moving more than jump_percent of the surface between two
 * reports), the clicks with one and two fingers, a two-finger scroll, the
 * pen and its pressure.
 */
struct cbd_touch_tracker {
	struct cbd_touch_axis x, y;
	int cols, rows;
	bool multitouch;
	double jump_percent;
	int slot; /* the current slot */
	struct cbd_touch_contact c[CBD_TOUCH_MAX_SLOTS];
	bool touch_down; /* single touch: BTN_TOUCH */
	bool reached[CBD_TOUCH_MAX_CELLS];
	unsigned n_reached;
	unsigned reports; /* SYN_REPORTs with a contact down */
	unsigned jumps;
	double biggest_jump_percent;
	int most_contacts;   /* the most fingers down at once */
	int fingers;         /* down now (BTN_TOOL_* when the device says, else the contacts) */
	int tool_fingers;    /* from BTN_TOOL_FINGER..QUINTTAP, 0 when not reported */
	bool click1, click2; /* BTN_LEFT down with one finger; with two (or BTN_RIGHT) */
	bool scroll;         /* two contacts moved together up or down */
	bool two_down;       /* the two-finger gesture is under way */
	bool pen_seen;       /* BTN_TOOL_PEN went down */
	bool pen_near;       /* BTN_TOOL_PEN is down now */
	bool left_pending, right_pending; /* a button went down in the frame under way */
	int32_t pressure_max_seen;        /* the highest pressure while the pen was near */
};

void cbd_touch_tracker_init(struct cbd_touch_tracker *t, const struct cbd_touch_axis *x,
                            const struct cbd_touch_axis *y, bool multitouch, int cols, int rows,
                            double jump_percent);
void cbd_touch_tracker_feed(struct cbd_touch_tracker *t, const struct cbd_hw_input_event *ev,
                            size_t n);
/** The cell of position (@x, @y), row-major, or -1 when outside the axes' range. */
int cbd_touch_cell(const struct cbd_touch_tracker *t, int32_t x, int32_t y);

/** Is cell @i on the touchpad's traced path: the four edges and the diagonal
 * from the top-left corner to the bottom-right? */
bool cbd_touch_on_path(int cols, int rows, int i);

/** The cells of @t's grid that count (the path when @path, else all) and were
 * not reached, into @dead (at most @max); returns how many there are. */
size_t cbd_touch_dead_cells(const struct cbd_touch_tracker *t, bool path, int *dead, size_t max);

/** Pure: the grid as text, one line a row: '#' reached, '.' still to reach,
 * ' ' off the path. Returns the length written to @buf. */
size_t cbd_touch_map_text(const struct cbd_touch_tracker *t, bool path, char *buf, size_t size);

/* ---- the interactive steps' outcomes ------------------------------------ */

enum cbd_touch_step_end {
	CBD_TOUCH_NOT_RUN, /* not interactive, or nothing to test */
	CBD_TOUCH_DONE,    /* everything asked was seen */
	CBD_TOUCH_ENDED,   /* the intern pressed Enter before */
	CBD_TOUCH_TIMEOUT, /* touch.wait_seconds passed first */
	CBD_TOUCH_SKIPPED, /* the intern typed s */
	CBD_TOUCH_ERROR,   /* the device could not be opened or went away (err) */
};

struct cbd_touch_step {
	enum cbd_touch_step_end end;
	int err;
	struct cbd_touch_tracker t;
};

struct cbd_touch_tests {
	struct cbd_touch_step trace;  /* touchpad: edges and the diagonal */
	struct cbd_touch_step clicks; /* touchpad: one- and two-finger click, two-finger scroll */
	struct cbd_touch_step screen; /* touchscreen: every cell */
	struct cbd_touch_step pen;    /* stylus: down on the screen with pressure */
};

/**
 * Pure: the verdict. @tests may be NULL when the steps did not run.
 */
void cbd_touch_judge(const struct cbd_touch_raw *raw, bool laptop, bool interactive,
                     const struct cbd_touch_tests *tests, struct cbd_result *out);
