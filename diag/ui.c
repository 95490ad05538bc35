/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The intern's side of interactive steps: prompts and status lines on
 * stderr, answers from stdin. A live status line is redrawn in place on a
 * terminal; elsewhere (a test driving cbdiag through pipes) only its final
 * form is printed, one line per step, so logs stay readable.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "cbd-i18n.h"
#include "ui.h"
#include "cli.h"
#include "hw.h"

struct ui_state {
	bool tty;
	bool colour;
	bool stdin_eof; /* nobody left to answer */
	char last[256]; /* the last status line, for pipes */
};

static struct ui_state state;

static void
clear_status(void)
{
	if (state.tty)
		fputs("\r\033[K", stderr);
	else if (state.last[0])
		fprintf(stderr, "%s\n", state.last);
	state.last[0] = '\0';
}

/* A line longer than the buffer: the rest is dropped, not read as the next answer. */
static void
drop_rest_of_line(const char *line)
{
	int c;

	if (!strchr(line, '\n'))
		while ((c = getchar()) != EOF && c != '\n')
			;
}

/* An answer line: Enter alone (or yes), n (no) or s (skip), in English and
 * in the intern's language; anything else is -EINVAL, never taken as a yes. */
static int
parse_answer(char *line)
{
	cbd_strstrip(line);
	if (!*line || streq(line, "y") || streq(line, "Y") || streq(line, "yes") ||
	    streq(line, _("yes")))
		return CBD_UI_DONE;
	if (streq(line, "s") || streq(line, "S") || streq(line, "skip") || streq(line, _("skip")))
		return CBD_UI_SKIP;
	if (streq(line, "n") || streq(line, "N") || streq(line, "no") || streq(line, _("no")))
		return CBD_UI_NO;
	return -EINVAL;
}

static int
ui_ask(const struct cbd_ui *ui, const char *message)
{
	char line[128];

	clear_status();
	fputs(state.colour ? "\033[1m>> " : ">> ", stderr);
	cbd_text_fputs(message, true, stderr);
	fputs(state.colour ? "\033[0m\n" : "\n", stderr);
	fflush(stderr);
	for (;;) {
		int r;

		if (!fgets(line, sizeof(line), stdin))
			return -EPIPE;
		drop_rest_of_line(line);
		r = parse_answer(line);
		if (r != -EINVAL)
			return r;
		/* a stray key is asked again, never taken as a yes */
		fputs(_("Press Enter alone, or n or s and then Enter."), stderr);
		fputc('\n', stderr);
		fflush(stderr);
	}
}

/* Lines stdio has read ahead from stdin: poll() cannot see them. */
static bool
stdin_buffered(void)
{
#ifdef __GLIBC__
	return stdin->_IO_read_ptr < stdin->_IO_read_end;
#else
	return false;
#endif
}

static int
read_answer(void)
{
	char line[128];

	if (!fgets(line, sizeof(line), stdin)) {
		state.stdin_eof = true;
		return -EPIPE;
	}
	drop_rest_of_line(line);
	return parse_answer(line);
}

/*
 * While a live status line is up, what the intern types must not be echoed
 * into it ("54 s lefts"), nor the Enter move the cursor off it (which left
 * the countdown behind on the screen): echo off, lines still end with Enter.
 * Restored before returning; the runner restores the terminal as it was
 * whatever happens to a probe (Ctrl-C ends it, see runner.c).
 */
static bool
echo_off(struct termios *saved)
{
	struct termios t;

	/* in the foreground only: a background process changing the terminal
	 * would be stopped (SIGTTOU) */
	if (!state.tty || !isatty(STDIN_FILENO) || tcgetpgrp(STDIN_FILENO) != getpgrp() ||
	    tcgetattr(STDIN_FILENO, saved) < 0)
		return false;
	t = *saved;
	t.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
	return tcsetattr(STDIN_FILENO, TCSANOW, &t) == 0;
}

static int wait_input(int fd, unsigned timeout_ms);

static int
ui_wait(const struct cbd_ui *ui, int fd, unsigned timeout_ms)
{
	struct termios saved;
	bool quiet = echo_off(&saved);
	int r = wait_input(fd, timeout_ms);

	if (quiet)
		(void)tcsetattr(STDIN_FILENO, TCSANOW, &saved);
	return r;
}

static int
wait_input(int fd, unsigned timeout_ms)
{
	struct timespec t0, now;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		struct pollfd p[2] = {{.fd = fd, .events = POLLIN},
				      {.fd = STDIN_FILENO, .events = POLLIN}};
		long left;
		int r;

		if (!state.stdin_eof && stdin_buffered() && (r = read_answer()) >= 0)
			return r;
		clock_gettime(CLOCK_MONOTONIC, &now);
		left = (long)timeout_ms - ((now.tv_sec - t0.tv_sec) * 1000 +
					   (now.tv_nsec - t0.tv_nsec) / 1000000);
		if (left <= 0)
			return CBD_UI_TIMEOUT;
		r = poll(p, state.stdin_eof ? 1 : 2, (int)left);
		if (r < 0 && errno != EINTR)
			return -errno;
		if (r <= 0)
			continue;
		if (p[0].revents)
			return CBD_UI_READY;
		if (p[1].revents) {
			r = read_answer();
			if (r >= 0)
				return r;
		}
	}
}

static int
ui_ask_text(const struct cbd_ui *ui, const char *message, char *buf, size_t size)
{
	clear_status();
	fputs(state.colour ? "\033[1m>> " : ">> ", stderr);
	cbd_text_fputs(message, true, stderr);
	fputs(state.colour ? "\033[0m\n" : "\n", stderr);
	fflush(stderr);
	if (size == 0 || !fgets(buf, (int)(size < INT_MAX ? size : INT_MAX), stdin))
		return -EPIPE;
	drop_rest_of_line(buf);
	cbd_strstrip(buf);
	return (int)strlen(buf);
}

/*
 * Lines from probes quote hardware (a stick's product name, a keyboard's
 * name): each is neutralised here, on its way to the terminal. The key map
 * of ui_screen is drawn by keytest.c from our own labels, with our colours.
 */
static void
ui_status(const struct cbd_ui *ui, const char *raw)
{
	_cleanup_free_ char *line = cbd_text_sanitize(raw ? raw : "");

	if (state.tty) {
		int rows, cols;

		/* one row, always: a line that reaches the edge wraps, and the next
		 * update would clear only its second row ("quedan 45 s" stacked up on
		 * a narrow console). Cut to the width, by characters, not bytes. */
		if (cbd_hw_terminal_size(STDERR_FILENO, &rows, &cols) == 0 && cols > 1) {
			int n = 0;

			for (char *c = line; *c; c++)
				if ((*c & 0xC0) != 0x80 && ++n == cols) {
					*c = '\0';
					break;
				}
		}
		fprintf(stderr, "\r\033[K%s", line);
		if (!*line)
			fputs("\r", stderr);
	} else if (*line) {
		snprintf(state.last, sizeof(state.last), "%s", line);
	} else {
		clear_status();
	}
	fflush(stderr);
}

static void
ui_say(const struct cbd_ui *ui, const char *line)
{
	clear_status();
	cbd_text_fputs(line, true, stderr);
	fputc('\n', stderr);
	fflush(stderr);
}

static void
ui_screen(const struct cbd_ui *ui, const char *text, const char *summary)
{
	if (state.tty) {
		/* home and clear, then the text: the key map is redrawn in place */
		fputs("\033[H\033[2J", stderr);
		if (text)
			fputs(text, stderr);
		fflush(stderr);
	} else {
		ui_status(ui, summary ? summary : "");
	}
}

static struct cbd_ui terminal_ui = {
	.ask = ui_ask,
	.ask_text = ui_ask_text,
	.wait = ui_wait,
	.status = ui_status,
	.say = ui_say,
	.screen = ui_screen,
};

const struct cbd_ui *
cbd_terminal_ui(void)
{
	state.tty = isatty(STDERR_FILENO);
	state.colour = cbd_use_colour(STDERR_FILENO);
	terminal_ui.colour = state.colour;
	return &terminal_ui;
}
