/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Judging half of the battery probe: pure code from raw values (no I/O), so
 * every edge is unit-tested from literals. Rules: probes/battery/README.md.
 */
#include "cbd-i18n.h"
#include "battery.h"

#include <errno.h>
#include <math.h>
#include <strings.h>

bool
cbd_supply_is_system_battery(const struct cbd_supply_raw *s)
{
	return streq(s->type, "Battery") && !streq(s->scope, "Device") &&
	       strncmp(s->name, "hid-", 4) != 0;
}

bool
cbd_supply_is_external_power(const struct cbd_supply_raw *s)
{
	static const char *const types[] = {"Mains", "USB", "USB_C", "USB_PD", "USB_PD_DRP",
					    "BrickID", "USB_DCP", "USB_CDP", "USB_ACA", "Wireless"};

	if (streq(s->scope, "Device") || strncmp(s->name, "hid-", 4) == 0)
		return false;
	for (size_t i = 0; i < CBD_ARRAY_SIZE(types); i++)
		if (streq(s->type, types[i]))
			return true;
	return false;
}

void
cbd_bracketed_active(const char *list, char *buf, size_t size)
{
	const char *open = strchr(list, '['), *close = open ? strchr(open, ']') : NULL;

	if (open && close && close > open + 1)
		snprintf(buf, size, "%.*s", (int)(close - open - 1), open + 1);
	else if (open)
		snprintf(buf, size, "%s", "");
	else
		snprintf(buf, size, "%s", list);
}

static double
round1(double x)
{
	return round(x * 10.0) / 10.0;
}

void
cbd_battery_compute_health(const struct cbd_supply_raw *s, struct cbd_battery_health *h)
{
	const struct cbd_val *full = NULL, *design = NULL;
	bool charge_pair = s->charge_full.state != CBD_VAL_ABSENT &&
			   s->charge_full_design.state != CBD_VAL_ABSENT;
	bool energy_pair = s->energy_full.state != CBD_VAL_ABSENT &&
			   s->energy_full_design.state != CBD_VAL_ABSENT;
	double ratio;

	*h = (struct cbd_battery_health){0};
	/* One family only: charge (µAh) first, energy (µWh) else. Never mixed. */
	if (charge_pair) {
		full = &s->charge_full;
		design = &s->charge_full_design;
		h->family = "charge";
	} else if (energy_pair) {
		full = &s->energy_full;
		design = &s->energy_full_design;
		h->family = "energy";
	} else {
		/* a lone full value without its design value */
		h->design_missing = true;
		return;
	}
	if (full->state == CBD_VAL_UNAVAILABLE || design->state == CBD_VAL_UNAVAILABLE) {
		h->unavailable = true;
		h->err = full->state == CBD_VAL_UNAVAILABLE ? full->err : design->err;
		return;
	}
	if (design->v <= 0) {
		h->design_missing = true;
		return;
	}
	if (full->v < 0) {
		h->unavailable = true;
		h->err = EINVAL;
		return;
	}
	ratio = (double)full->v * 100.0 / (double)design->v;
	h->known = true;
	h->full_exceeds_design = full->v > design->v;
	h->health_percent = ratio > 100.0 ? 100.0 : round1(ratio);
	h->wear_percent = round1(100.0 - h->health_percent);
	if (h->wear_percent < 0)
		h->wear_percent = 0;
}

static void
add_val(struct cbd_json *o, const char *key, const struct cbd_val *v)
{
	if (v->state == CBD_VAL_OK)
		cbd_json_add_int(o, key, v->v);
	else
		cbd_json_add_null(o, key);
}

static void
add_str(struct cbd_json *o, const char *key, const char *s)
{
	cbd_json_add_str(o, key, strempty(s) ? NULL : s);
}

/* Names and errnos of the attributes whose read failed. */
static void
add_unavailable(struct cbd_json *o, const struct cbd_supply_raw *s)
{
	const struct {
		const char *name;
		const struct cbd_val *v;
	} vals[] = {
		{"present", &s->present},
		{"capacity", &s->capacity},
		{"cycle_count", &s->cycle_count},
		{"charge_full", &s->charge_full},
		{"charge_full_design", &s->charge_full_design},
		{"charge_now", &s->charge_now},
		{"energy_full", &s->energy_full},
		{"energy_full_design", &s->energy_full_design},
		{"energy_now", &s->energy_now},
		{"voltage_now", &s->voltage_now},
		{"current_now", &s->current_now},
		{"power_now", &s->power_now},
	};
	struct cbd_json *a = cbd_json_add_array(o, "unavailable");

	for (size_t i = 0; i < CBD_ARRAY_SIZE(vals); i++)
		if (vals[i].v->state == CBD_VAL_UNAVAILABLE) {
			_cleanup_free_ char *e =
				cbd_strdupf("%s: %s", vals[i].name, strerror(vals[i].v->err));

			cbd_json_add_str(a, NULL, e);
		}
}

struct judge_state {
	const struct cbd_thresholds *t;
	struct cbd_result *out;
	char *summary;      /* built up per battery */
	char *error;        /* first "could not read" problem */
	bool any_present;
};

static void
append_summary(struct judge_state *st, const char *part)
{
	char *s = st->summary ? cbd_strdupf("%s; %s", st->summary, part) : cbd_strdup(part);

	free(st->summary);
	st->summary = s;
}

static void
judge_kernel_health(struct judge_state *st, const struct cbd_supply_raw *s)
{
	static const char *const fail[] = {"Dead", "Unspecified failure", "Over voltage"};
	static const char *const warn[] = {"Overheat",  "Hot", "Over current", "Cold",
					   "Watchdog timer expire", "Safety timer expire"};

	for (size_t i = 0; i < CBD_ARRAY_SIZE(fail); i++)
		if (streq(s->health, fail[i])) {
			cbd_result_add_finding(st->out, "battery.kernel_health", CBD_SEVERITY_FAIL,
					       false, N_("Replace the battery"),
					       N_("The battery reports that it is damaged"));
			return;
		}
	for (size_t i = 0; i < CBD_ARRAY_SIZE(warn); i++)
		if (streq(s->health, warn[i])) {
			cbd_result_add_finding(
				st->out, "battery.kernel_health", CBD_SEVERITY_WARN, false,
				N_("Let the Chromebook cool down or warm up and test again; replace the "
				"battery if it persists"),
				N_("The battery reports a problem that may pass (too hot, too cold, "
				"or a charging timer)"));
			return;
		}
	if (streq(s->health, "Calibration required"))
		cbd_result_add_finding(st->out, "battery.kernel_health", CBD_SEVERITY_INFO, false,
				       N_("Charge the battery to full, then run the battery down once"),
				       N_("The battery asks to be charged full and run down once"));
}

static void
judge_battery(struct judge_state *st, const struct cbd_supply_raw *s, struct cbd_json *arr)
{
	const struct cbd_thresholds *t = st->t;
	struct cbd_json *o = cbd_json_add_object(arr, NULL);
	struct cbd_battery_health h;
	bool present = !(s->present.state == CBD_VAL_OK && s->present.v == 0);
	bool cycles_known = s->cycle_count.state == CBD_VAL_OK && s->cycle_count.v > 0;
	_cleanup_free_ char *part = NULL;

	cbd_battery_compute_health(s, &h);

	cbd_json_add_str(o, "name", s->name);
	if (s->present.state == CBD_VAL_OK)
		cbd_json_add_bool(o, "present", s->present.v != 0);
	else
		cbd_json_add_null(o, "present");
	add_str(o, "status", s->status);
	add_str(o, "technology", s->technology);
	add_str(o, "manufacturer", s->manufacturer);
	add_str(o, "model", s->model);
	add_str(o, "serial", s->serial);
	add_val(o, "capacity_percent", &s->capacity);
	if (cycles_known)
		cbd_json_add_int(o, "cycle_count", s->cycle_count.v);
	else
		cbd_json_add_null(o, "cycle_count"); /* absent, or 0 = "not available" */
	if (h.known) {
		cbd_json_add_double(o, "health_percent", h.health_percent);
		cbd_json_add_double(o, "wear_percent", h.wear_percent);
	} else {
		cbd_json_add_null(o, "health_percent");
		cbd_json_add_null(o, "wear_percent");
	}
	cbd_json_add_bool(o, "full_exceeds_design", h.full_exceeds_design);
	cbd_json_add_str(o, "health_basis", h.family);
	add_str(o, "kernel_health", s->health);
	/* the raw values the kernel gave, in its units */
	if (s->charge_full.state != CBD_VAL_ABSENT || s->charge_full_design.state != CBD_VAL_ABSENT) {
		add_val(o, "charge_full_uah", &s->charge_full);
		add_val(o, "charge_full_design_uah", &s->charge_full_design);
		add_val(o, "charge_now_uah", &s->charge_now);
	}
	if (s->energy_full.state != CBD_VAL_ABSENT || s->energy_full_design.state != CBD_VAL_ABSENT) {
		add_val(o, "energy_full_uwh", &s->energy_full);
		add_val(o, "energy_full_design_uwh", &s->energy_full_design);
		add_val(o, "energy_now_uwh", &s->energy_now);
	}
	add_val(o, "voltage_now_uv", &s->voltage_now);
	if (s->current_now.state != CBD_VAL_ABSENT)
		add_val(o, "current_now_ua", &s->current_now);
	if (s->power_now.state != CBD_VAL_ABSENT)
		add_val(o, "power_now_uw", &s->power_now);
	add_unavailable(o, s);

	if (!present)
		return;
	st->any_present = true;

	if (h.unavailable) {
		if (!st->error)
			st->error = cbd_strdupf(N_("Could not read battery %s's capacity (%s)"), s->name,
						strerror(h.err));
	} else if (h.design_missing) {
		cbd_result_add_finding(
			st->out, "battery.design_unknown", CBD_SEVERITY_WARN, false,
			N_("Judge the battery by the charge and discharge tests"),
			N_("The battery does not say how much it held when new, so its wear is "
			"unknown"));
	} else if (h.health_percent < t->v[CBD_T_BATTERY_HEALTH_FAIL]) {
		cbd_result_add_finding(st->out, "battery.health_low", CBD_SEVERITY_FAIL, false,
				       N_("Replace the battery"),
				       N_("The battery is worn out: it holds %.0f%% of what it held "
				       "when new"),
				       h.health_percent);
	} else if (h.health_percent < t->v[CBD_T_BATTERY_HEALTH_WARN]) {
		cbd_result_add_finding(st->out, "battery.health_low", CBD_SEVERITY_WARN, false,
				       N_("Replace the battery if the student reports short battery "
				       "life"),
				       N_("The battery is wearing out: it holds %.0f%% of what it "
				       "held when new"),
				       h.health_percent);
	}

	if (cycles_known && s->cycle_count.v > t->v[CBD_T_BATTERY_CYCLES_FAIL])
		cbd_result_add_finding(st->out, "battery.cycles_high", CBD_SEVERITY_FAIL, false,
				       N_("Replace the battery"),
				       N_("The battery is worn out: it has been charged %lld times"),
				       s->cycle_count.v);
	else if (cycles_known && s->cycle_count.v > t->v[CBD_T_BATTERY_CYCLES_WARN])
		cbd_result_add_finding(st->out, "battery.cycles_high", CBD_SEVERITY_WARN, false,
				       N_("Replace the battery if the student reports short battery "
				       "life"),
				       N_("The battery is getting old: it has been charged %lld times"),
				       s->cycle_count.v);
	judge_kernel_health(st, s);

	if (h.known)
		part = cbd_strdupf(N_("%s holds %.1f%% of its design capacity"), s->name,
				   h.health_percent);
	else
		part = cbd_strdupf(N_("%s health unknown"), s->name);
	if (cycles_known) {
		char *p = cbd_strdupf(N_("%s, %lld cycles"), part, s->cycle_count.v);

		free(part);
		part = p;
	}
	if (!strempty(s->status)) {
		char *p = cbd_strdupf("%s, %s", part, s->status);

		free(part);
		part = p;
	}
	append_summary(st, part);
}

void
cbd_battery_judge(const struct cbd_supply_raw *s, size_t n, bool laptop,
		  const struct cbd_thresholds *t, struct cbd_result *out)
{
	struct judge_state st = {.t = t, .out = out};
	struct cbd_json *bats = cbd_json_add_array(out->data, "batteries");
	struct cbd_json *ext = cbd_json_add_object(out->data, "external_power");
	struct cbd_json *sources;
	int online = -1; /* -1: no external supply known */
	bool discharging_on_ac = false;
	enum cbd_status status;

	for (size_t i = 0; i < n; i++)
		if (cbd_supply_is_system_battery(&s[i]))
			judge_battery(&st, &s[i], bats);

	sources = cbd_json_add_array(ext, "sources");
	for (size_t i = 0; i < n; i++) {
		struct cbd_json *o;
		char active[64];

		if (!cbd_supply_is_external_power(&s[i]))
			continue;
		o = cbd_json_add_object(sources, NULL);
		cbd_json_add_str(o, "name", s[i].name);
		cbd_json_add_str(o, "type", s[i].type);
		if (s[i].online.state == CBD_VAL_OK) {
			cbd_json_add_bool(o, "online", s[i].online.v >= 1);
			if (online < 1)
				online = s[i].online.v >= 1;
		} else {
			cbd_json_add_null(o, "online");
		}
		cbd_bracketed_active(s[i].usb_type, active, sizeof(active));
		cbd_json_add_str(o, "usb_type", active[0] ? active : NULL);
	}
	if (online < 0)
		cbd_json_add_null(ext, "online");
	else
		cbd_json_add_bool(ext, "online", online == 1);

	if (!st.any_present) {
		free(st.summary);
		free(st.error);
		cbd_result_set_part_missing(out, laptop, "battery.missing",
					    N_("Check the battery connector on the main board; fit a "
					    "new battery if it is seated"),
					    N_("No battery found in this laptop"), N_("This machine has no battery"));
		return;
	}

	for (size_t i = 0; online == 1 && i < n; i++)
		if (cbd_supply_is_system_battery(&s[i]) && streq(s[i].status, "Discharging"))
			discharging_on_ac = true;
	if (discharging_on_ac)
		cbd_result_add_finding(out, "battery.not_charging_on_ac", CBD_SEVERITY_WARN, true,
				       N_("Try another charger and the other charging port; if it "
				       "still does not charge, the charging circuit needs staff"),
				       N_("A charger is connected but the battery is discharging"));

	status = cbd_result_worst_finding(out);
	if (st.error && status != CBD_STATUS_FAIL) {
		cbd_result_set(out, CBD_STATUS_ERROR, "%s", st.error);
	} else {
		const char *power = online == 1 ? N_(" (on external power)")
				    : online == 0 ? N_(" (on battery)")
						  : "";

		cbd_result_set(out, status, N_("Battery %s%s"), st.summary ? st.summary : "", power);
	}
	free(st.summary);
	free(st.error);
}

void
cbd_rate_compute(const struct cbd_rate_sample *s, size_t n, long long full, bool energy,
		 struct cbd_rate *ret)
{
	double dt_h, delta;

	*ret = (struct cbd_rate){0};
	if (n < 2 || full <= 0)
		return;
	dt_h = (s[n - 1].t_s - s[0].t_s) / 3600.0;
	if (dt_h <= 0)
		return;
	delta = (double)(s[n - 1].level - s[0].level);
	ret->known = true;
	ret->percent_per_hour = round1(delta * 100.0 / (double)full / dt_h);
	if (energy) {
		ret->watts = round1(delta / 1e6 / dt_h); /* µWh per hour -> W */
	} else {
		/* µAh x µV -> Wh: average the voltage of the first and last sample */
		double v = (double)(s[0].voltage + s[n - 1].voltage) / 2.0;

		ret->watts = v > 0 ? round1(delta * v * 1e-12 / dt_h) : 0;
	}
}
