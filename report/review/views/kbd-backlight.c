/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The keyboard light's view: each light and its sweep, a swapped keyboard light in the diff. */
#include "views.h"

static void
html(FILE *out, const cJSON *data, const struct cbd_view_ctx *ctx)
{
	const cJSON *l, *s;

	cJSON_ArrayForEach(l, cbd_json_member(data, "leds"))
	{
		fputs("<div class=\"panel\"><table>", out);
		cbd_html_row(out, "Keyboard light", cbd_json_member_str(l, "name"));
		cbd_html_row_num(out, "Level", l, "brightness", "");
		cbd_html_row_num(out, "Maximum", l, "max_brightness", "");
		fputs("<tr><th>Sweep</th><td>", out);
		cbd_html_badge(out, cbd_json_member_str(l, "sweep"));
		if (cbd_json_member_str(l, "sweep_reason")) {
			fputs(" ", out);
			cbd_html_escape(out, cbd_json_member_str(l, "sweep_reason"));
		}
		fputs("</td></tr>", out);
		cJSON_ArrayForEach(s, cbd_json_member(l, "sweep_levels"))
		{
			char label[48];
			double set;

			if (!cbd_view_num(s, "set", &set))
				continue;
			snprintf(label, sizeof(label), "Set to %.0f, read back", set);
			cbd_html_row_num(out, label, s, "actual", "");
		}
		if (cbd_json_member_str(l, "intern_saw_change"))
			cbd_html_row(out, "Keys got brighter", cbd_json_member_str(l, "intern_saw_change"));
		fputs("</table></div>\n", out);
	}
}

static const struct cbd_view_part diff = {
    "leds", "name", "keyboard light", {"name", "max_brightness", NULL}, {NULL},
};

static bool
has_light(const cJSON *data, char *out, size_t size)
{
	int n = cbd_view_count(data, "leds", NULL);

	return n >= 0 && cbd_view_yes_no(n > 0, out, size);
}

static const struct cbd_view_fact facts[] = {
    {"keyboard_light", CBD_FACT_PRESENCE, has_light,
     N_("This model's keyboard lights up, but no keyboard light was found"),
     N_("Reseat the keyboard light's cable; if this keyboard has no light, it is the wrong "
        "keyboard for this model")},
    {NULL},
};

const struct cbd_view cbd_view_kbd_backlight = {
    .probe = "kbd_backlight",
    .html = html,
    .diff = &diff,
    .facts = facts,
};
