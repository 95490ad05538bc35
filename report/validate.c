/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Report validation: a small interpreter for the subset of JSON Schema that
 * report/report.schema.json uses, so that `cbdiag validate` enforces exactly
 * the schema file and the two cannot drift apart.
 *
 * Supported keywords: type (string or list), const, enum, required,
 * properties, additionalProperties (boolean or schema), items, minimum,
 * maximum, minLength, maxLength, pattern (POSIX ERE; the schema writes its
 * patterns in the common subset of ERE and ECMA-262), $ref ("#/$defs/name").
 * Annotations ($schema, $id, title, description, $defs) are ignored. Any
 * other keyword is an error: a schema that says more than this code checks
 * must not pass silently (tests/unit/test-report.c checks the embedded one).
 */
#include "report-private.h"

#include <errno.h>
#include <math.h>
#include <regex.h>
#include <stdarg.h>

#include "report-schema.h" /* generated: cbd_report_schema_json[] */

struct vctx {
	const cJSON *root_schema;
	char *err;
	size_t errsize;
	int depth;
};

/* Where a value sits, as a chain of segments; the JSON pointer text is only
 * built when a problem is reported. */
struct where {
	const struct where *up;
	const char *key; /* object member, or NULL for an array index */
	int index;
};

static size_t
render_where(const struct where *w, char *buf, size_t size)
{
	size_t n = w->up ? render_where(w->up, buf, size) : 0;
	char idx[24];
	const char *seg = w->key;

	if (!w->up && !w->key)
		return 0; /* the root */
	if (!seg) {
		snprintf(idx, sizeof(idx), "%d", w->index);
		seg = idx;
	}
	if (n + 1 < size)
		buf[n++] = '/';
	/* JSON pointer escaping: ~ -> ~0, / -> ~1 */
	for (; *seg && n + 2 < size; seg++) {
		if (*seg == '~' || *seg == '/') {
			buf[n++] = '~';
			buf[n++] = *seg == '~' ? '0' : '1';
		} else {
			buf[n++] = *seg;
		}
	}
	buf[n < size ? n : size - 1] = '\0';
	return n;
}

static int
fail(struct vctx *c, const struct where *w, const char *fmt, ...) _printf_(3, 4);

static int
fail(struct vctx *c, const struct where *w, const char *fmt, ...)
{
	char msg[512], ptr[512] = "";
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	render_where(w, ptr, sizeof(ptr));
	snprintf(c->err, c->errsize, "%s: %s", *ptr ? ptr : "/", msg);
	return -EINVAL;
}

static bool
is_integer(const cJSON *v)
{
	return cJSON_IsNumber(v) && isfinite(v->valuedouble) &&
	       floor(v->valuedouble) == v->valuedouble;
}

static bool
type_matches(const char *type, const cJSON *v)
{
	if (streq(type, "object"))
		return cJSON_IsObject(v);
	if (streq(type, "array"))
		return cJSON_IsArray(v);
	if (streq(type, "string"))
		return cJSON_IsString(v);
	if (streq(type, "integer"))
		return is_integer(v);
	if (streq(type, "number"))
		return cJSON_IsNumber(v);
	if (streq(type, "boolean"))
		return cJSON_IsBool(v);
	if (streq(type, "null"))
		return cJSON_IsNull(v);
	return false;
}

static const char *
type_name(const cJSON *v)
{
	if (cJSON_IsObject(v))
		return "an object";
	if (cJSON_IsArray(v))
		return "an array";
	if (cJSON_IsString(v))
		return "a string";
	if (cJSON_IsNumber(v))
		return "a number";
	if (cJSON_IsBool(v))
		return "a boolean";
	if (cJSON_IsNull(v))
		return "null";
	return "invalid";
}

/* Number of Unicode code points in a (valid) UTF-8 string. */
static size_t
utf8_length(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

static bool
json_equal(const cJSON *a, const cJSON *b)
{
	/* For const/enum: numbers compare by value (1 == 1.0), as JSON Schema says. */
	if (cJSON_IsNumber(a) && cJSON_IsNumber(b))
		return a->valuedouble == b->valuedouble;
	return cJSON_Compare(a, b, true);
}

static char *
describe(const cJSON *v)
{
	char *s = cJSON_PrintUnformatted(v);
	char *r;

	if (!s)
		return cbd_strdup("?");
	if (strlen(s) > 60)
		strcpy(s + 57, "...");
	r = cbd_strdup(s);
	cJSON_free(s);
	return r;
}

static int validate(struct vctx *c, const cJSON *schema, const cJSON *v, const struct where *ptr);

static const cJSON *
resolve_ref(struct vctx *c, const char *ref)
{
	const char *prefix = "#/$defs/";

	if (strncmp(ref, prefix, strlen(prefix)) != 0)
		return NULL;
	return cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(c->root_schema, "$defs"), ref + strlen(prefix));
}

/* Compiled patterns, keyed by the pattern string: a schema has a handful and a
 * fleet summary checks them hundreds of thousands of times. */
#define MAX_PATTERNS 32
static struct {
	char *pattern;
	regex_t re;
} patterns[MAX_PATTERNS];
static size_t n_patterns;

static const regex_t *
compiled(const char *pattern)
{
	for (size_t i = 0; i < n_patterns; i++)
		if (streq(patterns[i].pattern, pattern))
			return &patterns[i].re;
	if (n_patterns == MAX_PATTERNS ||
	    regcomp(&patterns[n_patterns].re, pattern, REG_EXTENDED | REG_NOSUB) != 0)
		return NULL;
	patterns[n_patterns].pattern = cbd_strdup(pattern);
	return &patterns[n_patterns++].re;
}

static int
check_pattern(struct vctx *c, const char *pattern, const cJSON *v, const struct where *ptr)
{
	const regex_t *re = compiled(pattern);

	if (!re)
		return fail(c, ptr, "schema error: bad pattern %s", pattern);
	if (regexec(re, v->valuestring, 0, NULL, 0) != 0) {
		_cleanup_free_ char *d = describe(v);

		return fail(c, ptr, "%s does not have the expected form (%s)", d, pattern);
	}
	return 0;
}

static int
validate_object(struct vctx *c, const cJSON *schema, const cJSON *v, const struct where *ptr)
{
	const cJSON *required = cJSON_GetObjectItemCaseSensitive(schema, "required");
	const cJSON *props = cJSON_GetObjectItemCaseSensitive(schema, "properties");
	const cJSON *addl = cJSON_GetObjectItemCaseSensitive(schema, "additionalProperties");
	const cJSON *it;
	int r;

	cJSON_ArrayForEach(it, required)
	{
		if (!cJSON_IsString(it))
			return fail(c, ptr, "schema error: required must list strings");
		if (!cJSON_GetObjectItemCaseSensitive(v, it->valuestring))
			return fail(c, ptr, "the field \"%s\" is missing", it->valuestring);
	}
	cJSON_ArrayForEach(it, v)
	{
		const cJSON *sub = cJSON_GetObjectItemCaseSensitive(props, it->string);
		struct where here = {.up = ptr, .key = it->string};
		const struct where *p = &here;

		if (sub)
			r = validate(c, sub, it, p);
		else if (cJSON_IsFalse(addl))
			r = fail(c, p, "unexpected field");
		else if (cJSON_IsObject(addl))
			r = validate(c, addl, it, p);
		else
			r = 0;
		if (r < 0)
			return r;
	}
	return 0;
}

static int
validate(struct vctx *c, const cJSON *schema, const cJSON *v, const struct where *ptr)
{
	const cJSON *kw;
	int r;

	if (++c->depth > 64) {
		c->depth--;
		return fail(c, ptr, "schema error: $ref nesting too deep");
	}
	if (cJSON_IsTrue(schema)) {
		c->depth--;
		return 0;
	}
	if (!cJSON_IsObject(schema)) {
		c->depth--;
		return fail(c, ptr, "schema error: a schema must be an object");
	}

	cJSON_ArrayForEach(kw, schema)
	{
		const char *k = kw->string;

		r = 0;
		if (streq(k, "required") || streq(k, "properties") ||
		    streq(k, "additionalProperties") || streq(k, "$schema") || streq(k, "$id") ||
		    streq(k, "title") || streq(k, "description") || streq(k, "$defs")) {
			continue; /* annotations; object keywords run together below */
		} else if (streq(k, "$ref")) {
			const cJSON *target = cJSON_IsString(kw) ? resolve_ref(c, kw->valuestring) : NULL;

			r = target ? validate(c, target, v, ptr)
				   : fail(c, ptr, "schema error: unresolvable $ref");
		} else if (streq(k, "type")) {
			bool ok = false;

			if (cJSON_IsString(kw))
				ok = type_matches(kw->valuestring, v);
			else {
				const cJSON *t;

				cJSON_ArrayForEach(t, kw) ok = ok || type_matches(t->valuestring, v);
			}
			if (!ok) {
				_cleanup_free_ char *want = describe(kw);

				r = fail(c, ptr, "must be of type %s, not %s", want, type_name(v));
			}
		} else if (streq(k, "const")) {
			if (!json_equal(kw, v)) {
				_cleanup_free_ char *want = describe(kw), *got = describe(v);

				r = fail(c, ptr, "must be %s, not %s", want, got);
			}
		} else if (streq(k, "enum")) {
			const cJSON *e;
			bool ok = false;

			cJSON_ArrayForEach(e, kw) ok = ok || json_equal(e, v);
			if (!ok) {
				_cleanup_free_ char *want = describe(kw), *got = describe(v);

				r = fail(c, ptr, "must be one of %s, not %s", want, got);
			}
		} else if (streq(k, "items")) {
			if (cJSON_IsArray(v)) {
				const cJSON *item;
				int i = 0;

				cJSON_ArrayForEach(item, v)
				{
					struct where here = {.up = ptr, .index = i++};

					r = validate(c, kw, item, &here);
					if (r < 0)
						break;
				}
			}
		} else if (streq(k, "minimum")) {
			if (cJSON_IsNumber(v) && v->valuedouble < kw->valuedouble)
				r = fail(c, ptr, "must be at least %g, not %g", kw->valuedouble,
					 v->valuedouble);
		} else if (streq(k, "maximum")) {
			if (cJSON_IsNumber(v) && v->valuedouble > kw->valuedouble)
				r = fail(c, ptr, "must be at most %g, not %g", kw->valuedouble,
					 v->valuedouble);
		} else if (streq(k, "minLength")) {
			if (cJSON_IsString(v) && utf8_length(v->valuestring) < (size_t)kw->valueint)
				r = fail(c, ptr, "must be at least %d characters long", kw->valueint);
		} else if (streq(k, "maxLength")) {
			if (cJSON_IsString(v) && utf8_length(v->valuestring) > (size_t)kw->valueint)
				r = fail(c, ptr, "must be at most %d characters long", kw->valueint);
		} else if (streq(k, "pattern")) {
			if (cJSON_IsString(v))
				r = check_pattern(c, kw->valuestring, v, ptr);
		} else {
			r = fail(c, ptr, "schema error: unsupported keyword \"%s\"", k);
		}
		if (r < 0) {
			c->depth--;
			return r;
		}
	}
	r = cJSON_IsObject(v) ? validate_object(c, schema, v, ptr) : 0;
	c->depth--;
	return r;
}

int
cbd_schema_validate(const cJSON *schema, const cJSON *value, char *err, size_t errsize)
{
	struct vctx c = {.root_schema = schema, .err = err, .errsize = errsize};
	struct where root = {0};

	return validate(&c, schema, value, &root);
}

const char *
cbd_report_schema_text(void)
{
	return cbd_report_schema_json;
}

int
cbd_doc_validate(const struct cbd_doc *doc, char *err, size_t errsize)
{
	static cJSON *schema;
	const cJSON *ver;

	if (!schema) {
		schema = cJSON_Parse(cbd_report_schema_json);
		if (!schema)
			abort(); /* the build embeds a schema the unit tests parse */
	}
	/* A newer report gets its own message, before any other rule. */
	ver = cJSON_GetObjectItemCaseSensitive(doc->root, "schema_version");
	if (cJSON_IsObject(doc->root) && is_integer(ver) && ver->valuedouble > CBD_SCHEMA_VERSION) {
		snprintf(err, errsize,
			 "/schema_version: this report uses schema version %.0f, newer than this "
			 "cbdiag understands (%d); update cbdiag",
			 ver->valuedouble, CBD_SCHEMA_VERSION);
		return -EPROTONOSUPPORT;
	}
	return cbd_schema_validate(schema, doc->root, err, errsize);
}
