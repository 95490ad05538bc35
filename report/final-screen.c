/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The last screen of an intern's run: the verdict in words, each part that
 * needs something with its next step, where the report went, and the line to
 * write on the ticket and the sticker. It fits a 24 x 80 console; a longer one
 * is paged ("press Enter for more"). No codes, no exit status: those are for
 * staff (the report, `show --details`, the HTML page). docs/writing-for-interns.md.
 */
#include "cbd-i18n.h"
#include "doc-json.h"

#define C_RESET "\033[0m"
#define C_RED "\033[1;31m"
#define C_GREEN "\033[1;32m"
#define C_YELLOW "\033[1;33m"
#define C_MAGENTA "\033[1;35m"

struct screen {
	char **line;
	const char **colour; /* per line: an escape, or NULL */
	size_t n;
	int cols;
};

static void
push(struct screen *s, const char *colour, char *line)
{
	s->line = cbd_realloc_array(s->line, s->n + 1, sizeof(*s->line));
	s->colour = cbd_realloc_array(s->colour, s->n + 1, sizeof(*s->colour));
	s->line[s->n] = line;
	s->colour[s->n++] = colour;
}

/* Columns a UTF-8 string takes (one a code point: the text is neutralised). */
static size_t
columns(const char *s, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			n++;
	return n;
}

/* The byte length of the first @cols columns of @s. */
static size_t
bytes_for(const char *s, size_t cols)
{
	size_t i = 0, n = 0;

	while (s[i]) {
		if (((unsigned char)s[i] & 0xc0) != 0x80 && n++ == cols)
			break;
		i++;
	}
	return i;
}

/* @text (neutralised here) after @first on the first line and @indent spaces
 * on the others, word-wrapped to the screen's width less one column. */
static void
wrap(struct screen *s, const char *colour, const char *first, size_t indent, const char *text)
{
	_cleanup_free_ char *safe = cbd_text_sanitize(text ? text : "");
	size_t width = (size_t)s->cols - 1;
	const char *p = safe;
	bool first_line = true;

	do {
		size_t lead = first_line ? columns(first, strlen(first)) : indent;
		size_t room = width > lead + 10 ? width - lead : 10;
		size_t take = strlen(p), cut;

		if (columns(p, take) > room) {
			/* the last space within the room, else a hard cut */
			take = bytes_for(p, room);
			for (cut = take; cut > 0 && p[cut] != ' '; cut--)
				;
			if (cut > 0)
				take = cut;
		}
		push(s, colour,
		     cbd_strdupf("%s%*s%.*s", first_line ? first : "", first_line ? 0 : (int)indent,
				 "", (int)take, p));
		p += take;
		while (*p == ' ')
			p++;
		first_line = false;
	} while (*p);
}

const char *
cbd_part_name(const char *probe)
{
	static const char *const names[][2] = {
		{"battery", N_("Battery")},
		{"keyboard", N_("Keyboard")},
		{"kbd_backlight", N_("Keyboard light")},
		{"display", N_("Screen")},
		{"storage", N_("Disk")},
		{"usb", N_("USB ports")},
		{"wireless", N_("Wi-Fi and Bluetooth")},
		{"camera", N_("Camera")},
		{"lid", N_("Lid and power button")},
		{"touch", N_("Touchpad and touchscreen")},
		{"audio", N_("Sound")},
	};

	for (size_t i = 0; i < CBD_ARRAY_SIZE(names); i++)
		if (streq(probe, names[i][0]))
			return _(names[i][1]);
	return probe;
}

/* The same, shortest, for the sticker. */
static const char *
sticker_name(const char *probe)
{
	if (streq(probe, "wireless"))
		return _("Wi-Fi");
	if (streq(probe, "usb"))
		return "USB";
	if (streq(probe, "touch"))
		return _("Touch");
	return cbd_part_name(probe);
}

static const cJSON *
worst_finding(const cJSON *probe)
{
	static const char *const order[] = {"fail", "warn", "info"};
	const cJSON *f;

	for (size_t i = 0; i < CBD_ARRAY_SIZE(order); i++)
		cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(probe, "findings"))
			if (streq(cbd_json_member_str(f, "severity"), order[i]))
				return f;
	return NULL;
}

/* The next step of a part: its worst finding's action, and staff when it says so. */
static char *
next_step(const char *status, const cJSON *f)
{
	const char *action = f ? cbd_json_member_str(f, "action") : NULL;
	bool staff = f && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(f, "escalate"));

	if (streq(status, "error"))
		return cbd_strdup(_("Run the checks again; if this comes back, tell staff."));
	if (!action)
		return staff ? cbd_strdup(_("Tell staff.")) : NULL;
	if (staff && !strcasestr(action, "staff") && !strcasestr(action, "escalate"))
		return cbd_strdupf(_("%s. If that does not help, tell staff."), cbd_tr(action));
	return cbd_strdupf("%s.", cbd_tr(action));
}

/* @compact, for a screen that must fit and cannot page: 1, the notes (warn)
 * without their next step; 2, also a repair's next step run on after what is
 * wrong (no line of its own), and the notes on one line; 3, a repair says
 * only its next step (what is wrong is in the report; a longer language
 * needs this where English fits at 2) */
static void
add_parts(struct screen *s, const cJSON *root, char *sticker, size_t sticker_size, int compact)
{
	static const char *const shown[] = {"fail", "error", "warn"};
	_cleanup_free_ char *next_lead = cbd_strdupf("       %s ", _("Next:"));
	_cleanup_free_ char *note_lead = cbd_strdupf("%-6s ", _("NOTE"));
	const cJSON *probes = cJSON_GetObjectItemCaseSensitive(root, "probes");
	char notes[256] = "";

	for (size_t k = 0; k < CBD_ARRAY_SIZE(shown); k++) {
		const cJSON *p;

		cJSON_ArrayForEach(p, probes)
		{
			const char *status = cbd_json_member_str(p, "status");
			const char *word = streq(status, "fail")    ? _("REPAIR")
					   : streq(status, "error") ? _("RETRY")
								    : _("NOTE");
			_cleanup_free_ char *lead = NULL, *next = NULL;

			if (!streq(status, shown[k]))
				continue;
			next = next_step(status, worst_finding(p));
			if (compact >= 2 && streq(status, "warn")) {
				size_t len = strlen(notes);

				snprintf(notes + len, sizeof(notes) - len, "%s%s", len ? ", " : "",
					 cbd_part_name(p->string));
				continue;
			}
			lead = cbd_strdupf("%-6s %s: ", word, cbd_part_name(p->string));
			if (compact >= 3 && next) {
				wrap(s, NULL, lead, 7, next);
			} else if (compact >= 2 && next) {
				_cleanup_free_ char *both = cbd_strdupf(
				    _("%s. Next: %s"), cbd_tr(cbd_json_member_str(p, "summary")), next);

				wrap(s, NULL, lead, 7, both);
			} else {
				wrap(s, NULL, lead, 7, cbd_tr(cbd_json_member_str(p, "summary")));
				if (next && !(compact && streq(status, "warn")))
					wrap(s, NULL, next_lead, 7, next);
			}
			if (!streq(status, "warn")) {
				size_t len = strlen(sticker);

				snprintf(sticker + len, sticker_size - len, "%s %s",
					 len && sticker[len - 1] == ':' ? "" : ",",
					 sticker_name(p->string));
			}
		}
	}
	if (notes[0]) {
		_cleanup_free_ char *line = cbd_strdupf(_("%s (see the report)."), notes);

		wrap(s, NULL, note_lead, 7, line);
	}
}

static void
add_delivery(struct screen *s, const struct cbd_final_screen *o, const char *ticket)
{
	_cleanup_free_ char *name = NULL;
	const char *base;

	if (o->saved_path) {
		base = strrchr(o->saved_path, '/');
		name = cbd_strdupf(_("Report: saved as %s"), base ? base + 1 : o->saved_path);
		wrap(s, NULL, "", 1, name);
	} else {
		wrap(s, C_RED, "", 1, _("Report: NOT saved. Tell staff before you turn it off."));
	}
	switch (o->delivery) {
	case CBD_DELIVERY_NONE:
		wrap(s, NULL, "", 1, _("Help desk: not sent from here (staff collect the report)."));
		break;
	case CBD_DELIVERY_ATTACHED:
		if (ticket) {
			_cleanup_free_ char *t = cbd_strdupf(_("Help desk: added to ticket %s."), ticket);

			wrap(s, NULL, "", 1, t);
		} else {
			wrap(s, NULL, "", 1, _("Help desk: sent."));
		}
		break;
	case CBD_DELIVERY_QUEUED:
		wrap(s, NULL, "", 1, _("Help desk: waiting; it is sent when the network is back."));
		break;
	case CBD_DELIVERY_FAILED:
		wrap(s, C_RED, "", 1, _("Help desk: NOT sent. Tell staff."));
		break;
	}
}

static void
screen_clear(struct screen *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->line[i]);
	free(s->line);
	free(s->colour);
	s->line = NULL;
	s->colour = NULL;
	s->n = 0;
}

static void
build(struct screen *s, const cJSON *root, const struct cbd_final_screen *o, const char *colour,
      const char *verdict, const char *rule, int compact)
{
	const char *overall = cbd_json_member_str(root, "overall");
	const char *id = cbd_json_member_str(root, "report_id");
	char sticker[160] = "";
	_cleanup_free_ char *write = NULL;

	wrap(s, colour, "", 1, verdict);
	push(s, NULL, cbd_strdup(rule));
	snprintf(sticker, sizeof(sticker), "%s:",
		 streq(overall, "pass")   ? _("PASSED")
		 : streq(overall, "warn") ? _("PASSED WITH NOTES")
		 : streq(overall, "fail") ? _("REPAIR")
					  : _("NOT FINISHED"));
	add_parts(s, root, sticker, sizeof(sticker), compact);
	if (sticker[strlen(sticker) - 1] == ':')
		sticker[strlen(sticker) - 1] = '\0';
	push(s, NULL, cbd_strdup(rule));
	add_delivery(s, o, cbd_json_member_str(root, "ticket"));
	write = cbd_strdupf(_("Write on the ticket and the sticker: %s. Report %.8s"), sticker,
			    id ? id : "?");
	wrap(s, NULL, "", 1, write);
}

void
cbd_doc_render_final(const struct cbd_doc *doc, FILE *out, const struct cbd_final_screen *o)
{
	const cJSON *root = doc->root;
	const char *overall = cbd_json_member_str(root, "overall");
	struct screen s = {.cols = o->cols >= 40 ? o->cols : (o->cols > 0 ? 40 : 80)};
	int rows = o->rows >= 8 ? o->rows : 24;
	const char *colour, *words;
	_cleanup_free_ char *rule = NULL, *verdict = NULL;
	size_t printed = 0;

	if (streq(overall, "pass")) {
		colour = C_GREEN;
		words = _("ALL GOOD: every check passed");
	} else if (streq(overall, "warn")) {
		colour = C_YELLOW;
		words = _("WORKS: nothing to repair, but read the notes");
	} else if (streq(overall, "fail")) {
		colour = C_RED;
		words = _("NEEDS REPAIR: see the parts below");
	} else {
		colour = C_MAGENTA;
		words = _("NOT FINISHED: some checks could not run");
	}
	rule = cbd_zalloc((size_t)s.cols);
	memset(rule, '-', (size_t)s.cols - 1);
	verdict = cbd_strdupf(_("RESULT: %s"), words);
	build(&s, root, o, colour, verdict, rule, 0);
	/* too long for one screen and no pager: the notes lose their next steps,
	 * then the repairs say only what to do */
	for (int compact = 1; compact <= 3 && !o->pager_in && s.n > (size_t)rows - 1; compact++) {
		screen_clear(&s);
		build(&s, root, o, colour, verdict, rule, compact);
	}

	for (size_t i = 0; i < s.n; i++) {
		/* a full page less the prompt's line: wait for Enter when asked to */
		/* rows - 1 lines a page: the last line is for the prompt (ours, or the
		 * caller's "Press Enter to power off") */
		if (o->pager_in && s.n > (size_t)rows - 1 && printed == (size_t)rows - 2) {
			char buf[64];

			fputs(_("-- press Enter for more --"), out);
			fflush(out);
			if (!fgets(buf, sizeof(buf), o->pager_in))
				fputc('\n', out);
			printed = 0;
		}
		if (o->colour && s.colour[i])
			fprintf(out, "%s%s%s\n", s.colour[i], s.line[i], C_RESET);
		else
			fprintf(out, "%s\n", s.line[i]);
		printed++;
	}
	fflush(out);
	screen_clear(&s);
}
