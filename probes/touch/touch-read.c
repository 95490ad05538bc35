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
#include <linux/input-event-codes.h>

#include "keyboard.h"

static bool
bit(const uint8_t *bits, size_t nbytes, unsigned n)
{
	return n / 8 < nbytes && (bits[n / 8] >> (n % 8)) & 1;
}

static void
read_axes(struct cbd_touch_dev_raw *d)
{
	bool mt = bit(d->abs, sizeof(d->abs), ABS_MT_POSITION_X) &&
	          bit(d->abs, sizeof(d->abs), ABS_MT_POSITION_Y);
	unsigned codes[5] = {mt ? ABS_MT_POSITION_X : ABS_X, mt ? ABS_MT_POSITION_Y : ABS_Y,
	                     ABS_MT_SLOT, ABS_PRESSURE, ABS_MT_PRESSURE};
	struct cbd_hw_absinfo a[5];

	d->abs_err = cbd_hw_evdev_absinfo(d->devnode, codes, 5, a);
	if (d->abs_err < 0)
		return;
	d->x = (struct cbd_touch_axis){a[0].minimum, a[0].maximum, a[0].resolution};
	d->y = (struct cbd_touch_axis){a[1].minimum, a[1].maximum, a[1].resolution};
	if (bit(d->abs, sizeof(d->abs), ABS_MT_SLOT))
		d->slot_max = a[2].maximum;
	if (bit(d->abs, sizeof(d->abs), ABS_PRESSURE))
		d->pressure_max = a[3].maximum;
	else if (bit(d->abs, sizeof(d->abs), ABS_MT_PRESSURE))
		d->pressure_max = a[4].maximum;
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
	return 0;
}

void
cbd_touch_raw_clear(struct cbd_touch_raw *raw)
{
	free(raw->dev);
	*raw = (struct cbd_touch_raw){0};
}
