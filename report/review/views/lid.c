/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The lid view: the lid switch and its state, the power button, the lid and power-button
 * tests and the screen after the lid moved; a replaced lid sensor in the diff. */
#include "views.h"

static void
html(FILE *out, const cJSON *data, const struct cbd_view_ctx *ctx)
{
	const cJSON *o, *t, *p, *e;

	fputs("<div class=\"panel\"><table>", out);
	cJSON_ArrayForEach(o, cbd_json_member(data, "lid_switches"))
	{
		cbd_html_row(out, "Lid switch", cbd_view_str(o, "name", "?"));
		cbd_html_row(out, "Lid", cbd_view_str(o, "state", "unknown"));
	}
	cJSON_ArrayForEach(o, cbd_json_member(data, "power_buttons"))
	    cbd_html_row(out, "Power button", cbd_view_str(o, "name", "?"));
	if ((t = cbd_json_member(data, "lid_test")) && cJSON_IsObject(t)) {
		cbd_html_row_result(out, "Lid closed and opened", t, "ended");
		p = cbd_json_member(t, "panel");
		if (cJSON_IsObject(p)) {
			cbd_html_row(out, "Screen connector", cbd_view_str(p, "connector", "?"));
			cbd_html_row(out, "Connector after the lid moved",
			             cbd_view_str(p, "status_after", "gone"));
			cbd_html_row(out, "Screen identity (EDID) after",
			             cJSON_IsTrue(cbd_json_member(p, "edid_same"))
			                 ? "unchanged"
			                 : "changed or lost");
		}
		cJSON_ArrayForEach(e, cbd_json_member(t, "link_errors")) if (cJSON_IsString(e))
		    cbd_html_row(out, "Display link error", e->valuestring);
	}
	if ((t = cbd_json_member(data, "power_test")) && cJSON_IsObject(t))
		cbd_html_row_result(out, "Power button pressed", t, "ended");
	fputs("</table></div>\n", out);
}

static const struct cbd_view_part diff = {
    "lid_switches", "name", "lid switch", {"name", "phys", NULL}, {NULL},
};

const struct cbd_view cbd_view_lid = {
    .probe = "lid",
    .html = html,
    .diff = &diff,
};
