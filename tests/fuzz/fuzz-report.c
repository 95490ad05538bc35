/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fuzz target: everything that reads a report file or a probe's result —
 * parse, validate against the embedded schema, render as text, and the
 * runner's result deserializer. Built as a libFuzzer binary with
 * -Dfuzz=true under clang, and replayed with mutations by
 * tests/fuzz/replay.c in the unit suite on every build.
 */
#include <stdint.h>
#include <stdio.h>

#include "report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cbd_doc *doc = NULL;
	struct cbd_result *r = NULL;
	char *err = NULL;

	if (cbd_doc_parse((const char *)data, size, &doc, &err) == 0) {
		if (cbd_doc_validate(doc, &err) == 0) {
			FILE *sink = fopen("/dev/null", "w");

			if (sink) {
				struct cbd_final_screen fs = {.colour = true, .cols = 41,
							      .saved_path = "r.json",
							      .delivery = CBD_DELIVERY_QUEUED};

				cbd_doc_render_text(doc, sink, true);
				cbd_doc_render_text_details(doc, sink, false, true);
				cbd_doc_render_final(doc, sink, &fs);
				fclose(sink);
			}
			(void)cbd_doc_exit_code(doc);
			(void)cbd_doc_device_serial(doc);
		}
		cbd_doc_free(doc);
	}
	free(err);
	if (cbd_result_deserialize((const char *)data, size, &r) == 0) {
		char *s = cbd_result_serialize(r);

		free(s);
		cbd_result_free(r);
	}
	return 0;
}
