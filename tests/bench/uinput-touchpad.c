/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Bench helper (guest side, extra=touch): a clickpad made through uinput, as
 * elan_i2c registers one (pointer and button-pad properties, five
 * multitouch slots, 3124 x 1807 at 31 units a millimetre, on the I2C bus), so
 * the touch probe finds it through the kernel's own input core. Creates it,
 * says "ready" and sleeps until killed (the device lives as long as the
 * process). Test code: never on the stick.
 */
#include <fcntl.h>
#include <linux/uinput.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static int
axis(int fd, unsigned code, int max, int res)
{
	struct uinput_abs_setup a = {.code = code, .absinfo = {.maximum = max, .resolution = res}};

	return ioctl(fd, UI_SET_ABSBIT, code) < 0 || ioctl(fd, UI_ABS_SETUP, &a) < 0 ? -1 : 0;
}

int
main(void)
{
	static const unsigned keys[] = {BTN_LEFT, BTN_TOOL_FINGER, BTN_TOUCH, BTN_TOOL_DOUBLETAP,
					BTN_TOOL_TRIPLETAP};
	struct uinput_setup setup = {.id = {.bustype = BUS_I2C, .vendor = 0x04f3, .product = 0x3195}};
	int fd = open("/dev/uinput", O_WRONLY | O_CLOEXEC);
	int bad = 0;

	if (fd < 0) {
		perror("uinput-touchpad: /dev/uinput");
		return 1;
	}
	snprintf(setup.name, sizeof(setup.name), "Bench Touchpad");
	bad |= ioctl(fd, UI_SET_EVBIT, EV_KEY) < 0 || ioctl(fd, UI_SET_EVBIT, EV_ABS) < 0;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		bad |= ioctl(fd, UI_SET_KEYBIT, keys[i]) < 0;
	bad |= ioctl(fd, UI_SET_PROPBIT, INPUT_PROP_POINTER) < 0 ||
	       ioctl(fd, UI_SET_PROPBIT, INPUT_PROP_BUTTONPAD) < 0;
	bad |= axis(fd, ABS_X, 3124, 31) || axis(fd, ABS_Y, 1807, 31) || axis(fd, ABS_MT_SLOT, 4, 0) ||
	       axis(fd, ABS_MT_POSITION_X, 3124, 31) || axis(fd, ABS_MT_POSITION_Y, 1807, 31) ||
	       axis(fd, ABS_MT_TRACKING_ID, 65535, 0);
	bad |= ioctl(fd, UI_SET_PHYS, "i2c-BENCH0000:00") < 0;
	if (bad || ioctl(fd, UI_DEV_SETUP, &setup) < 0 || ioctl(fd, UI_DEV_CREATE) < 0) {
		perror("uinput-touchpad: setting up the device");
		return 1;
	}
	puts("ready");
	fflush(stdout);
	for (;;)
		pause();
}
