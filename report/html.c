/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The report as one self-contained HTML page for staff (issue 8): it must work
 * offline and when attached to a ticket, so no script, no font, no image is
 * fetched; the CSS is inline and the bars are plain elements. Every string
 * from the report goes through cbd_html_escape(): a hostile string in a
 * report must never become markup.
 */
#include "report-private.h"
#include "json-private.h"

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

static bool
num(const cJSON *o, const char *key, double *ret)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!cJSON_IsNumber(v))
		return false;
	*ret = v->valuedouble;
	return true;
}

/* <tag class="cls">escaped text</tag> */
static void
el(FILE *out, const char *tag, const char *cls, const char *text)
{
	fprintf(out, "<%s%s%s%s>", tag, cls ? " class=\"" : "", cls ? cls : "", cls ? "\"" : "");
	cbd_html_escape(out, text);
	fprintf(out, "</%s>", tag);
}

static void
row(FILE *out, const char *label, const char *value)
{
	if (!value)
		return;
	fputs("<tr><th>", out);
	cbd_html_escape(out, label);
	fputs("</th><td>", out);
	cbd_html_escape(out, value);
	fputs("</td></tr>\n", out);
}

static void
row_num(FILE *out, const char *label, const cJSON *o, const char *key, const char *unit)
{
	double v;
	char buf[64];

	if (!num(o, key, &v))
		return;
	if (v == floor(v) && fabs(v) < 1e15)
		snprintf(buf, sizeof(buf), "%.0f%s", v, unit);
	else
		snprintf(buf, sizeof(buf), "%.1f%s", v, unit);
	row(out, label, buf);
}

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

/* A status-like value as a CSS class: only the names the stylesheet knows.
 * Free-form fields reach badge() too (the USB port test's verdict), and a
 * class attribute is no place for a report's bytes. */
static const char *
status_class(const char *s, const char *dflt)
{
	static const char *const known[] = {"pass", "warn", "fail", "skip", "error", "info"};

	for (size_t i = 0; s && i < sizeof(known) / sizeof(known[0]); i++)
		if (streq(s, known[i]))
			return known[i];
	return dflt;
}

static void
badge(FILE *out, const char *status)
{
	fprintf(out, "<span class=\"badge t-%s\">", status_class(status, "skip"));
	cbd_html_escape(out, status ? status : "?");
	fputs("</span>", out);
}

static void
banner(FILE *out, const cJSON *root)
{
	const char *overall = cbd_cj_str(root, "overall");
	const cJSON *probes = cbd_cj_obj(root, "probes"), *p;
	bool first = true;

	fprintf(out, "<div class=\"banner b-%s\">", status_class(overall, "error"));
	cbd_html_escape(out, plain_verdict(overall));
	fputs("<small>", out);
	cJSON_ArrayForEach(p, probes)
	{
		const char *s = cbd_cj_str(p, "status");

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
		const char *s = cbd_cj_str(p, "status");
		const cJSON *f;

		fprintf(out, "<div class=\"card s-%s\"><h3>", status_class(s, "skip"));
		badge(out, s);
		cbd_html_escape(out, p->string);
		fputs("</h3>", out);
		el(out, "div", "sum", cbd_cj_str(p, "summary"));
		cJSON_ArrayForEach(f, cbd_cj_obj(p, "findings"))
		{
			fputs("<div class=\"finding\">", out);
			badge(out, cbd_cj_str(f, "severity"));
			cbd_html_escape(out, cbd_cj_str(f, "message"));
			if (cbd_cj_str(f, "action") || cJSON_IsTrue(cbd_cj_obj(f, "escalate"))) {
				fputs("<span class=\"next\">Next: ", out);
				cbd_html_escape(out, cbd_cj_str(f, "action") ? cbd_cj_str(f, "action") : "");
				if (cJSON_IsTrue(cbd_cj_obj(f, "escalate")))
					fputs(" <span class=\"esc\">(staff)</span>", out);
				fputs("</span>", out);
			}
			fputs(" <code>", out);
			cbd_html_escape(out, cbd_cj_str(f, "code"));
			fputs("</code></div>", out);
		}
		fputs("</div>\n", out);
	}
	fputs("</div>\n", out);
}

static void
battery_details(FILE *out, const cJSON *data, double warn, double fail)
{
	const cJSON *b;

	cJSON_ArrayForEach(b, cbd_cj_obj(data, "batteries"))
	{
		double h;

		fputs("<div class=\"panel\"><h3>Battery ", out);
		cbd_html_escape(out, cbd_cj_str(b, "name"));
		fputs("</h3>", out);
		if (num(b, "health_percent", &h)) {
			const char *colour = h < fail ? "#c0262d" : h < warn ? "#b7791f" : "#1e7f4f";

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
		row_num(out, "Charge cycles", b, "cycle_count", "");
		row_num(out, "Charge now", b, "capacity_percent", " %");
		row(out, "Status", cbd_cj_str(b, "status"));
		row(out, "Manufacturer", cbd_cj_str(b, "manufacturer"));
		row(out, "Model", cbd_cj_str(b, "model"));
		row(out, "Serial", cbd_cj_str(b, "serial"));
		row(out, "Technology", cbd_cj_str(b, "technology"));
		row_num(out, "Full charge (µAh)", b, "charge_full_uah", "");
		row_num(out, "Design charge (µAh)", b, "charge_full_design_uah", "");
		row_num(out, "Full energy (µWh)", b, "energy_full_uwh", "");
		row_num(out, "Design energy (µWh)", b, "energy_full_design_uwh", "");
		fputs("</table></div>\n", out);
	}
	{
		const cJSON *ct = cbd_cj_obj(data, "charge_test"), *dt = cbd_cj_obj(data, "discharge_test");

		if (cJSON_IsObject(ct) || cJSON_IsObject(dt)) {
			fputs("<div class=\"panel\"><h3>Bench tests</h3><table>", out);
			if (cJSON_IsObject(ct)) {
				row(out, "Charge test", cbd_cj_str(ct, "result"));
				row_num(out, "Charge rate", ct, "percent_per_hour", " %/h");
			}
			if (cJSON_IsObject(dt)) {
				row(out, "Discharge test", cbd_cj_str(dt, "result"));
				row_num(out, "Drain rate", dt, "percent_per_hour", " %/h");
			}
			fputs("</table></div>\n", out);
		}
	}
}

/* The Chromebook layout (US, search key in place of caps lock), by evdev names. */
static const char *const KB_ROWS[][16] = {
	{"ESC", "F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9", "F10", "POWER", NULL},
	{"GRAVE", "1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "MINUS", "EQUAL", "BACKSPACE",
	 NULL},
	{"TAB", "Q", "W", "E", "R", "T", "Y", "U", "I", "O", "P", "LEFTBRACE", "RIGHTBRACE",
	 "BACKSLASH", NULL},
	{"LEFTMETA", "A", "S", "D", "F", "G", "H", "J", "K", "L", "SEMICOLON", "APOSTROPHE",
	 "ENTER", NULL},
	{"LEFTSHIFT", "Z", "X", "C", "V", "B", "N", "M", "COMMA", "DOT", "SLASH", "RIGHTSHIFT",
	 NULL},
	{"LEFTCTRL", "LEFTALT", "SPACE", "RIGHTALT", "RIGHTCTRL", "LEFT", "UP", "DOWN", "RIGHT",
	 NULL},
};

static bool
in_list(const cJSON *arr, const char *name)
{
	const cJSON *v;

	cJSON_ArrayForEach(v, arr) if (cJSON_IsString(v) && streq(v->valuestring, name)) return true;
	return false;
}

static void
keyboard_details(FILE *out, const cJSON *data)
{
	const cJSON *kt = cbd_cj_obj(data, "key_test"), *k;

	cJSON_ArrayForEach(k, cbd_cj_obj(data, "keyboards"))
	{
		fputs("<div class=\"panel\"><table>", out);
		row(out, "Keyboard", cbd_cj_str(k, "name"));
		row(out, "Bus", cbd_cj_str(k, "bus"));
		row(out, "Internal", cJSON_IsTrue(cbd_cj_obj(k, "internal")) ? "yes" : "no");
		fputs("</table></div>\n", out);
	}
	if (!cJSON_IsObject(kt) && cJSON_GetArraySize(cbd_cj_obj(data, "stuck_keys")) == 0)
		return;
	fputs("<div class=\"panel\"><h3>Key test</h3><div class=\"legend\">"
	      "<span class=\"k k-ok\">tested</span><span class=\"k k-un\">untested</span>"
	      "<span class=\"k k-bad\">stuck</span><span class=\"k k-chat\">chatter</span></div>"
	      "<div class=\"kb\">",
	      out);
	for (size_t r = 0; r < CBD_ARRAY_SIZE(KB_ROWS); r++) {
		fputs("<div class=\"kr\">", out);
		for (size_t i = 0; KB_ROWS[r][i]; i++) {
			const char *name = KB_ROWS[r][i];
			const char *cls = "k";

			if (in_list(cbd_cj_obj(kt, "stuck"), name) || in_list(cbd_cj_obj(data, "stuck_keys"), name))
				cls = "k k-bad";
			else if (in_list(cbd_cj_obj(kt, "chatter"), name))
				cls = "k k-chat";
			else if (in_list(cbd_cj_obj(kt, "tested"), name))
				cls = "k k-ok";
			else if (in_list(cbd_cj_obj(kt, "untested"), name))
				cls = "k k-un";
			el(out, "span", cls, name);
		}
		fputs("</div>", out);
	}
	fputs("</div></div>\n", out);
}

static void
display_details(FILE *out, const cJSON *data)
{
	const cJSON *p, *bl = cbd_cj_obj(data, "backlight");

	cJSON_ArrayForEach(p, cbd_cj_obj(data, "panels"))
	{
		const cJSON *e = cbd_cj_obj(p, "edid"), *m = cbd_cj_obj(e, "preferred_mode");
		double w, h, hz;

		fputs("<div class=\"panel\"><h3>", out);
		cbd_html_escape(out, cbd_cj_str(p, "connector"));
		fputs(cJSON_IsTrue(cbd_cj_obj(p, "internal")) ? " (internal)" : "", out);
		fputs("</h3><table>", out);
		row(out, "Status", cbd_cj_str(p, "status"));
		if (cJSON_IsObject(e)) {
			row(out, "Manufacturer", cbd_cj_str(e, "manufacturer"));
			row_num(out, "Product code", e, "product_code", "");
			row(out, "Name", cbd_cj_str(e, "name"));
			row_num(out, "Serial number", e, "serial_number", "");
			row_num(out, "Made in", e, "manufacture_year", "");
			row_num(out, "Width (mm)", e, "width_mm", "");
			row_num(out, "Height (mm)", e, "height_mm", "");
			if (num(m, "width", &w) && num(m, "height", &h) && num(m, "refresh_hz", &hz)) {
				char buf[64];

				snprintf(buf, sizeof(buf), "%.0f × %.0f at %.2f Hz", w, h, hz);
				row(out, "Preferred mode", buf);
			}
			row(out, "EDID checksum", cJSON_IsTrue(cbd_cj_obj(e, "checksum_ok")) ? "ok" : "bad");
		} else {
			row(out, "EDID", "none");
		}
		fputs("</table></div>\n", out);
	}
	if (cJSON_IsObject(bl)) {
		fputs("<div class=\"panel\"><table>", out);
		row(out, "Backlight", cbd_cj_str(bl, "device"));
		row_num(out, "Brightness", bl, "brightness", "");
		row_num(out, "Maximum", bl, "max_brightness", "");
		row(out, "Sweep", cbd_cj_str(bl, "sweep"));
		fputs("</table></div>\n", out);
	}
}

static void
storage_details(FILE *out, const cJSON *data)
{
	const cJSON *d;

	cJSON_ArrayForEach(d, cbd_cj_obj(data, "devices"))
	{
		const cJSON *e = cbd_cj_obj(d, "emmc"), *n = cbd_cj_obj(d, "nvme"), *u = cbd_cj_obj(d, "ufs");
		const cJSON *rt = cbd_cj_obj(d, "read_test");
		double size;

		fputs("<div class=\"panel\"><h3>", out);
		cbd_html_escape(out, cbd_cj_str(d, "name"));
		fputs(" (", out);
		cbd_html_escape(out, cbd_cj_str(d, "type"));
		fputs(cJSON_IsTrue(cbd_cj_obj(d, "internal")) ? ", internal)" : ", removable)", out);
		fputs("</h3><table>", out);
		row(out, "Model", cbd_cj_str(d, "model"));
		row(out, "Serial", cbd_cj_str(d, "serial"));
		row(out, "Firmware", cbd_cj_str(d, "firmware"));
		if (num(d, "size_bytes", &size)) {
			char buf[32];

			snprintf(buf, sizeof(buf), "%.1f GB", size / 1e9);
			row(out, "Size", buf);
		}
		if (cJSON_IsObject(e)) {
			row_num(out, "eMMC life used, type A (x10%)", e, "life_time_a", "");
			row_num(out, "eMMC life used, type B (x10%)", e, "life_time_b", "");
			row_num(out, "eMMC pre-EOL (1 normal, 2 warning, 3 urgent)", e, "pre_eol", "");
			row(out, "Manufacturer", cbd_cj_str(e, "manufacturer"));
		}
		if (cJSON_IsObject(u)) {
			row_num(out, "UFS life used, type A (x10%)", u, "life_time_a", "");
			row_num(out, "UFS life used, type B (x10%)", u, "life_time_b", "");
			row_num(out, "UFS pre-EOL", u, "pre_eol", "");
		}
		if (cJSON_IsObject(n)) {
			row_num(out, "Endurance used", n, "percentage_used", " %");
			row_num(out, "Spare left", n, "available_spare", " %");
			row_num(out, "Critical warning", n, "critical_warning", "");
			row_num(out, "Media errors", n, "media_errors", "");
			row_num(out, "Temperature", n, "temperature_c", " °C");
			row_num(out, "Power-on hours", n, "power_on_hours", "");
		}
		if (cJSON_IsObject(rt)) {
			row(out, "Read test", cbd_cj_str(rt, "mode"));
			row_num(out, "Read speed", rt, "mib_per_s", " MiB/s");
			row_num(out, "Unreadable blocks", rt, "errors", "");
		}
		fputs("</table></div>\n", out);
	}
}

static void
usb_details(FILE *out, const cJSON *data)
{
	const cJSON *d, *p;

	if (cJSON_GetArraySize(cbd_cj_obj(data, "devices")) > 0) {
		fputs("<div class=\"panel\"><h3>USB devices</h3><ul class=\"tree\">", out);
		cJSON_ArrayForEach(d, cbd_cj_obj(data, "devices"))
		{
			double speed;
			const char *path = cbd_cj_str(d, "port_path");
			int depth = 0;

			for (const char *c = path; c && *c; c++)
				depth += *c == '.';
			fprintf(out, "<li style=\"margin-left:%dpx\">", depth * 18);
			cbd_html_escape(out, path);
			fputs(" — ", out);
			cbd_html_escape(out, cbd_cj_str(d, "vendor_id"));
			fputs(":", out);
			cbd_html_escape(out, cbd_cj_str(d, "product_id"));
			fputs(" ", out);
			cbd_html_escape(out, cbd_cj_str(d, "product") ? cbd_cj_str(d, "product") : "");
			if (num(d, "speed_mbps", &speed))
				fprintf(out, " <b>%g Mb/s</b>", speed);
			if (cJSON_IsTrue(cbd_cj_obj(d, "internal")))
				fputs(" (internal)", out);
			fputs("</li>", out);
		}
		fputs("</ul></div>\n", out);
	}
	if (cJSON_GetArraySize(cbd_cj_obj(data, "port_test")) > 0 ||
	    cJSON_IsObject(cbd_cj_obj(data, "port_test"))) {
		const cJSON *pt = cbd_cj_obj(data, "port_test");
		const cJSON *ports = cJSON_IsArray(pt) ? pt : cbd_cj_obj(pt, "ports");

		fputs("<div class=\"panel\"><h3>Port test</h3><table>", out);
		cJSON_ArrayForEach(p, ports)
		{
			char label[128];
			double speed = 0;

			snprintf(label, sizeof(label), "%s", cbd_cj_str(p, "label")  ? cbd_cj_str(p, "label")
							      : cbd_cj_str(p, "port") ? cbd_cj_str(p, "port")
									       : "port");
			fputs("<tr><th>", out);
			cbd_html_escape(out, label);
			fputs("</th><td>", out);
			badge(out, cbd_cj_str(p, "verdict"));
			if (num(p, "speed_mbps", &speed))
				fprintf(out, "%g Mb/s", speed);
			fputs("</td></tr>", out);
		}
		fputs("</table></div>\n", out);
	}
}

void
cbd_doc_render_html(const struct cbd_doc *doc, FILE *out, double warn, double fail)
{
	const cJSON *root = doc->root, *dev = cbd_cj_obj(root, "device"),
	            *probes = cbd_cj_obj(root, "probes");
	const cJSON *p;
	const char *model = cbd_cj_str(dev, "model"), *serial = cbd_cj_str(dev, "serial");
	double dur = 0;

	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	      "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
	      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	      "style-src 'unsafe-inline'\"><title>cbdiag: ",
	      out);
	cbd_html_escape(out, model ? model : "device");
	fputs(" ", out);
	cbd_html_escape(out, serial ? serial : "(no serial)");
	fprintf(out, "</title><style>%s</style></head><body><main>\n<header><h1>", CSS);
	cbd_html_escape(out, cbd_cj_str(dev, "vendor") ? cbd_cj_str(dev, "vendor") : "");
	fputs(" ", out);
	cbd_html_escape(out, model ? model : "Unknown device");
	fputs("</h1><p>Serial <b>", out);
	cbd_html_escape(out, serial ? serial : "unknown");
	fputs("</b>", out);
	if (cbd_cj_str(dev, "asset_tag")) {
		fputs(" · Asset <b>", out);
		cbd_html_escape(out, cbd_cj_str(dev, "asset_tag"));
		fputs("</b>", out);
	}
	if (cbd_cj_str(root, "ticket")) {
		fputs(" · Ticket <b>", out);
		cbd_html_escape(out, cbd_cj_str(root, "ticket"));
		fputs("</b>", out);
	}
	if (cbd_cj_str(root, "technician")) {
		fputs(" · Technician ", out);
		cbd_html_escape(out, cbd_cj_str(root, "technician"));
	}
	fputs("</p><p>Checked ", out);
	cbd_html_escape(out, cbd_cj_str(root, "started_at"));
	fputs(" · board ", out);
	cbd_html_escape(out, cbd_cj_str(dev, "board") ? cbd_cj_str(dev, "board") : "unknown");
	fputs(" · firmware ", out);
	cbd_html_escape(out, cbd_cj_str(dev, "firmware_version")
	                         ? cbd_cj_str(dev, "firmware_version")
	                         : "unknown");
	fputs("</p></header>\n", out);

	banner(out, root);
	cards(out, probes);

	cJSON_ArrayForEach(p, probes)
	{
		const cJSON *data = cbd_cj_obj(p, "data");

		if (!cJSON_IsObject(data) || cJSON_GetArraySize(data) == 0)
			continue;
		fputs("<section><h2>", out);
		cbd_html_escape(out, p->string);
		fputs(" details</h2>\n", out);
		if (streq(p->string, "battery"))
			battery_details(out, data, warn, fail);
		else if (streq(p->string, "keyboard"))
			keyboard_details(out, data);
		else if (streq(p->string, "display"))
			display_details(out, data);
		else if (streq(p->string, "storage"))
			storage_details(out, data);
		else if (streq(p->string, "usb"))
			usb_details(out, data);
		fputs("</section>\n", out);
	}
	num(root, "duration_ms", &dur);
	fputs("<footer>cbdiag ", out);
	cbd_html_escape(out, cbd_cj_str(cbd_cj_obj(root, "tool"), "version"));
	fputs(" · report ", out);
	cbd_html_escape(out, cbd_cj_str(root, "report_id"));
	fprintf(out, " · %.0f ms · HWID ", dur);
	cbd_html_escape(out, cbd_cj_str(dev, "hwid") ? cbd_cj_str(dev, "hwid") : "unknown");
	fputs("</footer>\n</main></body></html>\n", out);
}
