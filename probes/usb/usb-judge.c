/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Judging half of the usb probe: pure code, rules in probes/usb/README.md. */
#include <errno.h>
#include <stdio.h>

#include "cbd-i18n.h"
#include "usb.h"

double
cbd_usb_speed_mbps(int kbps)
{
	return kbps / 1000.0;
}

static const struct cbd_usb_port_raw *
find_port(const struct cbd_usb_raw *raw, const char *name)
{
	for (size_t i = 0; i < raw->n_port; i++)
		if (streq(raw->port[i].name, name))
			return &raw->port[i];
	return NULL;
}

/*
 * A USB 3 device (bcdUSB 3.x) plugged straight into a SuperSpeed-capable
 * connector that came up at USB 2 speed or less: on the connector's USB2
 * port while the USB3 twin (its peer) is there. A hint, not a verdict: a
 * USB 2 cable or extension does the same; the port test decides.
 */
static bool
superspeed_device_slow(const struct cbd_usb_raw *raw, const struct cbd_usb_dev_raw *d,
		       const struct cbd_usb_port_raw *rp)
{
	const struct cbd_usb_port_raw *twin;

	if (!d->hw.desc_ok || d->hw.bcd_usb < 0x0300 || d->hw.n_ports != 1 ||
	    d->hw.speed_kbps <= 0 || d->hw.speed_kbps > 480000 || !rp || rp->superspeed)
		return false;
	twin = find_port(raw, rp->peer);
	return twin && twin->superspeed;
}

static const char *
nonempty(const char *s)
{
	return s && *s ? s : NULL;
}

/* The connectors, named as the port test names them, for the findings */
struct names {
	struct cbd_usb_connector *conn;
	size_t n;
};

/* The intern's name of the port @where ("usb1-port2", or "1-2.3" behind a
 * hub): a connector's name, else words without the kernel's */
static void
place_of(const struct names *nm, const char *where, char *buf, size_t size)
{
	char root[32];
	const struct cbd_usb_connector *c = NULL;
	bool behind_hub = strchr(where, '.') != NULL;

	if (strncmp(where, "usb", 3) == 0)
		c = cbd_usb_connector_of(nm->conn, nm->n, where);
	else if (cbd_usb_root_port_of(where, root, sizeof(root)))
		c = cbd_usb_connector_of(nm->conn, nm->n, root);
	if (c)
		snprintf(buf, size, N_("the %s%s"), c->label, behind_hub ? N_(" (through a hub)") : "");
	else
		snprintf(buf, size, N_("%s"), behind_hub ? N_("a USB hub") : N_("an inside USB port"));
}

bool
cbd_usb_enum_error(const char *msg, char *where, size_t wsize, char *what, size_t what_size)
{
	static const char *const failures[] = {
		"device descriptor read",    "unable to enumerate USB device",
		"device not accepting address", "attempt power cycle",
		"Cannot enable",             "can't set config",
		"can't read configurations", "unable to read config index",
		"device not responding to setup address",
	};
	char name[32];
	const char *colon, *text;
	size_t len;

	if (strncmp(msg, "usb ", 4) != 0 || !(colon = strstr(msg + 4, ": ")))
		return false;
	len = (size_t)(colon - (msg + 4));
	if (len == 0 || len >= sizeof(name))
		return false;
	memcpy(name, msg + 4, len);
	name[len] = '\0';
	text = colon + 2;
	for (size_t i = 0; i < CBD_ARRAY_SIZE(failures); i++) {
		if (!strstr(text, failures[i]))
			continue;
		/* a root-hub port ("usb1-port2"), a device on one ("1-2"), or behind a hub */
		if (strncmp(name, "usb", 3) == 0 && strstr(name, "-port"))
			snprintf(where, wsize, "%s", name);
		else if (strchr(name, '.') || !cbd_usb_root_port_of(name, where, wsize))
			snprintf(where, wsize, "%s", name);
		snprintf(what, what_size, "%s", text);
		for (char *p = what; *p; p++)
			if ((unsigned char)*p < 0x20)
				*p = ' ';
		return true;
	}
	return false;
}

struct enum_errors {
	char where[32];
	unsigned count;
	char last[96];
	uint64_t last_us;
};

/* data.enumeration_errors[] and a warning per port, from the kernel log since boot */
static void
judge_kmsg(const struct cbd_usb_raw *raw, const struct names *nm, struct cbd_result *out)
{
	struct enum_errors *v = NULL;
	struct cbd_json *arr;
	size_t n = 0;

	if (raw->kmsg_err < 0)
		cbd_json_add_str(out->data, "kernel_log",
				 raw->kmsg_err == -EPERM || raw->kmsg_err == -EACCES
					 ? N_("not readable without root")
					 : N_("not readable"));
	else
		cbd_json_add_str(out->data, "kernel_log", "read");
	for (size_t i = 0; i < raw->n_kmsg; i++) {
		char where[32], what[96];
		size_t k;

		if (!cbd_usb_enum_error(raw->kmsg[i].msg, where, sizeof(where), what, sizeof(what)))
			continue;
		for (k = 0; k < n && !streq(v[k].where, where); k++)
			;
		if (k == n) {
			v = cbd_realloc_array(v, n + 1, sizeof(*v));
			v[n++] = (struct enum_errors){0};
			snprintf(v[k].where, sizeof(v[k].where), "%s", where);
		}
		v[k].count++;
		snprintf(v[k].last, sizeof(v[k].last), "%s", what);
		v[k].last_us = raw->kmsg[i].ts_us;
	}
	arr = cbd_json_add_array(out->data, "enumeration_errors");
	for (size_t k = 0; k < n; k++) {
		struct cbd_json *o = cbd_json_add_object(arr, NULL);
		char place[96];

		place_of(nm, v[k].where, place, sizeof(place));
		cbd_json_add_str(o, "port", v[k].where);
		cbd_json_add_str(o, "label", place);
		cbd_json_add_int(o, "count", v[k].count);
		cbd_json_add_str(o, "last", v[k].last);
		cbd_json_add_double(o, "last_seconds_since_boot", (double)(v[k].last_us / 1000) / 1000);
		cbd_result_add_finding(out, "usb.enumeration_errors", CBD_SEVERITY_WARN, false,
				       N_("Re-seat what is plugged into that port and try another "
				       "device and cable; if the port keeps failing with good "
				       "devices it is damaged: staff"),
				       N_("A device in %s failed to start %u time%s since the machine "
				       "was switched on"),
				       place, v[k].count, v[k].count == 1 ? "" : "s");
	}
	free(v);
}

void
cbd_usb_typec_current(const char *s, char *buf, size_t size)
{
	const char *open = strchr(s, '['), *close = open ? strchr(open, ']') : NULL;

	if (open && close)
		snprintf(buf, size, "%.*s", (int)(close - open - 1), open + 1);
	else
		snprintf(buf, size, "%s", s);
}

static void
add_current(struct cbd_json *o, const char *key, const char *raw)
{
	char v[32];

	cbd_usb_typec_current(raw, v, sizeof(v));
	cbd_json_add_str(o, key, nonempty(v));
}

/* data.typec[]: each Type-C port, the USB ports wired to it, what is plugged in */
static void
judge_typec(const struct cbd_usb_raw *raw, struct cbd_result *out)
{
	struct cbd_json *arr = cbd_json_add_array(out->data, "typec");

	for (size_t i = 0; i < raw->n_typec; i++) {
		const struct cbd_usb_typec_raw *t = &raw->typec[i];
		struct cbd_json *o = cbd_json_add_object(arr, NULL);
		struct cbd_json *usb = NULL;

		cbd_json_add_str(o, "port", t->name);
		add_current(o, "data_role", t->data_role);
		add_current(o, "power_role", t->power_role);
		cbd_json_add_str(o, "power_operation_mode", nonempty(t->power_mode));
		cbd_json_add_str(o, "pd_revision", nonempty(t->pd_revision));
		cbd_json_add_str(o, "orientation", nonempty(t->orientation));
		for (size_t k = 0; k < raw->n_port; k++)
			if (streq(raw->port[k].connector, t->name)) {
				if (!usb)
					usb = cbd_json_add_array(o, "usb_ports");
				cbd_json_add_str(usb, NULL, raw->port[k].name);
			}
		if (!usb)
			cbd_json_add_array(o, "usb_ports");
		if (t->partner) {
			struct cbd_json *p = cbd_json_add_object(o, "partner");

			cbd_json_add_str(p, "supports_pd", nonempty(t->partner_pd));
			cbd_json_add_str(p, "accessory_mode", nonempty(t->partner_accessory));
		} else {
			cbd_json_add_null(o, "partner");
		}
		if (t->charger) {
			struct cbd_json *c = cbd_json_add_object(o, "charger");

			if (t->charger_online >= 0)
				cbd_json_add_bool(c, "online", t->charger_online > 0);
			else
				cbd_json_add_null(c, "online");
			add_current(c, "type", t->charger_type);
			if (t->charger_uv >= 0)
				cbd_json_add_double(c, "voltage_v", (double)t->charger_uv / 1e6);
			else
				cbd_json_add_null(c, "voltage_v");
			if (t->charger_max_ua >= 0)
				cbd_json_add_double(c, "current_max_a", (double)t->charger_max_ua / 1e6);
			else
				cbd_json_add_null(c, "current_max_a");
		} else {
			cbd_json_add_null(o, "charger");
		}
		if (t->cable) {
			struct cbd_json *c = cbd_json_add_object(o, "cable");

			cbd_json_add_str(c, "type", nonempty(t->cable_type));
			cbd_json_add_str(c, "plug_type", nonempty(t->cable_plug));
		} else {
			cbd_json_add_null(o, "cable");
		}
	}
}

static const char *
port_result_word(enum cbd_usb_port_result r)
{
	switch (r) {
	case CBD_PORT_PASS:
		return "pass";
	case CBD_PORT_SLOW:
	case CBD_PORT_NOTHING:
		return "fail";
	case CBD_PORT_SKIPPED:
	case CBD_PORT_IN_USE:
		return "skip";
	}
	return "skip";
}

static void
add_speed(struct cbd_json *o, const char *key, double mbps)
{
	if (mbps > 0)
		cbd_json_add_double(o, key, mbps);
	else
		cbd_json_add_null(o, key);
}

/* data.port_test and its findings: one entry per connector */
static void
judge_port_test(const struct cbd_usb_port_test *pt, struct cbd_result *out)
{
	struct cbd_json *t = cbd_json_add_object(out->data, "port_test");
	struct cbd_json *ports;
	size_t passed = 0, failed = 0;

	cbd_json_add_str(t, "events", pt->source);
	cbd_json_add_int(t, "timeout_seconds", pt->timeout_s);
	ports = cbd_json_add_array(t, "ports");
	for (size_t i = 0; i < pt->n; i++) {
		const struct cbd_usb_connector *c = &pt->conn[i];
		const struct cbd_usb_port_outcome *o = &pt->outcome[i];
		struct cbd_json *p = cbd_json_add_object(ports, NULL);
		/* Type-C turned over: nothing, or USB 2 where the first way was SuperSpeed */
		bool flip_bad = c->typec && o->result == CBD_PORT_PASS &&
				(o->flip_speed_mbps == 0 ||
				 (o->flip_speed_mbps > 0 && c->superspeed && o->flip_speed_mbps <= 480));
		const char *reason = NULL;
		char why[160];

		cbd_json_add_str(p, "label", c->label);
		cbd_json_add_str(p, "named_by", c->named_by);
		cbd_json_add_str(p, "kernel_name", c->kernel_name);
		cbd_json_add_str(p, "usb2_port", nonempty(c->usb2));
		cbd_json_add_str(p, "usb3_port", nonempty(c->usb3));
		cbd_json_add_bool(p, "superspeed", c->superspeed);
		cbd_json_add_bool(p, "type_c", c->typec);
		cbd_json_add_str(p, "result", flip_bad ? "fail" : port_result_word(o->result));
		switch (o->result) {
		case CBD_PORT_PASS:
			passed++;
			break;
		case CBD_PORT_SLOW:
			failed++;
			snprintf(why, sizeof(why), N_("the stick came up at %g Mb/s on a SuperSpeed port"),
				 o->speed_mbps);
			reason = why;
			cbd_result_add_finding(
				out, "usb.port_usb2_only", CBD_SEVERITY_FAIL, false,
				N_("Check the port for dirt and try another blue (USB 3) stick; if it "
				"is still slow, staff must repair the port"),
				N_("The %s works, but only at slow speed: its fast connection is "
				"broken"),
				c->label);
			break;
		case CBD_PORT_NOTHING:
			failed++;
			snprintf(why, sizeof(why), N_("nothing arrived in %u s%s%s%s%s%s"), pt->timeout_s,
				 o->elsewhere[0] ? N_("; the stick was seen on the ") : "",
				 o->elsewhere_label[0] ? o->elsewhere_label : o->elsewhere,
				 o->elsewhere[0] ? " (" : "", o->elsewhere, o->elsewhere[0] ? ")" : "");
			reason = why;
			cbd_result_add_finding(
				out, "usb.port_dead", CBD_SEVERITY_FAIL, false,
				N_("Try the port again with a known-good stick, and look for bent "
				"contacts or debris; if nothing is ever detected the port or its "
				"board is damaged: staff"),
				N_("Nothing was detected in the %s"), c->label);
			break;
		case CBD_PORT_SKIPPED:
			reason = pt->declined ? N_("the intern skipped the port test")
			       : pt->error[0]  ? N_("the test stopped before this port")
					       : N_("skipped by the intern");
			break;
		case CBD_PORT_IN_USE:
			snprintf(why, sizeof(why), N_("in use by %s: not tested"), c->in_use);
			reason = why;
			break;
		}
		cbd_json_add_str(p, "reason", reason);
		cbd_json_add_str(p, "device", nonempty(o->device));
		cbd_json_add_str(p, "vendor_id", nonempty(o->vid));
		cbd_json_add_str(p, "product_id", nonempty(o->pid));
		add_speed(p, "speed_mbps", o->speed_mbps);
		/* a figure, no verdict: sticks differ too much for a threshold */
		if (o->read_mb_s >= 0) {
			cbd_json_add_double(p, "read_mb_s", (double)(int64_t)(o->read_mb_s * 10) / 10);
			cbd_json_add_int(p, "read_mib", o->read_mib);
		} else {
			cbd_json_add_null(p, "read_mb_s");
			cbd_json_add_null(p, "read_mib");
		}
		cbd_json_add_str(p, "read_note", nonempty(o->read_note));
		if (c->typec)
			add_speed(p, "flipped_speed_mbps", o->flip_speed_mbps);
		if (flip_bad) {
			passed--;
			failed++;
			cbd_result_add_finding(out, "usb.port_orientation", CBD_SEVERITY_FAIL, false,
					       N_("The port works one way round only: staff (the Type-C "
					       "port or its board)"),
					       N_("The %s fails with the plug turned over (%s)"),
					       c->label,
					       o->flip_speed_mbps == 0 ? N_("nothing was detected")
								       : N_("USB 2 speed only"));
		}
	}
	/* the ports not tested, with why, after what failed: the text report
	 * lists them as notes */
	for (size_t i = 0; i < pt->n; i++) {
		const struct cbd_usb_connector *c = &pt->conn[i];

		if (pt->outcome[i].result == CBD_PORT_SKIPPED)
			cbd_result_add_finding(
				out, "usb.port_not_tested", CBD_SEVERITY_INFO, false,
				N_("Run the port test again and plug the stick into this port"),
				N_("The %s was not tested: %s"), c->label,
				pt->declined   ? N_("the port test was skipped")
				: pt->error[0] ? N_("the test stopped before it")
					       : N_("you skipped it"));
		else if (pt->outcome[i].result == CBD_PORT_IN_USE)
			cbd_result_add_finding(out, "usb.port_not_tested", CBD_SEVERITY_INFO, false,
					       N_("Unplug what is in it and run the port test again, "
					       "unless it is this repair stick"),
					       N_("The %s was not tested: something was plugged into it"),
					       c->label);
	}
	if (pt->error[0]) {
		cbd_json_add_str(t, "result", failed ? "fail" : "skip");
		cbd_json_add_str(t, "reason", pt->error);
	} else if (pt->n == 0) {
		cbd_json_add_str(t, "result", "skip");
		cbd_json_add_str(t, "reason", N_("no external USB ports found"));
	} else {
		cbd_json_add_str(t, "result", failed ? "fail" : passed ? "pass" : "skip");
		cbd_json_add_str(t, "reason",
				 failed || passed ? NULL
				 : pt->declined   ? N_("the intern skipped the port test")
						  : N_("no port was tested (skipped or in use)"));
	}
}

void
cbd_usb_judge(const struct cbd_usb_raw *raw, bool laptop, const char *board,
	      const struct cbd_usb_port_test *pt, struct cbd_result *out)
{
	struct cbd_json *devs, *ports;
	size_t external = 0, used_ports = 0;
	struct names nm = {0};

	if (raw->list_err < 0 || (raw->n_dev == 0 && raw->n_port == 0)) {
		cbd_json_add_array(out->data, "devices");
		cbd_json_add_array(out->data, "ports");
		judge_typec(raw, out);
		cbd_json_add_null(out->data, "port_test");
		if (laptop) {
			/* every Chromebook has an xHCI controller: a dead one, or a repair
			 * image without its driver */
			cbd_result_add_finding(out, "usb.no_controller", CBD_SEVERITY_WARN, false,
					       N_("Tell staff: the USB ports could not be checked"),
					       N_("No USB controller found%s%s"),
					       raw->list_err < 0 ? ": " : "",
					       raw->list_err < 0 ? strerror(-raw->list_err) : "");
			cbd_result_set(out, CBD_STATUS_WARN, "%s", out->findings[0].message);
		} else {
			cbd_result_set(out, CBD_STATUS_SKIP, N_("No USB controller found"));
		}
		return;
	}
	/* the port test's names when it ran, the same names when it did not */
	if (pt && pt->conn) {
		nm.conn = pt->conn;
		nm.n = pt->n;
	} else {
		nm.n = cbd_usb_connectors(raw, board, &nm.conn);
	}
	devs = cbd_json_add_array(out->data, "devices");
	for (size_t i = 0; i < raw->n_dev; i++) {
		const struct cbd_usb_dev_raw *d = &raw->dev[i];
		const struct cbd_usb_port_raw *rp = find_port(raw, d->root_port);
		struct cbd_json *o = cbd_json_add_object(devs, NULL);
		bool internal = streq(d->removable, "fixed") ||
				(rp && streq(rp->connect_type, "hardwired"));
		char id[8];

		cbd_json_add_int(o, "bus", d->hw.bus);
		cbd_json_add_str(o, "port_path", d->name);
		cbd_json_add_int(o, "address", d->hw.address);
		if (d->hw.desc_ok) {
			snprintf(id, sizeof(id), "%04x", d->hw.vid);
			cbd_json_add_str(o, "vendor_id", id);
			snprintf(id, sizeof(id), "%04x", d->hw.pid);
			cbd_json_add_str(o, "product_id", id);
			cbd_json_add_int(o, "class", d->hw.dev_class);
		} else {
			cbd_json_add_null(o, "vendor_id");
			cbd_json_add_null(o, "product_id");
			cbd_json_add_null(o, "class");
		}
		/* the device's own strings first, then the hwdb's names */
		cbd_json_add_str(o, "vendor", nonempty(d->manufacturer) ? d->manufacturer
									: nonempty(d->hwdb_vendor));
		cbd_json_add_str(o, "product", nonempty(d->product) ? d->product
								  : nonempty(d->hwdb_model));
		if (d->hw.speed_kbps > 0)
			cbd_json_add_double(o, "speed_mbps", cbd_usb_speed_mbps(d->hw.speed_kbps));
		else
			cbd_json_add_null(o, "speed_mbps");
		cbd_json_add_bool(o, "internal", internal);
		cbd_json_add_str(o, "root_port", d->root_port);
		external += !internal;
		if (!internal && superspeed_device_slow(raw, d, rp)) {
			char place[96];

			/* its own name when it has one; its port path stays in devices[] */
			place_of(&nm, d->root_port, place, sizeof(place));
			cbd_result_add_finding(
				out, "usb.superspeed_device_slow", CBD_SEVERITY_INFO, false,
				N_("Run the port test with a good USB 3 stick: the port or this "
				"device's cable may be damaged"),
				N_("%s%s%s runs slowly in %s"),
				nonempty(d->product) ? N_("The fast USB device \"") : N_("A fast USB device"),
				nonempty(d->product) ? d->product : "",
				nonempty(d->product) ? "\"" : "", place);
		}
	}

	ports = cbd_json_add_array(out->data, "ports");
	for (size_t i = 0; i < raw->n_port; i++) {
		const struct cbd_usb_port_raw *p = &raw->port[i];
		struct cbd_json *o = cbd_json_add_object(ports, NULL);

		cbd_json_add_str(o, "port", p->name);
		cbd_json_add_int(o, "bus", p->bus);
		cbd_json_add_int(o, "number", p->port);
		cbd_json_add_bool(o, "superspeed", p->superspeed);
		cbd_json_add_str(o, "connect_type", nonempty(p->connect_type));
		cbd_json_add_str(o, "peer", nonempty(p->peer));
		cbd_json_add_str(o, "connector", nonempty(p->connector));
		if (p->over_current >= 0)
			cbd_json_add_int(o, "over_current_count", p->over_current);
		else
			cbd_json_add_null(o, "over_current_count");
		cbd_json_add_str(o, "device", nonempty(p->device));
		used_ports += p->device[0] != '\0';
		if (p->over_current > 0) {
			char place[96];

			place_of(&nm, p->name, place, sizeof(place));
			cbd_result_add_finding(out, "usb.over_current", CBD_SEVERITY_WARN, false,
					       N_("Check the port for damage or debris and test it with a "
					       "known-good device; a shorted device or cable also "
					       "causes this"),
					       N_("Power to %s was cut to protect it (%lld time%s)"),
					       place, p->over_current,
					       p->over_current == 1 ? "" : "s");
		}
	}
	if (!raw->hwdb)
		cbd_json_add_str(out->data, "names_note",
				 raw->usb_ids ? "no udev hwdb on this system: names from the devices' "
						"own strings, else usb.ids"
					      : "no udev hwdb on this system: names only from the "
						"devices' own strings");

	judge_typec(raw, out);
	judge_kmsg(raw, &nm, out);
	if (pt)
		judge_port_test(pt, out);
	else
		cbd_json_add_null(out->data, "port_test");
	{
		enum cbd_status st = cbd_result_worst_finding(out);

		if (out->n_findings && st != CBD_STATUS_PASS)
			cbd_result_set(out, st, "%s", cbd_result_most_severe(out)->message);
		else
			cbd_result_set(out, CBD_STATUS_PASS,
				       N_("%zu USB device%s (%zu external), %zu port%s (%zu in use)"),
				       raw->n_dev, raw->n_dev == 1 ? "" : "s", external, raw->n_port,
				       raw->n_port == 1 ? "" : "s", used_ports);
	}
	if (nm.conn != (pt ? pt->conn : NULL))
		free(nm.conn);
}
