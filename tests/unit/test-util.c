/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "cbd-util.h"

static void
test_parse_ll(void **state)
{
	long long v = 0;

	assert_int_equal(cbd_parse_ll("42", 10, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(cbd_parse_ll("-7", 10, &v), 0);
	assert_int_equal(v, -7);
	assert_int_equal(cbd_parse_ll("0x1f", 0, &v), 0);
	assert_int_equal(v, 31);
	assert_int_equal(cbd_parse_ll("", 10, &v), -EINVAL);
	assert_int_equal(cbd_parse_ll("12ab", 10, &v), -EINVAL);
	assert_int_equal(cbd_parse_ll("99999999999999999999", 10, &v), -ERANGE);
}

static void
test_strstrip(void **state)
{
	char a[] = "  Google \n", b[] = "\n\n", c[] = "x";

	assert_int_equal(cbd_strstrip(a), 6);
	assert_string_equal(a, "Google");
	assert_int_equal(cbd_strstrip(b), 0);
	assert_string_equal(c, "x");
}

static void
test_utf8(void **state)
{
	assert_true(cbd_utf8_valid("caf\xc3\xa9", 5));
	assert_true(cbd_utf8_valid("\xf0\x9f\x94\x8b", 4));
	assert_false(cbd_utf8_valid("\xc0\xaf", 2));         /* overlong */
	assert_false(cbd_utf8_valid("\xed\xa0\x80", 3));     /* surrogate */
	assert_false(cbd_utf8_valid("\xe2\x82", 2));         /* truncated */
	assert_false(cbd_utf8_valid("\xf4\x90\x80\x80", 4)); /* > U+10FFFF */
}

static void
test_sanitize(void **state)
{
	char *s = cbd_text_sanitize("a\x1b[31mb\xff" "c\tcaf\xc3\xa9");

	assert_string_equal(s, "a?[31mb?c\tcaf\xc3\xa9");
	free(s);
	assert_null(cbd_text_sanitize(NULL));
}

/* Issue 18 #6: C1 controls (C2 9B is CSI on the Linux console) and other
 * non-printing code points are neutralised, not only C0. */
static void
test_sanitize_c1_and_format(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{"\xc2\x9b" "2J", "?2J"},                /* U+009B CSI */
		{"a\xc2\x80" "z\xc2\x9f" "z", "a?z?z"},         /* U+0080, U+009F */
		{"\xc2\x9d" "0;x\xc2\x9c", "?0;x?"},      /* OSC ... ST */
		{"\x9b" "2J", "?2J"},                    /* a lone 0x9b: invalid UTF-8 */
		{"a\xe2\x80\xa8z\xe2\x80\xa9", "a?z?"},   /* U+2028, U+2029 */
		{"\xe2\x80\xae" "evil\xe2\x80\xac", "?evil?"}, /* RLO ... PDF */
		{"\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xad", "???"}, /* U+202A, 202B, 202D */
		{"\xe2\x81\xa6" "x\xe2\x81\xa9", "?x?"},     /* U+2066 ... U+2069 */
		{"\xe2\x80\x8b\xe2\x80\x8f", "??"},       /* U+200B, U+200F */
		{"\xef\xbb\xbf" "serial", "?serial"},        /* U+FEFF */
		{"soft\xc2\xadhyphen", "soft?hyphen"},    /* U+00AD */
		{"\xf3\xa0\x80\x81" "tag", "?tag"},          /* U+E0001 */
		{"\x7f", "?"},
		/* printable text is untouched, Latin-1 letters right after C1 too */
		{"caf\xc3\xa9 \xc2\xa0\xc2\xa9 \xe2\x82\xac \xf0\x9f\x94\x8b",
		 "caf\xc3\xa9 \xc2\xa0\xc2\xa9 \xe2\x82\xac \xf0\x9f\x94\x8b"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *s = cbd_text_sanitize(cases[i].in);

		assert_string_equal(s, cases[i].out);
		free(s);
	}
	{
		char *s = cbd_text_neutralise("a\nb\xc2\x9b" "c\r", true);

		assert_string_equal(s, "a\nb?c?");
		free(s);
		s = cbd_text_neutralise("a\nb", false);
		assert_string_equal(s, "a?b");
		free(s);
	}
	assert_true(cbd_codepoint_is_unsafe(0x9b));
	assert_true(cbd_codepoint_is_unsafe(0x202e));
	assert_false(cbd_codepoint_is_unsafe(0xa0));
	assert_false(cbd_codepoint_is_unsafe('A'));
}

static void
test_json_escape_unsafe(void **state)
{
	char *s = cbd_json_escape_unsafe("{\"k\": \"a\xc2\x9b"
					 "2J\xe2\x80\xae\xf3\xa0\x80\x81\x7f\xc3\xa9\"}");

	assert_string_equal(s, "{\"k\": \"a\\u009b2J\\u202e\\udb40\\udc01\\u007f\xc3\xa9\"}");
	free(s);
}

static void
test_filename_safe(void **state)
{
	char s[] = "5CD/12 34..x";

	cbd_filename_safe(s);
	assert_string_equal(s, "5CD_12_34..x");
}

/* Issue 18 #8 */
static void
test_filename_part(void **state)
{
	char long_s[301];
	char *r;

	memset(long_s, 'A', 300);
	long_s[300] = '\0';
	long_s[0] = '-';
	r = cbd_filename_part(long_s, 200, "unknown");
	assert_int_equal(strlen(r), 200);
	assert_int_equal(r[0], '_');
	assert_int_equal(r[191], '~');
	free(r);
	r = cbd_filename_part(".hidden", 200, "unknown");
	assert_string_equal(r, "_hidden");
	free(r);
	r = cbd_filename_part("", 200, "unknown");
	assert_string_equal(r, "unknown");
	free(r);
	r = cbd_filename_part("5CD 12/3", 200, "unknown");
	assert_string_equal(r, "5CD_12_3");
	free(r);
}

static void
test_format_utc(void **state)
{
	char buf[32];

	cbd_format_utc(0, buf, sizeof(buf));
	assert_string_equal(buf, "1970-01-01T00:00:00Z");
	cbd_format_utc_compact(1795907481, buf, sizeof(buf));
	assert_string_equal(buf, "20261128T231121Z");
}

/* framebuffer pixel formats the fbdev pattern test draws into */
static void
test_pixel_pack(void **state)
{
	static const uint32_t xrgb_off[3] = {16, 8, 0}, xrgb_len[3] = {8, 8, 8};
	static const uint32_t bgr_off[3] = {0, 8, 16}, bgr_len[3] = {8, 8, 8};
	static const uint32_t rgb565_off[3] = {11, 5, 0}, rgb565_len[3] = {5, 6, 5};
	static const uint32_t x2r10_off[3] = {20, 10, 0}, x2r10_len[3] = {10, 10, 10};

	assert_int_equal(cbd_pixel_pack(0xff0000, xrgb_off, xrgb_len), 0xff0000);
	assert_int_equal(cbd_pixel_pack(0x808080, xrgb_off, xrgb_len), 0x808080);
	assert_int_equal(cbd_pixel_pack(0xff0000, bgr_off, bgr_len), 0x0000ff);
	assert_int_equal(cbd_pixel_pack(0x00ff00, bgr_off, bgr_len), 0x00ff00);
	/* RGB565: white is all ones, red the top 5 bits, grey 0x80 halves each field */
	assert_int_equal(cbd_pixel_pack(0xffffff, rgb565_off, rgb565_len), 0xffff);
	assert_int_equal(cbd_pixel_pack(0xff0000, rgb565_off, rgb565_len), 0xf800);
	assert_int_equal(cbd_pixel_pack(0x00ff00, rgb565_off, rgb565_len), 0x07e0);
	assert_int_equal(cbd_pixel_pack(0x808080, rgb565_off, rgb565_len), 0x8410);
	/* 10 bits a channel: full scale stays full scale */
	assert_int_equal(cbd_pixel_pack(0xffffff, x2r10_off, x2r10_len), 0x3fffffff);
	assert_int_equal(cbd_pixel_pack(0x000000, x2r10_off, x2r10_len), 0);
}

static void
b64_ok(const char *in, const char *want, size_t want_len)
{
	char *out = NULL;
	size_t len = 99;

	assert_int_equal(cbd_base64_decode(in, strlen(in), &out, &len), 0);
	assert_int_equal(len, want_len);
	assert_memory_equal(out, want, want_len);
	assert_int_equal(out[len], '\0');
	free(out);
}

static void
test_base64(void **state)
{
	char *out = NULL;
	size_t len;

	/* RFC 4648's test vectors */
	b64_ok("", "", 0);
	b64_ok("Zg==", "f", 1);
	b64_ok("Zm8=", "fo", 2);
	b64_ok("Zm9v", "foo", 3);
	b64_ok("Zm9vYg==", "foob", 4);
	b64_ok("Zm9vYmE=", "fooba", 5);
	b64_ok("Zm9vYmFy", "foobar", 6);
	/* line breaks as MIME and REST2 write them; bytes that are not text */
	b64_ok("Zm9v\r\nYmFy\n", "foobar", 6);
	b64_ok("AP8A", "\0\xff\0", 3);
	/* refused: a stray character, data after the padding, a lone symbol, bad padding */
	assert_int_equal(cbd_base64_decode("Zm9v!", 5, &out, &len), -EINVAL);
	assert_int_equal(cbd_base64_decode("Zg==Zg==", 8, &out, &len), -EINVAL);
	assert_int_equal(cbd_base64_decode("Z", 1, &out, &len), -EINVAL);
	assert_int_equal(cbd_base64_decode("Zg=", 3, &out, &len), -EINVAL);
	assert_int_equal(cbd_base64_decode("====", 4, &out, &len), -EINVAL);
	assert_null(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_ll), cmocka_unit_test(test_strstrip),
		cmocka_unit_test(test_utf8),     cmocka_unit_test(test_sanitize),
		cmocka_unit_test(test_sanitize_c1_and_format), cmocka_unit_test(test_json_escape_unsafe),
		cmocka_unit_test(test_filename_safe), cmocka_unit_test(test_filename_part),
		cmocka_unit_test(test_format_utc),
		cmocka_unit_test(test_pixel_pack),
		cmocka_unit_test(test_base64),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
