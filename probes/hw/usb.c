/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * USB enumeration through libusb (bus, port path, speed, the device
 * descriptor the kernel cached: no device is opened) and names from the udev
 * hwdb. Read-only.
 */
#include "hw.h"

#include <errno.h>
#include <libudev.h>
#include <libusb.h>
#include <stdio.h>
#include <stdlib.h>

static int
speed_kbps(int s)
{
	switch (s) {
	case LIBUSB_SPEED_LOW:
		return 1500;
	case LIBUSB_SPEED_FULL:
		return 12000;
	case LIBUSB_SPEED_HIGH:
		return 480000;
	case LIBUSB_SPEED_SUPER:
		return 5000000;
	case LIBUSB_SPEED_SUPER_PLUS:
		return 10000000;
	default:
		return 0; /* unknown, or newer than this libusb knows */
	}
}

int
cbd_hw_usb_list(struct cbd_hw_usb_dev **ret)
{
	libusb_context *ctx = NULL;
	libusb_device **list = NULL;
	struct cbd_hw_usb_dev *out;
	ssize_t n;

	*ret = NULL;
	if (libusb_init(&ctx) < 0)
		return -ENODEV;
	n = libusb_get_device_list(ctx, &list);
	if (n < 0) {
		libusb_exit(ctx);
		return -EIO;
	}
	out = cbd_realloc_array(NULL, (size_t)n + 1, sizeof(*out));
	for (ssize_t i = 0; i < n; i++) {
		struct libusb_device_descriptor d;
		struct cbd_hw_usb_dev *u = &out[i];
		int np;

		*u = (struct cbd_hw_usb_dev){0};
		u->bus = libusb_get_bus_number(list[i]);
		u->address = libusb_get_device_address(list[i]);
		np = libusb_get_port_numbers(list[i], u->ports, CBD_USB_MAX_DEPTH);
		u->n_ports = np > 0 ? np : 0;
		u->speed_kbps = speed_kbps(libusb_get_device_speed(list[i]));
		if (libusb_get_device_descriptor(list[i], &d) == 0) {
			u->desc_ok = true;
			u->vid = d.idVendor;
			u->pid = d.idProduct;
			u->bcd_usb = d.bcdUSB;
			u->dev_class = d.bDeviceClass;
		}
	}
	libusb_free_device_list(list, 1);
	libusb_exit(ctx);
	*ret = out;
	return (int)n;
}

struct cbd_hw_hwdb {
	struct udev *udev;
	struct udev_hwdb *hwdb;
};

struct cbd_hw_hwdb *
cbd_hw_hwdb_open(void)
{
	struct udev *udev = udev_new();
	struct udev_hwdb *hwdb = udev ? udev_hwdb_new(udev) : NULL;
	struct cbd_hw_hwdb *h;

	if (!hwdb) {
		udev_unref(udev);
		return NULL;
	}
	h = cbd_zalloc(sizeof(*h));
	h->udev = udev;
	h->hwdb = hwdb;
	return h;
}

void
cbd_hw_hwdb_close(struct cbd_hw_hwdb *h)
{
	if (!h)
		return;
	udev_hwdb_unref(h->hwdb);
	udev_unref(h->udev);
	free(h);
}

void
cbd_hw_usb_hwdb_names(struct cbd_hw_hwdb *h, uint16_t vid, uint16_t pid, char *vendor,
		      size_t vsize, char *model, size_t msize)
{
	struct udev_list_entry *e;
	char key[32];

	vendor[0] = model[0] = '\0';
	/* the key as udev's hwdb builtin builds it: upper-case hex, trailing '*' */
	snprintf(key, sizeof(key), "usb:v%04Xp%04X*", vid, pid);
	udev_list_entry_foreach(e, udev_hwdb_get_properties_list_entry(h->hwdb, key, 0))
	{
		const char *name = udev_list_entry_get_name(e), *value = udev_list_entry_get_value(e);

		if (!value)
			continue;
		if (streq(name, "ID_VENDOR_FROM_DATABASE"))
			snprintf(vendor, vsize, "%s", value);
		else if (streq(name, "ID_MODEL_FROM_DATABASE"))
			snprintf(model, msize, "%s", value);
	}
}

int
cbd_hw_usb_ids_load(char **ret, size_t *ret_len)
{
	static const char *const paths[] = {
		"/usr/share/misc/usb.ids",
		"/usr/share/hwdata/usb.ids",
		"/var/lib/usbutils/usb.ids",
	};

	for (size_t i = 0; i < CBD_ARRAY_SIZE(paths); i++)
		if (cbd_read_file(paths[i], 16u * 1024u * 1024u, ret, ret_len) == 0)
			return 0;
	return -ENOENT;
}

int
cbd_hw_usb_disk_of(const char *usbdev, char *buf, size_t size)
{
	_cleanup_free_ char *needle = NULL;
	char **names = NULL;
	size_t n = 0;
	int r = -ENOENT;

	if (!usbdev[0] || strchr(usbdev, '/'))
		return -EINVAL;
	needle = cbd_strdupf("/%s/", usbdev);
	if (cbd_hw_list_dir("/sys/class/block", &names, &n) < 0)
		return -ENOENT;
	for (size_t i = 0; i < n && r < 0; i++) {
		_cleanup_free_ char *link = cbd_strdupf("/sys/class/block/%s", names[i]);
		_cleanup_free_ char *part = cbd_strdupf("%s/partition", link);
		char real[PATH_MAX];

		/* whole disks only, somewhere below the USB device */
		if (access(part, F_OK) == 0 || cbd_hw_realpath(link, real, sizeof(real)) < 0 ||
		    !strstr(real, needle))
			continue;
		snprintf(buf, size, "%s", names[i]);
		r = 0;
	}
	cbd_hw_strv_free(names);
	return r;
}

int
cbd_hw_usb_has_storage(const char *usbdev)
{
	_cleanup_free_ char *self = NULL;
	char **names = NULL;
	size_t n = 0, len = strlen(usbdev), seen = 0;
	int r = 0;

	if (!usbdev[0] || strchr(usbdev, '/'))
		return -EINVAL;
	self = cbd_strdupf("/sys/bus/usb/devices/%s", usbdev);
	if (access(self, F_OK) < 0)
		return -ENODEV; /* unplugged */
	if (cbd_hw_list_dir("/sys/bus/usb/devices", &names, &n) < 0)
		return -ENOENT;
	for (size_t i = 0; i < n && r == 0; i++) {
		_cleanup_free_ char *dir = NULL;
		char cls[8];

		/* its interfaces: "2-1:1.0" */
		if (strncmp(names[i], usbdev, len) != 0 || names[i][len] != ':')
			continue;
		seen++;
		dir = cbd_strdupf("/sys/bus/usb/devices/%s", names[i]);
		if (cbd_hw_read_text_at(dir, "bInterfaceClass", cls, sizeof(cls)) >= 0 &&
		    strtol(cls, NULL, 16) == 0x08)
			r = 1;
	}
	cbd_hw_strv_free(names);
	return r == 1 ? 1 : seen ? 0 : -ENOENT;
}
