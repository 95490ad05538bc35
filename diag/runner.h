/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The probe runner: runs each probe in a child process with a deadline,
 * times it, and turns a hang, a crash or a missing verdict into an `error`
 * result. A probe stuck in a kernel call therefore cannot hang the run: the
 * child is killed (or, stuck in uninterruptible sleep, abandoned) and the
 * report still lands.
 */
#pragma once

#include "probe.h"
#include "report.h"

struct cbd_runner_opts {
	unsigned timeout_s;             /* per-probe deadline */
	unsigned interactive_timeout_s; /* deadline for a probe with interactive steps
					 * in an interactive run, and for SLOW probes
					 * with a full storage scan */
	/* called after each probe (diag/ prints progress); optional */
	void (*progress)(const struct cbd_probe *p, const struct cbd_result *r, void *userdata);
	void *userdata;
	/* run probes in this process, without a deadline (debugging) */
	bool inline_probes;
};

/**
 * Run @n probes in order and store each result in @out[i] (name and owned
 * result). Always fills all @n entries. Returns the number of probes that
 * ran before a Ctrl-C stopped the run (the rest are `skip`, "not run").
 */
size_t cbd_runner_run(const struct cbd_probe *const *probes, size_t n, const struct cbd_ctx *ctx,
		      const struct cbd_runner_opts *opts, struct cbd_report_probe *out);

/** Run one probe in this process (no deadline); never returns NULL. */
struct cbd_result *cbd_runner_run_inline(const struct cbd_probe *p, const struct cbd_ctx *ctx);
