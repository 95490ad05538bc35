/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The usb probe: every device libusb enumerates, joined with what the kernel
 * keeps in sysfs (strings, removable, the root port and its connect_type),
 * names from the udev hwdb, and the root hubs' physical ports. Read-only.
 */
#pragma once
#include <stdbool.h>

#include "hw.h"
#include "probe.h"

struct cbd_usb_dev_raw {
	struct cbd_hw_usb_dev hw;
	char name[32];                    /* the sysfs name: "1-2.3" */
	char manufacturer[128], product[128]; /* the device's strings, as the kernel cached them */
	char hwdb_vendor[128], hwdb_model[128];
	char removable[16];               /* removable, fixed, unknown; "" when absent */
	char root_port[32];               /* "usb1-port2": the root-hub port it hangs off */
};

struct cbd_usb_port_raw {
	char name[32]; /* usb1-port2 */
	int bus, port;
	bool superspeed;       /* on a SuperSpeed root hub */
	char connect_type[24]; /* hotplug, hardwired, not used, unknown; "" when absent */
	long long over_current; /* over_current_count, -1 when absent */
	char peer[32];          /* the USB2/USB3 twin of this connector, "" when none */
	char connector[32];     /* the Type-C port (typec port0), "" when none */
	char device[32];        /* what is plugged in ("1-2"), "" when empty */
};

struct cbd_usb_raw {
	int list_err; /* -errno when libusb could not enumerate */
	struct cbd_usb_dev_raw *dev;
	size_t n_dev;
	struct cbd_usb_port_raw *port;
	size_t n_port;
	bool hwdb; /* the udev hwdb was there */
};

void cbd_usb_read(struct cbd_usb_raw *ret);
void cbd_usb_raw_clear(struct cbd_usb_raw *r);

/* ---- pure ---------------------------------------------------------------- */
/** "1-2.3" from bus 1 and ports {2, 3}; "usb1" for a root hub. */
void cbd_usb_sysfs_name(unsigned bus, const uint8_t *ports, int n, char *buf, size_t size);
/** The speed in Mb/s as the report writes it (1.5, 12, 480, 5000...), 0 unknown. */
double cbd_usb_speed_mbps(int kbps);
void cbd_usb_judge(const struct cbd_usb_raw *raw, bool laptop, bool interactive,
		   struct cbd_result *out);
