/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The audio probe: the sound cards and their jacks (jack-detect controls),
 * and with a person at the bench a tone on the left speaker, then the
 * right, and the microphone's level while the intern speaks. Nothing the
 * microphone hears is kept: only level figures. See probes/audio/README.md.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "hw.h"
#include "probe.h"

#define CBD_AUDIO_MAX_CARDS 8
#define CBD_AUDIO_MAX_DEVS 16
#define CBD_AUDIO_MAX_FW 8

/* what the intern said (enum cbd_ui_answer), or not asked */
#define CBD_AUDIO_NOT_ASKED (-1)

struct cbd_audio_speaker {
	bool ran;          /* the step was reached */
	int intern;        /* the answer to "did you hear it": CBD_UI_DONE (yes), _NO, _SKIP, or NOT_ASKED */
	int err;           /* the tone could not be played (-errno), else 0 */
	int mixer_err;     /* the mixer could not be set (-errno), else 0 */
	int restore_err;   /* a mixer value could not be put back (-errno), else 0 */
	unsigned mixer_changed;
	struct cbd_hw_snd_play play;
};

struct cbd_audio_mic {
	bool ran;
	bool declined;     /* the intern skipped it */
	int err;           /* -errno: -ETIMEDOUT no sound in time, -EBUSY, ... */
	int mixer_err, restore_err;
	unsigned mixer_changed;
	struct cbd_hw_snd_level level;
};

struct cbd_audio_raw {
	struct cbd_hw_snd_card cards[CBD_AUDIO_MAX_CARDS];
	size_t n_cards;
	int list_err;
	/* sound devices of the PCI bus and the device tree, with or without a card */
	struct cbd_hw_snd_device devs[CBD_AUDIO_MAX_DEVS];
	size_t n_devs;
	/* the kernel log's sound-firmware failures (read only when a device has no card) */
	char *fw_failures[CBD_AUDIO_MAX_FW];
	size_t n_fw_failures;
	int kmsg_err;
	/* the guided steps: the card and devices used, -1 when none */
	int play_card, play_dev, rec_card, rec_dev;
	struct cbd_audio_speaker speaker[2]; /* left, right */
	struct cbd_audio_mic mic;
};

struct cbd_audio_limits {
	double mic_quiet_dbfs; /* the loudest 100 ms while the intern spoke below this: heard nothing */
};

/** Read the cards, the sound devices and, when a device has no card, the
 * kernel log. */
void cbd_audio_read(struct cbd_audio_raw *raw);
void cbd_audio_raw_clear(struct cbd_audio_raw *raw);

/** Pure: the playback and capture device the guided steps use: the lowest
 * device of the first card that has one, playback devices named HDMI or
 * DisplayPort left out (a card with only those has no speaker here). Sets play_card/play_dev and
 * rec_card/rec_dev, -1 when there is none. */
void cbd_audio_pick(struct cbd_audio_raw *raw);

/** Pure: a PCM device that drives a display's sound (HDMI, DisplayPort), by
 * its PCM_INFO name: never used for the speaker test. */
bool cbd_audio_pcm_is_display(const char *name);

/** Pure: a kernel-log line saying sound firmware could not be loaded
 * (Intel SOF and AVS, AMD ACP, MediaTek and Qualcomm DSPs). */
bool cbd_audio_kmsg_is_firmware_failure(const char *msg);

/** Pure: the verdict. @chromebook_laptop: a Chromebook laptop has sound,
 * so no sound device at all is a finding; elsewhere it is a skip. */
void cbd_audio_judge(const struct cbd_audio_raw *raw, bool chromebook_laptop, bool interactive,
                     const struct cbd_audio_limits *lim, struct cbd_result *out);
