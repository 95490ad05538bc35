/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The wireless probe: is the Wi-Fi there and alive (an 802.11 interface, its
 * driver, the radio not blocked), and Bluetooth; where this image has no
 * driver for the card, the card is still found on its bus and the report
 * says it was not tested. See probes/wireless/README.md.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "hw.h"
#include "probe.h"

#define CBD_WL_MAX 16

/* A network interface with an 802.11 phy (/sys/class/net/X/phy80211). */
struct cbd_wifi_if_raw {
	char ifname[32];
	char phy[16];       /* "phy0" */
	char driver[32];    /* "iwlwifi", "ath10k_snoc", "mt7921e"; "" unknown */
	char bus[16];       /* "pci", "usb", "sdio", "platform"; "" unknown */
	char operstate[16]; /* "up", "down", "dormant" */
	/* the scan: scan_err 0 and scan.done, or why not (-ENOSYS: not asked
	 * for, -ERFKILL: blocked, else what cbd_hw_wifi_scan() returned) */
	struct cbd_hw_wifi_scan scan;
	int scan_err;
};

/* A Bluetooth controller (/sys/class/bluetooth/hciN). */
struct cbd_bt_raw {
	char name[16];
	char driver[32]; /* of its parent device: "btusb", "hci_uart_qca" */
	char bus[16];
};

/* A radio switch (/sys/class/rfkill/rfkillN). */
struct cbd_rfkill_raw {
	char name[32];  /* "phy0", "hci0" */
	char type[16];  /* "wlan", "bluetooth", "wwan" */
	int soft, hard; /* 1 blocked, 0 not, -1 unreadable */
};

/* Radio hardware seen on its bus, whether or not a driver took it: a PCI
 * network controller of class 0x0280 (Wi-Fi), an SDIO function of class
 * 0x07 (WLAN), a USB interface of class e0/01/01 (Bluetooth), a device-tree
 * node of an SoC's Wi-Fi (compatible "...-wifi"). */
struct cbd_radio_hw_raw {
	char where[48]; /* "pci 0000:01:00.0", "sdio mmc1:0001:1", "usb 1-4:1.0", "dt wifi@18800000"
	                 */
	char id[40];    /* "8086:2723" or "" */
	char driver[32]; /* bound driver, "" none */
	bool wifi;       /* Wi-Fi (else Bluetooth) */
};

struct cbd_wireless_raw {
	struct cbd_wifi_if_raw wifi[CBD_WL_MAX];
	size_t n_wifi;
	struct cbd_bt_raw bt[CBD_WL_MAX];
	size_t n_bt;
	struct cbd_rfkill_raw rfkill[CBD_WL_MAX];
	size_t n_rfkill;
	struct cbd_radio_hw_raw hw[CBD_WL_MAX];
	size_t n_hw;
	/* the kernel log's firmware failures (lines naming a firmware file that
	 * did not load), and whether the log could be read at all */
	char **fw_failures;
	size_t n_fw_failures;
	int kmsg_err;
};

/** Read everything; scan on each Wi-Fi interface for up to @scan_ms (0: no scan). */
void cbd_wireless_read(struct cbd_wireless_raw *raw, unsigned scan_ms);
void cbd_wireless_raw_clear(struct cbd_wireless_raw *raw);

/** Pure: a kernel log line that says a firmware file failed to load ("Direct
 * firmware load for X failed with error -2", "failed to load firmware"). */
bool cbd_kmsg_is_firmware_failure(const char *msg);
/** Pure: the error number of such a line ("error -2" → -2), 0 when none. */
int cbd_kmsg_firmware_error(const char *msg);

/** Pure: the verdict. @laptop: a missing Wi-Fi is a failure, else a skip.
 * @weak_dbm: a scan whose strongest network is below this is a warning. */
void cbd_wireless_judge(const struct cbd_wireless_raw *raw, bool laptop, int weak_dbm,
                        struct cbd_result *out);
