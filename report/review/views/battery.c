/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The battery's view: health bar against the lines, bench tests, pack
 * swaps in the diff, health per model in the fleet summary. */
#include <stdlib.h>

#include "views.h"

static void
html(FILE *out, const cJSON *data, const struct cbd_view_ctx *ctx)
{
	const double warn = ctx->health_warn, fail = ctx->health_fail;
	const cJSON *b, *ct, *dt;

	cJSON_ArrayForEach(b, cbd_json_member(data, "batteries"))
	{
		double h;

		fputs("<div class=\"panel\"><h3>Battery ", out);
		cbd_html_escape(out, cbd_json_member_str(b, "name"));
		fputs("</h3>", out);
		if (cbd_view_num(b, "health_percent", &h)) {
			const char *colour = h < fail ? "#c0262d" : h < warn ? "#b7791f" : "#1e7f4f";

			/* numbers only inside style: JSON numbers are finite */
			fprintf(out,
				"<div>Health: <b>%.1f%%</b> of design capacity</div>"
				"<div class=\"bar\" role=\"img\" aria-label=\"health %.1f%%\">"
				"<div class=\"fill\" style=\"width:%.1f%%;background:%s\"></div>"
				"<div class=\"mark\" style=\"left:%.1f%%\"><span>replace %.0f%%</span></div>"
				"<div class=\"mark\" style=\"left:%.1f%%\"><span>worn %.0f%%</span></div>"
				"</div>",
				h, h, h < 0 ? 0 : h > 100 ? 100 : h, colour, fail, fail, warn, warn);
		} else {
			fputs("<div>Health: unknown (no design capacity reported)</div>", out);
		}
		fputs("<table>", out);
		cbd_html_row_num(out, "Charge cycles", b, "cycle_count", "");
		cbd_html_row_num(out, "Charge now", b, "capacity_percent", " %");
		cbd_html_row(out, "Status", cbd_json_member_str(b, "status"));
		cbd_html_row(out, "Manufacturer", cbd_json_member_str(b, "manufacturer"));
		cbd_html_row(out, "Model", cbd_json_member_str(b, "model"));
		cbd_html_row(out, "Serial", cbd_json_member_str(b, "serial"));
		cbd_html_row(out, "Technology", cbd_json_member_str(b, "technology"));
		cbd_html_row_num(out, "Full charge (µAh)", b, "charge_full_uah", "");
		cbd_html_row_num(out, "Design charge (µAh)", b, "charge_full_design_uah", "");
		cbd_html_row_num(out, "Full energy (µWh)", b, "energy_full_uwh", "");
		cbd_html_row_num(out, "Design energy (µWh)", b, "energy_full_design_uwh", "");
		fputs("</table></div>\n", out);
	}
	ct = cbd_json_member(data, "charge_test");
	dt = cbd_json_member(data, "discharge_test");
	if (cJSON_IsObject(ct) || cJSON_IsObject(dt)) {
		fputs("<div class=\"panel\"><h3>Bench tests</h3><table>", out);
		if (cJSON_IsObject(ct)) {
			cbd_html_row(out, "Charge test", cbd_json_member_str(ct, "result"));
			cbd_html_row_num(out, "Charge rate", ct, "percent_per_hour", " %/h");
		}
		if (cJSON_IsObject(dt)) {
			cbd_html_row(out, "Discharge test", cbd_json_member_str(dt, "result"));
			cbd_html_row_num(out, "Drain rate", dt, "percent_per_hour", " %/h");
		}
		fputs("</table></div>\n", out);
	}
}

static const struct cbd_view_part diff = {
	"batteries", "name", "battery",
	{"serial", "model", "manufacturer", NULL},
	{"health_percent", "cycle_count", "wear_percent", NULL},
};

/* The first battery's health: what the district replaces packs by. */
static bool
health(const cJSON *data, double *ret)
{
	return cbd_view_num(cJSON_GetArrayItem(cbd_json_member(data, "batteries"), 0), "health_percent",
			    ret);
}

static cJSON *
health_summary(const double *v, size_t n, const struct cbd_view_ctx *ctx)
{
	cJSON *bh = cbd_json_check(cJSON_CreateObject());
	size_t below_warn = 0, below_fail = 0;

	cJSON_AddNumberToObject(bh, "devices_with_health", (double)n);
	if (n) {
		cJSON_AddNumberToObject(
			bh, "median",
			cbd_view_round1(n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2));
		/* nearest rank */
		cJSON_AddNumberToObject(bh, "p10",
					cbd_view_round1(v[(size_t)ceil(0.1 * (double)n) - 1]));
		for (size_t i = 0; i < n; i++) {
			below_warn += v[i] < ctx->health_warn;
			below_fail += v[i] < ctx->health_fail;
		}
		cJSON_AddNumberToObject(bh, "below_warn_percent", cbd_view_pct(below_warn, n));
		cJSON_AddNumberToObject(bh, "below_fail_percent", cbd_view_pct(below_fail, n));
	} else {
		cJSON_AddNullToObject(bh, "median");
		cJSON_AddNullToObject(bh, "p10");
		cJSON_AddNullToObject(bh, "below_warn_percent");
		cJSON_AddNullToObject(bh, "below_fail_percent");
	}
	/* the distribution for the dashboard: devices per 10 points of health,
	 * [0,10) .. [90,100]; above 100 counts as 100, below 0 as 0 */
	{
		cJSON *hist = cbd_json_check(cJSON_AddArrayToObject(bh, "histogram"));
		size_t bins[10] = {0};

		for (size_t i = 0; i < n; i++) {
			double b = floor(v[i] / 10);

			bins[b < 0 ? 0 : b > 9 ? 9 : (size_t)b]++;
		}
		for (size_t i = 0; i < 10; i++)
			cJSON_AddItemToArray(hist, cbd_json_check(cJSON_CreateNumber((double)bins[i])));
	}
	cJSON_AddNumberToObject(bh, "warn_line", ctx->health_warn);
	cJSON_AddNumberToObject(bh, "fail_line", ctx->health_fail);
	return bh;
}

static const struct cbd_view_measure measure = {"battery_health", health, health_summary};

static bool
has_battery(const cJSON *data, char *out, size_t size)
{
	int n = cbd_view_count(data, "batteries", NULL);

	return n >= 0 && cbd_view_yes_no(n > 0, out, size);
}

static const struct cbd_view_fact facts[] = {
    /* in the profile, no finding of its own: a laptop without a battery
     * already fails battery.missing */
    {"battery", CBD_FACT_PRESENCE, has_battery, NULL, NULL},
    {NULL},
};

const struct cbd_view cbd_view_battery = {
	.probe = "battery",
	.html = html,
	.diff = &diff,
	.measure = &measure,
	.facts = facts,
};
