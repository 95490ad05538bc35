/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The audio verdicts from literal values: every rule of probes/audio/README.md. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "audio.h"
#include "json.h"

static const struct cbd_audio_limits lim = {.mic_quiet_dbfs = -50};

static struct cbd_result *
judge(const struct cbd_audio_raw *raw, bool chromebook, bool interactive)
{
	struct cbd_result *r = cbd_result_new();

	cbd_audio_judge(raw, chromebook, interactive, &lim, r);
	assert_true(r->status_set);
	return r;
}

/* A Chromebook's HD-audio card with a headphone and a mic jack, HDMI on
 * devices 3 and 7, and the PCI function it hangs off */
static struct cbd_audio_raw
laptop(void)
{
	struct cbd_audio_raw raw = {
		.cards = {{.index = 0, .id = "PCH", .driver = "HDA-Intel", .name = "HDA Intel PCH",
		           .mixername = "Realtek ALC256", .bus = "pci", .dev_driver = "snd_hda_intel",
		           .pcms = {{.device = 7, .playback = true}, {.device = 0, .playback = true,
		                    .capture = true}, {.device = 3, .playback = true}},
		           .n_pcms = 3,
		           .jacks = {{.name = "Headphone Jack"}, {.name = "Mic Jack", .plugged = true}},
		           .n_jacks = 2, .n_controls = 40}},
		.n_cards = 1,
		.devs = {{.where = "pci", .name = "0000:00:1f.3", .id = "8086:02c8",
		          .driver = "snd_hda_intel", .has_card = true}},
		.n_devs = 1,
		.kmsg_err = -ENOSYS,
		.speaker = {{.intern = CBD_AUDIO_NOT_ASKED}, {.intern = CBD_AUDIO_NOT_ASKED}},
	};

	cbd_audio_pick(&raw);
	return raw;
}

/* the guided steps as they go on a working machine */
static void
guided_ok(struct cbd_audio_raw *raw)
{
	for (int s = 0; s < 2; s++)
		raw->speaker[s] = (struct cbd_audio_speaker){
			.ran = true, .intern = CBD_UI_DONE, .mixer_changed = 2,
			.play = {.rate = 48000, .channels = 2, .frames_written = 72000, .ms = 1540}};
	raw->mic = (struct cbd_audio_mic){
		.ran = true,
		.level = {.rate = 48000, .channels = 2, .frames = 144000, .peak_dbfs = -12.3,
		          .rms_dbfs = -31.0, .loudest_dbfs = -22.4, .first_data_ms = 20}};
}

static void
test_pick_lowest_device(void **state)
{
	struct cbd_audio_raw raw = laptop();

	/* the speakers are device 0; HDMI comes after */
	assert_int_equal(raw.play_card, 0);
	assert_int_equal(raw.play_dev, 0);
	assert_int_equal(raw.rec_dev, 0);
	raw.cards[0].info_err = -EACCES; /* a card that cannot be asked is not used */
	cbd_audio_pick(&raw);
	assert_int_equal(raw.play_card, -1);
	assert_int_equal(raw.rec_card, -1);
}

static void
test_hdmi_is_not_a_speaker(void **state)
{
	/* an HDMI-only card first (i915's HD audio), the speakers on SOF's card */
	struct cbd_audio_raw raw = {
		.cards = {{.index = 0, .driver = "HDA-Intel",
		           .pcms = {{.device = 3, .playback = true, .name = "HDMI 0"},
		                    {.device = 7, .playback = true, .name = "HDMI 1"}},
		           .n_pcms = 2},
		          {.index = 1, .driver = "sof-rt5682",
		           .pcms = {{.device = 0, .playback = true, .name = "Speakers (*)"},
		                    {.device = 1, .capture = true, .name = "DMIC (*)"},
		                    {.device = 5, .playback = true, .name = "HDMI1 (*)"}},
		           .n_pcms = 3}},
		.n_cards = 2,
	};

	cbd_audio_pick(&raw);
	assert_int_equal(raw.play_card, 1);
	assert_int_equal(raw.play_dev, 0);
	assert_int_equal(raw.rec_card, 1);
	assert_int_equal(raw.rec_dev, 1);
	/* HDMI alone: no speaker to test */
	raw.n_cards = 1;
	cbd_audio_pick(&raw);
	assert_int_equal(raw.play_card, -1);
	assert_true(cbd_audio_pcm_is_display("DP0 (*)"));
	assert_false(cbd_audio_pcm_is_display("ALC256 Analog"));
	assert_false(cbd_audio_pcm_is_display(""));
}

static void
test_inventory_without_guided_steps(void **state)
{
	struct cbd_audio_raw raw = laptop();
	struct cbd_result *r = judge(&raw, true, false);
	const struct cbd_json *c = cbd_json_at(cbd_json_get(r->data, "cards"), 0);
	const struct cbd_json *j = cbd_json_get(c, "jacks");
	bool b = false;

	assert_int_equal(r->status, CBD_STATUS_PASS);
	assert_string_equal(r->summary,
	                    "Sound card found (speakers and microphone not tested without the "
	                    "guided steps)");
	assert_int_equal(r->n_findings, 0);
	assert_string_equal(cbd_json_get_str(c, "mixer"), "Realtek ALC256");
	assert_int_equal(cbd_json_size(cbd_json_get(c, "playback_devices")), 3);
	assert_int_equal(cbd_json_size(j), 2);
	assert_string_equal(cbd_json_get_str(cbd_json_at(j, 1), "name"), "Mic Jack");
	assert_true(cbd_json_get_bool(cbd_json_at(j, 1), "plugged", &b) && b);
	assert_true(cbd_json_get_bool(r->data, "jacks_reported", &b) && b);
	assert_string_equal(cbd_json_get_str(cbd_json_get(cbd_json_get(r->data, "speakers"), "left"),
	                                     "reason"),
	                    "not run");
	cbd_result_free(r);
}

static void
test_everything_works(void **state)
{
	struct cbd_audio_raw raw = laptop();
	struct cbd_result *r;
	const struct cbd_json *m;
	double v = 0;

	guided_ok(&raw);
	r = judge(&raw, true, true);
	assert_int_equal(r->status, CBD_STATUS_PASS);
	assert_string_equal(r->summary, "The speakers and the microphone work");
	assert_int_equal(r->n_findings, 0);
	m = cbd_json_get(r->data, "microphone");
	assert_string_equal(cbd_json_get_str(m, "result"), "pass");
	assert_true(cbd_json_get_number(m, "loudest_100ms_dbfs", &v) && v == -22.4);
	assert_true(cbd_json_get_number(m, "peak_dbfs", &v) && v == -12.3);
	assert_string_equal(
	    cbd_json_get_str(cbd_json_get(cbd_json_get(r->data, "speakers"), "right"), "heard"),
	    "yes");
	cbd_result_free(r);
}

static void
test_one_speaker_silent(void **state)
{
	struct cbd_audio_raw raw = laptop();
	struct cbd_result *r;

	guided_ok(&raw);
	raw.speaker[1].intern = CBD_UI_NO;
	r = judge(&raw, true, true);
	assert_int_equal(r->status, CBD_STATUS_FAIL);
	assert_non_null(cbd_result_find_finding(r, "audio.right_speaker_silent"));
	assert_true(cbd_result_find_finding(r, "audio.right_speaker_silent")->escalate);
	assert_null(cbd_result_find_finding(r, "audio.left_speaker_silent"));
	assert_string_equal(r->summary, "You heard no tone from the right speaker");
	cbd_result_free(r);
}

static void
test_mic_quiet(void **state)
{
	struct cbd_audio_raw raw = laptop();
	struct cbd_result *r;

	guided_ok(&raw);
	raw.mic.level.loudest_dbfs = -50.5;
	r = judge(&raw, true, true);
	assert_int_equal(r->status, CBD_STATUS_FAIL);
	assert_true(cbd_result_find_finding(r, "audio.mic_silent")->escalate);
	cbd_result_free(r);
	raw.mic.level.loudest_dbfs = -50; /* at the line: heard */
	r = judge(&raw, true, true);
	assert_int_equal(r->status, CBD_STATUS_PASS);
	cbd_result_free(r);
	/* a digital zero is silence, whatever the figures */
	raw.mic.level.all_zero = true;
	raw.mic.level.peak_dbfs = raw.mic.level.rms_dbfs = raw.mic.level.loudest_dbfs = -INFINITY;
	r = judge(&raw, true, true);
	assert_int_equal(r->status, CBD_STATUS_FAIL);
	assert_non_null(cbd_result_find_finding(r, "audio.mic_silent"));
	/* -inf is not JSON: null */
	assert_true(cbd_json_is_null(cbd_json_get(r->data, "microphone"), "peak_dbfs"));
	cbd_result_free(r);
}

static void
test_mic_never_delivers(void **state)
{
	struct cbd_audio_raw raw = laptop();
	struct cbd_result *r;
	const struct cbd_finding *f;

	guided_ok(&raw);
	raw.mic.err = -ETIMEDOUT;
	raw.mic.level = (struct cbd_hw_snd_level){.rate = 48000, .channels = 2,
	                                          .peak_dbfs = -INFINITY, .rms_dbfs = -INFINITY,
	                                          .loudest_dbfs = -INFINITY, .all_zero = true};
	r = judge(&raw, true, true);
	/* not judged: not tested, and the speakers' pass stands */
	assert_int_equal(r->status, CBD_STATUS_PASS);
	assert_string_equal(r->summary, "The speakers work (microphone not tested)");
	f = cbd_result_find_finding(r, "audio.mic_not_tested");
	assert_non_null(f);
	assert_int_equal(f->severity, CBD_SEVERITY_INFO);
	assert_true(f->escalate);
	assert_string_equal(cbd_json_get_str(cbd_json_get(r->data, "microphone"), "reason"),
	                    "no sound in time");
	cbd_result_free(r);
}

static void
test_tone_failed_and_in_use(void **state)
{
	struct cbd_audio_raw raw = laptop();
	struct cbd_result *r;

	guided_ok(&raw);
	raw.speaker[0].err = -EIO;
	raw.speaker[0].intern = CBD_AUDIO_NOT_ASKED;
	r = judge(&raw, true, true);
	assert_int_equal(r->status, CBD_STATUS_WARN);
	assert_true(cbd_result_find_finding(r, "audio.tone_failed")->escalate);
	cbd_result_free(r);
	raw.speaker[0].err = -EBUSY;
	r = judge(&raw, true, true);
	assert_int_equal(r->status, CBD_STATUS_WARN);
	assert_false(cbd_result_find_finding(r, "audio.in_use")->escalate);
	assert_null(cbd_result_find_finding(r, "audio.tone_failed"));
	cbd_result_free(r);
}

static void
test_volume_not_restored(void **state)
{
	struct cbd_audio_raw raw = laptop();
	struct cbd_result *r;
	bool b = true;

	guided_ok(&raw);
	raw.speaker[1].restore_err = -EIO;
	r = judge(&raw, true, true);
	assert_int_equal(r->status, CBD_STATUS_WARN);
	assert_non_null(cbd_result_find_finding(r, "audio.volume_not_restored"));
	assert_true(cbd_json_get_bool(cbd_json_get(cbd_json_get(r->data, "speakers"), "right"),
	                              "mixer_restored", &b) &&
	            !b);
	cbd_result_free(r);
}

static void
test_skipped_by_the_intern(void **state)
{
	struct cbd_audio_raw raw = laptop();
	struct cbd_result *r;

	raw.speaker[0].intern = raw.speaker[1].intern = CBD_UI_SKIP;
	raw.mic.declined = true;
	r = judge(&raw, true, true);
	assert_int_equal(r->status, CBD_STATUS_PASS);
	assert_string_equal(r->summary, "Sound card found (speakers and microphone not tested)");
	assert_string_equal(cbd_json_get_str(cbd_json_get(r->data, "microphone"), "reason"),
	                    "skipped by the intern");
	cbd_result_free(r);
}

static void
test_no_jack_controls(void **state)
{
	struct cbd_audio_raw raw = laptop();
	struct cbd_result *r;

	/* QEMU's generic codec, and codecs without presence detect */
	raw.cards[0].n_jacks = 0;
	r = judge(&raw, true, false);
	assert_int_equal(r->status, CBD_STATUS_PASS);
	assert_int_equal(cbd_result_find_finding(r, "audio.jacks_not_reported")->severity,
	                 CBD_SEVERITY_INFO);
	cbd_result_free(r);
}

static void
test_sof_without_firmware(void **state)
{
	struct cbd_audio_raw raw = {
		.devs = {{.where = "pci", .name = "0000:00:1f.3", .id = "8086:51c8",
		          .driver = "sof-audio-pci-intel-tgl"}},
		.n_devs = 1,
		.speaker = {{.intern = CBD_AUDIO_NOT_ASKED}, {.intern = CBD_AUDIO_NOT_ASKED}},
	};
	char line[] = "sof-audio-pci-intel-tgl 0000:00:1f.3: Direct firmware load for "
	              "intel/sof/sof-adl.ri failed with error -2";
	struct cbd_result *r;

	cbd_audio_pick(&raw);
	raw.fw_failures[0] = line;
	raw.n_fw_failures = 1;
	r = judge(&raw, true, true);
	assert_int_equal(r->status, CBD_STATUS_SKIP);
	assert_non_null(cbd_result_find_finding(r, "audio.needs_firmware"));
	assert_false(cbd_result_find_finding(r, "audio.needs_firmware")->escalate);
	assert_string_equal(r->summary, "This repair stick cannot start this machine's sound chip, "
	                                "so the sound was not tested");
	cbd_result_free(r);
	/* no driver at all: drivers */
	raw.n_fw_failures = 0;
	raw.devs[0].driver[0] = '\0';
	r = judge(&raw, true, true);
	assert_int_equal(r->status, CBD_STATUS_SKIP);
	assert_non_null(cbd_result_find_finding(r, "audio.needs_driver"));
	cbd_result_free(r);
}

static void
test_arm_sound_node_without_card(void **state)
{
	struct cbd_audio_raw raw = {
		.devs = {{.where = "dt", .name = "sound", .compatible = "mediatek,mt8183_mt6358_ts3a227_max98357"}},
		.n_devs = 1,
		.speaker = {{.intern = CBD_AUDIO_NOT_ASKED}, {.intern = CBD_AUDIO_NOT_ASKED}},
	};
	struct cbd_result *r;

	cbd_audio_pick(&raw);
	r = judge(&raw, true, false);
	assert_int_equal(r->status, CBD_STATUS_SKIP);
	assert_non_null(cbd_result_find_finding(r, "audio.needs_driver"));
	cbd_result_free(r);
}

static void
test_missing(void **state)
{
	struct cbd_audio_raw raw = {
		.speaker = {{.intern = CBD_AUDIO_NOT_ASKED}, {.intern = CBD_AUDIO_NOT_ASKED}},
	};
	struct cbd_result *r;

	cbd_audio_pick(&raw);
	r = judge(&raw, true, false);
	assert_int_equal(r->status, CBD_STATUS_WARN);
	assert_true(cbd_result_find_finding(r, "audio.missing")->escalate);
	cbd_result_free(r);
	r = judge(&raw, false, false);
	assert_int_equal(r->status, CBD_STATUS_SKIP);
	assert_int_equal(r->n_findings, 0);
	cbd_result_free(r);
}

static void
test_firmware_lines(void **state)
{
	assert_true(cbd_audio_kmsg_is_firmware_failure(
	    "sof-audio-pci-intel-tgl 0000:00:1f.3: Direct firmware load for intel/sof/sof-adl.ri "
	    "failed with error -2"));
	assert_true(cbd_audio_kmsg_is_firmware_failure(
	    "snd_sof_amd_renoir 0000:04:00.5: error: sof firmware file is missing"));
	assert_true(cbd_audio_kmsg_is_firmware_failure(
	    "sof-audio-pci-intel-cnl 0000:00:1f.3: error: tplg sof-cml-rt5682.tplg: topology "
	    "load failed -2"));
	assert_true(cbd_audio_kmsg_is_firmware_failure(
	    "firmware: failed to load intel/avs/skl/dsp_basefw.bin (-2)"));
	/* another device's firmware, and sound lines that are not failures */
	assert_false(cbd_audio_kmsg_is_firmware_failure(
	    "iwlwifi 0000:00:14.3: Direct firmware load for iwlwifi-QuZ-a0-hr-b0-77.ucode failed "
	    "with error -2"));
	assert_false(cbd_audio_kmsg_is_firmware_failure(
	    "sof-audio-pci-intel-tgl 0000:00:1f.3: Firmware info: version 2:2:0-57864"));
	assert_false(cbd_audio_kmsg_is_firmware_failure(NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pick_lowest_device),
		cmocka_unit_test(test_hdmi_is_not_a_speaker),
		cmocka_unit_test(test_inventory_without_guided_steps),
		cmocka_unit_test(test_everything_works),
		cmocka_unit_test(test_one_speaker_silent),
		cmocka_unit_test(test_mic_quiet),
		cmocka_unit_test(test_mic_never_delivers),
		cmocka_unit_test(test_tone_failed_and_in_use),
		cmocka_unit_test(test_volume_not_restored),
		cmocka_unit_test(test_skipped_by_the_intern),
		cmocka_unit_test(test_no_jack_controls),
		cmocka_unit_test(test_sof_without_firmware),
		cmocka_unit_test(test_arm_sound_node_without_card),
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_firmware_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
