/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * USB arrivals and departures, for the port-by-port plug test: a libudev
 * monitor on subsystem usb, devtype usb_device. Events come from udevd when
 * it runs (/run/udev/control), else straight from the kernel's netlink
 * source, as on a bare repair image where no udevd runs: the kernel sends
 * "add" after the device's sysfs attributes exist, so speed and ids can be
 * read either way.
 */
#include "hw.h"

#include <errno.h>
#include <libudev.h>
#include <stdio.h>

struct cbd_hw_usb_monitor {
	struct udev *udev;
	struct udev_monitor *mon;
	const char *source;
};

int
cbd_hw_usb_monitor_open(struct cbd_hw_usb_monitor **ret)
{
	struct cbd_hw_usb_monitor *m = cbd_zalloc(sizeof(*m));
	int r;

	m->udev = udev_new();
	if (!m->udev) {
		free(m);
		return -ENOMEM;
	}
	m->source = access("/run/udev/control", F_OK) == 0 ? "udev" : "kernel";
	m->mon = udev_monitor_new_from_netlink(m->udev, m->source);
	if (!m->mon) {
		r = errno ? -errno : -EIO;
		udev_unref(m->udev);
		free(m);
		return r;
	}
	if ((r = udev_monitor_filter_add_match_subsystem_devtype(m->mon, "usb", "usb_device")) < 0 ||
	    (r = udev_monitor_enable_receiving(m->mon)) < 0) {
		udev_monitor_unref(m->mon);
		udev_unref(m->udev);
		free(m);
		return r;
	}
	*ret = m;
	return 0;
}

int
cbd_hw_usb_monitor_fd(const struct cbd_hw_usb_monitor *m)
{
	return udev_monitor_get_fd(m->mon);
}

const char *
cbd_hw_usb_monitor_source(const struct cbd_hw_usb_monitor *m)
{
	return m->source;
}

static void
attr(struct udev_device *d, const char *name, char *buf, size_t size)
{
	const char *v = udev_device_get_sysattr_value(d, name);

	snprintf(buf, size, "%s", v ? v : "");
	cbd_strstrip(buf);
}

int
cbd_hw_usb_monitor_next(struct cbd_hw_usb_monitor *m, struct cbd_hw_usb_event *ev)
{
	for (;;) {
		struct udev_device *d = udev_monitor_receive_device(m->mon);
		const char *action, *name, *devtype;

		if (!d)
			return 0; /* nothing (more) pending */
		action = udev_device_get_action(d);
		name = udev_device_get_sysname(d);
		devtype = udev_device_get_devtype(d);
		if (!action || !name || !streq(devtype, "usb_device") ||
		    (!streq(action, "add") && !streq(action, "remove"))) {
			udev_device_unref(d);
			continue;
		}
		*ev = (struct cbd_hw_usb_event){0};
		snprintf(ev->action, sizeof(ev->action), "%s", action);
		snprintf(ev->name, sizeof(ev->name), "%s", name);
		if (streq(action, "add")) {
			char speed[16];

			attr(d, "speed", speed, sizeof(speed));
			ev->speed_mbps = atof(speed);
			attr(d, "idVendor", ev->vid, sizeof(ev->vid));
			attr(d, "idProduct", ev->pid, sizeof(ev->pid));
			attr(d, "product", ev->product, sizeof(ev->product));
		}
		udev_device_unref(d);
		return 1;
	}
}

void
cbd_hw_usb_monitor_close(struct cbd_hw_usb_monitor *m)
{
	if (!m)
		return;
	udev_monitor_unref(m->mon);
	udev_unref(m->udev);
	free(m);
}
