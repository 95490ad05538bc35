/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Inside report/ only: struct cbd_json is a cJSON node. */
#pragma once

#include <cjson/cJSON.h>

#define TO_CJSON(j) ((cJSON *)(j))
#define TO_CBD(c) ((struct cbd_json *)(c))

/* Abort on allocation failure, else return @j. */
cJSON *cbd_cjson_check(cJSON *j);
