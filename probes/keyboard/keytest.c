/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The key-by-key test state machine (pure). Rules: probes/keyboard/README.md, "The key-by-key test". */
#include "cbd-i18n.h"
#include "keytest.h"

#include <linux/input-event-codes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cbd-util.h"

/* The Chromebook US (ANSI) layout below the top row, by keycode, row by row. */
static const struct {
	const char *label;
	unsigned code;
} layout[] = {
	{"ESC", KEY_ESC},
	{"`", KEY_GRAVE},        {"1", KEY_1},       {"2", KEY_2},          {"3", KEY_3},
	{"4", KEY_4},            {"5", KEY_5},       {"6", KEY_6},          {"7", KEY_7},
	{"8", KEY_8},            {"9", KEY_9},       {"0", KEY_0},          {"-", KEY_MINUS},
	{"=", KEY_EQUAL},        {"BKSP", KEY_BACKSPACE},
	{"TAB", KEY_TAB},        {"Q", KEY_Q},       {"W", KEY_W},          {"E", KEY_E},
	{"R", KEY_R},            {"T", KEY_T},       {"Y", KEY_Y},          {"U", KEY_U},
	{"I", KEY_I},            {"O", KEY_O},       {"P", KEY_P},          {"[", KEY_LEFTBRACE},
	{"]", KEY_RIGHTBRACE},   {"\\", KEY_BACKSLASH},
	{"SEARCH", KEY_LEFTMETA}, {"A", KEY_A},      {"S", KEY_S},          {"D", KEY_D},
	{"F", KEY_F},            {"G", KEY_G},       {"H", KEY_H},          {"J", KEY_J},
	{"K", KEY_K},            {"L", KEY_L},       {";", KEY_SEMICOLON},  {"'", KEY_APOSTROPHE},
	{"ENTER", KEY_ENTER},
	{"SHIFT", KEY_LEFTSHIFT}, {"Z", KEY_Z},      {"X", KEY_X},          {"C", KEY_C},
	{"V", KEY_V},            {"B", KEY_B},       {"N", KEY_N},          {"M", KEY_M},
	{",", KEY_COMMA},        {".", KEY_DOT},     {"/", KEY_SLASH},      {"SHIFT_R", KEY_RIGHTSHIFT},
	{"CTRL", KEY_LEFTCTRL},  {"ALT", KEY_LEFTALT}, {"SPACE", KEY_SPACE}, {"ALT_R", KEY_RIGHTALT},
	{"CTRL_R", KEY_RIGHTCTRL}, {"LEFT", KEY_LEFT}, {"UP", KEY_UP},      {"DOWN", KEY_DOWN},
	{"RIGHT", KEY_RIGHT},
};

/* where each row of the drawing starts (index into layout) */
static const int row_start[] = {1, 15, 29, 42, 54};

static void
add_key(struct cbd_keytest *kt, const char *label, unsigned code, unsigned scan)
{
	struct cbd_kt_key *k;

	if (kt->n_keys == CBD_KT_MAX_KEYS)
		return;
	k = &kt->keys[kt->n_keys++];
	memset(k, 0, sizeof(*k));
	snprintf(k->label, sizeof(k->label), "%s", label);
	k->code = code;
	k->scancode = scan;
}

void
cbd_keytest_init(struct cbd_keytest *kt, const unsigned *physmap, int n_physmap,
		 uint64_t now_us, unsigned chatter_ms, unsigned stuck_s, unsigned no_event_s,
		 unsigned limit_s)
{
	memset(kt, 0, sizeof(*kt));
	kt->chatter_us = (uint64_t)chatter_ms * 1000;
	kt->stuck_us = (uint64_t)stuck_s * 1000000;
	kt->no_event_us = (uint64_t)no_event_s * 1000000;
	kt->limit_us = (uint64_t)limit_s * 1000000;
	kt->start_us = now_us;
	add_key(kt, layout[0].label, layout[0].code, 0); /* ESC first: it leads the top row */
	if (n_physmap > 0) {
		for (int i = 0; i < n_physmap; i++) {
			char label[16];

			snprintf(label, sizeof(label), "T%d", i + 1);
			add_key(kt, label, 0, physmap[i]);
		}
	} else {
		for (int i = 0; i < 10; i++) {
			char label[16];

			snprintf(label, sizeof(label), "F%d", i + 1);
			add_key(kt, label, KEY_F1 + (unsigned)i, 0);
		}
	}
	for (size_t i = 1; i < CBD_ARRAY_SIZE(layout); i++)
		add_key(kt, layout[i].label, layout[i].code, 0);
	kt->n_required = kt->n_keys;
}

void
cbd_keytest_add_optional(struct cbd_keytest *kt, const char *label, unsigned code)
{
	for (int i = 0; i < kt->n_keys; i++)
		if (!kt->keys[i].scancode && kt->keys[i].code == code)
			return; /* already there */
	if (kt->n_keys == CBD_KT_MAX_KEYS)
		return;
	add_key(kt, label, code, 0);
	kt->keys[kt->n_keys - 1].optional = true;
}

static struct cbd_kt_key *
find(struct cbd_keytest *kt, unsigned code, unsigned scan)
{
	/* a scancode match first (the vivaldi top row), then the keycode */
	for (int i = 0; scan && i < kt->n_keys; i++)
		if (kt->keys[i].scancode && kt->keys[i].scancode == scan)
			return &kt->keys[i];
	for (int i = 0; i < kt->n_keys; i++)
		if (!kt->keys[i].scancode && kt->keys[i].code == code)
			return &kt->keys[i];
	/* a release without its scancode: the top-row key that sent this keycode */
	for (int i = 0; i < kt->n_keys; i++)
		if (kt->keys[i].scancode && kt->keys[i].seen_code == code &&
		    (kt->keys[i].state == CBD_KT_DOWN || kt->keys[i].state == CBD_KT_STUCK))
			return &kt->keys[i];
	return NULL;
}

int
cbd_keytest_count(const struct cbd_keytest *kt, enum cbd_kt_state s)
{
	int n = 0;

	for (int i = 0; i < kt->n_required; i++)
		n += kt->keys[i].state == s;
	return n;
}

void
cbd_keytest_tick(struct cbd_keytest *kt, uint64_t now)
{
	if (kt->end != CBD_KT_RUNNING)
		return;
	/* an event stamped before the test began (a key released just after the
	 * grab, events queued between opening the device and starting) is not
	 * time passing: "now - start" must not wrap around to the time limit */
	if (now < kt->start_us)
		now = kt->start_us;
	for (int i = 0; i < kt->n_keys; i++) {
		struct cbd_kt_key *k = &kt->keys[i];

		if (k->state == CBD_KT_DOWN && now - k->down_since_us >= kt->stuck_us)
			k->state = CBD_KT_STUCK;
	}
	if (kt->esc_down_us && now - kt->esc_down_us >= CBD_KT_ESC_HOLD_US) {
		/* the hold that ends the test proves Esc works: tested, not "still down" */
		struct cbd_kt_key *esc = find(kt, KEY_ESC, 0);

		if (esc && esc->state == CBD_KT_DOWN)
			esc->state = CBD_KT_TESTED;
		kt->end = CBD_KT_GAVE_UP;
	}
	else if (!kt->any_event && now - kt->start_us >= kt->no_event_us)
		kt->end = CBD_KT_NO_EVENTS;
	else if (cbd_keytest_count(kt, CBD_KT_TESTED) + cbd_keytest_count(kt, CBD_KT_STUCK) ==
		 kt->n_required)
		kt->end = CBD_KT_ALL_TESTED;
	else if (kt->limit_us && now - kt->start_us >= kt->limit_us)
		kt->end = CBD_KT_TIME_LIMIT;
}

void
cbd_keytest_event(struct cbd_keytest *kt, uint64_t t, unsigned type, unsigned code, int value)
{
	struct cbd_kt_key *k;

	if (kt->end != CBD_KT_RUNNING)
		return;
	if (type == EV_MSC && code == MSC_SCAN) {
		kt->last_scan = (unsigned)value;
		return;
	}
	if (type != EV_KEY)
		return;
	kt->any_event = true;
	if (code == KEY_ESC)
		kt->esc_down_us = value == 1 ? t : value == 0 ? 0 : kt->esc_down_us;
	k = find(kt, code, kt->last_scan);
	kt->last_scan = 0;
	if (k) {
		if (value == 1) {
			/* a second press too soon after the last one: the switch bounces */
			if (k->presses && t - k->last_press_us < kt->chatter_us)
				k->chatter = true;
			k->presses++;
			k->seen_code = code;
			k->last_press_us = t;
			k->down_since_us = t;
			if (k->state != CBD_KT_STUCK)
				k->state = CBD_KT_DOWN;
		} else if (value == 0 && k->state == CBD_KT_DOWN) {
			k->state = CBD_KT_TESTED;
		}
	}
	cbd_keytest_tick(kt, t);
}

static void
cell(char **buf, size_t *len, const struct cbd_kt_key *k, bool colour)
{
	static const char *const col[] = {
		[CBD_KT_UNTESTED] = "", [CBD_KT_DOWN] = "\033[30;43m",
		[CBD_KT_TESTED] = "\033[30;42m", [CBD_KT_STUCK] = "\033[37;41m"};
	static const char open[] = {[CBD_KT_UNTESTED] = '[', [CBD_KT_DOWN] = '<',
				    [CBD_KT_TESTED] = ' ', [CBD_KT_STUCK] = '!'};
	static const char close[] = {[CBD_KT_UNTESTED] = ']', [CBD_KT_DOWN] = '>',
				     [CBD_KT_TESTED] = ' ', [CBD_KT_STUCK] = '!'};
	char *s = cbd_strdupf("%s%s%c%s%c%s ", *buf ? *buf : "",
			      colour ? col[k->state] : "", open[k->state], k->label, close[k->state],
			      colour && *col[k->state] ? "\033[0m" : "");

	free(*buf);
	*buf = s;
	*len = strlen(s);
}

char *
cbd_keytest_render(const struct cbd_keytest *kt, bool colour)
{
	char *buf = NULL;
	size_t len = 0;
	int top = 0;

	/* row 0: ESC and the top row */
	while (top < kt->n_keys && (top == 0 || kt->keys[top].scancode ||
				    (kt->keys[top].code >= KEY_F1 && kt->keys[top].code <= KEY_F10)))
		cell(&buf, &len, &kt->keys[top++], colour);
	for (size_t r = 0; r < CBD_ARRAY_SIZE(row_start); r++) {
		int from = top + row_start[r] - 1;
		int to = r + 1 < CBD_ARRAY_SIZE(row_start) ? top + row_start[r + 1] - 1
							    : kt->n_required;

		{
			char *s = cbd_strdupf("%s\n", buf ? buf : "");

			free(buf);
			buf = s;
		}
		for (int i = from; i < to && i < kt->n_keys; i++)
			cell(&buf, &len, &kt->keys[i], colour);
	}
	if (kt->n_keys > kt->n_required) {
		char *s = cbd_strdupf(_("%s\nIf the keyboard has them: "), buf ? buf : "");

		free(buf);
		buf = s;
		for (int i = kt->n_required; i < kt->n_keys; i++)
			cell(&buf, &len, &kt->keys[i], colour);
	}
	{
		char *s = cbd_strdupf(_("%s\n\n%d of %d keys tested%s%s. Press every key once; hold Esc "
				      "for 2 s to stop.\n"),
				      buf, cbd_keytest_count(kt, CBD_KT_TESTED), kt->n_required,
				      cbd_keytest_count(kt, CBD_KT_STUCK) ? _(", stuck keys in red") : "",
				      colour ? "" : _(" ([X] untested, <X> down, !X! stuck)"));

		free(buf);
		buf = s;
	}
	(void)len;
	return buf;
}
