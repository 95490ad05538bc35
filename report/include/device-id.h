/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Which machine a report describes: identity only, never personal data,
 * never secrets. Filled by probes/identity/, written into the report's
 * "device" object by report.c.
 */
#pragma once

#include <stddef.h>

struct cbd_finding; /* result.h */

enum cbd_form_factor {
	CBD_FORM_UNKNOWN,
	CBD_FORM_LAPTOP,
	CBD_FORM_DESKTOP,
};

const char *cbd_form_factor_to_string(enum cbd_form_factor f);

/* device: identity only, never personal data, never secrets. Strings may be NULL. */
struct cbd_device_id {
	char *serial;
	char *asset_tag;
	char *vendor;
	char *model;
	char *board;
	char *sku;
	char *firmware_version;
	char *hwid;
	enum cbd_form_factor form_factor;
	/* what identity could not read, said plainly (device.findings): they do
	 * not change the overall verdict, which is about the hardware */
	struct cbd_finding *findings;
	size_t n_findings;
};

void cbd_device_id_clear(struct cbd_device_id *d);
