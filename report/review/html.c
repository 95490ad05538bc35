/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The report as one self-contained HTML page for staff: it must work offline
 * and when attached to a ticket, so no script, no font, no image is fetched;
 * the CSS is inline and the bars are plain elements. This file draws what
 * every report has (device header, verdict banner, a card per probe with its
 * findings); each probe's details come from its view (views/).
 *
 * A report is hostile until escaped: every string from it goes through
 * cbd_html_escape() into text or a double-quoted attribute, a word that
 * becomes part of a class name is first checked against its enum, and only
 * numbers reach a style attribute. The CSP forbids scripts, fetches, forms
 * and <base>; what it cannot forbid (a <meta> refresh, a link, an overlay)
 * needs markup, which no value can produce.
 */
#include "doc-json.h"
#include "review.h"
#include "views/views.h"

#include <math.h>

void
cbd_html_escape(FILE *out, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", out);
			break;
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		case '\'':
			fputs("&#39;", out);
			break;
		default:
			fputc(*s, out);
		}
	}
}

void
cbd_html_el(FILE *out, const char *tag, const char *cls, const char *text)
{
	fprintf(out, "<%s%s%s%s>", tag, cls ? " class=\"" : "", cls ? cls : "", cls ? "\"" : "");
	cbd_html_escape(out, text);
	fprintf(out, "</%s>", tag);
}

void
cbd_html_row(FILE *out, const char *label, const char *value)
{
	if (!value)
		return;
	fputs("<tr><th>", out);
	cbd_html_escape(out, label);
	fputs("</th><td>", out);
	cbd_html_escape(out, value);
	fputs("</td></tr>\n", out);
}

void
cbd_html_row_num(FILE *out, const char *label, const cJSON *o, const char *key, const char *unit)
{
	double v;
	char buf[64];

	if (!cbd_view_num(o, key, &v))
		return;
	if (v == floor(v) && fabs(v) < 1e15)
		snprintf(buf, sizeof(buf), "%.0f%s", v, unit);
	else
		snprintf(buf, sizeof(buf), "%.1f%s", v, unit);
	cbd_html_row(out, label, buf);
}

void
cbd_html_row_result(FILE *out, const char *label, const cJSON *t, const char *why_key)
{
	fputs("<tr><th>", out);
	cbd_html_escape(out, label);
	fputs("</th><td>", out);
	cbd_html_badge(out, cbd_view_str(t, "result", "?"));
	fputs(" ", out);
	cbd_html_escape(out, cbd_view_str(t, why_key, ""));
	fputs("</td></tr>", out);
}

/*
 * The part of a class name that comes from a status word: the word itself
 * when it is one of @allowed (NULL-terminated), else @neutral. A word from a
 * report never reaches an attribute unchecked.
 */
static const char *
class_word(const char *word, const char *const *allowed, const char *neutral)
{
	for (size_t i = 0; word && allowed[i]; i++)
		if (streq(word, allowed[i]))
			return allowed[i];
	return neutral;
}

static const char *const OVERALLS[] = {"pass", "warn", "fail", "error", NULL};
static const char *const STATUSES[] = {"pass", "warn", "fail", "error", "skip", NULL};
static const char *const BADGES[] = {"pass", "warn", "fail", "error", "skip", "info", NULL};

static const char *const CSS =
	"*{box-sizing:border-box}"
	"body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1d2330;"
	"margin:0;background:#f3f5f8}"
	"main{max-width:980px;margin:0 auto;padding:24px}"
	"header h1{font-size:22px;margin:0 0 4px}header p{margin:0;color:#4a5568}"
	".banner{margin:18px 0;padding:16px 20px;border-radius:10px;color:#fff;font-size:20px;"
	"font-weight:600}"
	".banner small{display:block;font-size:14px;font-weight:400;opacity:.95}"
	".b-pass{background:#1e7f4f}.b-warn{background:#b7791f}.b-fail{background:#c0262d}"
	".b-error{background:#6b46c1}"
	".cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(290px,1fr));gap:14px}"
	".card{background:#fff;border-radius:10px;padding:14px 16px;border-left:6px solid #a0aec0;"
	"box-shadow:0 1px 2px rgba(0,0,0,.08)}"
	".card h3{margin:0 0 6px;font-size:16px;text-transform:capitalize}"
	".s-pass{border-left-color:#1e7f4f}.s-warn{border-left-color:#b7791f}"
	".s-fail{border-left-color:#c0262d}.s-error{border-left-color:#6b46c1}"
	".s-skip{border-left-color:#a0aec0}"
	".badge{display:inline-block;padding:1px 8px;border-radius:9px;font-size:12px;"
	"font-weight:700;color:#fff;text-transform:uppercase;margin-right:6px}"
	".t-pass{background:#1e7f4f}.t-warn{background:#b7791f}.t-fail{background:#c0262d}"
	".t-error{background:#6b46c1}.t-skip{background:#718096}.t-info{background:#4a5568}"
	".finding{margin:8px 0 0;padding:8px 10px;background:#f7fafc;border-radius:6px}"
	".finding .next{display:block;margin-top:3px}"
	".esc{color:#c0262d;font-weight:600}"
	"section{margin-top:26px}section h2{font-size:18px;margin:0 0 10px}"
	".panel{background:#fff;border-radius:10px;padding:14px 16px;margin-bottom:12px;"
	"box-shadow:0 1px 2px rgba(0,0,0,.08)}"
	"table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:3px 8px 3px 0;"
	"vertical-align:top}th{color:#4a5568;font-weight:500;width:38%}"
	".bar{position:relative;height:22px;background:#e2e8f0;border-radius:5px;margin:8px 0 22px}"
	".fill{height:100%;border-radius:5px}"
	".mark{position:absolute;top:-4px;bottom:-4px;border-left:2px dashed #1d2330}"
	".mark span{position:absolute;top:27px;left:-14px;font-size:11px;white-space:nowrap}"
	".kb{display:flex;flex-direction:column;gap:4px;margin-top:8px}"
	".kr{display:flex;gap:4px;flex-wrap:wrap}"
	".k{min-width:34px;padding:5px 6px;border-radius:4px;font-size:11px;text-align:center;"
	"background:#cbd5e0;color:#1d2330}"
	".k-ok{background:#9ae6b4}.k-bad{background:#fc8181;color:#fff;font-weight:700}"
	".k-chat{background:#f6ad55}.k-un{background:#e2e8f0;color:#718096}"
	".legend span{margin-right:12px;font-size:12px}"
	"ul.tree{list-style:none;padding-left:18px;margin:4px 0}"
	"code{font-size:12px;color:#4a5568;word-break:break-all}"
	"footer{margin-top:30px;color:#718096;font-size:12px}"
	"@media print{body{background:#fff}main{padding:0}.card,.panel{box-shadow:none;"
	"border:1px solid #cbd5e0}.banner,.badge,.fill,.k{-webkit-print-color-adjust:exact;"
	"print-color-adjust:exact}section{break-inside:avoid}}";

static const char *
plain_verdict(const char *overall)
{
	if (streq(overall, "pass"))
		return "All checked parts work";
	if (streq(overall, "warn"))
		return "Works, but some parts are worn";
	if (streq(overall, "fail"))
		return "Needs repair";
	return "Some checks could not run";
}

void
cbd_html_badge(FILE *out, const char *status)
{
	/* unknown words (a free-form field) in the grey of skip, shown as they are */
	fprintf(out, "<span class=\"badge t-%s\">", class_word(status, BADGES, "skip"));
	cbd_html_escape(out, status ? status : "?");
	fputs("</span>", out);
}

static void
banner(FILE *out, const cJSON *root)
{
	const char *overall = cbd_json_member_str(root, "overall");
	const cJSON *probes = cbd_json_member(root, "probes"), *p;
	bool first = true;

	fprintf(out, "<div class=\"banner b-%s\">", class_word(overall, OVERALLS, "error"));
	cbd_html_escape(out, plain_verdict(overall));
	fputs("<small>", out);
	cJSON_ArrayForEach(p, probes)
	{
		const char *s = cbd_json_member_str(p, "status");

		if (!streq(s, "fail") && !streq(s, "error") && !streq(s, "warn"))
			continue;
		fputs(first ? "" : " · ", out);
		cbd_html_escape(out, p->string);
		fputs(": ", out);
		cbd_html_escape(out, s);
		first = false;
	}
	if (first)
		fputs("No part failed.", out);
	fputs("</small></div>\n", out);
}

static void
cards(FILE *out, const cJSON *probes)
{
	const cJSON *p;

	fputs("<div class=\"cards\">\n", out);
	cJSON_ArrayForEach(p, probes)
	{
		const char *s = cbd_json_member_str(p, "status");
		const cJSON *f;

		fprintf(out, "<div class=\"card s-%s\"><h3>", class_word(s, STATUSES, "skip"));
		cbd_html_badge(out, s);
		cbd_html_escape(out, p->string);
		fputs("</h3>", out);
		cbd_html_el(out, "div", "sum", cbd_json_member_str(p, "summary"));
		cJSON_ArrayForEach(f, cbd_json_member(p, "findings"))
		{
			fputs("<div class=\"finding\">", out);
			cbd_html_badge(out, cbd_json_member_str(f, "severity"));
			cbd_html_escape(out, cbd_json_member_str(f, "message"));
			if (cbd_json_member_str(f, "action") || cJSON_IsTrue(cbd_json_member(f, "escalate"))) {
				fputs("<span class=\"next\">Next: ", out);
				cbd_html_escape(out, cbd_json_member_str(f, "action") ? cbd_json_member_str(f, "action") : "");
				if (cJSON_IsTrue(cbd_json_member(f, "escalate")))
					fputs(" <span class=\"esc\">(staff)</span>", out);
				fputs("</span>", out);
			}
			fputs(" <code>", out);
			cbd_html_escape(out, cbd_json_member_str(f, "code"));
			fputs("</code></div>", out);
		}
		fputs("</div>\n", out);
	}
	fputs("</div>\n", out);
}

void
cbd_doc_render_html(const struct cbd_doc *doc, FILE *out, double warn, double fail)
{
	const struct cbd_view_ctx ctx = {.health_warn = warn, .health_fail = fail};
	const cJSON *root = doc->root, *dev = cbd_json_member(root, "device"),
	            *probes = cbd_json_member(root, "probes");
	const cJSON *p;
	const char *model = cbd_json_member_str(dev, "model"), *serial = cbd_json_member_str(dev, "serial");
	double dur = 0;

	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	      "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
	      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	      "style-src 'unsafe-inline'; form-action 'none'; base-uri 'none'\">"
	      "<title>cbdiag: ",
	      out);
	cbd_html_escape(out, model ? model : "device");
	fputs(" ", out);
	cbd_html_escape(out, serial ? serial : "(no serial)");
	fprintf(out, "</title><style>%s</style></head><body><main>\n<header><h1>", CSS);
	cbd_html_escape(out, cbd_json_member_str(dev, "vendor") ? cbd_json_member_str(dev, "vendor") : "");
	fputs(" ", out);
	cbd_html_escape(out, model ? model : "Unknown device");
	fputs("</h1><p>Serial <b>", out);
	cbd_html_escape(out, serial ? serial : "unknown");
	fputs("</b>", out);
	if (cbd_json_member_str(dev, "asset_tag")) {
		fputs(" · Asset <b>", out);
		cbd_html_escape(out, cbd_json_member_str(dev, "asset_tag"));
		fputs("</b>", out);
	}
	if (cbd_json_member_str(root, "ticket")) {
		fputs(" · Ticket <b>", out);
		cbd_html_escape(out, cbd_json_member_str(root, "ticket"));
		fputs("</b>", out);
	}
	if (cbd_json_member_str(root, "technician")) {
		fputs(" · Technician ", out);
		cbd_html_escape(out, cbd_json_member_str(root, "technician"));
	}
	fputs("</p><p>Checked ", out);
	cbd_html_escape(out, cbd_json_member_str(root, "started_at"));
	fputs(" · board ", out);
	cbd_html_escape(out, cbd_json_member_str(dev, "board") ? cbd_json_member_str(dev, "board") : "unknown");
	fputs(" · firmware ", out);
	cbd_html_escape(out, cbd_json_member_str(dev, "firmware_version")
	                         ? cbd_json_member_str(dev, "firmware_version")
	                         : "unknown");
	fputs("</p>", out);
	/* what identity could not read (device.findings), then what befell the
	 * report itself (the top-level findings: kept elsewhere, …) */
	{
		const cJSON *lists[] = {cbd_json_member(dev, "findings"),
					cbd_json_member(root, "findings")};
		const cJSON *f;

		for (size_t l = 0; l < 2; l++) {
			cJSON_ArrayForEach(f, lists[l])
			{
				fputs("<div class=\"finding\">", out);
				cbd_html_badge(out, cbd_json_member_str(f, "severity"));
				cbd_html_escape(out, cbd_json_member_str(f, "message"));
				if (cbd_json_member_str(f, "action")) {
					fputs("<span class=\"next\">Next: ", out);
					cbd_html_escape(out, cbd_json_member_str(f, "action"));
					fputs("</span>", out);
				}
				fputs(" <code>", out);
				cbd_html_escape(out, cbd_json_member_str(f, "code"));
				fputs("</code></div>", out);
			}
		}
	}
	fputs("</header>\n", out);

	banner(out, root);
	cards(out, probes);

	cJSON_ArrayForEach(p, probes)
	{
		const cJSON *data = cbd_json_member(p, "data");
		const struct cbd_view *view = cbd_view_find(p->string);

		if (!cJSON_IsObject(data) || cJSON_GetArraySize(data) == 0)
			continue;
		fputs("<section><h2>", out);
		cbd_html_escape(out, p->string);
		fputs(" details</h2>\n", out);
		if (view && view->html)
			view->html(out, data, &ctx);
		fputs("</section>\n", out);
	}
	cbd_view_num(root, "duration_ms", &dur);
	fputs("<footer>cbdiag ", out);
	cbd_html_escape(out, cbd_json_member_str(cbd_json_member(root, "tool"), "version"));
	fputs(" · report ", out);
	cbd_html_escape(out, cbd_json_member_str(root, "report_id"));
	fprintf(out, " · %.0f ms · HWID ", dur);
	cbd_html_escape(out, cbd_json_member_str(dev, "hwid") ? cbd_json_member_str(dev, "hwid") : "unknown");
	fputs("</footer>\n</main></body></html>\n", out);
}
