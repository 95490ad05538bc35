/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Gathering half of the audio probe: reads through probes/hw only. */
#include "audio.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void
read_firmware_failures(struct cbd_audio_raw *raw)
{
	struct cbd_hw_kmsg_rec *recs = NULL;
	size_t n = 0;

	raw->kmsg_err = cbd_hw_kmsg_read("", &recs, &n);
	if (raw->kmsg_err < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		if (!cbd_audio_kmsg_is_firmware_failure(recs[i].msg))
			continue;
		if (raw->n_fw_failures == CBD_AUDIO_MAX_FW) { /* the newest are enough to tell */
			free(raw->fw_failures[0]);
			memmove(raw->fw_failures, raw->fw_failures + 1,
			        (CBD_AUDIO_MAX_FW - 1) * sizeof(char *));
			raw->n_fw_failures--;
		}
		raw->fw_failures[raw->n_fw_failures++] = cbd_strdup(recs[i].msg);
	}
	cbd_hw_kmsg_free(recs, n);
}

void
cbd_audio_read(struct cbd_audio_raw *raw)
{
	struct cbd_hw_snd_card *cards = NULL;
	struct cbd_hw_snd_device *devs = NULL;
	size_t n = 0, nd = 0;
	bool cardless = false;

	*raw = (struct cbd_audio_raw){.play_card = -1, .play_dev = -1, .rec_card = -1,
	                              .rec_dev = -1,
	                              .speaker = {{.intern = CBD_AUDIO_NOT_ASKED},
	                                          {.intern = CBD_AUDIO_NOT_ASKED}}};
	raw->list_err = cbd_hw_snd_list(&cards, &n);
	for (size_t i = 0; i < n && raw->n_cards < CBD_AUDIO_MAX_CARDS; i++)
		raw->cards[raw->n_cards++] = cards[i];
	free(cards);
	if (cbd_hw_snd_devices(&devs, &nd) == 0) {
		for (size_t i = 0; i < nd && raw->n_devs < CBD_AUDIO_MAX_DEVS; i++) {
			raw->devs[raw->n_devs++] = devs[i];
			cardless |= !devs[i].has_card;
		}
		free(devs);
	}
	/* the kernel log only when it can tell why a device has no card */
	if (cardless)
		read_firmware_failures(raw);
	else
		raw->kmsg_err = -ENOSYS;
	cbd_audio_pick(raw);
}

void
cbd_audio_raw_clear(struct cbd_audio_raw *raw)
{
	for (size_t i = 0; i < raw->n_fw_failures; i++)
		free(raw->fw_failures[i]);
	raw->n_fw_failures = 0;
}
