/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The camera view: each V4L2 node, its driver and bus, and the stream's figures
 * (size, format, frames, brightness); a swapped camera module in the diff. */
#include "views.h"

static void
stream_rows(FILE *out, const cJSON *s)
{
	const cJSON *w = cbd_json_member(s, "width"), *h = cbd_json_member(s, "height");
	char buf[96];

	if (!cJSON_IsTrue(cbd_json_member(s, "done"))) {
		cbd_html_row(out, "Picture", cbd_json_member_str(s, "reason")
		                                 ? cbd_json_member_str(s, "reason")
		                                 : "not taken");
		return;
	}
	if (cJSON_IsNumber(w) && cJSON_IsNumber(h)) {
		snprintf(buf, sizeof(buf), "%.0f × %.0f %s", w->valuedouble, h->valuedouble,
		         cbd_json_member_str(s, "format") ? cbd_json_member_str(s, "format") : "");
		cbd_html_row(out, "Picture", buf);
	}
	cbd_html_row_num(out, "Frames", s, "frames", "");
	cbd_html_row_num(out, "Damaged frames", s, "error_frames", "");
	cbd_html_row_num(out, "First frame after", s, "first_frame_ms", " ms");
	cbd_html_row_num(out, "Brightness (0–255)", s, "brightness_mean", "");
	cbd_html_row_num(out, "Brightness spread", s, "brightness_spread", "");
	if (cJSON_IsBool(cbd_json_member(s, "frozen")))
		cbd_html_row(out, "Frozen", cJSON_IsTrue(cbd_json_member(s, "frozen")) ? "yes" : "no");
}

static void
html(FILE *out, const cJSON *data, const struct cbd_view_ctx *ctx)
{
	const cJSON *o;

	(void)ctx;
	cJSON_ArrayForEach(o, cbd_json_member(data, "cameras"))
	{
		if (!cJSON_IsTrue(cbd_json_member(o, "capture")))
			continue;
		fputs("<div class=\"panel\"><table>", out);
		cbd_html_row(out, "Camera", cbd_json_member_str(o, "name") ? cbd_json_member_str(o, "name")
		                                                          : "?");
		if (cbd_json_member_str(o, "driver"))
			cbd_html_row(out, "Driver", cbd_json_member_str(o, "driver"));
		if (cbd_json_member_str(o, "bus"))
			cbd_html_row(out, "Bus", cbd_json_member_str(o, "bus"));
		stream_rows(out, cbd_json_member(o, "stream"));
		fputs("</table></div>\n", out);
	}
}

static const struct cbd_view_part diff = {
    "cameras", "node", "camera", {"name", "driver", NULL}, {"stream.brightness_mean", NULL},
};

static bool
captures(const cJSON *o)
{
	return cJSON_IsTrue(cbd_json_member(o, "capture"));
}

static bool
has_camera(const cJSON *data, char *out, size_t size)
{
	int n = cbd_view_count(data, "cameras", captures);

	return n >= 0 && cbd_view_yes_no(n > 0, out, size);
}

static const struct cbd_view_fact facts[] = {
    {"camera", CBD_FACT_PRESENCE, has_camera, N_("This model has a camera, but none was found"),
     N_("Reseat the camera's cable at both ends (in the screen's frame) and test again; replace "
        "the camera if it is still not found")},
    {NULL},
};

const struct cbd_view cbd_view_camera = {
    .probe = "camera",
    .html = html,
    .diff = &diff,
    .facts = facts,
};
