// SPDX-License-Identifier: GPL-2.0
/*
 * A panel backlight for the virtual bench, which QEMU does not have: a
 * backlight class device "cbdiag_bench" of type firmware (as a Chromebook's
 * ACPI or EC backlight is), 0..max_brightness, whose actual_brightness
 * follows brightness. With stuck=1 it ignores writes (actual_brightness
 * stays), as a dead backlight driver would.
 *
 * And a keyboard light, an LED class device "cbdiag_bench::kbd_backlight"
 * (the function part is what cbdiag looks for, as on a Chromebook's
 * chromeos::kbd_backlight), 0..max_brightness at 30 %, whose brightness
 * read-back is the level the "EC" keeps: with stuck=1 it keeps the old one.
 */
#include <linux/backlight.h>
#include <linux/leds.h>
#include <linux/module.h>

static unsigned int max_level = 100;
module_param(max_level, uint, 0444);
MODULE_PARM_DESC(max_level, "max_brightness");
static bool stuck;
module_param(stuck, bool, 0444);
MODULE_PARM_DESC(stuck, "actual_brightness does not follow brightness");

static int actual;
static struct backlight_device *bl;

static int bench_update(struct backlight_device *b)
{
	if (!stuck)
		actual = backlight_get_brightness(b);
	return 0;
}

static int bench_get(struct backlight_device *b)
{
	return actual;
}

static const struct backlight_ops bench_ops = {
	.update_status = bench_update,
	.get_brightness = bench_get,
};

static enum led_brightness kbd_level;

static int kbd_set(struct led_classdev *led, enum led_brightness value)
{
	if (!stuck)
		kbd_level = value;
	return 0;
}

static enum led_brightness kbd_get(struct led_classdev *led)
{
	return kbd_level;
}

static struct led_classdev kbd_led = {
	.name = "cbdiag_bench::kbd_backlight",
	.brightness_set_blocking = kbd_set,
	.brightness_get = kbd_get,
};

static int __init bench_init(void)
{
	int r;

	struct backlight_properties props = {
		.type = BACKLIGHT_FIRMWARE,
		.max_brightness = max_level,
		.brightness = max_level * 6 / 10,
		.power = FB_BLANK_UNBLANK,
	};

	actual = props.brightness;
	bl = backlight_device_register("cbdiag_bench", NULL, NULL, &bench_ops, &props);
	if (IS_ERR(bl))
		return PTR_ERR(bl);
	kbd_led.max_brightness = max_level;
	kbd_level = max_level * 3 / 10;
	kbd_led.brightness = kbd_level;
	r = led_classdev_register(NULL, &kbd_led);
	if (r)
		backlight_device_unregister(bl);
	return r;
}

static void __exit bench_exit(void)
{
	led_classdev_unregister(&kbd_led);
	backlight_device_unregister(bl);
}

module_init(bench_init);
module_exit(bench_exit);
MODULE_DESCRIPTION("cbdiag bench: a backlight and a keyboard light the sweep can drive");
MODULE_LICENSE("GPL");
