/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Judging half of the display probe: pure code, rules in probes/display/README.md. */
#include "cbd-i18n.h"
#include "display.h"

#include <errno.h>

bool
cbd_connector_is_internal(const char *name)
{
	static const char *const internal[] = {"eDP-", "LVDS-", "DSI-", "DPI-", "Virtual-"};

	for (size_t i = 0; i < CBD_ARRAY_SIZE(internal); i++)
		if (strncmp(name, internal[i], strlen(internal[i])) == 0)
			return true;
	return false;
}

static int
type_rank(const char *type)
{
	return streq(type, "firmware") ? 0 : streq(type, "platform") ? 1 : streq(type, "raw") ? 2 : 3;
}

const struct cbd_backlight_raw *
cbd_backlight_pick(const struct cbd_backlight_raw *bl, size_t n)
{
	const struct cbd_backlight_raw *best = NULL;

	for (size_t i = 0; i < n; i++)
		if (!best || type_rank(bl[i].type) < type_rank(best->type) ||
		    (type_rank(bl[i].type) == type_rank(best->type) &&
		     strcmp(bl[i].name, best->name) < 0))
			best = &bl[i];
	return best;
}

const char *
cbd_edid_panel_name(const struct cbd_edid *e)
{
	if (e->name[0])
		return e->name;
	if (e->spwg && e->spwg_part_number[0])
		return e->spwg_part_number;
	for (int i = e->n_strings - 1; i >= 0; i--)
		if (e->strings[i][0] && strspn(e->strings[i], " ") != strlen(e->strings[i]))
			return e->strings[i];
	return NULL;
}

static void
add_edid(struct cbd_json *o, const struct cbd_edid *e)
{
	struct cbd_json *x = cbd_json_add_object(o, "edid"), *m, *s;
	_cleanup_free_ char *name = NULL;
	int w = e->preferred.width_mm, h = e->preferred.height_mm;

	cbd_json_add_bool(x, "checksum_ok", e->checksum_ok);
	cbd_json_add_str(x, "problem", e->problem[0] ? e->problem : NULL);
	cbd_json_add_str(x, "manufacturer", e->manufacturer);
	cbd_json_add_int(x, "product_code", e->product_code);
	cbd_json_add_int(x, "serial_number", e->serial_number);
	if (e->manufacture_week >= 0)
		cbd_json_add_int(x, "manufacture_week", e->manufacture_week);
	else
		cbd_json_add_null(x, "manufacture_week");
	if (e->manufacture_year >= 0)
		cbd_json_add_int(x, "manufacture_year", e->manufacture_year);
	else
		cbd_json_add_null(x, "manufacture_year");
	if (e->model_year >= 0)
		cbd_json_add_int(x, "model_year", e->model_year);
	name = cbd_strdup(cbd_edid_panel_name(e));
	if (name)
		cbd_strstrip(name);
	cbd_json_add_str(x, "name", name && *name ? name : NULL);
	{
		char ver[16];

		snprintf(ver, sizeof(ver), "%d.%d", e->version, e->revision);
		cbd_json_add_str(x, "version", ver);
	}
	if (!w && !h && e->max_h_cm) { /* no size in the timing: the basic one */
		w = e->max_h_cm * 10;
		h = e->max_v_cm * 10;
	}
	if (w && h) {
		cbd_json_add_int(x, "width_mm", w);
		cbd_json_add_int(x, "height_mm", h);
	} else {
		cbd_json_add_null(x, "width_mm");
		cbd_json_add_null(x, "height_mm");
	}
	if (e->preferred.valid) {
		m = cbd_json_add_object(x, "preferred_mode");
		cbd_json_add_int(m, "width", e->preferred.width);
		cbd_json_add_int(m, "height", e->preferred.height);
		cbd_json_add_double(m, "refresh_hz", (double)(long long)(e->preferred.refresh_hz * 100 + 0.5) / 100);
		cbd_json_add_double(m, "pixel_clock_mhz", e->preferred.pixel_clock_mhz);
	} else {
		cbd_json_add_null(x, "preferred_mode");
	}
	s = cbd_json_add_array(x, "strings");
	for (int i = 0; i < e->n_strings; i++)
		cbd_json_add_str(s, NULL, e->strings[i]);
	cbd_json_add_str(x, "spwg_part_number", e->spwg ? e->spwg_part_number : NULL);
}

static const struct cbd_sweep_words display_sweep_words = {
	.part = N_("screen light"),
	.code_error = "display.backlight_sweep_error",
	.code_fail = "display.backlight_sweep",
	.action_fail = N_("Reseat the display cable; if the brightness still does not follow, the "
		       "panel's backlight or the board's backlight circuit needs staff"),
	.escalate_fail = true,
	.code_unseen = "display.backlight_sweep",
	.action_unseen = N_("Reseat the display cable; if the screen still does not change, replace "
			 "the screen or escalate (backlight circuit)"),
	.escalate_unseen = true,
	.code_not_restored = "display.backlight_not_restored",
	.action_not_restored = N_("Set the brightness back by hand"),
};

static void
judge_patterns(const struct cbd_pattern_run *pr, struct cbd_json *p, struct cbd_result *out)
{
	struct cbd_json *list;
	unsigned all = 0;
	char marked[160] = "";

	if (pr->err < 0) {
		cbd_json_add_str(p, "result", "skip");
		_cleanup_free_ char *why =
			cbd_strdupf(N_("the screen could not be taken over: %s%s"), strerror(-pr->err),
				    pr->err == -EACCES || pr->err == -EPERM || pr->err == -EBUSY
					    ? N_(" (run as root, with no desktop running)")
					    : "");

		cbd_json_add_str(p, "reason", why);
		cbd_json_add_str(p, "connector", pr->connector);
		cbd_json_add_str(p, "error", strerror(-pr->err));
		/* nothing the intern can do about who holds the screen ("Inappropriate
		 * ioctl for device" under a desktop or in a VM): staff can, and the
		 * reason is in the data for them */
		cbd_result_add_finding(out, "display.pattern_test_error", CBD_SEVERITY_INFO, true,
				       N_("Tell staff: the screen test cannot run from here"),
				       N_("The colour-pattern test could not show its colours on this "
				       "screen"));
		return;
	}
	cbd_json_add_str(p, "connector", pr->connector);
	cbd_json_add_str(p, "via", pr->fbdev ? "fbdev" : "drm");
	if (pr->width) {
		struct cbd_json *m = cbd_json_add_object(p, "mode");

		cbd_json_add_int(m, "width", pr->width);
		cbd_json_add_int(m, "height", pr->height);
		cbd_json_add_int(m, "refresh_hz", pr->refresh_hz);
	} else {
		cbd_json_add_null(p, "mode");
	}
	list = cbd_json_add_array(p, "patterns");
	for (int i = 0; i < pr->n_shown && i < CBD_N_PATTERNS; i++) {
		struct cbd_json *o = cbd_json_add_object(list, NULL);
		struct cbd_json *d;

		cbd_json_add_str(o, "pattern", cbd_pattern_name((enum cbd_pattern)i));
		d = cbd_json_add_array(o, "defects");
		for (unsigned b = 0; b < CBD_N_DEFECTS; b++) {
			if (!(pr->defects[i] & (1u << b)))
				continue;
			cbd_json_add_str(d, NULL, cbd_defect_name(b));
			if (!(all & (1u << b)))
				snprintf(marked + strlen(marked), sizeof(marked) - strlen(marked),
					 "%s%s", marked[0] ? ", " : "", cbd_defect_label(b));
			all |= 1u << b;
		}
	}
	if (all) {
		/* lines and flicker are often the cable; the rest is the panel itself */
		bool cable = !(all & (CBD_DEFECT_DEAD_PIXELS | CBD_DEFECT_BLEEDING | CBD_DEFECT_DIM));

		cbd_json_add_str(p, "result", "fail");
		cbd_result_add_finding(out, "display.pattern_defects", CBD_SEVERITY_FAIL, false,
				       cable ? N_("Reseat the display cable at both ends and run the "
					       "pattern test again; if it stays, replace the screen")
					     : N_("Replace the screen"),
				       N_("The intern saw %s on the colour patterns"), marked);
	} else if (pr->n_shown == CBD_N_PATTERNS) {
		cbd_json_add_str(p, "result", "pass");
	} else {
		_cleanup_free_ char *why = cbd_strdupf(
			N_("%d of %d patterns looked at (%s)"), pr->n_shown, CBD_N_PATTERNS,
			pr->no_answer ? N_("nobody answered") : N_("the intern skipped the rest"));

		cbd_json_add_str(p, "result", "skip");
		cbd_json_add_str(p, "reason", why);
	}
}

void
cbd_display_judge(const struct cbd_display_raw *raw, bool laptop, bool interactive,
		  bool sweep_requested, const struct cbd_sweep *sweep,
		  const struct cbd_pattern_run *patterns, struct cbd_result *out)
{
	struct cbd_json *panels = cbd_json_add_array(out->data, "panels");
	const struct cbd_backlight_raw *bl = cbd_backlight_pick(raw->bl, raw->n_bl);
	_cleanup_free_ char *summary = NULL;
	const struct cbd_fb_raw *fb;
	size_t internal_connected = 0;
	const char *reseat = N_("Reseat the screen cable at both ends and test again");

	for (size_t i = 0; i < raw->n_conn; i++) {
		const struct cbd_connector_raw *c = &raw->conn[i];
		struct cbd_json *o = cbd_json_add_object(panels, NULL), *modes;
		bool internal = cbd_connector_is_internal(c->name);
		bool connected = streq(c->status, "connected");
		struct cbd_edid e;
		bool has_edid = c->edid && c->edid_len > 0;

		cbd_json_add_str(o, "connector", c->name);
		cbd_json_add_str(o, "card", c->card);
		cbd_json_add_bool(o, "internal", internal);
		cbd_json_add_str(o, "status",
				 streq(c->status, "connected") || streq(c->status, "disconnected")
					 ? c->status
					 : "unknown");
		cbd_json_add_str(o, "enabled", c->enabled[0] ? c->enabled : NULL);
		if (has_edid) {
			(void)cbd_edid_parse(c->edid, c->edid_len, &e);
			add_edid(o, &e);
		} else {
			cbd_json_add_null(o, "edid");
		}
		modes = cbd_json_add_array(o, "modes");
		for (int m = 0; m < c->n_modes; m++)
			cbd_json_add_str(modes, NULL, c->modes[m]);

		if (!internal || !connected)
			continue;
		internal_connected++;
		/* MIPI DSI and DPI panels have no EDID at all: nothing is wrong then */
		if (!has_edid && strncmp(c->name, "DSI-", 4) != 0 && strncmp(c->name, "DPI-", 4) != 0)
			cbd_result_add_finding(out, "display.edid_missing", CBD_SEVERITY_WARN, false,
					       reseat,
					       N_("The screen does not say what model it is%s"),
					       c->edid_err ? N_(" (it could not be read)") : "");
		else if (has_edid && !e.header_ok)
			cbd_result_add_finding(out, "display.edid_bad", CBD_SEVERITY_WARN, false,
					       reseat, N_("The screen gives a garbled model name"));
		else if (has_edid && !e.checksum_ok)
			cbd_result_add_finding(out, "display.edid_checksum", CBD_SEVERITY_WARN, false,
					       reseat,
					       N_("The screen's model details are damaged"));
		if (!summary) {
			const char *name = has_edid && e.header_ok ? cbd_edid_panel_name(&e) : NULL;

			if (has_edid && e.header_ok && e.preferred.valid)
				summary = cbd_strdupf(N_("Internal screen %s: %s %s, %dx%d at %.0f Hz"),
						      c->name, e.manufacturer, name ? name : "panel",
						      e.preferred.width, e.preferred.height,
						      e.preferred.refresh_hz);
			else
				summary = cbd_strdupf(N_("Internal screen %s connected"), c->name);
		}
	}

	if (bl) {
		struct cbd_json *b = cbd_json_add_object(out->data, "backlight");

		cbd_json_add_str(b, "device", bl->name);
		cbd_json_add_str(b, "type", bl->type[0] ? bl->type : NULL);
		cbd_json_add_int(b, "max_brightness", bl->max_brightness);
		cbd_json_add_int(b, "brightness", bl->brightness);
		cbd_json_add_int(b, "actual_brightness", bl->actual_brightness);
		if (sweep && sweep->ran) {
			cbd_sweep_judge(sweep, bl->name, &display_sweep_words, b, out);
		} else {
			cbd_json_add_str(b, "sweep", "skip");
			cbd_json_add_str(b, "sweep_reason",
					 sweep_requested || interactive
						 ? N_("no internal screen to test")
						 : N_("not requested (--backlight-sweep or --interactive)"));
		}
		if (bl->brightness == 0 && internal_connected)
			cbd_result_add_finding(out, "display.backlight_off", CBD_SEVERITY_INFO, false,
					       N_("Turn the brightness up before judging the screen"),
					       N_("The backlight %s is set to 0: the screen looks dark"),
					       bl->name);
	} else {
		cbd_json_add_null(out->data, "backlight");
	}
	if (interactive) {
		struct cbd_json *p = cbd_json_add_object(out->data, "pattern_test");

		if (patterns && patterns->ran) {
			judge_patterns(patterns, p, out);
		} else {
			cbd_json_add_str(p, "result", "skip");
			cbd_json_add_str(p, "reason", N_("no connected internal screen to test"));
		}
	} else {
		cbd_json_add_null(out->data, "pattern_test");
	}

	fb = cbd_display_firmware_fb(raw);
	if (fb) {
		struct cbd_json *f = cbd_json_add_object(out->data, "framebuffer");

		cbd_json_add_str(f, "device", fb->dev);
		cbd_json_add_str(f, "name", fb->name[0] ? fb->name : NULL);
		cbd_json_add_int(f, "width", fb->width);
		cbd_json_add_int(f, "height", fb->height);
		cbd_json_add_int(f, "bits_per_pixel", fb->bpp);
	} else {
		cbd_json_add_null(out->data, "framebuffer");
	}
	if (internal_connected == 0 && fb) {
		/* A screen the firmware drew on, but no display driver in this
		 * system: the connector and EDID are out of reach; the patterns
		 * are not. Not a fault of the machine. */
		bool looked = patterns && patterns->ran && patterns->err == 0 &&
			      patterns->n_shown == CBD_N_PATTERNS;
		enum cbd_status st;

		cbd_result_add_finding(out, "display.no_kms", CBD_SEVERITY_INFO, false,
				       N_("Tell staff: the repair stick needs support for this "
				       "Chromebook's screen"),
				       N_("The screen works in a basic mode only, so its model and "
				       "cable could not be checked"));
		st = cbd_result_worst_finding(out);
		if (st == CBD_STATUS_FAIL)
			cbd_result_set(out, st, "%s", cbd_result_most_severe(out)->message);
		else if (looked)
			/* the framebuffer's name and size are in data.framebuffer */
			cbd_result_set(out, st, N_("The colour patterns looked right; the screen runs "
				       "in a basic mode, so its model was not checked"));
		else
			cbd_result_set(out, CBD_STATUS_SKIP,
				       N_("The screen runs in a basic mode, so it could not be checked%s"),
				       interactive ? "" : N_(" (the colour patterns are part of the guided "
							  "test)"));
		return;
	}
	if (internal_connected == 0) {
		cbd_result_set_part_missing(out, laptop, "display.missing",
					    N_("Reseat the display cable; if the screen stays "
					    "undetected, replace the screen"),
					    N_("No connected internal screen found"),
					    N_("This machine has no internal screen"));
		return;
	}
	{
		enum cbd_status st = cbd_result_worst_finding(out);

		if (st == CBD_STATUS_PASS || !out->n_findings)
			cbd_result_set(out, st, "%s", summary);
		else
			cbd_result_set(out, st, "%s; %s", summary, cbd_result_most_severe(out)->message);
	}
}
