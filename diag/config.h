/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The configuration file (docs/configuration.md): INI, read with inih.
 *
 * Lookup: --config FILE, else $CBDIAG_CONFIG, else /etc/cbdiag/cbdiag.conf
 * when present. A file named explicitly must exist. Unknown sections or
 * keys and out-of-range values are errors naming file, line and key.
 */
#pragma once

#include <stdbool.h>

#include "cbd-util.h"
#include "helpdesk.h"
#include "thresholds.h"

struct cbd_config {
	char *source; /* the file that was read, or NULL for built-in defaults */
	char *report_dir;
	unsigned probe_timeout_s;       /* [run] probe_timeout_seconds */
	unsigned interactive_timeout_s; /* [run] interactive_timeout_seconds */
	char *profiles;                 /* [run] profiles: the models' usual parts */
	struct cbd_helpdesk_config helpdesk;
	struct cbd_thresholds thresholds;
};

#define CBD_DEFAULT_PROBE_TIMEOUT_S 30
#define CBD_DEFAULT_INTERACTIVE_TIMEOUT_S 1800

void cbd_config_init(struct cbd_config *cfg);
void cbd_config_clear(struct cbd_config *cfg);

/**
 * Load @path (must exist), or with @path NULL the first of $CBDIAG_CONFIG
 * (must exist when set) and the system file (optional). Returns 0, or
 * -errno with *@ret_err = "FILE:LINE: key 'x': problem" (caller frees).
 */
int cbd_config_load(struct cbd_config *cfg, const char *path, char **ret_err);

/** Parse one file into @cfg (defaults must already be set). */
int cbd_config_load_file(struct cbd_config *cfg, const char *path, char **ret_err);
