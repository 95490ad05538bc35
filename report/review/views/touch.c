/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The touch view: the touchpad and its kind and size, the touchscreen and stylus, the guided
 * tests with the map of the cells reached; a replaced touchpad in the diff. */
#include "views.h"

static const char *
str_or(const cJSON *o, const char *key, const char *dflt)
{
	const char *s = cbd_json_member_str(o, key);

	return s ? s : dflt;
}

static void
size_row(FILE *out, const cJSON *o)
{
	const cJSON *w = cbd_json_member(o, "width_mm"), *h = cbd_json_member(o, "height_mm");
	char buf[64];

	if (cJSON_IsNumber(w) && cJSON_IsNumber(h)) {
		snprintf(buf, sizeof(buf), "%.0f × %.0f mm", w->valuedouble, h->valuedouble);
		cbd_html_row(out, "Size", buf);
	}
}

static void
test_rows(FILE *out, const char *label, const cJSON *t)
{
	const cJSON *e;

	fprintf(out, "<tr><th>");
	cbd_html_escape(out, label);
	fputs("</th><td>", out);
	cbd_html_badge(out, str_or(t, "result", "?"));
	fputs(" ", out);
	cbd_html_escape(out, str_or(t, "ended", ""));
	fputs("</td></tr>", out);
	if (cJSON_IsArray(cbd_json_member(t, "map"))) {
		/* one line a row of the grid; a blank (off the path) as a middle dot, for
		 * HTML folds spaces */
		fputs("<tr><th>Cells (# reached, . missed)</th><td>", out);
		cJSON_ArrayForEach(e, cbd_json_member(t, "map")) if (cJSON_IsString(e))
		{
			size_t n = strlen(e->valuestring);
			_cleanup_free_ char *row = cbd_zalloc(n * 2 + 1);

			for (size_t i = 0, j = 0; i < n; i++) {
				if (e->valuestring[i] == ' ') {
					row[j++] = '\xc2'; /* U+00B7, the middle dot */
					row[j++] = '\xb7';
				} else {
					row[j++] = e->valuestring[i];
				}
			}
			fputs("<div><code>", out);
			cbd_html_escape(out, row);
			fputs("</code></div>", out);
		}
		fputs("</td></tr>", out);
	}
	cJSON_ArrayForEach(e, cbd_json_member(t, "dead_cells")) if (cJSON_IsString(e))
	    cbd_html_row(out, "No response at", e->valuestring);
}

static void
html(FILE *out, const cJSON *data, const struct cbd_view_ctx *ctx)
{
	const cJSON *o, *t;

	fputs("<div class=\"panel\"><table>", out);
	cJSON_ArrayForEach(o, cbd_json_member(data, "touchpads"))
	{
		cbd_html_row(out, "Touchpad", str_or(o, "name", "?"));
		cbd_html_row(out, "Kind", str_or(o, "kind", "?"));
		cbd_html_row(out, "Connected by", str_or(o, "bus", "?"));
		size_row(out, o);
	}
	cJSON_ArrayForEach(o, cbd_json_member(data, "touchscreens"))
	{
		cbd_html_row(out, "Touchscreen", str_or(o, "name", "?"));
		size_row(out, o);
		cbd_html_row(out, "Stylus",
		             cJSON_IsTrue(cbd_json_member(o, "stylus")) ? "yes" : "no");
	}
	if ((t = cbd_json_member(data, "trace_test")) && cJSON_IsObject(t))
		test_rows(out, "Touchpad traced", t);
	if ((t = cbd_json_member(data, "click_test")) && cJSON_IsObject(t))
		test_rows(out, "Touchpad clicks and scroll", t);
	if ((t = cbd_json_member(data, "screen_test")) && cJSON_IsObject(t))
		test_rows(out, "Touchscreen drawn on", t);
	if ((t = cbd_json_member(data, "stylus_test")) && cJSON_IsObject(t))
		test_rows(out, "Stylus", t);
	fputs("</table></div>\n", out);
}

static const struct cbd_view_part diff = {
    "touchpads", "event", "touchpad", {"name", "phys", NULL}, {"width_mm", "height_mm", NULL},
};

static bool
touchpad_kind(const cJSON *data, char *out, size_t size)
{
	const cJSON *pads = cbd_json_member(data, "touchpads");
	const char *kind = cbd_json_member_str(cJSON_GetArrayItem(pads, 0), "kind");

	if (!cJSON_IsArray(pads))
		return false;
	snprintf(out, size, "%s", cJSON_GetArraySize(pads) == 0 ? "none" : kind ? kind : "touchpad");
	return true;
}

/* the probe's own word on what it found (data.touchscreen, data.stylus) */
static bool
has_touchscreen(const cJSON *data, char *out, size_t size)
{
	const cJSON *v = cbd_json_member(data, "touchscreen");

	return cJSON_IsBool(v) && cbd_view_yes_no(cJSON_IsTrue(v), out, size);
}

static bool
has_stylus(const cJSON *data, char *out, size_t size)
{
	const cJSON *v = cbd_json_member(data, "stylus");

	return cJSON_IsBool(v) && cbd_view_yes_no(cJSON_IsTrue(v), out, size);
}

static const struct cbd_view_fact facts[] = {
    {"touchpad", CBD_FACT_VALUE, touchpad_kind,
     N_("This touchpad is not the kind this model has: a different touchpad was fitted"),
     N_("Check that the touchpad is the right part for this model")},
    {"touchscreen", CBD_FACT_PRESENCE, has_touchscreen,
     N_("This model has a touchscreen, but none was found"),
     N_("Reseat the touchscreen's cable at both ends and test again; staff if it is still not "
        "found")},
    {"stylus", CBD_FACT_PRESENCE, has_stylus,
     N_("This model's screen takes a stylus, but no stylus sensor was found"),
     N_("Reseat the touchscreen's cable at both ends and test again; staff if it is still not "
        "found")},
    {NULL},
};

const struct cbd_view cbd_view_touch = {
    .probe = "touch",
    .html = html,
    .diff = &diff,
    .facts = facts,
};
