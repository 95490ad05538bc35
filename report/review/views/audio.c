/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The audio view: each sound card (driver, codecs, jacks), sound devices without
 * a card, the tones on each speaker and the microphone's level figures; a
 * swapped sound card or codec in the diff. */
#include "views.h"

static const char *
str_or(const cJSON *o, const char *key, const char *dflt)
{
	const char *s = cbd_json_member_str(o, key);

	return s ? s : dflt;
}

static void
num_row(FILE *out, const char *label, const cJSON *o, const char *key, const char *unit)
{
	const cJSON *v = cbd_json_member(o, key);
	char buf[64];

	if (!cJSON_IsNumber(v))
		return;
	snprintf(buf, sizeof(buf), "%.1f%s", v->valuedouble, unit);
	cbd_html_row(out, label, buf);
}

static void
result_row(FILE *out, const char *label, const cJSON *t)
{
	fprintf(out, "<tr><th>");
	cbd_html_escape(out, label);
	fputs("</th><td>", out);
	cbd_html_badge(out, str_or(t, "result", "?"));
	fputs(" ", out);
	cbd_html_escape(out, str_or(t, "reason", ""));
	fputs("</td></tr>", out);
}

static void
html(FILE *out, const cJSON *data, const struct cbd_view_ctx *ctx)
{
	const cJSON *o, *j, *s;

	(void)ctx;
	cJSON_ArrayForEach(o, cbd_json_member(data, "cards"))
	{
		fputs("<div class=\"panel\"><table>", out);
		cbd_html_row(out, "Sound card", str_or(o, "name", "?"));
		cbd_html_row(out, "Driver", str_or(o, "driver", "?"));
		if (cbd_json_member_str(o, "mixer"))
			cbd_html_row(out, "Codecs", cbd_json_member_str(o, "mixer"));
		if (cbd_json_member_str(o, "error"))
			cbd_html_row(out, "Could not be read", cbd_json_member_str(o, "error"));
		cJSON_ArrayForEach(j, cbd_json_member(o, "jacks"))
		    cbd_html_row(out, str_or(j, "name", "Jack"),
		                 cJSON_IsTrue(cbd_json_member(j, "plugged")) ? "plugged" : "empty");
		fputs("</table></div>\n", out);
	}
	cJSON_ArrayForEach(o, cbd_json_member(data, "devices"))
	{
		if (cJSON_IsTrue(cbd_json_member(o, "has_card")))
			continue;
		fputs("<div class=\"panel\"><table>", out);
		cbd_html_row(out, "Sound device without a card", str_or(o, "name", "?"));
		if (cbd_json_member_str(o, "id"))
			cbd_html_row(out, "PCI id", cbd_json_member_str(o, "id"));
		if (cbd_json_member_str(o, "compatible"))
			cbd_html_row(out, "Compatible", cbd_json_member_str(o, "compatible"));
		cbd_html_row(out, "Driver", str_or(o, "driver", "none"));
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
		result_row(out, "Left speaker", cbd_json_member(s, "left"));
		result_row(out, "Right speaker", cbd_json_member(s, "right"));
	}
	if (cJSON_IsObject(o)) {
		result_row(out, "Microphone", o);
		num_row(out, "Peak", o, "peak_dbfs", " dBFS");
		num_row(out, "Loudest 100 ms (RMS)", o, "loudest_100ms_dbfs", " dBFS");
		num_row(out, "Whole recording (RMS)", o, "rms_dbfs", " dBFS");
	}
	fputs("</table></div>\n", out);
}

static const struct cbd_view_part diff = {
    "cards", "id", "sound card", {"driver", "mixer", NULL}, {NULL},
};

const struct cbd_view cbd_view_audio = {
    .probe = "audio",
    .html = html,
    .diff = &diff,
};
