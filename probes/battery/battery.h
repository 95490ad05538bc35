/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The battery probe: raw values from /sys/class/power_supply (battery-read.c,
 * through probes/hw) and a pure judge (battery-judge.c) that turns them into
 * health, wear, findings and a verdict.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "probe.h"

/* One numeric sysfs attribute as it was read. */
enum cbd_val_state {
	CBD_VAL_ABSENT = 0,  /* the attribute does not exist */
	CBD_VAL_OK,          /* read and parsed */
	CBD_VAL_UNAVAILABLE, /* exists but the read failed (EIO, ENODATA, ...) or was no number */
};

struct cbd_val {
	enum cbd_val_state state;
	long long v; /* valid when state == CBD_VAL_OK */
	int err;     /* errno when state == CBD_VAL_UNAVAILABLE */
};

#define CBD_SUPPLY_STR 128

/* One power supply as the kernel describes it. Empty strings: absent/unreadable. */
struct cbd_supply_raw {
	char name[64];
	char type[32];  /* Battery, Mains, USB, UPS, Wireless, or a legacy string */
	char scope[16]; /* System, Device, Unknown, or "" */
	char status[32];
	char technology[32];
	char health[48];
	char manufacturer[CBD_SUPPLY_STR];
	char model[CBD_SUPPLY_STR];
	char serial[CBD_SUPPLY_STR];
	char usb_type[CBD_SUPPLY_STR]; /* the whole list, active one in [brackets] */
	struct cbd_val present, online, capacity, cycle_count;
	struct cbd_val charge_full, charge_full_design, charge_now; /* µAh */
	struct cbd_val energy_full, energy_full_design, energy_now; /* µWh */
	struct cbd_val voltage_now, current_now, power_now;        /* µV, µA, µW */
};

/** Read every supply under /sys/class/power_supply, sorted by name.
 * Returns the number read (*@ret owned by the caller) or -errno when the
 * class directory cannot be listed (-ENOENT: no power-supply class). */
int cbd_battery_read_all(struct cbd_supply_raw **ret);

/** Read one supply's sample values (status, online, charge/energy now, voltage,
 * current, power, capacity) again, for the interactive rate tests. */
int cbd_battery_read_sample(struct cbd_supply_raw *s);

/* ---- pure judging -------------------------------------------------- */

/** A system battery (type Battery, not a peripheral: scope != Device, not hid-*). */
bool cbd_supply_is_system_battery(const struct cbd_supply_raw *s);
/** An external power source (Mains, USB, or a legacy charger type), not a peripheral. */
bool cbd_supply_is_external_power(const struct cbd_supply_raw *s);

/** The active value of a bracketed list ("C [PD] PD_DRP" -> "PD") into @buf,
 * or the whole string when there are no brackets; "" when empty. */
void cbd_bracketed_active(const char *list, char *buf, size_t size);

struct cbd_battery_health {
	bool known;               /* health_percent is meaningful */
	double health_percent;    /* full / design x 100, one decimal, capped at 100 */
	double wear_percent;      /* 100 - health, floored at 0 */
	bool full_exceeds_design; /* full > design (conservative design value) */
	const char *family;       /* "charge", "energy" or NULL */
	bool design_missing;      /* no usable design value */
	bool unavailable;         /* a needed value could not be read */
	int err;                  /* its errno */
};

/** Health from one family only: charge_* when both values exist, else energy_*. */
void cbd_battery_compute_health(const struct cbd_supply_raw *s, struct cbd_battery_health *h);

/**
 * Judge every supply: fill @out's data (batteries[], external_power),
 * findings, status and summary. @laptop decides fail vs skip for a missing
 * battery. Pure: no I/O.
 */
void cbd_battery_judge(const struct cbd_supply_raw *s, size_t n, bool laptop,
		       const struct cbd_thresholds *t, struct cbd_result *out);

/* ---- interactive rate tests ---------------------------------------- */

struct cbd_rate_sample {
	double t_s;        /* seconds since the first sample */
	long long level;   /* charge_now (µAh) or energy_now (µWh) */
	long long voltage; /* µV, 0 when unknown */
};

struct cbd_rate {
	bool known;
	double percent_per_hour; /* of the full capacity; > 0 charging */
	double watts;            /* > 0 into the battery */
};

/** Rate from the first and last of @n samples against @full (same family). */
void cbd_rate_compute(const struct cbd_rate_sample *s, size_t n, long long full, bool energy,
		      struct cbd_rate *ret);
