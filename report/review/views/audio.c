/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The audio view: each sound card (driver, codecs, jacks), sound devices without
 * a card, the tones on each speaker and the microphone's level figures; a
 * swapped sound card or codec in the diff. */
#include "views.h"

static void
html(FILE *out, const cJSON *data, const struct cbd_view_ctx *ctx)
{
	const cJSON *o, *j, *s;

	(void)ctx;
	cJSON_ArrayForEach(o, cbd_json_member(data, "cards"))
	{
		fputs("<div class=\"panel\"><table>", out);
		cbd_html_row(out, "Sound card", cbd_view_str(o, "name", "?"));
		cbd_html_row(out, "Driver", cbd_view_str(o, "driver", "?"));
		if (cbd_json_member_str(o, "mixer"))
			cbd_html_row(out, "Codecs", cbd_json_member_str(o, "mixer"));
		if (cbd_json_member_str(o, "error"))
			cbd_html_row(out, "Could not be read", cbd_json_member_str(o, "error"));
		cJSON_ArrayForEach(j, cbd_json_member(o, "jacks"))
		    cbd_html_row(out, cbd_view_str(j, "name", "Jack"),
		                 cJSON_IsTrue(cbd_json_member(j, "plugged")) ? "plugged" : "empty");
		fputs("</table></div>\n", out);
	}
	cJSON_ArrayForEach(o, cbd_json_member(data, "devices"))
	{
		if (cJSON_IsTrue(cbd_json_member(o, "has_card")))
			continue;
		fputs("<div class=\"panel\"><table>", out);
		cbd_html_row(out, "Sound device without a card", cbd_view_str(o, "name", "?"));
		if (cbd_json_member_str(o, "id"))
			cbd_html_row(out, "PCI id", cbd_json_member_str(o, "id"));
		if (cbd_json_member_str(o, "compatible"))
			cbd_html_row(out, "Compatible", cbd_json_member_str(o, "compatible"));
		cbd_html_row(out, "Driver", cbd_view_str(o, "driver", "none"));
		fputs("</table></div>\n", out);
	}
	cJSON_ArrayForEach(o, cbd_json_member(data, "firmware_failures"))
	{
		if (cJSON_IsString(o))
			cbd_html_row(out, "Kernel log", o->valuestring);
	}
	s = cbd_json_member(data, "speakers");
	o = cbd_json_member(data, "microphone");
	if (!cJSON_IsObject(s) && !cJSON_IsObject(o))
		return;
	fputs("<div class=\"panel\"><table>", out);
	if (cJSON_IsObject(s)) {
		cbd_html_row_result(out, "Left speaker", cbd_json_member(s, "left"), "reason");
		cbd_html_row_result(out, "Right speaker", cbd_json_member(s, "right"), "reason");
	}
	if (cJSON_IsObject(o)) {
		cbd_html_row_result(out, "Microphone", o, "reason");
		cbd_html_row_num(out, "Peak", o, "peak_dbfs", " dBFS");
		cbd_html_row_num(out, "Loudest 100 ms (RMS)", o, "loudest_100ms_dbfs", " dBFS");
		cbd_html_row_num(out, "Whole recording (RMS)", o, "rms_dbfs", " dBFS");
	}
	fputs("</table></div>\n", out);
}

static const struct cbd_view_part diff = {
    "cards", "id", "sound card", {"driver", "mixer", NULL}, {NULL},
};

static bool
plays(const cJSON *card)
{
	return cJSON_GetArraySize(cbd_json_member(card, "playback_devices")) > 0;
}

/* a sound card that can play: a machine whose sound chip the stick cannot
 * start has none, and so has every other of its model (the profile learns
 * "no" there, never a false "missing") */
static bool
has_sound(const cJSON *data, char *out, size_t size)
{
	int n = cbd_view_count(data, "cards", plays);

	return n >= 0 && cbd_view_yes_no(n > 0, out, size);
}

/* a headphone jack that reports its plug; unknown where no card reports jacks */
static bool
has_headphone_jack(const cJSON *data, char *out, size_t size)
{
	const cJSON *card, *jack;
	bool found = false;

	if (!cJSON_IsTrue(cbd_json_member(data, "jacks_reported")))
		return false;
	cJSON_ArrayForEach(card, cbd_json_member(data, "cards"))
	    cJSON_ArrayForEach(jack, cbd_json_member(card, "jacks"))
	{
		const char *name = cbd_json_member_str(jack, "name");

		if (name && (strstr(name, "Headphone") || strstr(name, "Headset")))
			found = true;
	}
	return cbd_view_yes_no(found, out, size);
}

static const struct cbd_view_fact facts[] = {
    {"sound", CBD_FACT_PRESENCE, has_sound, N_("This model has sound, but no sound card was found"),
     N_("Tell staff: the sound chip is on the main board")},
    /* on many Chromebooks the jack sits on a small board of its own, on a cable */
    {"headphone_jack", CBD_FACT_PRESENCE, has_headphone_jack,
     N_("This model has a headphone jack, but this one was not found"),
     N_("Reseat the cable of the small board that holds the headphone jack; tell staff if it "
        "is still not found")},
    {NULL},
};

const struct cbd_view cbd_view_audio = {
    .probe = "audio",
    .html = html,
    .diff = &diff,
    .facts = facts,
};
