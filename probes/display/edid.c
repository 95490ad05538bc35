/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* EDID base-block decoder. Layout: VESA E-EDID 1.4 (and 1.3), as the kernel's
 * include/drm/drm_edid.h names the fields. */
#include "edid.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const uint8_t header[8] = {0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00};

static bool
block_sum_ok(const uint8_t *b)
{
	uint8_t sum = 0;

	for (int i = 0; i < CBD_EDID_BLOCK; i++)
		sum = (uint8_t)(sum + b[i]);
	return sum == 0;
}

/* Text of @len bytes: ended by a line feed or by the first byte that is not
 * printable ASCII, as edid-decode reads it (vendors put binary data after
 * part numbers). */
static void
text_field(const uint8_t *p, int len, char *out)
{
	int n = 0;

	for (int i = 0; i < len; i++) {
		if (p[i] < 0x20 || p[i] >= 0x7f)
			break;
		out[n++] = (char)p[i];
	}
	out[n] = '\0';
}

static void
descriptor_text(const uint8_t *d, char out[14])
{
	text_field(d + 5, 13, out);
}

/* SPWG notebook-panel layout (the Standard Panels Working Group): two timings,
 * then two 0xFE descriptors holding part numbers and panel data instead of
 * text. The test is the one edid-decode applies. */
static bool
is_spwg(const uint8_t *b)
{
	return (b[0x36] || b[0x37]) && (b[0x48] || b[0x49]) && !b[0x5a] && !b[0x5b] &&
	       b[0x5d] == 0xfe && !b[0x6c] && !b[0x6d] && b[0x6f] == 0xfe &&
	       (b[0x79] == 1 || b[0x79] == 2) && b[0x7a] <= 1;
}

static void
detailed_timing(const uint8_t *d, struct cbd_edid_mode *m)
{
	unsigned clock = (unsigned)(d[0] | d[1] << 8); /* 10 kHz units */
	unsigned hactive = d[2] | (unsigned)(d[4] & 0xf0) << 4;
	unsigned hblank = d[3] | (unsigned)(d[4] & 0x0f) << 8;
	unsigned vactive = d[5] | (unsigned)(d[7] & 0xf0) << 4;
	unsigned vblank = d[6] | (unsigned)(d[7] & 0x0f) << 8;
	unsigned htotal = hactive + hblank, vtotal = vactive + vblank;

	*m = (struct cbd_edid_mode){0};
	if (!clock)
		return;
	m->valid = true;
	m->interlaced = d[17] & 0x80;
	m->width = (int)hactive;
	m->height = (int)vactive;
	m->pixel_clock_mhz = clock / 100.0;
	m->width_mm = d[12] | (d[14] & 0xf0) << 4;
	m->height_mm = d[13] | (d[14] & 0x0f) << 8;
	if (htotal && vtotal)
		m->refresh_hz = (double)clock * 10000.0 / ((double)htotal * (double)vtotal);
	if (m->interlaced) {
		/* a field has half the lines: the frame rate is half the field rate */
		m->height *= 2;
	}
}

int
cbd_edid_parse(const uint8_t *data, size_t len, struct cbd_edid *e)
{
	const uint8_t *b = data;
	uint16_t id;

	memset(e, 0, sizeof(*e));
	e->bytes = len;
	e->manufacture_week = e->manufacture_year = e->model_year = -1;
	e->bad_checksum_block = -1;
	if (!data || len == 0) {
		snprintf(e->problem, sizeof(e->problem), "no EDID (empty)");
		return -EINVAL;
	}
	if (len < CBD_EDID_BLOCK) {
		snprintf(e->problem, sizeof(e->problem), "EDID truncated: %zu of 128 bytes", len);
		return -EINVAL;
	}
	e->header_ok = memcmp(b, header, sizeof(header)) == 0;
	if (!e->header_ok) {
		snprintf(e->problem, sizeof(e->problem), "not an EDID: wrong header");
		return -EINVAL;
	}
	e->blocks_present = (unsigned)(len / CBD_EDID_BLOCK);
	if (e->blocks_present > CBD_EDID_MAX_BLOCKS)
		e->blocks_present = CBD_EDID_MAX_BLOCKS;
	e->blocks_claimed = 1u + b[126];

	e->checksum_ok = true;
	for (unsigned i = 0; i < e->blocks_present && i < e->blocks_claimed; i++)
		if (!block_sum_ok(b + i * CBD_EDID_BLOCK)) {
			e->checksum_ok = false;
			e->bad_checksum_block = (int)i;
			break;
		}

	id = (uint16_t)(b[8] << 8 | b[9]);
	e->manufacturer[0] = (char)('A' + ((id >> 10) & 0x1f) - 1);
	e->manufacturer[1] = (char)('A' + ((id >> 5) & 0x1f) - 1);
	e->manufacturer[2] = (char)('A' + (id & 0x1f) - 1);
	for (int i = 0; i < 3; i++)
		if (e->manufacturer[i] < 'A' || e->manufacturer[i] > 'Z')
			e->manufacturer[i] = '?';
	e->product_code = (uint16_t)(b[10] | b[11] << 8);
	e->serial_number = (uint32_t)b[12] | (uint32_t)b[13] << 8 | (uint32_t)b[14] << 16 |
			   (uint32_t)b[15] << 24;
	if (b[16] == 0xff) {
		e->model_year = b[17] + 1990;
	} else {
		/* any week but 0 ("not given"), as edid-decode prints it; a value over
		 * 54 is out of spec but is what the panel says */
		if (b[16])
			e->manufacture_week = b[16];
		e->manufacture_year = b[17] + 1990;
	}
	e->version = b[18];
	e->revision = b[19];
	e->digital = b[20] & 0x80;
	if (b[21] && b[22]) {
		e->max_h_cm = b[21];
		e->max_v_cm = b[22];
	}

	e->spwg = is_spwg(b);
	if (e->spwg) {
		/* descriptor 3: PC maker P/N (5), supplier EEDID revision, manufacturer P/N (7) */
		text_field(b + 0x5a + 5, 5, e->spwg_pc_maker_pn);
		text_field(b + 0x5a + 11, 7, e->spwg_part_number);
	}
	for (int i = 0; i < 4; i++) {
		const uint8_t *d = b + 54 + 18 * i;

		if (e->spwg && i >= 2)
			break; /* SPWG data, not text descriptors */
		if (d[0] || d[1]) { /* a detailed timing */
			if (!e->preferred.valid)
				detailed_timing(d, &e->preferred);
			continue;
		}
		switch (d[3]) {
		case 0xfc:
			descriptor_text(d, e->name);
			break;
		case 0xff:
			descriptor_text(d, e->serial_text);
			break;
		case 0xfe:
			if (e->n_strings < CBD_EDID_MAX_STRINGS)
				descriptor_text(d, e->strings[e->n_strings++]);
			break;
		default:
			break;
		}
	}

	if (!e->checksum_ok)
		snprintf(e->problem, sizeof(e->problem), "bad checksum in block %d",
			 e->bad_checksum_block);
	else if (e->blocks_claimed > e->blocks_present)
		snprintf(e->problem, sizeof(e->problem),
			 "EDID claims %u extension blocks, %u are present", e->blocks_claimed - 1,
			 e->blocks_present - 1);
	return 0;
}
