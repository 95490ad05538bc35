/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The EDID decoder against Debian's edid-decode on 442 real notebook panels
 * (tests/fixtures/edid, reference.json = edid-decode's reading of each), and
 * on bad EDIDs that must give a problem, never a crash.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "cbd-util.h"
#include "display.h"
#include "edid.h"
#include "doc-json.h"

/* the whole file, or NULL */
static char *
slurp(const char *path, size_t *len)
{
	char *buf = NULL;

	return cbd_read_file(path, 64u << 20, &buf, len) == 0 ? buf : NULL;
}

static int mismatches;

static void
mismatch(const char *file, const char *field, const char *want, const char *got)
{
	if (mismatches++ < 40)
		print_error("%s: %s: edid-decode says %s, cbdiag says %s\n", file, field, want, got);
}

static void
check_int(const char *file, const char *field, const cJSON *want, long got, bool got_null)
{
	char w[64], g[64];

	snprintf(w, sizeof(w), "%s", cJSON_IsNull(want) ? "null" : "");
	if (cJSON_IsNumber(want))
		snprintf(w, sizeof(w), "%.0f", want->valuedouble);
	snprintf(g, sizeof(g), "%ld", got);
	if (got_null)
		snprintf(g, sizeof(g), "null");
	if (strcmp(w, g) != 0)
		mismatch(file, field, w, g);
}

static void
check_str(const char *file, const char *field, const cJSON *want, const char *got)
{
	const char *w = cJSON_IsString(want) ? want->valuestring : NULL;

	if (!w && !*got)
		return;
	if (!w || strcmp(w, got) != 0)
		mismatch(file, field, w ? w : "null", *got ? got : "null");
}

static void
check_num(const char *file, const char *field, const cJSON *want, double got, double tolerance)
{
	char w[64], g[64];

	if (cJSON_IsNumber(want) && fabs(want->valuedouble - got) <= tolerance)
		return;
	snprintf(w, sizeof(w), "%.6f", cJSON_IsNumber(want) ? want->valuedouble : NAN);
	snprintf(g, sizeof(g), "%.6f", got);
	mismatch(file, field, w, g);
}

static void
test_corpus_agrees_with_edid_decode(void **state)
{
	const char *dir = getenv("CBD_EDID_CORPUS");
	char *path, *text, *blob;
	size_t len, blen;
	cJSON *ref, *e;
	int files = 0;

	assert_non_null(dir);
	path = cbd_strdupf("%s/reference.json", dir);
	text = slurp(path, &len);
	assert_non_null(text);
	ref = cJSON_Parse(text);
	assert_non_null(ref);
	{
		/* documented corrections of the reference, with edid-decode's own output */
		char *epath = cbd_strdupf("%s/reference-errata.json", dir), *etext;
		cJSON *errata, *fix;

		etext = slurp(epath, &len);
		assert_non_null(etext);
		errata = cJSON_Parse(etext);
		assert_non_null(errata);
		cJSON_ArrayForEach(fix, cJSON_GetObjectItem(errata, "files"))
		{
			cJSON *entry = cJSON_GetObjectItem(ref, fix->string);
			cJSON *pm = cJSON_GetObjectItem(entry, "preferred_mode");

			assert_non_null(entry);
			if (cJSON_GetObjectItem(fix, "preferred_mode")) { /* a whole mode missed */
				cJSON_ReplaceItemInObject(
					entry, "preferred_mode",
					cJSON_Duplicate(cJSON_GetObjectItem(fix, "preferred_mode"), true));
				continue;
			}
			assert_non_null(pm);
			cJSON_ReplaceItemInObject(pm, "width_mm",
						  cJSON_Duplicate(cJSON_GetObjectItem(
									  fix, "preferred_mode.width_mm"),
								  true));
			cJSON_ReplaceItemInObject(pm, "height_mm",
						  cJSON_Duplicate(cJSON_GetObjectItem(
									  fix, "preferred_mode.height_mm"),
								  true));
		}
		cJSON_Delete(errata);
		free(etext);
		free(epath);
	}
	cJSON_ArrayForEach(e, ref)
	{
		const char *file = e->string;
		struct cbd_edid d;
		const cJSON *pm = cJSON_GetObjectItem(e, "preferred_mode"), *s;
		char *bin = cbd_strdupf("%s/%s", dir, file), ver[16];
		int i = 0;

		blob = slurp(bin, &blen);
		if (!blob)
			fail_msg("cannot read %s", bin);
		files++;
		if (cbd_edid_parse((const uint8_t *)blob, blen, &d) != 0)
			mismatch(file, "parse", "an EDID", d.problem);
		check_int(file, "bytes", cJSON_GetObjectItem(e, "bytes"), (long)d.bytes, false);
		if (cJSON_IsTrue(cJSON_GetObjectItem(e, "checksum_ok")) != d.checksum_ok)
			mismatch(file, "checksum_ok", "", d.checksum_ok ? "true" : "false");
		check_str(file, "manufacturer", cJSON_GetObjectItem(e, "manufacturer"),
			  d.manufacturer);
		check_int(file, "product_code", cJSON_GetObjectItem(e, "product_code"),
			  d.product_code, false);
		check_int(file, "serial_number", cJSON_GetObjectItem(e, "serial_number"),
			  (long)d.serial_number, d.serial_number == 0);
		check_int(file, "manufacture_week", cJSON_GetObjectItem(e, "manufacture_week"),
			  d.manufacture_week, d.manufacture_week < 0);
		check_int(file, "manufacture_year", cJSON_GetObjectItem(e, "manufacture_year"),
			  d.manufacture_year, d.manufacture_year < 0);
		snprintf(ver, sizeof(ver), "%d.%d", d.version, d.revision);
		check_str(file, "edid_version", cJSON_GetObjectItem(e, "edid_version"), ver);
		s = cJSON_GetObjectItem(e, "max_image_cm");
		if (cJSON_IsNull(s) != (d.max_h_cm == 0))
			mismatch(file, "max_image_cm", cJSON_IsNull(s) ? "null" : "a size",
				 d.max_h_cm ? "a size" : "null");
		else if (!cJSON_IsNull(s)) {
			check_int(file, "max_image_cm[0]", cJSON_GetArrayItem(s, 0), d.max_h_cm, false);
			check_int(file, "max_image_cm[1]", cJSON_GetArrayItem(s, 1), d.max_v_cm, false);
		}
		check_str(file, "display_product_name",
			  cJSON_GetObjectItem(e, "display_product_name"), d.name);
		s = cJSON_GetObjectItem(e, "alphanumeric_strings");
		if (cJSON_GetArraySize(s) != d.n_strings)
			mismatch(file, "alphanumeric_strings", "another count", "");
		else
			cJSON_ArrayForEach(s, cJSON_GetObjectItem(e, "alphanumeric_strings"))
				check_str(file, "alphanumeric_string", s, d.strings[i++]);
		if (cJSON_IsNull(pm) != !d.preferred.valid) {
			mismatch(file, "preferred_mode", cJSON_IsNull(pm) ? "null" : "a mode",
				 d.preferred.valid ? "a mode" : "null");
		} else if (!cJSON_IsNull(pm)) {
			check_int(file, "width", cJSON_GetObjectItem(pm, "width"), d.preferred.width,
				  false);
			check_int(file, "height", cJSON_GetObjectItem(pm, "height"),
				  d.preferred.height, false);
			/* edid-decode prints no size when the timing has none */
			check_int(file, "width_mm", cJSON_GetObjectItem(pm, "width_mm"),
				  d.preferred.width_mm, d.preferred.width_mm == 0);
			check_int(file, "height_mm", cJSON_GetObjectItem(pm, "height_mm"),
				  d.preferred.height_mm, d.preferred.height_mm == 0);
			/* edid-decode prints 6 decimals */
			check_num(file, "refresh_hz", cJSON_GetObjectItem(pm, "refresh_hz"),
				  d.preferred.refresh_hz, 0.5e-6 + 1e-9);
			check_num(file, "pixel_clock_mhz", cJSON_GetObjectItem(pm, "pixel_clock_mhz"),
				  d.preferred.pixel_clock_mhz, 1e-9);
		}
		free(blob);
		free(bin);
	}
	print_message("%d EDIDs compared, %d mismatches\n", files, mismatches);
	assert_int_equal(files, 442);
	assert_int_equal(mismatches, 0);
	cJSON_Delete(ref);
	free(text);
	free(path);
}

static void
edid_base(uint8_t b[256])
{
	static const uint8_t hdr[8] = {0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0};
	uint8_t sum = 0;

	memset(b, 0, 256);
	memcpy(b, hdr, 8);
	b[8] = 0x09; /* "BOE" = 2 15 5 */
	b[9] = 0xe5;
	b[18] = 1;
	b[19] = 4;
	for (int i = 0; i < 127; i++)
		sum = (uint8_t)(sum + b[i]);
	b[127] = (uint8_t)(0x100 - sum);
}

static void
test_bad_edids(void **state)
{
	uint8_t b[256];
	struct cbd_edid d;

	assert_int_equal(cbd_edid_parse(NULL, 0, &d), -EINVAL);
	assert_non_null(strstr(d.problem, "empty"));
	edid_base(b);
	assert_int_equal(cbd_edid_parse(b, 100, &d), -EINVAL);
	assert_non_null(strstr(d.problem, "truncated: 100 of 128"));
	assert_int_equal(cbd_edid_parse(b, 128, &d), 0);
	assert_true(d.checksum_ok);
	assert_string_equal(d.manufacturer, "BOE");
	assert_string_equal(d.problem, "");
	assert_false(d.preferred.valid);

	b[127] ^= 1; /* bad checksum */
	assert_int_equal(cbd_edid_parse(b, 128, &d), 0);
	assert_false(d.checksum_ok);
	assert_string_equal(d.problem, "bad checksum in block 0");
	b[127] ^= 1;

	b[126] = 255;   /* claims 255 extensions, one is there */
	b[127] -= 255;
	assert_int_equal(cbd_edid_parse(b, 256, &d), 0);
	assert_int_equal(d.blocks_claimed, 256);
	assert_non_null(strstr(d.problem, "claims 255 extension blocks, 1 are present"));

	b[0] = 0x42; /* wrong header */
	assert_int_equal(cbd_edid_parse(b, 256, &d), -EINVAL);
	assert_non_null(strstr(d.problem, "wrong header"));
}

static void
test_random_bytes_never_crash(void **state)
{
	uint8_t b[CBD_EDID_BLOCK * 3];
	uint64_t x = 0x2545f4914f6cdd1dull;
	struct cbd_edid d;

	for (int round = 0; round < 20000; round++) {
		size_t len = (size_t)(x % sizeof(b)) + 1;

		for (size_t i = 0; i < sizeof(b); i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			b[i] = (uint8_t)x;
		}
		if (round % 2) /* half of them with a valid header */
			memcpy(b, "\0\xff\xff\xff\xff\xff\xff\0", 8);
		(void)cbd_edid_parse(b, len, &d);
		assert_true(strlen(d.name) < 14);
		for (int i = 0; i < d.n_strings; i++)
			assert_true(cbd_is_printable_ascii(d.strings[i], strlen(d.strings[i])));
	}
}

static void
test_display_helpers(void **state)
{
	struct cbd_backlight_raw bl[3] = {
		{.name = "intel_backlight", .type = "raw"},
		{.name = "acpi_video1", .type = "firmware"},
		{.name = "acpi_video0", .type = "firmware"},
	};
	struct cbd_edid e = {0};

	assert_true(cbd_connector_is_internal("eDP-1"));
	assert_true(cbd_connector_is_internal("LVDS-1"));
	assert_true(cbd_connector_is_internal("DSI-1"));
	assert_true(cbd_connector_is_internal("Virtual-1"));
	assert_false(cbd_connector_is_internal("HDMI-A-1"));
	assert_false(cbd_connector_is_internal("DP-2"));
	assert_string_equal(cbd_backlight_pick(bl, 3)->name, "acpi_video0");
	assert_string_equal(cbd_backlight_pick(bl, 1)->name, "intel_backlight");
	assert_null(cbd_backlight_pick(bl, 0));

	assert_null(cbd_edid_panel_name(&e));
	snprintf(e.strings[0], 14, "AUO");
	snprintf(e.strings[1], 14, "B125HAN01.0 ");
	e.n_strings = 2;
	assert_string_equal(cbd_edid_panel_name(&e), "B125HAN01.0 "); /* the part number */
	snprintf(e.name, 14, "Panel Name");
	assert_string_equal(cbd_edid_panel_name(&e), "Panel Name");
}

static void
test_patterns(void **state)
{
	uint32_t px[4 * 3 + 2]; /* 3 x 3 with a stride of 4, and guard pixels */
	unsigned d;

	for (int p = 0; p < CBD_N_PATTERNS; p++)
		assert_non_null(cbd_pattern_name((enum cbd_pattern)p));
	assert_null(cbd_pattern_name(CBD_N_PATTERNS));

	memset(px, 0xaa, sizeof(px));
	cbd_pattern_fill(CBD_PATTERN_RED, px, 3, 3, 4);
	assert_int_equal(px[0], 0xff0000);
	assert_int_equal(px[2], 0xff0000);
	assert_int_equal(px[3], 0xaaaaaaaa); /* the padding at the end of a row is left alone */
	assert_int_equal(px[2 * 4 + 2], 0xff0000);
	assert_int_equal(px[12], 0xaaaaaaaa); /* nothing past the last row */
	cbd_pattern_fill(CBD_PATTERN_GREY, px, 3, 3, 4);
	assert_int_equal(px[4], 0x808080);
	cbd_pattern_fill(CBD_PATTERN_CHECKER, px, 3, 3, 4);
	assert_int_equal(px[0], 0xffffff);
	assert_int_equal(px[1], 0x000000);
	assert_int_equal(px[4], 0x000000); /* the next row starts the other way */
	assert_int_equal(px[5], 0xffffff);

	assert_int_equal(cbd_pattern_parse_answer("", &d), 0);
	assert_int_equal(d, 0);
	assert_int_equal(cbd_pattern_parse_answer("d", &d), 0);
	assert_int_equal(d, CBD_DEFECT_DEAD_PIXELS);
	assert_int_equal(cbd_pattern_parse_answer("L, m F", &d), 0);
	assert_int_equal(d, CBD_DEFECT_LINES | CBD_DEFECT_DIM | CBD_DEFECT_FLICKER);
	assert_int_equal(cbd_pattern_parse_answer("s", &d), 1);
	assert_int_equal(cbd_pattern_parse_answer("skip", &d), 1);
	assert_int_equal(cbd_pattern_parse_answer("yes", &d), -EINVAL);
	assert_int_equal(cbd_pattern_parse_answer("dx", &d), -EINVAL);
	for (unsigned i = 0; i < CBD_N_DEFECTS; i++)
		assert_non_null(cbd_defect_name(i));
}

static cJSON *
judge_patterns(const struct cbd_pattern_run *pr, struct cbd_result *r)
{
	struct cbd_connector_raw c = {.card = "card0", .name = "eDP-1", .status = "connected"};
	struct cbd_display_raw raw = {.conn = &c, .n_conn = 1};

	cJSON *all, *data;

	cbd_display_judge(&raw, true, true, false, NULL, pr, r);
	all = cbd_result_to_cjson(r);
	data = cJSON_DetachItemFromObject(all, "data");
	cJSON_Delete(all);
	return data;
}

static void
test_pattern_judge(void **state)
{
	struct cbd_pattern_run pr = {.ran = true, .connector = "eDP-1", .width = 1366, .height = 768,
				     .refresh_hz = 60, .n_shown = CBD_N_PATTERNS};
	struct cbd_result *r;
	cJSON *j, *pt;

	/* every pattern looked at, nothing wrong: pass */
	r = cbd_result_new();
	j = judge_patterns(&pr, r);
	pt = cJSON_GetObjectItem(j, "pattern_test");
	assert_string_equal(cJSON_GetObjectItem(pt, "result")->valuestring, "pass");
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(pt, "patterns")), CBD_N_PATTERNS);
	/* (the panel has no EDID here: that finding is there, this one not) */
	assert_null(cbd_result_find_finding(r, "display.pattern_defects"));
	cJSON_Delete(j);
	cbd_result_free(r);

	/* lines on white only: fail, and the cable comes first */
	pr.defects[CBD_PATTERN_WHITE] = CBD_DEFECT_LINES;
	r = cbd_result_new();
	j = judge_patterns(&pr, r);
	pt = cJSON_GetObjectItem(j, "pattern_test");
	assert_string_equal(cJSON_GetObjectItem(pt, "result")->valuestring, "fail");
	assert_int_equal(r->status, CBD_STATUS_FAIL);
	assert_non_null(cbd_result_find_finding(r, "display.pattern_defects"));
	assert_non_null(strstr(cbd_result_find_finding(r, "display.pattern_defects")->action, "Reseat"));
	assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetArrayItem(
				    cJSON_GetObjectItem(pt, "patterns"), CBD_PATTERN_WHITE),
							       "defects"),
					       0)->valuestring,
			    "lines");
	cJSON_Delete(j);
	cbd_result_free(r);

	/* dead pixels as well: the panel itself */
	pr.defects[CBD_PATTERN_BLACK] = CBD_DEFECT_DEAD_PIXELS;
	r = cbd_result_new();
	j = judge_patterns(&pr, r);
	assert_string_equal(cbd_result_find_finding(r, "display.pattern_defects")->action,
			    "Replace the screen");
	assert_non_null(strstr(cbd_result_find_finding(r, "display.pattern_defects")->message,
			       "lines, dead or stuck pixels"));
	cJSON_Delete(j);
	cbd_result_free(r);

	/* skipped after three: skip, never pass */
	memset(pr.defects, 0, sizeof(pr.defects));
	pr.n_shown = 3;
	pr.skipped_rest = true;
	r = cbd_result_new();
	j = judge_patterns(&pr, r);
	pt = cJSON_GetObjectItem(j, "pattern_test");
	assert_string_equal(cJSON_GetObjectItem(pt, "result")->valuestring, "skip");
	assert_non_null(strstr(cJSON_GetObjectItem(pt, "reason")->valuestring, "3 of 7"));
	cJSON_Delete(j);
	cbd_result_free(r);

	/* no DRM master: skip with the reason, and a hint */
	pr = (struct cbd_pattern_run){.ran = true, .connector = "eDP-1", .err = -EACCES};
	r = cbd_result_new();
	j = judge_patterns(&pr, r);
	pt = cJSON_GetObjectItem(j, "pattern_test");
	assert_string_equal(cJSON_GetObjectItem(pt, "result")->valuestring, "skip");
	assert_non_null(strstr(cJSON_GetObjectItem(pt, "reason")->valuestring, "run as root"));
	assert_non_null(cbd_result_find_finding(r, "display.pattern_test_error"));
	cJSON_Delete(j);
	cbd_result_free(r);

	/* DRM refuses (a desktop, a VM: "Inappropriate ioctl for device"): the
	 * intern gets a step they can take, staff the reason in the data */
	pr = (struct cbd_pattern_run){.ran = true, .connector = "eDP-1", .err = -ENOTTY};
	r = cbd_result_new();
	j = judge_patterns(&pr, r);
	pt = cJSON_GetObjectItem(j, "pattern_test");
	assert_string_equal(cJSON_GetObjectItem(pt, "error")->valuestring,
			    "Inappropriate ioctl for device");
	assert_string_equal(cJSON_GetObjectItem(pt, "connector")->valuestring, "eDP-1");
	{
		const struct cbd_finding *f = cbd_result_find_finding(r, "display.pattern_test_error");

		assert_non_null(f);
		assert_string_equal(f->action, "Tell staff: the screen test cannot run from here");
		assert_null(strstr(f->action, "root"));
		assert_null(strstr(f->message, "ioctl"));
		assert_null(strstr(f->message, "eDP"));
		assert_true(f->escalate);
	}
	cJSON_Delete(j);
	cbd_result_free(r);
}

/* no KMS driver, only the firmware's framebuffer: never display.missing */
static void
test_firmware_framebuffer(void **state)
{
	struct cbd_fb_raw fbs[] = {{.dev = "fb1", .name = "other"},
				   {.dev = "fb0", .name = "simple", .width = 1366, .height = 768,
				    .bpp = 32}};
	struct cbd_display_raw raw = {.fb = fbs, .n_fb = 2};
	struct cbd_connector_raw c = {.card = "card0", .name = "eDP-1", .status = "disconnected"};
	struct cbd_pattern_run pr = {.ran = true, .fbdev = true, .connector = "fb0", .width = 1366,
				     .height = 768, .n_shown = CBD_N_PATTERNS};
	struct cbd_result *r;
	cJSON *all, *fb, *pt;

	assert_string_equal(cbd_display_firmware_fb(&raw)->dev, "fb0");

	/* non-interactive: skip, said why, and the framebuffer reported */
	r = cbd_result_new();
	cbd_display_judge(&raw, true, false, false, NULL, NULL, r);
	assert_int_equal(r->status, CBD_STATUS_SKIP);
	assert_non_null(strstr(r->summary, "basic mode"));
	assert_non_null(strstr(r->summary, "guided test"));
	assert_non_null(cbd_result_find_finding(r, "display.no_kms"));
	assert_null(cbd_result_find_finding(r, "display.missing"));
	all = cbd_result_to_cjson(r);
	fb = cJSON_GetObjectItem(cJSON_GetObjectItem(all, "data"), "framebuffer");
	assert_string_equal(cJSON_GetObjectItem(fb, "name")->valuestring, "simple");
	assert_int_equal(cJSON_GetObjectItem(fb, "width")->valueint, 1366);
	cJSON_Delete(all);
	cbd_result_free(r);

	/* every pattern looked right on it: pass, the missing EDID said */
	r = cbd_result_new();
	cbd_display_judge(&raw, true, true, false, NULL, &pr, r);
	assert_int_equal(r->status, CBD_STATUS_PASS);
	assert_non_null(strstr(r->summary, "its model was not checked"));
	all = cbd_result_to_cjson(r);
	pt = cJSON_GetObjectItem(cJSON_GetObjectItem(all, "data"), "pattern_test");
	assert_string_equal(cJSON_GetObjectItem(pt, "via")->valuestring, "fbdev");
	cJSON_Delete(all);
	cbd_result_free(r);

	/* dead pixels on it: fail */
	pr.defects[CBD_PATTERN_GREY] = CBD_DEFECT_DEAD_PIXELS;
	r = cbd_result_new();
	cbd_display_judge(&raw, true, true, false, NULL, &pr, r);
	assert_int_equal(r->status, CBD_STATUS_FAIL);
	assert_string_equal(r->findings[0].code, "display.pattern_defects");
	cbd_result_free(r);

	/* a KMS driver with the panel unplugged is the missing panel, framebuffer or not */
	raw.conn = &c;
	raw.n_conn = 1;
	assert_null(cbd_display_firmware_fb(&raw));
	r = cbd_result_new();
	cbd_display_judge(&raw, true, false, false, NULL, NULL, r);
	assert_int_equal(r->status, CBD_STATUS_FAIL);
	assert_non_null(cbd_result_find_finding(r, "display.missing"));
	cbd_result_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus_agrees_with_edid_decode),
		cmocka_unit_test(test_bad_edids),
		cmocka_unit_test(test_random_bytes_never_crash),
		cmocka_unit_test(test_display_helpers),
		cmocka_unit_test(test_patterns),
		cmocka_unit_test(test_pattern_judge),
		cmocka_unit_test(test_firmware_framebuffer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
