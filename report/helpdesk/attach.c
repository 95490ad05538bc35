/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Attaching one report, and flushing the offline queue. See attach.h. */
#include "attach.h"

#include <errno.h>
#include <stdio.h>
#include <time.h>

void
cbd_attach_outcome_clear(struct cbd_attach_outcome *o)
{
	free(o->message);
	free(o->ticket);
	free(o->queued_as);
	free(o->queue_error);
	*o = (struct cbd_attach_outcome){0};
}

enum cbd_hd_result
cbd_attach_report(struct cbd_hd *hd, const char *queue_dir, const struct cbd_hd_item *item,
		  const char *ticket, bool create, struct cbd_attach_outcome *out)
{
	struct cbd_hd_attempt a = {0};
	int r;

	*out = (struct cbd_attach_outcome){0};
	out->ticket = cbd_strdup(ticket ? ticket : item->ticket);
	out->result = cbd_hd_deliver(hd, item, &out->ticket, create, &a, &out->message);
	if (out->result != CBD_HD_UNREACHABLE)
		return out->result;
	/* a send that got no answer may still be stored: the queue remembers when it began */
	r = cbd_queue_add(queue_dir, item, out->ticket, create && !out->ticket, out->message,
			  a.send_at, &out->queued_as, &out->queue_error);
	if (r < 0)
		out->queue_errno = r;
	return out->result;
}

/* Persist "sending since @now" in the entry before its report goes out. */
static int
mark_sending(struct cbd_hd_attempt *a, int64_t now, char **ret_err)
{
	struct cbd_queue_entry *e = a->userdata;

	e->sending_since = now;
	return cbd_queue_update(e, ret_err);
}

static void
tell(void (*note)(const struct cbd_flush_note *, void *), void *userdata, const char *entry,
     enum cbd_hd_result r, const char *msg, bool local)
{
	if (note)
		note(&(const struct cbd_flush_note){.entry = entry, .result = r, .message = msg,
						    .local = local},
		     userdata);
}

int
cbd_queue_flush(struct cbd_hd *hd, const char *dir, bool automatic,
		void (*note)(const struct cbd_flush_note *n, void *userdata), void *userdata,
		struct cbd_flush_counts *counts, char **ret_err)
{
	struct cbd_queue_entry *v = NULL;
	_cleanup_close_ int lock = -1;
	size_t n = 0;
	bool stop = false;
	int64_t now = time(NULL);
	int r;

	*counts = (struct cbd_flush_counts){0};
	lock = cbd_queue_lock(dir, automatic ? 0 : 10000, ret_err);
	if (lock < 0)
		return lock;
	if ((r = cbd_queue_list(dir, &v, &n, ret_err)) < 0)
		return r;
	for (size_t i = 0; i < n; i++) {
		struct cbd_queue_entry *e = &v[i];
		_cleanup_free_ char *msg = NULL, *uerr = NULL, *lerr = NULL;
		struct cbd_hd_item item;
		struct cbd_hd_attempt a = {0};
		enum cbd_hd_result res;

		if (!e->report_id) { /* damaged entry: only a person can help */
			counts->held++;
			continue;
		}
		if (stop || (automatic && (e->held || e->next_attempt_at > now))) {
			e->held ? counts->held++ : counts->waiting++;
			continue;
		}
		if (cbd_queue_load_item(e, &item, &lerr) < 0) {
			free(e->last_error);
			e->last_error = cbd_strdupf("the queued report is damaged or was replaced: %s",
						    lerr ? lerr : "cannot read it");
			e->held = true;
			counts->held++;
			tell(note, userdata, e->name, CBD_HD_REFUSED, e->last_error, false);
			if (cbd_queue_update(e, &uerr) < 0)
				tell(note, userdata, e->name, CBD_HD_REFUSED, uerr, true);
			continue;
		}
		a.earlier_send_at = e->sending_since;
		a.before_send = mark_sending;
		a.userdata = e;
		res = cbd_hd_deliver(hd, &item, &e->ticket, e->create, &a, &msg);
		e->attempts++;
		e->last_attempt_at = time(NULL);
		if (res == CBD_HD_DONE) {
			tell(note, userdata, e->name, res, msg, false);
			if (cbd_queue_remove(e, &uerr) < 0)
				tell(note, userdata, e->name, CBD_HD_REFUSED, uerr, true);
			counts->sent++;
			cbd_hd_item_clear(&item);
			continue;
		}
		tell(note, userdata, e->name, res, msg, false);
		free(e->last_error);
		e->last_error = steal_ptr(&msg);
		if (e->ticket)
			e->create = false; /* a ticket was found or opened: use it next time */
		if (res == CBD_HD_UNREACHABLE) {
			e->held = false;
			e->next_attempt_at = e->last_attempt_at + cbd_queue_backoff_s(e->attempts);
			counts->waiting++;
			stop = true; /* the help desk is down: leave the rest for later */
		} else {
			e->held = true;
			counts->held++;
		}
		/* sending_since stays as set: the send may still arrive; the next
		 * attempt looks for it (bounded) before sending again */
		if (cbd_queue_update(e, &uerr) < 0)
			tell(note, userdata, e->name, CBD_HD_REFUSED, uerr, true);
		cbd_hd_item_clear(&item);
	}
	cbd_queue_entries_free(v, n);
	return 0;
}
