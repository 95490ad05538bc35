// SPDX-License-Identifier: GPL-2.0
/*
 * A panel backlight for the virtual bench, which QEMU does not have: a
 * backlight class device "cbdiag_bench" of type firmware (as a Chromebook's
 * ACPI or EC backlight is), 0..max_brightness, whose actual_brightness
 * follows brightness. With stuck=1 it ignores writes (actual_brightness
 * stays), as a dead backlight driver would.
 */
#include <linux/backlight.h>
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

static int __init bench_init(void)
{
	struct backlight_properties props = {
		.type = BACKLIGHT_FIRMWARE,
		.max_brightness = max_level,
		.brightness = max_level * 6 / 10,
		.power = FB_BLANK_UNBLANK,
	};

	actual = props.brightness;
	bl = backlight_device_register("cbdiag_bench", NULL, NULL, &bench_ops, &props);
	return PTR_ERR_OR_ZERO(bl);
}

static void __exit bench_exit(void)
{
	backlight_device_unregister(bl);
}

module_init(bench_init);
module_exit(bench_exit);
MODULE_DESCRIPTION("cbdiag bench: a backlight the sweep can drive");
MODULE_LICENSE("GPL");
