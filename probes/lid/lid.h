/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The lid probe: the lid switch (SW_LID) and the power button (KEY_POWER),
 * found among the input devices by their capability bits (lid-read.c,
 * through probes/hw); with --interactive, the lid closed and opened and the
 * power button pressed when asked, and the internal panel's connector and
 * EDID checked after the lid has moved (the hinge test). Verdicts in
 * lid-judge.c. See probes/lid/README.md.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "hw.h"
#include "probe.h"

/* One input device that has a lid switch or a power key. */
struct cbd_lid_input_raw {
	char event[16];   /* event4 */
	char devnode[32]; /* /dev/input/event4 */
	char name[128];   /* "Lid Switch", "Power Button", "cros_ec_buttons", "gpio-keys" */
	char phys[128];   /* "PNP0C0D/button/input0" */
	unsigned bustype;
	bool has_lid;   /* EV_SW with SW_LID */
	bool has_power; /* EV_KEY with KEY_POWER */
	bool keyboard;  /* a full keyboard (keys 1-31), whose key table may just list KEY_POWER */
	int lid_closed; /* SW_LID now: 1 closed, 0 open, -1 unknown */
	int lid_state_err; /* -errno when EVIOCGSW failed */
};

struct cbd_lid_raw {
	struct cbd_lid_input_raw *in;
	size_t n;
};

/** Every input device with SW_LID or KEY_POWER, sorted by event node. An
 * empty list is success; -errno only when the input class cannot be listed
 * for another reason than its absence. */
int cbd_lid_read(struct cbd_lid_raw *ret);
void cbd_lid_raw_clear(struct cbd_lid_raw *raw);

/* ---- pure ---------------------------------------------------------------- */

/** A power button: a device with KEY_POWER that is not a full keyboard (a
 * keyboard's key table lists every key, KEY_POWER among them, whether or not
 * the machine wires one). */
bool cbd_lid_is_power_button(const struct cbd_lid_input_raw *d);

/**
 * The devices a step watches: for the lid step (@power false) the lid
 * switches, for the power step every device with KEY_POWER (a keyboard's
 * too, where a board wires the button into it). Fills @nodes and @grab (at
 * most @max) and returns the count. A keyboard is never grabbed: the intern
 * types "s" on it to skip the step.
 */
size_t cbd_lid_watch_list(const struct cbd_lid_raw *raw, bool power, const char **nodes, bool *grab,
                          size_t max);

/** Does kernel-log line @msg say a display link failed: link training, the
 * DP AUX channel, a corrupt EDID, a flip that never completed? */
bool cbd_kmsg_is_display_link_failure(const char *msg);

/* ---- the interactive steps' outcomes ------------------------------------ */

enum cbd_lid_step_end {
	CBD_LID_NOT_RUN, /* not interactive, or nothing to test */
	CBD_LID_DONE,    /* what was asked happened */
	CBD_LID_TIMEOUT, /* lid.wait_seconds passed first */
	CBD_LID_SKIPPED, /* the intern typed s */
	CBD_LID_ERROR,   /* the devices could not be opened or went away (err) */
};

#define CBD_LID_MAX_LINK_ERRORS 4

/* The internal panel as seen before and after the lid moved. */
struct cbd_lid_panel {
	bool found;
	char card[16], connector[48];
	char status_before[24], status_after[24]; /* "connected"; "" unreadable/gone */
	uint8_t *edid_before, *edid_after;        /* owned, NULL when none */
	size_t edid_before_len, edid_after_len;
	int probe_err; /* the forced re-probe: 0 or -errno */
};

struct cbd_lid_test {
	enum cbd_lid_step_end end;
	int err;
	bool closed, opened;        /* SW_LID 1 then 0 seen */
	uint64_t close_ms, open_ms; /* after the prompt */
	bool closed_at_start;       /* the switch said closed when asked to close */
	struct cbd_lid_panel panel;
	int kmsg_err;                               /* the kernel log could not be read */
	char *link_errors[CBD_LID_MAX_LINK_ERRORS]; /* owned; newest last */
	size_t n_link_errors;
};

struct cbd_power_test {
	enum cbd_lid_step_end end;
	int err;
	bool pressed, released;
	uint64_t press_ms; /* after the prompt */
};

void cbd_lid_test_clear(struct cbd_lid_test *t);

/** Pure: keep in @t the display-link failures among kernel-log records @recs
 * newer than @since (the newest record before the lid step), the newest
 * CBD_LID_MAX_LINK_ERRORS at most. */
void cbd_lid_add_link_errors(struct cbd_lid_test *t, const struct cbd_hw_kmsg_rec *recs, size_t n,
                             uint64_t since);

/**
 * Pure: the verdict. @lid and @power are the interactive steps (NULL, or
 * end CBD_LID_NOT_RUN, when they did not run).
 */
void cbd_lid_judge(const struct cbd_lid_raw *raw, bool laptop, bool interactive,
                   const struct cbd_lid_test *lid, const struct cbd_power_test *power,
                   struct cbd_result *out);
