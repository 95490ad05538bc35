/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The touch probe from literal values: the kinds of device, the trackers fed
 * literal event sequences (cells, jumps, clicks, scroll, the pen) and every
 * verdict of probes/touch/README.md. */
#include <errno.h>
#include <linux/input-event-codes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>

#include "json.h"
#include "touch.h"

#define SYN                                                                                        \
	{                                                                                          \
		0, EV_SYN, SYN_REPORT, 0                                                           \
	}
#define ABS(c, v)                                                                                  \
	{                                                                                          \
		0, EV_ABS, c, v                                                                    \
	}
#define KEY(c, v)                                                                                  \
	{                                                                                          \
		0, EV_KEY, c, v                                                                    \
	}

static void
set(uint8_t *bits, unsigned n)
{
	bits[n / 8] |= (uint8_t)(1u << (n % 8));
}

/* An Elan clickpad on I2C: 3124 x 1807 at 31 units/mm (about 101 x 58 mm), 5 slots. */
static struct cbd_touch_dev_raw
elan_pad(void)
{
	struct cbd_touch_dev_raw d = {"event7", "/dev/input/event7", "Elan Touchpad",
	                              "i2c-ELAN0000:00", 0x18};

	set(d.props, INPUT_PROP_POINTER);
	set(d.props, INPUT_PROP_BUTTONPAD);
	set(d.abs, ABS_X);
	set(d.abs, ABS_Y);
	set(d.abs, ABS_MT_SLOT);
	set(d.abs, ABS_MT_POSITION_X);
	set(d.abs, ABS_MT_POSITION_Y);
	set(d.abs, ABS_MT_TRACKING_ID);
	set(d.keys, BTN_LEFT);
	set(d.keys, BTN_TOOL_FINGER);
	set(d.keys, BTN_TOOL_DOUBLETAP);
	set(d.keys, BTN_TOUCH);
	d.x = (struct cbd_touch_axis){0, 3124, 31};
	d.y = (struct cbd_touch_axis){0, 1807, 31};
	d.slot_max = 4;
	d.pressure_max = -1;
	return d;
}

/* A touchscreen with a pen on the same device (a convertible's digitizer). */
static struct cbd_touch_dev_raw
screen_with_pen(void)
{
	struct cbd_touch_dev_raw d = {"event9", "/dev/input/event9", "ELAN9008:00 04F3:2C82",
	                              "i2c-ELAN9008:00", 0x18};

	set(d.props, INPUT_PROP_DIRECT);
	set(d.abs, ABS_X);
	set(d.abs, ABS_Y);
	set(d.abs, ABS_PRESSURE);
	set(d.abs, ABS_MT_SLOT);
	set(d.abs, ABS_MT_POSITION_X);
	set(d.abs, ABS_MT_POSITION_Y);
	set(d.keys, BTN_TOUCH);
	set(d.keys, BTN_TOOL_PEN);
	d.x = (struct cbd_touch_axis){0, 2560, 10};
	d.y = (struct cbd_touch_axis){0, 1440, 10};
	d.slot_max = 9;
	d.pressure_max = 4095;
	return d;
}

static struct cbd_touch_tracker
pad_tracker(void)
{
	struct cbd_touch_dev_raw d = elan_pad();
	struct cbd_touch_tracker t;

	cbd_touch_tracker_init(&t, &d.x, &d.y, true, CBD_TOUCHPAD_COLS, CBD_TOUCHPAD_ROWS, 20);
	return t;
}

#define FEED(t, ...)                                                                               \
	do {                                                                                       \
		const struct cbd_hw_input_event ev_[] = {__VA_ARGS__};                             \
		cbd_touch_tracker_feed(t, ev_, sizeof(ev_) / sizeof(ev_[0]));                      \
	} while (0)

/* One finger (slot 0) down at @x,@y, or moved there. */
static void
finger(struct cbd_touch_tracker *t, int32_t x, int32_t y)
{
	FEED(t, ABS(ABS_MT_SLOT, 0), ABS(ABS_MT_POSITION_X, x), ABS(ABS_MT_POSITION_Y, y), SYN);
}

static void
test_classify(void **state)
{
	struct cbd_touch_dev_raw pad = elan_pad(), scr = screen_with_pen(), pen = {0}, stick = {0};
	struct cbd_touch_dev_raw ps2 = {"event8", "/dev/input/event8", "SynPS/2 Synaptics TouchPad",
	                                "isa0060/serio1/input0", 0x11};
	struct cbd_touch_info in;

	cbd_touch_classify(&pad, &in);
	assert_int_equal(in.kind, CBD_TOUCH_TOUCHPAD);
	assert_true(in.clickpad);
	assert_true(in.multitouch);
	assert_int_equal(in.slots, 5);
	assert_string_equal(in.bus, "i2c");
	assert_int_equal((int)(in.width_mm + 0.5), 101);
	assert_int_equal((int)(in.height_mm + 0.5), 58);

	cbd_touch_classify(&scr, &in);
	assert_int_equal(in.kind, CBD_TOUCH_TOUCHSCREEN);
	assert_true(in.pen);
	assert_true(in.pressure);
	assert_int_equal(in.slots, 10);

	/* a PS/2 pad with real buttons, single touch, no resolution */
	set(ps2.props, INPUT_PROP_POINTER);
	set(ps2.abs, ABS_X);
	set(ps2.abs, ABS_Y);
	set(ps2.keys, BTN_LEFT);
	set(ps2.keys, BTN_RIGHT);
	set(ps2.keys, BTN_TOOL_FINGER);
	ps2.x = (struct cbd_touch_axis){1472, 5472, 0};
	ps2.y = (struct cbd_touch_axis){1408, 4448, 0};
	ps2.slot_max = -1;
	cbd_touch_classify(&ps2, &in);
	assert_int_equal(in.kind, CBD_TOUCH_TOUCHPAD);
	assert_false(in.clickpad);
	assert_true(in.buttons);
	assert_false(in.multitouch);
	assert_int_equal(in.slots, 1);
	assert_string_equal(in.bus, "ps2");
	assert_true(in.width_mm == 0);

	/* a pen-only digitizer: direct, the pen's tip is BTN_TOUCH, no finger tool */
	set(pen.props, INPUT_PROP_DIRECT);
	set(pen.abs, ABS_X);
	set(pen.abs, ABS_Y);
	set(pen.keys, BTN_TOUCH);
	set(pen.keys, BTN_TOOL_PEN);
	pen.slot_max = -1;
	cbd_touch_classify(&pen, &in);
	assert_int_equal(in.kind, CBD_TOUCH_PEN);

	/* absolute axes, no touch: a joystick or an accelerometer */
	set(stick.abs, ABS_X);
	set(stick.abs, ABS_Y);
	stick.slot_max = -1;
	cbd_touch_classify(&stick, &in);
	assert_int_equal(in.kind, CBD_TOUCH_OTHER);
}

static void
test_cells_and_path(void **state)
{
	struct cbd_touch_tracker t = pad_tracker();
	char map[128];

	assert_int_equal(cbd_touch_cell(&t, 0, 0), 0);
	assert_int_equal(cbd_touch_cell(&t, 3124, 1807), 39);
	assert_int_equal(cbd_touch_cell(&t, 3200, -5), 7); /* just outside: the edge */
	assert_int_equal(cbd_touch_cell(&t, 1600, 903), 2 * 8 + 4);
	/* 8 x 5: the edges (22 cells) and the diagonal inside them (rows 1-3) */
	cbd_touch_map_text(&t, true, map, sizeof(map));
	assert_string_equal(map, "........\n"
	                         ". .    .\n"
	                         ".  ..  .\n"
	                         ".    . .\n"
	                         "........\n");
	assert_int_equal(cbd_touch_dead_cells(&t, true, NULL, 0), 22 + 4 - 0);
	assert_int_equal(cbd_touch_dead_cells(&t, false, NULL, 0), 40);
}

static bool dead_corner; /* the pad reports nothing in its bottom-right cell */

static void
finger_unless_dead(struct cbd_touch_tracker *t, int32_t x, int32_t y)
{
	if (!(dead_corner && x >= 2735 && y >= 1447))
		finger(t, x, y);
}

/* A finger tracing the whole edge and the diagonal, 40 units a report. */
static void
trace(struct cbd_touch_tracker *t, bool skip_bottom_right_corner)
{
	const int32_t W = 3124, H = 1807;

	dead_corner = skip_bottom_right_corner;

	FEED(t, ABS(ABS_MT_SLOT, 0), ABS(ABS_MT_TRACKING_ID, 1), KEY(BTN_TOUCH, 1),
	     KEY(BTN_TOOL_FINGER, 1), ABS(ABS_MT_POSITION_X, 10), ABS(ABS_MT_POSITION_Y, 10), SYN);
	for (int32_t x = 10; x <= W - 10; x += 40)
		finger_unless_dead(t, x, 10);
	for (int32_t y = 10; y <= H - 10; y += 40)
		finger_unless_dead(t, W - 10, y);
	for (int32_t x = W - 10; x >= 10; x -= 40)
		finger_unless_dead(t, x, H - 10);
	for (int32_t y = H - 10; y >= 10; y -= 40)
		finger_unless_dead(t, 10, y);
	for (int32_t i = 0; i <= 100; i++)
		finger_unless_dead(t, 10 + (W - 20) * i / 100, 10 + (H - 20) * i / 100);
	FEED(t, ABS(ABS_MT_TRACKING_ID, -1), KEY(BTN_TOUCH, 0), KEY(BTN_TOOL_FINGER, 0), SYN);
}

static void
test_trace_reaches_the_path(void **state)
{
	struct cbd_touch_tracker t = pad_tracker();

	trace(&t, false);
	assert_int_equal(cbd_touch_dead_cells(&t, true, NULL, 0), 0);
	assert_int_equal(t.jumps, 0);
	assert_int_equal(t.most_contacts, 1);
}

static void
test_dead_zone_on_the_path(void **state)
{
	struct cbd_touch_tracker t = pad_tracker();
	int dead[8];

	trace(&t, true);
	assert_int_equal(cbd_touch_dead_cells(&t, true, dead, 8), 1);
	assert_int_equal(dead[0], 39);
	/* leaving the dead corner, the position leaps (a quarter of the pad) */
	assert_int_equal(t.jumps, 1);
}

static void
test_jumps(void **state)
{
	struct cbd_touch_tracker t = pad_tracker();

	/* down at 100,900 and moving; then 2000 units (64 % of the width) in one report */
	FEED(&t, ABS(ABS_MT_SLOT, 0), ABS(ABS_MT_TRACKING_ID, 7), ABS(ABS_MT_POSITION_X, 100),
	     ABS(ABS_MT_POSITION_Y, 900), SYN);
	FEED(&t, ABS(ABS_MT_POSITION_X, 140), SYN);
	FEED(&t, ABS(ABS_MT_POSITION_X, 2140), SYN);
	assert_int_equal(t.jumps, 1);
	assert_true(t.biggest_jump_percent > 60 && t.biggest_jump_percent < 70);
	/* events lost (SYN_DROPPED): the next position is no jump */
	FEED(&t, {0, EV_SYN, SYN_DROPPED, 0}, ABS(ABS_MT_POSITION_X, 100), SYN);
	assert_int_equal(t.jumps, 1);
	/* lifted, and a new finger far away: no jump either */
	FEED(&t, ABS(ABS_MT_TRACKING_ID, -1), SYN);
	FEED(&t, ABS(ABS_MT_TRACKING_ID, 8), ABS(ABS_MT_POSITION_X, 3000),
	     ABS(ABS_MT_POSITION_Y, 100), SYN);
	assert_int_equal(t.jumps, 1);
	/* a new contact at the same place as the last: the kernel sends no position,
	 * the cell still counts */
	FEED(&t, ABS(ABS_MT_TRACKING_ID, -1), SYN);
	t.reached[cbd_touch_cell(&t, 3000, 100)] = false;
	t.n_reached--;
	FEED(&t, ABS(ABS_MT_TRACKING_ID, 9), SYN);
	assert_true(t.reached[cbd_touch_cell(&t, 3000, 100)]);
}

static void
test_clicks_and_scroll(void **state)
{
	struct cbd_touch_tracker t = pad_tracker();

	/* one finger, a click */
	FEED(&t, ABS(ABS_MT_SLOT, 0), ABS(ABS_MT_TRACKING_ID, 1), ABS(ABS_MT_POSITION_X, 1500),
	     ABS(ABS_MT_POSITION_Y, 900), KEY(BTN_TOUCH, 1), KEY(BTN_TOOL_FINGER, 1), SYN);
	FEED(&t, KEY(BTN_LEFT, 1), SYN);
	FEED(&t, KEY(BTN_LEFT, 0), SYN);
	assert_true(t.click1);
	assert_false(t.click2);
	/* a second finger: the button comes in the same frame as the double tap */
	FEED(&t, ABS(ABS_MT_SLOT, 1), ABS(ABS_MT_TRACKING_ID, 2), ABS(ABS_MT_POSITION_X, 1900),
	     ABS(ABS_MT_POSITION_Y, 900), KEY(BTN_LEFT, 1), KEY(BTN_TOOL_FINGER, 0),
	     KEY(BTN_TOOL_DOUBLETAP, 1), SYN);
	FEED(&t, KEY(BTN_LEFT, 0), SYN);
	assert_true(t.click2);
	assert_int_equal(t.most_contacts, 2);
	assert_false(t.scroll);
	/* both move down 200 units (11 % of the height): not yet a scroll */
	FEED(&t, ABS(ABS_MT_SLOT, 0), ABS(ABS_MT_POSITION_Y, 1100), ABS(ABS_MT_SLOT, 1),
	     ABS(ABS_MT_POSITION_Y, 1100), SYN);
	assert_false(t.scroll);
	/* one goes on down and the other up: not a scroll */
	FEED(&t, ABS(ABS_MT_SLOT, 0), ABS(ABS_MT_POSITION_Y, 1400), ABS(ABS_MT_SLOT, 1),
	     ABS(ABS_MT_POSITION_Y, 500), SYN);
	assert_false(t.scroll);
	/* both 500 units down from where they began (28 %) */
	FEED(&t, ABS(ABS_MT_SLOT, 1), ABS(ABS_MT_POSITION_Y, 1400), SYN);
	assert_true(t.scroll);
}

static void
test_single_touch_and_pen(void **state)
{
	struct cbd_touch_dev_raw d = screen_with_pen();
	struct cbd_touch_tracker t;

	/* a pen-only digitizer: single touch, BTN_TOUCH is the tip */
	cbd_touch_tracker_init(&t, &d.x, &d.y, false, CBD_TOUCHSCREEN_COLS, CBD_TOUCHSCREEN_ROWS,
	                       20);
	FEED(&t, KEY(BTN_TOOL_PEN, 1), ABS(ABS_X, 100), ABS(ABS_Y, 100), SYN);
	assert_true(t.pen_seen);
	assert_int_equal(t.reports, 0); /* hovering is no touch */
	FEED(&t, KEY(BTN_TOUCH, 1), ABS(ABS_PRESSURE, 1800), SYN);
	FEED(&t, ABS(ABS_X, 2500), ABS(ABS_Y, 1400), ABS(ABS_PRESSURE, 2400), SYN);
	assert_int_equal(t.pressure_max_seen, 2400);
	assert_true(t.reached[0]);
	assert_true(t.reached[39]);
	assert_int_equal(t.jumps, 1); /* corner to corner in one report */
	FEED(&t, KEY(BTN_TOUCH, 0), KEY(BTN_TOOL_PEN, 0), SYN);
	/* a finger's pressure (no pen near) is not the pen's */
	FEED(&t, ABS(ABS_PRESSURE, 4000), SYN);
	assert_int_equal(t.pressure_max_seen, 2400);
}

static struct cbd_result *
judge(struct cbd_touch_dev_raw *dev, size_t n, bool laptop, bool interactive,
      const struct cbd_touch_tests *tests)
{
	struct cbd_touch_raw raw = {.dev = dev, .n = n};
	struct cbd_result *r = cbd_result_new();

	cbd_touch_judge(&raw, laptop, interactive, tests, r);
	assert_true(r->status_set);
	return r;
}

static bool
has(const struct cbd_result *r, const char *code, enum cbd_severity sev, bool escalate)
{
	const struct cbd_finding *f = cbd_result_find_finding(r, code);

	return f && f->severity == sev && f->escalate == escalate;
}

static void
test_found_not_tested(void **state)
{
	struct cbd_touch_dev_raw d[1] = {elan_pad()};
	_cleanup_result_ struct cbd_result *r = judge(d, 1, true, false, NULL);
	const struct cbd_json *p = cbd_json_at(cbd_json_get(r->data, "touchpads"), 0);
	bool b = true;

	assert_int_equal(r->status, CBD_STATUS_PASS);
	assert_string_equal(r->summary, "Touchpad found (not tested without the guided steps)");
	assert_int_equal(r->n_findings, 0);
	assert_string_equal(cbd_json_get_str(p, "kind"), "clickpad");
	assert_string_equal(cbd_json_get_str(p, "bus"), "i2c");
	assert_string_equal(cbd_json_get_str(r->data, "touchpad_kind"), "clickpad");
	/* no touchscreen: not a fault, but said, for the model's profile */
	assert_true(cbd_json_get_bool(r->data, "touchscreen", &b));
	assert_false(b);
	assert_int_equal(cbd_json_get_array_size(r->data, "touchscreens"), 0);
}

static void
test_missing_touchpad(void **state)
{
	struct cbd_touch_dev_raw d[1] = {screen_with_pen()};
	_cleanup_result_ struct cbd_result *laptop = judge(d, 1, true, false, NULL);
	_cleanup_result_ struct cbd_result *desktop = judge(NULL, 0, false, false, NULL);
	_cleanup_result_ struct cbd_result *bare = judge(NULL, 0, true, false, NULL);

	assert_int_equal(laptop->status, CBD_STATUS_FAIL);
	assert_true(has(laptop, "touch.touchpad_missing", CBD_SEVERITY_FAIL, false));
	assert_int_equal(desktop->status, CBD_STATUS_SKIP);
	assert_int_equal(bare->status, CBD_STATUS_FAIL);
	assert_true(cbd_json_is_null(bare->data, "touchpad_kind"));
}

static void
test_trace_verdicts(void **state)
{
	struct cbd_touch_dev_raw d[1] = {elan_pad()};
	struct cbd_touch_tests tests = {0};

	tests.trace.t = pad_tracker();
	trace(&tests.trace.t, false);
	tests.trace.end = CBD_TOUCH_DONE;
	tests.clicks.t = pad_tracker();
	tests.clicks.t.click1 = tests.clicks.t.click2 = tests.clicks.t.scroll = true;
	tests.clicks.t.most_contacts = 2;
	tests.clicks.end = CBD_TOUCH_DONE;
	{
		_cleanup_result_ struct cbd_result *r = judge(d, 1, true, true, &tests);

		assert_int_equal(r->status, CBD_STATUS_PASS);
		assert_string_equal(r->summary, "Touchpad: the guided tests passed");
		assert_string_equal(cbd_json_get_str(cbd_json_get(r->data, "trace_test"), "result"),
		                    "pass");
	}
	/* a corner never reached, and the time ran out */
	tests.trace.t.reached[39] = false;
	tests.trace.t.reached[38] = false;
	tests.trace.end = CBD_TOUCH_TIMEOUT;
	{
		_cleanup_result_ struct cbd_result *r = judge(d, 1, true, true, &tests);
		const struct cbd_json *tt = cbd_json_get(r->data, "trace_test");

		assert_int_equal(r->status, CBD_STATUS_FAIL);
		assert_true(has(r, "touch.touchpad_dead_zone", CBD_SEVERITY_FAIL, false));
		assert_string_equal(
		    r->summary, "The touchpad did not respond in 2 places along the traced path");
		assert_int_equal(cbd_json_get_array_size(tt, "dead_cells"), 2);
		assert_string_equal(cbd_json_str(cbd_json_at(cbd_json_get(tt, "dead_cells"), 1)),
		                    "row 5 column 8");
		assert_string_equal(cbd_json_str(cbd_json_at(cbd_json_get(tt, "map"), 4)),
		                    "######..");
	}
	/* skipped part way: what was missed is not judged */
	tests.trace.end = CBD_TOUCH_SKIPPED;
	{
		_cleanup_result_ struct cbd_result *r = judge(d, 1, true, true, &tests);

		assert_int_equal(r->status, CBD_STATUS_PASS);
		assert_null(cbd_result_find_finding(r, "touch.touchpad_dead_zone"));
	}
	/* jumps */
	tests.trace.end = CBD_TOUCH_DONE;
	tests.trace.t.reached[39] = tests.trace.t.reached[38] = true;
	tests.trace.t.jumps = 3;
	{
		_cleanup_result_ struct cbd_result *r = judge(d, 1, true, true, &tests);

		assert_int_equal(r->status, CBD_STATUS_WARN);
		assert_true(has(r, "touch.touchpad_jumps", CBD_SEVERITY_WARN, false));
	}
}

static void
test_untouched_and_skipped(void **state)
{
	struct cbd_touch_dev_raw d[1] = {elan_pad()};
	struct cbd_touch_tests tests = {0};

	tests.trace.t = pad_tracker();
	tests.trace.end = CBD_TOUCH_TIMEOUT;
	{
		_cleanup_result_ struct cbd_result *r = judge(d, 1, true, true, &tests);

		assert_int_equal(r->status, CBD_STATUS_FAIL);
		assert_true(has(r, "touch.touchpad_no_touch", CBD_SEVERITY_FAIL, false));
	}
	tests.trace.end = CBD_TOUCH_SKIPPED;
	{
		_cleanup_result_ struct cbd_result *r = judge(d, 1, true, true, &tests);

		assert_int_equal(r->status, CBD_STATUS_PASS);
		assert_string_equal(cbd_json_get_str(cbd_json_get(r->data, "trace_test"), "result"),
		                    "skip");
	}
	tests.trace.end = CBD_TOUCH_ERROR;
	tests.trace.err = -EACCES;
	{
		_cleanup_result_ struct cbd_result *r = judge(d, 1, true, true, &tests);

		assert_int_equal(r->status, CBD_STATUS_PASS);
		assert_true(has(r, "touch.test_error", CBD_SEVERITY_INFO, false));
	}
}

static void
test_click_verdicts(void **state)
{
	struct cbd_touch_dev_raw d[1] = {elan_pad()};
	struct cbd_touch_tests tests = {0};

	tests.clicks.t = pad_tracker();
	tests.clicks.t.reports = 10;
	tests.clicks.t.most_contacts = 1;
	tests.clicks.end = CBD_TOUCH_TIMEOUT;
	{
		_cleanup_result_ struct cbd_result *r = judge(d, 1, true, true, &tests);

		assert_int_equal(r->status, CBD_STATUS_FAIL);
		/* a pad that will not click: a swollen battery under it, escalate */
		assert_true(has(r, "touch.click_missing", CBD_SEVERITY_FAIL, true));
		assert_true(has(r, "touch.scroll_missing", CBD_SEVERITY_WARN, false));
		assert_string_equal(cbd_result_find_finding(r, "touch.scroll_missing")->message,
		                    "The touchpad never saw two fingers at once");
	}
	tests.clicks.t.click1 = true;
	tests.clicks.t.most_contacts = 2;
	{
		_cleanup_result_ struct cbd_result *r = judge(d, 1, true, true, &tests);

		assert_int_equal(r->status, CBD_STATUS_WARN);
		assert_true(has(r, "touch.click_partial", CBD_SEVERITY_WARN, false));
		assert_string_equal(cbd_result_find_finding(r, "touch.scroll_missing")->message,
		                    "A two-finger scroll was never seen");
	}
}

static void
test_screen_and_pen_verdicts(void **state)
{
	struct cbd_touch_dev_raw d[2] = {elan_pad(), screen_with_pen()};
	struct cbd_touch_tests tests = {0};
	struct cbd_touch_info in;

	cbd_touch_classify(&d[1], &in);
	cbd_touch_tracker_init(&tests.screen.t, &d[1].x, &d[1].y, true, CBD_TOUCHSCREEN_COLS,
	                       CBD_TOUCHSCREEN_ROWS, 20);
	for (int i = 0; i < 40; i++)
		tests.screen.t.reached[i] = i != 17;
	tests.screen.t.reports = 200;
	tests.screen.end = CBD_TOUCH_ENDED;
	tests.pen.t = tests.screen.t;
	tests.pen.t.pen_seen = true;
	tests.pen.end = CBD_TOUCH_TIMEOUT;
	{
		_cleanup_result_ struct cbd_result *r = judge(d, 2, true, true, &tests);
		const struct cbd_json *st = cbd_json_get(r->data, "screen_test");
		bool b = false;

		assert_int_equal(r->status, CBD_STATUS_FAIL);
		assert_true(has(r, "touch.touchscreen_dead_cells", CBD_SEVERITY_FAIL, true));
		assert_string_equal(cbd_json_str(cbd_json_at(cbd_json_get(st, "dead_cells"), 0)),
		                    "row 3 column 2");
		assert_true(has(r, "touch.stylus_no_pressure", CBD_SEVERITY_WARN, false));
		assert_true(cbd_json_get_bool(r->data, "touchscreen", &b) && b);
		assert_true(cbd_json_get_bool(r->data, "stylus", &b) && b);
	}
	tests.screen.t.reached[17] = true;
	tests.pen.t.pressure_max_seen = 900;
	{
		_cleanup_result_ struct cbd_result *r = judge(d, 2, true, true, &tests);

		assert_int_equal(r->status, CBD_STATUS_PASS);
		assert_string_equal(r->summary,
		                    "Touchpad, touchscreen and stylus: the guided tests passed");
	}
	tests.screen.t.reports = 0;
	tests.screen.end = CBD_TOUCH_TIMEOUT;
	tests.pen.t.pen_seen = false;
	{
		_cleanup_result_ struct cbd_result *r = judge(d, 2, true, true, &tests);

		assert_true(has(r, "touch.touchscreen_no_touch", CBD_SEVERITY_FAIL, true));
		assert_true(has(r, "touch.stylus_not_seen", CBD_SEVERITY_WARN, false));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_classify),
	    cmocka_unit_test(test_cells_and_path),
	    cmocka_unit_test(test_trace_reaches_the_path),
	    cmocka_unit_test(test_dead_zone_on_the_path),
	    cmocka_unit_test(test_jumps),
	    cmocka_unit_test(test_clicks_and_scroll),
	    cmocka_unit_test(test_single_touch_and_pen),
	    cmocka_unit_test(test_found_not_tested),
	    cmocka_unit_test(test_missing_touchpad),
	    cmocka_unit_test(test_trace_verdicts),
	    cmocka_unit_test(test_untouched_and_skipped),
	    cmocka_unit_test(test_click_verdicts),
	    cmocka_unit_test(test_screen_and_pen_verdicts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
