/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Small valid reports built in memory, for the review tests (test-html.c,
 * test-diff.c, test-fleet.c). Public headers only. */
#pragma once

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "doc-json.h"
#include "review.h"

/* A valid report: one device, a battery probe with given health and status,
 * and a keyboard probe. */
static inline cJSON *
report(const char *serial, const char *model, const char *when, double health,
       const char *bat_status, const char *kbd_status)
{
	cJSON *r = cJSON_CreateObject(), *dev, *probes, *bat, *data, *arr, *b, *kbd, *f;
	bool bad = streq(bat_status, "fail") || streq(kbd_status, "fail");

	cJSON_AddNumberToObject(r, "schema_version", 1);
	cJSON_AddStringToObject(r, "report_id", "8c1e2f4a-9b3d-4e5f-a1b2-c3d4e5f60718");
	cJSON_AddItemToObject(r, "tool", cJSON_Parse("{\"name\":\"cbdiag\",\"version\":\"0.1.0\"}"));
	cJSON_AddStringToObject(r, "started_at", when);
	cJSON_AddStringToObject(r, "finished_at", when);
	cJSON_AddNumberToObject(r, "duration_ms", 5);
	cJSON_AddStringToObject(r, "ticket", "20500");
	cJSON_AddStringToObject(r, "technician", "jd");
	dev = cJSON_AddObjectToObject(r, "device");
	if (serial)
		cJSON_AddStringToObject(dev, "serial", serial);
	else
		cJSON_AddNullToObject(dev, "serial");
	cJSON_AddNullToObject(dev, "asset_tag");
	cJSON_AddStringToObject(dev, "vendor", "Google");
	cJSON_AddStringToObject(dev, "model", model);
	cJSON_AddNullToObject(dev, "board");
	cJSON_AddNullToObject(dev, "sku");
	cJSON_AddNullToObject(dev, "firmware_version");
	cJSON_AddNullToObject(dev, "hwid");
	cJSON_AddStringToObject(dev, "form_factor", "laptop");
	cJSON_AddStringToObject(r, "overall", bad ? "fail" : "pass");
	cJSON_AddItemToObject(r, "counts",
			      cJSON_Parse(bad ? "{\"pass\":1,\"warn\":0,\"fail\":1,\"skip\":0,\"error\":0}"
					      : "{\"pass\":2,\"warn\":0,\"fail\":0,\"skip\":0,\"error\":0}"));
	probes = cJSON_AddObjectToObject(r, "probes");
	bat = cJSON_AddObjectToObject(probes, "battery");
	cJSON_AddStringToObject(bat, "status", bat_status);
	cJSON_AddNumberToObject(bat, "duration_ms", 1);
	cJSON_AddStringToObject(bat, "summary", "battery summary");
	arr = cJSON_AddArrayToObject(bat, "findings");
	if (!streq(bat_status, "pass")) {
		f = cJSON_CreateObject();
		cJSON_AddStringToObject(f, "code", "battery.health_low");
		cJSON_AddStringToObject(f, "severity", bat_status);
		cJSON_AddStringToObject(f, "message", "worn");
		cJSON_AddStringToObject(f, "action", "Replace the battery");
		cJSON_AddFalseToObject(f, "escalate");
		cJSON_AddItemToArray(arr, f);
	}
	data = cJSON_AddObjectToObject(bat, "data");
	arr = cJSON_AddArrayToObject(data, "batteries");
	b = cJSON_CreateObject();
	cJSON_AddStringToObject(b, "name", "BAT0");
	cJSON_AddStringToObject(b, "serial", health > 99 ? "NEW01" : "OLD01");
	if (health >= 0)
		cJSON_AddNumberToObject(b, "health_percent", health);
	else
		cJSON_AddNullToObject(b, "health_percent");
	cJSON_AddItemToArray(arr, b);
	kbd = cJSON_AddObjectToObject(probes, "keyboard");
	cJSON_AddStringToObject(kbd, "status", kbd_status);
	cJSON_AddNumberToObject(kbd, "duration_ms", 1);
	cJSON_AddStringToObject(kbd, "summary", "keyboard summary");
	arr = cJSON_AddArrayToObject(kbd, "findings");
	if (streq(kbd_status, "fail")) {
		f = cJSON_CreateObject();
		cJSON_AddStringToObject(f, "code", "keyboard.untested_keys");
		cJSON_AddStringToObject(f, "severity", "fail");
		cJSON_AddStringToObject(f, "message", "A is dead");
		cJSON_AddNullToObject(f, "action");
		cJSON_AddFalseToObject(f, "escalate");
		cJSON_AddItemToArray(arr, f);
	}
	cJSON_AddObjectToObject(kbd, "data");
	return r;
}

static inline struct cbd_doc *
doc_of(cJSON *root)
{
	struct cbd_doc *d = cbd_zalloc(sizeof(*d));
	_cleanup_free_ char *err = NULL;

	d->root = root;
	if (cbd_doc_validate(d, &err) != 0)
		fail_msg("test report invalid: %s", err);
	return d;
}
