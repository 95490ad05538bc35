/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Report validation against report/report.schema.json, embedded in the
 * program, so that `cbdiag validate` enforces exactly the schema file and the
 * two cannot drift apart.
 *
 * The schema is compiled once (pthread_once) into a tree of nodes: types as
 * a bit mask, $ref resolved to pointers, patterns compiled, properties as
 * arrays. Validating then compares no keyword names and shares nothing
 * mutable, so threads may validate at once (the fleet summary does).
 *
 * Supported keywords: type (string or list), const, enum, required,
 * properties, additionalProperties (boolean or schema), propertyNames,
 * maxProperties, items, maxItems, minimum, maximum, minLength, maxLength,
 * pattern (POSIX ERE; the schema writes its
 * patterns in the common subset of ERE and ECMA-262), $ref ("#/$defs/name").
 * Annotations ($schema, $id, title, description, $defs) are ignored. Any
 * other keyword makes every validation fail with a schema error: a schema
 * that says more than this code checks must not pass silently.
 */
#include "doc-json.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <regex.h>
#include <stdarg.h>

#include "report-schema.h" /* generated: cbd_report_schema_json[] */

enum {
	T_OBJECT = 1 << 0,
	T_ARRAY = 1 << 1,
	T_STRING = 1 << 2,
	T_INTEGER = 1 << 3,
	T_NUMBER = 1 << 4,
	T_BOOLEAN = 1 << 5,
	T_NULL = 1 << 6,
};

struct snode;

struct sprop {
	const char *name;
	struct snode *node;
};

struct snode {
	const cJSON *src; /* the schema object, for messages */
	unsigned types;   /* 0: any */
	const cJSON *type_kw;
	const cJSON *const_v;
	const cJSON *enum_v;
	struct snode *ref;
	const cJSON *required; /* array of names */
	uint8_t *req_prop;     /* per required name, its index in props ... */
	bool req_fast;         /* ... when every one has one and props are at most 64 */
	struct sprop *props;
	size_t n_props;
	bool addl_false;
	struct snode *addl;
	struct snode *names; /* propertyNames */
	long max_props;      /* -1: none */
	struct snode *items;
	long max_items; /* -1: none */
	bool has_min, has_max;
	double min, max;
	long min_len, max_len; /* -1: none */
	const char *pattern;
	regex_t re;
	const char *problem; /* a schema error found when compiling */
};

static struct {
	cJSON *doc;
	struct snode **nodes; /* every node, for the $ref memo */
	size_t n;
	struct snode *root;
} schema;

static struct snode *compile(const cJSON *s);

static unsigned
type_bit(const char *t)
{
	static const struct {
		const char *name;
		unsigned bit;
	} names[] = {{"object", T_OBJECT},   {"array", T_ARRAY},     {"string", T_STRING},
		     {"integer", T_INTEGER}, {"number", T_NUMBER},   {"boolean", T_BOOLEAN},
		     {"null", T_NULL}};

	for (size_t i = 0; i < CBD_ARRAY_SIZE(names); i++)
		if (streq(t, names[i].name))
			return names[i].bit;
	return 0;
}

static struct snode *
resolve_ref(const char *ref)
{
	const char *prefix = "#/$defs/";
	const cJSON *target;

	if (!ref || strncmp(ref, prefix, strlen(prefix)) != 0)
		return NULL;
	target = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(schema.doc, "$defs"), ref + strlen(prefix));
	return target ? compile(target) : NULL;
}

/* Required names as indexes into props, so that a validation finds them in
 * the one walk over the object's members. */
static void
compile_required(struct snode *n)
{
	const cJSON *it;
	size_t k = 0;

	if (!n->required || n->n_props > 64)
		return;
	n->req_prop = cbd_realloc_array(NULL, (size_t)cJSON_GetArraySize(n->required) + 1, 1);
	cJSON_ArrayForEach(it, n->required)
	{
		size_t i = 0;

		if (!cJSON_IsString(it))
			return;
		while (i < n->n_props && !streq(n->props[i].name, it->valuestring))
			i++;
		if (i == n->n_props)
			return;
		n->req_prop[k++] = (uint8_t)i;
	}
	n->req_fast = true;
}

/* The index of @name in @n's props, or SIZE_MAX. Members mostly come in the
 * schema's order: the search starts after the last one found (*@hint). */
static size_t
find_prop(const struct snode *n, const char *name, size_t *hint)
{
	for (size_t k = 0, i = *hint; k < n->n_props; k++, i = i + 1 == n->n_props ? 0 : i + 1)
		if (streq(n->props[i].name, name)) {
			*hint = i + 1 == n->n_props ? 0 : i + 1;
			return i;
		}
	return SIZE_MAX;
}

static struct snode *
compile(const cJSON *s)
{
	struct snode *n;
	const cJSON *kw;

	for (size_t i = 0; i < schema.n; i++) /* each schema object once: $refs share */
		if (schema.nodes[i]->src == s)
			return schema.nodes[i];
	n = cbd_zalloc(sizeof(*n));
	n->src = s;
	n->min_len = n->max_len = n->max_props = n->max_items = -1;
	schema.nodes = cbd_realloc_array(schema.nodes, schema.n + 1, sizeof(*schema.nodes));
	schema.nodes[schema.n++] = n;
	if (cJSON_IsTrue(s))
		return n;
	if (!cJSON_IsObject(s)) {
		n->problem = "a schema must be an object";
		return n;
	}
	cJSON_ArrayForEach(kw, s)
	{
		const char *k = kw->string;

		if (streq(k, "$schema") || streq(k, "$id") || streq(k, "title") ||
		    streq(k, "description") || streq(k, "$defs")) {
			continue;
		} else if (streq(k, "type")) {
			const cJSON *t;

			n->type_kw = kw;
			if (cJSON_IsString(kw))
				n->types = type_bit(kw->valuestring);
			else
				cJSON_ArrayForEach(t, kw) n->types |= type_bit(t->valuestring);
			if (!n->types)
				n->problem = "unknown type";
		} else if (streq(k, "const")) {
			n->const_v = kw;
		} else if (streq(k, "enum")) {
			n->enum_v = kw;
		} else if (streq(k, "$ref")) {
			n->ref = resolve_ref(cJSON_IsString(kw) ? kw->valuestring : NULL);
			if (!n->ref)
				n->problem = "unresolvable $ref";
		} else if (streq(k, "required")) {
			n->required = kw;
		} else if (streq(k, "properties")) {
			const cJSON *p;

			n->props = cbd_realloc_array(NULL, (size_t)cJSON_GetArraySize(kw) + 1,
						     sizeof(*n->props));
			cJSON_ArrayForEach(p, kw)
				n->props[n->n_props++] = (struct sprop){p->string, compile(p)};
		} else if (streq(k, "additionalProperties")) {
			if (cJSON_IsFalse(kw))
				n->addl_false = true;
			else if (cJSON_IsObject(kw))
				n->addl = compile(kw);
		} else if (streq(k, "propertyNames")) {
			n->names = compile(kw);
		} else if (streq(k, "maxProperties")) {
			n->max_props = kw->valueint;
		} else if (streq(k, "items")) {
			n->items = compile(kw);
		} else if (streq(k, "maxItems")) {
			n->max_items = kw->valueint;
		} else if (streq(k, "minimum")) {
			n->has_min = true;
			n->min = kw->valuedouble;
		} else if (streq(k, "maximum")) {
			n->has_max = true;
			n->max = kw->valuedouble;
		} else if (streq(k, "minLength")) {
			n->min_len = kw->valueint;
		} else if (streq(k, "maxLength")) {
			n->max_len = kw->valueint;
		} else if (streq(k, "pattern")) {
			n->pattern = kw->valuestring;
			if (!n->pattern || regcomp(&n->re, n->pattern, REG_EXTENDED | REG_NOSUB) != 0) {
				n->pattern = NULL;
				n->problem = "bad pattern";
			}
		} else {
			n->problem = "unsupported keyword";
		}
	}
	compile_required(n);
	return n;
}

static void
load_schema(void)
{
	schema.doc = cJSON_Parse(cbd_report_schema_json);
	if (!schema.doc)
		abort(); /* the build embeds a schema it has parsed (embed-schema.py) */
	schema.root = compile(schema.doc);
}

/* ---- validating -------------------------------------------------------- */

struct vctx {
	char **ret_err; /* the first problem, malloc'd */
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

	if (!w->up)
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

static int fail(const struct vctx *c, const struct where *w, const char *fmt, ...) _printf_(3, 4);

static int
fail(const struct vctx *c, const struct where *w, const char *fmt, ...)
{
	char msg[512], ptr[512] = "";
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	render_where(w, ptr, sizeof(ptr));
	if (c->ret_err && !*c->ret_err)
		*c->ret_err = cbd_strdupf("%s: %s", *ptr ? ptr : "/", msg);
	return -EINVAL;
}

static bool
is_integer(const cJSON *v)
{
	return cJSON_IsNumber(v) && isfinite(v->valuedouble) &&
	       floor(v->valuedouble) == v->valuedouble;
}

static unsigned
type_of(const cJSON *v)
{
	if (cJSON_IsObject(v))
		return T_OBJECT;
	if (cJSON_IsArray(v))
		return T_ARRAY;
	if (cJSON_IsString(v))
		return T_STRING;
	if (cJSON_IsNumber(v))
		return is_integer(v) ? T_INTEGER | T_NUMBER : T_NUMBER;
	if (cJSON_IsBool(v))
		return T_BOOLEAN;
	if (cJSON_IsNull(v))
		return T_NULL;
	return 0;
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
	/* numbers compare by value (1 == 1.0), as JSON Schema says */
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

static int validate(const struct vctx *c, const struct snode *n, const cJSON *v,
		    const struct where *w, int depth);

static int
validate_object(const struct vctx *c, const struct snode *n, const cJSON *v,
		const struct where *w, int depth)
{
	const cJSON *it;
	size_t hint = 0;
	int r;

	if (n->req_fast) {
		uint64_t present = 0;
		size_t k = 0;

		cJSON_ArrayForEach(it, v)
		{
			size_t i = it->string ? find_prop(n, it->string, &hint) : SIZE_MAX;

			if (i != SIZE_MAX)
				present |= 1ull << i;
		}
		cJSON_ArrayForEach(it, n->required)
		{
			if (!(present >> n->req_prop[k++] & 1))
				return fail(c, w, "the field \"%s\" is missing", it->valuestring);
		}
	} else {
		cJSON_ArrayForEach(it, n->required)
		{
			if (!cJSON_IsString(it))
				return fail(c, w, "schema error: required must list strings");
			if (!cJSON_GetObjectItemCaseSensitive(v, it->valuestring))
				return fail(c, w, "the field \"%s\" is missing", it->valuestring);
		}
	}
	hint = 0;
	if (n->max_props >= 0 && cJSON_GetArraySize(v) > n->max_props)
		return fail(c, w, "has %d members, at most %ld are allowed", cJSON_GetArraySize(v),
			    n->max_props);
	cJSON_ArrayForEach(it, v)
	{
		const struct snode *sub = NULL;
		struct where here = {.up = w, .key = it->string};

		if (n->names) {
			cJSON name = {.type = cJSON_String, .valuestring = it->string};

			if ((r = validate(c, n->names, &name, &here, depth)) < 0)
				return r;
		}
		if (n->n_props) {
			size_t i = find_prop(n, it->string, &hint);

			if (i != SIZE_MAX)
				sub = n->props[i].node;
		}
		if (sub)
			r = validate(c, sub, it, &here, depth);
		else if (n->addl_false)
			r = fail(c, &here, "unexpected field");
		else if (n->addl)
			r = validate(c, n->addl, it, &here, depth);
		else
			r = 0;
		if (r < 0)
			return r;
	}
	return 0;
}

static int
validate(const struct vctx *c, const struct snode *n, const cJSON *v, const struct where *w,
	 int depth)
{
	unsigned t = type_of(v);
	int r;

	if (depth > 64)
		return fail(c, w, "schema error: nesting too deep");
	if (n->problem)
		return fail(c, w, "schema error: %s", n->problem);
	if (n->ref && (r = validate(c, n->ref, v, w, depth + 1)) < 0)
		return r;
	if (n->types && !(n->types & t)) {
		_cleanup_free_ char *want = describe(n->type_kw);

		return fail(c, w, "must be of type %s, not %s", want, type_name(v));
	}
	if (n->const_v && !json_equal(n->const_v, v)) {
		_cleanup_free_ char *want = describe(n->const_v), *got = describe(v);

		return fail(c, w, "must be %s, not %s", want, got);
	}
	if (n->enum_v) {
		const cJSON *e;
		bool ok = false;

		cJSON_ArrayForEach(e, n->enum_v) ok = ok || json_equal(e, v);
		if (!ok) {
			_cleanup_free_ char *want = describe(n->enum_v), *got = describe(v);

			return fail(c, w, "must be one of %s, not %s", want, got);
		}
	}
	if (t & T_NUMBER) {
		if (n->has_min && v->valuedouble < n->min)
			return fail(c, w, "must be at least %g, not %g", n->min, v->valuedouble);
		if (n->has_max && v->valuedouble > n->max)
			return fail(c, w, "must be at most %g, not %g", n->max, v->valuedouble);
	}
	if (t & T_STRING) {
		if (n->min_len >= 0 || n->max_len >= 0) {
			size_t len = utf8_length(v->valuestring);

			if (n->min_len >= 0 && len < (size_t)n->min_len)
				return fail(c, w, "must be at least %ld characters long",
					    n->min_len);
			if (n->max_len >= 0 && len > (size_t)n->max_len)
				return fail(c, w, "must be at most %ld characters long",
					    n->max_len);
		}
		if (n->pattern && regexec(&n->re, v->valuestring, 0, NULL, 0) != 0) {
			_cleanup_free_ char *d = describe(v);

			return fail(c, w, "%s does not have the expected form (%s)", d, n->pattern);
		}
	}
	if ((t & T_ARRAY) && n->max_items >= 0 && cJSON_GetArraySize(v) > n->max_items)
		return fail(c, w, "has %d items, at most %ld are allowed", cJSON_GetArraySize(v),
			    n->max_items);
	if ((t & T_ARRAY) && n->items) {
		const cJSON *item;
		int i = 0;

		cJSON_ArrayForEach(item, v)
		{
			struct where here = {.up = w, .index = i++};

			if ((r = validate(c, n->items, item, &here, depth + 1)) < 0)
				return r;
		}
	}
	if (t & T_OBJECT)
		return validate_object(c, n, v, w, depth + 1);
	return 0;
}

static pthread_once_t schema_once = PTHREAD_ONCE_INIT;

void
cbd_schema_load(void)
{
	pthread_once(&schema_once, load_schema);
}

static int
schema_validate(const cJSON *value, char **ret_err)
{
	struct vctx c = {.ret_err = ret_err};
	struct where root = {0};

	cbd_schema_load();
	return validate(&c, schema.root, value, &root, 0);
}

int
cbd_report_schema_problems(char **ret_first)
{
	int problems = 0;

	cbd_schema_load();
	for (size_t i = 0; i < schema.n; i++)
		if (schema.nodes[i]->problem) {
			if (!problems && ret_first)
				*ret_first = cbd_strdup(schema.nodes[i]->problem);
			problems++;
		}
	return problems;
}

const char *
cbd_report_schema_text(void)
{
	return cbd_report_schema_json;
}

int
cbd_doc_validate(const struct cbd_doc *doc, char **ret_err)
{
	const cJSON *ver = cJSON_GetObjectItemCaseSensitive(doc->root, "schema_version");

	/* A newer report gets its own message, before any other rule. */
	if (cJSON_IsObject(doc->root) && is_integer(ver) && ver->valuedouble > CBD_SCHEMA_VERSION) {
		*ret_err = cbd_strdupf(
			"/schema_version: this report uses schema version %.0f, newer than this "
			"cbdiag understands (%d); update cbdiag",
			ver->valuedouble, CBD_SCHEMA_VERSION);
		return -EPROTONOSUPPORT;
	}
	return schema_validate(doc->root, ret_err);
}
