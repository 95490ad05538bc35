/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Test helper: run the storage probe's read test on one named block device
 * (the probe itself never tests loop devices) with the real probes/hw block
 * access, judge it as an internal disk, and print the storage result as
 * JSON. Used by test-readtest-blockdev.sh and test-storage-safety.sh.
 *   readtest-device NAME quick|full
 */
#include <stdio.h>

#include "hw.h"
#include "readtest.h"
#include "storage.h"

static ssize_t
hw_read(void *userdata, void *buf, size_t len, uint64_t off)
{
	return cbd_hw_block_read(userdata, buf, len, off);
}

int
main(int argc, char **argv)
{
	struct cbd_thresholds t;
	struct cbd_disk_raw d = {.type = CBD_DISK_OTHER};
	struct cbd_read_test *rt = cbd_zalloc(sizeof(*rt));
	const struct cbd_read_test *tests[1] = {rt};
	struct cbd_result *r = cbd_result_new();
	struct cbd_hw_block b;
	struct cbd_read_source src;
	char *json;
	int e;

	if (argc != 3) {
		fprintf(stderr, "usage: %s NAME quick|full\n", argv[0]);
		return 2;
	}
	cbd_thresholds_init(&t);
	snprintf(d.name, sizeof(d.name), "%s", argv[1]);
	e = cbd_hw_block_open(argv[1], &b);
	if (e < 0) {
		fprintf(stderr, "cannot open %s: %s\n", argv[1], strerror(-e));
		return 1;
	}
	d.size_bytes = b.size_bytes;
	src = (struct cbd_read_source){.read = hw_read, .userdata = &b,
				       .size_bytes = b.size_bytes, .logical_block = b.logical_block};
	cbd_read_test_run(&src, streq(argv[2], "full") ? CBD_STORAGE_SCAN_FULL
						     : CBD_STORAGE_SCAN_QUICK,
			  (unsigned)t.v[CBD_T_STORAGE_QUICK_BUDGET_MS],
			  (unsigned)t.v[CBD_T_STORAGE_SLOW_BLOCK_MS], NULL, NULL, rt);
	rt->direct = b.direct;
	cbd_hw_block_close(&b);
	cbd_storage_judge(&d, tests, 1, &t, r);
	json = cbd_result_serialize(r);
	puts(json);
	free(json);
	free(rt);
	cbd_result_free(r);
	return 0;
}
