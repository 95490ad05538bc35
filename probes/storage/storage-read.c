/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Gathering half of the storage probe: /sys/block through probes/hw. */
#include "storage.h"

#include <errno.h>

#include "hw.h"

/* SCSI unit serial number: VPD page 0x80, binary (header of 4 bytes, length in [3]). */
static void
read_vpd80(const char *dev, char *buf, size_t size)
{
	_cleanup_free_ char *p = cbd_strdupf("%s/vpd_pg80", dev);
	uint8_t raw[256];
	int n = cbd_hw_read_bytes(p, raw, sizeof(raw));
	size_t len, o = 0;

	buf[0] = '\0';
	if (n < 4)
		return;
	len = raw[3];
	if (len > (size_t)n - 4)
		len = (size_t)n - 4;
	for (size_t i = 0; i < len && o + 1 < size; i++)
		if (raw[4 + i] >= 0x20 && raw[4 + i] < 0x7f)
			buf[o++] = (char)raw[4 + i];
	buf[o] = '\0';
	cbd_strstrip(buf);
}

/* UFS: walk up from the disk until a host with health_descriptor/ appears. */
static void
read_ufs_health(struct cbd_disk_raw *d)
{
	char dir[512];

	snprintf(dir, sizeof(dir), "%s", d->syspath);
	for (char *slash; (slash = strrchr(dir, '/')) && slash != dir;) {
		_cleanup_free_ char *hd = NULL;

		*slash = '\0';
		hd = cbd_strdupf("%s/health_descriptor", dir);
		if (cbd_hw_exists(hd)) {
			d->has_ufs_health = true;
			cbd_hw_read_str_at(hd, "eol_info", d->ufs_eol, sizeof(d->ufs_eol));
			cbd_hw_read_str_at(hd, "life_time_estimation_a", d->ufs_life_a,
			                   sizeof(d->ufs_life_a));
			cbd_hw_read_str_at(hd, "life_time_estimation_b", d->ufs_life_b,
			                   sizeof(d->ufs_life_b));
			return;
		}
	}
}

static void
read_disk(const char *name, struct cbd_disk_raw *d)
{
	_cleanup_free_ char *blk = cbd_strdupf("/sys/block/%s", name);
	_cleanup_free_ char *dev = cbd_strdupf("/sys/block/%s/device", name);
	long long v;

	*d = (struct cbd_disk_raw){.nvme_log_err = -ENODATA};
	snprintf(d->name, sizeof(d->name), "%s", name);
	if (cbd_hw_realpath(blk, d->syspath, sizeof(d->syspath)) < 0)
		snprintf(d->syspath, sizeof(d->syspath), "%s", blk);
	if (cbd_hw_read_ll_at(blk, "removable", &v) == 0)
		d->removable = v != 0;
	if (cbd_hw_read_ll_at(blk, "size", &v) == 0 && v > 0)
		d->size_bytes = (uint64_t)v * 512u; /* always 512-byte units */
	{
		_cleanup_free_ char *q = cbd_strdupf("%s/queue", blk);

		d->logical_block = cbd_hw_read_ll_at(q, "logical_block_size", &v) == 0 && v > 0
		                       ? (unsigned)v
		                       : 512;
	}
	cbd_hw_read_str_at(dev, "type", d->emmc.type, sizeof(d->emmc.type));
	d->type = cbd_storage_classify(name, d->syspath, d->emmc.type);

	switch (d->type) {
	case CBD_DISK_EMMC:
	case CBD_DISK_SD:
		cbd_hw_read_str_at(dev, "name", d->model, sizeof(d->model));
		cbd_hw_read_str_at(dev, "serial", d->serial, sizeof(d->serial));
		cbd_hw_read_str_at(dev, "fwrev", d->firmware, sizeof(d->firmware));
		cbd_hw_read_str_at(dev, "life_time", d->emmc.life_time, sizeof(d->emmc.life_time));
		cbd_hw_read_str_at(dev, "life_time_est_typ_a", d->emmc.life_time_a,
		                   sizeof(d->emmc.life_time_a));
		cbd_hw_read_str_at(dev, "life_time_est_typ_b", d->emmc.life_time_b,
		                   sizeof(d->emmc.life_time_b));
		cbd_hw_read_str_at(dev, "pre_eol_info", d->emmc.pre_eol_info,
		                   sizeof(d->emmc.pre_eol_info));
		cbd_hw_read_str_at(dev, "rev", d->emmc.rev, sizeof(d->emmc.rev));
		cbd_hw_read_str_at(dev, "manfid", d->emmc.manfid, sizeof(d->emmc.manfid));
		cbd_hw_read_str_at(dev, "date", d->emmc.date, sizeof(d->emmc.date));
		break;
	case CBD_DISK_NVME: {
		size_t i = 4;

		cbd_hw_read_str_at(dev, "model", d->model, sizeof(d->model));
		cbd_hw_read_str_at(dev, "serial", d->serial, sizeof(d->serial));
		cbd_hw_read_str_at(dev, "firmware_rev", d->firmware, sizeof(d->firmware));
		/* the controller of nvme<C>n<N> is nvme<C> */
		while (name[i] >= '0' && name[i] <= '9')
			i++;
		snprintf(d->nvme_ctrl, sizeof(d->nvme_ctrl), "%.*s", (int)i, name);
		d->nvme_log_err = cbd_hw_nvme_smart_log(d->nvme_ctrl, d->nvme_log);
		break;
	}
	default:
		if (strncmp(name, "sd", 2) == 0) { /* SCSI: SATA, UFS, USB mass storage */
			char vendor[64] = "", model[96] = "";

			cbd_hw_read_str_at(dev, "vendor", vendor, sizeof(vendor));
			cbd_hw_read_str_at(dev, "model", model, sizeof(model));
			snprintf(d->model, sizeof(d->model), "%s%s%s", vendor,
			         *vendor && *model ? " " : "", model);
			cbd_hw_read_str_at(dev, "rev", d->firmware, sizeof(d->firmware));
			read_vpd80(dev, d->serial, sizeof(d->serial));
		} else {
			cbd_hw_read_str_at(blk, "serial", d->serial,
			                   sizeof(d->serial)); /* virtio */
		}
		if (d->type == CBD_DISK_UFS)
			read_ufs_health(d);
		if (d->type == CBD_DISK_SATA) {
			d->ata_read = true;
			d->ata_err = cbd_hw_ata_smart(name, &d->ata);
		}
		break;
	}
}

int
cbd_storage_read_all(struct cbd_disk_raw **ret)
{
	char **names = NULL;
	size_t n = 0, kept = 0;
	struct cbd_disk_raw *all;
	int r = cbd_hw_list_dir("/sys/block", &names, &n);

	if (r < 0)
		return r;
	all = cbd_realloc_array(NULL, n ? n : 1, sizeof(*all));
	for (size_t i = 0; i < n; i++) {
		_cleanup_free_ char *part = cbd_strdupf("/sys/block/%s/partition", names[i]);

		if (cbd_storage_skip_name(names[i]) || cbd_hw_exists(part))
			continue;
		read_disk(names[i], &all[kept++]);
	}
	cbd_hw_strv_free(names);
	*ret = all;
	return (int)kept;
}
