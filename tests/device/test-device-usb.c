/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The usb probe in a umockdev test bed: libusb and sysfs as a Chromebook has them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "testbed.h"

static const cJSON *
item(const cJSON *arr, const char *key, const char *value)
{
	const cJSON *o;

	cJSON_ArrayForEach(o, arr)
	{
		const cJSON *v = cJSON_GetObjectItem(o, key);

		if (cJSON_IsString(v) && strcmp(v->valuestring, value) == 0)
			return o;
	}
	fail_msg("no %s = %s", key, value);
	return NULL;
}

static void
test_chromebook_usb(void **state)
{
	static const char *const args[] = {"--probe", "usb", NULL};
	UMockdevTestbed *tb = cbd_testbed_new("chromebook-usb");
	int rc;
	cJSON *root = cbd_testbed_run_report(&rc, args);
	const cJSON *usb = cJSON_GetObjectItem(cJSON_GetObjectItem(root, "probes"), "usb");
	const cJSON *data = cJSON_GetObjectItem(usb, "data");
	const cJSON *devs = cJSON_GetObjectItem(data, "devices");
	const cJSON *ports = cJSON_GetObjectItem(data, "ports");
	const cJSON *d, *p;

	/* six devices: root hubs are not devices */
	assert_int_equal(cJSON_GetArraySize(devs), 6);
	d = item(devs, "port_path", "1-1.3"); /* behind the hub */
	assert_string_equal(cbd_tb_str(d, "vendor_id"), "046d");
	assert_string_equal(cbd_tb_str(d, "product_id"), "c077");
	assert_string_equal(cbd_tb_str(d, "product"), "USB Optical Mouse");
	assert_true(cbd_tb_num(d, "speed_mbps") == 12);
	assert_string_equal(cbd_tb_str(d, "root_port"), "usb1-port1");
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(d, "internal")));
	d = item(devs, "port_path", "2-2");
	assert_true(cbd_tb_num(d, "speed_mbps") == 5000);
	assert_string_equal(cbd_tb_str(d, "vendor"), "SanDisk");
	d = item(devs, "port_path", "1-3"); /* the camera: hardwired and fixed */
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(d, "internal")));
	assert_int_equal((int)cbd_tb_num(d, "class"), 0xef);
	d = item(devs, "port_path", "1-4"); /* Bluetooth: hardwired, no strings of its own */
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(d, "internal")));
	/* a USB 3 device at 480 Mb/s on the second USB-A connector, a SuperSpeed one */
	d = item(devs, "port_path", "1-6");
	assert_true(cbd_tb_num(d, "speed_mbps") == 480);
	assert_string_equal(cbd_tb_str(d, "root_port"), "usb1-port6");
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(d, "internal")));
	assert_true(cbd_tb_has_finding(usb, "usb.superspeed_device_slow", "info"));

	/* two USB-C and two USB-A connectors (pairs) and two hardwired USB2 ports */
	assert_int_equal(cJSON_GetArraySize(ports), 10);
	p = item(ports, "port", "usb2-port6");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(p, "superspeed")));
	assert_string_equal(cbd_tb_str(p, "peer"), "usb1-port6");
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(p, "connector")));
	p = item(ports, "port", "usb2-port5");
	assert_string_equal(cbd_tb_str(p, "connector"), "port1");
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(p, "device")));
	p = item(ports, "port", "usb2-port2");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(p, "superspeed")));
	assert_string_equal(cbd_tb_str(p, "peer"), "usb1-port2");
	assert_string_equal(cbd_tb_str(p, "connector"), "port0");
	assert_string_equal(cbd_tb_str(p, "device"), "2-2");
	p = item(ports, "port", "usb1-port3");
	assert_string_equal(cbd_tb_str(p, "connect_type"), "hardwired");
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(p, "superspeed")));

	/* Type-C: port0 (the USB-C port, wired to usb2-port2) with a PD partner, port1 empty */
	{
		cJSON *tc = cJSON_GetObjectItem(cJSON_GetObjectItem(usb, "data"), "typec");
		cJSON *t0 = cJSON_GetArrayItem(tc, 0), *t1 = cJSON_GetArrayItem(tc, 1);

		assert_int_equal(cJSON_GetArraySize(tc), 2);
		assert_string_equal(cbd_tb_str(t0, "port"), "port0");
		assert_string_equal(cbd_tb_str(t0, "data_role"), "host");
		assert_string_equal(cbd_tb_str(t0, "power_role"), "source");
		assert_string_equal(cbd_tb_str(t0, "power_operation_mode"), "usb_power_delivery");
		assert_string_equal(cbd_tb_str(t0, "pd_revision"), "3.0");
		assert_string_equal(cbd_tb_str(t0, "orientation"), "normal");
		assert_string_equal(
			cJSON_GetArrayItem(cJSON_GetObjectItem(t0, "usb_ports"), 0)->valuestring,
			"usb2-port2");
		assert_string_equal(cbd_tb_str(cJSON_GetObjectItem(t0, "partner"), "supports_pd"),
				    "yes");
		assert_true(cJSON_IsNull(cJSON_GetObjectItem(t0, "cable")));
		assert_true(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(t0, "charger"), "online")));
		assert_string_equal(cbd_tb_str(cJSON_GetObjectItem(t0, "charger"), "type"), "PD");
		assert_true(cbd_tb_num(cJSON_GetObjectItem(t0, "charger"), "voltage_v") == 20);
		assert_true(cbd_tb_num(cJSON_GetObjectItem(t0, "charger"), "current_max_a") == 3);
		assert_true(cJSON_IsNull(cJSON_GetObjectItem(t1, "charger")));
		assert_string_equal(cbd_tb_str(t1, "data_role"), "device");
		assert_string_equal(cbd_tb_str(t1, "power_role"), "sink");
		assert_true(cJSON_IsNull(cJSON_GetObjectItem(t1, "partner")));
		assert_string_equal(
			cJSON_GetArrayItem(cJSON_GetObjectItem(t1, "usb_ports"), 0)->valuestring,
			"usb2-port5");
	}
	/* the kernel log: three failures to enumerate on the USB-A port, from /dev/kmsg */
	{
		cJSON *errs = cJSON_GetObjectItem(data, "enumeration_errors");
		cJSON *e = cJSON_GetArrayItem(errs, 0);

		assert_string_equal(cbd_tb_str(data, "kernel_log"), "read");
		assert_int_equal(cJSON_GetArraySize(errs), 1);
		assert_string_equal(cbd_tb_str(e, "port"), "usb1-port2");
		assert_true(cbd_tb_num(e, "count") == 3);
		assert_true(cbd_tb_num(e, "last_seconds_since_boot") == 3);
	}

	/* two over-current events on the USB-C port, enumeration errors on the USB-A
	 * port: warn, exit 0; the summary is a warning's, not the hint's */
	assert_string_equal(cbd_tb_str(usb, "status"), "warn");
	/* no _PLD in this bed: the EC's number names the USB-C connector */
	assert_string_equal(cbd_tb_str(usb, "summary"),
			    "Power to the USB-C port 1 was cut to protect it (2 times)");
	assert_true(cbd_tb_has_finding(usb, "usb.over_current", "warn"));
	assert_true(cbd_tb_has_finding(usb, "usb.enumeration_errors", "warn"));
	assert_int_equal(rc, 0);
	cJSON_Delete(root);
	g_object_unref(tb);
}

static const char *
finding_message(const cJSON *probe, const char *code)
{
	const cJSON *f;

	cJSON_ArrayForEach(f, cJSON_GetObjectItem(probe, "findings"))
		if (strcmp(cbd_tb_str(f, "code"), code) == 0)
			return cbd_tb_str(f, "message");
	fail_msg("no finding %s", code);
	return NULL;
}

/* The same machine with the firmware's _PLD (the kernel's physical_location/)
 * on its ports: every connector named by where it is, in the findings and in
 * the port test's data, the kernel's names kept for staff only. Interactive
 * with nobody at the keyboard (stdin empty): the port test says so and lists
 * every port untested, by name. */
static void
test_chromebook_usb_place_names(void **state)
{
	static const char *const args[] = {"--interactive", "--probe", "usb", NULL};
	UMockdevTestbed *tb = cbd_testbed_new("chromebook-usb-pld");
	int rc;
	cJSON *root = cbd_testbed_run_report_raw(&rc, args);
	const cJSON *usb = cJSON_GetObjectItem(cJSON_GetObjectItem(root, "probes"), "usb");
	const cJSON *pt = cJSON_GetObjectItem(cJSON_GetObjectItem(usb, "data"), "port_test");
	const cJSON *ports = cJSON_GetObjectItem(pt, "ports");
	static const char *const want[][3] = {
		{"right USB-A port (lower)", "usb1-port1/usb2-port1", "firmware"},
		{"left USB-C port", "usb1-port2/usb2-port2", "firmware"},
		/* its USB ports have no _PLD, its Type-C port has */
		{"right USB-C port", "usb1-port5/usb2-port5", "firmware"},
		{"right USB-A port (upper)", "usb1-port6/usb2-port6", "firmware"},
	};
	const cJSON *f;

	assert_int_equal(cJSON_GetArraySize(ports), 4);
	for (int i = 0; i < 4; i++) {
		const cJSON *p = cJSON_GetArrayItem(ports, i);

		assert_string_equal(cbd_tb_str(p, "label"), want[i][0]);
		assert_string_equal(cbd_tb_str(p, "kernel_name"), want[i][1]);
		assert_string_equal(cbd_tb_str(p, "named_by"), want[i][2]);
		assert_string_equal(cbd_tb_str(p, "result"), "skip");
	}
	assert_string_equal(cbd_tb_str(pt, "result"), "skip");
	assert_string_equal(cbd_tb_str(pt, "reason"), "nobody answered: no keyboard input");
	assert_string_equal(finding_message(usb, "usb.over_current"),
			    "Power to the left USB-C port was cut to protect it (2 times)");
	assert_string_equal(finding_message(usb, "usb.enumeration_errors"),
			    "A device in the left USB-C port failed to start 3 times since the "
			    "machine was switched on");
	assert_string_equal(finding_message(usb, "usb.superspeed_device_slow"),
			    "The fast USB device \"USB 10/100/1000 LAN\" runs slowly in the "
			    "right USB-A port (upper)");
	/* no kernel port name in anything the intern reads */
	cJSON_ArrayForEach(f, cJSON_GetObjectItem(usb, "findings"))
	{
		assert_null(strstr(cbd_tb_str(f, "message"), "-port"));
		assert_null(strstr(cbd_tb_str(f, "action"), "-port"));
	}
	assert_true(cbd_tb_has_finding(usb, "usb.port_not_tested", "info"));
	assert_null(strstr(cbd_tb_str(usb, "summary"), "-port"));
	cJSON_Delete(root);
	g_object_unref(tb);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chromebook_usb),
		cmocka_unit_test(test_chromebook_usb_place_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
