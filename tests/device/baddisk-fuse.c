/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A disk with an unreadable region, for the storage read test, where
 * device-mapper's "error" target is not available: a FUSE file system with
 * one file, "disk", whose reads return EIO inside [BAD_START, BAD_END) bytes.
 * A loop device on top of it turns that into real block-layer I/O errors.
 *
 *   baddisk-fuse MOUNTPOINT SIZE_BYTES BAD_START BAD_END [DELAY_MS]
 *
 * DELAY_MS makes every read that long (a slow disk, for the quick test's
 * time budget).
 * Runs in the foreground until unmounted (direct_io: no page cache, so every
 * read of the loop device reaches this process at its own offset).
 */
#define FUSE_USE_VERSION 31
#include <errno.h>
#include <fuse3/fuse.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static off_t disk_size, bad_start, bad_end;
static long delay_ms;

static int
bd_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
	memset(st, 0, sizeof(*st));
	if (strcmp(path, "/") == 0) {
		st->st_mode = S_IFDIR | 0755;
		st->st_nlink = 2;
		return 0;
	}
	if (strcmp(path, "/disk") == 0) {
		st->st_mode = S_IFREG | 0444;
		st->st_nlink = 1;
		st->st_size = disk_size;
		return 0;
	}
	return -ENOENT;
}

static int
bd_readdir(const char *path, void *buf, fuse_fill_dir_t fill, off_t off,
	   struct fuse_file_info *fi, enum fuse_readdir_flags flags)
{
	if (strcmp(path, "/") != 0)
		return -ENOENT;
	fill(buf, ".", NULL, 0, 0);
	fill(buf, "..", NULL, 0, 0);
	fill(buf, "disk", NULL, 0, 0);
	return 0;
}

static int
bd_open(const char *path, struct fuse_file_info *fi)
{
	if (strcmp(path, "/disk") != 0)
		return -ENOENT;
	if ((fi->flags & O_ACCMODE) != O_RDONLY)
		return -EROFS;
	fi->direct_io = 1;
	return 0;
}

static int
bd_read(const char *path, char *buf, size_t size, off_t off, struct fuse_file_info *fi)
{
	if (delay_ms > 0) {
		struct timespec ts = {.tv_sec = delay_ms / 1000, .tv_nsec = (delay_ms % 1000) * 1000000L};

		nanosleep(&ts, NULL);
	}
	if (off >= disk_size)
		return 0;
	if ((off_t)size > disk_size - off)
		size = (size_t)(disk_size - off);
	if (off < bad_end && off + (off_t)size > bad_start)
		return -EIO;
	/* a recognisable pattern; the read test never looks at it */
	memset(buf, 0xa5, size);
	return (int)size;
}

static const struct fuse_operations ops = {
	.getattr = bd_getattr,
	.readdir = bd_readdir,
	.open = bd_open,
	.read = bd_read,
};

int
main(int argc, char **argv)
{
	char *fargs[] = {argv[0], "-f", "-s", "-o", "ro,allow_other", argv[1], NULL};

	if (argc != 5 && argc != 6) {
		fprintf(stderr, "usage: %s MOUNTPOINT SIZE BAD_START BAD_END [DELAY_MS]\n", argv[0]);
		return 2;
	}
	disk_size = strtoll(argv[2], NULL, 0);
	bad_start = strtoll(argv[3], NULL, 0);
	bad_end = strtoll(argv[4], NULL, 0);
	delay_ms = argc == 6 ? strtol(argv[5], NULL, 0) : 0;
	return fuse_main(6, fargs, &ops, NULL);
}
