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
	/* physical_location/ (ACPI _PLD, kernels since 6.0), "" when absent:
	 * panel top, bottom, left, right, front, back, unknown; vertical_position
	 * upper, center, lower; horizontal_position left, center, right; dock and
	 * lid yes, no */
	char panel[16], vpos[16], hpos[16], dock[8], lid[8];
};

/* A USB Type-C port of /sys/class/typec (the connector class, with its
 * partner and cable when something is plugged in). Strings as sysfs has them,
 * "" when absent; roles still carry their brackets ("[host] device"). */
struct cbd_usb_typec_raw {
	char name[16];        /* port0 */
	char panel[16];       /* its physical_location/panel, "" when absent */
	char data_role[32];   /* "[host] device" */
	char power_role[32];  /* "[source] sink" */
	char power_mode[32];  /* power_operation_mode: default, 1.5A, 3.0A, usb_power_delivery */
	char pd_revision[16]; /* usb_power_delivery_revision */
	char orientation[16]; /* normal, reverse, unknown (kernels since 5.19) */
	bool partner;         /* port0-partner exists */
	char partner_pd[8];   /* its supports_usb_power_delivery: yes, no */
	char partner_accessory[32];
	bool cable;           /* port0-cable exists */
	char cable_type[16];  /* active, passive */
	char cable_plug[16];  /* plug_type: type-c, captive, ... */
	/* the ChromeOS EC's charger for this port (power_supply CROS_USBPD_CHARGER<N>) */
	bool charger;
	long long charger_online;     /* -1 unknown */
	char charger_type[64];        /* usb_type: "[PD] SDP DCP ..." */
	long long charger_uv, charger_max_ua; /* voltage_now, current_max; -1 unknown */
};

struct cbd_usb_raw {
	int list_err; /* -errno when libusb could not enumerate */
	struct cbd_usb_dev_raw *dev;
	size_t n_dev;
	struct cbd_usb_port_raw *port;
	size_t n_port;
	bool hwdb;    /* the udev hwdb was there */
	bool usb_ids; /* no hwdb, but a usb.ids file was */
	struct cbd_usb_typec_raw *typec;
	size_t n_typec;
	struct cbd_hw_kmsg_rec *kmsg; /* the kernel log's "usb ..." records */
	size_t n_kmsg;
	int kmsg_err; /* -errno when /dev/kmsg could not be read */
};

void cbd_usb_read(struct cbd_usb_raw *ret);
void cbd_usb_raw_clear(struct cbd_usb_raw *r);

/* ---- pure ---------------------------------------------------------------- */
/** "1-2.3" from bus 1 and ports {2, 3}; "usb1" for a root hub. */
void cbd_usb_sysfs_name(unsigned bus, const uint8_t *ports, int n, char *buf, size_t size);
/** The speed in Mb/s as the report writes it (1.5, 12, 480, 5000...), 0 unknown. */
double cbd_usb_speed_mbps(int kbps);
/**
 * Is this kernel log message a failure to bring a USB device up ("usb 1-2:
 * device descriptor read/64, error -71", "usb usb1-port2: unable to enumerate
 * USB device")? Then *@where is the port ("usb1-port2" for a root-hub port,
 * the hub port's path "1-2.3" behind a hub) and *@what the failure, cut short.
 */
bool cbd_usb_enum_error(const char *msg, char *where, size_t wsize, char *what, size_t what_size);

/** The vendor and product names of @vid:@pid in the text of a usb.ids file ("" when absent). */
void cbd_usb_ids_lookup(const char *text, size_t len, uint16_t vid, uint16_t pid, char *vendor,
			size_t vsize, char *model, size_t msize);

/** The current choice of a sysfs list like "[host] device" -> "host"; a single word as it is. */
void cbd_usb_typec_current(const char *s, char *buf, size_t size);

/* ---- the port-by-port plug test (port-test.c) ---------------------------- */

/* A physical connector: a USB2 root-hub port and its USB3 peer (either may be
 * missing). Hardwired and unused ports are not connectors a person can reach. */
struct cbd_usb_connector {
	char usb2[32], usb3[32]; /* port names ("usb1-port1"), "" when none */
	char kernel_name[72];    /* "usb1-port1/usb2-port1": for staff, never for the intern */
	bool superspeed;         /* it has a SuperSpeed side */
	bool typec;              /* it has a Type-C connector link */
	/* USB-A or USB-C is known: a Type-C link, or the machine has Type-C
	 * ports (the class is there) and this connector is not one of them */
	bool kind_known;
	int typec_port;          /* the Type-C port's number (port0: 0), -1 when none */
	/* where the firmware puts it (physical_location, "" when not given) */
	char panel[16], vpos[16], hpos[16];
	bool dock, lid;
	char label[64];          /* the one name the intern sees: "left USB-C port" */
	const char *named_by;    /* "firmware", "board profile", "Type-C port number", "order" */
	char in_use[32];         /* a device is plugged in now ("1-2"): not tested */
};

/* A board whose firmware says nothing about where its ports are: the name of
 * each root-hub port, as staff checked it on the machine. */
struct cbd_usb_board_port {
	const char *board;  /* the identity's board name (case-insensitive) */
	const char *port;   /* a root-hub port of the connector: "usb1-port2" */
	const char *label;  /* "left USB-C port" */
};

/* the board profiles cbdiag ships (port-names.c) */
extern const struct cbd_usb_board_port cbd_usb_board_ports[];
extern const size_t cbd_usb_n_board_ports;

/**
 * Name @n connectors (pure): the board profile @table (@n_table rows) for
 * @board first, else the firmware's place (panel, dock, lid), else the Type-C
 * port number, else "USB port 1, 2..." in the order the firmware lists them.
 * Two with one name are told apart by the firmware's vertical or horizontal
 * position, else by "(first)", "(second)" in firmware order.
 */
void cbd_usb_name_connectors(struct cbd_usb_connector *v, size_t n, const char *board,
			     const struct cbd_usb_board_port *table, size_t n_table);

/** The connectors of @raw, for the port test, named for @board (may be NULL).
 * Returns the count; *@ret owned by the caller. */
size_t cbd_usb_connectors(const struct cbd_usb_raw *raw, const char *board,
			  struct cbd_usb_connector **ret);

/** The connector @port ("usb1-port2") belongs to, or NULL. */
const struct cbd_usb_connector *cbd_usb_connector_of(const struct cbd_usb_connector *v, size_t n,
						     const char *port);

/** The root-hub port a device hangs off: "2-1.3" -> "usb2-port1". False when @name is not a device. */
bool cbd_usb_root_port_of(const char *name, char *buf, size_t size);

enum cbd_usb_port_result {
	CBD_PORT_PASS,
	CBD_PORT_SLOW,    /* came up at 480 Mb/s or less on a SuperSpeed connector */
	CBD_PORT_NOTHING, /* nothing arrived before the timeout */
	CBD_PORT_SKIPPED, /* the intern skipped it */
	CBD_PORT_IN_USE,  /* a device was plugged in already: not tested */
};

struct cbd_usb_port_outcome {
	enum cbd_usb_port_result result;
	char device[32];        /* what arrived ("2-1"), "" when nothing */
	double speed_mbps;      /* its negotiated speed */
	char vid[8], pid[8];
	char product[64];
	double flip_speed_mbps; /* Type-C turned over: -1 not tried, 0 nothing arrived */
	char elsewhere[32];     /* the stick arrived on another port first: that port */
	char elsewhere_label[64]; /* and that connector's name, "" when it is none */
	double read_mb_s;       /* the timed read from the stick, MB/s; -1 not measured */
	unsigned read_mib;      /* how much it read */
	char read_note[80];     /* why there is no figure, "" when there is */
};

struct cbd_usb_port_test {
	struct cbd_usb_connector *conn;
	struct cbd_usb_port_outcome *outcome;
	size_t n;
	const char *source; /* where events came from: "udev" or "kernel" */
	char error[160];    /* the test could not run, and why; "" when it ran */
	bool declined;      /* the intern skipped the whole test at its first step */
	unsigned timeout_s;
};

/** Run the interactive port test (uses ctx->ui and hw/usb-monitor). */
void cbd_usb_port_test_run(const struct cbd_ctx *ctx, const struct cbd_usb_raw *raw,
			   struct cbd_usb_port_test *pt);
void cbd_usb_port_test_clear(struct cbd_usb_port_test *pt);

/** Judge: @pt NULL when the run was not interactive (port_test: null); @board
 * names the connectors in findings (may be NULL). */
void cbd_usb_judge(const struct cbd_usb_raw *raw, bool laptop, const char *board,
		   const struct cbd_usb_port_test *pt, struct cbd_result *out);
