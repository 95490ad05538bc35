/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The colour-pattern test: solid red, green, blue, white, black, 50 % grey and
 * a one-pixel checkerboard, full screen on the internal panel through a DRM
 * dumb buffer (probes/hw/drm.c). The intern looks at each and types what was
 * wrong; the console is put back afterwards, also when interrupted.
 */
#include "cbd-i18n.h"
#include "display.h"
#include "hw.h"

#include <ctype.h>
#include <errno.h>
#include <signal.h>

static const struct {
	const char *name;
	uint32_t xrgb;
} patterns[CBD_N_PATTERNS] = {
	[CBD_PATTERN_RED] = {N_("red"), 0xff0000},	   [CBD_PATTERN_GREEN] = {N_("green"), 0x00ff00},
	[CBD_PATTERN_BLUE] = {N_("blue"), 0x0000ff},   [CBD_PATTERN_WHITE] = {N_("white"), 0xffffff},
	[CBD_PATTERN_BLACK] = {N_("black"), 0x000000}, [CBD_PATTERN_GREY] = {N_("grey"), 0x808080},
	[CBD_PATTERN_CHECKER] = {N_("checkerboard"), 0},
};

static const struct {
	char letter;
	const char *name, *label;
} defects[CBD_N_DEFECTS] = {
	{'d', "dead_pixels", N_("dead or stuck pixels")},
	{'l', "lines", N_("lines")},
	{'b', "bleeding", N_("bleeding or patches")},
	{'f', "flicker", N_("flicker")},
	{'m', "dim", N_("dim or uneven light")},
};

const char *
cbd_pattern_name(enum cbd_pattern p)
{
	return (unsigned)p < CBD_N_PATTERNS ? patterns[p].name : NULL;
}

const char *
cbd_defect_name(unsigned i)
{
	return i < CBD_N_DEFECTS ? defects[i].name : NULL;
}

const char *
cbd_defect_label(unsigned i)
{
	return i < CBD_N_DEFECTS ? defects[i].label : NULL;
}

void
cbd_pattern_fill(enum cbd_pattern p, uint32_t *pixels, uint32_t w, uint32_t h, uint32_t stride)
{
	for (uint32_t y = 0; y < h; y++) {
		uint32_t *row = pixels + (size_t)y * stride;

		if (p == CBD_PATTERN_CHECKER) {
			for (uint32_t x = 0; x < w; x++)
				row[x] = ((x ^ y) & 1) ? 0x000000 : 0xffffff;
		} else {
			uint32_t c = (unsigned)p < CBD_N_PATTERNS ? patterns[p].xrgb : 0;

			for (uint32_t x = 0; x < w; x++)
				row[x] = c;
		}
	}
}

int
cbd_pattern_parse_answer(const char *line, unsigned *ret)
{
	unsigned mask = 0;

	*ret = 0;
	if (streq(line, "s") || streq(line, "S") || streq(line, "skip"))
		return 1;
	for (const char *c = line; *c; c++) {
		unsigned i;

		if (isspace((unsigned char)*c) || *c == ',')
			continue;
		for (i = 0; i < CBD_N_DEFECTS; i++)
			if (tolower((unsigned char)*c) == defects[i].letter)
				break;
		if (i == CBD_N_DEFECTS)
			return -EINVAL;
		mask |= 1u << i;
	}
	*ret = mask;
	return 0;
}

static const struct cbd_hw_screen *restore_on_signal;

static void
on_signal(int sig)
{
	if (restore_on_signal)
		cbd_hw_screen_restore_signal_safe(restore_on_signal);
	signal(sig, SIG_DFL);
	raise(sig);
}

#define HELP                                                                                     \
	_("Each colour fills the whole screen. Look at all of it, then press Enter: the "         \
	  "question comes back here. Answer with what is wrong: d dead or stuck pixels, l "     \
	  "lines, b bleeding or patches, f flicker, m dim or uneven (several letters are "       \
	  "fine). Enter alone: it looks right. s: skip the rest.")

static void run_patterns(const struct cbd_ctx *ctx, const char *card, const char *connector,
			 const struct cbd_fb_raw *fb, struct cbd_pattern_run *out);

void
cbd_pattern_test(const struct cbd_ctx *ctx, const char *card, const char *connector,
		 struct cbd_pattern_run *out)
{
	run_patterns(ctx, card, connector, NULL, out);
}

void
cbd_pattern_test_fbdev(const struct cbd_ctx *ctx, const struct cbd_fb_raw *fb,
		       struct cbd_pattern_run *out)
{
	run_patterns(ctx, NULL, NULL, fb, out);
}

static void
run_patterns(const struct cbd_ctx *ctx, const char *card, const char *connector,
	     const struct cbd_fb_raw *fb, struct cbd_pattern_run *out)
{
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
	struct sigaction sa = {.sa_handler = on_signal}, old[CBD_ARRAY_SIZE(sigs)];
	struct cbd_hw_screen screen;
	char answer[64];
	int r;

	*out = (struct cbd_pattern_run){.ran = true, .fbdev = fb != NULL};
	if (fb)
		snprintf(out->connector, sizeof(out->connector), "%s", fb->dev);
	else
		snprintf(out->connector, sizeof(out->connector), "%s", connector);
	if (!ctx->ui || !ctx->ui->ask_text) {
		out->err = -ENOTTY;
		return;
	}
	r = ctx->ui->ask(ctx->ui, _("Colour-pattern test: the screen will show 7 full-screen "
				  "patterns. Enter to start, s to skip."));
	if (r == CBD_UI_SKIP || r < 0) {
		out->skipped_rest = r == CBD_UI_SKIP;
		out->no_answer = r < 0;
		return;
	}
	/* the screen first: a legend for patterns that never come would leave
	 * the intern waiting for them; said at once, the why kept for staff */
	out->err = fb ? cbd_hw_screen_open_fbdev(fb->dev, &screen)
		      : cbd_hw_screen_open(card, connector, &screen);
	if (out->err < 0) {
		ctx->ui->say(ctx->ui, _("The colours cannot be shown on this screen from here, so "
					"this test is skipped. Tell staff."));
		return;
	}
	ctx->ui->say(ctx->ui, HELP);
	out->width = screen.width;
	out->height = screen.height;
	out->refresh_hz = screen.refresh_hz;
	restore_on_signal = &screen;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < CBD_ARRAY_SIZE(sigs); i++)
		sigaction(sigs[i], &sa, &old[i]);

	for (int p = 0; p < CBD_N_PATTERNS; p++) {
		char prompt[160];
		unsigned mask = 0;

		cbd_pattern_fill((enum cbd_pattern)p, screen.pixels, screen.width, screen.height,
				 screen.pitch / 4);
		out->err = cbd_hw_screen_show(&screen);
		if (out->err < 0)
			break;
		/* the pattern covers the console, and with it any question: the
		 * intern looks, presses Enter, and is asked with the console back
		 * (letters typed while looking are an answer already) */
		snprintf(prompt, sizeof(prompt),
			 _("Pattern %d of %d: %s. Look at the whole screen, then press Enter."),
			 p + 1, CBD_N_PATTERNS, _(patterns[p].name));
		r = ctx->ui->ask_text(ctx->ui, prompt, answer, sizeof(answer));
		cbd_hw_screen_hide(&screen);
		/* letters typed while looking are the answer; Enter alone asks */
		if (r > 0)
			r = cbd_pattern_parse_answer(answer, &mask);
		else if (r == 0)
			r = -EAGAIN;
		snprintf(prompt, sizeof(prompt),
			 _("What is wrong with the %s screen? (d l b f m, Enter: nothing, s: skip "
			   "the rest)"),
			 _(patterns[p].name));
		while (r == -EAGAIN || r == -EINVAL) {
			if (r == -EINVAL)
				ctx->ui->say(ctx->ui,
					     _("Only the letters d, l, b, f, m, or s to skip, please."));
			r = ctx->ui->ask_text(ctx->ui, prompt, answer, sizeof(answer));
			if (r >= 0)
				r = cbd_pattern_parse_answer(answer, &mask); /* "": nothing wrong */
		}
		if (r < 0) {
			out->no_answer = true;
			break;
		}
		if (r == 1) {
			out->skipped_rest = true;
			break;
		}
		out->defects[p] = mask;
		out->n_shown++;
	}
	cbd_hw_screen_close(&screen);
	restore_on_signal = NULL;
	for (size_t i = 0; i < CBD_ARRAY_SIZE(sigs); i++)
		sigaction(sigs[i], &old[i], NULL);
}
