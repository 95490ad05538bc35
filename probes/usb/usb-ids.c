/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Names from a usb.ids file (the linux-usb.org list usbutils shipped before
 * udev's hwdb took over; Debian's usb.ids package), the last resort for a
 * device without strings when there is no hwdb. Pure: the text is read by
 * hw/usb.c. The format: a vendor line is four hex digits, two spaces and the
 * name; its products follow as a tab, four hex digits, two spaces and the
 * name; deeper tabs are interfaces. Other top-level lines (comments, the
 * class tables "C 03  Human Interface Device", "HID ..." and so on) end a
 * vendor's block.
 */
#include <stdio.h>

#include "usb.h"

static int
hex4(const char *s, size_t avail)
{
	int v = 0;

	if (avail < 6 || s[4] != ' ' || s[5] != ' ')
		return -1;
	for (int i = 0; i < 4; i++) {
		char c = s[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

static void
copy_name(const char *s, size_t len, char *buf, size_t size)
{
	size_t n = 0;

	for (size_t i = 0; i < len && n + 1 < size; i++)
		buf[n++] = (unsigned char)s[i] < 0x20 ? ' ' : s[i];
	buf[n] = '\0';
	cbd_strstrip(buf);
}

void
cbd_usb_ids_lookup(const char *text, size_t len, uint16_t vid, uint16_t pid, char *vendor,
		   size_t vsize, char *model, size_t msize)
{
	bool in_vendor = false;

	if (vsize)
		vendor[0] = '\0';
	if (msize)
		model[0] = '\0';
	for (size_t i = 0; i < len;) {
		const char *line = text + i, *end = memchr(line, '\n', len - i);
		size_t l = end ? (size_t)(end - line) : len - i;

		i += l + 1;
		if (l == 0 || line[0] == '#')
			continue;
		if (line[0] != '\t') {
			if (in_vendor)
				return; /* past the vendor's block */
			if (hex4(line, l) == vid) {
				in_vendor = true;
				copy_name(line + 6, l - 6, vendor, vsize);
			}
			continue;
		}
		if (in_vendor && l > 1 && line[1] != '\t' && hex4(line + 1, l - 1) == pid) {
			copy_name(line + 7, l - 7, model, msize);
			return;
		}
	}
}
