/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fuzz target: the EDID decoder and the display judge over any bytes a
 * connector's edid attribute could hold. */
#include <stdint.h>
#include <string.h>

#include "display.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cbd_edid e;
	struct cbd_connector_raw c = {.card = "card0", .name = "eDP-1", .status = "connected"};
	struct cbd_display_raw raw = {.conn = &c, .n_conn = 1};
	struct cbd_result *r;

	(void)cbd_edid_parse(data, size, &e);
	(void)cbd_edid_panel_name(&e);
	c.edid = (uint8_t *)data;
	c.edid_len = size;
	r = cbd_result_new();
	cbd_display_judge(&raw, true, false, false, NULL, NULL, r);
	cbd_result_free(r);
	return 0;
}
