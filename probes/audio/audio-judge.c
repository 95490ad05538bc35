/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Judging half of the audio probe: pure code, rules in probes/audio/README.md. */
#include "cbd-i18n.h"
#include "audio.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "json.h"

bool
cbd_audio_pcm_is_display(const char *name)
{
	/* HD audio's "HDMI 0", SOF's "HDMI1", "DP0"/"DisplayPort" outputs */
	return name && (strcasestr(name, "HDMI") || strncmp(name, "DP", 2) == 0 ||
	                strcasestr(name, "DisplayPort"));
}

void
cbd_audio_pick(struct cbd_audio_raw *raw)
{
	raw->play_card = raw->play_dev = raw->rec_card = raw->rec_dev = -1;
	for (size_t i = 0; i < raw->n_cards; i++) {
		const struct cbd_hw_snd_card *c = &raw->cards[i];
		int play = -1, rec = -1;

		if (c->info_err < 0)
			continue;
		for (size_t k = 0; k < c->n_pcms; k++) {
			int d = (int)c->pcms[k].device;

			/* the tone is for the speakers, never an HDMI or DP output */
			if (c->pcms[k].playback && !cbd_audio_pcm_is_display(c->pcms[k].name) &&
			    (play < 0 || d < play))
				play = d;
			if (c->pcms[k].capture && (rec < 0 || d < rec))
				rec = d;
		}
		if (play >= 0 && raw->play_card < 0) {
			raw->play_card = c->index;
			raw->play_dev = play;
		}
		if (rec >= 0 && raw->rec_card < 0) {
			raw->rec_card = c->index;
			raw->rec_dev = rec;
		}
	}
}

bool
cbd_audio_kmsg_is_firmware_failure(const char *msg)
{
	/* the firmware of the DSPs behind Chromebooks' sound: "Direct firmware
	 * load for intel/sof/sof-adl.ri failed with error -2", "sof-audio-pci-intel-tgl
	 * 0000:00:1f.3: error: sof firmware file is missing", "avs_core ...: Failed
	 * to load firmware", AMD's and MediaTek's SOF builds */
	static const char *const paths[] = {"intel/sof", "intel/avs", "intel/dsp_fw", "intel/IntcSST",
	                                    "amd/sof", "mediatek/sof", "imx/sof", "sof-"};
	const char *p;

	if (!msg)
		return false;
	if ((p = strstr(msg, "Direct firmware load for ")) ||
	    (p = strstr(msg, "firmware: failed to load "))) {
		p = strstr(p, "load") + 4;
		p += strspn(p, " for");
		for (size_t i = 0; i < CBD_ARRAY_SIZE(paths); i++)
			if (strncmp(p, paths[i], strlen(paths[i])) == 0)
				return true;
		return false;
	}
	if ((strstr(msg, "sof") || strstr(msg, "SOF") || strstr(msg, "avs_") ||
	     strstr(msg, "snd_soc_skl") || strstr(msg, "snd_sof")) &&
	    (strcasestr(msg, "firmware") || strcasestr(msg, "topology")) &&
	    (strcasestr(msg, "fail") || strcasestr(msg, "missing") || strcasestr(msg, "not found") ||
	     strcasestr(msg, "error")))
		return true;
	return false;
}

static void
add_db(struct cbd_json *o, const char *key, double v)
{
	if (isfinite(v))
		cbd_json_add_double(o, key, round(v * 10) / 10);
	else
		cbd_json_add_null(o, key);
}

static const char *
err_reason(int err)
{
	switch (err) {
	case -ETIMEDOUT: return N_("no sound in time");
	case -EBUSY: return N_("in use by another program");
	case -EACCES:
	case -EPERM: return N_("not allowed to open it (run as root)");
	case -EINVAL: return N_("the device takes no format this test plays");
	case -ENOENT:
	case -ENODEV: return N_("the device is gone");
	default: return N_("the driver refused");
	}
}

static void
add_cards(const struct cbd_audio_raw *raw, struct cbd_json *d)
{
	struct cbd_json *a = cbd_json_add_array(d, "cards");

	for (size_t i = 0; i < raw->n_cards; i++) {
		const struct cbd_hw_snd_card *c = &raw->cards[i];
		struct cbd_json *o = cbd_json_add_object(a, NULL), *p, *r, *j;

		cbd_json_add_int(o, "card", c->index);
		cbd_json_add_str(o, "id", c->id[0] ? c->id : NULL);
		cbd_json_add_str(o, "driver", c->driver[0] ? c->driver : NULL);
		cbd_json_add_str(o, "name", c->name[0] ? c->name : NULL);
		cbd_json_add_str(o, "longname", c->longname[0] ? c->longname : NULL);
		cbd_json_add_str(o, "mixer", c->mixername[0] ? c->mixername : NULL);
		cbd_json_add_str(o, "bus", c->bus[0] ? c->bus : NULL);
		cbd_json_add_str(o, "device_driver", c->dev_driver[0] ? c->dev_driver : NULL);
		if (c->info_err < 0)
			cbd_json_add_str(o, "error", err_reason(c->info_err));
		cbd_json_add_int(o, "controls", c->n_controls);
		cbd_json_add_int(o, "phantom_jacks", c->n_phantom_jacks);
		p = cbd_json_add_array(o, "playback_devices");
		r = cbd_json_add_array(o, "capture_devices");
		for (size_t k = 0; k < c->n_pcms; k++) {
			if (c->pcms[k].playback)
				cbd_json_add_int(p, NULL, c->pcms[k].device);
			if (c->pcms[k].capture)
				cbd_json_add_int(r, NULL, c->pcms[k].device);
		}
		p = cbd_json_add_array(o, "pcm_names");
		for (size_t k = 0; k < c->n_pcms; k++) {
			struct cbd_json *e = cbd_json_add_object(p, NULL);

			cbd_json_add_int(e, "device", c->pcms[k].device);
			cbd_json_add_str(e, "name", c->pcms[k].name[0] ? c->pcms[k].name : NULL);
		}
		j = cbd_json_add_array(o, "jacks");
		for (size_t k = 0; k < c->n_jacks; k++) {
			struct cbd_json *jo = cbd_json_add_object(j, NULL);

			cbd_json_add_str(jo, "name", c->jacks[k].name);
			cbd_json_add_bool(jo, "plugged", c->jacks[k].plugged);
		}
	}
}

static void
add_devices(const struct cbd_audio_raw *raw, struct cbd_json *d)
{
	struct cbd_json *a = cbd_json_add_array(d, "devices");

	for (size_t i = 0; i < raw->n_devs; i++) {
		const struct cbd_hw_snd_device *v = &raw->devs[i];
		struct cbd_json *o = cbd_json_add_object(a, NULL);

		cbd_json_add_str(o, "where", v->where);
		cbd_json_add_str(o, "name", v->name);
		if (v->id[0])
			cbd_json_add_str(o, "id", v->id);
		if (v->compatible[0])
			cbd_json_add_str(o, "compatible", v->compatible);
		cbd_json_add_str(o, "driver", v->driver[0] ? v->driver : NULL);
		cbd_json_add_bool(o, "has_card", v->has_card);
	}
	if (raw->n_fw_failures) {
		a = cbd_json_add_array(d, "firmware_failures");
		for (size_t i = 0; i < raw->n_fw_failures; i++)
			cbd_json_add_str(a, NULL, raw->fw_failures[i]);
	}
}

static const char *
answer(int intern)
{
	switch (intern) {
	case CBD_UI_DONE: return "yes";
	case CBD_UI_NO: return "no";
	case CBD_UI_SKIP: return "skipped";
	default: return NULL;
	}
}

/* One side: true when the intern heard it. */
static bool
judge_side(const struct cbd_audio_speaker *sp, int side, struct cbd_json *o,
           struct cbd_result *out)
{
	if (sp->intern == CBD_UI_SKIP && !sp->ran) {
		cbd_json_add_str(o, "result", "skip");
		cbd_json_add_str(o, "reason", N_("skipped by the intern"));
		return false;
	}
	if (!sp->ran) {
		cbd_json_add_str(o, "result", "skip");
		cbd_json_add_str(o, "reason", N_("not run"));
		return false;
	}
	cbd_json_add_int(o, "rate", sp->play.rate);
	cbd_json_add_int(o, "channels", sp->play.channels);
	cbd_json_add_int(o, "frames", (long long)sp->play.frames_written);
	cbd_json_add_int(o, "ms", sp->play.ms);
	if (sp->mixer_err < 0) {
		cbd_json_add_str(o, "mixer", err_reason(sp->mixer_err));
	} else {
		cbd_json_add_int(o, "mixer_controls_changed", sp->mixer_changed);
		cbd_json_add_bool(o, "mixer_restored", sp->restore_err == 0);
	}
	if (sp->restore_err < 0)
		cbd_result_add_finding(out, "audio.volume_not_restored", CBD_SEVERITY_WARN, false,
		                       N_("Check the volume in ChromeOS after the repair"),
		                       N_("The volume could not be set back after the speaker test"));
	if (sp->err == -EBUSY) {
		cbd_json_add_str(o, "result", "skip");
		cbd_json_add_str(o, "reason", err_reason(sp->err));
		cbd_result_add_finding(out, "audio.in_use", CBD_SEVERITY_WARN, false,
		                       N_("Close the program playing sound and test again"),
		                       N_("Another program is using the sound card"));
		return false;
	}
	if (sp->err < 0) {
		cbd_json_add_str(o, "result", "fail");
		cbd_json_add_str(o, "reason", err_reason(sp->err));
		cbd_result_add_finding(out, "audio.tone_failed", CBD_SEVERITY_WARN, true,
		                       N_("Ask staff: the sound card did not play"),
		                       N_("The test tone could not be played"));
		return false;
	}
	if (answer(sp->intern))
		cbd_json_add_str(o, "heard", answer(sp->intern));
	if (sp->intern == CBD_UI_NO) {
		cbd_json_add_str(o, "result", "fail");
		if (side == 0)
			cbd_result_add_finding(out, "audio.left_speaker_silent", CBD_SEVERITY_FAIL, true,
			                       N_("Unplug any headphones and test again; if the left "
			                       "speaker stays silent, ask staff"),
			                       N_("You heard no tone from the left speaker"));
		else
			cbd_result_add_finding(out, "audio.right_speaker_silent", CBD_SEVERITY_FAIL, true,
			                       N_("Unplug any headphones and test again; if the right "
			                       "speaker stays silent, ask staff"),
			                       N_("You heard no tone from the right speaker"));
		return false;
	}
	if (sp->intern == CBD_UI_DONE) {
		cbd_json_add_str(o, "result", "pass");
		return true;
	}
	cbd_json_add_str(o, "result", "skip");
	cbd_json_add_str(o, "reason", sp->intern == CBD_UI_SKIP ? N_("skipped by the intern")
	                                                        : N_("nobody answered"));
	return false;
}

static bool
judge_mic(const struct cbd_audio_raw *raw, const struct cbd_audio_limits *lim,
          struct cbd_json *o, struct cbd_result *out)
{
	const struct cbd_audio_mic *m = &raw->mic;
	const struct cbd_hw_snd_level *l = &m->level;

	cbd_json_add_int(o, "card", raw->rec_card);
	cbd_json_add_int(o, "device", raw->rec_dev);
	if (!m->ran) {
		cbd_json_add_str(o, "result", "skip");
		cbd_json_add_str(o, "reason", m->declined ? N_("skipped by the intern") : N_("not run"));
		return false;
	}
	cbd_json_add_int(o, "rate", l->rate);
	cbd_json_add_int(o, "channels", l->channels);
	cbd_json_add_int(o, "frames", (long long)l->frames);
	if (l->frames) {
		cbd_json_add_int(o, "first_sound_ms", l->first_data_ms);
		add_db(o, "peak_dbfs", l->peak_dbfs);
		add_db(o, "rms_dbfs", l->rms_dbfs);
		add_db(o, "loudest_100ms_dbfs", l->loudest_dbfs);
		cbd_json_add_bool(o, "all_zero", l->all_zero);
	}
	cbd_json_add_double(o, "quiet_below_dbfs", lim->mic_quiet_dbfs);
	if (m->mixer_err == 0) {
		cbd_json_add_int(o, "mixer_controls_changed", m->mixer_changed);
		cbd_json_add_bool(o, "mixer_restored", m->restore_err == 0);
	}
	if (m->restore_err < 0)
		cbd_result_add_finding(out, "audio.volume_not_restored", CBD_SEVERITY_WARN, false,
		                       N_("Check the volume in ChromeOS after the repair"),
		                       N_("The microphone volume could not be set back after the test"));
	if (m->err == -EBUSY) {
		cbd_json_add_str(o, "result", "skip");
		cbd_json_add_str(o, "reason", err_reason(m->err));
		cbd_result_add_finding(out, "audio.mic_in_use", CBD_SEVERITY_WARN, false,
		                       N_("Close the program using the microphone and test again"),
		                       N_("Another program is using the microphone"));
		return false;
	}
	/* a recording that never delivers (or stops) is not judged: it ends
	 * inside its deadline as not tested */
	if (m->err < 0 && l->frames < (unsigned long)l->rate / 2) {
		cbd_json_add_str(o, "result", "skip");
		cbd_json_add_str(o, "reason", err_reason(m->err));
		cbd_result_add_finding(out, "audio.mic_not_tested", CBD_SEVERITY_INFO, true,
		                       N_("Ask staff to check the microphone in ChromeOS"),
		                       N_("The microphone gave no sound to test: not tested"));
		return false;
	}
	if (l->all_zero || !(l->loudest_dbfs >= lim->mic_quiet_dbfs)) {
		cbd_json_add_str(o, "result", "fail");
		cbd_result_add_finding(out, "audio.mic_silent", CBD_SEVERITY_FAIL, true,
		                       N_("Check that nothing covers the microphone hole (tape, a case) "
		                       "and test again; if it stays quiet, ask staff"),
		                       N_("The microphone heard almost nothing while you spoke"));
		return false;
	}
	cbd_json_add_str(o, "result", "pass");
	return true;
}

/* Sound devices without a card: why, in the intern's words. Returns true
 * when there was one. */
static bool
judge_cardless(const struct cbd_audio_raw *raw, struct cbd_result *out)
{
	bool cardless = false;

	for (size_t i = 0; i < raw->n_devs; i++)
		cardless |= !raw->devs[i].has_card && !streq(raw->devs[i].where, "dt");
	/* a device-tree sound node: its card hangs off another device, so it
	 * counts only when no card came up at all */
	for (size_t i = 0; i < raw->n_devs && raw->n_cards == 0; i++)
		cardless |= streq(raw->devs[i].where, "dt");
	if (!cardless)
		return false;
	if (raw->n_fw_failures)
		cbd_result_add_finding(out, "audio.needs_firmware", CBD_SEVERITY_INFO, false,
		                       N_("Test the sound in ChromeOS instead: play a video and "
		                       "record a voice note"),
		                       N_("This repair stick cannot start this machine's sound chip, so the "
		                       "sound was not tested"));
	else
		cbd_result_add_finding(out, "audio.needs_driver", CBD_SEVERITY_INFO, false,
		                       N_("Test the sound in ChromeOS instead: play a video and "
		                       "record a voice note"),
		                       N_("The sound chip was found, but this repair stick cannot use it, so "
		                       "the sound was not tested"));
	return true;
}

void
cbd_audio_judge(const struct cbd_audio_raw *raw, bool chromebook_laptop, bool interactive,
                const struct cbd_audio_limits *lim, struct cbd_result *out)
{
	const struct cbd_finding *worst;
	bool usable = false, jacks = false, speakers_ok = false, mic_ok = false;

	add_cards(raw, out->data);
	add_devices(raw, out->data);
	for (size_t i = 0; i < raw->n_cards; i++) {
		usable |= raw->cards[i].info_err == 0;
		jacks |= raw->cards[i].n_jacks > 0;
	}
	cbd_json_add_bool(out->data, "jacks_reported", jacks);
	if (raw->list_err < 0)
		cbd_result_add_finding(out, "audio.unreadable", CBD_SEVERITY_INFO, false,
		                       N_("Test the sound in ChromeOS instead: play a video and "
		                       "record a voice note"),
		                       N_("The sound cards could not be listed: not tested"));
	for (size_t i = 0; i < raw->n_cards; i++)
		if (raw->cards[i].info_err < 0) {
			cbd_result_add_finding(out, "audio.unreadable", CBD_SEVERITY_INFO, false,
			                       raw->cards[i].info_err == -EACCES ||
			                               raw->cards[i].info_err == -EPERM
			                           ? N_("Run cbdiag as root")
			                           : N_("Test the sound in ChromeOS instead: play a "
			                             "video and record a voice note"),
			                       N_("A sound card could not be read: not tested"));
			break;
		}
	judge_cardless(raw, out);
	if (usable && !jacks)
		cbd_result_add_finding(out, "audio.jacks_not_reported", CBD_SEVERITY_INFO, false,
		                       N_("Test the headphone jack in ChromeOS: plug headphones in and "
		                       "play a video"),
		                       N_("Headphone jack not tested: this sound chip does not "
		                       "report the plug"));
	if (raw->play_card >= 0) {
		struct cbd_json *s = cbd_json_add_object(out->data, "speakers");
		bool left, right;

		cbd_json_add_int(s, "card", raw->play_card);
		cbd_json_add_int(s, "device", raw->play_dev);
		left = judge_side(&raw->speaker[0], 0, cbd_json_add_object(s, "left"), out);
		right = judge_side(&raw->speaker[1], 1, cbd_json_add_object(s, "right"), out);
		speakers_ok = left && right;
	}
	if (raw->rec_card >= 0)
		mic_ok = judge_mic(raw, lim, cbd_json_add_object(out->data, "microphone"), out);

	if (raw->n_cards == 0 && raw->n_devs == 0) {
		if (chromebook_laptop) {
			cbd_result_add_finding(out, "audio.missing", CBD_SEVERITY_WARN, true,
			                       N_("Ask staff: the sound chip was not found"),
			                       N_("No sound device was found"));
		} else {
			cbd_result_set(out, CBD_STATUS_SKIP, N_("This machine has no sound device"));
			return;
		}
	}
	worst = cbd_result_most_severe(out);
	if (worst && worst->severity != CBD_SEVERITY_INFO)
		cbd_result_set(out, cbd_result_worst_finding(out), "%s", worst->message);
	else if (speakers_ok && mic_ok)
		cbd_result_set(out, CBD_STATUS_PASS, N_("The speakers and the microphone work"));
	else if (speakers_ok)
		cbd_result_set(out, CBD_STATUS_PASS, N_("The speakers work (microphone not tested)"));
	else if (mic_ok)
		cbd_result_set(out, CBD_STATUS_PASS,
		               N_("The microphone works (speakers not tested)"));
	else if (usable && (raw->play_card >= 0 || raw->rec_card >= 0))
		cbd_result_set(out, CBD_STATUS_PASS, N_("Sound card found (speakers and microphone %s)"),
		               interactive ? N_("not tested") : N_("not tested without the guided steps"));
	else if (worst)
		cbd_result_set(out, CBD_STATUS_SKIP, "%s", worst->message);
	else
		cbd_result_set(out, CBD_STATUS_SKIP, N_("No sound card to test"));
}
