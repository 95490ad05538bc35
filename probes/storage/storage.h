/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The storage probe: whole disks from /sys/block (storage-read.c, through
 * probes/hw), eMMC/UFS health strings and the NVMe SMART log decoded by pure
 * code (storage-decode.c), verdicts in storage-judge.c, and the read-only
 * surface scan in readtest.c. Nothing here ever writes to a device.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "hw.h"
#include "probe.h"

enum cbd_disk_type {
	CBD_DISK_EMMC,
	CBD_DISK_SD,
	CBD_DISK_NVME,
	CBD_DISK_SATA,
	CBD_DISK_UFS,
	CBD_DISK_USB,
	CBD_DISK_OTHER,
};

const char *cbd_disk_type_to_string(enum cbd_disk_type t);

#define CBD_DISK_STR 128

struct cbd_emmc_raw {
	char type[16];         /* device/type: MMC, SD, SDIO */
	char life_time[32];    /* "0x01 0x02", or the pair below on older kernels */
	char life_time_a[16];  /* life_time_est_typ_a */
	char life_time_b[16];  /* life_time_est_typ_b */
	char pre_eol_info[16]; /* "0x01" */
	char rev[16];          /* EXT_CSD_REV "0x8" */
	char manfid[16];       /* "0x000015" */
	char date[16];         /* "03/2021" */
};

struct cbd_read_test; /* readtest.h */

struct cbd_disk_raw {
	char name[32];     /* mmcblk0, nvme0n1, sda */
	char syspath[512]; /* the resolved /sys/devices path */
	enum cbd_disk_type type;
	bool removable;
	char model[CBD_DISK_STR];
	char serial[CBD_DISK_STR];
	char firmware[CBD_DISK_STR];
	uint64_t size_bytes;
	unsigned logical_block;

	struct cbd_emmc_raw emmc; /* eMMC and SD */

	char nvme_ctrl[32]; /* nvme0 */
	int nvme_log_err;   /* 0 when nvme_log holds the log, else -errno */
	bool as_root;       /* the reads were made as root (for the right message) */
	uint8_t nvme_log[512];

	bool has_ufs_health;
	char ufs_eol[16], ufs_life_a[16], ufs_life_b[16];

	bool ata_read;   /* SATA: SMART was asked for */
	int ata_err;     /* 0, or -errno (-ENOTSUP: the disk has no SMART) */
	struct cbd_hw_ata_smart ata;
};

/* ---- pure: classification and decoders ---------------------------------- */

/** True for /sys/block names that are never disks to check: loop, ram, zram,
 * dm-, md, sr, nbd, fd, eMMC boot and RPMB areas. */
bool cbd_storage_skip_name(const char *name);

/** The disk type from its name, resolved sysfs path and (mmc) device/type. */
enum cbd_disk_type cbd_storage_classify(const char *name, const char *syspath,
					const char *mmc_type);

/** Internal: not removable media, not USB, not an SD card. */
bool cbd_storage_is_internal(const struct cbd_disk_raw *d);

/** Parse "0x0b" / "0x0B" / "11"; -1 when empty or malformed. */
int cbd_parse_hex_byte(const char *s);

/** eMMC life time "0x01 0x02" (or the _a/_b pair) into *@a and *@b (-1 unknown). */
void cbd_emmc_life(const struct cbd_emmc_raw *e, int *a, int *b);

/** The manufacturer of CID MID @manfid ("0x000015" -> "Samsung"), or NULL. */
const char *cbd_emmc_manufacturer(const char *manfid);

/* A 128-bit NVMe counter, exact. */
struct cbd_u128 {
	uint64_t lo, hi;
};

/* The largest integer every JSON reader holds exactly (a double's 53 bits):
 * counters above it are written saturated to it, and exactly as a string. */
#define CBD_JSON_INT_MAX 9007199254740991ull

enum cbd_temp_state {
	CBD_TEMP_OK,
	CBD_TEMP_NOT_REPORTED, /* 0 K: the field is not implemented */
	CBD_TEMP_IMPLAUSIBLE,  /* outside CBD_TEMP_MIN_C..CBD_TEMP_MAX_C */
};
/* What a working disk can report; beyond is a broken sensor, not a judgement. */
#define CBD_TEMP_MIN_C (-40)
#define CBD_TEMP_MAX_C 150

/* The state of a temperature of @kelvin (0: not reported). */
enum cbd_temp_state cbd_temp_check_kelvin(long long kelvin);

struct cbd_nvme_health {
	uint8_t critical_warning;
	unsigned temperature_k; /* composite temperature as reported, Kelvin */
	int temperature_c;      /* temperature_k - 273, meaningful when CBD_TEMP_OK */
	enum cbd_temp_state temperature_state;
	uint8_t available_spare;
	uint8_t available_spare_threshold;
	uint8_t percentage_used;
	/* the 128-bit counters, whole */
	struct cbd_u128 data_units_read, data_units_written, power_on_hours, unsafe_shutdowns,
		media_errors, power_cycles, num_err_log_entries;
};

/** Decode the 512-byte SMART / Health log page (little-endian). */
void cbd_nvme_decode(const uint8_t log[512], struct cbd_nvme_health *h);

/** @v in decimal (at most 39 digits) into @buf (>= 40 bytes). */
void cbd_u128_to_dec(struct cbd_u128 v, char *buf, size_t size);
/** True if @v is above CBD_JSON_INT_MAX. */
bool cbd_u128_above_json(struct cbd_u128 v);

/** The names of the critical_warning bits set in @w, ", "-joined, into @buf. */
void cbd_nvme_warning_names(uint8_t w, char *buf, size_t size);

/* ---- gathering --------------------------------------------------------- */

/** Every whole disk under /sys/block, sorted; *@ret owned by the caller. */
int cbd_storage_read_all(struct cbd_disk_raw **ret);

/* ---- judging ----------------------------------------------------------- */

/**
 * Judge @n disks (with their read tests, @tests[i] or NULL) into @out: data,
 * findings, status and summary. Pure.
 */
void cbd_storage_judge(const struct cbd_disk_raw *d, const struct cbd_read_test *const *tests,
		       size_t n, const struct cbd_thresholds *t, struct cbd_result *out);
