/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The probe registry: an explicit list, in run order. */
#include "probe.h"

extern const struct cbd_probe cbd_probe_battery;
extern const struct cbd_probe cbd_probe_keyboard;
extern const struct cbd_probe cbd_probe_kbd_backlight;
extern const struct cbd_probe cbd_probe_display;
extern const struct cbd_probe cbd_probe_storage;
extern const struct cbd_probe cbd_probe_usb;
extern const struct cbd_probe cbd_probe_wireless;
extern const struct cbd_probe cbd_probe_lid;
extern const struct cbd_probe cbd_probe_camera;
extern const struct cbd_probe cbd_probe_touch;
extern const struct cbd_probe cbd_probe_audio;

const struct cbd_probe *const cbd_probes[] = {
	&cbd_probe_battery, &cbd_probe_keyboard, &cbd_probe_kbd_backlight, &cbd_probe_display,
	&cbd_probe_storage, &cbd_probe_usb, &cbd_probe_wireless, &cbd_probe_lid,
	&cbd_probe_camera, &cbd_probe_touch, &cbd_probe_audio,
};
const size_t cbd_n_probes = CBD_ARRAY_SIZE(cbd_probes);

const struct cbd_probe *
cbd_probe_find(const char *name)
{
	for (size_t i = 0; i < cbd_n_probes; i++)
		if (streq(cbd_probes[i]->name, name))
			return cbd_probes[i];
	return NULL;
}
