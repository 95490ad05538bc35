/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The fleet dashboard: the summary document as one self-contained HTML page,
 * like the report page (html.c): inline CSS, no script, no font, no image
 * fetched, the same Content-Security-Policy, readable when printed. The
 * charts are inline SVG drawn here: failure rate per part and per model,
 * battery health per model against the lines in force, repeat visitors per
 * part, failures by month; then tables of devices, each linked to its latest
 * report.
 *
 * Every string (models, serials, probe names, paths) comes from reports and
 * is escaped by cbd_html_escape() for HTML text, SVG text and double-quoted
 * attributes alike; only numbers we compute reach a coordinate. Each drawn
 * figure carries its number in a data-value attribute (what the tests read
 * back against --json). A link to a report is only ever a relative path,
 * percent-encoded byte by byte (a scheme, a quote or a space cannot survive);
 * an absolute path is shown as text, not linked.
 */
#include <ctype.h>

#include "fleet.h"

static double
n_of(const cJSON *o, const char *key)
{
	const cJSON *v = cbd_json_member(o, key);

	return cJSON_IsNumber(v) && isfinite(v->valuedouble) ? v->valuedouble : 0;
}

static const char *
s_of(const cJSON *o, const char *key)
{
	const char *s = cbd_json_member_str(o, key);

	return s ? s : "";
}

static const char *const CSS =
    "*{box-sizing:border-box}"
    "body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1d2330;"
    "margin:0;background:#f3f5f8}"
    "main{max-width:1000px;margin:0 auto;padding:24px}"
    "header h1{font-size:22px;margin:0 0 4px}header p{margin:0;color:#4a5568}"
    "section{margin-top:26px}section h2{font-size:18px;margin:0 0 10px}"
    ".panel{background:#fff;border-radius:10px;padding:14px 16px;margin-bottom:12px;"
    "box-shadow:0 1px 2px rgba(0,0,0,.08)}"
    ".grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:12px}"
    ".grid h3{font-size:15px;margin:0 0 4px;overflow-wrap:anywhere}"
    "svg{display:block;width:100%;height:auto}"
    "svg text{font:12px system-ui,sans-serif;fill:#1d2330}"
    ".c-fail{fill:#c0262d}.c-warn{fill:#b7791f}.c-ok{fill:#1e7f4f}.c-all{fill:#cbd5e0}"
    ".axis{stroke:#a0aec0;stroke-width:1}"
    ".line{stroke:#1d2330;stroke-width:1.5;stroke-dasharray:4 3}"
    "table{border-collapse:collapse;width:100%;font-size:13px}"
    "th,td{text-align:left;padding:3px 8px 3px 0;vertical-align:top;overflow-wrap:anywhere}"
    "th{color:#4a5568;font-weight:600;border-bottom:1px solid #cbd5e0}"
    "tr+tr td{border-top:1px solid #edf2f7}"
    ".st{font-weight:700;text-transform:uppercase;font-size:12px}"
    ".st-fail{color:#c0262d}.st-warn{color:#b7791f}.st-pass{color:#1e7f4f}"
    ".st-error{color:#6b46c1}.st-skip{color:#718096}"
    ".muted{color:#718096}"
    "@media print{body{background:#fff;font-size:12px}main{padding:0;max-width:none}"
    ".panel{box-shadow:none;border:1px solid #cbd5e0}"
    "svg,.st{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
    "section,.panel,tr{break-inside:avoid}}";

static const char *const STATUSES[] = {"pass", "warn", "fail", "error", "skip", NULL};

static const char *
status_word(const char *s)
{
	for (size_t i = 0; s && STATUSES[i]; i++)
		if (streq(s, STATUSES[i]))
			return STATUSES[i];
	return "skip";
}

/* @s cut to at most @max bytes at a character boundary, "…" when cut. */
static void
put_short(FILE *out, const char *s, size_t max)
{
	size_t len = strlen(s), k;
	char *buf;

	if (len <= max) {
		cbd_html_escape(out, s);
		return;
	}
	k = max;
	while (k > 0 && ((unsigned char)s[k] & 0xc0) == 0x80)
		k--;
	buf = cbd_strdup(s);
	buf[k] = '\0';
	cbd_html_escape(out, buf);
	fputs("\xe2\x80\xa6", out);
	free(buf);
}

/* A link to a report file: relative paths only, every byte but unreserved
 * ones and '/' percent-encoded behind "./" (no scheme, no "//host", no quote
 * can come out); an absolute or empty path is shown as text. */
static void
put_report_link(FILE *out, const char *path, const char *text)
{
	if (!*path || path[0] == '/') {
		cbd_html_escape(out, text);
		return;
	}
	fputs("<a href=\"./", out);
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if (isalnum(*p) || strchr("-._~/", *p))
			fputc(*p, out);
		else
			fprintf(out, "%%%02X", *p);
	}
	fputs("\">", out);
	cbd_html_escape(out, text);
	fputs("</a>", out);
}

static void
section(FILE *out, const char *title, const char *note)
{
	fputs("<section><h2>", out);
	cbd_html_escape(out, title);
	fputs("</h2>", out);
	if (note) {
		fputs("<p class=\"muted\">", out);
		cbd_html_escape(out, note);
		fputs("</p>", out);
	}
}

/* ---- charts ------------------------------------------------------------- */

struct hbar {
	const char *label;
	double value; /* drawn */
	double of;    /* the count it is out of (0: none) */
	double count; /* the count the value stands for */
};

#define LABEL_W 210.0
#define BAR_W 600.0

/* Horizontal bars, one a row: a percentage (max 100) or a count (scaled to the largest). */
static void
chart_hbars(FILE *out, const char *chart, const struct hbar *b, size_t n, bool percent,
            const char *cls)
{
	double max = percent ? 100 : 0;
	double h = 24.0 * (double)n + 8;

	if (!n) {
		fputs("<p class=\"muted\">None.</p>", out);
		return;
	}
	for (size_t i = 0; !percent && i < n; i++)
		if (b[i].value > max)
			max = b[i].value;
	if (max <= 0)
		max = 1;
	fprintf(out, "<div class=\"panel\"><svg viewBox=\"0 0 900 %.0f\" role=\"img\">", h);
	fprintf(out, "<line class=\"axis\" x1=\"%.0f\" y1=\"0\" x2=\"%.0f\" y2=\"%.0f\"/>", LABEL_W,
	        LABEL_W, h);
	for (size_t i = 0; i < n; i++) {
		double y = 24.0 * (double)i + 4, v = b[i].value < 0 ? 0 : b[i].value;
		double w = v / max * BAR_W;

		if (w > BAR_W)
			w = BAR_W;
		fprintf(out, "<g data-chart=\"%s\" data-label=\"", chart);
		cbd_html_escape(out, b[i].label);
		fprintf(out, "\" data-value=\"%.1f\"><title>", b[i].value);
		cbd_html_escape(out, b[i].label);
		if (percent)
			fprintf(out, ": %.1f%% (%.0f of %.0f reports)", b[i].value, b[i].count,
			        b[i].of);
		else
			fprintf(out, ": %.0f", b[i].value);
		fprintf(out, "</title><text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">",
		        LABEL_W - 6, y + 14);
		put_short(out, b[i].label, 30);
		fprintf(out,
		        "</text><rect class=\"%s\" x=\"%.0f\" y=\"%.0f\" width=\"%.1f\" "
		        "height=\"16\"/><text x=\"%.1f\" y=\"%.0f\">",
		        cls, LABEL_W, y + 2, w, LABEL_W + w + 6, y + 14);
		if (percent)
			fprintf(out, "%.1f%% (%.0f/%.0f)", b[i].value, b[i].count, b[i].of);
		else
			fprintf(out, "%.0f", b[i].value);
		fputs("</text></g>", out);
	}
	fputs("</svg></div>\n", out);
}

static void
chart_parts(FILE *out, const cJSON *r)
{
	const cJSON *arr = cbd_json_member(r, "probes"), *x;
	size_t n = 0;
	struct hbar *b = cbd_zalloc(((size_t)cJSON_GetArraySize(arr) + 1) * sizeof(*b));

	cJSON_ArrayForEach(x, arr) b[n++] = (struct hbar){s_of(x, "name"), n_of(x, "fail_percent"),
	                                                  n_of(x, "reports"), n_of(x, "fail")};
	section(out, "Failure rate per part", "Share of all reports in which the part failed.");
	chart_hbars(out, "parts", b, n, true, "c-fail");
	fputs("</section>\n", out);
	free(b);
}

static void
chart_models(FILE *out, const cJSON *r)
{
	const cJSON *arr = cbd_json_member(r, "models"), *x;
	size_t n = 0;
	struct hbar *b = cbd_zalloc(((size_t)cJSON_GetArraySize(arr) + 1) * sizeof(*b));

	cJSON_ArrayForEach(x, arr) b[n++] =
	    (struct hbar){s_of(x, "model"), n_of(x, "fail_percent"), n_of(x, "reports"),
	                  n_of(x, "failed_reports")};
	section(out, "Failure rate per model",
	        "Share of all reports of the model whose verdict was fail.");
	chart_hbars(out, "models", b, n, true, "c-fail");
	fputs("</section>\n", out);
	free(b);
}

/* Devices with a repeat failure, per part (a device counts once per part). */
static void
chart_repeats(FILE *out, const cJSON *r)
{
	const cJSON *arr = cbd_json_member(r, "repeat_visitors"), *x;
	size_t n = 0;
	struct hbar *b = cbd_zalloc(((size_t)cJSON_GetArraySize(arr) + 1) * sizeof(*b));

	cJSON_ArrayForEach(x, arr)
	{
		const char *probe = s_of(x, "probe");
		size_t i;

		for (i = 0; i < n && !streq(b[i].label, probe); i++)
			;
		if (i == n)
			b[n++] = (struct hbar){.label = probe};
		b[i].value++;
	}
	section(out, "Repeat visitors",
	        "Devices in which the same part failed in more than one visit, per part.");
	chart_hbars(out, "repeats", b, n, false, "c-warn");
	fputs("</section>\n", out);
	free(b);
}

/* Reports per month (grey) and the failed ones (red), oldest first. */
static void
chart_months(FILE *out, const cJSON *r)
{
	const cJSON *arr = cbd_json_member(r, "months"), *x;
	size_t n = (size_t)cJSON_GetArraySize(arr), i = 0, every;
	double max = 1, step, bw;

	section(out, "Failures over time",
	        "Reports per month (grey) and those whose verdict was fail (red).");
	if (!n) {
		fputs("<p class=\"muted\">None.</p></section>\n", out);
		return;
	}
	cJSON_ArrayForEach(x, arr) if (n_of(x, "reports") > max) max = n_of(x, "reports");
	step = 840.0 / (double)n;
	bw = step * 0.8;
	every = (size_t)ceil(60.0 / step); /* a label every 60 px at least */
	fputs("<div class=\"panel\"><svg viewBox=\"0 0 900 250\" role=\"img\">", out);
	fprintf(out,
	        "<line class=\"axis\" x1=\"40\" y1=\"210\" x2=\"890\" y2=\"210\"/>"
	        "<text x=\"34\" y=\"20\" text-anchor=\"end\">%.0f</text>"
	        "<text x=\"34\" y=\"210\" text-anchor=\"end\">0</text>",
	        max);
	cJSON_ArrayForEach(x, arr)
	{
		double xr = 45 + step * (double)i, all = n_of(x, "reports"),
		       bad = n_of(x, "failed_reports");
		double ha = all / max * 190, hb = bad / max * 190;

		if (hb > ha)
			hb = ha;
		fputs("<g data-chart=\"months\" data-label=\"", out);
		cbd_html_escape(out, s_of(x, "month"));
		fprintf(out, "\" data-value=\"%.0f\" data-reports=\"%.0f\"><title>", bad, all);
		cbd_html_escape(out, s_of(x, "month"));
		fprintf(out, ": %.0f of %.0f reports failed</title>", bad, all);
		fprintf(
		    out,
		    "<rect class=\"c-all\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>"
		    "<rect class=\"c-fail\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>",
		    xr, 210 - ha, bw, ha, xr, 210 - hb, bw, hb);
		if (i % every == 0) {
			fprintf(out, "<text x=\"%.1f\" y=\"228\">", xr);
			put_short(out, s_of(x, "month"), 7);
			fputs("</text>", out);
		}
		fputs("</g>", out);
		i++;
	}
	fputs("</svg></div></section>\n", out);
}

/* Per model: devices per 10 points of battery health (latest reports), the
 * warn and fail lines drawn where they are in force. */
static void
chart_battery(FILE *out, const cJSON *r)
{
	const cJSON *m;
	bool any = false;

	section(out, "Battery health per model",
	        "Devices per 10 points of battery health, latest report of each device; "
	        "dashed lines: the warn and fail thresholds.");
	fputs("<div class=\"grid\">", out);
	cJSON_ArrayForEach(m, cbd_json_member(r, "models"))
	{
		const cJSON *bh = cbd_json_member(m, "battery_health"), *bin;
		const cJSON *hist = cbd_json_member(bh, "histogram");
		double max = 1, warn = n_of(bh, "warn_line"), fail = n_of(bh, "fail_line");
		int i = 0;

		if (!n_of(bh, "devices_with_health") || !cJSON_IsArray(hist))
			continue;
		any = true;
		cJSON_ArrayForEach(bin, hist) if (cJSON_IsNumber(bin) && bin->valuedouble > max)
		    max = bin->valuedouble;
		fputs("<div class=\"panel\"><h3>", out);
		cbd_html_escape(out, s_of(m, "model"));
		fprintf(out,
		        "</h3><svg viewBox=\"0 0 300 170\" role=\"img\" data-chart=\"battery\" "
		        "data-label=\"");
		cbd_html_escape(out, s_of(m, "model"));
		fprintf(out, "\" data-warn=\"%.1f\" data-fail=\"%.1f\">", warn, fail);
		fputs("<line class=\"axis\" x1=\"30\" y1=\"140\" x2=\"280\" y2=\"140\"/>", out);
		cJSON_ArrayForEach(bin, hist)
		{
			double c = cJSON_IsNumber(bin) && isfinite(bin->valuedouble)
			               ? bin->valuedouble
			               : 0;
			double h = c / max * 110, x0 = 30 + 25.0 * i;
			const char *cls = (i + 1) * 10 <= fail   ? "c-fail"
			                  : (i + 1) * 10 <= warn ? "c-warn"
			                                         : "c-ok";

			fprintf(out,
			        "<rect class=\"%s\" data-value=\"%.0f\" x=\"%.1f\" y=\"%.1f\" "
			        "width=\"23\" height=\"%.1f\"><title>%d-%d%%: %.0f "
			        "devices</title></rect>",
			        cls, c, x0 + 1, 140 - h, h, i * 10, i == 9 ? 100 : i * 10 + 9, c);
			if (i % 2 == 0)
				fprintf(out, "<text x=\"%.0f\" y=\"155\">%d</text>", x0, i * 10);
			if (++i == 10)
				break;
		}
		fputs("<text x=\"272\" y=\"155\">100</text>", out);
		if (fail > 0 && fail <= 100)
			fprintf(
			    out,
			    "<line class=\"line\" x1=\"%.1f\" y1=\"18\" x2=\"%.1f\" y2=\"140\"/>"
			    "<text x=\"%.1f\" y=\"14\" text-anchor=\"middle\">fail %.0f</text>",
			    30 + fail * 2.5, 30 + fail * 2.5, 30 + fail * 2.5, fail);
		if (warn > 0 && warn <= 100)
			fprintf(
			    out,
			    "<line class=\"line\" x1=\"%.1f\" y1=\"18\" x2=\"%.1f\" y2=\"140\"/>"
			    "<text x=\"%.1f\" y=\"14\" text-anchor=\"middle\">warn %.0f</text>",
			    30 + warn * 2.5, 30 + warn * 2.5, 30 + warn * 2.5, warn);
		fprintf(out, "<text x=\"30\" y=\"168\">%.0f device%s, median %.1f%%</text>",
		        n_of(bh, "devices_with_health"),
		        n_of(bh, "devices_with_health") == 1 ? "" : "s", n_of(bh, "median"));
		fputs("</svg></div>", out);
	}
	fputs("</div>", out);
	if (!any)
		fputs("<p class=\"muted\">No battery health in the latest reports.</p>", out);
	fputs("</section>\n", out);
}

/* ---- tables ------------------------------------------------------------- */

static void
put_parts(FILE *out, const cJSON *arr)
{
	const cJSON *p;

	cJSON_ArrayForEach(p, arr)
	{
		cbd_html_escape(out, p->valuestring ? p->valuestring : "");
		if (p->next)
			fputs(", ", out);
	}
}

static void
td(FILE *out, const char *s)
{
	fputs("<td>", out);
	cbd_html_escape(out, s);
	fputs("</td>", out);
}

static void
table_still_failing(FILE *out, const cJSON *r)
{
	const cJSON *x, *arr = cbd_json_member(r, "still_failing");

	section(out, "Still failing",
	        "Devices whose latest report fails; each links to that report.");
	if (!cJSON_GetArraySize(arr)) {
		fputs("<p class=\"muted\">None.</p></section>\n", out);
		return;
	}
	fputs("<div class=\"panel\"><table><tr><th>Device</th><th>Model</th><th>Latest report</th>"
	      "<th>Failed</th></tr>\n",
	      out);
	cJSON_ArrayForEach(x, arr)
	{
		fputs("<tr><td>", out);
		put_report_link(out, s_of(x, "path"), s_of(x, "device"));
		fputs("</td>", out);
		td(out, s_of(x, "model"));
		td(out, s_of(x, "started_at"));
		fputs("<td>", out);
		put_parts(out, cbd_json_member(x, "failed"));
		fputs("</td></tr>\n", out);
	}
	fputs("</table></div></section>\n", out);
}

static void
table_repeats(FILE *out, const cJSON *r)
{
	const cJSON *x, *arr = cbd_json_member(r, "repeat_visitors");

	if (!cJSON_GetArraySize(arr))
		return;
	section(out, "Repeat visitors: each device and part", NULL);
	fputs("<div class=\"panel\"><table><tr><th>Device</th><th>Model</th><th>Part</th>"
	      "<th>Failed visits</th><th>First</th><th>Last</th></tr>\n",
	      out);
	cJSON_ArrayForEach(x, arr)
	{
		fputs("<tr>", out);
		td(out, s_of(x, "device"));
		td(out, s_of(x, "model"));
		td(out, s_of(x, "probe"));
		fprintf(out, "<td>%.0f</td>", n_of(x, "failed_reports"));
		td(out, s_of(x, "first"));
		td(out, s_of(x, "last"));
		fputs("</tr>\n", out);
	}
	fputs("</table></div></section>\n", out);
}

static void
table_devices(FILE *out, const cJSON *r)
{
	const cJSON *x, *arr = cbd_json_member(r, "device_list");

	if (!cJSON_IsArray(arr))
		return;
	section(out, "Every device",
	        "Each device's latest report (linked), its verdict and visits.");
	fputs("<div class=\"panel\"><table><tr><th>Device</th><th>Model</th><th>Latest report</th>"
	      "<th>Verdict</th><th>Battery</th><th>Visits</th><th>Failed</th></tr>\n",
	      out);
	cJSON_ArrayForEach(x, arr)
	{
		const cJSON *bh = cbd_json_member(x, "battery_health");
		const char *st = status_word(s_of(x, "overall"));

		fputs("<tr><td>", out);
		put_report_link(out, s_of(x, "path"), s_of(x, "device"));
		fputs("</td>", out);
		td(out, s_of(x, "model"));
		td(out, s_of(x, "started_at"));
		fprintf(out, "<td class=\"st st-%s\">%s</td>", st, st);
		if (cJSON_IsNumber(bh) && isfinite(bh->valuedouble))
			fprintf(out, "<td>%.1f%%</td>", bh->valuedouble);
		else
			fputs("<td class=\"muted\">-</td>", out);
		fprintf(out, "<td>%.0f</td><td>", n_of(x, "reports"));
		put_parts(out, cbd_json_member(x, "failed"));
		fputs("</td></tr>\n", out);
	}
	fputs("</table></div></section>\n", out);
}

static void
table_enrolled(FILE *out, const cJSON *r)
{
	const cJSON *x, *e = cbd_json_member(r, "enrolled");
	char note[200];

	if (!e)
		return;
	snprintf(note, sizeof(note),
		 "%.0f enrolled devices in the device export, %.0f checked (%.1f%%), %.0f never "
		 "checked; checked but not in the export: %.0f. The list: --format "
		 "csv-unchecked.",
		 n_of(e, "devices"), n_of(e, "checked"), n_of(e, "checked_percent"),
		 n_of(e, "never_checked"), n_of(e, "checked_not_in_export"));
	section(out, "Enrolled devices never checked", note);
	if (!cJSON_GetArraySize(cbd_json_member(e, "org_units"))) {
		fputs("</section>\n", out);
		return;
	}
	fputs("<div class=\"panel\"><table><tr><th>Organisational unit</th><th>Devices</th>"
	      "<th>Checked</th><th>Never checked</th></tr>\n",
	      out);
	cJSON_ArrayForEach(x, cbd_json_member(e, "org_units"))
	{
		fputs("<tr>", out);
		td(out, s_of(x, "org_unit") ? s_of(x, "org_unit") : "(none)");
		fprintf(out, "<td>%.0f</td><td>%.0f</td><td>%.0f</td></tr>\n", n_of(x, "devices"),
			n_of(x, "checked"), n_of(x, "never_checked"));
	}
	fputs("</table></div></section>\n", out);
}

static void
table_skipped(FILE *out, const cJSON *r)
{
	const cJSON *x, *arr = cbd_json_member(r, "skipped");
	int k = 0;

	if (!cJSON_GetArraySize(arr))
		return;
	section(out, "Skipped files",
	        "Files that are not valid reports (cbdiag validate says why).");
	fputs("<div class=\"panel\"><table><tr><th>File</th><th>Reason</th></tr>\n", out);
	cJSON_ArrayForEach(x, arr)
	{
		if (k++ == 100) {
			fputs("<tr><td colspan=\"2\" class=\"muted\">... (--json lists "
			      "all)</td></tr>\n",
			      out);
			break;
		}
		fputs("<tr>", out);
		td(out, s_of(x, "path"));
		td(out, s_of(x, "reason"));
		fputs("</tr>\n", out);
	}
	fputs("</table></div></section>\n", out);
}

void
cbd_fleet_render_html(const struct cbd_doc *summary, FILE *out)
{
	const cJSON *r = summary->root;

	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	      "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
	      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	      "style-src 'unsafe-inline'; form-action 'none'; base-uri 'none'\">"
	      "<title>cbdiag: fleet dashboard</title>",
	      out);
	fprintf(out, "<style>%s</style></head><body><main>\n<header><h1>Fleet dashboard</h1><p>",
	        CSS);
	fprintf(out, "%.0f reports, %.0f devices", n_of(r, "reports"), n_of(r, "devices"));
	if (n_of(r, "reports_without_device_identity"))
		fprintf(out, ", %.0f reports without a serial or asset tag",
		        n_of(r, "reports_without_device_identity"));
	if (n_of(r, "skipped_files"))
		fprintf(out, ", %.0f files skipped", n_of(r, "skipped_files"));
	fprintf(out, "; %d devices still failing.</p></header>\n",
	        cJSON_GetArraySize(cbd_json_member(r, "still_failing")));
	chart_parts(out, r);
	chart_models(out, r);
	chart_battery(out, r);
	chart_repeats(out, r);
	chart_months(out, r);
	table_still_failing(out, r);
	table_repeats(out, r);
	table_devices(out, r);
	table_enrolled(out, r);
	table_skipped(out, r);
	fputs("</main></body></html>\n", out);
}
