/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Benchmark harness (not a test, not part of cbdiag): runs two or more
 * commands in turns, A B C A B C …, so that a machine whose speed drifts
 * (other jobs, frequency, cache) weighs on all of them alike, and prints one
 * markdown table: for each command its median CPU time (user + system, from
 * the kernel's accounting of the finished process: wait4), wall time and
 * peak resident memory, with min–max, and the median of the per-round ratio
 * to the first command. The order within a round rotates (round 2 starts
 * with B), so no command always runs first.
 *
 *   turns ROUNDS WARMUP NAME1 'CMD1' NAME2 'CMD2' ...
 *
 * Each CMD is split at spaces and started directly, or, when it holds shell
 * syntax (quotes, pipes, redirections, $), by /bin/sh -c 'CMD' (then the
 * shell's start is counted too); leading NAME=VALUE words are set in its
 * environment, as a shell would. stdout and stderr go to /dev/null. Peak
 * memory is the kernel's high-water mark of the process; it includes what
 * the process was before its exec, so build this harness static (small):
 * cc -O2 -static -o turns turns.c. tests/perf/lib.sh does.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CMDS 8
#define MAX_ROUNDS 1000

struct fig {
	double cpu_ms, wall_ms, rss_mib;
	int status; /* exit status, printed when not 0 (cbdiag run exits 1 or 3 for findings) */
};

static double
now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int
run(const char *cmd, struct fig *f)
{
	char *shcmd, *argv[64];
	int k = 0;
	struct rusage ru;
	double t0 = now_ms();
	int status;
	pid_t pid;

	/* a plain command is started directly; one with shell syntax through sh */
	if (!strpbrk(cmd, "|&;<>()$`\\\"'*?[#")) {
		char *copy = strdup(cmd), *save = NULL;
		int n = 0;

		for (char *w = strtok_r(copy, " \t", &save); w && n < 63;
		     w = strtok_r(NULL, " \t", &save))
			argv[n++] = w;
		argv[n] = NULL;
		shcmd = copy;
	} else {
		shcmd = strdup(cmd);
		argv[0] = "/bin/sh";
		argv[1] = "-c";
		argv[2] = shcmd;
		argv[3] = NULL;
	}
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		/* leading NAME=VALUE words set the environment, as in a shell */
		while (argv[k] && strchr(argv[k], '=') && argv[k][0] != '=')
			putenv(argv[k++]);
		if (argv[k])
			execvp(argv[k], argv + k);
		_exit(127);
	}
	free(shcmd);
	if (wait4(pid, &status, 0, &ru) < 0)
		return -1;
	f->wall_ms = now_ms() - t0;
	f->cpu_ms = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
		    (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
	f->rss_mib = ru.ru_maxrss / 1024.0;
	if (!WIFEXITED(status) || WEXITSTATUS(status) == 127 || WEXITSTATUS(status) == 126) {
		fprintf(stderr, "turns: '%s' did not run or was killed (status %d)\n", cmd, status);
		return -1;
	}
	f->status = WEXITSTATUS(status);
	return 0;
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double
median(double *v, int n, double *lo, double *hi)
{
	qsort(v, n, sizeof(*v), cmp);
	if (lo)
		*lo = v[0];
	if (hi)
		*hi = v[n - 1];
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static struct fig figs[MAX_CMDS][MAX_ROUNDS];

int
main(int argc, char **argv)
{
	int rounds, warmup, n;
	const char *name[MAX_CMDS], *cmd[MAX_CMDS];
	static double v[MAX_ROUNDS];

	if (argc < 5 || (argc - 3) % 2 || (argc - 3) / 2 > MAX_CMDS) {
		fprintf(stderr, "usage: turns ROUNDS WARMUP NAME CMD [NAME CMD]...\n");
		return 2;
	}
	rounds = atoi(argv[1]);
	warmup = atoi(argv[2]);
	if (rounds < 1 || rounds > MAX_ROUNDS || warmup < 0) {
		fprintf(stderr, "turns: ROUNDS 1 to %d, WARMUP 0 or more\n", MAX_ROUNDS);
		return 2;
	}
	n = (argc - 3) / 2;
	for (int i = 0; i < n; i++) {
		name[i] = argv[3 + 2 * i];
		cmd[i] = argv[4 + 2 * i];
	}
	for (int r = -warmup; r < rounds; r++)
		for (int k = 0; k < n; k++) {
			int i = ((r < 0 ? 0 : r) + k) % n;
			struct fig f;

			if (run(cmd[i], &f) < 0)
				return 1;
			if (r >= 0)
				figs[i][r] = f;
		}

	printf("| command | CPU ms, median (min–max) | wall ms, median (min–max) | peak RSS MiB, "
	       "median (max) | CPU ÷ first, median of rounds | wall ÷ first |\n");
	printf("|---|---:|---:|---:|---:|---:|\n");
	for (int i = 0; i < n; i++) {
		double m[3], lo[3], hi[3], rc, rw;

		for (int r = 0; r < rounds; r++)
			v[r] = figs[i][r].cpu_ms;
		m[0] = median(v, rounds, &lo[0], &hi[0]);
		for (int r = 0; r < rounds; r++)
			v[r] = figs[i][r].wall_ms;
		m[1] = median(v, rounds, &lo[1], &hi[1]);
		for (int r = 0; r < rounds; r++)
			v[r] = figs[i][r].rss_mib;
		m[2] = median(v, rounds, &lo[2], &hi[2]);
		for (int r = 0; r < rounds; r++)
			v[r] = figs[0][r].cpu_ms > 0 ? figs[i][r].cpu_ms / figs[0][r].cpu_ms : 0;
		rc = median(v, rounds, NULL, NULL);
		for (int r = 0; r < rounds; r++)
			v[r] = figs[i][r].wall_ms / figs[0][r].wall_ms;
		rw = median(v, rounds, NULL, NULL);
		printf("| %s | %.2f (%.2f–%.2f) | %.2f (%.2f–%.2f) | %.2f (%.2f) | %.2f | %.2f |\n",
		       name[i], m[0], lo[0], hi[0], m[1], lo[1], hi[1], m[2], hi[2], rc, rw);
	}
	for (int i = 0; i < n; i++)
		for (int r = 0; r < rounds; r++)
			if (figs[i][r].status) {
				printf("\n%s exited %d (round %d; counted all the same)\n",
				       name[i], figs[i][r].status, r + 1);
				break;
			}
	printf("\n%d rounds after %d warm-up, in turns (the order rotates each round); CPU is "
	       "user + system of the process as the kernel accounts it (wait4)\n",
	       rounds, warmup);
	return 0;
}
