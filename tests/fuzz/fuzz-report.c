/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fuzz target: everything that reads a report file or a probe's result —
 * parse, validate against the embedded schema, render as text, and the
 * runner's result deserializer. The renderings are in Spanish, so that
 * every headline, message and next step of the input goes through cbd_tr()
 * (the matcher of common/i18n.c), and the input itself does too, as one
 * hostile sentence. Built as a libFuzzer binary with
 * -Dfuzz=true under clang, and replayed with mutations by
 * tests/fuzz/replay.c in the unit suite on every build.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cbd-i18n.h"
#include "report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cbd_doc *doc = NULL;
	struct cbd_result *r = NULL;
	char *err = NULL;
	static bool spanish;

	if (!spanish) {
		/* the catalogue this build made, unless the caller names one */
		setenv("CBD_LOCALEDIR", CBD_FUZZ_LOCALEDIR, 0);
		(void)cbd_i18n_init("es");
		spanish = true;
	}
	if (size < 4096) {
		char *s = strndup((const char *)data, size);

		if (s)
			(void)cbd_tr(s);
		free(s);
	}
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
	cbd_tr_reset();
	if (cbd_result_deserialize((const char *)data, size, &r) == 0) {
		char *s = cbd_result_serialize(r);

		free(s);
		cbd_result_free(r);
	}
	return 0;
}
