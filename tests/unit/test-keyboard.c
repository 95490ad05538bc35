/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Keyboard helpers from literals: capability bits, the keyboard rule, the top
 * row, internal vs external, and the judge's verdicts. */
#include <errno.h>
#include <linux/input-event-codes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <stdlib.h>

#include "keyboard.h"
#include "keytest.h"
#include "doc-json.h"

static void
set(uint8_t *b, unsigned code)
{
	b[code / 8] |= (uint8_t)(1u << (code % 8));
}

static void
test_capabilities(void **state)
{
	uint8_t b[CBD_KEY_BITMAP_BYTES];

	/* 64-bit words, most significant first (x86_64) */
	cbd_parse_capabilities("f80000000000000 ffffffffffffffff fffffffffffffffe", b, sizeof(b));
	assert_true(cbd_is_keyboard(b));
	assert_false(b[0] & 1); /* KEY_RESERVED */
	assert_true(b[15] & 0x80); /* code 127 */
	assert_true(b[22] & 0x80); /* code 183 = 128 + 55 */
	assert_true(b[23] & 0x08); /* code 187 = 128 + 59 */
	assert_false(b[23] & 0x10); /* code 188 */
	/* a power button: keys 114-116 only */
	cbd_parse_capabilities("1c000000000000 0", b, sizeof(b));
	assert_false(cbd_is_keyboard(b));
	assert_true(b[14] & (1 << 4)); /* 116 */
	cbd_parse_capabilities("", b, sizeof(b));
	assert_false(cbd_is_keyboard(b));
}

static void
test_physmap(void **state)
{
	unsigned codes[CBD_MAX_TOP_ROW];

	assert_int_equal(cbd_parse_physmap("EA E9 E7 91 92 94 95 A0 AE B0\n", codes, 24), 10);
	assert_int_equal(codes[0], 0xea);
	assert_int_equal(codes[9], 0xb0);
	assert_string_equal(cbd_top_row_action(codes[2]), "refresh");
	assert_string_equal(cbd_top_row_action(0x94), "brightness_down");
	assert_null(cbd_top_row_action(0x02));
	assert_int_equal(cbd_parse_physmap("", codes, 24), 0);
	assert_int_equal(cbd_parse_physmap("1000 zz", codes, 24), 1); /* over 0xff; stops at junk */
	assert_int_equal(codes[0], 0x1000);
	assert_int_equal(cbd_parse_physmap("01 02 03", codes, 2), 2);
}

static struct cbd_keyboard_raw
kbd(const char *name, unsigned bus)
{
	struct cbd_keyboard_raw k = {.bustype = bus, .n_top_row = -1};

	snprintf(k.name, sizeof(k.name), "%s", name);
	snprintf(k.devnode, sizeof(k.devnode), "/dev/input/event3");
	for (unsigned c = 1; c < 128; c++)
		set(k.keys, c);
	return k;
}

static void
test_internal(void **state)
{
	struct cbd_keyboard_raw k = kbd("AT Translated Set 2 keyboard", 0x11);

	assert_true(cbd_keyboard_is_internal(&k));
	k = kbd("cros_ec", 0x06);
	assert_true(cbd_keyboard_is_internal(&k));
	k = kbd("some uinput keyboard", 0x06);
	assert_false(cbd_keyboard_is_internal(&k));
	k = kbd("Logitech", 0x03);
	assert_false(cbd_keyboard_is_internal(&k));
	k.usb_port_fixed = true;
	assert_true(cbd_keyboard_is_internal(&k));
	k = kbd("BT keyboard", 0x05);
	assert_false(cbd_keyboard_is_internal(&k));
	assert_string_equal(cbd_kbd_bus_to_string(cbd_kbd_bus_from_id(0x18)), "i2c");
	assert_string_equal(cbd_kbd_bus_to_string(cbd_kbd_bus_from_id(0x99)), "other");
}

static void
test_judge(void **state)
{
	struct cbd_keyboard_raw k[2] = {kbd("AT Translated Set 2 keyboard", 0x11),
					kbd("Logitech", 0x03)};
	struct cbd_result *r;

	r = cbd_result_new();
	cbd_keyboard_judge(k, 2, true, false, NULL, 0, r);
	assert_int_equal(r->status, CBD_STATUS_PASS);
	cbd_result_free(r);

	set(k[1].down, 57); /* a key held on the external keyboard: no verdict */
	r = cbd_result_new();
	cbd_keyboard_judge(k, 2, true, false, NULL, 0, r);
	assert_int_equal(r->status, CBD_STATUS_PASS);
	cbd_result_free(r);

	set(k[0].down, 30); /* A held on the internal one */
	r = cbd_result_new();
	cbd_keyboard_judge(k, 2, true, false, NULL, 0, r);
	assert_int_equal(r->status, CBD_STATUS_FAIL);
	assert_string_equal(r->findings[0].code, "keyboard.stuck_key");
	assert_non_null(strstr(r->findings[0].message, "Key A is held down"));
	cbd_result_free(r);

	memset(k[0].down, 0, sizeof(k[0].down));
	k[0].down_err = -EACCES; /* no root: error, never fail */
	r = cbd_result_new();
	cbd_keyboard_judge(k, 1, true, false, NULL, 0, r);
	assert_int_equal(r->status, CBD_STATUS_ERROR);
	assert_non_null(strstr(r->summary, "run cbdiag as root"));
	cbd_result_free(r);

	r = cbd_result_new();
	cbd_keyboard_judge(&k[1], 1, true, false, NULL, 0, r); /* a laptop with only a USB keyboard */
	assert_int_equal(r->status, CBD_STATUS_FAIL);
	assert_string_equal(r->findings[0].code, "keyboard.missing");
	cbd_result_free(r);
	r = cbd_result_new();
	cbd_keyboard_judge(&k[1], 1, false, false, NULL, 0, r); /* a desktop */
	assert_int_equal(r->status, CBD_STATUS_SKIP);
	cbd_result_free(r);
}

static void
test_layout_extras(void **state)
{
	struct cbd_keyboard_raw k = kbd("AT Translated Set 2 keyboard", 0x11);
	unsigned codes[8];
	const char *labels[8];

	/* atkbd declares every key of its table: no extras offered */
	set(k.keys, KEY_102ND);
	set(k.keys, KEY_RO);
	assert_int_equal(cbd_keyboard_layout_extras(&k, codes, labels, 8), 0);
	k = kbd("Logitech USB Keyboard", 0x03);
	set(k.keys, KEY_102ND);
	assert_int_equal(cbd_keyboard_layout_extras(&k, codes, labels, 8), 0);

	/* cros_ec's keymap is the board's matrix: what it declares is there */
	k = kbd("cros_ec", 0x06);
	memset(k.keys, 0, sizeof(k.keys));
	for (unsigned c = 1; c <= KEY_SLASH; c++)
		set(k.keys, c);
	assert_int_equal(cbd_keyboard_layout_extras(&k, codes, labels, 8), 0); /* US */
	set(k.keys, KEY_102ND);
	assert_int_equal(cbd_keyboard_layout_extras(&k, codes, labels, 8), 1); /* UK */
	assert_int_equal(codes[0], KEY_102ND);
	assert_string_equal(labels[0], "ISO\\");
	set(k.keys, KEY_YEN);
	set(k.keys, KEY_RO);
	set(k.keys, KEY_HENKAN);
	set(k.keys, KEY_MUHENKAN);
	set(k.keys, KEY_KATAKANAHIRAGANA);
	assert_int_equal(cbd_keyboard_layout_extras(&k, codes, labels, 8), 6); /* JIS */
	assert_int_equal(cbd_keyboard_layout_extras(&k, codes, labels, 2), 2); /* bounded */
	k = kbd("hid-over-i2c keyboard", 0x18);
	memset(k.keys, 0, sizeof(k.keys));
	set(k.keys, KEY_RO);
	assert_int_equal(cbd_keyboard_layout_extras(&k, codes, labels, 8), 1);
	assert_string_equal(labels[0], "RO");
}

static void
test_judge_optional_keys(void **state)
{
	struct cbd_keyboard_raw k = kbd("cros_ec", 0x06);
	struct cbd_keytest *kt = cbd_zalloc(sizeof(*kt));
	struct cbd_result *r = cbd_result_new();
	uint64_t t = 1000000;
	cJSON *j, *o;

	cbd_keytest_init(kt, NULL, 0, t, 30, 5, 20, 600);
	cbd_keytest_add_optional(kt, "RO", KEY_RO);
	for (int i = 0; i < kt->n_required; i++, t += 200000) {
		cbd_keytest_event(kt, t, EV_KEY, kt->keys[i].code, 1);
		cbd_keytest_event(kt, t + 50000, EV_KEY, kt->keys[i].code, 0);
	}
	assert_int_equal(kt->end, CBD_KT_ALL_TESTED);
	cbd_keyboard_judge(&k, 1, true, true, kt, 0, r);
	/* a JIS key the keymap declares but nobody pressed: listed, no verdict */
	assert_int_equal(r->status, CBD_STATUS_PASS);
	assert_non_null(strstr(r->summary, "all 73 keys work"));
	j = cbd_result_to_cjson(r);
	o = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "data"), "key_test");
	assert_string_equal(cJSON_GetObjectItem(o, "result")->valuestring, "pass");
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(o, "untested")), 0);
	assert_string_equal(
		cJSON_GetArrayItem(cJSON_GetObjectItem(o, "optional_untested"), 0)->valuestring, "RO");
	cJSON_Delete(j);
	cbd_result_free(r);
	free(kt);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_capabilities), cmocka_unit_test(test_physmap),
		cmocka_unit_test(test_internal),     cmocka_unit_test(test_judge),
		cmocka_unit_test(test_layout_extras), cmocka_unit_test(test_judge_optional_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
