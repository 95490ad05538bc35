/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "doc-json.h"

#include <errno.h>
#include <sys/random.h>

#ifndef GRND_INSECURE
#define GRND_INSECURE 0x0004
#endif
#include <sys/stat.h>

const char *
cbd_form_factor_to_string(enum cbd_form_factor f)
{
	switch (f) {
	case CBD_FORM_LAPTOP:
		return "laptop";
	case CBD_FORM_DESKTOP:
		return "desktop";
	default:
		return "unknown";
	}
}

void
cbd_device_id_clear(struct cbd_device_id *d)
{
	free(d->serial);
	free(d->asset_tag);
	free(d->vendor);
	free(d->model);
	free(d->board);
	free(d->sku);
	free(d->firmware_version);
	free(d->hwid);
	cbd_findings_free(d->findings, d->n_findings);
	*d = (struct cbd_device_id){0};
}

void
cbd_report_clear(struct cbd_report *r)
{
	for (size_t i = 0; i < r->n_probes; i++)
		cbd_result_free(r->probes[i].result);
	free(r->probes);
	cbd_findings_free(r->findings, r->n_findings);
	free(r->ticket);
	free(r->technician);
	cbd_device_id_clear(&r->device);
	*r = (struct cbd_report){0};
}

enum cbd_status
cbd_overall(const enum cbd_status *statuses, size_t n)
{
	/* rank: pass/skip 0, warn 1, error 2, fail 3 */
	static const int rank[CBD_STATUS_N] = {
		[CBD_STATUS_PASS] = 0, [CBD_STATUS_SKIP] = 0, [CBD_STATUS_WARN] = 1,
		[CBD_STATUS_ERROR] = 2, [CBD_STATUS_FAIL] = 3,
	};
	enum cbd_status worst = CBD_STATUS_PASS;

	for (size_t i = 0; i < n; i++) {
		enum cbd_status s = statuses[i] == CBD_STATUS_SKIP ? CBD_STATUS_PASS : statuses[i];

		if (s < CBD_STATUS_N && rank[s] > rank[worst])
			worst = s;
	}
	return worst;
}

int
cbd_uuid4(char buf[static 37])
{
	uint8_t b[16];
	size_t have = 0;

	/* A report id must be unique, not secret: GRND_INSECURE does not wait for
	 * the entropy pool, which on a freshly booted repair image (or a VM) can
	 * take a second or more. Kernels before 5.6 refuse the flag: then block. */
	unsigned flags = GRND_INSECURE;

	while (have < sizeof(b)) {
		ssize_t n = getrandom(b + have, sizeof(b) - have, flags);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EINVAL && flags) {
				flags = 0;
				continue;
			}
			return -errno;
		}
		have += (size_t)n;
	}
	b[6] = (uint8_t)((b[6] & 0x0f) | 0x40); /* version 4 */
	b[8] = (uint8_t)((b[8] & 0x3f) | 0x80); /* RFC 4122 variant */
	snprintf(buf, 37,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
		 b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
		 b[15]);
	return 0;
}

static void
add_str_or_null(cJSON *o, const char *key, const char *v)
{
	if (v) {
		_cleanup_free_ char *clean = cbd_text_sanitize(v);

		cbd_json_check(cJSON_AddStringToObject(o, key, clean));
	} else
		cbd_json_check(cJSON_AddNullToObject(o, key));
}

struct cbd_doc *
cbd_report_to_doc(const struct cbd_report *r)
{
	struct cbd_doc *doc = cbd_zalloc(sizeof(*doc));
	cJSON *root = cbd_json_check(cJSON_CreateObject());
	cJSON *tool, *dev, *counts, *probes;
	enum cbd_status *statuses = cbd_realloc_array(NULL, r->n_probes + 1, sizeof(*statuses));
	unsigned n_status[CBD_STATUS_N] = {0};
	char ts[32];

	cbd_json_check(cJSON_AddNumberToObject(root, "schema_version", CBD_SCHEMA_VERSION));
	cbd_json_check(cJSON_AddStringToObject(root, "report_id", r->report_id));
	tool = cbd_json_check(cJSON_AddObjectToObject(root, "tool"));
	cbd_json_check(cJSON_AddStringToObject(tool, "name", "cbdiag"));
	cbd_json_check(cJSON_AddStringToObject(tool, "version", CBD_VERSION));
	cbd_format_utc(r->started_at, ts, sizeof(ts));
	cbd_json_check(cJSON_AddStringToObject(root, "started_at", ts));
	cbd_format_utc(r->finished_at, ts, sizeof(ts));
	cbd_json_check(cJSON_AddStringToObject(root, "finished_at", ts));
	cbd_json_check(cJSON_AddNumberToObject(root, "duration_ms", (double)r->duration_ms));
	add_str_or_null(root, "ticket", r->ticket);
	add_str_or_null(root, "technician", r->technician);

	dev = cbd_json_check(cJSON_AddObjectToObject(root, "device"));
	add_str_or_null(dev, "serial", r->device.serial);
	add_str_or_null(dev, "asset_tag", r->device.asset_tag);
	add_str_or_null(dev, "vendor", r->device.vendor);
	add_str_or_null(dev, "model", r->device.model);
	add_str_or_null(dev, "board", r->device.board);
	add_str_or_null(dev, "sku", r->device.sku);
	add_str_or_null(dev, "firmware_version", r->device.firmware_version);
	add_str_or_null(dev, "hwid", r->device.hwid);
	cbd_json_check(cJSON_AddStringToObject(dev, "form_factor",
						cbd_form_factor_to_string(r->device.form_factor)));
	cJSON_AddItemToObject(dev, "findings",
			      cbd_findings_to_cjson(r->device.findings, r->device.n_findings));

	for (size_t i = 0; i < r->n_probes; i++) {
		statuses[i] = r->probes[i].result->status;
		if (statuses[i] < CBD_STATUS_N)
			n_status[statuses[i]]++;
	}
	cbd_json_check(cJSON_AddStringToObject(
		root, "overall", cbd_status_to_string(cbd_overall(statuses, r->n_probes))));
	free(statuses);
	counts = cbd_json_check(cJSON_AddObjectToObject(root, "counts"));
	for (int s = 0; s < CBD_STATUS_N; s++)
		cbd_json_check(cJSON_AddNumberToObject(counts, cbd_status_to_string(s), n_status[s]));

	probes = cbd_json_check(cJSON_AddObjectToObject(root, "probes"));
	for (size_t i = 0; i < r->n_probes; i++)
		cJSON_AddItemToObject(probes, r->probes[i].name,
				      cbd_result_to_cjson(r->probes[i].result));
	if (r->n_findings > 0)
		cJSON_AddItemToObject(root, "findings",
				      cbd_findings_to_cjson(r->findings, r->n_findings));
	doc->root = root;
	return doc;
}

void
cbd_doc_free(struct cbd_doc *doc)
{
	if (!doc)
		return;
	if (doc->blocks) {
		for (void *b = doc->blocks, *next; b; b = next) {
			next = *(void **)b;
			free(b);
		}
	} else {
		cJSON_Delete(doc->root);
	}
	free(doc);
}

/* @j as indented text with a final newline (malloc'd). JSON is cat on
 * terminals: C1, bidi and the like go out as \u escapes, the same value. */
static char *
print_json(const cJSON *j)
{
	char *s = cJSON_Print(j);
	char *r;

	if (!s)
		abort();
	r = cbd_json_escape_unsafe(s);
	cJSON_free(s);
	s = cbd_strdupf("%s\n", r);
	free(r);
	return s;
}

char *
cbd_doc_to_string(const struct cbd_doc *doc)
{
	return print_json(doc->root);
}

/* @v printed on its own, escaped, written with @tabs more tabs after each line
 * break (JSON text has no raw line break inside a string). */
static void
print_shifted(const cJSON *v, int tabs, FILE *out)
{
	char *raw = cJSON_Print(v);
	_cleanup_free_ char *text = NULL;

	if (!raw)
		abort();
	text = cbd_json_escape_unsafe(raw);
	cJSON_free(raw);
	for (const char *p = text, *nl; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl) {
			fputs(p, out);
			break;
		}
		fwrite(p, 1, (size_t)(nl + 1 - p), out);
		for (int i = 0; i < tabs; i++)
			fputc('\t', out);
	}
}

/* The same text as cbd_doc_to_string(), piece by piece: a large document (a
 * fleet summary) never has its whole text in memory, only its largest
 * top-level member's, or for an array its largest element's. A member printed
 * on its own is one level shallower than in its object, an element of such a
 * member two (cJSON indents an array's objects one level more). */
int
cbd_doc_print(const struct cbd_doc *doc, FILE *out)
{
	const cJSON *m, *e;

	if (!cJSON_IsObject(doc->root) || !doc->root->child) {
		_cleanup_free_ char *s = cbd_doc_to_string(doc);

		fputs(s, out);
		return ferror(out) ? -EIO : 0;
	}
	fputs("{\n", out);
	cJSON_ArrayForEach(m, doc->root)
	{
		cJSON *k = cJSON_CreateStringReference(m->string);

		if (!k)
			abort();
		fputc('\t', out);
		print_shifted(k, 0, out);
		cJSON_Delete(k);
		fputs(":\t", out);
		if (cJSON_IsArray(m) && m->child) {
			fputc('[', out);
			cJSON_ArrayForEach(e, m)
			{
				print_shifted(e, 2, out);
				if (e->next)
					fputs(", ", out);
			}
			fputc(']', out);
		} else {
			print_shifted(m, 1, out);
		}
		fputs(m->next ? ",\n" : "\n", out);
	}
	fputs("}\n", out);
	return ferror(out) ? -EIO : 0;
}

int
cbd_doc_write_atomic(const struct cbd_doc *doc, const char *path, char **ret_err)
{
	_cleanup_free_ char *text = cbd_doc_to_string(doc);

	return cbd_write_file_atomic(path, text, strlen(text), ret_err);
}

/*
 * The common case in one pass, eight bytes at a time: a word with no byte
 * below 0x20 and none above 0x7f is plain printable ASCII and needs no more
 * look. Otherwise the first such byte (the lowest flagged one: the borrow of
 * the subtraction only ever flags bytes after a true one) is looked at on its
 * own: tab, LF and CR pass, a lead byte must start a valid UTF-8 sequence.
 * Returns false at the first doubt; cbd_report_text_check() then runs the
 * byte-by-byte checks again for the exact message.
 */
static bool
text_plainly_valid(const unsigned char *p, size_t len)
{
	const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
	size_t i = 0;

	while (i < len) {
		if (len - i >= 8) {
			uint64_t w, flag;

			memcpy(&w, p + i, sizeof(w));
			flag = (w & high) | ((w - 0x20 * ones) & ~w & high);
			if (!flag) {
				i += 8;
				continue;
			}
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			i += (size_t)__builtin_ctzll(flag) / 8;
#endif
		}
		if (p[i] >= 0x80) {
			size_t n = cbd_utf8_seq_len(p + i, len - i);

			if (!n)
				return false;
			i += n;
		} else if (p[i] < 0x20 && p[i] != '\t' && p[i] != '\n' && p[i] != '\r') {
			return false;
		} else {
			i++;
		}
	}
	return true;
}

int
cbd_report_text_check(const char *text, size_t len, char **ret_err)
{
	if (len > 0 && text_plainly_valid((const unsigned char *)text, len))
		return 0;
	if (len == 0) {
		*ret_err = cbd_strdup("the file is empty");
		return -ENODATA;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)text[i];

		/* RFC 8259: raw control characters are not allowed, not even in strings */
		if (ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') {
			*ret_err = cbd_strdupf("not valid JSON (control character 0x%02x at byte %zu)",
					       ch, i);
			return -EINVAL;
		}
	}
	if (!cbd_utf8_valid(text, len)) {
		*ret_err = cbd_strdup("not a report: the file is not UTF-8 text");
		return -EINVAL;
	}
	return 0;
}

int
cbd_doc_parse(const char *text, size_t len, struct cbd_doc **ret, char **ret_err)
{
	const char *end = NULL;
	cJSON *root;
	struct cbd_doc *doc;
	int r = cbd_report_text_check(text, len, ret_err);

	if (r < 0)
		return r;
	root = cJSON_ParseWithLengthOpts(text, len, &end, false);
	if (!root) {
		/* cJSON_GetErrorPtr is not thread-safe; reconstruct the position from end */
		const char *pos = cJSON_GetErrorPtr();
		size_t line = 1;

		if (!pos || pos < text || pos > text + len)
			pos = text;
		for (const char *p = text; p < pos; p++)
			line += *p == '\n';
		*ret_err = cbd_strdupf("not valid JSON (problem near line %zu)", line);
		return -EINVAL;
	}
	/* trailing garbage after the value */
	while (end && end < text + len && (*end == ' ' || *end == '\n' || *end == '\r' || *end == '\t'))
		end++;
	if (end && end < text + len) {
		cJSON_Delete(root);
		*ret_err = cbd_strdup("not valid JSON (text after the end of the report)");
		return -EINVAL;
	}
	doc = cbd_zalloc(sizeof(*doc));
	doc->root = root;
	*ret = doc;
	return 0;
}

int
cbd_doc_load(const char *path, struct cbd_doc **ret, char **ret_err)
{
	_cleanup_free_ char *buf = NULL;
	size_t len = 0;
	struct stat st;
	int r;

	/* common's one reader: regular files only (a FIFO or a device would block
	 * or never end), opened without blocking, bounded */
	r = cbd_read_file(path, CBD_REPORT_MAX_BYTES, &buf, &len);
	switch (r) {
	case 0:
		return cbd_doc_parse(buf, len, ret, ret_err);
	case -EISDIR:
		*ret_err = cbd_strdup("is a directory, not a report file");
		break;
	case -EINVAL:
		*ret_err = cbd_strdupf("is %s, not a report file",
				       stat(path, &st) == 0 ? cbd_file_type_name(st.st_mode)
							    : "not a regular file");
		break;
	case -EFBIG:
		*ret_err = cbd_strdupf("reports larger than %u MiB are refused",
				       CBD_REPORT_MAX_BYTES >> 20);
		break;
	default:
		*ret_err = cbd_strdupf("cannot open: %s", strerror(-r));
	}
	return r;
}

int
cbd_doc_load_valid(const char *path, struct cbd_doc **ret, char **ret_err)
{
	_cleanup_doc_ struct cbd_doc *doc = NULL;
	int r;

	if ((r = cbd_doc_load(path, &doc, ret_err)) < 0 || (r = cbd_doc_validate(doc, ret_err)) < 0)
		return r;
	*ret = steal_ptr(&doc);
	return 0;
}

int
cbd_doc_exit_code(const struct cbd_doc *doc)
{
	const cJSON *counts = cJSON_GetObjectItemCaseSensitive(doc->root, "counts");
	const cJSON *fail = cJSON_GetObjectItemCaseSensitive(counts, "fail");
	const cJSON *error = cJSON_GetObjectItemCaseSensitive(counts, "error");

	if (cJSON_IsNumber(fail) && fail->valuedouble > 0)
		return 1;
	if (cJSON_IsNumber(error) && error->valuedouble > 0)
		return 3;
	return 0;
}

const char *
cbd_doc_device_serial(const struct cbd_doc *doc)
{
	const cJSON *dev = cJSON_GetObjectItemCaseSensitive(doc->root, "device");
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(dev, "serial");

	return cJSON_IsString(s) ? s->valuestring : NULL;
}

const char *
cbd_doc_ticket(const struct cbd_doc *doc)
{
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(doc->root, "ticket");

	return cJSON_IsString(t) ? t->valuestring : NULL;
}

char *
cbd_list_to_json(const struct cbd_list_entry *entries, size_t n)
{
	cJSON *a = cbd_json_check(cJSON_CreateArray());
	char *s;

	for (size_t i = 0; i < n; i++) {
		cJSON *o = cbd_json_check(cJSON_CreateObject());

		cbd_json_check(cJSON_AddStringToObject(o, "name", entries[i].name));
		cbd_json_check(cJSON_AddStringToObject(o, "description", entries[i].description));
		cbd_json_check(cJSON_AddBoolToObject(o, "interactive", entries[i].interactive));
		cJSON_AddItemToArray(a, o);
	}
	s = print_json(a);
	cJSON_Delete(a);
	return s;
}
