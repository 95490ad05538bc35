/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The audio probe: sound cards and jacks; with a person at the bench, a tone
 * on each speaker the intern confirms, and the microphone's level while the
 * intern speaks. The mixer is set for the tones and always put back (a
 * guard process in hw/alsa.c does it when this process is ended first).
 */
#include "cbd-i18n.h"
#include "audio.h"

#include <errno.h>
#include <string.h>

#include "cbd-util.h"

static const char *const side_listen[2] = {
    N_("Listen: a tone is playing from the LEFT speaker..."),
    N_("Listen: a tone is playing from the RIGHT speaker..."),
};
static const char *const side_question[2] = {
    N_("Did you hear the tone from the LEFT speaker? Enter for yes, n and Enter for no, s to "
       "skip."),
    N_("Did you hear the tone from the RIGHT speaker? Enter for yes, n and Enter for no, s to "
       "skip."),
};

static void
run_speakers(const struct cbd_ctx *ctx, struct cbd_audio_raw *raw)
{
	const double *t = ctx->thresholds->v;
	unsigned tone_ms = (unsigned)(t[CBD_T_AUDIO_TONE_SECONDS] * 1000);
	unsigned timeout_ms = tone_ms + (unsigned)(t[CBD_T_AUDIO_TIMEOUT_SECONDS] * 1000);
	int r;

	r = ctx->ui->ask(ctx->ui, _("Speaker test next: a short tone plays from the left speaker, "
	                            "then from the right. Unplug any headphones first. Press Enter "
	                            "to start (s and Enter to skip)."));
	if (r < 0 || r == CBD_UI_SKIP || r == CBD_UI_NO) {
		for (int s = 0; s < 2; s++)
			raw->speaker[s].intern = r < 0 ? CBD_AUDIO_NOT_ASKED : CBD_UI_SKIP;
		return;
	}
	for (int s = 0; s < 2; s++) {
		struct cbd_audio_speaker *sp = &raw->speaker[s];
		struct cbd_hw_snd_mixer m;

		sp->ran = true;
		ctx->ui->say(ctx->ui, _(side_listen[s]));
		sp->mixer_err = cbd_hw_snd_mixer_prepare(raw->play_card, false,
		                                         (unsigned)t[CBD_T_AUDIO_VOLUME_PERCENT], &m);
		if (sp->mixer_err == 0)
			sp->mixer_changed = m.changed;
		sp->err = cbd_hw_snd_tone(raw->play_card, (unsigned)raw->play_dev,
		                          s == 0 ? CBD_HW_SND_LEFT : CBD_HW_SND_RIGHT,
		                          (unsigned)t[CBD_T_AUDIO_TONE_HZ], tone_ms, timeout_ms,
		                          &sp->play);
		if (sp->mixer_err == 0)
			sp->restore_err = cbd_hw_snd_mixer_restore(&m);
		if (sp->err < 0)
			continue;
		sp->intern = ctx->ui->ask(ctx->ui, _(side_question[s]));
		if (sp->intern < 0) {
			sp->intern = CBD_AUDIO_NOT_ASKED;
			break;
		}
	}
}

static void
run_mic(const struct cbd_ctx *ctx, struct cbd_audio_raw *raw)
{
	const double *t = ctx->thresholds->v;
	unsigned ms = (unsigned)(t[CBD_T_AUDIO_MIC_SECONDS] * 1000);
	unsigned timeout_ms = ms + (unsigned)(t[CBD_T_AUDIO_TIMEOUT_SECONDS] * 1000);
	struct cbd_hw_snd_mixer m;
	int r;

	r = ctx->ui->ask(ctx->ui, _("Microphone test next: after you press Enter, count out loud "
	                            "from one to five in a normal voice. Nothing is recorded or "
	                            "saved, only how loud it was. Press Enter to start (s and Enter "
	                            "to skip)."));
	if (r < 0 || r == CBD_UI_SKIP || r == CBD_UI_NO) {
		raw->mic.declined = r >= 0;
		return;
	}
	raw->mic.ran = true;
	/* a capture switch left off would make any microphone sound dead */
	raw->mic.mixer_err = cbd_hw_snd_mixer_prepare(raw->rec_card, true,
	                                              (unsigned)t[CBD_T_AUDIO_VOLUME_PERCENT], &m);
	if (raw->mic.mixer_err == 0)
		raw->mic.mixer_changed = m.changed;
	ctx->ui->status(ctx->ui, _("Listening: count out loud now..."));
	raw->mic.err = cbd_hw_snd_level(raw->rec_card, (unsigned)raw->rec_dev, ms, timeout_ms,
	                                &raw->mic.level);
	if (raw->mic.mixer_err == 0)
		raw->mic.restore_err = cbd_hw_snd_mixer_restore(&m);
	ctx->ui->status(ctx->ui, "");
}

static int
audio_run(const struct cbd_ctx *ctx, struct cbd_result *out)
{
	const struct cbd_device_id *d = ctx->device;
	struct cbd_audio_limits lim = {
	    .mic_quiet_dbfs = ctx->thresholds->v[CBD_T_AUDIO_MIC_QUIET_DBFS],
	};
	struct cbd_audio_raw raw;
	bool chromebook = d && (d->hwid || (d->vendor && streq(d->vendor, "Google")));

	cbd_audio_read(&raw);
	if (ctx->interactive && ctx->ui) {
		if (raw.play_card >= 0)
			run_speakers(ctx, &raw);
		if (raw.rec_card >= 0)
			run_mic(ctx, &raw);
	}
	cbd_audio_judge(&raw, chromebook && ctx->laptop, ctx->interactive && ctx->ui, &lim, out);
	cbd_audio_raw_clear(&raw);
	return 0;
}

const struct cbd_probe cbd_probe_audio = {
    .name = "audio",
    .description = "Sound: cards and jacks found; speakers left and right, and the microphone",
    .flags = CBD_PROBE_INTERACTIVE_STEPS,
    .run = audio_run,
};
