/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The fleet summary document as text for people. Every string from a report
 * goes through cbd_text_put_safe(): a serial cannot drive the terminal. */
#include "fleet.h"

static double
n_of(const cJSON *o, const char *key)
{
	const cJSON *v = cbd_json_member(o, key);

	return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

static void
put(FILE *out, const char *s)
{
	cbd_text_put_safe(out, s ? s : "");
}

/* Strings of @x by @keys, each after two spaces. */
static void
put_fields(FILE *out, const cJSON *x, const char *const *keys)
{
	for (; *keys; keys++) {
		fputs("  ", out);
		put(out, cbd_json_member_str(x, *keys));
	}
}

static void
top_finding_line(FILE *out, const cJSON *x)
{
	put_fields(out, x, (const char *const[]){"code", NULL});
	fprintf(out, "  %.0f (fail %.0f, warn %.0f)\n", n_of(x, "reports"), n_of(x, "fail"),
		n_of(x, "warn"));
}

static void
still_failing_line(FILE *out, const cJSON *x)
{
	const cJSON *p;

	put_fields(out, x, (const char *const[]){"device", "model", "started_at", NULL});
	fputs("  failed:", out);
	cJSON_ArrayForEach(p, cbd_json_member(x, "failed"))
	{
		fputc(' ', out);
		put(out, p->valuestring);
	}
	fputc('\n', out);
}

static void
repeat_visitor_line(FILE *out, const cJSON *x)
{
	put_fields(out, x, (const char *const[]){"device", "model", "probe", NULL});
	fprintf(out, " failed %.0f times, ", n_of(x, "failed_reports"));
	put(out, cbd_json_member_str(x, "first"));
	fputs(" .. ", out);
	put(out, cbd_json_member_str(x, "last"));
	fputc('\n', out);
}

static void
skipped_line(FILE *out, const cJSON *x)
{
	put_fields(out, x, (const char *const[]){"path", NULL});
	fputs(": ", out);
	put(out, cbd_json_member_str(x, "reason"));
	fputc('\n', out);
}

/* At most @max_rows items of @arr, one line each, then a note when there are more. */
static void
list(FILE *out, const cJSON *arr, int max_rows, void (*line)(FILE *, const cJSON *))
{
	const cJSON *x;
	int k = 0;

	cJSON_ArrayForEach(x, arr)
	{
		if (k++ == max_rows) {
			fputs("  ... (--json lists all)\n", out);
			break;
		}
		line(out, x);
	}
}

static void
model_lines(FILE *out, const cJSON *x)
{
	const cJSON *bh = cbd_json_member(x, "battery_health"), *t;
	bool first = true;

	put_fields(out, x, (const char *const[]){"model", NULL});
	fprintf(out, ": %.0f devices, %.0f still failing", n_of(x, "devices"),
		n_of(x, "still_failing"));
	if (cJSON_IsNumber(cbd_json_member(bh, "median")))
		fprintf(out,
			"; battery health median %.1f%%, p10 %.1f%%, %.1f%% below %.0f%%, "
			"%.1f%% below %.0f%%",
			n_of(bh, "median"), n_of(bh, "p10"), n_of(bh, "below_warn_percent"),
			n_of(bh, "warn_line"), n_of(bh, "below_fail_percent"), n_of(bh, "fail_line"));
	fputc('\n', out);
	cJSON_ArrayForEach(t, cbd_json_member(x, "top_failures"))
	{
		fputs(first ? "    top failures: " : ", ", out);
		put(out, cbd_json_member_str(t, "code"));
		fprintf(out, " (%.0f)", n_of(t, "reports"));
		first = false;
	}
	if (!first)
		fputc('\n', out);
}

static void
org_unit_line(FILE *out, const cJSON *x)
{
	const char *ou = cbd_json_member_str(x, "org_unit");

	fputs("    ", out);
	if (ou)
		put(out, ou);
	else
		fputs("(no organisational unit)", out);
	fprintf(out, ": %.0f of %.0f never checked\n", n_of(x, "never_checked"),
		n_of(x, "devices"));
}

void
cbd_fleet_render_text(const struct cbd_doc *summary, FILE *out, int max_rows)
{
	const cJSON *r = summary->root, *x;

	fprintf(out, "Fleet: %.0f reports, %.0f devices", n_of(r, "reports"), n_of(r, "devices"));
	if (n_of(r, "reports_without_device_identity"))
		fprintf(out, ", %.0f reports without a serial or asset tag",
			n_of(r, "reports_without_device_identity"));
	if (n_of(r, "skipped_files"))
		fprintf(out, ", %.0f files skipped", n_of(r, "skipped_files"));
	fputs("\n\nFailure rate per probe (all reports)\n", out);
	fprintf(out, "  %-10s %8s %7s %7s %7s\n", "probe", "reports", "fail", "warn", "error");
	cJSON_ArrayForEach(x, cbd_json_member(r, "probes"))
	{
		const char *name = cbd_json_member_str(x, "name");
		int pad = 10 - (int)strlen(name ? name : "");

		fputs("  ", out);
		put(out, name);
		fprintf(out, "%*s %8.0f %6.1f%% %6.1f%% %7.0f\n", pad > 0 ? pad : 0, "",
			n_of(x, "reports"), n_of(x, "fail_percent"), n_of(x, "warn_percent"),
			n_of(x, "error"));
	}
	fputs("\nTop findings (reports)\n", out);
	list(out, cbd_json_member(r, "top_findings"), max_rows, top_finding_line);
	fputs("\nPer model (latest report of each device)\n", out);
	list(out, cbd_json_member(r, "models"), -1, model_lines);
	fprintf(out, "\nStill failing (latest report fails): %d devices\n",
		cJSON_GetArraySize(cbd_json_member(r, "still_failing")));
	list(out, cbd_json_member(r, "still_failing"), max_rows, still_failing_line);
	fprintf(out, "\nRepeat visitors (the same part failed in more than one visit): %d\n",
		cJSON_GetArraySize(cbd_json_member(r, "repeat_visitors")));
	list(out, cbd_json_member(r, "repeat_visitors"), max_rows, repeat_visitor_line);
	if ((x = cbd_json_member(r, "enrolled"))) {
		fprintf(out,
			"\nEnrolled devices (the device export): %.0f, %.0f checked (%.1f%%), %.0f "
			"never checked\n",
			n_of(x, "devices"), n_of(x, "checked"), n_of(x, "checked_percent"),
			n_of(x, "never_checked"));
		if (n_of(x, "checked_not_in_export"))
			fprintf(out, "  %.0f checked device%s not in the export\n",
				n_of(x, "checked_not_in_export"),
				n_of(x, "checked_not_in_export") == 1 ? " is" : "s are");
		if (cJSON_GetArraySize(cbd_json_member(x, "org_units")))
			fputs("  never checked, per organisational unit:\n", out);
		list(out, cbd_json_member(x, "org_units"), max_rows, org_unit_line);
	}
	if (cJSON_GetArraySize(cbd_json_member(r, "skipped"))) {
		fputs("\nSkipped files\n", out);
		list(out, cbd_json_member(r, "skipped"), max_rows, skipped_line);
	}
}
