// SPDX-License-Identifier: GPL-2.0
/*
 * An SMBus adapter with a Smart Battery at 0x0b, for the arm64 bench: QEMU's
 * "virt" machine has no I2C controller and Debian's arm64 kernel does not
 * build i2c-stub, so this module plays the bus and the battery's registers
 * (Smart Battery Data Specification 1.1 word and block commands), and the
 * kernel's own sbs-battery driver, bound to the client created here, is
 * what cbdiag reads through /sys/class/power_supply, as on an ARM
 * Chromebook whose EC passes the battery through (cros-ec i2c tunnel).
 *
 * The values come from module parameters. The BatteryMode register's
 * CAPACITY_MODE bit (15) selects mAh or 10 mWh units for the capacity
 * registers, as sbs-battery switches it for charge_* and energy_*.
 */
#include <linux/i2c.h>
#include <linux/module.h>
#include <linux/string.h>

static int full_mah = 3900, design_mah = 4000, remaining_mah = 3000, cycles = 120;
static int current_ma = -1234, voltage_mv = 11400, design_mv = 11400, temp_dk = 2982;
module_param(full_mah, int, 0444);
module_param(design_mah, int, 0444);
module_param(remaining_mah, int, 0444);
module_param(cycles, int, 0444);
module_param(current_ma, int, 0444);
module_param(voltage_mv, int, 0444);
module_param(design_mv, int, 0444);
module_param(temp_dk, int, 0444);

#define SBS_ADDR 0x0b
#define MODE_CAPACITY 0x8000

static u16 battery_mode;
static struct i2c_adapter sbs_adapter;
static struct i2c_client *sbs_client;

static u16 capacity(int mah)
{
	/* energy mode: 10 mWh units, from the design voltage */
	if (battery_mode & MODE_CAPACITY)
		return (u16)((long)mah * design_mv / 10000);
	return (u16)mah;
}

static int word(u8 cmd, u16 *v)
{
	switch (cmd) {
	case 0x03: *v = battery_mode; break;			/* BatteryMode */
	case 0x08: *v = temp_dk; break;				/* Temperature, 0.1 K */
	case 0x09: *v = voltage_mv; break;			/* Voltage */
	case 0x0a: case 0x0b: *v = (u16)(s16)current_ma; break;	/* (Average)Current */
	case 0x0d: case 0x0e:					/* Relative/AbsoluteStateOfCharge */
		*v = full_mah ? remaining_mah * 100 / full_mah : 0; break;
	case 0x0f: *v = capacity(remaining_mah); break;		/* RemainingCapacity */
	case 0x10: *v = capacity(full_mah); break;		/* FullChargeCapacity */
	case 0x11: case 0x12: case 0x13: *v = 0xffff; break;	/* times: not applicable */
	case 0x16: *v = current_ma < 0 ? 0x00c0 : 0x0080; break;	/* BatteryStatus: initialised, discharging */
	case 0x17: *v = cycles; break;				/* CycleCount */
	case 0x18: *v = capacity(design_mah); break;		/* DesignCapacity */
	case 0x19: *v = design_mv; break;			/* DesignVoltage */
	case 0x1a: *v = 0x0031; break;				/* SpecificationInfo: 1.1, no scaling */
	case 0x1b: *v = (2024 - 1980) << 9 | 3 << 5 | 14; break;	/* ManufactureDate */
	case 0x1c: *v = 0x0a1b; break;				/* SerialNumber */
	default: return -EOPNOTSUPP;
	}
	return 0;
}

static const char *block(u8 cmd)
{
	switch (cmd) {
	case 0x20: return "CBDIAG";	/* ManufacturerName */
	case 0x21: return "BENCH-SBS";	/* DeviceName */
	case 0x22: return "LION";	/* DeviceChemistry */
	default: return NULL;
	}
}

static int sbs_xfer(struct i2c_adapter *adap, u16 addr, unsigned short flags, char rw,
		    u8 cmd, int size, union i2c_smbus_data *data)
{
	const char *s;
	u16 v;
	int r;

	if (addr != SBS_ADDR)
		return -ENXIO;
	switch (size) {
	case I2C_SMBUS_QUICK:
		return 0;
	case I2C_SMBUS_WORD_DATA:
		if (rw == I2C_SMBUS_WRITE) {
			if (cmd != 0x03)
				return -EOPNOTSUPP;
			battery_mode = data->word;
			return 0;
		}
		r = word(cmd, &v);
		if (r < 0)
			return r;
		data->word = v;
		return 0;
	case I2C_SMBUS_BYTE_DATA:
		if (rw == I2C_SMBUS_WRITE || word(cmd, &v) < 0)
			return -EOPNOTSUPP;
		data->byte = v & 0xff;
		return 0;
	case I2C_SMBUS_BLOCK_DATA:
		s = block(cmd);
		if (rw == I2C_SMBUS_WRITE || !s)
			return -EOPNOTSUPP;
		data->block[0] = strlen(s);
		memcpy(&data->block[1], s, data->block[0]);
		return 0;
	}
	return -EOPNOTSUPP;
}

static u32 sbs_func(struct i2c_adapter *adap)
{
	return I2C_FUNC_SMBUS_QUICK | I2C_FUNC_SMBUS_BYTE_DATA | I2C_FUNC_SMBUS_WORD_DATA |
	       I2C_FUNC_SMBUS_READ_BLOCK_DATA;
}

static const struct i2c_algorithm sbs_algo = {
	.smbus_xfer = sbs_xfer,
	.functionality = sbs_func,
};

static int __init sbs_bus_init(void)
{
	struct i2c_board_info info = { I2C_BOARD_INFO("sbs-battery", SBS_ADDR) };
	int r;

	sbs_adapter.owner = THIS_MODULE;
	sbs_adapter.algo = &sbs_algo;
	strscpy(sbs_adapter.name, "cbdiag bench SMBus", sizeof(sbs_adapter.name));
	r = i2c_add_adapter(&sbs_adapter);
	if (r)
		return r;
	sbs_client = i2c_new_client_device(&sbs_adapter, &info);
	if (IS_ERR(sbs_client)) {
		i2c_del_adapter(&sbs_adapter);
		return PTR_ERR(sbs_client);
	}
	return 0;
}

static void __exit sbs_bus_exit(void)
{
	i2c_unregister_device(sbs_client);
	i2c_del_adapter(&sbs_adapter);
}

module_init(sbs_bus_init);
module_exit(sbs_bus_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("cbdiag bench: an SMBus with a Smart Battery for sbs-battery");
