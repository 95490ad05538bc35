/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The storage probe: whole internal disks and removable media, their health
 * (eMMC life time and pre-EOL, NVMe SMART log, UFS health descriptor) and a
 * read-only surface scan. It never writes to a device and never mounts
 * anything. See probes/storage/README.md.
 */
#include <errno.h>

#include "cbd-i18n.h"
#include "hw.h"
#include "readtest.h"
#include "storage.h"

struct progress_ctx {
	const struct cbd_ui *ui;
};

static void
on_progress(void *userdata, const char *line)
{
	struct progress_ctx *p = userdata;

	p->ui->status(p->ui, line);
}

static struct cbd_read_test *
read_test(const struct cbd_ctx *ctx, const struct cbd_disk_raw *d)
{
	struct cbd_read_test *rt = cbd_zalloc(sizeof(*rt));
	struct progress_ctx p = {.ui = ctx->ui};
	bool show = ctx->ui && ctx->storage_scan == CBD_STORAGE_SCAN_FULL;

	cbd_read_test_device(d->name, ctx->storage_scan,
			     (unsigned)ctx->thresholds->v[CBD_T_STORAGE_QUICK_BUDGET_MS],
			     (unsigned)ctx->thresholds->v[CBD_T_STORAGE_SLOW_BLOCK_MS],
			     show ? on_progress : NULL, &p, rt);
	if (show)
		ctx->ui->status(ctx->ui, "");
	if (rt->err < 0 && !rt->engine) { /* the device could not be opened */
		rt->refused_as_root = (rt->err == -EPERM || rt->err == -EACCES) && geteuid() == 0;
		rt->logical_block = d->logical_block;
		rt->size_bytes = d->size_bytes;
	}
	return rt;
}

static int
storage_run(const struct cbd_ctx *ctx, struct cbd_result *out)
{
	_cleanup_free_ struct cbd_disk_raw *disks = NULL;
	struct cbd_read_test **tests;
	int n = cbd_storage_read_all(&disks);

	if (n < 0) {
		cbd_result_set(out, CBD_STATUS_ERROR, N_("Could not list the disks: %s"),
			       strerror(-n));
		return 0;
	}
	tests = cbd_zalloc(((size_t)n + 1) * sizeof(*tests));
	for (int i = 0; i < n; i++)
		disks[i].as_root = geteuid() == 0;
	/* the read test covers internal disks only: removable media are not the
	 * Chromebook's, and the repair stick itself is one of them */
	for (int i = 0; i < n; i++)
		if (ctx->storage_scan != CBD_STORAGE_SCAN_OFF && cbd_storage_is_internal(&disks[i]))
			tests[i] = read_test(ctx, &disks[i]);
	cbd_storage_judge(disks, (const struct cbd_read_test *const *)tests, (size_t)n,
			  ctx->thresholds, out);
	for (int i = 0; i < n; i++)
		free(tests[i]);
	free(tests);
	return 0;
}

const struct cbd_probe cbd_probe_storage = {
	.name = "storage",
	.description = "Disk health (eMMC, NVMe, UFS) and a read-only surface scan",
	.flags = CBD_PROBE_SLOW | CBD_PROBE_NEEDS_ROOT,
	.run = storage_run,
};
