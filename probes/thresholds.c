/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "thresholds.h"

#include <errno.h>
#include <stdio.h>

#include "cbd-util.h"

const struct cbd_threshold_def cbd_threshold_defs[CBD_T_N] = {
	[CBD_T_BATTERY_HEALTH_WARN] = {"battery.health_warn_percent", 80, 0, 100, false,
				       "warn when full/design capacity is below this"},
	[CBD_T_BATTERY_HEALTH_FAIL] = {"battery.health_fail_percent", 60, 0, 100, false,
				       "fail when full/design capacity is below this"},
	[CBD_T_BATTERY_CYCLES_WARN] = {"battery.cycles_warn", 800, 0, 100000, true,
				       "warn when cycle_count is above this"},
	[CBD_T_BATTERY_CYCLES_FAIL] = {"battery.cycles_fail", 1000, 0, 100000, true,
				       "fail when cycle_count is above this"},
	[CBD_T_BATTERY_SAMPLE_SECONDS] = {"battery.sample_seconds", 60, 5, 3600, true,
					  "length of the interactive charge/discharge sampling"},
	[CBD_T_BATTERY_DRAIN_WARN] = {"battery.drain_warn_percent_per_hour", 30, 1, 1000, false,
				      "warn when the unplugged battery drains faster than this"},
	[CBD_T_BATTERY_CHARGER_WAIT_SECONDS] = {"battery.charger_wait_seconds", 30, 5, 600, true,
						"how long the charge test waits for the charger"},
	[CBD_T_STORAGE_EMMC_LIFE_WARN] = {"storage.emmc_life_warn", 9, 1, 11, true,
					  "warn when eMMC life_time A or B is at least this (0x09)"},
	[CBD_T_STORAGE_EMMC_LIFE_FAIL] = {"storage.emmc_life_fail", 11, 1, 11, true,
					  "fail when eMMC life_time A or B is at least this (0x0B)"},
	[CBD_T_STORAGE_EMMC_PRE_EOL_WARN] = {"storage.emmc_pre_eol_warn", 2, 1, 3, true,
					     "warn when eMMC pre_eol_info is at least this"},
	[CBD_T_STORAGE_EMMC_PRE_EOL_FAIL] = {"storage.emmc_pre_eol_fail", 3, 1, 3, true,
					     "fail when eMMC pre_eol_info is at least this"},
	[CBD_T_STORAGE_NVME_USED_WARN] = {"storage.nvme_used_warn_percent", 90, 0, 255, true,
					  "warn when NVMe percentage_used is at least this"},
	[CBD_T_STORAGE_NVME_USED_FAIL] = {"storage.nvme_used_fail_percent", 100, 0, 255, true,
					  "fail when NVMe percentage_used is at least this"},
	[CBD_T_STORAGE_NVME_MEDIA_ERRORS_WARN] = {"storage.nvme_media_errors_warn", 1, 1, 1e12,
						  true,
						  "warn when NVMe media_errors is at least this"},
	[CBD_T_STORAGE_QUICK_BUDGET_MS] = {"storage.quick_scan_budget_ms", 1000, 100, 600000, true,
					   "time budget of the quick read test"},
	[CBD_T_STORAGE_SLOW_BLOCK_MS] = {"storage.slow_block_ms", 500, 10, 60000, true,
					 "a read slower than this is reported as slow"},
	[CBD_T_KEYBOARD_CHATTER_MS] = {"keyboard.chatter_ms", 30, 1, 1000, true,
				       "a second press within this is chatter"},
	[CBD_T_KEYBOARD_STUCK_SECONDS] = {"keyboard.stuck_seconds", 5, 1, 600, true,
					  "a key down this long without release is stuck"},
	[CBD_T_KEYBOARD_NO_EVENT_SECONDS] = {"keyboard.no_event_seconds", 20, 1, 600, true,
					     "say so when no key event arrives within this"},
	[CBD_T_USB_PORT_TIMEOUT_SECONDS] = {"usb.port_timeout_seconds", 60, 5, 3600, true,
					    "how long the port test waits for the stick"},
	[CBD_T_WIRELESS_SCAN_SECONDS] = {"wireless.scan_seconds", 10, 0, 60, true,
					 "how long the Wi-Fi scan may take (0: no scan)"},
	[CBD_T_WIRELESS_WEAK_DBM] = {"wireless.weak_signal_dbm", -80, -100, -30, true,
				     "warn when the strongest network is weaker than this"},
	[CBD_T_CAMERA_FRAMES] = {"camera.frames", 10, 2, 100, true,
				 "frames streamed (the last is judged, after auto-exposure)"},
	[CBD_T_CAMERA_TIMEOUT_SECONDS] = {"camera.timeout_seconds", 5, 1, 60, true,
					  "how long the camera may take to stream them"},
	[CBD_T_CAMERA_BLACK_MEAN] = {"camera.black_mean", 12, 0, 255, false,
				     "a picture darker than this on average (0-255) is black"},
	[CBD_T_CAMERA_FLAT_SPREAD] = {"camera.flat_spread", 2, 0, 128, false,
				      "a picture whose brightness varies less than this is flat"},
	[CBD_T_LID_WAIT_SECONDS] = {"lid.wait_seconds", 30, 5, 600, true,
				    "how long the lid and power-button tests wait for each step"},
	[CBD_T_TOUCH_WAIT_SECONDS] = {"touch.wait_seconds", 60, 5, 600, true,
				      "how long each touchpad, touchscreen and stylus test waits"},
	[CBD_T_TOUCH_JUMP_PERCENT] = {"touch.jump_percent", 20, 2, 100, false,
				      "a move between two reports of one finger larger than this "
				      "share of the surface is a jump"},
	[CBD_T_AUDIO_TONE_HZ] = {"audio.tone_hz", 1000, 100, 8000, true,
				 "the speaker test's tone (Hz)"},
	[CBD_T_AUDIO_TONE_SECONDS] = {"audio.tone_seconds", 1.5, 0.5, 10, false,
				      "how long the tone plays on each speaker"},
	[CBD_T_AUDIO_VOLUME_PERCENT] = {"audio.volume_percent", 60, 10, 100, true,
					"the speakers' volume for the tone, as a share of the "
					"mixer's range (put back after)"},
	[CBD_T_AUDIO_MIC_SECONDS] = {"audio.mic_seconds", 3, 1, 30, false,
				     "how long the microphone listens while the intern speaks"},
	[CBD_T_AUDIO_MIC_QUIET_DBFS] = {"audio.mic_quiet_dbfs", -50, -120, 0, false,
					"the microphone heard nothing when its loudest 100 ms "
					"stayed below this (dB below full scale)"},
	[CBD_T_AUDIO_TIMEOUT_SECONDS] = {"audio.timeout_seconds", 5, 1, 60, true,
					 "how long past its length a tone or a recording may take "
					 "before it is given up"},
};

void
cbd_thresholds_init(struct cbd_thresholds *t)
{
	for (int i = 0; i < CBD_T_N; i++)
		t->v[i] = cbd_threshold_defs[i].def;
}

int
cbd_threshold_lookup(const char *name)
{
	for (int i = 0; i < CBD_T_N; i++)
		if (streq(name, cbd_threshold_defs[i].name))
			return i;
	return -1;
}

/* @lower must not be above @higher; the message names @culprit's key. */
static int
pair(const struct cbd_thresholds *t, int lower, int higher, int culprit, char **ret_err)
{
	if (t->v[lower] <= t->v[higher])
		return 0;
	*ret_err = cbd_strdupf("key '%s' in [thresholds]: %s (%g) must not be above %s (%g)",
			       cbd_threshold_defs[culprit].name, cbd_threshold_defs[lower].name,
			       t->v[lower], cbd_threshold_defs[higher].name, t->v[higher]);
	return -EINVAL;
}

int
cbd_thresholds_check(const struct cbd_thresholds *t, char **ret_err)
{
	static const int pairs[][2] = {
		/* the fail line of each pair is beyond its warn line */
		{CBD_T_BATTERY_HEALTH_FAIL, CBD_T_BATTERY_HEALTH_WARN},
		{CBD_T_BATTERY_CYCLES_WARN, CBD_T_BATTERY_CYCLES_FAIL},
		{CBD_T_STORAGE_EMMC_LIFE_WARN, CBD_T_STORAGE_EMMC_LIFE_FAIL},
		{CBD_T_STORAGE_EMMC_PRE_EOL_WARN, CBD_T_STORAGE_EMMC_PRE_EOL_FAIL},
		{CBD_T_STORAGE_NVME_USED_WARN, CBD_T_STORAGE_NVME_USED_FAIL},
	};

	for (size_t i = 0; i < CBD_ARRAY_SIZE(pairs); i++) {
		int r = pair(t, pairs[i][0], pairs[i][1], pairs[i][0], ret_err);

		if (r < 0)
			return r;
	}
	return 0;
}
