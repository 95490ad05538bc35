/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Test helper: run a command under a seccomp filter that refuses what a
 * locked-down or old machine refuses, so the read test's fallbacks are tested
 * against the kernel's own answers rather than against a switch in cbdiag.
 *
 *   refuse-syscalls [io_uring] [threads] [o_direct] -- COMMAND [ARG ...]
 *
 * io_uring  io_uring_setup() fails with ENOSYS (a kernel built without it,
 *           or a sandbox that filters it, as container runtimes do)
 * threads   clone3() fails with ENOSYS and clone() of a thread with EAGAIN
 *           (pthread_create() fails; fork() still works)
 * o_direct  open()/openat() with O_DIRECT fails with EINVAL, what a device
 *           or file system without direct I/O answers
 *
 * Exits 77 (skipped) on an architecture it has no syscall table for.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
#define NATIVE_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define NATIVE_ARCH AUDIT_ARCH_AARCH64
#endif

#define LOAD(field) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, field))
#define LOAD_ARG_LO(n) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[n]))
#define REFUSE(err) BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ((err) & SECCOMP_RET_DATA))
#define ALLOW BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)

int
main(int argc, char **argv)
{
#ifndef NATIVE_ARCH
	fprintf(stderr, "refuse-syscalls: no syscall table for this architecture\n");
	return 77;
#else
	struct sock_filter f[64];
	unsigned n = 0;
	int i;

	f[n++] = (struct sock_filter)LOAD(arch);
	/* another architecture's calls (32-bit compatibility): allow */
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NATIVE_ARCH, 1, 0);
	f[n++] = (struct sock_filter)ALLOW;
	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "io_uring") == 0) {
			f[n++] = (struct sock_filter)LOAD(nr);
			f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
							      __NR_io_uring_setup, 0, 1);
			f[n++] = (struct sock_filter)REFUSE(ENOSYS);
		} else if (strcmp(argv[i], "threads") == 0) {
			f[n++] = (struct sock_filter)LOAD(nr);
			f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone3,
							      0, 1);
			f[n++] = (struct sock_filter)REFUSE(ENOSYS);
			/* clone(flags, ...): a thread shares the thread group */
			f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone, 0,
							      3);
			f[n++] = (struct sock_filter)LOAD_ARG_LO(0);
			f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, CLONE_THREAD,
							      0, 1);
			f[n++] = (struct sock_filter)REFUSE(EAGAIN);
		} else if (strcmp(argv[i], "o_direct") == 0) {
			/* openat(dirfd, path, flags, mode): flags is argument 2 */
			f[n++] = (struct sock_filter)LOAD(nr);
			f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_openat, 0,
							      3);
			f[n++] = (struct sock_filter)LOAD_ARG_LO(2);
			f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, O_DIRECT, 0,
							      1);
			f[n++] = (struct sock_filter)REFUSE(EINVAL);
#ifdef __NR_open
			/* open(path, flags, mode): flags is argument 1 */
			f[n++] = (struct sock_filter)LOAD(nr);
			f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_open, 0, 3);
			f[n++] = (struct sock_filter)LOAD_ARG_LO(1);
			f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, O_DIRECT, 0,
							      1);
			f[n++] = (struct sock_filter)REFUSE(EINVAL);
#endif
		} else {
			fprintf(stderr, "refuse-syscalls: unknown refusal '%s'\n", argv[i]);
			return 2;
		}
	}
	if (i + 1 >= argc) {
		fprintf(stderr, "usage: refuse-syscalls [io_uring] [threads] [o_direct] -- COMMAND [ARG ...]\n");
		return 2;
	}
	f[n++] = (struct sock_filter)ALLOW;
	{
		struct sock_fprog prog = {.len = (unsigned short)n, .filter = f};

		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
		    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0) {
			fprintf(stderr, "refuse-syscalls: cannot install the filter: %s\n",
				strerror(errno));
			return 77;
		}
	}
	execvp(argv[i + 1], argv + i + 1);
	fprintf(stderr, "refuse-syscalls: %s: %s\n", argv[i + 1], strerror(errno));
	return 127;
#endif
}
