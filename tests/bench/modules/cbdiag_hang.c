// SPDX-License-Identifier: GPL-2.0
/*
 * A battery whose kernel driver never answers cbdiag: for the virtual
 * bench's "a probe that hangs in the kernel" scenario. It registers a
 * power supply "HANG0" (type Battery); reading its capacity or status
 * from a process called "cbdiag" sleeps uninterruptibly (msleep, state D)
 * for hang_seconds. Other readers (the power-supply core's own uevent at
 * registration, a shell) get an answer at once. The runner must give up on
 * the battery probe, report it as an error, and finish the run.
 */
#include <linux/delay.h>
#include <linux/module.h>
#include <linux/power_supply.h>
#include <linux/sched.h>
#include <linux/string.h>

static unsigned int hang_seconds = 600;
module_param(hang_seconds, uint, 0444);
MODULE_PARM_DESC(hang_seconds, "how long a read by cbdiag sleeps");

static enum power_supply_property hang_props[] = {
	POWER_SUPPLY_PROP_PRESENT,
	POWER_SUPPLY_PROP_STATUS,
	POWER_SUPPLY_PROP_CAPACITY,
};

static int hang_get(struct power_supply *psy, enum power_supply_property prop,
		    union power_supply_propval *val)
{
	if (prop != POWER_SUPPLY_PROP_PRESENT && strcmp(current->comm, "cbdiag") == 0)
		msleep(hang_seconds * 1000);
	switch (prop) {
	case POWER_SUPPLY_PROP_PRESENT:
		val->intval = 1;
		break;
	case POWER_SUPPLY_PROP_STATUS:
		val->intval = POWER_SUPPLY_STATUS_DISCHARGING;
		break;
	case POWER_SUPPLY_PROP_CAPACITY:
		val->intval = 50;
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

static const struct power_supply_desc hang_desc = {
	.name = "HANG0",
	.type = POWER_SUPPLY_TYPE_BATTERY,
	.properties = hang_props,
	.num_properties = ARRAY_SIZE(hang_props),
	.get_property = hang_get,
};

static struct power_supply *hang_psy;

static int __init hang_init(void)
{
	hang_psy = power_supply_register(NULL, &hang_desc, NULL);
	return PTR_ERR_OR_ZERO(hang_psy);
}

static void __exit hang_exit(void)
{
	power_supply_unregister(hang_psy);
}

module_init(hang_init);
module_exit(hang_exit);
MODULE_DESCRIPTION("cbdiag bench: a power supply whose reads by cbdiag hang");
MODULE_LICENSE("GPL");
