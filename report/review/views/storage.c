/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The storage's view: each disk's identity, wear (eMMC, UFS, NVMe) and read
 * test; a swapped disk and its wear before and after in the diff. */
#include "views.h"

static void
html(FILE *out, const cJSON *data, const struct cbd_view_ctx *ctx)
{
	const cJSON *d;

	cJSON_ArrayForEach(d, cbd_json_member(data, "devices"))
	{
		const cJSON *e = cbd_json_member(d, "emmc"), *n = cbd_json_member(d, "nvme"),
			    *u = cbd_json_member(d, "ufs"), *rt = cbd_json_member(d, "read_test");
		double size;

		fputs("<div class=\"panel\"><h3>", out);
		cbd_html_escape(out, cbd_json_member_str(d, "name"));
		fputs(" (", out);
		cbd_html_escape(out, cbd_json_member_str(d, "type"));
		fputs(cJSON_IsTrue(cbd_json_member(d, "internal")) ? ", internal)" : ", removable)", out);
		fputs("</h3><table>", out);
		cbd_html_row(out, "Model", cbd_json_member_str(d, "model"));
		cbd_html_row(out, "Serial", cbd_json_member_str(d, "serial"));
		cbd_html_row(out, "Firmware", cbd_json_member_str(d, "firmware"));
		if (cbd_view_num(d, "size_bytes", &size)) {
			char buf[32];

			snprintf(buf, sizeof(buf), "%.1f GB", size / 1e9);
			cbd_html_row(out, "Size", buf);
		}
		if (cJSON_IsObject(e)) {
			cbd_html_row_num(out, "eMMC life used, type A (x10%)", e, "life_time_a", "");
			cbd_html_row_num(out, "eMMC life used, type B (x10%)", e, "life_time_b", "");
			cbd_html_row_num(out, "eMMC pre-EOL (1 normal, 2 warning, 3 urgent)", e,
					 "pre_eol", "");
			cbd_html_row(out, "Manufacturer", cbd_json_member_str(e, "manufacturer"));
		}
		if (cJSON_IsObject(u)) {
			cbd_html_row_num(out, "UFS life used, type A (x10%)", u, "life_time_a", "");
			cbd_html_row_num(out, "UFS life used, type B (x10%)", u, "life_time_b", "");
			cbd_html_row_num(out, "UFS pre-EOL", u, "pre_eol", "");
		}
		if (cJSON_IsObject(n)) {
			cbd_html_row_num(out, "Endurance used", n, "percentage_used", " %");
			cbd_html_row_num(out, "Spare left", n, "available_spare", " %");
			cbd_html_row_num(out, "Critical warning", n, "critical_warning", "");
			cbd_html_row_num(out, "Media errors", n, "media_errors", "");
			cbd_html_row_num(out, "Temperature", n, "temperature_c", " °C");
			cbd_html_row_num(out, "Power-on hours", n, "power_on_hours", "");
		}
		if (cJSON_IsObject(rt)) {
			cbd_html_row(out, "Read test", cbd_json_member_str(rt, "mode"));
			cbd_html_row_num(out, "Read speed", rt, "mib_per_s", " MiB/s");
			cbd_html_row_num(out, "Unreadable blocks", rt, "errors", "");
		}
		fputs("</table></div>\n", out);
	}
}

static const struct cbd_view_part diff = {
	"devices", "name", "disk",
	{"serial", "model", NULL},
	{"emmc.life_time_a", "emmc.life_time_b", "emmc.pre_eol", "nvme.percentage_used",
	 "nvme.available_spare", "nvme.media_errors", "read_test.errors", "read_test.mib_per_s",
	 NULL},
};

/* the internal disk's kind and size, to the nearest size disks are sold in */
static bool
disk(const cJSON *data, char *out, size_t size)
{
	static const double sold[] = {4, 8, 16, 32, 64, 128, 256, 512, 1000, 2000, 4000};
	const cJSON *d;

	cJSON_ArrayForEach(d, cbd_json_member(data, "devices"))
	{
		const char *type = cbd_json_member_str(d, "type");
		double bytes, gb, best = sold[0];

		if (!cJSON_IsTrue(cbd_json_member(d, "internal")) || !type ||
		    !cbd_view_num(d, "size_bytes", &bytes) || bytes <= 0)
			continue;
		gb = bytes / 1e9;
		for (size_t i = 0; i < sizeof(sold) / sizeof(sold[0]); i++)
			if (fabs(log(gb / sold[i])) < fabs(log(gb / best)))
				best = sold[i];
		snprintf(out, size, "%.24s %.0f GB", type, best);
		return true;
	}
	return false;
}

static const struct cbd_view_fact facts[] = {
    {"disk", CBD_FACT_VALUE, disk,
     N_("This disk is not the kind this model has: a different disk was fitted"),
     N_("Check that the disk is the right part for this model")},
    {NULL},
};

const struct cbd_view cbd_view_storage = {
	.probe = "storage",
	.html = html,
	.diff = &diff,
	.facts = facts,
};
