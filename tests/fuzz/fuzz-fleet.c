/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fuzz target: `cbdiag summary` over a folder of reports. The input holds
 * up to 8 files separated by NUL bytes; each is read by the fleet's own
 * file reader through a memory file (valid reports are counted, the rest
 * skipped with a reason), then the summary is built and rendered: text, the
 * dashboard page, CSV and NDJSON (the device list made for them). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "report.h"
#include "review.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_FILES 8

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *sink;
	char names[MAX_FILES][64];
	const char *paths[MAX_FILES];
	int fds[MAX_FILES];
	size_t n = 0, pos = 0;
	struct cbd_fleet *f;
	struct cbd_doc *summary;

	if (!sink && !(sink = fopen("/dev/null", "w")))
		abort();
	while (n < MAX_FILES && pos <= size) {
		const uint8_t *nul = memchr(data + pos, 0, size - pos);
		size_t len = (nul ? (size_t)(nul - data) : size) - pos;

		fds[n] = memfd_create("fuzz-fleet", MFD_CLOEXEC);
		if (fds[n] < 0 || (len && write(fds[n], data + pos, len) != (ssize_t)len))
			abort();
		snprintf(names[n], sizeof(names[n]), "/proc/self/fd/%d", fds[n]);
		paths[n] = names[n];
		n++;
		pos += len + 1;
		if (!nul)
			break;
	}
	f = cbd_fleet_new(80, 60);
	cbd_fleet_list_devices(f);
	cbd_fleet_add_files(f, paths, n);
	summary = cbd_fleet_result(f);
	if (!summary)
		abort();
	cbd_fleet_render_text(summary, sink, 20);
	cbd_fleet_render_html(summary, sink);
	cbd_fleet_render_csv(summary, sink);
	cbd_fleet_render_csv_findings(summary, sink);
	cbd_fleet_render_ndjson(summary, sink);
	free(cbd_doc_to_string(summary));
	cbd_doc_free(summary);
	cbd_fleet_free(f);
	for (size_t i = 0; i < n; i++)
		close(fds[i]);
	return 0;
}
