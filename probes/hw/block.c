/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Block devices and NVMe admin commands. Read-only by construction: every
 * open here is O_RDONLY, the only ioctls are size/geometry queries and the
 * NVMe Get Log Page admin command (a read), and the io_uring ring of the
 * read test is created disabled and restricted by the kernel to
 * IORING_OP_READ before it is enabled. No discard, zero-out, secure-erase or
 * write of any kind exists in this file or anywhere else in cbdiag;
 * tests/device/test-storage-safety.sh checks it under strace.
 */
#include "hw.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/fs.h>
#include <linux/nvme_ioctl.h>
#include <liburing.h>
#include <pthread.h>
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
	{
		_cleanup_free_ char *q = cbd_strdupf("/sys/class/block/%s/queue", name);
		long long v;

		if (cbd_hw_read_ll_at(q, "max_sectors_kb", &v) == 0 && v > 0 && v < (1 << 22))
			b.max_sectors_kb = (unsigned)v;
		if (cbd_hw_read_ll_at(q, "optimal_io_size", &v) == 0 && v > 0 && v < (1ll << 31))
			b.optimal_io_size = (unsigned)v;
	}
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

/* ---- several reads in flight ------------------------------------------ */

struct queued_read {
	void *buf;
	size_t len;
	uint64_t off;
	ssize_t res;
};

struct cbd_hw_block_queue {
	enum cbd_hw_block_engine engine;
	const struct cbd_hw_block *b;
	unsigned depth;
	unsigned queued;          /* submitted and not yet reaped */
	struct queued_read *reqs; /* by tag */
	/* io_uring */
	struct io_uring ring;
	bool ring_up;
	/* threads and pread: FIFOs of tags, each @depth long */
	unsigned *todo, todo_head, todo_n;
	unsigned *done, done_head, done_n;
	pthread_mutex_t lock;
	pthread_cond_t work_cond, done_cond;
	pthread_t *threads;
	unsigned n_threads;
	bool stop;
};

const char *
cbd_hw_block_engine_name(enum cbd_hw_block_engine e)
{
	switch (e) {
	case CBD_HW_ENGINE_IO_URING:
		return "io_uring";
	case CBD_HW_ENGINE_THREADS:
		return "threads";
	case CBD_HW_ENGINE_PREAD:
		return "pread";
	}
	return "unknown";
}

enum cbd_hw_block_engine
cbd_hw_block_queue_engine(const struct cbd_hw_block_queue *q)
{
	return q->engine;
}

static void
fifo_push(unsigned *fifo, unsigned head, unsigned *n, unsigned depth, unsigned tag)
{
	fifo[(head + *n) % depth] = tag;
	(*n)++;
}

static unsigned
fifo_pop(const unsigned *fifo, unsigned *head, unsigned *n, unsigned depth)
{
	unsigned tag = fifo[*head];

	*head = (*head + 1) % depth;
	(*n)--;
	return tag;
}

/*
 * The ring is created disabled, told by the kernel's own restriction
 * mechanism that IORING_OP_READ is the only operation it will ever accept
 * (and that no further registration is allowed), and only then enabled. A
 * write, fsync or discard submitted to it would complete with -EACCES.
 */
static int
ring_setup(struct cbd_hw_block_queue *q)
{
	/* one thread submits and reaps: completions are posted when it waits
	 * for them (Linux 6.1), not by interrupting it (5.19) */
	static const unsigned tries[] = {
		IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN,
		IORING_SETUP_COOP_TASKRUN,
		0,
	};
	struct io_uring_restriction only_read = {
		.opcode = IORING_RESTRICTION_SQE_OP,
		.sqe_op = IORING_OP_READ,
	};
	int r = -EINVAL;

	for (size_t i = 0; i < CBD_ARRAY_SIZE(tries) && r == -EINVAL; i++) {
		struct io_uring_params p = {.flags = IORING_SETUP_R_DISABLED | tries[i]};

		r = io_uring_queue_init_params(q->depth, &q->ring, &p);
	}
	if (r < 0)
		return r;
	q->ring_up = true;
	/* io_uring_register() itself: Debian's liburing 2.3 does not export
	 * io_uring_register_restrictions() and io_uring_enable_rings() */
	r = io_uring_register(q->ring.ring_fd, IORING_REGISTER_RESTRICTIONS, &only_read, 1);
	if (r >= 0)
		r = io_uring_register(q->ring.ring_fd, IORING_REGISTER_ENABLE_RINGS, NULL, 0);
	if (r < 0) {
		io_uring_queue_exit(&q->ring);
		q->ring_up = false;
		return r;
	}
	return 0;
}

static void *
worker(void *userdata)
{
	struct cbd_hw_block_queue *q = userdata;

	pthread_mutex_lock(&q->lock);
	for (;;) {
		struct queued_read *rq;
		unsigned tag;

		while (!q->stop && q->todo_n == 0)
			pthread_cond_wait(&q->work_cond, &q->lock);
		if (q->todo_n == 0)
			break;
		tag = fifo_pop(q->todo, &q->todo_head, &q->todo_n, q->depth);
		rq = &q->reqs[tag];
		pthread_mutex_unlock(&q->lock);
		rq->res = cbd_hw_block_read(q->b, rq->buf, rq->len, rq->off);
		pthread_mutex_lock(&q->lock);
		fifo_push(q->done, q->done_head, &q->done_n, q->depth, tag);
		pthread_cond_signal(&q->done_cond);
	}
	pthread_mutex_unlock(&q->lock);
	return NULL;
}

static void
threads_stop(struct cbd_hw_block_queue *q)
{
	pthread_mutex_lock(&q->lock);
	q->stop = true;
	pthread_cond_broadcast(&q->work_cond);
	pthread_mutex_unlock(&q->lock);
	for (unsigned i = 0; i < q->n_threads; i++)
		pthread_join(q->threads[i], NULL);
	q->n_threads = 0;
}

/* Up to 8 readers: each has one pread() in flight, which is enough to keep
 * a queue of the device busy without a crowd of threads on a small CPU. */
static int
threads_setup(struct cbd_hw_block_queue *q)
{
	unsigned want = q->depth < 8 ? q->depth : 8;
	pthread_attr_t attr;
	int r = 0;

	q->threads = cbd_zalloc(want * sizeof(*q->threads));
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	for (unsigned i = 0; i < want; i++) {
		r = pthread_create(&q->threads[i], &attr, worker, q);
		if (r != 0)
			break;
		q->n_threads++;
	}
	pthread_attr_destroy(&attr);
	if (q->n_threads == want)
		return 0;
	threads_stop(q);
	return -r;
}

int
cbd_hw_block_queue_new(const struct cbd_hw_block *b, unsigned depth,
		       struct cbd_hw_block_queue **ret)
{
	struct cbd_hw_block_queue *q;
	const char *want = getenv("CBD_READ_ENGINE");
	enum cbd_hw_block_engine first = CBD_HW_ENGINE_IO_URING;

	if (!b || b->fd < 0 || depth == 0 || depth > 1024)
		return -EINVAL;
	if (want && streq(want, "threads"))
		first = CBD_HW_ENGINE_THREADS;
	else if (want && streq(want, "pread"))
		first = CBD_HW_ENGINE_PREAD;
	q = cbd_zalloc(sizeof(*q));
	q->b = b;
	q->depth = depth;
	q->reqs = cbd_zalloc(depth * sizeof(*q->reqs));
	q->todo = cbd_zalloc(depth * sizeof(*q->todo));
	q->done = cbd_zalloc(depth * sizeof(*q->done));
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->work_cond, NULL);
	pthread_cond_init(&q->done_cond, NULL);
	/* refused io_uring (ENOSYS, EPERM under a policy, EINVAL on a kernel
	 * without ring restrictions) falls to the threads, refused threads to
	 * pread: each engine reads the same bytes, only the pace differs */
	if (first == CBD_HW_ENGINE_IO_URING && ring_setup(q) == 0)
		q->engine = CBD_HW_ENGINE_IO_URING;
	else if (first <= CBD_HW_ENGINE_THREADS && depth > 1 && threads_setup(q) == 0)
		q->engine = CBD_HW_ENGINE_THREADS;
	else
		q->engine = CBD_HW_ENGINE_PREAD;
	*ret = q;
	return 0;
}

int
cbd_hw_block_queue_submit(struct cbd_hw_block_queue *q, void *buf, size_t len, uint64_t off,
			  unsigned tag)
{
	struct io_uring_sqe *sqe;

	if (tag >= q->depth || off > (uint64_t)LLONG_MAX || len > INT_MAX)
		return -EINVAL;
	if (q->queued == q->depth)
		return -EBUSY;
	q->reqs[tag] = (struct queued_read){.buf = buf, .len = len, .off = off};
	switch (q->engine) {
	case CBD_HW_ENGINE_IO_URING:
		sqe = io_uring_get_sqe(&q->ring);
		if (!sqe) {
			int r = io_uring_submit(&q->ring);

			if (r < 0)
				return r;
			sqe = io_uring_get_sqe(&q->ring);
			if (!sqe)
				return -EBUSY;
		}
		io_uring_prep_read(sqe, q->b->fd, buf, (unsigned)len, off);
		io_uring_sqe_set_data64(sqe, tag);
		break;
	case CBD_HW_ENGINE_THREADS:
		pthread_mutex_lock(&q->lock);
		fifo_push(q->todo, q->todo_head, &q->todo_n, q->depth, tag);
		pthread_cond_signal(&q->work_cond);
		pthread_mutex_unlock(&q->lock);
		break;
	case CBD_HW_ENGINE_PREAD:
		q->reqs[tag].res = cbd_hw_block_read(q->b, buf, len, off);
		fifo_push(q->done, q->done_head, &q->done_n, q->depth, tag);
		break;
	}
	q->queued++;
	return 0;
}

static int
ring_reap(struct cbd_hw_block_queue *q, unsigned *tag, ssize_t *res)
{
	struct io_uring_cqe *cqe = NULL;
	int r;

	/* new reads go to the kernel at once, to keep the device's queue full;
	 * a finished read already posted is then taken without waiting.
	 * io_uring_sq_ready() counts what the kernel has not consumed yet (it
	 * stops at a request it refuses): waiting without handing those over
	 * would wait for ever. */
	if (io_uring_sq_ready(&q->ring)) {
		r = io_uring_submit(&q->ring);
		if (r < 0 && r != -EINTR && r != -EAGAIN && r != -EBUSY)
			return r;
	}
	if (io_uring_peek_cqe(&q->ring, &cqe) != 0)
		cqe = NULL;
	while (!cqe) {
		if (io_uring_sq_ready(&q->ring))
			r = io_uring_submit_and_wait(&q->ring, 1);
		else
			r = io_uring_wait_cqe(&q->ring, &cqe);
		if (r < 0 && r != -EINTR && r != -EAGAIN && r != -EBUSY)
			return r;
		if (!cqe && io_uring_peek_cqe(&q->ring, &cqe) != 0)
			cqe = NULL;
	}
	*tag = (unsigned)io_uring_cqe_get_data64(cqe);
	*res = cqe->res;
	io_uring_cqe_seen(&q->ring, cqe);
	if (*tag >= q->depth)
		return -EIO;
	if (*res == -EAGAIN || *res == -EINTR) {
		/* the kernel gave up on it rather than the device: read it again */
		struct queued_read *rq = &q->reqs[*tag];

		*res = cbd_hw_block_read(q->b, rq->buf, rq->len, rq->off);
	}
	return 0;
}

int
cbd_hw_block_queue_reap(struct cbd_hw_block_queue *q, unsigned *tag, ssize_t *res)
{
	int r = 0;

	if (q->queued == 0)
		return -ENOENT;
	switch (q->engine) {
	case CBD_HW_ENGINE_IO_URING:
		r = ring_reap(q, tag, res);
		break;
	case CBD_HW_ENGINE_THREADS:
		pthread_mutex_lock(&q->lock);
		while (q->done_n == 0)
			pthread_cond_wait(&q->done_cond, &q->lock);
		*tag = fifo_pop(q->done, &q->done_head, &q->done_n, q->depth);
		pthread_mutex_unlock(&q->lock);
		*res = q->reqs[*tag].res;
		break;
	case CBD_HW_ENGINE_PREAD:
		*tag = fifo_pop(q->done, &q->done_head, &q->done_n, q->depth);
		*res = q->reqs[*tag].res;
		break;
	}
	if (r == 0)
		q->queued--;
	return r;
}

void
cbd_hw_block_queue_free(struct cbd_hw_block_queue *q)
{
	unsigned tag;
	ssize_t res;

	if (!q)
		return;
	/* the kernel may still be filling the caller's buffers: wait for it */
	while (q->queued && cbd_hw_block_queue_reap(q, &tag, &res) == 0)
		;
	if (q->ring_up)
		io_uring_queue_exit(&q->ring);
	if (q->n_threads)
		threads_stop(q);
	pthread_mutex_destroy(&q->lock);
	pthread_cond_destroy(&q->work_cond);
	pthread_cond_destroy(&q->done_cond);
	free(q->threads);
	free(q->reqs);
	free(q->todo);
	free(q->done);
	free(q);
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
