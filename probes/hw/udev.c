/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libudev enumeration, wrapped so that no probe links libudev directly. */
#include "hw.h"

#include <errno.h>
#include <libudev.h>

static int
cmp_dev(const void *a, const void *b)
{
	return strcmp(((const struct cbd_hw_udev_dev *)a)->syspath,
		      ((const struct cbd_hw_udev_dev *)b)->syspath);
}

void
cbd_hw_udev_list_clear(struct cbd_hw_udev_list *list)
{
	for (size_t i = 0; list && i < list->n; i++) {
		free(list->devs[i].syspath);
		free(list->devs[i].sysname);
		free(list->devs[i].devnode);
		free(list->devs[i].devtype);
	}
	if (list) {
		free(list->devs);
		list->devs = NULL;
		list->n = 0;
	}
}

int
cbd_hw_udev_enumerate(const char *subsystem, const char *property, const char *value,
		      struct cbd_hw_udev_list *ret)
{
	struct udev *udev;
	struct udev_enumerate *en;
	struct udev_list_entry *e;
	struct cbd_hw_udev_list list = {0};
	int r;

	if (!subsystem || !!property != !!value)
		return -EINVAL;
	udev = udev_new();
	if (!udev)
		return -ENOMEM;
	en = udev_enumerate_new(udev);
	if (!en) {
		udev_unref(udev);
		return -ENOMEM;
	}
	r = udev_enumerate_add_match_subsystem(en, subsystem);
	if (r >= 0 && property)
		r = udev_enumerate_add_match_property(en, property, value);
	if (r >= 0)
		r = udev_enumerate_scan_devices(en);
	if (r < 0)
		goto out;

	udev_list_entry_foreach(e, udev_enumerate_get_list_entry(en))
	{
		struct udev_device *dev =
			udev_device_new_from_syspath(udev, udev_list_entry_get_name(e));
		struct cbd_hw_udev_dev *d;

		if (!dev)
			continue;
		list.devs = cbd_realloc_array(list.devs, list.n + 1, sizeof(*list.devs));
		d = &list.devs[list.n++];
		d->syspath = cbd_strdup(udev_device_get_syspath(dev));
		d->sysname = cbd_strdup(udev_device_get_sysname(dev));
		d->devnode = cbd_strdup(udev_device_get_devnode(dev));
		d->devtype = cbd_strdup(udev_device_get_devtype(dev));
		udev_device_unref(dev);
	}
	if (list.n)
		qsort(list.devs, list.n, sizeof(*list.devs), cmp_dev);
	*ret = list;
	list = (struct cbd_hw_udev_list){0};
	r = 0;
out:
	cbd_hw_udev_list_clear(&list);
	udev_enumerate_unref(en);
	udev_unref(udev);
	return r;
}
