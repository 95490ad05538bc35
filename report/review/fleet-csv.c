/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The fleet summary as data for the tools staff already use: CSV for a
 * spreadsheet (one row per device, its latest report; or one per finding of
 * those reports) and NDJSON for
 * analytics engines (the same devices, one JSON object a line).
 *
 * CSV is RFC 4180: CRLF line ends, every text cell in double quotes with its
 * quotes doubled, UTF-8 as the reports hold it (no byte-order mark). A
 * serial or model comes from the hardware and may begin with = + - @ (or a
 * tab or CR, which some spreadsheets skip before such a sign): a spreadsheet
 * would run it as a formula, so such a cell gets a leading ' (it then shows
 * as text). Only text cells get this; numbers are ours.
 */
#include "fleet.h"

void
cbd_csv_cell(FILE *out, const char *s)
{
	fputc('"', out);
	if (s && (*s == '=' || *s == '+' || *s == '-' || *s == '@' || *s == '\t' || *s == '\r'))
		fputc('\'', out);
	for (; s && *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

static void
num_cell(FILE *out, const cJSON *v)
{
	if (cJSON_IsNumber(v))
		fprintf(out, "%.15g", v->valuedouble);
}

void
cbd_fleet_render_csv(const struct cbd_doc *summary, FILE *out)
{
	const cJSON *d;

	fputs("device,model,latest_report_at,overall,failed_parts,battery_health,reports,"
	      "latest_report\r\n",
	      out);
	cJSON_ArrayForEach(d, cbd_json_member(summary->root, "device_list"))
	{
		const cJSON *p;
		size_t len = 0;
		char *parts = NULL;
		FILE *m = open_memstream(&parts, &len);

		if (!m)
			cbd_oom();
		cJSON_ArrayForEach(p, cbd_json_member(d, "failed"))
		    fprintf(m, "%s%s", p == cbd_json_member(d, "failed")->child ? "" : " ",
		            p->valuestring ? p->valuestring : "");
		fclose(m);
		cbd_csv_cell(out, cbd_json_member_str(d, "device"));
		fputc(',', out);
		cbd_csv_cell(out, cbd_json_member_str(d, "model"));
		fputc(',', out);
		cbd_csv_cell(out, cbd_json_member_str(d, "started_at"));
		fputc(',', out);
		cbd_csv_cell(out, cbd_json_member_str(d, "overall"));
		fputc(',', out);
		cbd_csv_cell(out, parts);
		fputc(',', out);
		num_cell(out, cbd_json_member(d, "battery_health"));
		fputc(',', out);
		num_cell(out, cbd_json_member(d, "reports"));
		fputc(',', out);
		cbd_csv_cell(out, cbd_json_member_str(d, "path"));
		fputs("\r\n", out);
		free(parts);
	}
}

void
cbd_fleet_render_ndjson(const struct cbd_doc *summary, FILE *out)
{
	const cJSON *d;

	cJSON_ArrayForEach(d, cbd_json_member(summary->root, "device_list"))
	{
		char *line = cJSON_PrintUnformatted(d);

		if (!line)
			cbd_oom();
		fputs(line, out);
		fputc('\n', out);
		cJSON_free(line);
	}
}

void
cbd_fleet_render_csv_findings(const struct cbd_doc *summary, FILE *out)
{
	const cJSON *d, *fd;

	fputs("device,model,latest_report_at,probe,code,severity,latest_report\r\n", out);
	cJSON_ArrayForEach(d, cbd_json_member(summary->root, "device_list"))
	    cJSON_ArrayForEach(fd, cbd_json_member(d, "findings"))
	{
		cbd_csv_cell(out, cbd_json_member_str(d, "device"));
		fputc(',', out);
		cbd_csv_cell(out, cbd_json_member_str(d, "model"));
		fputc(',', out);
		cbd_csv_cell(out, cbd_json_member_str(d, "started_at"));
		fputc(',', out);
		cbd_csv_cell(out, cbd_json_member_str(fd, "probe"));
		fputc(',', out);
		cbd_csv_cell(out, cbd_json_member_str(fd, "code"));
		fputc(',', out);
		cbd_csv_cell(out, cbd_json_member_str(fd, "severity"));
		fputc(',', out);
		cbd_csv_cell(out, cbd_json_member_str(d, "path"));
		fputs("\r\n", out);
	}
}

void
cbd_fleet_render_csv_unchecked(const struct cbd_doc *summary, FILE *out)
{
	const cJSON *d;

	fputs("serial,org_unit,asset_id,model\r\n", out);
	cJSON_ArrayForEach(d, cbd_json_member(cbd_json_member(summary->root, "enrolled"),
					      "never_checked_list"))
	{
		cbd_csv_cell(out, cbd_json_member_str(d, "serial"));
		fputc(',', out);
		cbd_csv_cell(out, cbd_json_member_str(d, "org_unit"));
		fputc(',', out);
		cbd_csv_cell(out, cbd_json_member_str(d, "asset_id"));
		fputc(',', out);
		cbd_csv_cell(out, cbd_json_member_str(d, "model"));
		fputs("\r\n", out);
	}
}
