/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A small JSON builder for probe data. Probes describe what they found with
 * these calls; only report/ knows the JSON library behind them (cJSON).
 *
 * Adding to an object takes a @key; adding to an array takes key NULL.
 * A NULL string is stored as JSON null. Allocation failure aborts.
 */
#pragma once

#include <stdbool.h>

struct cbd_json;

struct cbd_json *cbd_json_new_object(void);
struct cbd_json *cbd_json_new_array(void);
void cbd_json_free(struct cbd_json *j);

/* Containers: return the new child, owned by @parent. */
struct cbd_json *cbd_json_add_object(struct cbd_json *parent, const char *key);
struct cbd_json *cbd_json_add_array(struct cbd_json *parent, const char *key);

void cbd_json_add_str(struct cbd_json *parent, const char *key, const char *s);
void cbd_json_add_int(struct cbd_json *parent, const char *key, long long v);
void cbd_json_add_double(struct cbd_json *parent, const char *key, double v);
void cbd_json_add_bool(struct cbd_json *parent, const char *key, bool v);
void cbd_json_add_null(struct cbd_json *parent, const char *key);
/* Move @child (a detached object/array) under @parent. */
void cbd_json_add_take(struct cbd_json *parent, const char *key, struct cbd_json *child);

/* The length of array @key of object @o (0 when absent or not an array). */
int cbd_json_get_array_size(const struct cbd_json *o, const char *key);
