/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The read-only surface scan. Quick: up to 256 regions of 1 MiB spread over
 * the whole disk, within a time budget. Full: the whole device, sequentially,
 * with a progress line. Unreadable chunks are bisected down to single logical
 * blocks, which are recorded as bad ranges; the scan goes on after them.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "probe.h"

#define CBD_READ_CHUNK (1024u * 1024u)
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
	void *userdata;
	uint64_t size_bytes;
	unsigned logical_block;
};

/**
 * Scan @src in @mode (quick or full). @budget_ms bounds a quick scan,
 * @slow_ms marks slow reads. @progress (optional) gets a status line now and
 * then. Fills @ret.
 */
void cbd_read_test_run(const struct cbd_read_source *src, enum cbd_storage_scan mode,
		       unsigned budget_ms, unsigned slow_ms,
		       void (*progress)(void *userdata, const char *line), void *userdata,
		       struct cbd_read_test *ret);

/** Record unreadable block @lba into @t, merging with the last range. */
void cbd_read_test_add_bad(struct cbd_read_test *t, uint64_t lba);
