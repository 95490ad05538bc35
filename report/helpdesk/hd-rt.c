/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Request Tracker 5, through REST2 (RT's own POD: lib/RT/REST2.pm).
 *
 *   find      GET  /REST/2.0/tickets?query=<TicketSQL>     serial/asset custom field, open only
 *   create    POST /REST/2.0/ticket                        JSON, the serial in its custom field
 *   has_file  GET  /REST/2.0/ticket/N/attachments?query=[{Filename = name}]
 *   send      POST /REST/2.0/ticket/N/comment              multipart: JSON part + Attachments
 *   fetch     GET  /REST/2.0/attachments?query=[{Filename LIKE cbdiag-}, {id > last}]
 *                  &fields=Filename,Content                100 a page, with their text
 *             GET  /REST/2.0/attachment/N                  its Content in base64, for
 *                                                          a report the page cannot carry
 *
 * The page's Content is RT's decoded text, and RT 5.0.3 encodes it to JSON as
 * if each byte were a character (UTF-8 "\xe2\x84\xa2" comes as "\u00e2\u0084
 * \u00a2"). A report all in ASCII reads the same either way and is taken from
 * the page; any other (a model name with a trademark sign), or a page too
 * large to read, is fetched on its own in base64, byte for byte. One request
 * a page instead of one a report: RT answers each in about 0.3 s here
 * (docs/performance.md), so 20,500 reports take minutes, not hours.
 *
 * RT answers a comment with ["Comments added"] and no id, so "attached" is
 * only said after the file name shows up in the ticket's attachment list.
 * A comment on a ticket that does not exist gets HTTP 400, not 404.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "helpdesk-private.h"
#include "doc-json.h"

#define REST "/REST/2.0"

static bool
all_digits(const char *s)
{
	if (strempty(s) || strlen(s) > 18)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static int
rt_check(const struct cbd_helpdesk_config *cfg, char **ret_err)
{
	if (strempty(cfg->url)) {
		*ret_err = cbd_strdup("[helpdesk] type = rt needs url = https://… (RT's base "
				      "address; REST2 lives under /REST/2.0)");
		return -EINVAL;
	}
	if (cbd_hd_check_url(cfg->url, ret_err) < 0)
		return -EINVAL;
	if (strpbrk(cfg->serial_field ? cfg->serial_field : "", "{}'\\") ||
	    strpbrk(cfg->asset_field ? cfg->asset_field : "", "{}'\\")) {
		*ret_err = cbd_strdup("[helpdesk] serial_field and asset_field cannot contain { } ' "
				      "or \\");
		return -EINVAL;
	}
	return 0;
}

/* A TicketSQL string literal: 'value' with ' and \ escaped. */
static void
put_quoted(FILE *f, const char *v)
{
	fputc('\'', f);
	for (; *v; v++) {
		if (*v == '\'' || *v == '\\')
			fputc('\\', f);
		fputc(*v, f);
	}
	fputc('\'', f);
}

static char *
ticket_query(const struct cbd_hd *hd, const struct cbd_hd_item *item)
{
	const struct cbd_helpdesk_config *c = hd->cfg;
	const char *sf = strempty(c->serial_field) ? CBD_HD_DEFAULT_SERIAL_FIELD : c->serial_field;
	bool by_asset = !strempty(c->asset_field) && !strempty(item->asset_tag);
	bool by_serial = !strempty(item->serial);
	char *q = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&q, &n);

	if (!f)
		abort();
	fputc('(', f);
	if (by_serial) {
		fprintf(f, "'CF.{%s}' = ", sf);
		put_quoted(f, item->serial);
	}
	if (by_asset) {
		fprintf(f, "%s'CF.{%s}' = ", by_serial ? " OR " : "", c->asset_field);
		put_quoted(f, item->asset_tag);
	}
	if (!by_serial && !by_asset)
		fputs("id < 0", f); /* nothing to match by: an empty answer */
	fputs(") AND Status != 'resolved' AND Status != 'rejected'", f);
	fclose(f);
	return q;
}

/* Parse a REST2 collection page; returns its items array or NULL. */
static cJSON *
parse_page(const struct cbd_http_resp *resp, int *pages)
{
	cJSON *root = cJSON_ParseWithLength(resp->body, resp->len);
	const cJSON *p = cbd_json_member(root, "pages");

	*pages = cJSON_IsNumber(p) ? p->valueint : 1;
	if (!cJSON_IsArray(cbd_json_member(root, "items"))) {
		cJSON_Delete(root);
		return NULL;
	}
	return root;
}

static enum cbd_hd_result
bad_answer(const char *what, char **ret_msg)
{
	*ret_msg = cbd_strdupf("%s: Request Tracker sent an answer cbdiag cannot read (is url "
			       "the RT base address?)",
			       what);
	return CBD_HD_REFUSED;
}

static enum cbd_hd_result
rt_find(struct cbd_hd *hd, const struct cbd_hd_item *item, char ***ret_ids, size_t *ret_n,
	char **ret_msg)
{
	_cleanup_free_ char *q = ticket_query(hd, item);
	_cleanup_free_ char *eq = cbd_http_escape(q);
	char **ids = NULL;
	size_t n = 0;
	int pages = 1;

	for (int page = 1; page <= pages && page <= 50; page++) {
		_cleanup_free_ char *url =
			cbd_hd_url(hd, REST "/tickets?query=%s&fields=Status&per_page=100&page=%d",
				   eq, page);
		struct cbd_http_resp resp;
		enum cbd_hd_result r;
		cJSON *root = NULL;
		const cJSON *it;

		cbd_http_get(hd->http, url, &resp);
		r = cbd_hd_classify_http(&resp, "looking up the device's tickets", ret_msg);
		if (r == CBD_HD_DONE && !(root = parse_page(&resp, &pages)))
			r = bad_answer("looking up the device's tickets", ret_msg);
		cbd_http_resp_clear(&resp);
		if (r != CBD_HD_DONE) {
			for (size_t i = 0; i < n; i++)
				free(ids[i]);
			free(ids);
			return r;
		}
		cJSON_ArrayForEach(it, cbd_json_member(root, "items"))
		{
			const char *id = cbd_json_member_str(it, "id");

			if (!id)
				continue;
			ids = cbd_realloc_array(ids, n + 1, sizeof(*ids));
			ids[n++] = cbd_strdup(id);
		}
		cJSON_Delete(root);
	}
	*ret_ids = ids;
	*ret_n = n;
	return CBD_HD_DONE;
}

static enum cbd_hd_result
rt_create(struct cbd_hd *hd, const struct cbd_hd_item *item, char **ret_id, char **ret_msg)
{
	const struct cbd_helpdesk_config *c = hd->cfg;
	const char *sf = strempty(c->serial_field) ? CBD_HD_DEFAULT_SERIAL_FIELD : c->serial_field;
	_cleanup_free_ char *url = cbd_hd_url(hd, REST "/ticket");
	_cleanup_free_ char *json = NULL;
	_cleanup_free_ char *content = cbd_strdupf(
		"Opened by cbdiag for the device on the bench. The report follows as a comment "
		"(%s).",
		item->filename);
	cJSON *o = cbd_json_check(cJSON_CreateObject());
	cJSON *cf = cbd_json_check(cJSON_AddObjectToObject(o, "CustomFields"));
	struct cbd_http_resp resp;
	enum cbd_hd_result r;
	cJSON *ans;
	const char *id;

	cbd_json_check(cJSON_AddStringToObject(o, "Queue", strempty(c->queue) ? "General" : c->queue));
	cbd_json_check(cJSON_AddStringToObject(o, "Subject", item->subject));
	cbd_json_check(cJSON_AddStringToObject(o, "Content", content));
	cbd_json_check(cJSON_AddStringToObject(o, "ContentType", "text/plain"));
	if (!strempty(item->serial))
		cbd_json_check(cJSON_AddStringToObject(cf, sf, item->serial));
	if (!strempty(c->asset_field) && !strempty(item->asset_tag))
		cbd_json_check(cJSON_AddStringToObject(cf, c->asset_field, item->asset_tag));
	json = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (!json)
		abort();
	cbd_http_post_json(hd->http, url, json, &resp);
	r = cbd_hd_classify_http(&resp, "opening a ticket", ret_msg);
	if (r != CBD_HD_DONE) {
		cbd_http_resp_clear(&resp);
		return r;
	}
	ans = cJSON_ParseWithLength(resp.body, resp.len);
	cbd_http_resp_clear(&resp);
	id = cbd_json_member_str(ans, "id");
	if (!all_digits(id)) {
		cJSON_Delete(ans);
		return bad_answer("opening a ticket", ret_msg);
	}
	*ret_id = cbd_strdup(id);
	cJSON_Delete(ans);

	/* RT ignores an unknown custom field on create (HTTP 201 all the same): look
	 * the ticket up by serial as the next run will, and say so if it is not found */
	if (!strempty(item->serial)) {
		char **ids = NULL, *msg = NULL;
		size_t n = 0;
		bool found = false;

		if (rt_find(hd, item, &ids, &n, &msg) == CBD_HD_DONE) {
			for (size_t i = 0; i < n; i++)
				found = found || streq(ids[i], *ret_id);
			if (!found)
				*ret_msg = cbd_strdupf(
					"ticket %s was opened, but a search by serial does not find "
					"it: does RT have the ticket custom field '%s'? (serial_field)",
					*ret_id, sf);
		}
		for (size_t i = 0; i < n; i++)
			free(ids[i]);
		free(ids);
		free(msg);
	}
	return CBD_HD_DONE;
}

static enum cbd_hd_result
check_ticket_id(const char *ticket, char **ret_msg)
{
	if (all_digits(ticket))
		return CBD_HD_DONE;
	*ret_msg = cbd_strdupf("'%s' is not a Request Tracker ticket number", ticket);
	return CBD_HD_REFUSED;
}

static enum cbd_hd_result
rt_has_file(struct cbd_hd *hd, const char *ticket, const struct cbd_hd_item *item, bool *ret,
	    char **ret_msg)
{
	_cleanup_free_ char *what = cbd_strdupf("reading the attachments of ticket %s", ticket);
	_cleanup_free_ char *filter = NULL, *efilter = NULL;
	enum cbd_hd_result r = check_ticket_id(ticket, ret_msg);
	cJSON *q, *lim;
	int pages = 1;

	*ret = false;
	if (r != CBD_HD_DONE)
		return r;
	/* ask RT for attachments of that name only (REST2's JSON query); the
	 * names are still compared here, so an RT that ignores the filter
	 * costs pages, not correctness */
	q = cbd_json_check(cJSON_CreateArray());
	lim = cbd_json_check(cJSON_CreateObject());
	cJSON_AddItemToArray(q, lim);
	cbd_json_check(cJSON_AddStringToObject(lim, "field", "Filename"));
	cbd_json_check(cJSON_AddStringToObject(lim, "operator", "="));
	cbd_json_check(cJSON_AddStringToObject(lim, "value", item->filename));
	filter = cJSON_PrintUnformatted(q);
	cJSON_Delete(q);
	if (!filter)
		abort();
	efilter = cbd_http_escape(filter);
	for (int page = 1; page <= pages && page <= 1000 && !*ret; page++) {
		_cleanup_free_ char *url = cbd_hd_url(
			hd,
			REST "/ticket/%s/attachments?query=%s&fields=Filename&per_page=100&page=%d",
			ticket, efilter, page);
		struct cbd_http_resp resp;
		cJSON *root = NULL;
		const cJSON *it;

		cbd_http_get(hd->http, url, &resp);
		r = cbd_hd_classify_http(&resp, what, ret_msg);
		if (r == CBD_HD_DONE && !(root = parse_page(&resp, &pages)))
			r = bad_answer(what, ret_msg);
		if (r == CBD_HD_REFUSED && resp.status == 404) {
			free(*ret_msg);
			*ret_msg = cbd_strdupf("ticket %s does not exist in Request Tracker", ticket);
		}
		cbd_http_resp_clear(&resp);
		if (r != CBD_HD_DONE)
			return r;
		cJSON_ArrayForEach(it, cbd_json_member(root, "items"))
		{
			if (streq(cbd_json_member_str(it, "Filename"), item->filename))
				*ret = true;
		}
		cJSON_Delete(root);
	}
	return CBD_HD_DONE;
}

static enum cbd_hd_result
rt_send(struct cbd_hd *hd, const char *ticket, const struct cbd_hd_item *item, char **ret_msg)
{
	_cleanup_free_ char *url = cbd_hd_url(hd, REST "/ticket/%s/comment", ticket);
	_cleanup_free_ char *what = cbd_strdupf("attaching the report to ticket %s", ticket);
	_cleanup_free_ char *subject = cbd_strdupf("cbdiag report %s", item->report_id);
	_cleanup_free_ char *json = NULL;
	cJSON *o = cbd_json_check(cJSON_CreateObject());
	struct cbd_http_resp resp;
	enum cbd_hd_result r = check_ticket_id(ticket, ret_msg);

	if (r != CBD_HD_DONE) {
		cJSON_Delete(o);
		return r;
	}
	cbd_json_check(cJSON_AddStringToObject(o, "Subject", subject));
	cbd_json_check(cJSON_AddStringToObject(o, "Content", item->body));
	cbd_json_check(cJSON_AddStringToObject(o, "ContentType", "text/plain"));
	json = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (!json)
		abort();
	{
		const struct cbd_http_part parts[] = {
			{.name = "JSON", .type = "application/json", .data = json,
			 .len = strlen(json)},
			{.name = "Attachments", .type = "application/json",
			 .filename = item->filename, .data = item->data,
			 .len = item->size},
		};

		cbd_http_post_form(hd->http, url, parts, CBD_ARRAY_SIZE(parts), NULL, &resp);
	}
	r = cbd_hd_classify_http(&resp, what, ret_msg);
	if (r == CBD_HD_REFUSED && resp.status == 400) {
		free(*ret_msg);
		*ret_msg = cbd_strdupf("ticket %s does not exist or cannot take a comment (Request "
				       "Tracker answered HTTP 400)",
				       ticket);
	}
	cbd_http_resp_clear(&resp);
	return r;
}


/* ---- the reports on RT's tickets, for the fleet view (cbdiag summary --helpdesk) ---- */

#define LAST_ID ".rt-last-id" /* hidden: the summary's folder walk skips it */

static unsigned long long
read_last_id(const char *dir)
{
	_cleanup_free_ char *path = cbd_strdupf("%s/" LAST_ID, dir), *text = NULL;
	size_t len;

	if (cbd_read_file(path, 64, &text, &len) < 0 || (cbd_strstrip(text), !all_digits(text)))
		return 0;
	return strtoull(text, NULL, 10);
}

static int
write_last_id(const char *dir, unsigned long long id, char **ret_err)
{
	_cleanup_free_ char *path = cbd_strdupf("%s/" LAST_ID, dir);
	char text[32];

	snprintf(text, sizeof(text), "%llu\n", id);
	return cbd_write_file_atomic(path, text, strlen(text), ret_err);
}

/* cbdiag's report files: "cbdiag-SERIAL-ID.json" (cbd_hd_filename), whoever sent them */
static bool
report_file_name(const char *name)
{
	size_t n = name ? strlen(name) : 0;

	return n > 12 && strncmp(name, "cbdiag-", 7) == 0 && streq(name + n - 5, ".json");
}

/* Where attachment @name goes in @dir (made safe here: it comes from the server). */
static char *
cache_path(const char *dir, const char *name)
{
	_cleanup_free_ char *safe = cbd_filename_part(name, 240, "cbdiag-unknown.json");

	return cbd_strdupf("%s/%s", dir, safe);
}

static enum cbd_hd_result
keep_file(const char *path, const char *bytes, size_t len, struct cbd_hd_fetch *st,
	  char **ret_msg)
{
	_cleanup_free_ char *err = NULL;

	if (cbd_write_file_atomic(path, bytes, len, &err) < 0) {
		*ret_msg = cbd_strdupf("writing %s: %s", path, err);
		return CBD_HD_REFUSED;
	}
	st->fetched++;
	return CBD_HD_DONE;
}

/* The page's text of a report, when it is the file byte for byte: ASCII only. */
static bool
page_content_exact(const cJSON *content)
{
	if (!cJSON_IsString(content) || !content->valuestring)
		return false;
	for (const unsigned char *c = (const unsigned char *)content->valuestring; *c; c++)
		if (*c >= 0x80)
			return false;
	return strlen(content->valuestring) <= CBD_REPORT_MAX_BYTES;
}

/* Attachment @id into @dir as @name; a name already there is the same report
 * attached twice, kept once. The page's @content when it is exact, else the
 * attachment is read on its own. */
static enum cbd_hd_result
fetch_one(struct cbd_hd *hd, const char *dir, const char *id, const char *name,
	  const cJSON *page_content, struct cbd_hd_fetch *st, char **ret_msg)
{
	_cleanup_free_ char *url = cbd_hd_url(hd, REST "/attachment/%s", id);
	_cleanup_free_ char *what = cbd_strdupf("reading attachment %s", id);
	_cleanup_free_ char *path = cache_path(dir, name), *bytes = NULL;
	struct cbd_http_resp resp;
	enum cbd_hd_result r;
	const char *content;
	size_t len = 0;
	cJSON *root;

	if (access(path, F_OK) == 0) {
		st->duplicates++;
		return CBD_HD_DONE;
	}
	if (page_content_exact(page_content))
		return keep_file(path, page_content->valuestring, strlen(page_content->valuestring),
				 st, ret_msg);
	cbd_http_get(hd->http, url, &resp);
	r = cbd_hd_classify_http(&resp, what, ret_msg);
	if (r != CBD_HD_DONE) {
		cbd_http_resp_clear(&resp);
		return r;
	}
	root = cJSON_ParseWithLength(resp.body, resp.len);
	cbd_http_resp_clear(&resp);
	content = cbd_json_member_str(root, "Content");
	if (!content || cbd_base64_decode(content, strlen(content), &bytes, &len) < 0 ||
	    len > CBD_REPORT_MAX_BYTES) {
		/* not a file cbdiag can take (the summary would skip it anyway) */
		cJSON_Delete(root);
		st->refused++;
		return CBD_HD_DONE;
	}
	cJSON_Delete(root);
	return keep_file(path, bytes, len, st, ret_msg);
}

static enum cbd_hd_result
rt_fetch(struct cbd_hd *hd, const char *dir, struct cbd_hd_fetch *st, char **ret_msg)
{
	_cleanup_free_ char *filter = NULL, *efilter = NULL, *err = NULL;
	unsigned long long last = read_last_id(dir), newest = last;
	char last_text[32];
	enum cbd_hd_result r = CBD_HD_DONE;
	int pages = 1, q;
	cJSON *query = cbd_json_check(cJSON_CreateArray()), *lim;

	if ((q = cbd_mkdir_p(dir, 0700)) < 0) {
		*ret_msg = cbd_strdupf("cannot make the cache folder %s: %s", dir, strerror(-q));
		cJSON_Delete(query);
		return CBD_HD_REFUSED;
	}
	/* cbdiag's files only, and only those newer than the last fetch: attachment
	 * ids only grow, so "newer" is "a larger id" */
	snprintf(last_text, sizeof(last_text), "%llu", last);
	lim = cbd_json_check(cJSON_CreateObject());
	cJSON_AddItemToArray(query, lim);
	cbd_json_check(cJSON_AddStringToObject(lim, "field", "Filename"));
	cbd_json_check(cJSON_AddStringToObject(lim, "operator", "LIKE"));
	cbd_json_check(cJSON_AddStringToObject(lim, "value", "cbdiag-"));
	lim = cbd_json_check(cJSON_CreateObject());
	cJSON_AddItemToArray(query, lim);
	cbd_json_check(cJSON_AddStringToObject(lim, "field", "id"));
	cbd_json_check(cJSON_AddStringToObject(lim, "operator", ">"));
	cbd_json_check(cJSON_AddStringToObject(lim, "value", last_text));
	filter = cJSON_PrintUnformatted(query);
	cJSON_Delete(query);
	if (!filter)
		abort();
	efilter = cbd_http_escape(filter);
	for (int page = 1; page <= pages && page <= 100000 && r == CBD_HD_DONE; page++) {
		_cleanup_free_ char *url = cbd_hd_url(
			hd, REST "/attachments?query=%s&fields=Filename,Content&per_page=100&page=%d"
			"&orderby=id&order=ASC", efilter, page);
		struct cbd_http_resp resp;
		cJSON *root = NULL;
		const cJSON *it;
		bool page_text;

		cbd_http_get(hd->http, url, &resp);
		if (resp.status == 200 && resp.truncated) {
			/* reports too large for one page: the names only, each read alone */
			free(url);
			url = cbd_hd_url(hd, REST "/attachments?query=%s&fields=Filename&per_page=100"
					 "&page=%d&orderby=id&order=ASC", efilter, page);
			cbd_http_resp_clear(&resp);
			cbd_http_get(hd->http, url, &resp);
		}
		r = cbd_hd_classify_http(&resp, "listing cbdiag's attachments", ret_msg);
		if (r == CBD_HD_DONE && !(root = parse_page(&resp, &pages)))
			r = bad_answer("listing cbdiag's attachments", ret_msg);
		/* a text with a NUL in it ("\u0000") is cut there by the parser: that
		 * page's files are read alone, byte for byte */
		page_text = resp.body && !memmem(resp.body, resp.len, "\\u0000", 6);
		cbd_http_resp_clear(&resp);
		cJSON_ArrayForEach(it, cbd_json_member(root, "items"))
		{
			const char *id = cbd_json_member_str(it, "id");
			char idbuf[32];
			const cJSON *n = cbd_json_member(it, "id");

			if (r != CBD_HD_DONE)
				break;
			if (!id && cJSON_IsNumber(n) && n->valuedouble >= 1 && n->valuedouble < 1e15) {
				snprintf(idbuf, sizeof(idbuf), "%.0f", n->valuedouble);
				id = idbuf;
			}
			if (!all_digits(id))
				continue;
			if (report_file_name(cbd_json_member_str(it, "Filename")))
				r = fetch_one(hd, dir, id, cbd_json_member_str(it, "Filename"),
					      page_text ? cbd_json_member(it, "Content") : NULL, st,
					      ret_msg);
			/* what is written is kept: an interrupted fetch goes on from here */
			if (r == CBD_HD_DONE && strtoull(id, NULL, 10) > newest) {
				newest = strtoull(id, NULL, 10);
				if (write_last_id(dir, newest, &err) < 0) {
					*ret_msg = cbd_strdupf("writing %s/" LAST_ID ": %s", dir, err);
					r = CBD_HD_REFUSED;
				}
			}
		}
		cJSON_Delete(root);
	}
	return r;
}

const struct cbd_hd_backend cbd_hd_backend_rt = {
	.type = "rt",
	.name = "Request Tracker",
	.needs_token = true,
	.needs_ticket = true,
	.auth_scheme = "token",
	.check = rt_check,
	.find = rt_find,
	.create = rt_create,
	.has_file = rt_has_file,
	.send = rt_send,
	.fetch = rt_fetch,
};
