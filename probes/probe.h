/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The probe contract.
 *
 * A probe checks one part of the machine. It gathers raw values through
 * probes/hw/ only, judges them with pure code against the thresholds, and
 * fills a struct cbd_result. The runner (diag/runner.c) calls it in a child
 * process with a deadline, times it, and turns a crash or a hang into an
 * `error` result, so a probe never has to defend the run against itself.
 *
 * Adding a probe: a folder under probes/ (its sources listed in
 * probes/meson.build, the folder in the top meson.build's inc_top), one line
 * in probes/probes.c, and its staff view: one file in report/review/views/
 * and one line in views/views.c (without it the probe still gets its card,
 * findings and status everywhere).
 */
#pragma once

#include <stdbool.h>

#include "device-id.h"
#include "result.h"
#include "thresholds.h"

enum cbd_probe_flags {
	/* has steps that need a person; they run only with --interactive */
	CBD_PROBE_INTERACTIVE_STEPS = 1u << 0,
	/* may take long even without a person (a full storage read) */
	CBD_PROBE_SLOW = 1u << 1,
	/* needs root for part of its job; without it that part is `error`, never `fail` */
	CBD_PROBE_NEEDS_ROOT = 1u << 2,
};

enum cbd_storage_scan {
	CBD_STORAGE_SCAN_OFF,
	CBD_STORAGE_SCAN_QUICK,
	CBD_STORAGE_SCAN_FULL,
};

/* Answers of cbd_ui.ask() */
enum cbd_ui_answer {
	CBD_UI_DONE = 0, /* the intern pressed Enter: the step is done, or "yes" */
	CBD_UI_SKIP = 1, /* the intern chose to skip this step ("s") */
	CBD_UI_NO = 2,   /* the intern answered "n": what was asked did not happen */
	CBD_UI_READY = 3,   /* wait(): the file descriptor is readable */
	CBD_UI_TIMEOUT = 4, /* wait(): the time is up */
};

/*
 * How a probe talks to the intern during interactive steps. diag/ provides
 * it (prompts and progress on stderr, answers from stdin); probes never
 * print. Always set; ask() may only be called in an interactive run.
 */
struct cbd_ui {
	/* Show @message and wait for the intern. Returns enum cbd_ui_answer, or
	 * -errno (-EPIPE: nobody is there to answer). */
	int (*ask)(const struct cbd_ui *ui, const char *message);
	/* Show @message and read one line of text into @buf (trimmed). Returns its
	 * length, or -errno (-EPIPE: nobody is there to answer). */
	int (*ask_text)(const struct cbd_ui *ui, const char *message, char *buf, size_t size);
	/* Wait until @fd is readable (CBD_UI_READY), the intern types a line
	 * (CBD_UI_DONE, CBD_UI_SKIP or CBD_UI_NO, as for ask()) or @timeout_ms
	 * pass (CBD_UI_TIMEOUT): "plug the stick in, or s and Enter to skip".
	 * When nobody can answer (stdin at its end), only @fd and the time count. */
	int (*wait)(const struct cbd_ui *ui, int fd, unsigned timeout_ms);
	/* Replace the live status line (progress while sampling). */
	void (*status)(const struct cbd_ui *ui, const char *line);
	/* A line of information for the intern. */
	void (*say)(const struct cbd_ui *ui, const char *line);
	/* Redraw the whole screen with @text (several lines); NULL text clears it.
	 * On a terminal the screen is redrawn in place; elsewhere only @summary,
	 * a one-line form, is shown. */
	void (*screen)(const struct cbd_ui *ui, const char *text, const char *summary);
	/* ANSI colour may be used in screen() text (a terminal, and no NO_COLOR) */
	bool colour;
	void *userdata;
};

/* What a probe may know about the run. Read-only for probes. */
struct cbd_ctx {
	const struct cbd_thresholds *thresholds;
	const struct cbd_device_id *device;
	/* device->form_factor == laptop: a missing internal part is `fail`, else `skip` */
	bool laptop;
	/* a person is at the bench and answers prompts through @ui */
	bool interactive;
	/* always set: status() and say() for progress; ask() only when @interactive */
	const struct cbd_ui *ui;
	enum cbd_storage_scan storage_scan;
	/* the intern asked for the backlight sweep (the one sysfs write cbdiag makes) */
	bool backlight_sweep;
};

struct cbd_probe {
	/* stable id: the --probe name and the key in the report's "probes" */
	const char *name;
	/* one line for `cbdiag list` */
	const char *description;
	/* enum cbd_probe_flags */
	unsigned flags;
	/*
	 * Required. Gather, judge, and fill @out: call cbd_result_set() exactly
	 * once with the status and summary, add findings, put raw values in
	 * out->data. Return 0 whenever the probe did its job, also when the
	 * hardware FAILS. Return a negative errno only when the probe itself
	 * could not work; the runner then reports `error` (keeping the summary
	 * if one was set). A probe that returns without setting a status is
	 * reported as `error`.
	 */
	int (*run)(const struct cbd_ctx *ctx, struct cbd_result *out);
};

/* The registry, in run order. */
extern const struct cbd_probe *const cbd_probes[];
extern const size_t cbd_n_probes;

/** The registered probe called @name, or NULL. */
const struct cbd_probe *cbd_probe_find(const char *name);
