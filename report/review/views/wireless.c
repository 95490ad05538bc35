/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The wireless view: Wi-Fi interfaces, Bluetooth, radio switches, cards without drivers,
 * firmware that did not load; a swapped Wi-Fi card in the diff. */
#include "views.h"

static void
row_opt(FILE *out, const char *label, const cJSON *o, const char *key)
{
	if (cbd_json_member_str(o, key))
		cbd_html_row(out, label, cbd_json_member_str(o, key));
}

/* The scan: how many networks on which band, the strongest signal; or why none */
static void
scan_rows(FILE *out, const cJSON *scan)
{
	const cJSON *dbm = cbd_json_member(scan, "strongest_dbm");
	char v[96];

	if (!cJSON_IsObject(scan))
		return;
	if (!cJSON_IsTrue(cbd_json_member(scan, "done"))) {
		cbd_html_row(out, "Scan", cbd_json_member_str(scan, "reason")
		                              ? cbd_json_member_str(scan, "reason")
		                              : "not done");
		return;
	}
	snprintf(v, sizeof(v), "%.0f (2.4 GHz %.0f, 5 GHz %.0f, 6 GHz %.0f)",
	         cJSON_GetNumberValue(cbd_json_member(scan, "networks")),
	         cJSON_GetNumberValue(cbd_json_member(scan, "networks_2ghz")),
	         cJSON_GetNumberValue(cbd_json_member(scan, "networks_5ghz")),
	         cJSON_GetNumberValue(cbd_json_member(scan, "networks_6ghz")));
	cbd_html_row(out, "Networks heard", v);
	if (cJSON_IsNumber(dbm)) {
		snprintf(v, sizeof(v), "%.0f dBm", dbm->valuedouble);
		cbd_html_row(out, "Strongest signal", v);
	}
}

static void
html(FILE *out, const cJSON *data, const struct cbd_view_ctx *ctx)
{
	const cJSON *o;

	cJSON_ArrayForEach(o, cbd_json_member(data, "wifi"))
	{
		fputs("<div class=\"panel\"><table>", out);
		cbd_html_row(out, "Wi-Fi", cbd_json_member_str(o, "interface"));
		row_opt(out, "Driver", o, "driver");
		row_opt(out, "Bus", o, "bus");
		row_opt(out, "State", o, "operstate");
		scan_rows(out, cbd_json_member(o, "scan"));
		fputs("</table></div>\n", out);
	}
	cJSON_ArrayForEach(o, cbd_json_member(data, "bluetooth"))
	{
		fputs("<div class=\"panel\"><table>", out);
		cbd_html_row(out, "Bluetooth", cbd_json_member_str(o, "controller"));
		row_opt(out, "Driver", o, "driver");
		row_opt(out, "Bus", o, "bus");
		fputs("</table></div>\n", out);
	}
	if (cJSON_GetArraySize(cbd_json_member(data, "rfkill")) > 0) {
		fputs("<div class=\"panel\"><h3>Radio switches</h3><table>", out);
		cJSON_ArrayForEach(o, cbd_json_member(data, "rfkill"))
		{
			const cJSON *hard = cbd_json_member(o, "hard_blocked"),
			            *soft = cbd_json_member(o, "soft_blocked");

			cbd_html_row(out, cbd_json_member_str(o, "name") ? cbd_json_member_str(o, "name") : "?",
			             cJSON_IsTrue(hard)   ? "off (switch or key)"
			             : cJSON_IsTrue(soft) ? "off (software)"
			                                  : "on");
		}
		fputs("</table></div>\n", out);
	}
	if (cJSON_GetArraySize(cbd_json_member(data, "hardware")) > 0) {
		fputs("<div class=\"panel\"><h3>Radio hardware</h3><table>", out);
		cJSON_ArrayForEach(o, cbd_json_member(data, "hardware"))
		{
			char value[160];

			snprintf(value, sizeof(value), "%s%s%s, driver %s",
			         cbd_json_member_str(o, "kind") ? cbd_json_member_str(o, "kind") : "?",
			         cbd_json_member_str(o, "id") ? " " : "",
			         cbd_json_member_str(o, "id") ? cbd_json_member_str(o, "id") : "",
			         cbd_json_member_str(o, "driver") ? cbd_json_member_str(o, "driver") : "none");
			cbd_html_row(out, cbd_json_member_str(o, "where") ? cbd_json_member_str(o, "where") : "?",
			             value);
		}
		fputs("</table></div>\n", out);
	}
	if (cJSON_GetArraySize(cbd_json_member(data, "firmware_failures")) > 0) {
		fputs("<div class=\"panel\"><h3>Firmware that did not load</h3>", out);
		cJSON_ArrayForEach(o, cbd_json_member(data, "firmware_failures"))
		{
			if (!cJSON_IsString(o))
				continue;
			fputs("<p>", out);
			cbd_html_el(out, "code", NULL, o->valuestring);
			fputs("</p>", out);
		}
		fputs("</div>\n", out);
	}
}

static const struct cbd_view_part diff = {
    "hardware", "where", "radio card", {"id", NULL}, {NULL},
};

static bool
has_wifi(const cJSON *data, char *out, size_t size)
{
	int n = cbd_view_count(data, "wifi", NULL);

	return n >= 0 && cbd_view_yes_no(n > 0, out, size);
}

static const struct cbd_view_fact facts[] = {
    /* in the profile, no finding of its own: a laptop without Wi-Fi already
     * fails wireless.missing */
    {"wifi", CBD_FACT_PRESENCE, has_wifi, NULL, NULL},
    {NULL},
};

const struct cbd_view cbd_view_wireless = {
    .probe = "wireless",
    .html = html,
    .diff = &diff,
    .facts = facts,
};
