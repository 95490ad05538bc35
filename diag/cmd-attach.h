/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What `attach`, `queue` and `run --attach` share (diag/cmd-attach.c): the
 * printing and the exit codes around report/helpdesk/ (attach.h), which
 * decides and sends.
 */
#pragma once

#include <stdbool.h>
#include <stdio.h>

#include "config.h"
#include "helpdesk.h"
#include "report.h"

/** The queue directory in force: [helpdesk] queue_dir, else the default. */
const char *cbd_attach_queue_dir(const struct cbd_config *cfg);

/** Open the configured help desk; prints the problem and returns CBD_EXIT_USAGE, or 0. */
int cbd_attach_open(const char *cmd, const struct cbd_config *cfg, struct cbd_hd **ret);

/**
 * Attach @item (to @ticket, else the report's own ticket, else the device's
 * open ticket; @create opens one when there is none); queued when the help
 * desk cannot be reached. @path names the report in messages. The outcome
 * goes to @out (stdout for `attach`, stderr for `run --attach`), problems to
 * stderr. Returns the exit status.
 */
int cbd_attach_print(const char *cmd, struct cbd_hd *hd, const char *queue_dir,
		     const struct cbd_hd_item *item, const char *path, const char *ticket,
		     bool create, FILE *out);
/* The same; *@ret_delivery (when not NULL) says whether the report is on the
 * ticket, queued or neither, for the final screen of a run. */
int cbd_attach_print_delivery(const char *cmd, struct cbd_hd *hd, const char *queue_dir,
			      const struct cbd_hd_item *item, const char *path, const char *ticket,
			      bool create, FILE *out, enum cbd_delivery *ret_delivery);

/**
 * Flush the queue (cbd_queue_flush) and say what happened: what was sent on
 * @out, problems on stderr. Returns the exit status.
 */
int cbd_attach_flush(const char *cmd, struct cbd_hd *hd, const char *dir, bool automatic,
		     FILE *out);
