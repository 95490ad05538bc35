/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The display's view: each panel's identity from its EDID and the
 * backlight; a swapped panel in the diff. */
#include "views.h"

static void
html(FILE *out, const cJSON *data, const struct cbd_view_ctx *ctx)
{
	const cJSON *p, *bl = cbd_json_member(data, "backlight");

	cJSON_ArrayForEach(p, cbd_json_member(data, "panels"))
	{
		const cJSON *e = cbd_json_member(p, "edid"), *m = cbd_json_member(e, "preferred_mode");
		double w, h, hz;

		fputs("<div class=\"panel\"><h3>", out);
		cbd_html_escape(out, cbd_json_member_str(p, "connector"));
		fputs(cJSON_IsTrue(cbd_json_member(p, "internal")) ? " (internal)" : "", out);
		fputs("</h3><table>", out);
		cbd_html_row(out, "Status", cbd_json_member_str(p, "status"));
		if (cJSON_IsObject(e)) {
			cbd_html_row(out, "Manufacturer", cbd_json_member_str(e, "manufacturer"));
			cbd_html_row_num(out, "Product code", e, "product_code", "");
			cbd_html_row(out, "Name", cbd_json_member_str(e, "name"));
			cbd_html_row_num(out, "Serial number", e, "serial_number", "");
			cbd_html_row_num(out, "Made in", e, "manufacture_year", "");
			cbd_html_row_num(out, "Width (mm)", e, "width_mm", "");
			cbd_html_row_num(out, "Height (mm)", e, "height_mm", "");
			if (cbd_view_num(m, "width", &w) && cbd_view_num(m, "height", &h) &&
			    cbd_view_num(m, "refresh_hz", &hz)) {
				char buf[64];

				snprintf(buf, sizeof(buf), "%.0f × %.0f at %.2f Hz", w, h, hz);
				cbd_html_row(out, "Preferred mode", buf);
			}
			cbd_html_row(out, "EDID checksum",
				     cJSON_IsTrue(cbd_json_member(e, "checksum_ok")) ? "ok" : "bad");
		} else {
			cbd_html_row(out, "EDID", "none");
		}
		fputs("</table></div>\n", out);
	}
	if (cJSON_IsObject(bl)) {
		fputs("<div class=\"panel\"><table>", out);
		cbd_html_row(out, "Backlight", cbd_json_member_str(bl, "device"));
		cbd_html_row_num(out, "Brightness", bl, "brightness", "");
		cbd_html_row_num(out, "Maximum", bl, "max_brightness", "");
		cbd_html_row(out, "Sweep", cbd_json_member_str(bl, "sweep"));
		fputs("</table></div>\n", out);
	}
}

static const struct cbd_view_part diff = {
	"panels", "connector", "panel",
	{"edid.manufacturer", "edid.product_code", "edid.serial_number", "edid.name", NULL},
	{NULL},
};

/* the internal panel's own resolution (its EDID's preferred mode) */
static bool
panel_size(const cJSON *data, char *out, size_t size)
{
	const cJSON *p;

	cJSON_ArrayForEach(p, cbd_json_member(data, "panels"))
	{
		const cJSON *m = cbd_view_path(p, "edid.preferred_mode");
		double w, h;

		if (cJSON_IsTrue(cbd_json_member(p, "internal")) && cbd_view_num(m, "width", &w) &&
		    cbd_view_num(m, "height", &h) && w > 0 && h > 0 && w < 100000 && h < 100000) {
			snprintf(out, size, "%.0fx%.0f", w, h);
			return true;
		}
	}
	return false;
}

static const struct cbd_view_fact facts[] = {
    {"panel", CBD_FACT_VALUE, panel_size,
     N_("This screen is not the kind this model has: a different screen was fitted"),
     N_("Check that the screen is the right part for this model")},
    {NULL},
};

const struct cbd_view cbd_view_display = {
	.probe = "display",
	.html = html,
	.diff = &diff,
	.facts = facts,
};
