/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cbdiag diff: what changed across a repair, part by part. Pure code over
 * two valid reports: status changes, findings that went away or appeared,
 * parts that were swapped (a new battery, panel, disk, keyboard) and the key
 * measurements before and after. Which parts a probe has, and what identifies
 * and measures them, is its view's (views/).
 */
#include "doc-json.h"
#include "review.h"
#include "views/views.h"

#include <math.h>

static cJSON *
find_by(const cJSON *arr, const char *key, const char *value)
{
	cJSON *e;

	cJSON_ArrayForEach(e, arr) if (streq(cbd_json_member_str(e, key), value)) return e;
	return NULL;
}

static bool
same_value(const cJSON *a, const cJSON *b)
{
	if (!a && !b)
		return true;
	if (!a || !b)
		return false;
	if (cJSON_IsNumber(a) && cJSON_IsNumber(b))
		return a->valuedouble == b->valuedouble;
	return cJSON_Compare(a, b, true);
}

static cJSON *
dup_or_null(const cJSON *v)
{
	return v ? cbd_json_check(cJSON_Duplicate(v, true)) : cbd_json_check(cJSON_CreateNull());
}

static void
add_change(cJSON *arr, const char *name, const cJSON *b, const cJSON *a)
{
	cJSON *o = cbd_json_check(cJSON_CreateObject());

	cJSON_AddStringToObject(o, "name", name);
	cJSON_AddItemToObject(o, "before", dup_or_null(b));
	cJSON_AddItemToObject(o, "after", dup_or_null(a));
	cJSON_AddItemToArray(arr, o);
}

static void
compare_parts(const struct cbd_view_part *rule, const cJSON *bdata, const cJSON *adata, cJSON *parts,
	      cJSON *measures)
{
	const cJSON *barr = cbd_json_member(bdata, rule->array), *aarr = cbd_json_member(adata, rule->array), *a;

	cJSON_ArrayForEach(a, aarr)
	{
		const char *key = cbd_json_member_str(a, rule->match);
		const cJSON *b = key ? find_by(barr, rule->match, key) : NULL;

		if (!key)
			continue;
		if (!b) {
			char name[160];

			snprintf(name, sizeof(name), "%s %s", rule->what, key);
			add_change(parts, name, NULL, a);
			continue;
		}
		for (size_t i = 0; rule->identity[i]; i++) {
			const cJSON *bv = cbd_view_path(b, rule->identity[i]), *av = cbd_view_path(a, rule->identity[i]);
			char name[200];

			if (same_value(bv, av))
				continue;
			snprintf(name, sizeof(name), "%s %s %s", rule->what, key, rule->identity[i]);
			add_change(parts, name, bv, av);
		}
		for (size_t i = 0; rule->measures[i]; i++) {
			const cJSON *bv = cbd_view_path(b, rule->measures[i]), *av = cbd_view_path(a, rule->measures[i]);
			char name[200];

			if (!cJSON_IsNumber(bv) && !cJSON_IsNumber(av))
				continue;
			snprintf(name, sizeof(name), "%s %s %s", rule->what, key, rule->measures[i]);
			add_change(measures, name, bv, av);
		}
	}
	/* parts that are gone */
	cJSON_ArrayForEach(a, barr)
	{
		const char *key = cbd_json_member_str(a, rule->match);
		char name[160];

		if (!key || find_by(aarr, rule->match, key))
			continue;
		snprintf(name, sizeof(name), "%s %s", rule->what, key);
		add_change(parts, name, a, NULL);
	}
}

/* Finding codes of a probe with their worst severity. */
static const char *
severity_of(const cJSON *probe, const char *code)
{
	const cJSON *f;
	const char *worst = NULL;

	cJSON_ArrayForEach(f, cbd_json_member(probe, "findings"))
	{
		const char *s = cbd_json_member_str(f, "severity");

		if (!streq(cbd_json_member_str(f, "code"), code))
			continue;
		if (!worst || streq(s, "fail") || (streq(s, "warn") && streq(worst, "info")))
			worst = s;
	}
	return worst;
}

static void
compare_findings(const cJSON *bp, const cJSON *ap, cJSON *o)
{
	cJSON *gone = cbd_json_check(cJSON_AddArrayToObject(o, "findings_gone"));
	cJSON *added = cbd_json_check(cJSON_AddArrayToObject(o, "findings_new"));
	cJSON *changed = cbd_json_check(cJSON_AddArrayToObject(o, "findings_changed"));
	const cJSON *f;

	cJSON_ArrayForEach(f, cbd_json_member(bp, "findings"))
	{
		const char *code = cbd_json_member_str(f, "code");
		const char *after = severity_of(ap, code), *before = severity_of(bp, code);
		bool seen = false;
		const cJSON *g;

		/* each code once */
		for (g = cbd_json_member(bp, "findings")->child; g && g != f; g = g->next)
			seen = seen || streq(cbd_json_member_str(g, "code"), code);
		if (seen)
			continue;
		if (!after) {
			cJSON *x = cbd_json_check(cJSON_CreateObject());

			cJSON_AddStringToObject(x, "code", code);
			cJSON_AddStringToObject(x, "severity", before);
			cJSON_AddStringToObject(x, "message", cbd_json_member_str(f, "message"));
			cJSON_AddItemToArray(gone, x);
		} else if (!streq(after, before)) {
			cJSON *x = cbd_json_check(cJSON_CreateObject());

			cJSON_AddStringToObject(x, "code", code);
			cJSON_AddStringToObject(x, "before", before);
			cJSON_AddStringToObject(x, "after", after);
			cJSON_AddItemToArray(changed, x);
		}
	}
	cJSON_ArrayForEach(f, cbd_json_member(ap, "findings"))
	{
		const char *code = cbd_json_member_str(f, "code");
		bool seen = false;
		const cJSON *g;

		for (g = cbd_json_member(ap, "findings")->child; g && g != f; g = g->next)
			seen = seen || streq(cbd_json_member_str(g, "code"), code);
		if (seen || severity_of(bp, code))
			continue;
		{
			cJSON *x = cbd_json_check(cJSON_CreateObject());

			cJSON_AddStringToObject(x, "code", code);
			cJSON_AddStringToObject(x, "severity", severity_of(ap, code));
			cJSON_AddStringToObject(x, "message", cbd_json_member_str(f, "message"));
			cJSON_AddItemToArray(added, x);
		}
	}
}

static cJSON *
side(const cJSON *root)
{
	cJSON *o = cbd_json_check(cJSON_CreateObject());

	cJSON_AddStringToObject(o, "report_id", cbd_json_member_str(root, "report_id"));
	cJSON_AddStringToObject(o, "started_at", cbd_json_member_str(root, "started_at"));
	cJSON_AddStringToObject(o, "overall", cbd_json_member_str(root, "overall"));
	cJSON_AddItemToObject(o, "ticket", dup_or_null(cbd_json_member(root, "ticket")));
	return o;
}

static enum cbd_diff_device
same_device(const cJSON *b, const cJSON *a)
{
	const cJSON *bd = cbd_json_member(b, "device"), *ad = cbd_json_member(a, "device");
	static const char *const keys[] = {"serial", "asset_tag"};

	for (size_t i = 0; i < CBD_ARRAY_SIZE(keys); i++) {
		const char *x = cbd_json_member_str(bd, keys[i]), *y = cbd_json_member_str(ad, keys[i]);

		if (x && y)
			return streq(x, y) ? CBD_DIFF_SAME_DEVICE : CBD_DIFF_DIFFERENT_DEVICE;
	}
	return CBD_DIFF_UNKNOWN_DEVICE;
}

struct cbd_doc *
cbd_diff(const struct cbd_doc *before, const struct cbd_doc *after,
	 enum cbd_diff_device *ret_device)
{
	const cJSON *b = before->root, *a = after->root, *p;
	cJSON *root = cbd_json_check(cJSON_CreateObject());
	cJSON *probes, *parts, *measures, *dev;
	struct cbd_doc *doc = cbd_zalloc(sizeof(*doc));
	enum cbd_diff_device same = same_device(b, a);
	static const char *const names[] = {"same", "unknown", "different"};

	cJSON_AddItemToObject(root, "before", side(b));
	cJSON_AddItemToObject(root, "after", side(a));
	cJSON_AddStringToObject(root, "device_match", names[same]);
	dev = cbd_json_check(cJSON_AddObjectToObject(root, "device"));
	cJSON_AddItemToObject(dev, "serial", dup_or_null(cbd_json_member(cbd_json_member(a, "device"), "serial")));
	cJSON_AddItemToObject(dev, "model", dup_or_null(cbd_json_member(cbd_json_member(a, "device"), "model")));
	probes = cbd_json_check(cJSON_AddArrayToObject(root, "probes"));
	parts = cbd_json_check(cJSON_AddArrayToObject(root, "parts_changed"));
	measures = cbd_json_check(cJSON_AddArrayToObject(root, "measurements"));

	/* probes of the after report in its order, then those only before */
	for (int pass = 0; pass < 2; pass++) {
		const cJSON *from = pass == 0 ? cbd_json_member(a, "probes") : cbd_json_member(b, "probes");

		cJSON_ArrayForEach(p, from)
		{
			const cJSON *bp = cbd_json_member(cbd_json_member(b, "probes"), p->string);
			const cJSON *ap = cbd_json_member(cbd_json_member(a, "probes"), p->string);
			const struct cbd_view *view = cbd_view_find(p->string);
			cJSON *o;

			if (pass == 1 && ap)
				continue;
			o = cbd_json_check(cJSON_CreateObject());
			cJSON_AddStringToObject(o, "name", p->string);
			cJSON_AddItemToObject(o, "before", dup_or_null(cbd_json_member(bp, "status")));
			cJSON_AddItemToObject(o, "after", dup_or_null(cbd_json_member(ap, "status")));
			cJSON_AddBoolToObject(o, "changed",
					      !same_value(cbd_json_member(bp, "status"), cbd_json_member(ap, "status")));
			compare_findings(bp, ap, o);
			cJSON_AddItemToArray(probes, o);
			if (view && view->diff)
				compare_parts(view->diff, cbd_json_member(bp, "data"), cbd_json_member(ap, "data"),
					      parts, measures);
		}
	}
	doc->root = root;
	*ret_device = same;
	return doc;
}

static void
put_value(FILE *out, const cJSON *v)
{
	if (!v || cJSON_IsNull(v))
		fputs("none", out);
	else if (cJSON_IsNumber(v))
		fprintf(out, v->valuedouble == floor(v->valuedouble) ? "%.0f" : "%.1f", v->valuedouble);
	else if (cJSON_IsString(v))
		cbd_text_put_safe(out, v->valuestring);
	else if (cJSON_IsBool(v))
		fputs(cJSON_IsTrue(v) ? "yes" : "no", out);
	else
		fputs("(present)", out);
}

static void
finding_line(FILE *out, const char *label, const cJSON *c)
{
	fprintf(out, "  %s ", label);
	put_value(out, cbd_json_member(c, "code"));
	fputs("  ", out);
	put_value(out, cbd_json_member(c, "message"));
	fputc('\n', out);
}

/* "<lead><c.key><sep><c.before> -> <c.after>" and a newline */
static void
change_line(FILE *out, const char *lead, const char *key, const char *sep, const cJSON *c)
{
	fputs(lead, out);
	put_value(out, cbd_json_member(c, key));
	fputs(sep, out);
	put_value(out, cbd_json_member(c, "before"));
	fputs(" -> ", out);
	put_value(out, cbd_json_member(c, "after"));
	fputc('\n', out);
}

void
cbd_diff_render_text(const struct cbd_doc *diff, FILE *out, bool colour)
{
	const cJSON *root = diff->root, *p, *c;
	const cJSON *b = cbd_json_member(root, "before"), *a = cbd_json_member(root, "after");
	const char *bold = colour ? "\033[1m" : "", *reset = colour ? "\033[0m" : "";

	fputs("Before: ", out);
	put_value(out, cbd_json_member(b, "started_at"));
	fputs("  ", out);
	put_value(out, cbd_json_member(b, "overall"));
	fputs("  (report ", out);
	put_value(out, cbd_json_member(b, "report_id"));
	fputs(")\nAfter:  ", out);
	put_value(out, cbd_json_member(a, "started_at"));
	fputs("  ", out);
	put_value(out, cbd_json_member(a, "overall"));
	fputs("  (report ", out);
	put_value(out, cbd_json_member(a, "report_id"));
	fputs(")\n", out);
	fputs("Device: ", out);
	put_value(out, cbd_view_path(root, "device.model"));
	fputs(", serial ", out);
	put_value(out, cbd_view_path(root, "device.serial"));
	if (streq(cbd_json_member_str(root, "device_match"), "unknown"))
		fputs(" (neither report names the device: cannot confirm it is the same one)", out);
	else if (streq(cbd_json_member_str(root, "device_match"), "different"))
		fputs(" (TWO DIFFERENT DEVICES, compared with --force)", out);
	fputs("\n\n", out);

	cJSON_ArrayForEach(p, cbd_json_member(root, "probes"))
	{
		fputs(bold, out);
		put_value(out, cbd_json_member(p, "name"));
		fprintf(out, "%*s%s ",
		        (int)(9 - strlen(cbd_json_member_str(p, "name"))) > 0
		            ? (int)(9 - strlen(cbd_json_member_str(p, "name")))
		            : 0,
		        "", reset);
		if (cJSON_IsTrue(cbd_json_member(p, "changed"))) {
			put_value(out, cbd_json_member(p, "before"));
			fputs(" -> ", out);
			put_value(out, cbd_json_member(p, "after"));
		} else {
			fputs("unchanged (", out);
			put_value(out, cbd_json_member(p, "after"));
			fputs(")", out);
		}
		fputc('\n', out);
		cJSON_ArrayForEach(c, cbd_json_member(p, "findings_gone")) finding_line(out, "fixed:  ", c);
		cJSON_ArrayForEach(c, cbd_json_member(p, "findings_new")) finding_line(out, "new:    ", c);
		cJSON_ArrayForEach(c, cbd_json_member(p, "findings_changed"))
			change_line(out, "  changed: ", "code", "  ", c);
	}
	if (cJSON_GetArraySize(cbd_json_member(root, "parts_changed"))) {
		fprintf(out, "\n%sParts changed%s\n", bold, reset);
		cJSON_ArrayForEach(c, cbd_json_member(root, "parts_changed"))
		{
			const cJSON *bv = cbd_json_member(c, "before"), *av = cbd_json_member(c, "after");

			fputs("  ", out);
			put_value(out, cbd_json_member(c, "name"));
			fputs(": ", out);
			if (cJSON_IsObject(av) && cJSON_IsNull(bv))
				fputs("added\n", out);
			else if (cJSON_IsObject(bv) && cJSON_IsNull(av))
				fputs("removed\n", out);
			else {
				put_value(out, bv);
				fputs(" -> ", out);
				put_value(out, av);
				fputc('\n', out);
			}
		}
	}
	if (cJSON_GetArraySize(cbd_json_member(root, "measurements"))) {
		fprintf(out, "\n%sMeasurements%s\n", bold, reset);
		cJSON_ArrayForEach(c, cbd_json_member(root, "measurements"))
			change_line(out, "  ", "name", ": ", c);
	}
}
