/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The read-only surface scan. Quick: up to 256 regions of 1 MiB spread over
 * the whole disk, within a time budget. Full: the whole device, sequentially,
 * with a progress line. Several reads are in flight at once (io_uring, or a
 * few reader threads, when the source offers a queue); their results are
 * taken in the order of the disk. Unreadable requests are bisected down to
 * single logical blocks, which are recorded as bad ranges; the scan goes on
 * after them.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "probe.h"

#define CBD_READ_CHUNK (1024u * 1024u)     /* a quick-test region; the largest request */
#define CBD_READ_REQUEST (128u * 1024u)    /* a full-scan request, unless the device says */
#define CBD_READ_MAX_DEPTH 32u             /* reads in flight at most */
#define CBD_READ_INFLIGHT_BYTES (8u << 20) /* buffers of the reads in flight at most */
#define CBD_QUICK_REGIONS 256u
#define CBD_MAX_BAD_RANGES 256u
#define CBD_MAX_SLOW 64u

struct cbd_bad_range {
	uint64_t lba;   /* first unreadable logical block */
	uint64_t count; /* consecutive unreadable blocks */
};

struct cbd_slow_read {
	uint64_t offset; /* bytes */
	uint32_t length; /* bytes */
	uint32_t ms;
};

struct cbd_read_test {
	enum cbd_storage_scan mode;
	int err;                 /* 0, or -errno when the test could not run at all */
	bool refused_as_root;    /* err is EPERM/EACCES although cbdiag runs as root */
	bool direct;             /* O_DIRECT reads (no page cache) */
	const char *engine;      /* "io_uring", "threads", "pread" (static), NULL: not run */
	unsigned queue_depth;    /* reads in flight at most */
	uint32_t request_bytes;  /* size of one full-scan read */
	unsigned logical_block;
	uint64_t size_bytes;
	uint64_t bytes_read;     /* readable bytes actually read */
	double seconds;
	uint32_t regions_planned, regions_read; /* quick mode */
	bool budget_exhausted;                  /* quick mode stopped by the time budget */
	uint64_t bad_blocks;                    /* total unreadable logical blocks */
	struct cbd_bad_range bad[CBD_MAX_BAD_RANGES];
	uint32_t n_bad;
	bool bad_truncated; /* more ranges than recorded */
	struct cbd_slow_read slow[CBD_MAX_SLOW];
	uint32_t n_slow;
};

/* Where the scan reads from: probes/hw in the probe, anything in tests. */
struct cbd_read_source {
	/* read @len bytes at @off into @buf: bytes read or -errno */
	ssize_t (*read)(void *userdata, void *buf, size_t len, uint64_t off);
	/* optional, both or neither: queue a read tagged @tag (< depth), and wait
	 * for any queued read to finish (its tag and bytes read or -errno); each
	 * returns 0 or -errno. Without them reads are done one at a time. */
	int (*submit)(void *userdata, void *buf, size_t len, uint64_t off, unsigned tag);
	int (*reap)(void *userdata, unsigned *tag, ssize_t *res);
	unsigned depth;       /* reads in flight at most with submit/reap */
	size_t request_bytes; /* full-scan read size (a multiple of the block); 0: 1 MiB */
	void *userdata;
	uint64_t size_bytes;
	unsigned logical_block;
};

/**
 * The request size and queue depth for a device whose queue takes requests of
 * up to @max_sectors_kb KiB (0: unknown) and prefers multiples of
 * @optimal_io_size bytes (0: no preference), with logical blocks of
 * @logical_block bytes.
 */
void cbd_read_test_plan(unsigned max_sectors_kb, unsigned optimal_io_size, unsigned logical_block,
			size_t *ret_request, unsigned *ret_depth);

/**
 * Scan @src in @mode (quick or full). @budget_ms bounds a quick scan,
 * @slow_ms marks slow reads. @progress (optional) gets a status line now and
 * then. Fills @ret.
 */
void cbd_read_test_run(const struct cbd_read_source *src, enum cbd_storage_scan mode,
		       unsigned budget_ms, unsigned slow_ms,
		       void (*progress)(void *userdata, const char *line), void *userdata,
		       struct cbd_read_test *ret);

/**
 * The read test of block device /dev/@name through probes/hw: opened
 * read-only (O_DIRECT when allowed), requests sized by cbd_read_test_plan()
 * from the device's queue limits, the best engine the kernel allows. Fills
 * @ret, with ret->err set when the device could not be opened.
 */
void cbd_read_test_device(const char *name, enum cbd_storage_scan mode, unsigned budget_ms,
			  unsigned slow_ms, void (*progress)(void *userdata, const char *line),
			  void *userdata, struct cbd_read_test *ret);

/** Record unreadable block @lba into @t, merging with the last range. */
void cbd_read_test_add_bad(struct cbd_read_test *t, uint64_t lba);
