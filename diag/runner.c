/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "cbd-i18n.h"
#include "runner.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <termios.h>
#include <stdarg.h>
#include <sys/pidfd.h>
#include <sys/wait.h>

/* a probe's serialized result larger than this is cut off and reported as error */
#define MAX_RESULT_BYTES (64u * 1024u * 1024u)

static volatile sig_atomic_t interrupted;

static void
on_sigint(int sig)
{
	interrupted = 1;
}

struct cbd_result *
cbd_runner_run_inline(const struct cbd_probe *p, const struct cbd_ctx *ctx)
{
	struct cbd_result *r = cbd_result_new();
	int rc = p->run(ctx, r);

	if (rc < 0) {
		if (r->status_set && r->status == CBD_STATUS_ERROR)
			return r;
		cbd_result_set(r, CBD_STATUS_ERROR, N_("The %s check could not run: %s"), p->name,
			       strerror(-rc));
	} else if (!r->status_set) {
		cbd_result_set(r, CBD_STATUS_ERROR, N_("The %s check returned no verdict (a bug)"),
			       p->name);
	}
	/* the headline next to WARN or FAIL names the cause, whatever the probe wrote */
	cbd_result_headline_from_findings(r);
	return r;
}

static _Noreturn void
child_main(const struct cbd_probe *p, const struct cbd_ctx *ctx, int wfd)
{
	struct cbd_result *r;
	char *text;

	/* Ctrl-C ends the probe (the child) with the default action; the parent
	 * notices and writes the report. */
	static const int fatal[] = {SIGINT, SIGPIPE, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};

	/* A crash must end the child, whatever handlers the parent installed. */
	for (size_t i = 0; i < CBD_ARRAY_SIZE(fatal); i++)
		signal(fatal[i], SIG_DFL);
	r = cbd_runner_run_inline(p, ctx);
	text = cbd_result_serialize(r);
	cbd_result_free(r);
	if (cbd_write_all(wfd, text, strlen(text)) < 0)
		_exit(3);
	free(text);
	/* the result is complete: the parent goes on while this process ends
	 * (closing files can take the kernel a while, see hw/evdev.c) */
	close(wfd);
	_exit(0);
}

/* Wait up to @wait_ms for @pid to end. Uses a pidfd, so the wait ends the
 * moment the child does; falls back to polling waitpid() on old kernels. */
static void
reap(pid_t pid, bool *ret_exited, int *ret_status, uint64_t wait_ms)
{
	uint64_t until = cbd_now_mono_ms() + wait_ms;
	int pfd = pidfd_open(pid, 0);
	unsigned delay_us = 100;

	for (;;) {
		pid_t w = waitpid(pid, ret_status, WNOHANG);
		uint64_t now;

		if (w == pid || (w < 0 && errno != EINTR)) {
			*ret_exited = w == pid;
			break;
		}
		now = cbd_now_mono_ms();
		if (now >= until) {
			*ret_exited = false;
			break;
		}
		if (pfd >= 0) {
			struct pollfd p = {.fd = pfd, .events = POLLIN};

			(void)poll(&p, 1, (int)(until - now));
		} else {
			usleep(delay_us);
			delay_us = delay_us < 10000 ? delay_us * 2 : delay_us;
		}
	}
	if (pfd >= 0)
		close(pfd);
}

static struct cbd_result *error_result(const char *fmt, ...) _printf_(1, 2);

static struct cbd_result *
error_result(const char *fmt, ...)
{
	struct cbd_result *r = cbd_result_new();
	_cleanup_free_ char *msg = NULL;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		abort();
	va_end(ap);
	cbd_result_set(r, CBD_STATUS_ERROR, "%s", msg);
	return r;
}

static struct cbd_result *
run_isolated(const struct cbd_probe *p, const struct cbd_ctx *ctx, unsigned timeout_s,
	     pid_t *ret_pending)
{
	_cleanup_free_ char *buf = NULL;
	size_t len = 0, cap = 0;
	uint64_t deadline = cbd_now_mono_ms() + (uint64_t)timeout_s * 1000u;
	bool timed_out = false, exited = false, too_big = false;
	struct cbd_result *r = NULL;
	int pfd[2], status = 0;
	pid_t pid;

	if (pipe2(pfd, O_CLOEXEC) < 0)
		return error_result(N_("The %s check could not start: %s"), p->name,
				    strerror(errno));
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return error_result(N_("The %s check could not start: %s"), p->name,
				    strerror(errno));
	}
	if (pid == 0) {
		close(pfd[0]);
		child_main(p, ctx, pfd[1]);
	}
	close(pfd[1]);

	for (;;) {
		uint64_t now = cbd_now_mono_ms();
		struct pollfd pf = {.fd = pfd[0], .events = POLLIN};
		int n;

		if (now >= deadline) {
			timed_out = true;
			break;
		}
		n = poll(&pf, 1, (int)(deadline - now > 1000 ? 1000 : deadline - now));
		if (n < 0 && errno != EINTR)
			break;
		if (n <= 0)
			continue;
		if (len == cap) {
			if (cap >= MAX_RESULT_BYTES) {
				too_big = true;
				break;
			}
			cap = cap ? cap * 2 : 16384;
			buf = cbd_realloc_array(buf, cap, 1);
		}
		{
			ssize_t got = read(pfd[0], buf + len, cap - len);

			if (got < 0 && errno == EINTR)
				continue;
			if (got <= 0)
				break; /* EOF: the child is done */
			len += (size_t)got;
		}
	}
	close(pfd[0]);

	if (timed_out || too_big) {
		kill(pid, SIGKILL);
		/* A child in uninterruptible sleep (a hung ioctl) does not die until the
		 * kernel lets go: do not wait for it, the run goes on. */
		reap(pid, &exited, &status, 200);
		if (too_big)
			return error_result(
					    N_("The %s check produced more than %u MiB of data"),
					    p->name, MAX_RESULT_BYTES >> 20);
		return error_result(N_("The %s check timed out after %u s"), p->name, timeout_s);
	}

	/* A complete result is the probe's answer, whether or not its process
	 * has finished ending; it is reaped later (cbd_runner_run). Anything
	 * else needs the exit status to say what went wrong. */
	if (buf && cbd_result_deserialize(buf, len, &r) == 0) {
		reap(pid, &exited, &status, 0);
		if (!exited)
			*ret_pending = pid;
		return r;
	}
	reap(pid, &exited, &status, deadline > cbd_now_mono_ms() ? deadline - cbd_now_mono_ms() : 0);
	if (!exited) {
		kill(pid, SIGKILL);
		reap(pid, &exited, &status, 200);
		return error_result(N_("The %s check timed out after %u s"), p->name, timeout_s);
	}
	if (WIFSIGNALED(status)) {
		if (WTERMSIG(status) == SIGINT)
			return error_result(
					    N_("The %s check was interrupted (Ctrl-C)"), p->name);
		return error_result(N_("The %s check crashed (%s)"), p->name,
				    strsignal(WTERMSIG(status)));
	}
	if (WEXITSTATUS(status) != 0 || !buf || cbd_result_deserialize(buf, len, &r) < 0)
		return error_result(
				    N_("The %s check ended without a result (exit status %d)"), p->name,
				    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return r;
}

static unsigned
deadline_for(const struct cbd_probe *p, const struct cbd_ctx *ctx,
	     const struct cbd_runner_opts *opts)
{
	bool long_run = (ctx->interactive && (p->flags & CBD_PROBE_INTERACTIVE_STEPS)) ||
			((p->flags & CBD_PROBE_SLOW) && ctx->storage_scan == CBD_STORAGE_SCAN_FULL);

	return long_run ? opts->interactive_timeout_s : opts->timeout_s;
}

size_t
cbd_runner_run(const struct cbd_probe *const *probes, size_t n, const struct cbd_ctx *ctx,
	       const struct cbd_runner_opts *opts, struct cbd_report_probe *out)
{
	struct sigaction sa = {.sa_handler = on_sigint}, old_int;
	pid_t *ending = cbd_zalloc((n + 1) * sizeof(*ending)); /* answered, not yet ended */
	size_t ran = 0;
	/* the terminal as the run found it: a probe ended by Ctrl-C or its
	 * deadline while it had echo off (ui.c) must not leave it so */
	struct termios tty;
	bool have_tty = isatty(STDIN_FILENO) && tcgetpgrp(STDIN_FILENO) == getpgrp() &&
			tcgetattr(STDIN_FILENO, &tty) == 0;

	interrupted = 0;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);

	for (size_t i = 0; i < n; i++) {
		const struct cbd_probe *p = probes[i];
		struct cbd_result *r;
		uint64_t t0;

		out[i].name = p->name;
		if (interrupted) {
			r = cbd_result_new();
			cbd_result_set(r, CBD_STATUS_SKIP, N_("Not run: the run was interrupted (Ctrl-C)"));
			out[i].result = r;
			continue;
		}
		t0 = cbd_now_mono_ms();
		if (opts->inline_probes)
			r = cbd_runner_run_inline(p, ctx);
		else
			r = run_isolated(p, ctx, deadline_for(p, ctx, opts), &ending[i]);
		r->duration_ms = cbd_now_mono_ms() - t0;
		if (have_tty)
			(void)tcsetattr(STDIN_FILENO, TCSANOW, &tty);
		out[i].result = r;
		ran++;
		if (opts->progress)
			opts->progress(p, r, opts->userdata);
	}
	/* the probes' processes that were still ending when their result came:
	 * reaped if they have ended by now; any other is left to end on its own
	 * (its parent's exit hands it to init) rather than hold up the report */
	for (size_t i = 0; i < n; i++) {
		bool exited;
		int status;

		if (ending[i] > 0)
			reap(ending[i], &exited, &status, 0);
	}
	free(ending);
	sigaction(SIGINT, &old_int, NULL);
	return ran;
}
