/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Gathering half of the keyboard probe: /sys/class/input through probes/hw.
 * Keyboards are found from the kernel's own capability bits, so the probe
 * works on a bare repair image without udevd (no ID_INPUT_KEYBOARD there).
 */
#include "keyboard.h"

#include <errno.h>

static unsigned
read_hex(const char *dir, const char *attr)
{
	char buf[32];
	long long v;

	if (cbd_hw_read_text_at(dir, attr, buf, sizeof(buf)) < 0 || cbd_parse_ll(buf, 16, &v) < 0)
		return 0;
	return (unsigned)v;
}

/* A USB keyboard is internal when its port is fixed (a detachable's base). */
static bool
usb_port_fixed(const char *input_dir)
{
	char dir[512];

	snprintf(dir, sizeof(dir), "%s", input_dir);
	for (char *slash; (slash = strrchr(dir, '/')) && slash > dir + 12;) {
		char removable[32];

		*slash = '\0';
		if (cbd_hw_read_text_at(dir, "removable", removable, sizeof(removable)) >= 0)
			return streq(removable, "fixed");
	}
	return false;
}

/* Cut the last component of @path in place ("/a/b/c" -> "/a/b"). */
static void
up(char *path)
{
	char *slash = strrchr(path, '/');

	if (slash && slash != path)
		*slash = '\0';
}

static bool
read_one(const char *event, struct cbd_keyboard_raw *k)
{
	_cleanup_free_ char *cls = cbd_strdupf("/sys/class/input/%s", event);
	char input[512], parent[512], caps[4096], physmap[512];

	*k = (struct cbd_keyboard_raw){.n_top_row = -1};
	snprintf(k->event, sizeof(k->event), "%s", event);
	snprintf(k->devnode, sizeof(k->devnode), "/dev/input/%s", event);
	if (cbd_hw_realpath(cls, k->syspath, sizeof(k->syspath)) < 0)
		return false;
	/* .../serio0/input/input3/event3: the input device is the parent */
	snprintf(input, sizeof(input), "%s", k->syspath);
	up(input);
	if (cbd_hw_read_text_at(input, "capabilities/key", caps, sizeof(caps)) < 0)
		return false;
	cbd_parse_capabilities(caps, k->keys, sizeof(k->keys));
	if (!cbd_is_keyboard(k->keys))
		return false;
	cbd_hw_read_str_at(input, "name", k->name, sizeof(k->name));
	cbd_hw_read_str_at(input, "phys", k->phys, sizeof(k->phys));
	k->bustype = read_hex(input, "id/bustype");
	k->vendor = read_hex(input, "id/vendor");
	k->product = read_hex(input, "id/product");
	k->usb_port_fixed = usb_port_fixed(input);
	/* function_row_physmap lives on the device the input device belongs to:
	 * .../serio0 for atkbd, the platform device for cros_ec_keyb, the HID device */
	snprintf(parent, sizeof(parent), "%s", input);
	up(parent);
	up(parent);
	if (cbd_hw_read_text_at(parent, "function_row_physmap", physmap, sizeof(physmap)) >= 0)
		k->n_top_row = cbd_parse_physmap(physmap, k->top_row, CBD_MAX_TOP_ROW);
	k->down_err = cbd_hw_evdev_key_state(k->devnode, k->down);
	return true;
}

int
cbd_keyboard_read_all(struct cbd_keyboard_raw **ret)
{
	char **names = NULL;
	size_t n = 0, kept = 0;
	struct cbd_keyboard_raw *all;
	int r = cbd_hw_list_dir("/sys/class/input", &names, &n);

	if (r < 0)
		return r;
	all = cbd_realloc_array(NULL, n + 1, sizeof(*all));
	for (size_t i = 0; i < n; i++)
		if (strncmp(names[i], "event", 5) == 0 && read_one(names[i], &all[kept]))
			kept++;
	cbd_hw_strv_free(names);
	*ret = all;
	return (int)kept;
}
