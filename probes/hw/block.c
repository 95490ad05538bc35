/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Block devices and NVMe admin commands. Read-only by construction: every
 * open here is O_RDONLY, and the only ioctls are size/geometry queries and
 * the NVMe Get Log Page admin command (a read). No discard, zero-out,
 * secure-erase or write of any kind exists in this file or anywhere else in
 * cbdiag; tests/device/test-storage-safety.sh checks it under strace.
 */
#include "hw.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/fs.h>
#include <linux/nvme_ioctl.h>
#include <stdlib.h>
#include <sys/ioctl.h>

int
cbd_hw_realpath(const char *path, char *buf, size_t size)
{
	char tmp[PATH_MAX];
	size_t len;

	if (!realpath(path, tmp))
		return -errno;
	len = strlen(tmp);
	if (len + 1 > size)
		return -ENAMETOOLONG;
	memcpy(buf, tmp, len + 1);
	return (int)len;
}

int
cbd_hw_block_open(const char *name, struct cbd_hw_block *ret)
{
	_cleanup_free_ char *path = NULL;
	struct cbd_hw_block b = {.fd = -1};
	int lbs = 0;

	if (strchr(name, '/') || streq(name, "..") || streq(name, "."))
		return -EINVAL;
	path = cbd_strdupf("/dev/%s", name);
	b.fd = open(path, O_RDONLY | O_DIRECT | O_CLOEXEC | O_NOCTTY);
	b.direct = b.fd >= 0;
	if (b.fd < 0 && errno == EINVAL) /* no O_DIRECT here: read through the cache */
		b.fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (b.fd < 0)
		return -errno;
	if (ioctl(b.fd, BLKGETSIZE64, &b.size_bytes) < 0 || ioctl(b.fd, BLKSSZGET, &lbs) < 0) {
		int r = -errno;

		close(b.fd);
		return r;
	}
	b.logical_block = lbs > 0 ? (unsigned)lbs : 512;
	*ret = b;
	return 0;
}

ssize_t
cbd_hw_block_read(const struct cbd_hw_block *b, void *buf, size_t len, uint64_t off)
{
	ssize_t n;

	if (off > (uint64_t)LLONG_MAX)
		return -EINVAL;
	do
		n = pread(b->fd, buf, len, (off_t)off);
	while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : n;
}

void
cbd_hw_block_close(struct cbd_hw_block *b)
{
	if (b && b->fd >= 0) {
		close(b->fd);
		b->fd = -1;
	}
}

int
cbd_hw_nvme_smart_log(const char *ctrl, uint8_t buf[512])
{
	_cleanup_free_ char *path = NULL;
	_cleanup_close_ int fd = -1;
	int rc;
	struct nvme_admin_cmd cmd = {
		.opcode = 0x02, /* Get Log Page */
		.nsid = 0xffffffffu,
		.data_len = 512,
		.cdw10 = (127u << 16) | 0x02, /* NUMDL = 512/4 - 1, log id 0x02 */
		.timeout_ms = 5000,
	};

	if (strchr(ctrl, '/'))
		return -EINVAL;
	path = cbd_strdupf("/dev/%s", ctrl);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	memset(buf, 0, 512);
	cmd.addr = (uint64_t)(uintptr_t)buf;
	rc = ioctl(fd, NVME_IOCTL_ADMIN_CMD, &cmd);
	if (rc > 0) /* the controller answered with an NVMe status code */
		return -EIO;
	if (rc < 0) {
		int r = -errno;

		if (r == -ENOTTY && getenv("UMOCKDEV_DIR")) {
			/* a recorded device in a test bed (see hw.h) */
			int n = cbd_hw_read_bytes_all(path, buf, 512);

			return n == 512 ? 0 : (n < 0 ? n : -EIO);
		}
		return r;
	}
	return 0;
}
