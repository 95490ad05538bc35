/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * EDID decoder (VESA E-EDID 1.3/1.4 base block): pure code over bytes, no I/O.
 * Debian 12 has no EDID library; this one is proven against Debian's
 * edid-decode on 442 real notebook panels (tests/unit/test-edid.c).
 *
 * It never trusts the bytes: any length, any content. A blob that is not
 * an EDID is reported with a problem, never a crash.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CBD_EDID_BLOCK 128
#define CBD_EDID_MAX_BLOCKS 256 /* the extension count is one byte */
#define CBD_EDID_MAX_STRINGS 4

struct cbd_edid_mode {
	bool valid;
	int width, height;
	double refresh_hz;
	double pixel_clock_mhz;
	int width_mm, height_mm; /* 0 when the timing gives no image size */
	bool interlaced;
};

struct cbd_edid {
	bool header_ok;   /* 00 ff ff ff ff ff ff 00 */
	bool checksum_ok; /* every block present sums to 0 mod 256 */
	int bad_checksum_block; /* the first bad one, or -1 */
	unsigned blocks_claimed; /* 1 + the extension count in byte 126 */
	unsigned blocks_present; /* whole 128-byte blocks in the data */
	size_t bytes;            /* the length given */

	char manufacturer[4]; /* PNP id, "AUO" */
	uint16_t product_code;
	uint32_t serial_number; /* 0: none */
	int manufacture_week;   /* as given (1-54 in spec), or -1 when 0 */
	int manufacture_year;   /* or -1 */
	int model_year;         /* week 0xff: the year is a model year; else -1 */
	int version, revision;  /* 1, 4 */
	bool digital;
	int max_h_cm, max_v_cm; /* 0 when not given */

	char name[14];       /* display product name (0xFC), "" when none */
	char serial_text[14]; /* display serial number (0xFF) */
	char strings[CBD_EDID_MAX_STRINGS][14]; /* alphanumeric data strings (0xFE) */
	int n_strings;

	bool spwg; /* SPWG notebook-panel layout */
	char spwg_part_number[8]; /* the panel maker's part number, "B154PW2" */
	char spwg_pc_maker_pn[6]; /* the laptop maker's part number, "GU429" */

	struct cbd_edid_mode preferred; /* the first detailed timing */

	char problem[96]; /* what is wrong with the data, "" when nothing */
};

/**
 * Decode @len bytes. Returns 0 when the base block could be decoded (even
 * with a bad checksum or a missing extension: see @problem), -EINVAL when
 * the data is no EDID at all (empty, shorter than a block, wrong header).
 * @out is always filled as far as possible.
 */
int cbd_edid_parse(const uint8_t *data, size_t len, struct cbd_edid *out);
