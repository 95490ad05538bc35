/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The usb probe's pure half: names, speeds and the verdicts, from literals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "report-private.h"
#include "usb.h"

static cJSON *
judge(const struct cbd_usb_raw *raw, bool laptop, bool interactive, struct cbd_result **ret)
{
	struct cbd_result *r = cbd_result_new();
	cJSON *all, *data;

	cbd_usb_judge(raw, laptop, interactive, r);
	all = cbd_result_to_cjson(r);
	data = cJSON_DetachItemFromObject(all, "data");
	cJSON_Delete(all);
	*ret = r;
	return data;
}

static void
test_names_and_speeds(void **state)
{
	const uint8_t ports[] = {2, 3, 1};
	char buf[32];

	cbd_usb_sysfs_name(1, ports, 3, buf, sizeof(buf));
	assert_string_equal(buf, "1-2.3.1");
	cbd_usb_sysfs_name(3, ports, 1, buf, sizeof(buf));
	assert_string_equal(buf, "3-2");
	cbd_usb_sysfs_name(2, ports, 0, buf, sizeof(buf));
	assert_string_equal(buf, "usb2");
	assert_true(cbd_usb_speed_mbps(1500) == 1.5);
	assert_true(cbd_usb_speed_mbps(480000) == 480);
	assert_true(cbd_usb_speed_mbps(5000000) == 5000);
}

static void
test_devices_and_ports(void **state)
{
	struct cbd_usb_dev_raw dev[2] = {
		{.hw = {.bus = 1, .address = 2, .ports = {1}, .n_ports = 1, .speed_kbps = 480000,
			.vid = 0x0627, .pid = 0x0001, .desc_ok = true},
		 .name = "1-1", .product = "QEMU USB Keyboard", .manufacturer = "QEMU",
		 .root_port = "usb1-port1"},
		/* a camera on a hardwired port, no strings: the hwdb names it */
		{.hw = {.bus = 1, .address = 3, .ports = {5}, .n_ports = 1, .speed_kbps = 480000,
			.vid = 0x0c45, .pid = 0x6a05, .dev_class = 0xef, .desc_ok = true},
		 .name = "1-5", .hwdb_vendor = "Microdia", .hwdb_model = "Webcam",
		 .root_port = "usb1-port5"},
	};
	struct cbd_usb_port_raw port[3] = {
		{.name = "usb1-port1", .bus = 1, .port = 1, .connect_type = "hotplug",
		 .over_current = 0, .peer = "usb2-port1", .device = "1-1"},
		{.name = "usb1-port5", .bus = 1, .port = 5, .connect_type = "hardwired",
		 .over_current = 0, .device = "1-5"},
		{.name = "usb2-port1", .bus = 2, .port = 1, .superspeed = true,
		 .connect_type = "hotplug", .over_current = 3, .peer = "usb1-port1",
		 .connector = "port0"},
	};
	struct cbd_usb_raw raw = {.dev = dev, .n_dev = 2, .port = port, .n_port = 3, .hwdb = true};
	struct cbd_result *r;
	cJSON *j = judge(&raw, true, false, &r), *d0, *d1, *p2;

	d0 = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "devices"), 0);
	d1 = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "devices"), 1);
	assert_string_equal(cJSON_GetObjectItem(d0, "port_path")->valuestring, "1-1");
	assert_string_equal(cJSON_GetObjectItem(d0, "vendor_id")->valuestring, "0627");
	assert_string_equal(cJSON_GetObjectItem(d0, "product")->valuestring, "QEMU USB Keyboard");
	assert_true(cJSON_GetObjectItem(d0, "speed_mbps")->valuedouble == 480);
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(d0, "internal")));
	assert_string_equal(cJSON_GetObjectItem(d1, "vendor")->valuestring, "Microdia");
	assert_string_equal(cJSON_GetObjectItem(d1, "product")->valuestring, "Webcam");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(d1, "internal"))); /* hardwired port */
	p2 = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "ports"), 2);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(p2, "superspeed")));
	assert_string_equal(cJSON_GetObjectItem(p2, "connector")->valuestring, "port0");
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(p2, "device")));
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(j, "port_test")));
	/* over-current on a port: warn, with the port named */
	assert_int_equal(r->status, CBD_STATUS_WARN);
	assert_string_equal(r->findings[0].code, "usb.over_current");
	assert_non_null(strstr(r->findings[0].message, "usb2-port1 has reported 3 over-current"));
	cJSON_Delete(j);
	cbd_result_free(r);

	port[2].over_current = 0;
	j = judge(&raw, true, true, &r);
	assert_int_equal(r->status, CBD_STATUS_PASS);
	assert_string_equal(r->summary, "2 USB devices (1 external), 3 ports (2 in use)");
	/* interactive: the plug test says it is not there, never pass */
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "port_test"), "result")
				    ->valuestring,
			    "skip");
	cJSON_Delete(j);
	cbd_result_free(r);
}

static void
test_no_controller(void **state)
{
	struct cbd_usb_raw raw = {.list_err = -19};
	struct cbd_result *r;
	cJSON *j = judge(&raw, true, false, &r);

	assert_int_equal(r->status, CBD_STATUS_WARN); /* a Chromebook always has xHCI */
	assert_string_equal(r->findings[0].code, "usb.no_controller");
	cJSON_Delete(j);
	cbd_result_free(r);
	raw.list_err = 0;
	j = judge(&raw, false, false, &r); /* a VM or desktop: nothing to judge */
	assert_int_equal(r->status, CBD_STATUS_SKIP);
	cJSON_Delete(j);
	cbd_result_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_and_speeds),
		cmocka_unit_test(test_devices_and_ports),
		cmocka_unit_test(test_no_controller),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
