/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Gathering half of the wireless probe: reads through probes/hw only. */
#include "wireless.h"

#include <errno.h>

#include "hw.h"

#define NET "/sys/class/net"
#define BT "/sys/class/bluetooth"
#define RFKILL "/sys/class/rfkill"
#define PCI "/sys/bus/pci/devices"
#define SDIO "/sys/bus/sdio/devices"
#define USB "/sys/bus/usb/devices"
#define PLATFORM "/sys/bus/platform/devices"

/* The basename of the link @dir/@name, or "" */
static void
link_name(const char *dir, const char *name, char *buf, size_t size)
{
	_cleanup_free_ char *path = cbd_strdupf("%s/%s", dir, name);

	if (cbd_hw_readlink_basename(path, buf, size) < 0)
		buf[0] = '\0';
}

/* "0x8086" → "8086" */
static void
hex_id(const char *dir, const char *name, char *buf, size_t size)
{
	char v[16] = "";

	cbd_hw_read_str_at(dir, name, v, sizeof(v));
	snprintf(buf, size, "%s", strncmp(v, "0x", 2) == 0 ? v + 2 : v);
}

static void
read_net(struct cbd_wireless_raw *raw)
{
	char **names = NULL;

	if (cbd_hw_list_dir(NET, &names, NULL) < 0)
		return;
	for (size_t i = 0; names[i] && raw->n_wifi < CBD_WL_MAX; i++) {
		_cleanup_free_ char *dir = cbd_strdupf(NET "/%s", names[i]);
		_cleanup_free_ char *phy = cbd_strdupf("%s/phy80211", dir);
		struct cbd_wifi_if_raw *w;

		if (!cbd_hw_exists(phy))
			continue;
		w = &raw->wifi[raw->n_wifi++];
		snprintf(w->ifname, sizeof(w->ifname), "%s", names[i]);
		link_name(dir, "phy80211", w->phy, sizeof(w->phy));
		link_name(dir, "device/driver", w->driver, sizeof(w->driver));
		link_name(dir, "device/subsystem", w->bus, sizeof(w->bus));
		cbd_hw_read_str_at(dir, "operstate", w->operstate, sizeof(w->operstate));
	}
	cbd_hw_strv_free(names);
}

static void
read_bt(struct cbd_wireless_raw *raw)
{
	char **names = NULL;

	if (cbd_hw_list_dir(BT, &names, NULL) < 0)
		return;
	for (size_t i = 0; names[i] && raw->n_bt < CBD_WL_MAX; i++) {
		_cleanup_free_ char *dir = cbd_strdupf(BT "/%s", names[i]);
		struct cbd_bt_raw *b;

		if (strncmp(names[i], "hci", 3) != 0 || strchr(names[i], ':'))
			continue; /* hci0:12 are connections, not controllers */
		b = &raw->bt[raw->n_bt++];
		snprintf(b->name, sizeof(b->name), "%s", names[i]);
		link_name(dir, "device/driver", b->driver, sizeof(b->driver));
		link_name(dir, "device/subsystem", b->bus, sizeof(b->bus));
	}
	cbd_hw_strv_free(names);
}

static void
read_rfkill(struct cbd_wireless_raw *raw)
{
	char **names = NULL;

	if (cbd_hw_list_dir(RFKILL, &names, NULL) < 0)
		return;
	for (size_t i = 0; names[i] && raw->n_rfkill < CBD_WL_MAX; i++) {
		_cleanup_free_ char *dir = cbd_strdupf(RFKILL "/%s", names[i]);
		struct cbd_rfkill_raw *k = &raw->rfkill[raw->n_rfkill];
		long long v;

		/* a switch whose type cannot be read (its radio moved to another
		 * network namespace, or went away while listing) says nothing */
		*k = (struct cbd_rfkill_raw){0};
		cbd_hw_read_str_at(dir, "type", k->type, sizeof(k->type));
		if (!k->type[0])
			continue;
		raw->n_rfkill++;
		cbd_hw_read_str_at(dir, "name", k->name, sizeof(k->name));
		k->soft = cbd_hw_read_ll_at(dir, "soft", &v) == 0 ? (int)(v != 0) : -1;
		k->hard = cbd_hw_read_ll_at(dir, "hard", &v) == 0 ? (int)(v != 0) : -1;
	}
	cbd_hw_strv_free(names);
}

static struct cbd_radio_hw_raw *
add_hw(struct cbd_wireless_raw *raw, bool wifi, const char *bus, const char *name)
{
	struct cbd_radio_hw_raw *h;

	if (raw->n_hw >= CBD_WL_MAX)
		return NULL;
	h = &raw->hw[raw->n_hw++];
	*h = (struct cbd_radio_hw_raw){.wifi = wifi};
	snprintf(h->where, sizeof(h->where), "%s %s", bus, name);
	return h;
}

/* The functions of bus directory @top whose "class" starts with @cls: Wi-Fi cards. */
static void
read_wifi_functions(struct cbd_wireless_raw *raw, const char *top, const char *bus,
		    const char *cls_prefix)
{
	char **names = NULL;

	if (cbd_hw_list_dir(top, &names, NULL) < 0)
		return;
	for (size_t i = 0; names[i]; i++) {
		_cleanup_free_ char *dir = cbd_strdupf("%s/%s", top, names[i]);
		char cls[16] = "", v[16], d[16];
		struct cbd_radio_hw_raw *h;

		cbd_hw_read_str_at(dir, "class", cls, sizeof(cls));
		if (strncmp(cls, cls_prefix, strlen(cls_prefix)) != 0 ||
		    !(h = add_hw(raw, true, bus, names[i])))
			continue;
		hex_id(dir, "vendor", v, sizeof(v));
		hex_id(dir, "device", d, sizeof(d));
		snprintf(h->id, sizeof(h->id), "%s:%s", v, d);
		link_name(dir, "driver", h->driver, sizeof(h->driver));
	}
	cbd_hw_strv_free(names);
}

static void
read_bus_hw(struct cbd_wireless_raw *raw)
{
	char **names = NULL;

	/* PCI network controllers of class 0x0280 ("other"): Wi-Fi cards; SDIO
	 * functions of class 0x07 (WLAN): MediaTek and Marvell boards */
	read_wifi_functions(raw, PCI, "pci", "0x0280");
	read_wifi_functions(raw, SDIO, "sdio", "0x07");
	/* USB interfaces of class e0/01/01: Bluetooth controllers */
	if (cbd_hw_list_dir(USB, &names, NULL) == 0) {
		for (size_t i = 0; names[i]; i++) {
			_cleanup_free_ char *dir = cbd_strdupf(USB "/%s", names[i]);
			_cleanup_free_ char *parent = NULL;
			char c[8] = "", s[8] = "", p[8] = "", v[16] = "", d[16] = "";
			const char *colon = strchr(names[i], ':');
			struct cbd_radio_hw_raw *h;

			if (!colon)
				continue;
			cbd_hw_read_str_at(dir, "bInterfaceClass", c, sizeof(c));
			cbd_hw_read_str_at(dir, "bInterfaceSubClass", s, sizeof(s));
			cbd_hw_read_str_at(dir, "bInterfaceProtocol", p, sizeof(p));
			if (!streq(c, "e0") || !streq(s, "01") || !streq(p, "01") ||
			    !(h = add_hw(raw, false, "usb", names[i])))
				continue;
			parent = cbd_strdupf(USB "/%.*s", (int)(colon - names[i]), names[i]);
			cbd_hw_read_str_at(parent, "idVendor", v, sizeof(v));
			cbd_hw_read_str_at(parent, "idProduct", d, sizeof(d));
			snprintf(h->id, sizeof(h->id), "%s:%s", v, d);
			link_name(dir, "driver", h->driver, sizeof(h->driver));
		}
		cbd_hw_strv_free(names);
		names = NULL;
	}
	/* an SoC's own Wi-Fi (Qualcomm WCN3990 on trogdor and strongbad): a
	 * device-tree node whose compatible ends in "-wifi", made a platform
	 * device whether or not a driver takes it */
	if (cbd_hw_exists("/sys/firmware/devicetree") &&
	    cbd_hw_list_dir(PLATFORM, &names, NULL) == 0) {
		for (size_t i = 0; names[i]; i++) {
			_cleanup_free_ char *path =
			    cbd_strdupf(PLATFORM "/%s/of_node/compatible", names[i]);
			_cleanup_free_ char *dir = cbd_strdupf(PLATFORM "/%s", names[i]);
			char compat[256];
			int n = cbd_hw_read_bytes(path, compat, sizeof(compat) - 1);
			bool wifi = false;
			struct cbd_radio_hw_raw *h;

			if (n <= 0)
				continue;
			compat[n] = '\0';
			for (int off = 0; off < n; off += (int)strlen(compat + off) + 1) {
				size_t l = strlen(compat + off);

				if (l >= 5 && streq(compat + off + l - 5, "-wifi"))
					wifi = true;
			}
			if (!wifi || !(h = add_hw(raw, true, "dt", names[i])))
				continue;
			link_name(dir, "driver", h->driver, sizeof(h->driver));
		}
		cbd_hw_strv_free(names);
	}
}

static void
read_firmware_failures(struct cbd_wireless_raw *raw)
{
	struct cbd_hw_kmsg_rec *recs = NULL;
	size_t n = 0;

	raw->kmsg_err = cbd_hw_kmsg_read("", &recs, &n);
	if (raw->kmsg_err < 0)
		return;
	raw->fw_failures = cbd_realloc_array(NULL, 9, sizeof(char *));
	for (size_t i = 0; i < n; i++) {
		if (!cbd_kmsg_is_firmware_failure(recs[i].msg))
			continue;
		if (raw->n_fw_failures == 8) { /* the newest eight are enough to tell */
			free(raw->fw_failures[0]);
			memmove(raw->fw_failures, raw->fw_failures + 1, 7 * sizeof(char *));
			raw->n_fw_failures--;
		}
		raw->fw_failures[raw->n_fw_failures++] = cbd_strdup(recs[i].msg);
	}
	cbd_hw_kmsg_free(recs, n);
}

/* Scan on each Wi-Fi interface whose radio no switch blocks (a blocked one
 * cannot be brought up, and says so as -ERFKILL). */
static void
scan_all(struct cbd_wireless_raw *raw, unsigned scan_ms)
{
	for (size_t i = 0; i < raw->n_wifi; i++) {
		struct cbd_wifi_if_raw *w = &raw->wifi[i];

		w->scan_err = -ENOSYS;
		if (scan_ms == 0)
			continue;
		for (size_t k = 0; k < raw->n_rfkill; k++)
			if (streq(raw->rfkill[k].name, w->phy) && raw->rfkill[k].hard == 1)
				w->scan_err = -ERFKILL;
		if (w->scan_err == -ENOSYS)
			w->scan_err = cbd_hw_wifi_scan(w->ifname, scan_ms, &w->scan);
	}
}

void
cbd_wireless_read(struct cbd_wireless_raw *raw, unsigned scan_ms)
{
	*raw = (struct cbd_wireless_raw){0};
	read_net(raw);
	read_bt(raw);
	read_rfkill(raw);
	read_bus_hw(raw);
	read_firmware_failures(raw);
	scan_all(raw, scan_ms);
}

void
cbd_wireless_raw_clear(struct cbd_wireless_raw *raw)
{
	for (size_t i = 0; i < raw->n_fw_failures; i++)
		free(raw->fw_failures[i]);
	free(raw->fw_failures);
	*raw = (struct cbd_wireless_raw){0};
}
