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
void cbd_json_free(struct cbd_json *j);

/* Containers: return the new child, owned by @parent. */
struct cbd_json *cbd_json_add_object(struct cbd_json *parent, const char *key);
struct cbd_json *cbd_json_add_array(struct cbd_json *parent, const char *key);

void cbd_json_add_str(struct cbd_json *parent, const char *key, const char *s);
void cbd_json_add_int(struct cbd_json *parent, const char *key, long long v);
void cbd_json_add_double(struct cbd_json *parent, const char *key, double v);
void cbd_json_add_bool(struct cbd_json *parent, const char *key, bool v);
void cbd_json_add_null(struct cbd_json *parent, const char *key);
/*
 * Reading back (tests, and probes that look at what they built). A missing
 * member or a value of another type reads as NULL / false / 0.
 */
const struct cbd_json *cbd_json_get(const struct cbd_json *o, const char *key);
const struct cbd_json *cbd_json_at(const struct cbd_json *a, int i);
/* Members of an object or items of an array; 0 for anything else. */
int cbd_json_size(const struct cbd_json *a);
const char *cbd_json_get_str(const struct cbd_json *o, const char *key);
/* The text of a string value (an array item), else NULL. */
const char *cbd_json_str(const struct cbd_json *v);
bool cbd_json_get_number(const struct cbd_json *o, const char *key, double *ret);
bool cbd_json_get_bool(const struct cbd_json *o, const char *key, bool *ret);
/* The member is there and is JSON null. */
bool cbd_json_is_null(const struct cbd_json *o, const char *key);
/* The length of array @key of object @o (0 when absent or not an array). */
int cbd_json_get_array_size(const struct cbd_json *o, const char *key);
