/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Reading half of the usb probe: libusb and sysfs through probes/hw. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "usb.h"

#define USB_DEVICES "/sys/bus/usb/devices"

void
cbd_usb_sysfs_name(unsigned bus, const uint8_t *ports, int n, char *buf, size_t size)
{
	size_t used;

	if (n <= 0) {
		snprintf(buf, size, "usb%u", bus);
		return;
	}
	used = (size_t)snprintf(buf, size, "%u-%u", bus, ports[0]);
	for (int i = 1; i < n && used < size; i++)
		used += (size_t)snprintf(buf + used, size - used, ".%u", ports[i]);
}

static void
read_ports(struct cbd_usb_raw *r, unsigned bus)
{
	char hub[96], root[64], speed[32] = "";
	char **names = NULL;
	size_t n = 0;
	char prefix[32];

	snprintf(root, sizeof(root), USB_DEVICES "/usb%u", bus);
	cbd_hw_read_str_at(root, "speed", speed, sizeof(speed));
	/* the root hub's interface holds its port devices: usb1/1-0:1.0/usb1-port1 */
	snprintf(hub, sizeof(hub), "%s/%u-0:1.0", root, bus);
	if (cbd_hw_list_dir(hub, &names, &n) < 0)
		return;
	snprintf(prefix, sizeof(prefix), "usb%u-port", bus);
	for (size_t i = 0; i < n; i++) {
		struct cbd_usb_port_raw *p;
		_cleanup_free_ char *dir = NULL, *link = NULL;
		char child[32];
		long long v;

		if (strncmp(names[i], prefix, strlen(prefix)) != 0)
			continue;
		r->port = cbd_realloc_array(r->port, r->n_port + 1, sizeof(*r->port));
		p = &r->port[r->n_port++];
		*p = (struct cbd_usb_port_raw){.bus = (int)bus, .over_current = -1};
		snprintf(p->name, sizeof(p->name), "%s", names[i]);
		p->port = atoi(names[i] + strlen(prefix));
		p->superspeed = atof(speed) >= 5000;
		dir = cbd_strdupf("%s/%s", hub, names[i]);
		cbd_hw_read_str_at(dir, "connect_type", p->connect_type, sizeof(p->connect_type));
		{
			_cleanup_free_ char *loc = cbd_strdupf("%s/physical_location", dir);

			cbd_hw_read_str_at(loc, "panel", p->panel, sizeof(p->panel));
			cbd_hw_read_str_at(loc, "vertical_position", p->vpos, sizeof(p->vpos));
			cbd_hw_read_str_at(loc, "horizontal_position", p->hpos, sizeof(p->hpos));
			cbd_hw_read_str_at(loc, "dock", p->dock, sizeof(p->dock));
			cbd_hw_read_str_at(loc, "lid", p->lid, sizeof(p->lid));
		}
		if (cbd_hw_read_ll_at(dir, "over_current_count", &v) >= 0)
			p->over_current = v;
		link = cbd_strdupf("%s/peer", dir);
		if (cbd_hw_readlink_basename(link, p->peer, sizeof(p->peer)) < 0)
			p->peer[0] = '\0';
		free(link);
		link = cbd_strdupf("%s/connector", dir);
		if (cbd_hw_readlink_basename(link, p->connector, sizeof(p->connector)) < 0)
			p->connector[0] = '\0';
		snprintf(child, sizeof(child), "%u-%d", bus, p->port);
		{
			_cleanup_free_ char *cdir = cbd_strdupf(USB_DEVICES "/%s", child);
			char busnum[16];

			if (cbd_hw_read_text_at(cdir, "busnum", busnum, sizeof(busnum)) >= 0)
				snprintf(p->device, sizeof(p->device), "%s", child);
		}
	}
	cbd_hw_strv_free(names);
}

/* The syspath of the typec device called @name in @l, or NULL. */
static const char *
typec_path(const struct cbd_hw_udev_list *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (streq(l->devs[i].sysname, name))
			return l->devs[i].syspath;
	return NULL;
}

/* The Type-C connector class, through udev's enumeration of subsystem typec
 * (/sys/class/typec on a real kernel): ports, and their partner and cable. */
static void
read_typec(struct cbd_usb_raw *r)
{
	struct cbd_hw_udev_list l = {0};

	if (cbd_hw_udev_enumerate("typec", NULL, NULL, &l) < 0)
		return; /* no Type-C class: no ports, or no driver for them */
	for (size_t i = 0; i < l.n; i++) {
		const char *name = l.devs[i].sysname, *dir = l.devs[i].syspath;
		_cleanup_free_ char *pn = NULL, *cn = NULL;
		struct cbd_usb_typec_raw *t;
		const char *partner, *cable;

		/* port devices are "portN"; partners, cables and plugs have a dash */
		if (!name || strncmp(name, "port", 4) != 0 || strchr(name, '-'))
			continue;
		r->typec = cbd_realloc_array(r->typec, r->n_typec + 1, sizeof(*r->typec));
		t = &r->typec[r->n_typec++];
		*t = (struct cbd_usb_typec_raw){0};
		snprintf(t->name, sizeof(t->name), "%s", name);
		{
			_cleanup_free_ char *loc = cbd_strdupf("%s/physical_location", dir);

			cbd_hw_read_str_at(loc, "panel", t->panel, sizeof(t->panel));
		}
		cbd_hw_read_str_at(dir, "data_role", t->data_role, sizeof(t->data_role));
		cbd_hw_read_str_at(dir, "power_role", t->power_role, sizeof(t->power_role));
		cbd_hw_read_str_at(dir, "power_operation_mode", t->power_mode,
		                   sizeof(t->power_mode));
		cbd_hw_read_str_at(dir, "usb_power_delivery_revision", t->pd_revision,
		                   sizeof(t->pd_revision));
		cbd_hw_read_str_at(dir, "orientation", t->orientation, sizeof(t->orientation));
		pn = cbd_strdupf("%s-partner", name);
		partner = typec_path(&l, pn);
		if (partner) {
			t->partner = true;
			cbd_hw_read_str_at(partner, "supports_usb_power_delivery", t->partner_pd,
			                   sizeof(t->partner_pd));
			cbd_hw_read_str_at(partner, "accessory_mode", t->partner_accessory,
			                   sizeof(t->partner_accessory));
		}
		/* the EC numbers its chargers as its Type-C ports */
		{
			_cleanup_free_ char *ps =
			    cbd_strdupf("/sys/class/power_supply/CROS_USBPD_CHARGER%s", name + 4);

			t->charger_online = t->charger_uv = t->charger_max_ua = -1;
			if (cbd_hw_exists(ps)) {
				t->charger = true;
				(void)cbd_hw_read_ll_at(ps, "online", &t->charger_online);
				(void)cbd_hw_read_ll_at(ps, "voltage_now", &t->charger_uv);
				(void)cbd_hw_read_ll_at(ps, "current_max", &t->charger_max_ua);
				cbd_hw_read_str_at(ps, "usb_type", t->charger_type,
				                   sizeof(t->charger_type));
			}
		}
		cn = cbd_strdupf("%s-cable", name);
		cable = typec_path(&l, cn);
		if (cable) {
			t->cable = true;
			cbd_hw_read_str_at(cable, "type", t->cable_type, sizeof(t->cable_type));
			cbd_hw_read_str_at(cable, "plug_type", t->cable_plug,
			                   sizeof(t->cable_plug));
		}
	}
	cbd_hw_udev_list_clear(&l);
	/* port0, port1, ... port10 in number order */
	for (size_t i = 1; i < r->n_typec; i++)
		for (size_t j = i;
		     j > 0 && atoi(r->typec[j - 1].name + 4) > atoi(r->typec[j].name + 4); j--) {
			struct cbd_usb_typec_raw x = r->typec[j - 1];

			r->typec[j - 1] = r->typec[j];
			r->typec[j] = x;
		}
}

void
cbd_usb_read(struct cbd_usb_raw *ret)
{
	_cleanup_free_ struct cbd_hw_usb_dev *hw = NULL;
	int n = cbd_hw_usb_list(&hw);
	bool seen_bus[256] = {false};
	struct cbd_hw_hwdb *hwdb;
	char *ids = NULL;
	size_t ids_len = 0;
	bool ids_tried = false;

	*ret = (struct cbd_usb_raw){0};
	if (n < 0) {
		ret->list_err = n;
		return;
	}
	hwdb = cbd_hw_hwdb_open();
	ret->hwdb = hwdb != NULL;
	for (int i = 0; i < n; i++) {
		struct cbd_usb_dev_raw *d;
		_cleanup_free_ char *dir = NULL;

		if (!seen_bus[hw[i].bus]) {
			seen_bus[hw[i].bus] = true;
			read_ports(ret, hw[i].bus);
		}
		if (hw[i].n_ports == 0)
			continue; /* a root hub: the controller, reported through its ports */
		ret->dev = cbd_realloc_array(ret->dev, ret->n_dev + 1, sizeof(*ret->dev));
		d = &ret->dev[ret->n_dev++];
		*d = (struct cbd_usb_dev_raw){.hw = hw[i]};
		cbd_usb_sysfs_name(hw[i].bus, hw[i].ports, hw[i].n_ports, d->name, sizeof(d->name));
		snprintf(d->root_port, sizeof(d->root_port), "usb%u-port%u", hw[i].bus,
		         hw[i].ports[0]);
		dir = cbd_strdupf(USB_DEVICES "/%s", d->name);
		cbd_hw_read_str_at(dir, "manufacturer", d->manufacturer, sizeof(d->manufacturer));
		cbd_hw_read_str_at(dir, "product", d->product, sizeof(d->product));
		cbd_hw_read_str_at(dir, "removable", d->removable, sizeof(d->removable));
		if (hw[i].desc_ok && hwdb)
			cbd_hw_usb_hwdb_names(hwdb, hw[i].vid, hw[i].pid, d->hwdb_vendor,
			                      sizeof(d->hwdb_vendor), d->hwdb_model,
			                      sizeof(d->hwdb_model));
		/* no hwdb: usb.ids, read once, for devices without strings */
		if (hw[i].desc_ok && !hwdb && (!d->manufacturer[0] || !d->product[0])) {
			if (!ids_tried) {
				ids_tried = true;
				ret->usb_ids = cbd_hw_usb_ids_load(&ids, &ids_len) == 0;
			}
			if (ids)
				cbd_usb_ids_lookup(ids, ids_len, hw[i].vid, hw[i].pid,
				                   d->hwdb_vendor, sizeof(d->hwdb_vendor),
				                   d->hwdb_model, sizeof(d->hwdb_model));
		}
	}
	cbd_hw_hwdb_close(hwdb);
	free(ids);
	/* ports by bus and number */
	for (size_t i = 1; i < ret->n_port; i++)
		for (size_t j = i; j > 0; j--) {
			struct cbd_usb_port_raw *a = &ret->port[j - 1], *b = &ret->port[j];

			if (a->bus < b->bus || (a->bus == b->bus && a->port <= b->port))
				break;
			struct cbd_usb_port_raw t = *a;
			*a = *b;
			*b = t;
		}
	/* libusb lists devices in no particular order: sort by bus, then port path */
	for (size_t i = 1; i < ret->n_dev; i++)
		for (size_t j = i; j > 0; j--) {
			struct cbd_usb_dev_raw *a = &ret->dev[j - 1], *b = &ret->dev[j];
			int c = a->hw.bus != b->hw.bus
			            ? a->hw.bus - b->hw.bus
			            : memcmp(a->hw.ports, b->hw.ports, sizeof(a->hw.ports));

			if (c <= 0)
				break;
			struct cbd_usb_dev_raw t = *a;
			*a = *b;
			*b = t;
		}
	read_typec(ret);
	ret->kmsg_err = cbd_hw_kmsg_read("usb ", &ret->kmsg, &ret->n_kmsg);
}

void
cbd_usb_raw_clear(struct cbd_usb_raw *r)
{
	free(r->dev);
	free(r->port);
	free(r->typec);
	cbd_hw_kmsg_free(r->kmsg, r->n_kmsg);
	*r = (struct cbd_usb_raw){0};
}
