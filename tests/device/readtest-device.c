/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Test helper: run the storage probe's read test on one named block device
 * (the probe itself never tests loop devices) through the probe's own
 * cbd_read_test_device() (real probes/hw block access, the same engines), judge it as an internal disk, and print the storage result as
 * JSON. Used by test-readtest-blockdev.sh and test-storage-safety.sh.
 *   readtest-device NAME quick|full
 */
#include <stdio.h>

#include "hw.h"
#include "readtest.h"
#include "storage.h"

int
main(int argc, char **argv)
{
	struct cbd_thresholds t;
	struct cbd_disk_raw d = {.type = CBD_DISK_OTHER};
	struct cbd_read_test *rt = cbd_zalloc(sizeof(*rt));
	const struct cbd_read_test *tests[1] = {rt};
	struct cbd_result *r = cbd_result_new();
	char *json;

	if (argc != 3) {
		fprintf(stderr, "usage: %s NAME quick|full\n", argv[0]);
		return 2;
	}
	cbd_thresholds_init(&t);
	snprintf(d.name, sizeof(d.name), "%s", argv[1]);
	cbd_read_test_device(argv[1],
			     streq(argv[2], "full") ? CBD_STORAGE_SCAN_FULL : CBD_STORAGE_SCAN_QUICK,
			     (unsigned)t.v[CBD_T_STORAGE_QUICK_BUDGET_MS],
			     (unsigned)t.v[CBD_T_STORAGE_SLOW_BLOCK_MS], NULL, NULL, rt);
	if (rt->err < 0 && !rt->engine) {
		fprintf(stderr, "cannot open %s: %s\n", argv[1], strerror(-rt->err));
		return 1;
	}
	d.size_bytes = rt->size_bytes;
	cbd_storage_judge(&d, tests, 1, &t, r);
	json = cbd_result_serialize(r);
	puts(json);
	free(json);
	free(rt);
	cbd_result_free(r);
	return 0;
}
