/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The read-only surface scan (HARDWARE §4.5). Logic over a read source: the
 * probe passes probes/hw's block device (opened O_RDONLY, O_DIRECT when
 * allowed) with its queue of reads in flight, tests pass a simulated disk.
 * The data read is only timed and counted, never kept or looked at.
 *
 * Reads are submitted up to the queue's depth ahead and may finish in any
 * order; their results are settled strictly in the order of the disk, so bad
 * ranges come out sorted and merged exactly as with one read at a time. A
 * failed request is bisected with single synchronous reads while the rest of
 * the queue goes on.
 */
#include "cbd-i18n.h"
#include "readtest.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hw.h"

struct slot {
	uint64_t off;
	size_t len;
	uint64_t submit_us;
	ssize_t res;
	bool done;
};

struct scan {
	const struct cbd_read_source *src;
	struct cbd_read_test *t;
	unsigned lbs;
	unsigned slow_ms;
	uint64_t bisect_budget; /* single-block reads left for bisection */
	/* the queue */
	unsigned depth;
	size_t buf_size; /* per slot */
	uint8_t *bufs;   /* depth * buf_size */
	struct slot *slots;
	uint64_t submitted, settled;
	uint64_t reaped;
	uint64_t last_reap_us;
	/* a source without a queue: one read, done at submit time */
	unsigned sync_tag;
	bool sync_pending;
};

enum { SETTLE_OK = 0, SETTLE_STOP = 1 };

static bool
is_medium_error(ssize_t r)
{
	return r == -EIO || r == -EILSEQ || r == -ENODATA || r == -ETIMEDOUT ||
	       r == -EREMOTEIO || r == -EBADMSG;
}

void
cbd_read_test_add_bad(struct cbd_read_test *t, uint64_t lba)
{
	struct cbd_bad_range *last = t->n_bad ? &t->bad[t->n_bad - 1] : NULL;

	t->bad_blocks++;
	if (last && last->lba + last->count == lba) {
		last->count++;
		return;
	}
	if (t->n_bad == CBD_MAX_BAD_RANGES) {
		t->bad_truncated = true;
		return;
	}
	t->bad[t->n_bad++] = (struct cbd_bad_range){.lba = lba, .count = 1};
}

static unsigned
pow2_floor(uint64_t v)
{
	unsigned p = 1;

	while ((uint64_t)p * 2 <= v && p < (1u << 30))
		p *= 2;
	return p;
}

void
cbd_read_test_plan(unsigned max_sectors_kb, unsigned optimal_io_size, unsigned logical_block,
		   size_t *ret_request, unsigned *ret_depth)
{
	unsigned lbs = logical_block ? logical_block : 512;
	uint64_t unit = lbs > 4096 ? lbs : 4096; /* whole blocks and pages (O_DIRECT) */
	uint64_t req = CBD_READ_REQUEST;
	unsigned depth;

	/* 128 KiB, 32 in flight (4 MiB of buffers): enough to keep an NVMe or
	 * a command-queueing eMMC busy, and fio's best configuration on a
	 * RAM-backed loop device (docs/performance.md). Larger requests only
	 * when the device prefers them (optimal_io_size), never more than its
	 * queue takes whole (max_sectors_kb). */
	if (optimal_io_size > req && optimal_io_size <= CBD_READ_CHUNK)
		req = optimal_io_size;
	else if (optimal_io_size && optimal_io_size < req)
		req -= req % optimal_io_size;
	if (max_sectors_kb && (uint64_t)max_sectors_kb * 1024u < req)
		req = pow2_floor((uint64_t)max_sectors_kb * 1024u);
	req -= req % unit;
	if (req == 0)
		req = unit;
	depth = (unsigned)(CBD_READ_INFLIGHT_BYTES / req);
	if (depth > CBD_READ_MAX_DEPTH)
		depth = CBD_READ_MAX_DEPTH;
	if (depth < 1)
		depth = 1;
	*ret_request = (size_t)req;
	*ret_depth = depth;
}

static void
note_slow(struct scan *s, uint64_t off, size_t len, uint64_t ms)
{
	if (ms < s->slow_ms || s->t->n_slow == CBD_MAX_SLOW)
		return;
	s->t->slow[s->t->n_slow++] =
		(struct cbd_slow_read){.offset = off, .length = (uint32_t)len, .ms = (uint32_t)ms};
}

/* one synchronous read (bisection, the rest of a short read), timed */
static ssize_t
timed_read(struct scan *s, uint8_t *buf, uint64_t off, size_t len)
{
	uint64_t t0 = cbd_now_mono_us();
	ssize_t r = s->src->read(s->src->userdata, buf, len, off);

	note_slow(s, off, len, (cbd_now_mono_us() - t0) / 1000);
	return r;
}

static int settle(struct scan *s, uint8_t *buf, uint64_t off, size_t len, ssize_t r);

/* [off, off+len) failed with a medium error: find its bad blocks */
static int
bisect(struct scan *s, uint8_t *buf, uint64_t off, size_t len)
{
	unsigned lbs = s->lbs;
	size_t half;

	if (len <= lbs || s->bisect_budget == 0) {
		/* a single block, or no budget left to narrow it down: all of it is bad */
		for (uint64_t b = 0; b < (len + lbs - 1) / lbs; b++)
			cbd_read_test_add_bad(s->t, off / lbs + b);
		return SETTLE_OK;
	}
	half = (len / 2 / lbs) * lbs;
	if (half == 0)
		half = lbs;
	s->bisect_budget--;
	if (settle(s, buf, off, half, timed_read(s, buf, off, half)) == SETTLE_STOP)
		return SETTLE_STOP;
	return settle(s, buf, off + half, len - half, timed_read(s, buf, off + half, len - half));
}

/*
 * Account for a read of [off, off+len) that returned @r: count the bytes,
 * read the rest of a short read, bisect a medium error. SETTLE_STOP ends the
 * scan (another error, recorded in t->err, or the device ended early).
 */
static int
settle(struct scan *s, uint8_t *buf, uint64_t off, size_t len, ssize_t r)
{
	for (;;) {
		size_t got;

		if (r < 0) {
			if (!is_medium_error(r)) {
				s->t->err = (int)r;
				return SETTLE_STOP;
			}
			return bisect(s, buf, off, len);
		}
		if ((size_t)r >= len) {
			s->t->bytes_read += len;
			return SETTLE_OK;
		}
		got = (size_t)r - (size_t)r % s->lbs; /* whole blocks: go on from there */
		if (got == 0)
			return SETTLE_STOP; /* the device ended early */
		s->t->bytes_read += got;
		off += got;
		len -= got;
		r = timed_read(s, buf, off, len);
	}
}

static int
submit(struct scan *s, uint64_t off, size_t len)
{
	unsigned tag = (unsigned)(s->submitted % s->depth);
	struct slot *sl = &s->slots[tag];
	uint8_t *buf = s->bufs + (size_t)tag * s->buf_size;
	int r;

	*sl = (struct slot){.off = off, .len = len, .submit_us = cbd_now_mono_us()};
	if (s->src->submit) {
		r = s->src->submit(s->src->userdata, buf, len, off, tag);
		if (r < 0)
			return r;
	} else {
		sl->res = s->src->read(s->src->userdata, buf, len, off);
		s->sync_tag = tag;
		s->sync_pending = true;
	}
	s->submitted++;
	return 0;
}

/* wait for one read to finish and mark its slot done */
static int
reap(struct scan *s)
{
	unsigned tag;
	ssize_t res;
	uint64_t now, from;
	struct slot *sl;

	if (s->src->submit) {
		int r = s->src->reap(s->src->userdata, &tag, &res);

		if (r < 0)
			return r;
		if (tag >= s->depth)
			return -EIO;
	} else {
		if (!s->sync_pending)
			return -ENOENT;
		tag = s->sync_tag;
		res = s->slots[tag].res;
		s->sync_pending = false;
	}
	now = cbd_now_mono_us();
	sl = &s->slots[tag];
	sl->res = res;
	sl->done = true;
	/* what the device spent on this read: from its submission, or from the
	 * read before it when it waited in the queue behind that one */
	from = sl->submit_us > s->last_reap_us ? sl->submit_us : s->last_reap_us;
	note_slow(s, sl->off, sl->len, (now - from) / 1000);
	s->last_reap_us = now;
	s->reaped++;
	return 0;
}

static void
report_progress(const struct cbd_read_test *t, uint64_t done, uint64_t total, uint64_t t0_ms,
		void (*progress)(void *, const char *), void *userdata)
{
	double secs = (double)(cbd_now_mono_ms() - t0_ms) / 1000.0;
	double mibs = secs > 0 ? (double)t->bytes_read / 1048576.0 / secs : 0;
	double eta = mibs > 0 ? (double)(total - done) / 1048576.0 / mibs : 0;
	char line[160];
	int bars = total ? (int)(done * 30 / total) : 0;

	snprintf(line, sizeof(line), _("Reading the disk [%-30.*s] %5.1f%%  %.0f MiB/s  ETA %.0f s%s"),
		 bars, "##############################", total ? 100.0 * (double)done / (double)total : 0,
		 mibs, eta, t->bad_blocks ? _("  (unreadable blocks found)") : "");
	progress(userdata, line);
}

void
cbd_read_test_run(const struct cbd_read_source *src, enum cbd_storage_scan mode,
		  unsigned budget_ms, unsigned slow_ms,
		  void (*progress)(void *userdata, const char *line), void *userdata,
		  struct cbd_read_test *ret)
{
	struct cbd_read_test *t = ret;
	unsigned lbs = src->logical_block ? src->logical_block : 512;
	struct scan s = {.src = src, .t = t, .lbs = lbs, .slow_ms = slow_ms,
			 .bisect_budget = 100000};
	uint64_t size = src->size_bytes - src->size_bytes % lbs;
	uint64_t t0 = cbd_now_mono_ms(), last_progress = t0, t0_us = cbd_now_mono_us();
	bool quick = mode == CBD_STORAGE_SCAN_QUICK;
	size_t request = src->request_bytes && src->request_bytes % lbs == 0 ? src->request_bytes
									     : CBD_READ_CHUNK;
	uint64_t span = 0, next_off = 0;
	uint32_t regions = 0, next_region = 0;
	bool stop = false, no_more = false, lost = false;
	void *bufs = NULL;

	*t = (struct cbd_read_test){.mode = mode, .logical_block = lbs, .size_bytes = size};
	if (size == 0 || mode == CBD_STORAGE_SCAN_OFF)
		return;
	if (quick) {
		span = size > CBD_READ_CHUNK ? size - CBD_READ_CHUNK : 0;
		regions = size <= (uint64_t)CBD_READ_CHUNK * CBD_QUICK_REGIONS
				  ? (uint32_t)((size + CBD_READ_CHUNK - 1) / CBD_READ_CHUNK)
				  : CBD_QUICK_REGIONS;
		t->regions_planned = regions;
		request = CBD_READ_CHUNK;
	}
	s.buf_size = request;
	s.depth = src->submit && src->reap && src->depth ? src->depth : 1;
	if (s.depth > CBD_READ_INFLIGHT_BYTES / request)
		s.depth = (unsigned)(CBD_READ_INFLIGHT_BYTES / request);
	if (s.depth < 1)
		s.depth = 1;
	t->queue_depth = s.depth;
	t->request_bytes = (uint32_t)request;
	if (posix_memalign(&bufs, 4096, s.depth * s.buf_size) != 0) {
		t->err = -ENOMEM;
		return;
	}
	s.bufs = bufs;
	s.slots = cbd_zalloc(s.depth * sizeof(*s.slots));
	/* the buffers' pages exist before the clock starts, as fio's do: the
	 * first read into each would otherwise also pay for the page fault */
	memset(bufs, 0, s.depth * s.buf_size);
	t0 = cbd_now_mono_ms();
	last_progress = t0;
	t0_us = cbd_now_mono_us();

	for (;;) {
		/* keep the queue full */
		while (!stop && !no_more && s.submitted - s.settled < s.depth) {
			uint64_t off;
			size_t len;
			int r;

			if (quick) {
				uint64_t elapsed_us = cbd_now_mono_us() - t0_us;
				uint64_t budget_us = (uint64_t)budget_ms * 1000u;

				if (next_region == regions) {
					no_more = true;
					break;
				}
				if (next_region > 0 && elapsed_us >= budget_us) {
					t->budget_exhausted = true;
					no_more = true;
					break;
				}
				/* no more in flight than can finish within the budget at
				 * half the pace seen so far (a busy machine or disk slows
				 * down); one until the first has finished */
				if (next_region > 0) {
					uint64_t in_flight = s.submitted - s.reaped;
					uint64_t pace = s.reaped ? elapsed_us / s.reaped : 0;

					if (!s.reaped && in_flight >= 1)
						break;
					if (s.reaped && in_flight >= 1 &&
					    2 * (in_flight + 1) * pace > budget_us - elapsed_us)
						break;
				}
				/* spread evenly from the first to the last MiB, aligned to the block */
				off = regions > 1 ? span * next_region / (regions - 1) : 0;
				off -= off % lbs;
				len = (size_t)(size - off < CBD_READ_CHUNK ? size - off : CBD_READ_CHUNK);
				next_region++;
			} else {
				if (next_off >= size) {
					no_more = true;
					break;
				}
				off = next_off;
				len = (size_t)(size - off < request ? size - off : request);
				next_off += len;
			}
			r = submit(&s, off, len);
			if (r < 0) {
				t->err = r;
				stop = true;
			}
		}
		if (s.submitted == s.settled)
			break;
		if (s.reaped == s.submitted || reap(&s) < 0) {
			/* the queue lost a read: nothing more can be said of it, and
			 * the kernel may still be filling its buffer */
			if (!t->err)
				t->err = -EIO;
			lost = true;
			break;
		}
		/* settle, in the order of the disk, whatever has finished */
		while (s.settled < s.submitted && s.slots[s.settled % s.depth].done) {
			unsigned tag = (unsigned)(s.settled % s.depth);
			struct slot *sl = &s.slots[tag];

			sl->done = false;
			s.settled++;
			if (stop)
				continue; /* draining after the end */
			if (settle(&s, s.bufs + (size_t)tag * s.buf_size, sl->off, sl->len, sl->res) ==
			    SETTLE_STOP) {
				stop = true;
				continue;
			}
			if (quick)
				t->regions_read++;
		}
		if (!quick && progress && cbd_now_mono_ms() - last_progress >= 250) {
			uint64_t done = s.settled < s.submitted ? s.slots[s.settled % s.depth].off
								: next_off;

			last_progress = cbd_now_mono_ms();
			report_progress(t, done, size, t0, progress, userdata);
		}
	}
	if (!quick && progress)
		report_progress(t, size, size, t0, progress, userdata);
	t->seconds = (double)(cbd_now_mono_us() - t0_us) / 1e6;
	free(s.slots);
	/* a read that could not be reaped may still land in its buffer: better
	 * a few MiB kept until exit than memory written after it was freed */
	if (!lost)
		free(bufs);
}

/* ---- on a real block device ---------------------------------------------- */

struct hw_source {
	struct cbd_hw_block b;
	struct cbd_hw_block_queue *q;
};

static ssize_t
hw_read(void *userdata, void *buf, size_t len, uint64_t off)
{
	struct hw_source *h = userdata;

	return cbd_hw_block_read(&h->b, buf, len, off);
}

static int
hw_submit(void *userdata, void *buf, size_t len, uint64_t off, unsigned tag)
{
	struct hw_source *h = userdata;

	return cbd_hw_block_queue_submit(h->q, buf, len, off, tag);
}

static int
hw_reap(void *userdata, unsigned *tag, ssize_t *res)
{
	struct hw_source *h = userdata;

	return cbd_hw_block_queue_reap(h->q, tag, res);
}

void
cbd_read_test_device(const char *name, enum cbd_storage_scan mode, unsigned budget_ms,
		     unsigned slow_ms, void (*progress)(void *userdata, const char *line),
		     void *userdata, struct cbd_read_test *ret)
{
	struct hw_source h = {.q = NULL};
	struct cbd_read_source src;
	size_t request;
	unsigned depth;
	int r = cbd_hw_block_open(name, &h.b);

	if (r < 0) {
		*ret = (struct cbd_read_test){.mode = mode, .err = r};
		return;
	}
	cbd_read_test_plan(h.b.max_sectors_kb, h.b.optimal_io_size, h.b.logical_block, &request,
			   &depth);
	/* a quick test reads regions of 1 MiB: as many in flight as fit the same memory */
	if (mode == CBD_STORAGE_SCAN_QUICK)
		depth = (unsigned)(CBD_READ_INFLIGHT_BYTES / CBD_READ_CHUNK);
	r = cbd_hw_block_queue_new(&h.b, depth, &h.q);
	if (r < 0) {
		*ret = (struct cbd_read_test){.mode = mode, .err = r};
		cbd_hw_block_close(&h.b);
		return;
	}
	src = (struct cbd_read_source){
		.read = hw_read,
		.request_bytes = request,
		.userdata = &h,
		.size_bytes = h.b.size_bytes,
		.logical_block = h.b.logical_block,
	};
	/* plain pread() has nothing to queue: one read at a time, timed alone */
	if (cbd_hw_block_queue_engine(h.q) != CBD_HW_ENGINE_PREAD) {
		src.submit = hw_submit;
		src.reap = hw_reap;
		src.depth = depth;
	}
	cbd_read_test_run(&src, mode, budget_ms, slow_ms, progress, userdata, ret);
	ret->direct = h.b.direct;
	ret->engine = cbd_hw_block_engine_name(cbd_hw_block_queue_engine(h.q));
	cbd_hw_block_queue_free(h.q);
	cbd_hw_block_close(&h.b);
}
