/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The light sweep, shared by the display probe (the panel's backlight) and
 * the kbd_backlight probe (the keyboard's LED): the one write cbdiag makes,
 * only when the intern asked for it, always undone.
 */
#pragma once

#include <stdbool.h>

#include "hw.h"
#include "json.h"
#include "probe.h"

#define CBD_SWEEP_STEPS 4

struct cbd_sweep {
	bool ran;
	int err; /* -errno when the sweep could not be done (no permission, ...) */
	long long original, max;
	struct {
		long long set, actual;
		bool follows;
	} steps[CBD_SWEEP_STEPS];
	int n_steps;
	bool restored;
	int intern; /* -1 not asked; CBD_UI_DONE saw it change; CBD_UI_NO did not; CBD_UI_SKIP */
	bool declined; /* the intern skipped it at the heads-up: nothing was written */
};

/** Pure: does a read-back level follow the level set (within 2 % of max, at least 1)? */
bool cbd_sweep_follows(long long set, long long actual, long long max);

/**
 * Step light @name of class @cls through 10, 40, 70 and 100 % of @max,
 * reading the level back after each, then restore the original level — also
 * when interrupted (SIGINT, SIGTERM, SIGHUP). In an interactive run the
 * intern is first told what will change and asked to start (@heads_up: Enter
 * starts, s skips, and then nothing is written); @watch is the status line
 * while it runs; then the intern is asked @question.
 */
void cbd_light_sweep(const struct cbd_ctx *ctx, enum cbd_hw_light_class cls, const char *name,
                     long long max, const char *heads_up, const char *watch, const char *question,
                     struct cbd_sweep *out);

/**
 * Pure: the sweep's figures into object @o ("sweep_levels", "restored",
 * "restored_to", "intern_saw_change"). Returns the first step whose level did
 * not follow, or -1.
 */
int cbd_sweep_to_json(const struct cbd_sweep *sw, struct cbd_json *o);

/* What a probe's sweep verdict says: its finding codes, words and next steps. */
struct cbd_sweep_words {
	const char *part;       /* "backlight", "keyboard light" */
	const char *code_error; /* info: the sweep could not run */
	const char *code_fail;  /* fail: a level was not taken */
	const char *action_fail;
	bool escalate_fail;
	const char *code_unseen; /* fail: every level taken, the intern saw no change */
	const char *action_unseen;
	bool escalate_unseen;
	const char *code_not_restored; /* warn */
	const char *action_not_restored;
};

/**
 * Pure: the verdict of a sweep of light @name into object @o ("sweep",
 * "sweep_reason" and cbd_sweep_to_json()'s figures) and findings on @out.
 */
void cbd_sweep_judge(const struct cbd_sweep *sw, const char *name, const struct cbd_sweep_words *w,
                     struct cbd_json *o, struct cbd_result *out);
