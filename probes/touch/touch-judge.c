/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Judging half of the touch probe and its trackers: pure code, rules in
 * probes/touch/README.md. */
#include "cbd-i18n.h"
#include "touch.h"

#include <errno.h>
#include <linux/input-event-codes.h>
#include <math.h>
#include <stdlib.h>

/* the kernel's bus numbers (linux/input.h, not included here) and a newer property */
enum {
	BUS_USB = 0x03,
	BUS_BLUETOOTH = 0x05,
	BUS_VIRTUAL = 0x06,
	BUS_I8042 = 0x11,
	BUS_I2C = 0x18,
	BUS_HOST = 0x19,
	BUS_SPI = 0x1c,
	BUS_RMI = 0x1d,
};
#ifndef INPUT_PROP_PRESSUREPAD
#define INPUT_PROP_PRESSUREPAD 0x07
#endif

/* a two-finger scroll: both contacts move this share of the height, the same way */
#define SCROLL_PERCENT 15.0

static bool
bit(const uint8_t *bits, size_t nbytes, unsigned n)
{
	return n / 8 < nbytes && (bits[n / 8] >> (n % 8)) & 1;
}

static const char *
bus_word(unsigned bustype)
{
	switch (bustype) {
	case BUS_I2C:
		return "i2c";
	case BUS_I8042:
		return "ps2";
	case BUS_USB:
		return "usb";
	case BUS_RMI:
		return "smbus"; /* Synaptics RMI4 over SMBus */
	case BUS_SPI:
		return "spi";
	case BUS_BLUETOOTH:
		return "bluetooth";
	case BUS_HOST:
		return "platform";
	case BUS_VIRTUAL:
		return "virtual";
	}
	return "other";
}

static double
size_mm(const struct cbd_touch_axis *a)
{
	return a->res > 0 && a->max > a->min ? (double)(a->max - a->min) / a->res : 0;
}

void
cbd_touch_classify(const struct cbd_touch_dev_raw *d, struct cbd_touch_info *ret)
{
	const uint8_t *k = d->keys;
	bool direct = bit(d->props, sizeof(d->props), INPUT_PROP_DIRECT);
	bool finger = bit(k, CBD_KEY_BITMAP_BYTES, BTN_TOOL_FINGER) ||
	              bit(k, CBD_KEY_BITMAP_BYTES, BTN_TOUCH);

	*ret = (struct cbd_touch_info){.kind = CBD_TOUCH_OTHER};
	ret->clickpad = bit(d->props, sizeof(d->props), INPUT_PROP_BUTTONPAD);
	ret->pressurepad = bit(d->props, sizeof(d->props), INPUT_PROP_PRESSUREPAD);
	ret->pen = bit(k, CBD_KEY_BITMAP_BYTES, BTN_TOOL_PEN);
	ret->pressure = d->pressure_max > 0;
	ret->buttons = bit(k, CBD_KEY_BITMAP_BYTES, BTN_RIGHT);
	ret->multitouch = d->slot_max >= 1;
	ret->slots = d->slot_max >= 0 ? d->slot_max + 1 : 1;
	ret->width_mm = size_mm(&d->x);
	ret->height_mm = size_mm(&d->y);
	ret->bus = bus_word(d->bustype);
	if (direct) {
		/* a pen-only digitizer reports BTN_TOUCH for the tip: no finger tool */
		if (ret->pen && !bit(k, CBD_KEY_BITMAP_BYTES, BTN_TOOL_FINGER) && !ret->multitouch)
			ret->kind = CBD_TOUCH_PEN;
		else if (finger || ret->multitouch)
			ret->kind = CBD_TOUCH_TOUCHSCREEN;
		else if (ret->pen)
			ret->kind = CBD_TOUCH_PEN;
	} else if (bit(k, CBD_KEY_BITMAP_BYTES, BTN_TOOL_FINGER) &&
	           (bit(d->props, sizeof(d->props), INPUT_PROP_POINTER) || ret->clickpad ||
	            bit(k, CBD_KEY_BITMAP_BYTES, BTN_LEFT))) {
		ret->kind = CBD_TOUCH_TOUCHPAD;
	}
}

/* ---- the tracker -------------------------------------------------------- */

void
cbd_touch_tracker_init(struct cbd_touch_tracker *t, const struct cbd_touch_axis *x,
                       const struct cbd_touch_axis *y, bool multitouch, int cols, int rows,
                       double jump_percent)
{
	*t = (struct cbd_touch_tracker){.x = *x, .y = *y, .multitouch = multitouch};
	if (cols < 1)
		cols = 1;
	if (rows < 1)
		rows = 1;
	while (cols * rows > CBD_TOUCH_MAX_CELLS)
		rows--;
	t->cols = cols;
	t->rows = rows;
	t->jump_percent = jump_percent;
}

static int
axis_index(const struct cbd_touch_axis *a, int32_t v, int n)
{
	long long span = (long long)a->max - a->min + 1;
	long long i;

	if (span < 1)
		return -1;
	i = ((long long)v - a->min) * n / span;
	return i < 0 ? 0 : i >= n ? n - 1 : (int)i; /* a little outside the range: the edge */
}

int
cbd_touch_cell(const struct cbd_touch_tracker *t, int32_t x, int32_t y)
{
	int cx = axis_index(&t->x, x, t->cols), cy = axis_index(&t->y, y, t->rows);

	return cx < 0 || cy < 0 ? -1 : cy * t->cols + cx;
}

static double
percent(const struct cbd_touch_axis *a, int32_t d)
{
	long long span = (long long)a->max - a->min;

	return span > 0 ? fabs((double)d) * 100.0 / (double)span : 0;
}

static int
fingers_now(const struct cbd_touch_tracker *t)
{
	int n = 0;

	if (t->tool_fingers > 0)
		return t->tool_fingers;
	for (int i = 0; i < CBD_TOUCH_MAX_SLOTS; i++)
		n += t->c[i].active;
	return n;
}

static void
frame(struct cbd_touch_tracker *t)
{
	bool left_down = t->left_pending, right_down = t->right_pending;

	int active = 0;
	struct cbd_touch_contact *two[2] = {NULL, NULL};

	for (int i = 0; i < CBD_TOUCH_MAX_SLOTS; i++) {
		struct cbd_touch_contact *c = &t->c[i];
		int cell;

		if (!c->active)
			continue;
		if (active < 2)
			two[active] = c;
		active++;
		if (c->has_pos && !c->moved)
			continue;
		cell = cbd_touch_cell(t, c->x, c->y);
		if (cell >= 0 && !t->reached[cell]) {
			t->reached[cell] = true;
			t->n_reached++;
		}
		if (c->has_prev) {
			double d =
			    hypot(percent(&t->x, c->x - c->px), percent(&t->y, c->y - c->py));

			if (d > t->biggest_jump_percent)
				t->biggest_jump_percent = d;
			if (d > t->jump_percent)
				t->jumps++;
		}
		c->px = c->x;
		c->py = c->y;
		c->has_prev = true;
		c->has_pos = true;
		c->moved = false;
	}
	if (active > 0)
		t->reports++;
	if (active > t->most_contacts)
		t->most_contacts = active;
	t->fingers = fingers_now(t);
	if (active == 2) {
		if (!t->two_down) {
			t->two_down = true;
			two[0]->y0 = two[0]->y;
			two[1]->y0 = two[1]->y;
		} else {
			int32_t d0 = two[0]->y - two[0]->y0, d1 = two[1]->y - two[1]->y0;

			if ((d0 > 0) == (d1 > 0) && percent(&t->y, d0) >= SCROLL_PERCENT &&
			    percent(&t->y, d1) >= SCROLL_PERCENT)
				t->scroll = true;
		}
	} else {
		t->two_down = false;
	}
	if (left_down) {
		if (t->fingers >= 2)
			t->click2 = true;
		else
			t->click1 = true;
	}
	if (right_down)
		t->click2 = true;
}

void
cbd_touch_tracker_feed(struct cbd_touch_tracker *t, const struct cbd_hw_input_event *ev, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct cbd_hw_input_event *e = &ev[i];
		struct cbd_touch_contact *c =
		    t->slot >= 0 && t->slot < CBD_TOUCH_MAX_SLOTS ? &t->c[t->slot] : NULL;

		if (e->type == EV_SYN && e->code == SYN_REPORT) {
			frame(t);
			t->left_pending = t->right_pending = false;
		} else if (e->type == EV_SYN && e->code == SYN_DROPPED) {
			/* events were lost: the next position is no jump */
			for (int s = 0; s < CBD_TOUCH_MAX_SLOTS; s++)
				t->c[s].has_prev = false;
		} else if (e->type == EV_ABS && t->multitouch) {
			switch (e->code) {
			case ABS_MT_SLOT:
				t->slot = e->value;
				break;
			case ABS_MT_TRACKING_ID:
				if (!c)
					break;
				/* a new contact keeps the slot's last position until it moves
				 * (the kernel sends only changed values) */
				c->active = e->value >= 0;
				c->has_pos = c->has_prev = false;
				break;
			case ABS_MT_POSITION_X:
				if (c) {
					c->x = e->value;
					c->moved = true;
				}
				break;
			case ABS_MT_POSITION_Y:
				if (c) {
					c->y = e->value;
					c->moved = true;
				}
				break;
			case ABS_MT_PRESSURE:
				if (t->pen_near && e->value > t->pressure_max_seen)
					t->pressure_max_seen = e->value;
				break;
			}
		} else if (e->type == EV_ABS) {
			if (e->code == ABS_X || e->code == ABS_Y) {
				if (e->code == ABS_X)
					t->c[0].x = e->value;
				else
					t->c[0].y = e->value;
				t->c[0].moved = true;
			} else if (e->code == ABS_PRESSURE && t->pen_near &&
			           e->value > t->pressure_max_seen) {
				t->pressure_max_seen = e->value;
			}
		} else if (e->type == EV_KEY) {
			switch (e->code) {
			case BTN_TOUCH:
				if (!t->multitouch) {
					t->c[0].active = e->value != 0;
					t->c[0].has_pos = t->c[0].has_prev = false;
				}
				break;
			case BTN_TOOL_FINGER:
			case BTN_TOOL_DOUBLETAP:
			case BTN_TOOL_TRIPLETAP:
			case BTN_TOOL_QUADTAP:
			case BTN_TOOL_QUINTTAP: {
				int f = e->code == BTN_TOOL_FINGER ? 1
				        : e->code == BTN_TOOL_QUINTTAP
				            ? 5
				            : 2 + (e->code - BTN_TOOL_DOUBLETAP);

				if (e->value)
					t->tool_fingers = f;
				else if (t->tool_fingers == f)
					t->tool_fingers = 0;
				break;
			}
			case BTN_TOOL_PEN:
				t->pen_near = e->value != 0;
				t->pen_seen |= t->pen_near;
				break;
			case BTN_LEFT:
				t->left_pending |= e->value == 1;
				break;
			case BTN_RIGHT:
				t->right_pending |= e->value == 1;
				break;
			}
		}
	}
}

bool
cbd_touch_on_path(int cols, int rows, int i)
{
	int r = i / cols, c = i % cols;

	if (r == 0 || r == rows - 1 || c == 0 || c == cols - 1)
		return true;
	/* the row a straight line from corner to corner crosses at the column's middle */
	return r == (2 * c + 1) * rows / (2 * cols);
}

/* Reached, or for a diagonal cell inside the edges, a neighbour above or below
 * reached (a finger's diagonal is never straight). */
static bool
counts_reached(const struct cbd_touch_tracker *t, bool path, int i)
{
	int r = i / t->cols, c = i % t->cols;

	if (t->reached[i])
		return true;
	if (!path || r == 0 || r == t->rows - 1 || c == 0 || c == t->cols - 1)
		return false;
	return t->reached[i - t->cols] || (r + 1 < t->rows && t->reached[i + t->cols]);
}

size_t
cbd_touch_dead_cells(const struct cbd_touch_tracker *t, bool path, int *dead, size_t max)
{
	size_t n = 0;

	for (int i = 0; i < t->cols * t->rows; i++) {
		if (path && !cbd_touch_on_path(t->cols, t->rows, i))
			continue;
		if (counts_reached(t, path, i))
			continue;
		if (n < max)
			dead[n] = i;
		n++;
	}
	return n;
}

size_t
cbd_touch_map_text(const struct cbd_touch_tracker *t, bool path, char *buf, size_t size)
{
	size_t len = 0;

	if (size == 0)
		return 0;
	for (int r = 0; r < t->rows; r++) {
		for (int c = 0; c < t->cols && len + 2 < size; c++) {
			int i = r * t->cols + c;

			buf[len++] = t->reached[i]                                     ? '#'
			             : !path || cbd_touch_on_path(t->cols, t->rows, i) ? '.'
			                                                               : ' ';
		}
		if (len + 1 < size)
			buf[len++] = '\n';
	}
	buf[len] = '\0';
	return len;
}

/* ---- the verdict -------------------------------------------------------- */

static const char *
end_word(enum cbd_touch_step_end e)
{
	switch (e) {
	case CBD_TOUCH_DONE:
		return "done";
	case CBD_TOUCH_ENDED:
		return N_("ended by the intern");
	case CBD_TOUCH_TIMEOUT:
		return N_("timed out");
	case CBD_TOUCH_SKIPPED:
		return N_("skipped by the intern");
	case CBD_TOUCH_ERROR:
		return N_("could not run");
	case CBD_TOUCH_NOT_RUN:
		break;
	}
	return N_("not run");
}

static const char *
kind_word(const struct cbd_touch_info *in)
{
	if (in->pressurepad)
		return "pressurepad";
	if (in->clickpad)
		return "clickpad";
	return in->buttons ? "buttons" : "touchpad";
}

static void
add_mm(struct cbd_json *o, const char *key, double mm)
{
	if (mm > 0)
		cbd_json_add_int(o, key, (long long)lround(mm));
	else
		cbd_json_add_null(o, key);
}

static void
add_device(struct cbd_json *arr, const struct cbd_touch_dev_raw *d, const struct cbd_touch_info *in)
{
	struct cbd_json *o = cbd_json_add_object(arr, NULL);

	cbd_json_add_str(o, "name", d->name);
	cbd_json_add_str(o, "event", d->event);
	cbd_json_add_str(o, "phys", d->phys);
	cbd_json_add_str(o, "bus", in->bus);
	if (in->kind == CBD_TOUCH_TOUCHPAD)
		cbd_json_add_str(o, "kind", kind_word(in));
	cbd_json_add_int(o, "slots", in->slots);
	if (d->abs_err < 0) {
		cbd_json_add_str(o, "axes", strerror(-d->abs_err));
		return;
	}
	add_mm(o, "width_mm", in->width_mm);
	add_mm(o, "height_mm", in->height_mm);
	cbd_json_add_int(o, "x_max", d->x.max);
	cbd_json_add_int(o, "y_max", d->y.max);
	cbd_json_add_int(o, "resolution", d->x.res);
	cbd_json_add_bool(o, "stylus", in->pen);
	if (d->pressure_max > 0)
		cbd_json_add_int(o, "pressure_max", d->pressure_max);
}

static void
add_cells(struct cbd_json *o, const struct cbd_touch_tracker *t, bool path, size_t *n_dead)
{
	int dead[CBD_TOUCH_MAX_CELLS];
	size_t n = cbd_touch_dead_cells(t, path, dead, CBD_TOUCH_MAX_CELLS);
	struct cbd_json *arr;
	char map[(CBD_TOUCH_MAX_CELLS + 1) * 2 + 8], *line, *save = NULL;

	cbd_json_add_int(o, "columns", t->cols);
	cbd_json_add_int(o, "rows", t->rows);
	arr = cbd_json_add_array(o, "dead_cells");
	for (size_t i = 0; i < n; i++) {
		char cell[48];

		snprintf(cell, sizeof(cell), N_("row %d column %d"), dead[i] / t->cols + 1,
		         dead[i] % t->cols + 1);
		cbd_json_add_str(arr, NULL, cell);
	}
	cbd_touch_map_text(t, path, map, sizeof(map));
	arr = cbd_json_add_array(o, "map");
	for (line = strtok_r(map, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		cbd_json_add_str(arr, NULL, line);
	cbd_json_add_int(o, "jumps", t->jumps);
	cbd_json_add_int(o, "biggest_move_percent", (long long)lround(t->biggest_jump_percent));
	*n_dead = n;
}

/* Common to every step: the error and skip cases. Returns true when judged. */
static bool
step_head(const struct cbd_touch_step *s, const char *what, struct cbd_json *o,
          struct cbd_result *out, bool touched)
{
	cbd_json_add_str(o, "ended", end_word(s->end));
	if (s->end == CBD_TOUCH_ERROR) {
		cbd_json_add_str(o, "result", "error");
		cbd_result_add_finding(out, "touch.test_error", CBD_SEVERITY_INFO, false,
		                       N_("Run cbdiag as root"), N_("The %s test could not run: %s"), what,
		                       strerror(s->err > 0 ? s->err : -s->err));
		return true;
	}
	if (s->end == CBD_TOUCH_SKIPPED && !touched) {
		cbd_json_add_str(o, "result", "skip");
		return true;
	}
	return false;
}

static void
judge_trace(const struct cbd_touch_step *s, struct cbd_json *data, struct cbd_result *out)
{
	struct cbd_json *o = cbd_json_add_object(data, "trace_test");
	const struct cbd_touch_tracker *t = &s->t;
	size_t dead = 0;

	if (step_head(s, "touchpad", o, out, t->reports > 0))
		return;
	add_cells(o, t, true, &dead);
	if (t->reports == 0) {
		cbd_json_add_str(o, "result", "fail");
		cbd_result_add_finding(out, "touch.touchpad_no_touch", CBD_SEVERITY_FAIL, false,
		                       N_("Reseat the touchpad's cable at both ends; replace the "
		                       "touchpad if it still does not respond"),
		                       N_("The touchpad never reported a finger"));
		return;
	}
	if (dead > 0 && s->end != CBD_TOUCH_SKIPPED)
		cbd_result_add_finding(out, "touch.touchpad_dead_zone", CBD_SEVERITY_FAIL, false,
		                       N_("Replace the touchpad (a crack or a lifted corner is often "
		                       "the cause)"),
		                       N_("The touchpad did not respond in %zu place%s along the "
		                       "traced path"),
		                       dead, dead == 1 ? "" : "s");
	if (t->jumps > 0)
		cbd_result_add_finding(
		    out, "touch.touchpad_jumps", CBD_SEVERITY_WARN, false,
		    N_("Clean and dry the touchpad and reseat its cable; replace the "
		    "touchpad if the pointer still jumps"),
		    N_("The touchpad's position jumped %u time%s while a finger moved"), t->jumps,
		    t->jumps == 1 ? "" : "s");
	cbd_json_add_str(o, "result",
	                 dead > 0 && s->end != CBD_TOUCH_SKIPPED ? "fail"
	                 : t->jumps > 0                          ? "warn"
	                 : s->end == CBD_TOUCH_SKIPPED           ? "skip"
	                                                         : "pass");
}

static void
judge_clicks(const struct cbd_touch_step *s, struct cbd_json *data, struct cbd_result *out)
{
	struct cbd_json *o = cbd_json_add_object(data, "click_test");
	const struct cbd_touch_tracker *t = &s->t;
	bool judged = s->end != CBD_TOUCH_SKIPPED;

	if (step_head(s, "click", o, out, t->reports > 0 || t->click1 || t->click2))
		return;
	cbd_json_add_bool(o, "one_finger_click", t->click1);
	cbd_json_add_bool(o, "two_finger_click", t->click2);
	cbd_json_add_bool(o, "two_finger_scroll", t->scroll);
	cbd_json_add_int(o, "most_fingers", t->most_contacts);
	if (!judged) {
		cbd_json_add_str(o, "result", "skip");
		return;
	}
	if (!t->click1 && !t->click2)
		cbd_result_add_finding(out, "touch.click_missing", CBD_SEVERITY_FAIL, true,
		                       N_("Tell staff: look for a swollen battery pushing the "
		                       "touchpad up, then replace the touchpad"),
		                       N_("The touchpad's click was never felt by the machine"));
	else if (!t->click1 || !t->click2)
		cbd_result_add_finding(out, "touch.click_partial", CBD_SEVERITY_WARN, false,
		                       N_("Try the click again; replace the touchpad if it still "
		                       "misses"),
		                       N_("The touchpad clicked with %s but not with %s"),
		                       t->click1 ? N_("one finger") : N_("two fingers"),
		                       t->click1 ? N_("two fingers") : N_("one finger"));
	if (!t->scroll)
		cbd_result_add_finding(out, "touch.scroll_missing", CBD_SEVERITY_WARN, false,
		                       N_("Try again with two fingers side by side; replace the "
		                       "touchpad if it never sees two fingers"),
		                       t->most_contacts < 2
		                           ? N_("The touchpad never saw two fingers at once")
		                           : N_("A two-finger scroll was never seen"));
	cbd_json_add_str(o, "result",
	                 !t->click1 && !t->click2                 ? "fail"
	                 : !t->click1 || !t->click2 || !t->scroll ? "warn"
	                                                          : "pass");
}

static void
judge_screen(const struct cbd_touch_step *s, struct cbd_json *data, struct cbd_result *out)
{
	struct cbd_json *o = cbd_json_add_object(data, "screen_test");
	const struct cbd_touch_tracker *t = &s->t;
	size_t dead = 0;

	if (step_head(s, "touchscreen", o, out, t->reports > 0))
		return;
	add_cells(o, t, false, &dead);
	if (t->reports == 0) {
		cbd_json_add_str(o, "result", "fail");
		cbd_result_add_finding(out, "touch.touchscreen_no_touch", CBD_SEVERITY_FAIL, true,
		                       N_("Tell staff: check the touchscreen's cable, then the "
		                       "screen assembly"),
		                       N_("The touchscreen never reported a finger"));
		return;
	}
	if (dead > 0 && s->end != CBD_TOUCH_SKIPPED)
		cbd_result_add_finding(out, "touch.touchscreen_dead_cells", CBD_SEVERITY_FAIL, true,
		                       N_("Tell staff: the screen assembly needs replacing "
		                       "(a crack is often the cause)"),
		                       N_("The touchscreen did not respond in %zu of %d places"), dead,
		                       t->cols * t->rows);
	if (t->jumps > 0)
		cbd_result_add_finding(out, "touch.touchscreen_jumps", CBD_SEVERITY_WARN, true,
		                       N_("Clean and dry the screen; escalate to staff if touches "
		                       "still jump"),
		                       N_("The touchscreen's position jumped %u time%s while a finger "
		                       "moved"),
		                       t->jumps, t->jumps == 1 ? "" : "s");
	cbd_json_add_str(o, "result",
	                 dead > 0 && s->end != CBD_TOUCH_SKIPPED ? "fail"
	                 : t->jumps > 0                          ? "warn"
	                 : s->end == CBD_TOUCH_SKIPPED           ? "skip"
	                                                         : "pass");
}

static void
judge_pen(const struct cbd_touch_step *s, bool pressure, struct cbd_json *data,
          struct cbd_result *out)
{
	struct cbd_json *o = cbd_json_add_object(data, "stylus_test");
	const struct cbd_touch_tracker *t = &s->t;

	if (step_head(s, "stylus", o, out, t->pen_seen))
		return;
	cbd_json_add_bool(o, "seen", t->pen_seen);
	cbd_json_add_int(o, "pressure_max_seen", t->pressure_max_seen);
	if (!t->pen_seen) {
		cbd_json_add_str(o, "result", "warn");
		cbd_result_add_finding(out, "touch.stylus_not_seen", CBD_SEVERITY_WARN, false,
		                       N_("Charge the stylus or seat it in its slot for a minute, "
		                       "then try again; replace the stylus if it is still not seen"),
		                       N_("The stylus was never seen near the screen"));
		return;
	}
	if (pressure && t->pressure_max_seen <= 0) {
		cbd_json_add_str(o, "result", "warn");
		cbd_result_add_finding(out, "touch.stylus_no_pressure", CBD_SEVERITY_WARN, false,
		                       N_("Check the stylus's tip; replace the stylus if pressing "
		                       "still does not register"),
		                       N_("The stylus was seen but its pressure never rose"));
		return;
	}
	cbd_json_add_str(o, "result", "pass");
}

static const char *
what(bool pad, bool screen, bool pen)
{
	if (pad && screen)
		return pen ? N_("Touchpad, touchscreen and stylus") : N_("Touchpad and touchscreen");
	if (pad)
		return pen ? N_("Touchpad and stylus") : N_("Touchpad");
	if (screen)
		return pen ? N_("Touchscreen and stylus") : N_("Touchscreen");
	return pen ? N_("Stylus") : N_("No touch surface");
}

static bool
ran(const struct cbd_touch_tests *tests, const struct cbd_touch_step *s)
{
	return tests && s->end != CBD_TOUCH_NOT_RUN;
}

void
cbd_touch_judge(const struct cbd_touch_raw *raw, bool laptop, bool interactive,
                const struct cbd_touch_tests *tests, struct cbd_result *out)
{
	struct cbd_json *pads = cbd_json_add_array(out->data, "touchpads");
	struct cbd_json *screens = cbd_json_add_array(out->data, "touchscreens");
	struct cbd_touch_info pad = {0}, in;
	bool have_pad = false, have_screen = false, have_pen = false, pen_pressure = false;
	const struct cbd_finding *worst;
	bool tested = false;

	for (size_t i = 0; i < raw->n; i++) {
		const struct cbd_touch_dev_raw *d = &raw->dev[i];

		cbd_touch_classify(d, &in);
		if (in.kind == CBD_TOUCH_TOUCHPAD) {
			add_device(pads, d, &in);
			if (!have_pad)
				pad = in;
			have_pad = true;
			if (d->abs_err < 0)
				cbd_result_add_finding(
				    out, "touch.size_unreadable", CBD_SEVERITY_INFO, false,
				    N_("Run cbdiag as root"), N_("The touchpad's size could not be read"));
		} else if (in.kind == CBD_TOUCH_TOUCHSCREEN || in.kind == CBD_TOUCH_PEN) {
			add_device(screens, d, &in);
			have_screen |= in.kind == CBD_TOUCH_TOUCHSCREEN;
			if (in.pen) {
				have_pen = true;
				pen_pressure |= in.pressure;
			}
		}
	}
	/* the model's parts, for a fleet profile: a touchscreen's absence is a fact, not a fault */
	if (have_pad)
		cbd_json_add_str(out->data, "touchpad_kind", kind_word(&pad));
	else
		cbd_json_add_null(out->data, "touchpad_kind");
	cbd_json_add_bool(out->data, "touchscreen", have_screen);
	cbd_json_add_bool(out->data, "stylus", have_pen);

	if (tests) {
		if (ran(tests, &tests->trace))
			judge_trace(&tests->trace, out->data, out);
		if (ran(tests, &tests->clicks))
			judge_clicks(&tests->clicks, out->data, out);
		if (ran(tests, &tests->screen))
			judge_screen(&tests->screen, out->data, out);
		if (ran(tests, &tests->pen))
			judge_pen(&tests->pen, pen_pressure, out->data, out);
		tested = ran(tests, &tests->trace) || ran(tests, &tests->clicks) ||
		         ran(tests, &tests->screen) || ran(tests, &tests->pen);
	}

	if (!have_pad && !have_screen && !have_pen && !laptop) {
		cbd_result_set(out, CBD_STATUS_SKIP, N_("No touchpad or touchscreen (not a laptop)"));
		return;
	}
	if (!have_pad && laptop)
		cbd_result_add_finding(out, "touch.touchpad_missing", CBD_SEVERITY_FAIL, false,
		                       N_("Reseat the touchpad's cable at both ends; replace the "
		                       "touchpad if it is still not found"),
		                       N_("No touchpad was found on this laptop"));
	worst = cbd_result_most_severe(out);
	if (worst && worst->severity != CBD_SEVERITY_INFO)
		cbd_result_set(out, cbd_result_worst_finding(out), "%s", worst->message);
	else if (tested)
		cbd_result_set(out, CBD_STATUS_PASS, N_("%s: the guided tests passed"),
		               what(have_pad, have_screen, have_pen));
	else
		cbd_result_set(out, CBD_STATUS_PASS, N_("%s found (%s)"),
		               what(have_pad, have_screen, have_pen),
		               interactive ? N_("not tested") : N_("not tested without the guided steps"));
}
