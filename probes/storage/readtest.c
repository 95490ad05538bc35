/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The read-only surface scan (HARDWARE §4.5). Pure logic over a read
 * callback: the probe passes probes/hw's pread of a block device opened
 * O_RDONLY|O_DIRECT, tests pass a simulated disk. The data read is only
 * timed and counted, never kept or looked at.
 */
#include "readtest.h"

#include <errno.h>
#include <stdlib.h>

struct scan {
	const struct cbd_read_source *src;
	struct cbd_read_test *t;
	uint8_t *buf;
	unsigned slow_ms;
	uint64_t bisect_budget; /* single-block reads left for bisection */
};

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

static void
note_slow(struct scan *s, uint64_t off, size_t len, uint64_t ms)
{
	if (ms < s->slow_ms || s->t->n_slow == CBD_MAX_SLOW)
		return;
	s->t->slow[s->t->n_slow++] =
		(struct cbd_slow_read){.offset = off, .length = (uint32_t)len, .ms = (uint32_t)ms};
}

/* Read [off, off+len) and return the bytes read (short at the end), -1 for an
 * unreadable span (recorded), or -2 for an error that ends the scan. */
static ssize_t
read_span(struct scan *s, uint64_t off, size_t len)
{
	unsigned lbs = s->src->logical_block;
	uint64_t t0 = cbd_now_mono_ms();
	ssize_t r = s->src->read(s->src->userdata, s->buf, len, off);

	note_slow(s, off, len, cbd_now_mono_ms() - t0);
	if (r >= 0) {
		s->t->bytes_read += (uint64_t)r;
		return r;
	}
	if (!is_medium_error(r)) {
		s->t->err = (int)r;
		return -2;
	}
	if (len <= lbs || s->bisect_budget == 0) {
		/* a single block, or no budget left to narrow it down: all of it is bad */
		for (uint64_t b = 0; b < len / lbs; b++)
			cbd_read_test_add_bad(s->t, off / lbs + b);
		return -1;
	}
	/* bisect: each half on its own, down to single logical blocks */
	{
		size_t half = (len / 2 / lbs) * lbs;
		ssize_t a, b;

		if (half == 0)
			half = lbs;
		s->bisect_budget--;
		a = read_span(s, off, half);
		if (a == -2)
			return -2;
		b = read_span(s, off + half, len - half);
		if (b == -2)
			return -2;
		return -1;
	}
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

	snprintf(line, sizeof(line), "Reading the disk [%-30.*s] %5.1f%%  %.0f MiB/s  ETA %.0f s%s",
		 bars, "##############################", total ? 100.0 * (double)done / (double)total : 0,
		 mibs, eta, t->bad_blocks ? "  (unreadable blocks found)" : "");
	progress(userdata, line);
}

void
cbd_read_test_run(const struct cbd_read_source *src, enum cbd_storage_scan mode,
		  unsigned budget_ms, unsigned slow_ms,
		  void (*progress)(void *userdata, const char *line), void *userdata,
		  struct cbd_read_test *ret)
{
	struct cbd_read_test *t = ret;
	struct scan s = {.src = src, .t = t, .slow_ms = slow_ms, .bisect_budget = 100000};
	unsigned lbs = src->logical_block ? src->logical_block : 512;
	uint64_t size = src->size_bytes - src->size_bytes % lbs;
	uint64_t t0 = cbd_now_mono_ms(), last_progress = t0, t0_us = cbd_now_mono_us();
	void *buf = NULL;

	*t = (struct cbd_read_test){.mode = mode, .logical_block = lbs, .size_bytes = size};
	if (size == 0 || mode == CBD_STORAGE_SCAN_OFF)
		return;
	if (posix_memalign(&buf, 4096, CBD_READ_CHUNK) != 0) {
		t->err = -ENOMEM;
		return;
	}
	s.buf = buf;

	if (mode == CBD_STORAGE_SCAN_QUICK) {
		uint64_t span = size > CBD_READ_CHUNK ? size - CBD_READ_CHUNK : 0;
		uint32_t regions = size <= (uint64_t)CBD_READ_CHUNK * CBD_QUICK_REGIONS
					   ? (uint32_t)((size + CBD_READ_CHUNK - 1) / CBD_READ_CHUNK)
					   : CBD_QUICK_REGIONS;

		t->regions_planned = regions;
		for (uint32_t i = 0; i < regions; i++) {
			/* spread evenly from the first to the last MiB, aligned to the block */
			uint64_t off = regions > 1 ? span * i / (regions - 1) : 0;
			size_t len;

			off -= off % lbs;
			len = (size_t)(size - off < CBD_READ_CHUNK ? size - off : CBD_READ_CHUNK);
			if (i > 0 && cbd_now_mono_ms() - t0 >= budget_ms) {
				t->budget_exhausted = true;
				break;
			}
			if (read_span(&s, off, len) == -2)
				break;
			t->regions_read++;
		}
	} else {
		for (uint64_t off = 0; off < size;) {
			size_t len = (size_t)(size - off < CBD_READ_CHUNK ? size - off : CBD_READ_CHUNK);
			ssize_t r = read_span(&s, off, len);

			if (r == -2)
				break;
			if (r >= 0 && (size_t)r < len && r % lbs == 0 && r > 0)
				len = (size_t)r; /* short read: go on from there */
			else if (r == 0)
				break; /* the device ended early */
			off += len;
			if (progress && cbd_now_mono_ms() - last_progress >= 250) {
				last_progress = cbd_now_mono_ms();
				report_progress(t, off, size, t0, progress, userdata);
			}
		}
		if (progress)
			report_progress(t, size, size, t0, progress, userdata);
	}
	t->seconds = (double)(cbd_now_mono_us() - t0_us) / 1e6;
	free(buf);
}
