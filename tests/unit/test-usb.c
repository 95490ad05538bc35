/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The usb probe's pure half: names, speeds and the verdicts, from literals. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "doc-json.h"
#include "usb.h"

static cJSON *
judge_pt(const struct cbd_usb_raw *raw, bool laptop, const struct cbd_usb_port_test *pt,
	 struct cbd_result **ret)
{
	struct cbd_result *r = cbd_result_new();
	cJSON *all, *data;

	cbd_usb_judge(raw, laptop, NULL, pt, r);
	all = cbd_result_to_cjson(r);
	data = cJSON_DetachItemFromObject(all, "data");
	cJSON_Delete(all);
	*ret = r;
	return data;
}

static cJSON *
judge(const struct cbd_usb_raw *raw, bool laptop, bool interactive, struct cbd_result **ret)
{
	struct cbd_usb_port_test pt = {.timeout_s = 60, .source = "kernel"};
	cJSON *j;

	if (!interactive)
		return judge_pt(raw, laptop, NULL, ret);
	pt.n = cbd_usb_connectors(raw, NULL, &pt.conn);
	pt.outcome = calloc(pt.n + 1, sizeof(*pt.outcome));
	for (size_t i = 0; i < pt.n; i++)
		pt.outcome[i].result = pt.conn[i].in_use[0] ? CBD_PORT_IN_USE : CBD_PORT_SKIPPED;
	j = judge_pt(raw, laptop, &pt, ret);
	cbd_usb_port_test_clear(&pt);
	return j;
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
	/* by the connector's name (a Type-C link: USB-C; the EC's port0 is port 1) */
	assert_string_equal(r->findings[0].message,
			    "Power to the USB-C port 1 was cut to protect it (3 times)");
	cJSON_Delete(j);
	cbd_result_free(r);

	port[2].over_current = 0;
	j = judge(&raw, true, true, &r);
	assert_int_equal(r->status, CBD_STATUS_PASS);
	assert_string_equal(r->summary, "2 USB devices (1 external), 3 ports (2 in use)");
	/* interactive, every port skipped or in use: the plug test says skip, never pass */
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "port_test"), "result")
				    ->valuestring,
			    "skip");
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "port_test"), "reason")
				    ->valuestring,
			    "no port was tested (skipped or in use)");
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

/* A Chromebook: two USB-C (USB2+USB3 pairs, Type-C links, left and right),
 * one USB-A without a SuperSpeed side, a hardwired camera, an unused port. */
static struct cbd_usb_port_raw chromebook_ports[] = {
	{.name = "usb1-port1", .bus = 1, .port = 1, .connect_type = "hotplug", .peer = "usb2-port1",
	 .connector = "port0", .panel = "left"},
	{.name = "usb1-port2", .bus = 1, .port = 2, .connect_type = "hotplug", .peer = "usb2-port2",
	 .connector = "port1", .panel = "right"},
	{.name = "usb1-port3", .bus = 1, .port = 3, .connect_type = "hotplug", .panel = "right",
	 .device = "1-3"},
	{.name = "usb1-port5", .bus = 1, .port = 5, .connect_type = "hardwired", .device = "1-5"},
	{.name = "usb1-port6", .bus = 1, .port = 6, .connect_type = "not used"},
	{.name = "usb2-port1", .bus = 2, .port = 1, .superspeed = true, .connect_type = "hotplug",
	 .peer = "usb1-port1", .connector = "port0", .panel = "left"},
	{.name = "usb2-port2", .bus = 2, .port = 2, .superspeed = true, .connect_type = "hotplug",
	 .peer = "usb1-port2", .connector = "port1", .panel = "right"},
	/* the SuperSpeed side of a USB-A port without a peer link, no _PLD */
	{.name = "usb2-port4", .bus = 2, .port = 4, .superspeed = true, .connect_type = ""},
};

/* its Type-C class (the ports are USB-C; the others, then, USB-A) */
static struct cbd_usb_typec_raw chromebook_typec[] = {{.name = "port0"}, {.name = "port1"}};

/* A connector as the reading half leaves it, for the naming function */
static struct cbd_usb_connector
conn(const char *usb2, bool typec, int typec_port, const char *panel, const char *vpos,
     const char *hpos)
{
	struct cbd_usb_connector c = {.typec = typec, .kind_known = true, .typec_port = typec_port};

	snprintf(c.usb2, sizeof(c.usb2), "%s", usb2);
	snprintf(c.panel, sizeof(c.panel), "%s", panel);
	snprintf(c.vpos, sizeof(c.vpos), "%s", vpos);
	snprintf(c.hpos, sizeof(c.hpos), "%s", hpos);
	return c;
}

static void
test_port_names(void **state)
{
	static const struct cbd_usb_board_port profile[] = {
		{"Testboard", "usb1-port7", "left USB-A port"},
		{"otherboard", "usb1-port1", "wrong board"},
	};
	struct cbd_usb_connector v[] = {
		conn("usb1-port1", true, 0, "left", "", ""),          /* the firmware's panel */
		conn("usb1-port2", false, -1, "right", "upper", ""),  /* two on the right, */
		conn("usb1-port3", false, -1, "right", "lower", ""),  /* one above the other */
		conn("usb1-port4", true, 1, "back", "", "left"),      /* two on the back, */
		conn("usb1-port5", true, -1, "back", "", "right"),    /* side by side */
		conn("usb1-port6", true, 3, "unknown", "", ""),       /* the EC's number only */
		conn("usb1-port7", false, -1, "", "", ""),            /* the board profile */
		conn("usb1-port8", false, -1, "", "", ""),            /* nothing at all */
		conn("usb1-port9", false, -1, "left", "", "left"),    /* two on the left, */
		conn("usb1-port10", false, -1, "left", "", "right"),  /* no way to tell apart */
		conn("usb1-port11", true, -1, "front", "", ""),
	};
	struct cbd_usb_connector w[2];

	v[10].dock = true;
	cbd_usb_name_connectors(v, CBD_ARRAY_SIZE(v), "testboard", profile,
				CBD_ARRAY_SIZE(profile));
	assert_string_equal(v[0].label, "left USB-C port");
	assert_string_equal(v[1].label, "right USB-A port (upper)");
	assert_string_equal(v[2].label, "right USB-A port (lower)");
	assert_string_equal(v[3].label, "USB-C port on the back (left side)");
	assert_string_equal(v[4].label, "USB-C port on the back (right side)");
	assert_string_equal(v[5].label, "USB-C port 4");
	assert_string_equal(v[5].named_by, "Type-C port number");
	/* the profile's name, and then the left ones are three: told apart by order */
	assert_string_equal(v[6].label, "left USB-A port (first)");
	assert_string_equal(v[6].named_by, "board profile");
	assert_string_equal(v[7].label, "USB-A port 1");
	assert_string_equal(v[7].named_by, "order");
	/* horizontal positions on a side panel depend on which way one faces it */
	assert_string_equal(v[8].label, "left USB-A port (second)");
	assert_string_equal(v[9].label, "left USB-A port (third)");
	assert_string_equal(v[10].label, "USB-C port on the dock");
	for (size_t i = 0; i < CBD_ARRAY_SIZE(v); i++) {
		assert_null(strstr(v[i].label, "usb1"));
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(v[i].label, v[j].label);
	}
	/* no board, or another board: the profile is not used */
	w[0] = conn("usb1-port7", false, -1, "", "", "");
	w[1] = conn("usb1-port1", false, -1, "", "", "");
	cbd_usb_name_connectors(w, 2, NULL, profile, CBD_ARRAY_SIZE(profile));
	assert_string_equal(w[0].label, "USB-A port 1");
	assert_string_equal(w[1].label, "USB-A port 2");
	/* a numbered name the firmware gave already is not given twice */
	w[0] = conn("usb1-port1", true, 0, "", "", "");
	w[1] = conn("usb1-port2", true, -1, "", "", "");
	cbd_usb_name_connectors(w, 2, "", profile, CBD_ARRAY_SIZE(profile));
	assert_string_equal(w[0].label, "USB-C port 1");
	assert_string_equal(w[1].label, "USB-C port 2");
	/* the shipped table is empty until a model is checked */
	assert_int_equal(cbd_usb_n_board_ports, 0);
}

static void
test_connectors(void **state)
{
	struct cbd_usb_raw raw = {.port = chromebook_ports,
				  .n_port = CBD_ARRAY_SIZE(chromebook_ports),
				  .typec = chromebook_typec,
				  .n_typec = CBD_ARRAY_SIZE(chromebook_typec)};
	struct cbd_usb_connector *c = NULL;
	size_t n = cbd_usb_connectors(&raw, NULL, &c);
	char buf[32];

	assert_int_equal(n, 4); /* the camera's and the unused port are not connectors */
	assert_string_equal(c[0].label, "left USB-C port");
	assert_string_equal(c[0].usb2, "usb1-port1");
	assert_string_equal(c[0].usb3, "usb2-port1");
	assert_true(c[0].superspeed && c[0].typec);
	assert_string_equal(c[1].label, "right USB-C port");
	assert_string_equal(c[2].label, "right USB-A port");
	assert_false(c[2].superspeed);
	assert_string_equal(c[2].in_use, "1-3");
	assert_string_equal(c[0].kernel_name, "usb1-port1/usb2-port1");
	assert_string_equal(c[0].named_by, "firmware");
	assert_int_equal(c[0].typec_port, 0);
	/* nothing known about it: numbered in the firmware's order */
	assert_string_equal(c[3].label, "USB-A port 1");
	assert_string_equal(c[3].named_by, "order");
	assert_string_equal(c[3].kernel_name, "usb2-port4");
	free(c);
	/* without the Type-C class, USB-A cannot be told from a USB-C port
	 * whose link the firmware left out: plain "USB port" */
	raw.n_typec = 0;
	n = cbd_usb_connectors(&raw, NULL, &c);
	assert_string_equal(c[0].label, "left USB-C port");
	assert_string_equal(c[2].label, "right USB port");
	assert_string_equal(c[3].label, "USB port 1");
	free(c);
	raw.n_typec = CBD_ARRAY_SIZE(chromebook_typec);
	/* a Type-C class, but no USB port linked to it (firmware that does not
	 * say): USB-A cannot be told either */
	{
		struct cbd_usb_port_raw unlinked[] = {
			{.name = "usb1-port1", .bus = 1, .port = 1, .connect_type = "hotplug"},
			{.name = "usb1-port2", .bus = 1, .port = 2, .connect_type = "hotplug"},
		};
		struct cbd_usb_raw r2 = {.port = unlinked, .n_port = 2, .typec = chromebook_typec,
					 .n_typec = CBD_ARRAY_SIZE(chromebook_typec)};

		n = cbd_usb_connectors(&r2, NULL, &c);
		assert_int_equal(n, 2);
		assert_string_equal(c[0].label, "USB port 1");
		assert_string_equal(c[1].label, "USB port 2");
		free(c);
	}
	/* nothing known of two: numbered, no kernel names in either */
	snprintf(chromebook_ports[2].panel, sizeof(chromebook_ports[2].panel), "%s", "");
	snprintf(chromebook_ports[7].name, sizeof(chromebook_ports[7].name), "%s", "usb2-port3");
	chromebook_ports[7].port = 3;
	n = cbd_usb_connectors(&raw, NULL, &c);
	assert_int_equal(n, 4);
	assert_string_equal(c[2].label, "USB-A port 1");
	assert_string_equal(c[3].label, "USB-A port 2");
	snprintf(chromebook_ports[2].panel, sizeof(chromebook_ports[2].panel), "%s", "right");
	snprintf(chromebook_ports[7].name, sizeof(chromebook_ports[7].name), "%s", "usb2-port4");
	chromebook_ports[7].port = 4;
	assert_string_equal(c[3].usb2, "");
	assert_true(c[3].superspeed);
	free(c);

	assert_true(cbd_usb_root_port_of("2-1", buf, sizeof(buf)));
	assert_string_equal(buf, "usb2-port1");
	assert_true(cbd_usb_root_port_of("1-3.2.1", buf, sizeof(buf)));
	assert_string_equal(buf, "usb1-port3");
	assert_false(cbd_usb_root_port_of("1-3:1.0", buf, sizeof(buf)));
	assert_false(cbd_usb_root_port_of("usb1", buf, sizeof(buf)));
	assert_false(cbd_usb_root_port_of("1-x", buf, sizeof(buf)));
}

static cJSON *
port_json(cJSON *data, size_t i)
{
	return cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(data, "port_test"), "ports"),
				  (int)i);
}

static const char *
jstr(cJSON *o, const char *key)
{
	cJSON *v = cJSON_GetObjectItem(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void
test_port_test_verdicts(void **state)
{
	struct cbd_usb_raw raw = {.port = chromebook_ports,
				  .n_port = CBD_ARRAY_SIZE(chromebook_ports),
				  .typec = chromebook_typec,
				  .n_typec = CBD_ARRAY_SIZE(chromebook_typec)};
	struct cbd_usb_port_test pt = {.timeout_s = 60, .source = "kernel"};
	struct cbd_result *r;
	cJSON *j;

	pt.n = cbd_usb_connectors(&raw, NULL, &pt.conn);
	pt.outcome = calloc(pt.n, sizeof(*pt.outcome));
	/* left USB-C: 5 Gb/s both ways round */
	pt.outcome[0] = (struct cbd_usb_port_outcome){
		.result = CBD_PORT_PASS, .device = "2-1", .speed_mbps = 5000, .vid = "0781",
		.pid = "5583", .flip_speed_mbps = 5000};
	/* right USB-C: the stick came up at 480 */
	pt.outcome[1] = (struct cbd_usb_port_outcome){.result = CBD_PORT_SLOW, .device = "1-2",
						      .speed_mbps = 480, .flip_speed_mbps = -1};
	pt.outcome[2] = (struct cbd_usb_port_outcome){.result = CBD_PORT_IN_USE};
	/* USB port 4: nothing, though the stick was seen elsewhere */
	pt.outcome[3] = (struct cbd_usb_port_outcome){
		.result = CBD_PORT_NOTHING, .elsewhere = "usb1-port1",
		.elsewhere_label = "left USB-C port"};
	j = judge_pt(&raw, true, &pt, &r);
	assert_int_equal(r->status, CBD_STATUS_FAIL);
	assert_string_equal(jstr(cJSON_GetObjectItem(j, "port_test"), "result"), "fail");
	assert_string_equal(jstr(cJSON_GetObjectItem(j, "port_test"), "events"), "kernel");
	assert_string_equal(jstr(port_json(j, 0), "result"), "pass");
	assert_true(cJSON_GetObjectItem(port_json(j, 0), "speed_mbps")->valuedouble == 5000);
	assert_string_equal(jstr(port_json(j, 0), "vendor_id"), "0781");
	assert_string_equal(jstr(port_json(j, 1), "result"), "fail");
	assert_string_equal(jstr(port_json(j, 1), "reason"),
			    "the stick came up at 480 Mb/s on a SuperSpeed port");
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(port_json(j, 1), "flipped_speed_mbps")));
	assert_string_equal(jstr(port_json(j, 2), "result"), "skip");
	assert_string_equal(jstr(port_json(j, 2), "reason"), "in use by 1-3: not tested");
	assert_string_equal(jstr(port_json(j, 3), "reason"),
			    "nothing arrived in 60 s; the stick was seen on the left USB-C port "
			    "(usb1-port1)");
	assert_string_equal(jstr(port_json(j, 0), "kernel_name"), "usb1-port1/usb2-port1");
	assert_string_equal(jstr(port_json(j, 0), "label"), "left USB-C port");
	/* the port with something in it is listed, with why, for the text report */
	assert_non_null(cbd_result_find_finding(r, "usb.port_not_tested"));
	assert_string_equal(cbd_result_find_finding(r, "usb.port_not_tested")->message,
			    "The right USB-A port was not tested: something was plugged into it");
	assert_true(cbd_result_find_finding(r, "usb.port_usb2_only") != NULL);
	assert_true(cbd_result_find_finding(r, "usb.port_dead") != NULL);
	assert_null(cbd_result_find_finding(r, "usb.port_orientation"));
	assert_non_null(strstr(cbd_result_find_finding(r, "usb.port_usb2_only")->message,
			       "right USB-C port works, but only at slow speed"));
	cJSON_Delete(j);
	cbd_result_free(r);

	/* everything fine except the left port turned over: fail, orientation */
	pt.outcome[1] = (struct cbd_usb_port_outcome){.result = CBD_PORT_SKIPPED,
						      .flip_speed_mbps = -1};
	pt.outcome[3] = (struct cbd_usb_port_outcome){.result = CBD_PORT_PASS, .device = "2-4",
						      .speed_mbps = 5000};
	pt.outcome[0].flip_speed_mbps = 480;
	j = judge_pt(&raw, true, &pt, &r);
	assert_int_equal(r->status, CBD_STATUS_FAIL);
	assert_string_equal(jstr(port_json(j, 0), "result"), "fail");
	assert_string_equal(jstr(port_json(j, 1), "reason"), "skipped by the intern");
	{
		bool seen = false;

		for (size_t i = 0; i < r->n_findings; i++)
			seen = seen || streq(r->findings[i].message,
					     "The right USB-C port was not tested: you skipped it");
		assert_true(seen);
	}
	assert_non_null(cbd_result_find_finding(r, "usb.port_orientation"));
	cJSON_Delete(j);
	cbd_result_free(r);

	/* and both ways round at 5 Gb/s: the plug test passes */
	pt.outcome[0].flip_speed_mbps = 5000;
	j = judge_pt(&raw, true, &pt, &r);
	assert_int_equal(r->status, CBD_STATUS_PASS);
	assert_string_equal(jstr(cJSON_GetObjectItem(j, "port_test"), "result"), "pass");
	cJSON_Delete(j);
	cbd_result_free(r);

	/* the monitor could not start: skip with the reason, not pass */
	snprintf(pt.error, sizeof(pt.error), "cannot watch USB arrivals: Permission denied");
	for (size_t i = 0; i < pt.n; i++)
		pt.outcome[i] = (struct cbd_usb_port_outcome){.result = CBD_PORT_SKIPPED};
	j = judge_pt(&raw, true, &pt, &r);
	assert_string_equal(jstr(cJSON_GetObjectItem(j, "port_test"), "result"), "skip");
	assert_string_equal(jstr(cJSON_GetObjectItem(j, "port_test"), "reason"),
			    "cannot watch USB arrivals: Permission denied");
	cJSON_Delete(j);
	cbd_result_free(r);
	cbd_usb_port_test_clear(&pt);
}

static void
test_enumeration_errors(void **state)
{
	static const struct {
		const char *msg, *where;
	} cases[] = {
		{"usb 1-2: device descriptor read/64, error -71", "usb1-port2"},
		{"usb usb1-port2: unable to enumerate USB device", "usb1-port2"},
		{"usb 2-1: device not accepting address 3, error -62", "usb2-port1"},
		{"usb usb3-port4: attempt power cycle", "usb3-port4"},
		{"usb 1-1.3: device descriptor read/8, error -110", "1-1.3"},
		{"usb 1-1: new high-speed USB device number 2 using xhci_hcd", NULL},
		{"usb 1-1: USB disconnect, device number 2", NULL},
		{"usb: device descriptor read", NULL},
		{"usbcore: registered new interface driver usbfs", NULL},
		{"usb : device descriptor read", NULL},
		{"", NULL},
	};
	struct cbd_hw_kmsg_rec recs[] = {
		{1000000, (char *)"usb 1-2: device descriptor read/64, error -71"},
		{2000000, (char *)"usb 1-2: new full-speed USB device number 3 using xhci_hcd"},
		{3000000, (char *)"usb 1-2: device descriptor read/64, error -71"},
		{4500000, (char *)"usb usb1-port2: unable to enumerate USB device"},
	};
	struct cbd_usb_raw raw = {.port = chromebook_ports,
				  .n_port = CBD_ARRAY_SIZE(chromebook_ports), .kmsg = recs,
				  .n_kmsg = CBD_ARRAY_SIZE(recs)};
	struct cbd_result *r;
	cJSON *j, *e;

	for (size_t i = 0; i < CBD_ARRAY_SIZE(cases); i++) {
		char where[32] = "", what[96] = "";
		bool hit = cbd_usb_enum_error(cases[i].msg, where, sizeof(where), what, sizeof(what));

		assert_int_equal(hit, cases[i].where != NULL);
		if (hit)
			assert_string_equal(where, cases[i].where);
	}
	j = judge(&raw, true, false, &r);
	e = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "enumeration_errors"), 0);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "enumeration_errors")), 1);
	assert_string_equal(jstr(e, "port"), "usb1-port2");
	assert_int_equal(cJSON_GetObjectItem(e, "count")->valueint, 3);
	assert_string_equal(jstr(e, "last"), "unable to enumerate USB device");
	assert_true(cJSON_GetObjectItem(e, "last_seconds_since_boot")->valuedouble == 4.5);
	assert_string_equal(jstr(j, "kernel_log"), "read");
	assert_int_equal(r->status, CBD_STATUS_WARN);
	assert_non_null(strstr(cbd_result_find_finding(r, "usb.enumeration_errors")->message,
			       "A device in the right USB-C port failed to start 3 times"));
	assert_null(strstr(cbd_result_find_finding(r, "usb.enumeration_errors")->message, "usb1"));
	assert_string_equal(jstr(e, "label"), "the right USB-C port");
	cJSON_Delete(j);
	cbd_result_free(r);

	raw.n_kmsg = 0;
	raw.kmsg_err = -EPERM;
	j = judge(&raw, true, false, &r);
	assert_string_equal(jstr(j, "kernel_log"), "not readable without root");
	assert_null(cbd_result_find_finding(r, "usb.enumeration_errors"));
	cJSON_Delete(j);
	cbd_result_free(r);
}

static void
test_usb_ids(void **state)
{
	/* the usb.ids format: vendors, their products, interfaces, then class tables */
	static const char ids[] = "# comment\n"
				  "#\n"
				  "0781  SanDisk Corp.\n"
				  "\t5567  Cruzer Blade\n"
				  "\t5581  Ultra\n"
				  "\t\t0001  an interface line, not a product\n"
				  "0c45  Microdia\n"
				  "\t6a05  Webcam\n"
				  "8087  Intel Corp.\n"
				  "\t0026  AX201 Bluetooth\n"
				  "C 03  Human Interface Device\n"
				  "\t0026  a class line, not Intel's\n"
				  "ffff  last vendor, no newline";
	char v[64], m[64];

	cbd_usb_ids_lookup(ids, strlen(ids), 0x0781, 0x5581, v, sizeof(v), m, sizeof(m));
	assert_string_equal(v, "SanDisk Corp.");
	assert_string_equal(m, "Ultra");
	cbd_usb_ids_lookup(ids, strlen(ids), 0x8087, 0x0026, v, sizeof(v), m, sizeof(m));
	assert_string_equal(v, "Intel Corp.");
	assert_string_equal(m, "AX201 Bluetooth");
	/* a known vendor, unknown product; an interface id is not a product */
	cbd_usb_ids_lookup(ids, strlen(ids), 0x0781, 0x0001, v, sizeof(v), m, sizeof(m));
	assert_string_equal(v, "SanDisk Corp.");
	assert_string_equal(m, "");
	cbd_usb_ids_lookup(ids, strlen(ids), 0x1234, 0x0026, v, sizeof(v), m, sizeof(m));
	assert_string_equal(v, "");
	assert_string_equal(m, "");
	cbd_usb_ids_lookup(ids, strlen(ids), 0xffff, 0x0000, v, sizeof(v), m, sizeof(m));
	assert_string_equal(v, "last vendor, no newline");
	/* truncated lines and a tiny buffer */
	cbd_usb_ids_lookup("0781", 4, 0x0781, 0x5581, v, sizeof(v), m, sizeof(m));
	assert_string_equal(v, "");
	cbd_usb_ids_lookup(ids, strlen(ids), 0x0781, 0x5581, v, 4, m, sizeof(m));
	assert_string_equal(v, "San");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_usb_ids),
		cmocka_unit_test(test_enumeration_errors),
		cmocka_unit_test(test_connectors),
		cmocka_unit_test(test_port_names),
		cmocka_unit_test(test_port_test_verdicts),
		cmocka_unit_test(test_names_and_speeds),
		cmocka_unit_test(test_devices_and_ports),
		cmocka_unit_test(test_no_controller),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
