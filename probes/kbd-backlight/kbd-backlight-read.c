/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Gathering half of the kbd_backlight probe: reads through probes/hw only. */
#include "kbd-backlight.h"

#include <errno.h>

#define LEDS "/sys/class/leds"

int
cbd_kbd_backlight_read(struct cbd_kbd_backlight_raw *ret)
{
	char **names = NULL;
	size_t n = 0;
	int r;

	*ret = (struct cbd_kbd_backlight_raw){0};
	r = cbd_hw_list_dir(LEDS, &names, &n);
	if (r == -ENOENT)
		return 0; /* no LED class at all: no keyboard backlight */
	if (r < 0)
		return r;
	ret->leds = cbd_realloc_array(NULL, n + 1, sizeof(*ret->leds));
	for (size_t i = 0; i < n; i++) {
		_cleanup_free_ char *dir = NULL;
		struct cbd_kbd_led_raw *l;

		if (!cbd_led_is_kbd_backlight(names[i]))
			continue;
		dir = cbd_strdupf(LEDS "/%s", names[i]);
		l = &ret->leds[ret->n++];
		*l = (struct cbd_kbd_led_raw){0};
		snprintf(l->name, sizeof(l->name), "%s", names[i]);
		if (cbd_hw_read_ll_at(dir, "max_brightness", &l->max_brightness) < 0)
			l->max_brightness = -1;
		if (cbd_hw_read_ll_at(dir, "brightness", &l->brightness) < 0)
			l->brightness = -1;
	}
	cbd_hw_strv_free(names);
	return 0;
}

void
cbd_kbd_backlight_raw_clear(struct cbd_kbd_backlight_raw *raw)
{
	free(raw->leds);
	*raw = (struct cbd_kbd_backlight_raw){0};
}
