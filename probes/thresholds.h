/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Every verdict threshold in one table (defaults in docs/configuration.md), overridable by name
 * from the [thresholds] section of the config.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

enum cbd_threshold_id {
	CBD_T_BATTERY_HEALTH_WARN,
	CBD_T_BATTERY_HEALTH_FAIL,
	CBD_T_BATTERY_CYCLES_WARN,
	CBD_T_BATTERY_CYCLES_FAIL,
	CBD_T_BATTERY_SAMPLE_SECONDS,
	CBD_T_BATTERY_DRAIN_WARN,
	CBD_T_BATTERY_CHARGER_WAIT_SECONDS,
	CBD_T_STORAGE_EMMC_LIFE_WARN,
	CBD_T_STORAGE_EMMC_LIFE_FAIL,
	CBD_T_STORAGE_EMMC_PRE_EOL_WARN,
	CBD_T_STORAGE_EMMC_PRE_EOL_FAIL,
	CBD_T_STORAGE_NVME_USED_WARN,
	CBD_T_STORAGE_NVME_USED_FAIL,
	CBD_T_STORAGE_NVME_MEDIA_ERRORS_WARN,
	CBD_T_STORAGE_QUICK_BUDGET_MS,
	CBD_T_STORAGE_SLOW_BLOCK_MS,
	CBD_T_KEYBOARD_CHATTER_MS,
	CBD_T_KEYBOARD_STUCK_SECONDS,
	CBD_T_KEYBOARD_NO_EVENT_SECONDS,
	CBD_T_USB_PORT_TIMEOUT_SECONDS,
	CBD_T_WIRELESS_SCAN_SECONDS,
	CBD_T_WIRELESS_WEAK_DBM,
	CBD_T_CAMERA_FRAMES,
	CBD_T_CAMERA_TIMEOUT_SECONDS,
	CBD_T_CAMERA_BLACK_MEAN,
	CBD_T_CAMERA_FLAT_SPREAD,
	CBD_T_LID_WAIT_SECONDS,
	CBD_T_TOUCH_WAIT_SECONDS,
	CBD_T_TOUCH_JUMP_PERCENT,
	CBD_T_AUDIO_TONE_HZ,
	CBD_T_AUDIO_TONE_SECONDS,
	CBD_T_AUDIO_VOLUME_PERCENT,
	CBD_T_AUDIO_MIC_SECONDS,
	CBD_T_AUDIO_MIC_QUIET_DBFS,
	CBD_T_AUDIO_TIMEOUT_SECONDS,
	CBD_T_N,
};

struct cbd_threshold_def {
	const char *name; /* "battery.health_warn_percent" */
	double def;
	double min;
	double max;
	bool integer;
	const char *doc;
};

extern const struct cbd_threshold_def cbd_threshold_defs[CBD_T_N];

struct cbd_thresholds {
	double v[CBD_T_N];
};

/** Fill @t with the defaults. */
void cbd_thresholds_init(struct cbd_thresholds *t);

/** The id of the threshold called @name, or -1. */
int cbd_threshold_lookup(const char *name);

/**
 * Check that related thresholds make sense together (a fail line beyond its
 * warn line). Returns 0, or -EINVAL with *@ret_err naming the first offending
 * key and why.
 */
int cbd_thresholds_check(const struct cbd_thresholds *t, char **ret_err);
