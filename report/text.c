/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The plain-text rendering an intern reads at a glance. */
#include "cbd-i18n.h"
#include "doc-json.h"

#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_DIM "\033[2m"
#define C_RED "\033[1;31m"
#define C_GREEN "\033[32m"
#define C_YELLOW "\033[33m"
#define C_MAGENTA "\033[1;35m"

static double
num(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

/* Print a string from the report neutralised (C0, C1, bidi and other
 * non-printing code points: see cbd_codepoint_is_unsafe), so that a hostile
 * report cannot drive the terminal. */
void
cbd_text_put_safe(FILE *out, const char *s)
{
	cbd_text_fputs(s, false, out);
}

static const char *
status_colour(const char *status)
{
	if (streq(status, "pass"))
		return C_GREEN;
	if (streq(status, "warn"))
		return C_YELLOW;
	if (streq(status, "fail"))
		return C_RED;
	if (streq(status, "error"))
		return C_MAGENTA;
	return C_DIM;
}

static void
put_status(FILE *out, const char *status, bool colour)
{
	char word[8] = "";

	for (size_t i = 0; status && status[i] && i < sizeof(word) - 1; i++)
		word[i] = (char)(status[i] >= 'a' && status[i] <= 'z' ? status[i] - 32 : status[i]);
	fprintf(out, "%s%-5s%s", colour ? status_colour(status) : "", word, colour ? C_RESET : "");
}

static void
put_field(FILE *out, bool *first, const char *label, const char *value)
{
	if (!value)
		return;
	fputs(*first ? "" : ", ", out);
	if (label)
		fprintf(out, "%s ", label);
	cbd_text_put_safe(out, value);
	*first = false;
}

/* A finding's message (and its code for staff), then its next step on a line
 * of its own; @escalation: say when the fix needs staff, unless the step
 * already says so ("Staff must replace the disk (staff)" read twice). */
static void
put_finding(FILE *out, const cJSON *f, bool escalation, bool colour, bool details)
{
	bool esc = escalation && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(f, "escalate"));
	const char *action = cbd_tr(cbd_json_member_str(f, "action"));

	cbd_text_put_safe(out, cbd_tr(cbd_json_member_str(f, "message")));
	if (details) {
		fputs(" [", out);
		cbd_text_put_safe(out, cbd_json_member_str(f, "code"));
		fputc(']', out);
	}
	fputc('\n', out);
	if (action) {
		fprintf(out, "         %s ", _("next:"));
		cbd_text_put_safe(out, action);
		if (esc && !strcasestr(cbd_json_member_str(f, "action"), "staff"))
			fprintf(out, " %s%s%s", colour ? C_BOLD : "", _("(ask staff)"),
				colour ? C_RESET : "");
		fputc('\n', out);
	} else if (esc) {
		fprintf(out, "         %s %s\n", _("next:"), _("ask staff"));
	}
}

/* The header: report id, device line, HWID, what identity could not read, ticket. */
static void
render_header(const cJSON *root, FILE *out, bool colour, bool details)
{
	const cJSON *dev = cJSON_GetObjectItemCaseSensitive(root, "device");
	const cJSON *f;
	bool first = true;

	fprintf(out, "%scbdiag report%s ", colour ? C_BOLD : "", colour ? C_RESET : "");
	cbd_text_put_safe(out, cbd_json_member_str(root, "report_id"));
	fprintf(out, " (");
	cbd_text_put_safe(out, cbd_json_member_str(root, "started_at"));
	fprintf(out, ", %.0f ms)\n", num(root, "duration_ms"));

	fputs("Device:  ", out);
	put_field(out, &first, NULL, cbd_json_member_str(dev, "vendor"));
	if (cbd_json_member_str(dev, "model")) {
		fputs(first ? "" : " ", out);
		cbd_text_put_safe(out, cbd_json_member_str(dev, "model"));
		first = false;
	}
	put_field(out, &first, "board", cbd_json_member_str(dev, "board"));
	put_field(out, &first, "serial",
	          cbd_json_member_str(dev, "serial") ? cbd_json_member_str(dev, "serial") : "unknown");
	put_field(out, &first, "asset", cbd_json_member_str(dev, "asset_tag"));
	put_field(out, &first, "sku", cbd_json_member_str(dev, "sku"));
	put_field(out, &first, "firmware", cbd_json_member_str(dev, "firmware_version"));
	put_field(out, &first, "form factor", cbd_json_member_str(dev, "form_factor"));
	fputc('\n', out);
	if (cbd_json_member_str(dev, "hwid")) {
		fputs("HWID:    ", out);
		cbd_text_put_safe(out, cbd_json_member_str(dev, "hwid"));
		fputc('\n', out);
	}
	/* what identity could not read (device.findings): said under the device */
	cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(dev, "findings"))
	{
		fputs("Note:    ", out);
		put_finding(out, f, false, colour, details);
	}
	/* about the report itself (findings: e.g. kept elsewhere, its stick read-only) */
	cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(root, "findings"))
	{
		fputs("Report:  ", out);
		put_finding(out, f, false, colour, details);
	}
	if (cbd_json_member_str(root, "ticket") || cbd_json_member_str(root, "technician")) {
		fputs("Ticket:  ", out);
		cbd_text_put_safe(out, cbd_json_member_str(root, "ticket") ? cbd_json_member_str(root, "ticket") : "none");
		if (cbd_json_member_str(root, "technician")) {
			fputs(", technician ", out);
			cbd_text_put_safe(out, cbd_json_member_str(root, "technician"));
		}
		fputc('\n', out);
	}
}

/* The overall verdict and one line per probe; returns how many findings there are. */
static int
render_verdicts(const cJSON *root, FILE *out, bool colour)
{
	const cJSON *counts = cJSON_GetObjectItemCaseSensitive(root, "counts");
	const cJSON *probes = cJSON_GetObjectItemCaseSensitive(root, "probes");
	const cJSON *p;
	size_t width = 8;
	int n_findings = 0;

	fprintf(out, "\n%s ", _("Overall:"));
	put_status(out, cbd_json_member_str(root, "overall"), colour);
	fprintf(out, "  (%.0f pass, %.0f warn, %.0f fail, %.0f skip, %.0f error)\n\n",
		num(counts, "pass"), num(counts, "warn"), num(counts, "fail"), num(counts, "skip"),
		num(counts, "error"));

	cJSON_ArrayForEach(p, probes) if (strlen(p->string) > width) width = strlen(p->string);
	cJSON_ArrayForEach(p, probes)
	{
		fputs("  ", out);
		put_status(out, cbd_json_member_str(p, "status"), colour);
		fputs("  ", out);
		cbd_text_put_safe(out, p->string);
		fprintf(out, "%*s  ", (int)(width - strlen(p->string)), "");
		cbd_text_put_safe(out, cbd_tr(cbd_json_member_str(p, "summary")));
		fputc('\n', out);
		n_findings += cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(p, "findings"));
	}
	return n_findings;
}

/* Every finding with its code and next step. */
static void
render_findings(const cJSON *probes, FILE *out, bool colour, bool details)
{
	const cJSON *p;

	fprintf(out, "\n%s%s%s\n", colour ? C_BOLD : "", _("Findings"), colour ? C_RESET : "");
	cJSON_ArrayForEach(p, probes)
	{
		const cJSON *f;

		cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(p, "findings"))
		{
			fputs("  ", out);
			put_status(out, cbd_json_member_str(f, "severity"), colour);
			fputs("  ", out);
			put_finding(out, f, true, colour, details);
		}
	}
}

/* One "path: value" line a leaf of @j, for staff. */
static void
put_data(FILE *out, const cJSON *j, const char *path)
{
	const cJSON *c;
	size_t i = 0;

	if (cJSON_IsObject(j) || cJSON_IsArray(j)) {
		if (!j->child) {
			fprintf(out, "  ");
			cbd_text_put_safe(out, path);
			fputs(cJSON_IsArray(j) ? ": []\n" : ": {}\n", out);
		}
		cJSON_ArrayForEach(c, j)
		{
			_cleanup_free_ char *sub = cJSON_IsArray(j) ? cbd_strdupf("%s[%zu]", path, i)
								    : cbd_strdupf("%s.%s", path, c->string);

			put_data(out, c, sub);
			i++;
		}
		return;
	}
	fprintf(out, "  ");
	cbd_text_put_safe(out, path);
	fputs(": ", out);
	if (cJSON_IsString(j)) {
		cbd_text_put_safe(out, j->valuestring);
	} else {
		_cleanup_free_ char *v = cJSON_PrintUnformatted(j);

		cbd_text_put_safe(out, v);
	}
	fputc('\n', out);
}

/* Every probe's data (raw values, units, ids): the staff layer of the text. */
static void
render_data(const cJSON *probes, FILE *out, bool colour)
{
	const cJSON *p;

	fprintf(out, "\n%sDetails for staff%s\n", colour ? C_BOLD : "", colour ? C_RESET : "");
	cJSON_ArrayForEach(p, probes)
		put_data(out, cJSON_GetObjectItemCaseSensitive(p, "data"), p->string);
}

void
cbd_doc_render_text_details(const struct cbd_doc *doc, FILE *out, bool colour, bool details)
{
	const cJSON *probes = cJSON_GetObjectItemCaseSensitive(doc->root, "probes");

	render_header(doc->root, out, colour, details);
	if (render_verdicts(doc->root, out, colour) > 0)
		render_findings(probes, out, colour, details);
	if (details)
		render_data(probes, out, colour);
}

void
cbd_doc_render_text(const struct cbd_doc *doc, FILE *out, bool colour)
{
	cbd_doc_render_text_details(doc, out, colour, false);
}
