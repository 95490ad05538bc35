/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Gathering half of the lid probe: /sys/class/input through probes/hw. The
 * lid switch and the power button are found from the kernel's capability
 * bits, not names, so the ACPI "Lid Switch" and "Power Button", the EC's
 * "cros_ec_buttons" and an ARM board's "gpio-keys" are all found, with or
 * without udevd.
 */
#include "lid.h"

#include <errno.h>
#include <linux/input-event-codes.h>

#include "keyboard.h"

static bool
bit(const uint8_t *bits, size_t nbytes, unsigned n)
{
	return n / 8 < nbytes && (bits[n / 8] >> (n % 8)) & 1;
}

static bool
read_one(const char *event, struct cbd_lid_input_raw *d)
{
	_cleanup_free_ char *cls = cbd_strdupf("/sys/class/input/%s", event);
	char path[512], caps[4096], *slash;
	uint8_t ev[8] = {0}, sw[CBD_SW_BITMAP_BYTES] = {0}, keys[CBD_KEY_BITMAP_BYTES] = {0};
	long long bus;

	*d = (struct cbd_lid_input_raw){.lid_closed = -1};
	snprintf(d->event, sizeof(d->event), "%s", event);
	snprintf(d->devnode, sizeof(d->devnode), "/dev/input/%s", event);
	if (cbd_hw_realpath(cls, path, sizeof(path)) < 0)
		return false;
	/* .../PNP0C0D:00/input/input4/event4: the input device is the parent */
	slash = strrchr(path, '/');
	if (!slash || slash == path)
		return false;
	*slash = '\0';
	if (cbd_hw_read_text_at(path, "capabilities/ev", caps, sizeof(caps)) < 0)
		return false;
	cbd_parse_capabilities(caps, ev, sizeof(ev));
	if (bit(ev, sizeof(ev), EV_SW) &&
	    cbd_hw_read_text_at(path, "capabilities/sw", caps, sizeof(caps)) >= 0) {
		cbd_parse_capabilities(caps, sw, sizeof(sw));
		d->has_lid = bit(sw, sizeof(sw), SW_LID);
	}
	if (bit(ev, sizeof(ev), EV_KEY) &&
	    cbd_hw_read_text_at(path, "capabilities/key", caps, sizeof(caps)) >= 0) {
		cbd_parse_capabilities(caps, keys, sizeof(keys));
		d->has_power = bit(keys, sizeof(keys), KEY_POWER);
		d->keyboard = cbd_is_keyboard(keys);
	}
	if (!d->has_lid && !d->has_power)
		return false;
	cbd_hw_read_str_at(path, "name", d->name, sizeof(d->name));
	cbd_hw_read_str_at(path, "phys", d->phys, sizeof(d->phys));
	{
		char hex[32];

		if (cbd_hw_read_text_at(path, "id/bustype", hex, sizeof(hex)) >= 0 &&
		    cbd_parse_ll(hex, 16, &bus) == 0)
			d->bustype = (unsigned)bus;
	}
	if (d->has_lid) {
		d->lid_state_err = cbd_hw_evdev_switch_state(d->devnode, sw);
		if (d->lid_state_err == 0)
			d->lid_closed = bit(sw, sizeof(sw), SW_LID);
	}
	return true;
}

int
cbd_lid_read(struct cbd_lid_raw *ret)
{
	char **names = NULL;
	size_t n = 0;
	int r;

	*ret = (struct cbd_lid_raw){0};
	r = cbd_hw_list_dir("/sys/class/input", &names, &n);
	if (r == -ENOENT)
		return 0; /* no input class: neither switch nor button */
	if (r < 0)
		return r;
	ret->in = cbd_realloc_array(NULL, n + 1, sizeof(*ret->in));
	for (size_t i = 0; i < n; i++)
		if (strncmp(names[i], "event", 5) == 0 && read_one(names[i], &ret->in[ret->n]))
			ret->n++;
	cbd_hw_strv_free(names);
	return 0;
}

void
cbd_lid_raw_clear(struct cbd_lid_raw *raw)
{
	free(raw->in);
	*raw = (struct cbd_lid_raw){0};
}
