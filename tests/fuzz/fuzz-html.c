/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fuzz target: the staff page. Any report that parses and validates is
 * rendered as HTML, and the page is scanned: every tag and attribute must
 * be one the renderer writes on its own (an allow-list), attribute values
 * quoted, the only <meta http-equiv> the Content-Security-Policy, and no
 * markup inside <style> or a value. A report that smuggles a tag, an
 * attribute (class="x" onclick=...) or a second <meta> aborts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "review.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const tags[] = {"html",   "head",   "meta",    "title", "style", "body",  "main",
                                   "header", "footer", "section", "h1",    "h2",    "h3",    "div",
                                   "span",   "p",      "b",       "small", "code",  "table", "tr",
                                   "th",     "td",     "ul",      "li",    NULL};
static const char *const attrs[] = {"class", "style", "role", "aria-label", "lang", NULL};
static const char *const meta_attrs[] = {"charset", "name", "content", "http-equiv", NULL};

static void
bad(const char *what, const char *at)
{
	fprintf(stderr, "fuzz-html: %s at: %.80s\n", what, at);
	abort();
}

static bool
listed(const char *const *list, const char *s, size_t n)
{
	for (; *list; list++)
		if (strlen(*list) == n && memcmp(*list, s, n) == 0)
			return true;
	return false;
}

static size_t
word(const char *s)
{
	size_t n = 0;

	while ((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= '0' && s[n] <= '9') || s[n] == '-')
		n++;
	return n;
}

/* One tag from its '<'; returns where scanning continues. */
static const char *
scan_tag(const char *p, int *http_equiv)
{
	const char *start = p;
	bool closing = p[1] == '/', meta;
	size_t n;

	p += closing ? 2 : 1;
	n = word(p);
	if (!listed(tags, p, n))
		bad("tag not allowed", start);
	meta = n == 4 && memcmp(p, "meta", 4) == 0;
	if (!closing && n == 5 && memcmp(p, "style", 5) == 0) {
		/* the stylesheet is ours: no markup inside */
		const char *end = strstr(p, "</style>");

		if (!end || memchr(p + 6, '<', (size_t)(end - p - 6)))
			bad("markup in <style>", start);
		return end;
	}
	p += n;
	for (;;) {
		while (*p == ' ')
			p++;
		if (*p == '>')
			return p + 1;
		if (closing)
			bad("attribute on a closing tag", start);
		n = word(p);
		if (!n || !listed(meta ? meta_attrs : attrs, p, n))
			bad("attribute not allowed", p);
		if (meta && n == 10) {
			/* http-equiv: only the CSP, once */
			if (++*http_equiv > 1 ||
			    strncmp(p, "http-equiv=\"Content-Security-Policy\"", 36) != 0)
				bad("a second or foreign http-equiv", p);
		}
		p += n;
		if (p[0] != '=' || p[1] != '"')
			bad("attribute value not quoted", p);
		p += 2;
		while (*p && *p != '"') {
			if (*p == '<' || *p == '>')
				bad("markup in an attribute value", p);
			p++;
		}
		if (!*p)
			bad("unterminated attribute", start);
		p++;
	}
}

static void
scan(const char *html)
{
	int http_equiv = 0;
	const char *p = html;

	if (strncmp(p, "<!DOCTYPE html>", 15) != 0)
		bad("no doctype", p);
	p += 15;
	while ((p = strchr(p, '<')))
		p = scan_tag(p, &http_equiv);
	if (http_equiv != 1)
		bad("no Content-Security-Policy", html);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cbd_doc *doc = NULL;
	char *err = NULL, *html = NULL;
	size_t len = 0;
	FILE *out;

	if (cbd_doc_parse((const char *)data, size, &doc, &err) != 0) {
		free(err);
		return 0;
	}
	if (cbd_doc_validate(doc, &err) == 0) {
		out = open_memstream(&html, &len);
		if (!out)
			abort();
		cbd_doc_render_html(doc, out, 80, 60);
		fclose(out);
		if (strlen(html) != len)
			bad("NUL byte in the page", html);
		scan(html);
		free(html);
	}
	free(err);
	cbd_doc_free(doc);
	return 0;
}
