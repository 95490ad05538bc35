/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "probe.h"

/** The prompts-on-stderr, answers-on-stdin UI for interactive runs. */
const struct cbd_ui *cbd_terminal_ui(void);
