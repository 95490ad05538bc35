/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Attaching one report, and flushing the offline queue: the decisions
 * `cbdiag attach`, `cbdiag queue flush` and `cbdiag run --attach` share.
 * Nothing here prints; outcomes are returned for diag/ to show and to turn
 * into exit codes.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "helpdesk.h"

/* What became of one report handed to cbd_attach_report(). */
struct cbd_attach_outcome {
	enum cbd_hd_result result;
	char *message;     /* what happened, in words */
	char *ticket;      /* the ticket used, or NULL */
	char *queued_as;   /* UNREACHABLE: the queue entry it waits in */
	char *queue_error; /* UNREACHABLE and it could NOT be queued: why */
	int queue_errno;   /* with queue_error: -EPERM for an untrusted queue directory */
};

void cbd_attach_outcome_clear(struct cbd_attach_outcome *o);

/**
 * Attach @item to @ticket, else the report's own ticket, else the device's
 * open ticket (@create: open one when there is none). When the help desk
 * cannot be reached the report is queued in @queue_dir (with the marker of a
 * send that may still arrive). The result is also in @out->result.
 */
enum cbd_hd_result cbd_attach_report(struct cbd_hd *hd, const char *queue_dir,
				     const struct cbd_hd_item *item, const char *ticket,
				     bool create, struct cbd_attach_outcome *out);

/* One line of a flush's story, given to the caller as it happens. */
struct cbd_flush_note {
	const char *entry;         /* the entry's name */
	enum cbd_hd_result result; /* DONE: sent (or found there) */
	const char *message;
	bool local; /* a problem with the queue on this machine (entry.json not updated) */
};

struct cbd_flush_counts {
	size_t sent, waiting, held; /* held: waiting for a person */
};

/**
 * Send what waits in @dir, oldest first, under the queue's lock; stop at the
 * first entry the help desk cannot be reached for. @automatic (run --attach):
 * do not wait for the lock, skip entries that wait for a person or for their
 * backoff. @note (optional) hears of each entry as it is dealt with.
 * Returns 0 with *@counts, or -errno with *@ret_err: -EWOULDBLOCK (another
 * cbdiag holds the lock), -EPERM (the queue directory is not trusted).
 */
int cbd_queue_flush(struct cbd_hd *hd, const char *dir, bool automatic,
		    void (*note)(const struct cbd_flush_note *n, void *userdata), void *userdata,
		    struct cbd_flush_counts *counts, char **ret_err);
