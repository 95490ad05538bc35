/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Gathering half of the touch probe: /sys/class/input through probes/hw.
 * Touch surfaces are found by their capability bits and input properties,
 * not names, so an I2C Elan pad, a PS/2 Synaptics or Elantech pad, a
 * Synaptics pad over SMBus and a USB touchscreen are all found, with or
 * without udevd. The axes' ranges and resolutions come from the event node.
 */
#include "touch.h"

#include <errno.h>
#include <stdlib.h>
#include <linux/input-event-codes.h>

#include "keyboard.h"

static bool
bit(const uint8_t *bits, size_t nbytes, unsigned n)
{
	return n / 8 < nbytes && (bits[n / 8] >> (n % 8)) & 1;
}

/* The ranges of the axes the device has (asking for one it lacks proves nothing) */
static void
read_axes(struct cbd_touch_dev_raw *d)
{
	bool mt = bit(d->abs, sizeof(d->abs), ABS_MT_POSITION_X) &&
	          bit(d->abs, sizeof(d->abs), ABS_MT_POSITION_Y);
	unsigned want[5] = {mt ? ABS_MT_POSITION_X : ABS_X, mt ? ABS_MT_POSITION_Y : ABS_Y,
	                    ABS_MT_SLOT, ABS_PRESSURE, ABS_MT_PRESSURE};
	unsigned codes[5];
	struct cbd_hw_absinfo a[5];
	size_t n = 0;

	for (size_t i = 0; i < 5; i++)
		if (bit(d->abs, sizeof(d->abs), want[i]))
			codes[n++] = want[i];
	d->abs_err = cbd_hw_evdev_absinfo(d->devnode, codes, n, a);
	if (d->abs_err < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		struct cbd_touch_axis ax = {a[i].minimum, a[i].maximum, a[i].resolution};

		if (codes[i] == want[0])
			d->x = ax;
		else if (codes[i] == want[1])
			d->y = ax;
		else if (codes[i] == ABS_MT_SLOT)
			d->slot_max = a[i].maximum;
		else if (codes[i] == ABS_PRESSURE || d->pressure_max < 0)
			d->pressure_max = a[i].maximum; /* ABS_PRESSURE first, else the MT one */
	}
}

static bool
read_one(const char *event, struct cbd_touch_dev_raw *d)
{
	_cleanup_free_ char *cls = cbd_strdupf("/sys/class/input/%s", event);
	char path[512], caps[4096], *slash;
	uint8_t ev[8] = {0};
	long long bus;

	*d = (struct cbd_touch_dev_raw){.slot_max = -1, .pressure_max = -1};
	snprintf(d->event, sizeof(d->event), "%s", event);
	snprintf(d->devnode, sizeof(d->devnode), "/dev/input/%s", event);
	if (cbd_hw_realpath(cls, path, sizeof(path)) < 0)
		return false;
	slash = strrchr(path, '/'); /* the input device is the event node's parent */
	if (!slash || slash == path)
		return false;
	*slash = '\0';
	if (cbd_hw_read_text_at(path, "capabilities/ev", caps, sizeof(caps)) < 0)
		return false;
	cbd_parse_capabilities(caps, ev, sizeof(ev));
	if (!bit(ev, sizeof(ev), EV_ABS) ||
	    cbd_hw_read_text_at(path, "capabilities/abs", caps, sizeof(caps)) < 0)
		return false;
	cbd_parse_capabilities(caps, d->abs, sizeof(d->abs));
	if (!(bit(d->abs, sizeof(d->abs), ABS_X) && bit(d->abs, sizeof(d->abs), ABS_Y)) &&
	    !(bit(d->abs, sizeof(d->abs), ABS_MT_POSITION_X) &&
	      bit(d->abs, sizeof(d->abs), ABS_MT_POSITION_Y)))
		return false;
	if (bit(ev, sizeof(ev), EV_KEY) &&
	    cbd_hw_read_text_at(path, "capabilities/key", caps, sizeof(caps)) >= 0)
		cbd_parse_capabilities(caps, d->keys, sizeof(d->keys));
	if (cbd_hw_read_text_at(path, "properties", caps, sizeof(caps)) >= 0)
		cbd_parse_capabilities(caps, d->props, sizeof(d->props));
	/* not a touch surface (an absolute pointer such as QEMU's USB tablet, a
	 * joystick, an accelerometer): its node is left closed, for opening a USB
	 * device's node starts its polling */
	if (!bit(d->props, sizeof(d->props), INPUT_PROP_DIRECT) &&
	    !bit(d->keys, sizeof(d->keys), BTN_TOOL_FINGER) &&
	    !bit(d->keys, sizeof(d->keys), BTN_TOOL_PEN))
		return false;
	cbd_hw_read_str_at(path, "name", d->name, sizeof(d->name));
	cbd_hw_read_str_at(path, "phys", d->phys, sizeof(d->phys));
	{
		char hex[32];

		if (cbd_hw_read_text_at(path, "id/bustype", hex, sizeof(hex)) >= 0 &&
		    cbd_parse_ll(hex, 16, &bus) == 0)
			d->bustype = (unsigned)bus;
	}
	read_axes(d);
	return true;
}

/* event2 before event10 */
static int
by_number(const void *a, const void *b)
{
	long na = strtol(((const struct cbd_touch_dev_raw *)a)->event + 5, NULL, 10);
	long nb = strtol(((const struct cbd_touch_dev_raw *)b)->event + 5, NULL, 10);

	return (na > nb) - (na < nb);
}

int
cbd_touch_read(struct cbd_touch_raw *ret)
{
	char **names = NULL;
	size_t n = 0;
	int r;

	*ret = (struct cbd_touch_raw){0};
	r = cbd_hw_list_dir("/sys/class/input", &names, &n);
	if (r == -ENOENT)
		return 0; /* no input class: no touch surface */
	if (r < 0)
		return r;
	ret->dev = cbd_realloc_array(NULL, n + 1, sizeof(*ret->dev));
	for (size_t i = 0; i < n; i++)
		if (strncmp(names[i], "event", 5) == 0 && read_one(names[i], &ret->dev[ret->n]))
			ret->n++;
	cbd_hw_strv_free(names);
	qsort(ret->dev, ret->n, sizeof(*ret->dev), by_number);
	return 0;
}

void
cbd_touch_raw_clear(struct cbd_touch_raw *raw)
{
	free(raw->dev);
	*raw = (struct cbd_touch_raw){0};
}
