/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SATA SMART through libatasmart (what udisks uses): IDENTIFY and SMART READ
 * DATA/THRESHOLDS over SG_IO ATA pass-through. libatasmart opens the disk
 * O_RDONLY; none of the calls here writes to it or runs a self-test.
 */
#include "hw.h"

#include <atasmart.h>
#include <errno.h>
#include <stdio.h>

_Static_assert((int)SK_SMART_OVERALL_BAD_STATUS == (int)CBD_ATA_BAD_STATUS,
	       "the overall verdicts follow libatasmart's order");

int
cbd_hw_ata_smart(const char *name, struct cbd_hw_ata_smart *ret)
{
	char path[64];
	SkDisk *d = NULL;
	SkBool b = 0;
	SkSmartOverall overall;
	uint64_t v;
	int r = 0;

	*ret = (struct cbd_hw_ata_smart){.status = -1, .overall = -1, .bad_sectors = -1,
					 .power_on_hours = -1, .power_cycles = -1,
					 .temperature_c = -1};
	if (strncmp(name, "sd", 2) != 0 || strchr(name, '/'))
		return -EINVAL;
	snprintf(path, sizeof(path), "/dev/%s", name);
	if (sk_disk_open(path, &d) < 0)
		return errno ? -errno : -EIO;
	if (sk_disk_smart_is_available(d, &b) < 0 || !b) {
		r = -ENOTSUP;
		goto out;
	}
	ret->available = true;
	if (sk_disk_smart_status(d, &b) == 0)
		ret->status = b ? 1 : 0;
	if (sk_disk_smart_read_data(d) < 0) {
		r = errno ? -errno : -EIO;
		goto out;
	}
	if (sk_disk_smart_get_overall(d, &overall) == 0)
		ret->overall = (int)overall;
	if (sk_disk_smart_get_bad(d, &v) == 0)
		ret->bad_sectors = (long long)v;
	if (sk_disk_smart_get_power_on(d, &v) == 0)
		ret->power_on_hours = (long long)(v / 3600000);
	if (sk_disk_smart_get_power_cycle(d, &v) == 0)
		ret->power_cycles = (long long)v;
	if (sk_disk_smart_get_temperature(d, &v) == 0)
		ret->temperature_c = (long long)(v / 1000) - 273;
out:
	sk_disk_free(d);
	return r;
}
