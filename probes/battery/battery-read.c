/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Gathering half of the battery probe: /sys/class/power_supply through
 * probes/hw. One bounded read per attribute (what upower does); a failed read
 * is recorded with its errno, never turned into a value.
 *
 * Note: on ARM Chromebooks the sbs-battery driver briefly switches the
 * gauge's capacity mode over SMBus when charge_* or energy_* is read; that
 * is the driver's doing and cannot be avoided by a reader.
 */
#include "battery.h"

#include <errno.h>

#include "hw.h"

#define PS "/sys/class/power_supply"

static void
read_val(const char *dir, const char *attr, struct cbd_val *v)
{
	long long x;
	int r = cbd_hw_read_ll_at(dir, attr, &x);

	if (r == 0)
		*v = (struct cbd_val){.state = CBD_VAL_OK, .v = x};
	else if (r == -ENOENT)
		*v = (struct cbd_val){.state = CBD_VAL_ABSENT};
	else
		*v = (struct cbd_val){.state = CBD_VAL_UNAVAILABLE, .err = -r};
}

int
cbd_battery_read_sample(struct cbd_supply_raw *s)
{
	_cleanup_free_ char *dir = cbd_strdupf(PS "/%s", s->name);

	if (!cbd_hw_exists(dir))
		return -ENODEV;
	cbd_hw_read_str_at(dir, "status", s->status, sizeof(s->status));
	read_val(dir, "online", &s->online);
	read_val(dir, "present", &s->present);
	read_val(dir, "capacity", &s->capacity);
	read_val(dir, "charge_now", &s->charge_now);
	read_val(dir, "energy_now", &s->energy_now);
	read_val(dir, "voltage_now", &s->voltage_now);
	read_val(dir, "current_now", &s->current_now);
	read_val(dir, "power_now", &s->power_now);
	return 0;
}

static void
read_one(const char *name, struct cbd_supply_raw *s)
{
	_cleanup_free_ char *dir = cbd_strdupf(PS "/%s", name);

	*s = (struct cbd_supply_raw){0};
	snprintf(s->name, sizeof(s->name), "%s", name);
	cbd_hw_read_str_at(dir, "type", s->type, sizeof(s->type));
	cbd_hw_read_str_at(dir, "scope", s->scope, sizeof(s->scope));
	cbd_hw_read_str_at(dir, "technology", s->technology, sizeof(s->technology));
	cbd_hw_read_str_at(dir, "health", s->health, sizeof(s->health));
	cbd_hw_read_str_at(dir, "manufacturer", s->manufacturer, sizeof(s->manufacturer));
	cbd_hw_read_str_at(dir, "model_name", s->model, sizeof(s->model));
	cbd_hw_read_str_at(dir, "serial_number", s->serial, sizeof(s->serial));
	cbd_hw_read_str_at(dir, "usb_type", s->usb_type, sizeof(s->usb_type));
	read_val(dir, "cycle_count", &s->cycle_count);
	read_val(dir, "charge_full", &s->charge_full);
	read_val(dir, "charge_full_design", &s->charge_full_design);
	read_val(dir, "energy_full", &s->energy_full);
	read_val(dir, "energy_full_design", &s->energy_full_design);
	(void)cbd_battery_read_sample(s);
}

int
cbd_battery_read_all(struct cbd_supply_raw **ret)
{
	char **names = NULL;
	size_t n = 0;
	struct cbd_supply_raw *all;
	int r = cbd_hw_list_dir(PS, &names, &n);

	if (r < 0)
		return r;
	all = cbd_realloc_array(NULL, n ? n : 1, sizeof(*all));
	for (size_t i = 0; i < n; i++)
		read_one(names[i], &all[i]);
	cbd_hw_strv_free(names);
	*ret = all;
	return (int)n;
}
