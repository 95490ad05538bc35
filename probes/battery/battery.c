/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The battery probe: system batteries and external power, judged against
 * the thresholds; with --interactive, a charge test (charger in: does the
 * battery charge?) and a discharge test (charger out: how fast does it
 * drain?). See probes/battery/README.md.
 */
#include "cbd-i18n.h"
#include "battery.h"

#include <errno.h>
#include <time.h>

struct sampler {
	const struct cbd_ctx *ctx;
	struct cbd_supply_raw *all;
	size_t n;
	struct cbd_supply_raw *bat; /* the battery under test (in @all) */
};

static void
sleep_ms(unsigned ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* 1: some external supply online, 0: none online, -1: none known */
static int
external_online(struct sampler *sm)
{
	int r = -1;

	for (size_t i = 0; i < sm->n; i++) {
		if (!cbd_supply_is_external_power(&sm->all[i]))
			continue;
		(void)cbd_battery_read_sample(&sm->all[i]);
		if (sm->all[i].online.state == CBD_VAL_OK) {
			if (sm->all[i].online.v >= 1)
				return 1;
			r = 0;
		}
	}
	return r;
}

static bool
wait_for_power(struct sampler *sm, bool want_online)
{
	const struct cbd_ui *ui = sm->ctx->ui;
	int wait_s = (int)sm->ctx->thresholds->v[CBD_T_BATTERY_CHARGER_WAIT_SECONDS];

	for (int s = 0; s < wait_s * 4; s++) {
		int on = external_online(sm);
		_cleanup_free_ char *line = NULL;

		if ((on == 1) == want_online && on >= 0)
			return true;
		line = cbd_strdupf(_("Waiting for the charger to be %s... %d s"),
				   want_online ? _("detected") : _("removed"), wait_s - s / 4);
		ui->status(ui, line);
		sleep_ms(250);
	}
	ui->status(ui, "");
	return false;
}

/* The level the rate is measured on: charge_now (µAh) or energy_now (µWh). */
static bool
level_of(const struct cbd_supply_raw *b, bool energy, long long *ret)
{
	const struct cbd_val *v = energy ? &b->energy_now : &b->charge_now;

	if (v->state != CBD_VAL_OK)
		return false;
	*ret = v->v;
	return true;
}

/* Sample the battery for the configured time. Returns the number of samples. */
static size_t
sample(struct sampler *sm, bool energy, long long full, const char *what,
       struct cbd_rate_sample *samples, size_t max)
{
	const struct cbd_ui *ui = sm->ctx->ui;
	unsigned secs = (unsigned)sm->ctx->thresholds->v[CBD_T_BATTERY_SAMPLE_SECONDS];
	uint64_t t0 = cbd_now_mono_ms();
	size_t n = 0;

	for (;;) {
		uint64_t now = cbd_now_mono_ms();
		double t = (double)(now - t0) / 1000.0;
		struct cbd_rate rate;
		long long level;
		_cleanup_free_ char *line = NULL;

		(void)cbd_battery_read_sample(sm->bat);
		if (n < max && level_of(sm->bat, energy, &level))
			samples[n++] = (struct cbd_rate_sample){
				.t_s = t,
				.level = level,
				.voltage = sm->bat->voltage_now.state == CBD_VAL_OK
						   ? sm->bat->voltage_now.v
						   : 0,
			};
		cbd_rate_compute(samples, n, full, energy, &rate);
		if (rate.known)
			line = cbd_strdupf("%s: %.0f/%u s, %+.1f %%/h, %+.1f W, %s", what, t, secs,
					   rate.percent_per_hour, rate.watts, sm->bat->status);
		else
			line = cbd_strdupf("%s: %.0f/%u s, %s", what, t, secs, sm->bat->status);
		ui->status(ui, line);
		if (t >= secs)
			break;
		sleep_ms(1000 - (unsigned)((cbd_now_mono_ms() - t0) % 1000));
	}
	ui->status(ui, "");
	return n;
}

static void
add_rate_data(struct cbd_json *o, const struct cbd_rate_sample *s, size_t n, long long full,
	      const struct cbd_rate *rate)
{
	cbd_json_add_double(o, "seconds", n ? s[n - 1].t_s : 0);
	cbd_json_add_int(o, "samples", (long long)n);
	if (n && full > 0) {
		cbd_json_add_double(o, "start_percent", (double)s[0].level * 100.0 / (double)full);
		cbd_json_add_double(o, "end_percent",
				    (double)s[n - 1].level * 100.0 / (double)full);
	}
	if (rate->known) {
		cbd_json_add_double(o, "percent_per_hour", rate->percent_per_hour);
		cbd_json_add_double(o, "watts", rate->watts);
	} else {
		cbd_json_add_null(o, "percent_per_hour");
		cbd_json_add_null(o, "watts");
	}
}

static void
test_result(struct cbd_json *o, const char *result, const char *reason)
{
	cbd_json_add_str(o, "result", result);
	cbd_json_add_str(o, "reason", reason);
}

#define MAX_SAMPLES 4096

enum step { STEP_SKIPPED, STEP_NO_CHANGE, STEP_MEASURED };

/* One of the two tests' common part: ask the intern to plug or unplug the
 * charger (@prompt), wait until the power source is @online, then sample the
 * battery as @what; the samples and the rate land in @o and *@rate. */
static enum step
measure(struct sampler *sm, struct cbd_json *o, const char *prompt, bool online,
	const char *what, bool energy, long long full, struct cbd_rate *rate)
{
	const struct cbd_ui *ui = sm->ctx->ui;
	_cleanup_free_ struct cbd_rate_sample *s = NULL;
	size_t n;
	int a = ui->ask(ui, prompt);

	if (a != CBD_UI_DONE) {
		test_result(o, "skip", a == CBD_UI_SKIP ? N_("skipped by the intern") : N_("no answer"));
		return STEP_SKIPPED;
	}
	if (!wait_for_power(sm, online))
		return STEP_NO_CHANGE;
	s = cbd_zalloc(MAX_SAMPLES * sizeof(*s));
	n = sample(sm, energy, full, what, s, MAX_SAMPLES);
	cbd_rate_compute(s, n, full, energy, rate);
	add_rate_data(o, s, n, full, rate);
	return STEP_MEASURED;
}

static void
charge_test(struct sampler *sm, bool energy, long long full, struct cbd_result *out)
{
	struct cbd_json *o = cbd_json_add_object(out->data, "charge_test");
	struct cbd_rate rate;

	switch (measure(sm, o,
			_("Charge test: plug the charger into the Chromebook, then press Enter "
			"(s and Enter to skip)."),
			true, "Charging", energy, full, &rate)) {
	case STEP_SKIPPED:
		return;
	case STEP_NO_CHANGE:
		test_result(o, "fail", N_("no charger was detected"));
		sm->ctx->ui->say(sm->ctx->ui, _("Charge test FAILED: the Chromebook did not notice "
					      "the charger. Try another charger in each charging "
					      "port."));
		cbd_result_add_finding(out, "battery.charger_not_detected", CBD_SEVERITY_FAIL, true,
				       N_("Try another charger in each charging port; if none is "
				       "detected, the charging port or circuit needs staff"),
				       N_("No charger was detected within %g seconds of plugging it in"),
				       sm->ctx->thresholds->v[CBD_T_BATTERY_CHARGER_WAIT_SECONDS]);
		return;
	case STEP_MEASURED:
		break;
	}
	if (streq(sm->bat->status, "Full") ||
	    (sm->bat->capacity.state == CBD_VAL_OK && sm->bat->capacity.v >= 97)) {
		test_result(o, "pass", N_("the battery is full"));
	} else if (rate.known && rate.percent_per_hour > 0) {
		test_result(o, "pass", N_("the battery charges"));
	} else if (!rate.known) {
		test_result(o, "skip", N_("the battery does not report its charge level"));
	} else {
		test_result(o, "fail", N_("on the charger the battery neither charges nor is full"));
		sm->ctx->ui->say(sm->ctx->ui, _("Charge test FAILED: the charger is in, but the "
					      "battery did not charge."));
		cbd_result_add_finding(out, "battery.not_charging", CBD_SEVERITY_FAIL, true,
				       N_("Try another charger and the other port; if it still does "
				       "not charge, the charging circuit needs staff"),
				       N_("On the charger, the battery did not charge"));
	}
}

static void
discharge_test(struct sampler *sm, bool energy, long long full, struct cbd_result *out)
{
	double limit = sm->ctx->thresholds->v[CBD_T_BATTERY_DRAIN_WARN];
	struct cbd_json *o = cbd_json_add_object(out->data, "discharge_test");
	struct cbd_rate rate;

	switch (measure(sm, o,
			_("Discharge test: unplug the charger, then press Enter (s and Enter to "
			"skip)."),
			false, "Discharging", energy, full, &rate)) {
	case STEP_SKIPPED:
		return;
	case STEP_NO_CHANGE:
		test_result(o, "skip", N_("the charger was still connected"));
		return;
	case STEP_MEASURED:
		break;
	}
	sm->ctx->ui->say(sm->ctx->ui, _("Discharge test done: you can plug the charger back in."));
	if (!rate.known) {
		test_result(o, "skip", N_("the battery does not report its charge level"));
	} else if (-rate.percent_per_hour > limit) {
		test_result(o, "warn", N_("the battery drains fast"));
		cbd_result_add_finding(out, "battery.drains_fast", CBD_SEVERITY_WARN, false,
				       N_("Replace the battery if the student reports short battery "
				       "life"),
				       N_("Unplugged, the battery ran down too fast (%.0f%% an hour)"),
				       -rate.percent_per_hour);
	} else {
		test_result(o, "pass", N_("the drain is normal"));
	}
}

static void
interactive_tests(const struct cbd_ctx *ctx, struct cbd_supply_raw *all, size_t n,
		  struct cbd_result *out)
{
	struct sampler sm = {.ctx = ctx, .all = all, .n = n};
	struct cbd_battery_health h;
	long long full;
	bool energy;

	for (size_t i = 0; i < n && !sm.bat; i++)
		if (cbd_supply_is_system_battery(&all[i]) &&
		    !(all[i].present.state == CBD_VAL_OK && all[i].present.v == 0))
			sm.bat = &all[i];
	if (!sm.bat)
		return;
	/* the level family follows the health family; full value as denominator */
	cbd_battery_compute_health(sm.bat, &h);
	energy = streq(h.family, "energy") ||
		 (!h.family && sm.bat->charge_now.state != CBD_VAL_OK);
	full = energy ? sm.bat->energy_full.v : sm.bat->charge_full.v;
	if ((energy ? sm.bat->energy_full.state : sm.bat->charge_full.state) != CBD_VAL_OK)
		full = 0;
	charge_test(&sm, energy, full, out);
	discharge_test(&sm, energy, full, out);
}

static int
battery_run(const struct cbd_ctx *ctx, struct cbd_result *out)
{
	_cleanup_free_ struct cbd_supply_raw *all = NULL;
	int n = cbd_battery_read_all(&all);
	enum cbd_status before;

	if (n == -ENOENT)
		n = 0; /* no power_supply class at all: no battery */
	else if (n < 0) {
		cbd_result_set(out, CBD_STATUS_ERROR, N_("Could not list the power supplies: %s"),
			       strerror(-n));
		return 0;
	}
	cbd_battery_judge(all, (size_t)n, ctx->laptop, ctx->thresholds, out);

	if (!ctx->interactive || out->status == CBD_STATUS_SKIP ||
	    !cbd_json_get_array_size(out->data, "batteries")) {
		cbd_json_add_null(out->data, "charge_test");
		cbd_json_add_null(out->data, "discharge_test");
		return 0;
	}
	before = out->status;
	interactive_tests(ctx, all, (size_t)n, out);
	/* the interactive findings may make the verdict worse, never better */
	if (before != CBD_STATUS_ERROR && cbd_result_worst_finding(out) > before) {
		_cleanup_free_ char *summary = cbd_strdup(out->summary);

		cbd_result_set(out, cbd_result_worst_finding(out), "%s", summary);
	}
	return 0;
}

const struct cbd_probe cbd_probe_battery = {
	.name = "battery",
	.description = "Battery health, wear, cycle count and chargers",
	.flags = CBD_PROBE_INTERACTIVE_STEPS,
	.run = battery_run,
};
