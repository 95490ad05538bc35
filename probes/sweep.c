/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The light sweep: the one write cbdiag makes, only when asked, always undone. */
#include "cbd-i18n.h"
#include "sweep.h"

#include <errno.h>
#include <string.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>

static const struct cbd_hw_light *restore_on_signal;

static void
on_signal(int sig)
{
	if (restore_on_signal)
		(void)cbd_hw_light_restore(restore_on_signal);
	signal(sig, SIG_DFL);
	raise(sig);
}

bool
cbd_sweep_follows(long long set, long long actual, long long max)
{
	long long tolerance = max / 50 > 1 ? max / 50 : 1;

	return llabs(actual - set) <= tolerance;
}

static void
sleep_ms(unsigned ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

void
cbd_light_sweep(const struct cbd_ctx *ctx, enum cbd_hw_light_class cls, const char *name,
                long long max, const char *heads_up, const char *watch, const char *question,
                struct cbd_sweep *out)
{
	static const int percent[CBD_SWEEP_STEPS] = {10, 40, 70, 100};
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
	struct sigaction sa = {.sa_handler = on_signal}, old[CBD_ARRAY_SIZE(sigs)];
	struct cbd_hw_light b;

	*out = (struct cbd_sweep){.ran = true, .intern = -1, .max = max};
	if (max <= 0) {
		out->err = -EINVAL;
		return;
	}
	/* nothing changes on the screen or the keys before the intern is told */
	if (ctx->interactive && ctx->ui && heads_up) {
		int r = ctx->ui->ask(ctx->ui, heads_up);

		if (r == CBD_UI_SKIP || r == CBD_UI_NO) {
			out->declined = true;
			out->intern = CBD_UI_SKIP;
			out->restored = true; /* never touched */
			return;
		}
	}
	out->err = cbd_hw_light_open(cls, name, &b);
	if (out->err < 0)
		return;
	out->original = b.original;
	restore_on_signal = &b;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < CBD_ARRAY_SIZE(sigs); i++)
		sigaction(sigs[i], &sa, &old[i]);
	if (ctx->ui)
		ctx->ui->status(ctx->ui, watch);

	for (int i = 0; i < CBD_SWEEP_STEPS; i++) {
		/* never 0: on some PWM backlights 0 is fully dark */
		long long level = max * percent[i] / 100;
		long long actual = -1;

		if (level < 1)
			level = 1;
		if (cbd_hw_light_set(&b, level) < 0) {
			out->err = -errno;
			break;
		}
		sleep_ms(250); /* let the driver and the eye settle */
		(void)cbd_hw_light_get_actual(&b, &actual);
		out->steps[out->n_steps].set = level;
		out->steps[out->n_steps].actual = actual;
		out->steps[out->n_steps].follows = cbd_sweep_follows(level, actual, max);
		out->n_steps++;
	}
	out->restored = cbd_hw_light_restore(&b) == 0;
	restore_on_signal = NULL;
	for (size_t i = 0; i < CBD_ARRAY_SIZE(sigs); i++)
		sigaction(sigs[i], &old[i], NULL);
	cbd_hw_light_close(&b);
	if (ctx->ui)
		ctx->ui->status(ctx->ui, "");
	if (ctx->interactive && ctx->ui && !out->err)
		out->intern = ctx->ui->ask(ctx->ui, question);
}

int
cbd_sweep_to_json(const struct cbd_sweep *sw, struct cbd_json *o)
{
	struct cbd_json *levels = cbd_json_add_array(o, "sweep_levels");
	int bad = -1;

	for (int i = 0; i < sw->n_steps; i++) {
		struct cbd_json *l = cbd_json_add_object(levels, NULL);

		cbd_json_add_int(l, "set", sw->steps[i].set);
		cbd_json_add_int(l, "actual", sw->steps[i].actual);
		if (!sw->steps[i].follows && bad < 0)
			bad = i;
	}
	cbd_json_add_bool(o, "restored", sw->restored);
	cbd_json_add_int(o, "restored_to", sw->original);
	if (sw->intern >= 0)
		cbd_json_add_str(o, "intern_saw_change",
		                 sw->intern == CBD_UI_DONE ? "yes"
		                 : sw->intern == CBD_UI_NO ? "no"
		                                           : "skipped");
	return bad;
}

void
cbd_sweep_judge(const struct cbd_sweep *sw, const char *name, const struct cbd_sweep_words *w,
                struct cbd_json *o, struct cbd_result *out)
{
	int bad;

	if (sw->declined) {
		cbd_json_add_str(o, "sweep", "skip");
		cbd_json_add_str(o, "sweep_reason", N_("skipped by the intern"));
		return;
	}
	if (sw->err) {
		cbd_json_add_str(o, "sweep", "skip");
		cbd_json_add_str(o, "sweep_reason", strerror(-sw->err));
		cbd_result_add_finding(out, w->code_error, CBD_SEVERITY_INFO, false,
		                       sw->err == -EACCES ? N_("Run cbdiag as root") : NULL,
		                       N_("The %s test could not run"), w->part);
		return;
	}
	bad = cbd_sweep_to_json(sw, o);
	if (bad >= 0) {
		cbd_json_add_str(o, "sweep", "fail");
		cbd_result_add_finding(
		    out, w->code_fail, CBD_SEVERITY_FAIL, w->escalate_fail, w->action_fail,
		    N_("The %s did not change brightness when asked to"), w->part);
	} else if (sw->intern == CBD_UI_NO) {
		cbd_json_add_str(o, "sweep", "fail");
		cbd_result_add_finding(
		    out, w->code_unseen, CBD_SEVERITY_FAIL, w->escalate_unseen, w->action_unseen,
		    N_("The %s took every brightness step, but you saw no change"), w->part);
	} else {
		cbd_json_add_str(o, "sweep", "pass");
	}
	if (!sw->restored)
		cbd_result_add_finding(out, w->code_not_restored, CBD_SEVERITY_WARN, false,
		                       w->action_not_restored,
		                       N_("The %s could not be set back to its brightness after "
		                       "the test"),
		                       w->part);
}
