/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The intern's language: gettext set up without installed locales, and the
 * report's English text put back into it (cbd-i18n.h, docs/languages.md). */
#include <ctype.h>
#include <errno.h>
#include <libintl.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "cbd-i18n.h"
#include "cbd-util.h"

/* the catalogue's formats (msgids with a conversion), made at build time
 * from po/cbdiag.pot by po/formats.py */
extern const char *const cbd_i18n_formats[];
extern const size_t cbd_i18n_n_formats;

#define MAX_ARGS 8
#define MATCH_BUDGET 20000 /* steps a match may take: a report is hostile */
#define MAX_TEXT 2048      /* longer is no message of ours: left as it is */

static bool translating;
static char lang_name[16] = "en";

const char *
cbd_gettext(const char *msgid)
{
	if (!translating || !msgid || !*msgid)
		return msgid;
	return dgettext(CBD_GETTEXT_DOMAIN, msgid);
}

const char *
cbd_i18n_lang(void)
{
	return lang_name;
}

/* "es_ES.UTF-8@euro" -> "es_ES"; false for C, POSIX and what is not a name */
static bool
lang_from(const char *v, char *out, size_t size)
{
	size_t n = 0;

	if (!v || !*v)
		return false;
	while (v[n] && v[n] != '.' && v[n] != '@' && v[n] != ':') {
		if (!(isalpha((unsigned char)v[n]) || v[n] == '_') || n + 1 >= size)
			return false;
		out[n] = v[n];
		n++;
	}
	out[n] = '\0';
	return n > 0 && !streq(out, "C") && !streq(out, "POSIX");
}

int
cbd_i18n_init(const char *lang)
{
	static const char *const vars[] = {"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"};
	char name[16];
	const char *dir = getenv("CBD_LOCALEDIR");

	if (lang) {
		if (!lang_from(lang, name, sizeof(name)) || strlen(lang) >= sizeof(name))
			return -EINVAL;
	} else {
		bool found = false;

		/* the first variable that is set decides, as for setlocale() */
		for (size_t i = 0; i < CBD_ARRAY_SIZE(vars) && !found; i++) {
			const char *v = getenv(vars[i]);

			if (v && *v) {
				if (!lang_from(v, name, sizeof(name)))
					snprintf(name, sizeof(name), "en");
				found = true;
			}
		}
		if (!found)
			snprintf(name, sizeof(name), "en");
	}
	snprintf(lang_name, sizeof(lang_name), "%s", name);
	translating = !(name[0] == 'e' && name[1] == 'n' && (!name[2] || name[2] == '_'));
	if (!translating)
		return 0;
	/* gettext ignores LANGUAGE under the "C" locale, not under the built-in
	 * C.UTF-8 one; only the messages' category changes */
	if (!setlocale(LC_MESSAGES, "C.UTF-8"))
		(void)setlocale(LC_MESSAGES, "");
	setenv("LANGUAGE", name, 1);
	bindtextdomain(CBD_GETTEXT_DOMAIN, dir && *dir ? dir : CBD_LOCALEDIR);
	bind_textdomain_codeset(CBD_GETTEXT_DOMAIN, "UTF-8");
	return 0;
}

/* One conversion of a printf format at @f ('%' there): its length in @f, the
 * argument number (n$, 0 when none) and the conversion character. */
static size_t
conversion(const char *f, int *argno, char *conv)
{
	const char *p = f + 1;
	int n = 0;

	*argno = 0;
	if (isdigit((unsigned char)*p)) {
		const char *q = p;

		while (isdigit((unsigned char)*q))
			n = n * 10 + (*q++ - '0');
		if (*q == '$') {
			*argno = n;
			p = q + 1;
		}
	}
	while (*p && strchr("-+ #0'", *p))
		p++;
	while (isdigit((unsigned char)*p) || *p == '*')
		p++;
	if (*p == '.') {
		p++;
		while (isdigit((unsigned char)*p) || *p == '*')
			p++;
	}
	while (*p && strchr("hlzjtLq", *p))
		p++;
	*conv = *p;
	return *p ? (size_t)(p - f + 1) : 0;
}

/* how long the value of conversion @conv at @s can be: every length it may
 * take is tried, longest first for numbers, shortest first for text */
static size_t
number_span(char conv, const char *s)
{
	size_t i = 0;

	while (s[i] == ' ')
		i++;
	if ((conv == 'd' || conv == 'i' || strchr("fFeEgG", conv)) && s[i] == '-')
		i++;
	if (conv == 'x' || conv == 'X') {
		while (isxdigit((unsigned char)s[i]))
			i++;
		return i;
	}
	while (isdigit((unsigned char)s[i]))
		i++;
	if (strchr("fFeEgG", conv) && s[i] == '.' && isdigit((unsigned char)s[i + 1])) {
		i++;
		while (isdigit((unsigned char)s[i]))
			i++;
	}
	return i;
}

static char *
dup_n(const char *s, size_t n)
{
	char *d = strndup(s, n);

	if (!d)
		cbd_oom();
	return d;
}

/* the values are kept as where they are in the text until the whole match
 * holds: a failed try costs no copy */
struct matcher {
	const char *at[MAX_ARGS];
	size_t len[MAX_ARGS];
	int max, n;
	unsigned budget;
	const char *end; /* of the text */
};

static bool match_at(struct matcher *m, const char *f, const char *s);

/* the value of a conversion taken as @s's first @k bytes: does the rest of
 * the format (@rest) match what follows? */
static bool
try_value(struct matcher *m, const char *rest, const char *s, size_t k)
{
	m->at[m->n] = s;
	m->len[m->n++] = k;
	if (match_at(m, rest, s + k))
		return true;
	m->n--;
	return false;
}

static bool
match_at(struct matcher *m, const char *f, const char *s)
{
	if (m->budget == 0)
		return false;
	m->budget--;
	for (;;) {
		int argno;
		char conv;
		size_t len;

		if (!*f)
			return !*s;
		if (*f != '%' || f[1] == '%') {
			if (*s != *f)
				return false;
			f += *f == '%' ? 2 : 1;
			s++;
			continue;
		}
		len = conversion(f, &argno, &conv);
		if (!len || argno || m->n >= m->max)
			return false;
		if (conv == 's' || conv == 'c') {
			size_t most = conv == 'c' ? 1 : (size_t)(m->end - s);

			for (size_t k = conv == 'c' ? 1 : 0; k <= most && m->budget; k++)
				if (try_value(m, f + len, s, k))
					return true;
			return false;
		}
		if (!strchr("diuxXfFeEgG", conv))
			return false;
		for (size_t k = number_span(conv, s); k > 0 && m->budget; k--)
			if (isalnum((unsigned char)s[k - 1]) && try_value(m, f + len, s, k))
				return true;
		return false;
	}
}

/* A quick no: the literal pieces of @fmt must be in @s, in order, the first
 * at its start and the last at its end; most of the catalogue's formats
 * fail here without a step of matching. */
static bool
pieces_in_order(const char *fmt, const char *s)
{
	char piece[256];
	const char *at = s, *f = fmt;
	bool first = true;

	for (;;) {
		size_t n = 0;

		while (*f && !(f[0] == '%' && f[1] != '%') && n + 1 < sizeof(piece)) {
			piece[n++] = *f;
			f += f[0] == '%' ? 2 : 1;
		}
		piece[n] = '\0';
		if (!*f) { /* the last piece: at the end */
			size_t len = strlen(at);

			return n <= len && streq(at + len - n, piece) && (!first || n == len);
		}
		if (n) {
			const char *hit = first ? (strncmp(at, piece, n) == 0 ? at : NULL)
						: strstr(at, piece);

			if (!hit)
				return false;
			at = hit + n;
		}
		if (f[0] == '%' && f[1] != '%') {
			int argno;
			char conv;
			size_t len = conversion(f, &argno, &conv);

			if (!len)
				return false;
			f += len;
		}
		first = false;
	}
}

bool
cbd_i18n_match(const char *fmt, const char *s, char **args, int max_args, int *n_args)
{
	struct matcher m = {.max = max_args < MAX_ARGS ? max_args : MAX_ARGS,
			    .budget = MATCH_BUDGET,
			    .end = s + strlen(s)};

	*n_args = 0;
	if (!pieces_in_order(fmt, s) || !match_at(&m, fmt, s))
		return false;
	for (int i = 0; i < m.n; i++)
		args[i] = dup_n(m.at[i], m.len[i]);
	*n_args = m.n;
	return true;
}

char *
cbd_i18n_rebuild(const char *translated, char *const *args, int n_args)
{
	size_t cap = strlen(translated) + 1, len = 0;
	char *out;
	int next = 0;

	for (int i = 0; i < n_args; i++)
		cap += strlen(args[i]);
	out = cbd_realloc_array(NULL, cap, 1);
	for (const char *f = translated; *f;) {
		int argno, i;
		char conv;
		size_t clen, alen;

		if (*f != '%') {
			out[len++] = *f++;
			continue;
		}
		if (f[1] == '%') {
			out[len++] = '%';
			f += 2;
			continue;
		}
		clen = conversion(f, &argno, &conv);
		i = argno ? argno - 1 : next++;
		if (!clen || i < 0 || i >= n_args) {
			free(out);
			return NULL;
		}
		alen = strlen(args[i]);
		if (len + alen >= cap) { /* an argument used twice */
			cap = len + alen + strlen(f) + 1;
			out = cbd_realloc_array(out, cap, 1);
		}
		memcpy(out + len, args[i], alen);
		len += alen;
		f += clen;
	}
	out[len] = '\0';
	return out;
}

/* what has been put into the language, kept for the process's life */
struct tr_entry {
	struct tr_entry *next;
	char *english;
	const char *text; /* the catalogue's, or `own` */
	char *own;
};
static struct tr_entry *tr_cache;

static const char *translate(const char *s, char **own, int depth);

/* a value that is itself a message ("%s (and 2 more problems)") */
static void
translate_args(char **args, int n, int depth)
{
	for (int k = 0; k < n; k++) {
		char *own;
		const char *t;

		if (depth >= 3 || !*args[k])
			continue;
		t = translate(args[k], &own, depth + 1);
		if (t == args[k])
			continue;
		if (!own)
			own = cbd_strdup(t);
		free(args[k]);
		args[k] = own;
	}
}

static const char *
translate(const char *s, char **own, int depth)
{
	const char *t = dgettext(CBD_GETTEXT_DOMAIN, s);

	*own = NULL;
	if (t != s && !streq(t, s))
		return t;
	if (strlen(s) > MAX_TEXT)
		return s;
	for (size_t i = 0; i < cbd_i18n_n_formats; i++) {
		const char *fmt = cbd_i18n_formats[i];
		char *args[MAX_ARGS];
		int n;

		if (!cbd_i18n_match(fmt, s, args, MAX_ARGS, &n))
			continue;
		t = dgettext(CBD_GETTEXT_DOMAIN, fmt);
		if (t != fmt) {
			translate_args(args, n, depth);
			*own = cbd_i18n_rebuild(t, args, n);
		}
		for (int k = 0; k < n; k++)
			free(args[k]);
		if (*own)
			return *own;
	}
	return s;
}

void
cbd_tr_reset(void)
{
	while (tr_cache) {
		struct tr_entry *e = tr_cache;

		tr_cache = e->next;
		free(e->english);
		free(e->own);
		free(e);
	}
}

const char *
cbd_tr(const char *english)
{
	struct tr_entry *e;
	const char *t;
	char *own;

	if (!translating || !english || !*english)
		return english;
	for (e = tr_cache; e; e = e->next)
		if (streq(e->english, english))
			return e->text;
	t = translate(english, &own, 0);
	e = cbd_zalloc(sizeof(*e));
	e->english = cbd_strdup(english);
	e->own = own;
	e->text = t == english ? e->english : t;
	e->next = tr_cache;
	tr_cache = e;
	return e->text;
}
