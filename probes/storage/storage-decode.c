/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Pure decoders: disk classification, eMMC strings, the NVMe SMART log. */
#include "storage.h"

#include <ctype.h>
#include <stdlib.h>

const char *
cbd_disk_type_to_string(enum cbd_disk_type t)
{
	static const char *const names[] = {
		[CBD_DISK_EMMC] = "emmc", [CBD_DISK_SD] = "sd",   [CBD_DISK_NVME] = "nvme",
		[CBD_DISK_SATA] = "sata", [CBD_DISK_UFS] = "ufs", [CBD_DISK_USB] = "usb",
		[CBD_DISK_OTHER] = "other",
	};
	return t <= CBD_DISK_OTHER ? names[t] : "other";
}

static bool
starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool
cbd_storage_skip_name(const char *name)
{
	static const char *const prefixes[] = {"loop", "ram", "zram", "dm-", "md", "sr",
					       "nbd",  "fd",  "ublkb", "zd"};

	for (size_t i = 0; i < CBD_ARRAY_SIZE(prefixes); i++)
		if (starts(name, prefixes[i]))
			return true;
	/* eMMC hardware partitions: never the user area */
	if (starts(name, "mmcblk") && (strstr(name, "boot") || strstr(name, "rpmb") ||
				       strstr(name, "gp")))
		return true;
	return false;
}

enum cbd_disk_type
cbd_storage_classify(const char *name, const char *syspath, const char *mmc_type)
{
	if (starts(name, "mmcblk"))
		return streq(mmc_type, "MMC") ? CBD_DISK_EMMC
		       : (streq(mmc_type, "SD") || streq(mmc_type, "SDcombo")) ? CBD_DISK_SD
										: CBD_DISK_OTHER;
	if (starts(name, "nvme"))
		return CBD_DISK_NVME;
	if (starts(name, "sd")) {
		if (strstr(syspath, "/usb"))
			return CBD_DISK_USB;
		if (strstr(syspath, "ufs") || strstr(syspath, "/host_ufs"))
			return CBD_DISK_UFS;
		if (strstr(syspath, "/ata"))
			return CBD_DISK_SATA;
	}
	return CBD_DISK_OTHER;
}

bool
cbd_storage_is_internal(const struct cbd_disk_raw *d)
{
	return !d->removable && d->type != CBD_DISK_USB && d->type != CBD_DISK_SD;
}

int
cbd_parse_hex_byte(const char *s)
{
	char *end;
	long v;

	if (strempty(s))
		return -1;
	v = strtol(s, &end, strncmp(s, "0x", 2) == 0 || strncmp(s, "0X", 2) == 0 ? 16 : 10);
	if (end == s || *end != '\0' || v < 0 || v > 255)
		return -1;
	return (int)v;
}

void
cbd_emmc_life(const struct cbd_emmc_raw *e, int *a, int *b)
{
	char first[16] = "", second[16] = "";

	*a = *b = -1;
	if (!strempty(e->life_time) &&
	    sscanf(e->life_time, "%15s %15s", first, second) == 2) {
		*a = cbd_parse_hex_byte(first);
		*b = cbd_parse_hex_byte(second);
		return;
	}
	*a = cbd_parse_hex_byte(e->life_time_a);
	*b = cbd_parse_hex_byte(e->life_time_b);
}

const char *
cbd_emmc_manufacturer(const char *manfid)
{
	/* CID MID values (drivers/mmc/core/card.h CID_MANFID_*) */
	static const struct {
		int id;
		const char *name;
	} ids[] = {
		{0x02, "SanDisk"}, {0x45, "SanDisk"}, {0x11, "Toshiba/Kioxia"},
		{0x13, "Micron"},  {0x15, "Samsung"}, {0x27, "Apacer"},
		{0x5d, "Swissbit"}, {0x70, "Kingston"}, {0x90, "SK hynix"},
		{0xfe, "Micron (Numonyx)"}, {0x88, "Foresee"}, {0xd6, "Foresee"},
		{0x9b, "YMTC"},
	};
	char *end;
	long v;

	if (strempty(manfid))
		return NULL;
	v = strtol(manfid, &end, 16);
	if (*end != '\0')
		return NULL;
	for (size_t i = 0; i < CBD_ARRAY_SIZE(ids); i++)
		if (ids[i].id == v)
			return ids[i].name;
	return NULL;
}

static uint64_t
le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static struct cbd_u128
le128(const uint8_t *p)
{
	return (struct cbd_u128){.lo = le64(p), .hi = le64(p + 8)};
}

enum cbd_temp_state
cbd_temp_check_kelvin(long long kelvin)
{
	if (kelvin == 0)
		return CBD_TEMP_NOT_REPORTED;
	if (kelvin - 273 < CBD_TEMP_MIN_C || kelvin - 273 > CBD_TEMP_MAX_C)
		return CBD_TEMP_IMPLAUSIBLE;
	return CBD_TEMP_OK;
}

void
cbd_u128_to_dec(struct cbd_u128 v, char *buf, size_t size)
{
	/* long division by 10 over four 32-bit limbs, most significant first */
	uint32_t limb[4] = {(uint32_t)(v.hi >> 32), (uint32_t)v.hi, (uint32_t)(v.lo >> 32),
			    (uint32_t)v.lo};
	char tmp[40];
	size_t n = 0;

	do {
		uint64_t rem = 0;

		for (int i = 0; i < 4; i++) {
			uint64_t cur = (rem << 32) | limb[i];

			limb[i] = (uint32_t)(cur / 10);
			rem = cur % 10;
		}
		tmp[n++] = (char)('0' + rem);
	} while (limb[0] | limb[1] | limb[2] | limb[3]);
	if (size == 0)
		return;
	for (size_t i = 0; i < n && i < size - 1; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n < size - 1 ? n : size - 1] = '\0';
}

bool
cbd_u128_above_json(struct cbd_u128 v)
{
	return v.hi != 0 || v.lo > CBD_JSON_INT_MAX;
}

void
cbd_nvme_decode(const uint8_t log[512], struct cbd_nvme_health *h)
{
	*h = (struct cbd_nvme_health){0};
	h->critical_warning = log[0];
	h->temperature_k = (unsigned)(log[1] | (log[2] << 8));
	h->temperature_c = (int)h->temperature_k - 273;
	h->temperature_state = cbd_temp_check_kelvin(h->temperature_k);
	h->available_spare = log[3];
	h->available_spare_threshold = log[4];
	h->percentage_used = log[5];
	h->data_units_read = le128(log + 32);
	h->data_units_written = le128(log + 48);
	h->power_cycles = le128(log + 112);
	h->power_on_hours = le128(log + 128);
	h->unsafe_shutdowns = le128(log + 144);
	h->media_errors = le128(log + 160);
	h->num_err_log_entries = le128(log + 176);
}

void
cbd_nvme_warning_names(uint8_t w, char *buf, size_t size)
{
	static const char *const bits[] = {
		"spare space below threshold",
		"temperature out of range",
		"reliability degraded by media errors",
		"media set read-only",
		"volatile memory backup failed",
		"persistent memory region read-only",
	};
	size_t used = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < 8; i++) {
		const char *name = i < CBD_ARRAY_SIZE(bits) ? bits[i] : "reserved bit";

		if (!(w & (1u << i)))
			continue;
		used += (size_t)snprintf(buf + used, used < size ? size - used : 0, "%s%s",
					 used ? ", " : "", name);
	}
}
