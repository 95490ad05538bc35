/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Judging half of the keyboard probe: pure code, rules in probes/keyboard/README.md. */
#include <linux/input-event-codes.h>

#include "cbd-i18n.h"
#include "keyboard.h"
#include "keytest.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>

const char *
cbd_kbd_bus_to_string(enum cbd_kbd_bus b)
{
	static const char *const names[] = {
		[CBD_KBD_BUS_I8042] = "i8042",     [CBD_KBD_BUS_USB] = "usb",
		[CBD_KBD_BUS_BLUETOOTH] = "bluetooth", [CBD_KBD_BUS_I2C] = "i2c",
		[CBD_KBD_BUS_SPI] = "spi",         [CBD_KBD_BUS_VIRTUAL] = "virtual",
		[CBD_KBD_BUS_OTHER] = "other",
	};
	return b <= CBD_KBD_BUS_OTHER ? names[b] : "other";
}

enum cbd_kbd_bus
cbd_kbd_bus_from_id(unsigned bustype)
{
	switch (bustype) { /* linux/input.h BUS_* */
	case 0x11:
		return CBD_KBD_BUS_I8042;
	case 0x03:
		return CBD_KBD_BUS_USB;
	case 0x05:
		return CBD_KBD_BUS_BLUETOOTH;
	case 0x18:
		return CBD_KBD_BUS_I2C;
	case 0x1c:
		return CBD_KBD_BUS_SPI;
	case 0x06:
		return CBD_KBD_BUS_VIRTUAL;
	default:
		return CBD_KBD_BUS_OTHER;
	}
}

void
cbd_parse_capabilities(const char *text, uint8_t *bits, size_t nbytes)
{
	/* words of the kernel's long, most significant first */
	const size_t word_bytes = sizeof(unsigned long);
	char *copy = cbd_strdup(text), *save = NULL, *tok;
	char *words[256];
	size_t n = 0;

	memset(bits, 0, nbytes);
	for (tok = strtok_r(copy, " \t\n", &save); tok && n < CBD_ARRAY_SIZE(words);
	     tok = strtok_r(NULL, " \t\n", &save))
		words[n++] = tok;
	for (size_t w = 0; w < n; w++) {
		unsigned long v = strtoul(words[n - 1 - w], NULL, 16);

		for (size_t b = 0; b < word_bytes; b++) {
			size_t idx = w * word_bytes + b;

			if (idx < nbytes)
				bits[idx] = (uint8_t)(v >> (8 * b));
		}
	}
	free(copy);
}

static bool
bit(const uint8_t *bits, unsigned code)
{
	return code / 8 < CBD_KEY_BITMAP_BYTES && (bits[code / 8] >> (code % 8)) & 1;
}

bool
cbd_is_keyboard(const uint8_t keys[CBD_KEY_BITMAP_BYTES])
{
	for (unsigned code = 1; code <= 31; code++) /* KEY_ESC .. KEY_S */
		if (!bit(keys, code))
			return false;
	return true;
}

int
cbd_parse_physmap(const char *text, unsigned *codes, int max)
{
	int n = 0;

	while (*text && n < max) {
		char *end;
		unsigned long v;

		while (isspace((unsigned char)*text))
			text++;
		if (!*text)
			break;
		v = strtoul(text, &end, 16);
		if (end == text)
			break;
		codes[n++] = (unsigned)v;
		text = end;
	}
	return n;
}

const char *
cbd_top_row_action(unsigned code)
{
	/* the set-1 (condensed, 0x80 | E0-code) scancodes coreboot assigns to
	 * the Chromebook top-row actions (probes/keyboard/README.md) */
	static const struct {
		unsigned code;
		const char *action;
	} map[] = {
		{0xea, "back"},          {0xe9, "forward"},        {0xe7, "refresh"},
		{0x91, "fullscreen"},    {0x92, "overview"},       {0x93, "screenshot"},
		{0x94, "brightness_down"}, {0x95, "brightness_up"}, {0x96, "privacy_screen"},
		{0x97, "keyboard_backlight_down"}, {0x98, "keyboard_backlight_up"},
		{0x99, "play_pause"},    {0x9b, "microphone_mute"}, {0x9e, "keyboard_backlight_toggle"},
		{0xa0, "mute"},          {0xae, "volume_down"},    {0xb0, "volume_up"},
		{0x9d, "menu"},
	};

	for (size_t i = 0; i < CBD_ARRAY_SIZE(map); i++)
		if (map[i].code == code)
			return map[i].action;
	return NULL;
}

int
cbd_keyboard_layout_extras(const struct cbd_keyboard_raw *k, unsigned *codes, const char **labels,
			   int max)
{
	static const struct {
		unsigned code;
		const char *label;
	} extras[] = {
		{KEY_102ND, "ISO\\"},	       /* ISO: between left Shift and Z */
		{KEY_YEN, "YEN"},	       /* JIS */
		{KEY_RO, "RO"},		       /* JIS: left of right Shift */
		{KEY_MUHENKAN, "MUHENKAN"},    /* JIS: left of Space */
		{KEY_HENKAN, "HENKAN"},	       /* JIS: right of Space */
		{KEY_KATAKANAHIRAGANA, "KANA"}, /* JIS */
	};
	int n = 0;

	/* atkbd, USB and Bluetooth HID declare their whole generic table: every
	 * keyboard would seem to have every extra. Only a keymap made for the board
	 * (cros_ec's matrix, I2C/SPI HID descriptors) says what is there. */
	switch (cbd_kbd_bus_from_id(k->bustype)) {
	case CBD_KBD_BUS_I2C:
	case CBD_KBD_BUS_SPI:
		break;
	case CBD_KBD_BUS_VIRTUAL:
		if (streq(k->name, "cros_ec"))
			break;
		return 0;
	default:
		return 0;
	}
	for (size_t i = 0; i < CBD_ARRAY_SIZE(extras) && n < max; i++) {
		if (!(k->keys[extras[i].code / 8] & (1u << (extras[i].code % 8))))
			continue;
		codes[n] = extras[i].code;
		labels[n] = extras[i].label;
		n++;
	}
	return n;
}

bool
cbd_keyboard_is_internal(const struct cbd_keyboard_raw *k)
{
	switch (cbd_kbd_bus_from_id(k->bustype)) {
	case CBD_KBD_BUS_I8042: /* atkbd on the EC's 8042 emulation */
	case CBD_KBD_BUS_I2C:
	case CBD_KBD_BUS_SPI:
		return true;
	case CBD_KBD_BUS_VIRTUAL: /* cros_ec_keyb: the matrix behind the EC */
		return streq(k->name, "cros_ec");
	case CBD_KBD_BUS_USB: /* a detachable's base sits on a fixed port */
		return k->usb_port_fixed;
	default:
		return false;
	}
}

/* The keys in @st (or with chatter) into @arr, all of them, and into @list for
 * a message, at most 16 of them and "and N more". @which: -1 every key, 0 the
 * required keys only, 1 the optional (ISO/JIS) keys only. Returns the count. */
static int
add_names(struct cbd_json *arr, const struct cbd_keytest *kt, enum cbd_kt_state st, bool chatter,
	  int which, char *list, size_t size)
{
	size_t used = 0;
	int listed = 0, more = 0;

	list[0] = '\0';
	for (int i = 0; i < kt->n_keys; i++) {
		const struct cbd_kt_key *key = &kt->keys[i];

		if (chatter ? !key->chatter : key->state != st)
			continue;
		if (which >= 0 && key->optional != (which == 1))
			continue;
		cbd_json_add_str(arr, NULL, key->label);
		if (listed++ == 16) {
			more = 1;
			continue;
		}
		if (more)
			continue;
		used += (size_t)snprintf(list + used, used < size ? size - used : 0, "%s%s",
					 used ? ", " : "", key->label);
	}
	if (more && used < size) {
		/* one format around the list, so that cbd_tr() finds it in the
		 * sentence it goes into ("F1, F2 … and 56 more") */
		_cleanup_free_ char *all = cbd_strdupf(N_("%s and %d more"), list, listed - 16);

		snprintf(list, size, "%s", all);
	}
	return listed;
}

static void
judge_keytest(const struct cbd_keytest *kt, int kt_err, struct cbd_result *out)
{
	static const char *const ends[] = {
		[CBD_KT_RUNNING] = N_("running"),        [CBD_KT_ALL_TESTED] = N_("all keys tested"),
		[CBD_KT_GAVE_UP] = N_("stopped by the intern (Esc held)"),
		[CBD_KT_NO_EVENTS] = N_("no key event arrived"),
		[CBD_KT_TIME_LIMIT] = N_("time limit"),
	};
	struct cbd_json *o = cbd_json_add_object(out->data, "key_test");
	char untested[1024], down[256], stuck[512], chatter[512];
	int n_untested, n_stuck;
	bool chattered = false;

	if (kt_err) {
		cbd_json_add_str(o, "result", "error");
		cbd_json_add_str(o, "reason", strerror(-kt_err));
		return;
	}
	cbd_json_add_int(o, "expected", kt->n_required);
	add_names(cbd_json_add_array(o, "tested"), kt, CBD_KT_TESTED, false, -1, untested,
		  sizeof(untested));
	/* a key still down when the test ends never came back up: untested */
	n_untested = add_names(cbd_json_add_array(o, "untested"), kt, CBD_KT_UNTESTED, false, 0,
			       untested, sizeof(untested));
	n_untested += add_names(cbd_json_add_array(o, "still_down"), kt, CBD_KT_DOWN, false, 0, down,
				sizeof(down));
	/* ISO/JIS keys the keymap declares, which this keyboard may not have: listed, no verdict */
	{
		char optional[256];

		add_names(cbd_json_add_array(o, "optional_untested"), kt, CBD_KT_UNTESTED, false, 1,
			  optional, sizeof(optional));
	}
	n_stuck = add_names(cbd_json_add_array(o, "stuck"), kt, CBD_KT_STUCK, false, -1, stuck,
			    sizeof(stuck));
	chattered = add_names(cbd_json_add_array(o, "chatter"), kt, 0, true, -1, chatter,
			      sizeof(chatter)) > 0;
	cbd_json_add_str(o, "ended", ends[kt->end]);

	if (kt->end == CBD_KT_NO_EVENTS) {
		cbd_json_add_str(o, "result", "fail");
		cbd_result_add_finding(out, "keyboard.no_events", CBD_SEVERITY_FAIL, false,
				       N_("Reseat the keyboard ribbon cable and test again; on ARM "
				       "Chromebooks press one key at a time (the matrix ghost filter "
				       "drops scans with several keys)"),
				       N_("No key event arrived from the internal keyboard during the key "
				       "test"));
		return;
	}
	if (n_untested)
		cbd_result_add_finding(out, "keyboard.untested_keys", CBD_SEVERITY_FAIL, false,
				       N_("Reseat the keyboard ribbon cable; replace the keyboard if "
				       "these keys stay dead"),
				       N_("%d key%s never registered: %s%s%s%s"), n_untested,
				       n_untested == 1 ? "" : "s", untested,
				       untested[0] && down[0] ? "; " : "",
				       down[0] ? N_("never released: ") : "", down);
	if (n_stuck)
		cbd_result_add_finding(out, "keyboard.stuck_key", CBD_SEVERITY_FAIL, false,
				       N_("Check the keys for debris or stuck keycaps; replace the "
				       "keyboard if they stay down"),
				       N_("Key%s stayed down with no release: %s"), n_stuck == 1 ? "" : "s",
				       stuck);
	if (chattered)
		cbd_result_add_finding(out, "keyboard.chatter", CBD_SEVERITY_WARN, false,
				       N_("Replace the keyboard if the student reports double letters"),
				       N_("Key%s registered twice within %llu ms: %s"),
				       strchr(chatter, ',') ? "s" : "",
				       (unsigned long long)(kt->chatter_us / 1000), chatter);
	cbd_json_add_str(o, "result", n_untested || n_stuck ? "fail" : chattered ? "warn" : "pass");
}

void
cbd_keyboard_judge(const struct cbd_keyboard_raw *k, size_t n, bool laptop, bool interactive,
		   const struct cbd_keytest *kt, int kt_err, struct cbd_result *out)
{
	struct cbd_json *arr = cbd_json_add_array(out->data, "keyboards");
	struct cbd_json *stuck = cbd_json_add_array(out->data, "stuck_keys");
	const struct cbd_keyboard_raw *internal = NULL;
	char *error = NULL;
	size_t n_stuck = 0;
	enum cbd_status st;

	for (size_t i = 0; i < n; i++) {
		struct cbd_json *o = cbd_json_add_object(arr, NULL);
		bool in = cbd_keyboard_is_internal(&k[i]);

		cbd_json_add_str(o, "name", k[i].name);
		cbd_json_add_str(o, "device", k[i].devnode);
		cbd_json_add_str(o, "bus", cbd_kbd_bus_to_string(cbd_kbd_bus_from_id(k[i].bustype)));
		cbd_json_add_bool(o, "internal", in);
		cbd_json_add_str(o, "phys", k[i].phys[0] ? k[i].phys : NULL);
		if (k[i].n_top_row >= 0) {
			struct cbd_json *row = cbd_json_add_array(o, "top_row");
			struct cbd_json *codes = cbd_json_add_array(o, "top_row_scancodes");

			for (int t = 0; t < k[i].n_top_row; t++) {
				const char *a = cbd_top_row_action(k[i].top_row[t]);
				char hex[16];

				snprintf(hex, sizeof(hex), "%02X", k[i].top_row[t]);
				cbd_json_add_str(row, NULL, a ? a : hex);
				cbd_json_add_str(codes, NULL, hex);
			}
		} else {
			cbd_json_add_null(o, "top_row");
		}
		if (in && !internal)
			internal = &k[i];
		if (k[i].down_err) {
			if (in && !error)
				error = cbd_strdupf(N_("Could not read which keys are held on %s (%s)%s"),
						    k[i].devnode, strerror(-k[i].down_err),
						    k[i].down_err == -EACCES || k[i].down_err == -EPERM
							    ? N_(": run cbdiag as root")
							    : "");
			continue;
		}
		for (unsigned code = 1; code < CBD_KEY_BITMAP_BYTES * 8; code++) {
			const char *name;

			if (!bit(k[i].down, code))
				continue;
			name = cbd_hw_key_name(code);
			if (in) {
				cbd_json_add_str(stuck, NULL, name ? name : "?");
				n_stuck++;
				cbd_result_add_finding(out, "keyboard.stuck_key", CBD_SEVERITY_FAIL, false,
						       N_("Check the key for debris or a stuck keycap; "
						       "replace the keyboard if it stays down"),
						       N_("Key %s is held down on the internal keyboard "
						       "although nobody is pressing it"),
						       name ? name : "?");
			}
		}
	}
	if (kt || kt_err) {
		judge_keytest(kt, kt_err, out);
	} else if (interactive) {
		struct cbd_json *o = cbd_json_add_object(out->data, "key_test");

		cbd_json_add_str(o, "result", "skip");
		cbd_json_add_str(o, "reason", N_("no internal keyboard to test"));
	} else {
		cbd_json_add_null(out->data, "key_test");
	}

	if (!internal) {
		free(error);
		cbd_result_set_part_missing(out, laptop, "keyboard.missing",
					    N_("Reseat the keyboard ribbon cable; replace the keyboard "
					    "if it stays missing"),
					    N_("No internal keyboard found on this laptop"),
					    n ? N_("This machine has no internal keyboard (only external ones)")
					      : N_("This machine has no internal keyboard"));
		return;
	}
	st = cbd_result_worst_finding(out);
	if (kt_err && !error)
		error = cbd_strdupf(N_("The key test could not start on %s (%s)%s"), internal->devnode,
				    strerror(-kt_err),
				    kt_err == -EACCES || kt_err == -EPERM ? N_(": run cbdiag as root") : "");
	if (error && st != CBD_STATUS_FAIL)
		cbd_result_set(out, CBD_STATUS_ERROR, "%s", error);
	else if (kt && st != CBD_STATUS_PASS)
		cbd_result_set(out, st, N_("Internal keyboard %s: %s"), internal->name,
			       cbd_result_most_severe(out)->message);
	else if (kt)
		cbd_result_set(out, st, N_("Internal keyboard %s: all %d keys work"), internal->name,
			       kt->n_required);
	else if (n_stuck)
		cbd_result_set(out, st, N_("Internal keyboard %s: %zu key%s held down"), internal->name,
			       n_stuck, n_stuck == 1 ? "" : "s");
	else
		cbd_result_set(out, st, N_("Internal keyboard %s (%s)%s"), internal->name,
			       cbd_kbd_bus_to_string(cbd_kbd_bus_from_id(internal->bustype)),
			       internal->n_top_row > 0 ? N_(", Chromebook top row") : "");
	free(error);
}
