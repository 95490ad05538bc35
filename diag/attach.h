/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What `attach`, `queue` and `run --attach` share (diag/cmd-attach.c). */
#pragma once

#include <stdbool.h>
#include <stdio.h>

#include "config.h"
#include "helpdesk.h"

/** The queue directory in force: [helpdesk] queue_dir, else the default. */
const char *cbd_attach_queue_dir(const struct cbd_config *cfg);

/** Open the configured help desk; prints the problem and returns CBD_EXIT_USAGE, or 0. */
int cbd_attach_open(const char *cmd, const struct cbd_config *cfg, struct cbd_hd **ret);

/**
 * Attach the report at @path (to @ticket, else the report's own ticket, else
 * the device's open ticket; @create opens one when there is none). Queues it
 * when the help desk cannot be reached. The outcome goes to @out (stdout for
 * `attach`, stderr for `run --attach`), problems to stderr. Returns the exit status.
 */
int cbd_attach_report(const char *cmd, struct cbd_hd *hd, const char *queue_dir, const char *path,
		      const char *ticket, bool create, FILE *out);

/**
 * Send what waits in the queue, oldest first; stop at the first entry the
 * help desk cannot be reached for. @automatic (run --attach): skip entries
 * that wait for a person or for their backoff. What was sent is listed on
 * @out. Returns the exit status.
 */
int cbd_queue_flush(const char *cmd, struct cbd_hd *hd, const char *dir, bool automatic,
		    FILE *out);
