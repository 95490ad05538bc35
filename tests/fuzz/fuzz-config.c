/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fuzz target: the configuration file (inih and our handler) over any bytes
 * a hand-edited /etc/cbdiag/cbdiag.conf could hold. The bytes are read
 * through a memory file, the same fopen() path as a real one. Whatever is
 * accepted must be inside the documented ranges; whatever is refused must
 * say why. */
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cbd_config cfg;
	char path[64], *err = NULL;
	int fd = memfd_create("fuzz-config", MFD_CLOEXEC), r;

	if (fd < 0 || (size && write(fd, data, size) != (ssize_t)size))
		__builtin_trap();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	cbd_config_init(&cfg);
	r = cbd_config_load_file(&cfg, path, &err);
	close(fd);
	if (r < 0) {
		if (!err || !*err)
			__builtin_trap();
	} else {
		if (err)
			__builtin_trap();
		if (cfg.probe_timeout_s < 1 || cfg.probe_timeout_s > 3600 ||
		    cfg.interactive_timeout_s < 10 || cfg.interactive_timeout_s > 86400)
			__builtin_trap();
		for (int i = 0; i < CBD_T_N; i++)
			if (!(cfg.thresholds.v[i] >= cbd_threshold_defs[i].min &&
			      cfg.thresholds.v[i] <= cbd_threshold_defs[i].max))
				__builtin_trap();
	}
	free(err);
	cbd_config_clear(&cfg);
	return 0;
}
