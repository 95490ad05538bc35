/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* HTTP for the help-desk backends: one reused libcurl handle. See http.h. */
#include "http.h"

#include <curl/curl.h>
#include <pthread.h>
#include <errno.h>
#include <stdio.h>

#include "cbd-util.h"

struct cbd_http {
	CURL *curl;
	struct curl_slist *auth; /* the Authorization header, or NULL */
	unsigned requests, connections;
};

static pthread_once_t global_once = PTHREAD_ONCE_INIT;

static void
global_init(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

struct cbd_http *
cbd_http_new(const struct cbd_http_options *opt, const char *auth_header)
{
	struct cbd_http *h = cbd_zalloc(sizeof(*h));

	pthread_once(&global_once, global_init);
	h->curl = curl_easy_init();
	if (!h->curl)
		abort();
	if (auth_header) {
		h->auth = curl_slist_append(NULL, auth_header);
		if (!h->auth)
			abort();
	}
	curl_easy_setopt(h->curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h->curl, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h->curl, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h->curl, CURLOPT_SSL_VERIFYHOST, 2L);
	if (!strempty(opt->ca_file))
		curl_easy_setopt(h->curl, CURLOPT_CAINFO, opt->ca_file);
	curl_easy_setopt(h->curl, CURLOPT_CONNECTTIMEOUT, (long)opt->connect_timeout_s);
	curl_easy_setopt(h->curl, CURLOPT_TIMEOUT, (long)opt->timeout_s);
	/* a stalled transfer (under 1 kB/s for 30 s) is given up well before the total timeout */
	curl_easy_setopt(h->curl, CURLOPT_LOW_SPEED_LIMIT, 1024L);
	curl_easy_setopt(h->curl, CURLOPT_LOW_SPEED_TIME, 30L);
	curl_easy_setopt(h->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h->curl, CURLOPT_USERAGENT, "cbdiag/" CBD_VERSION);
	curl_easy_setopt(h->curl, CURLOPT_TCP_KEEPALIVE, 1L);
	return h;
}

void
cbd_http_free(struct cbd_http *h)
{
	if (!h)
		return;
	curl_easy_cleanup(h->curl);
	curl_slist_free_all(h->auth);
	free(h);
}

void
cbd_http_resp_clear(struct cbd_http_resp *r)
{
	free(r->body);
	*r = (struct cbd_http_resp){0};
}

static size_t
on_body(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	struct cbd_http_resp *r = userdata;
	size_t n = size * nmemb, keep = n;

	if (r->len + keep > CBD_HTTP_MAX_BODY) {
		keep = CBD_HTTP_MAX_BODY - r->len;
		r->truncated = true;
	}
	if (keep) {
		r->body = cbd_realloc_array(r->body, r->len + keep + 1, 1);
		memcpy(r->body + r->len, ptr, keep);
		r->len += keep;
		r->body[r->len] = '\0';
	}
	return n;
}

static bool
transient_code(CURLcode c)
{
	switch (c) {
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_AGAIN:
		return true;
	default:
		return false;
	}
}

static int
perform(struct cbd_http *h, struct curl_slist *headers, struct cbd_http_resp *resp)
{
	char errbuf[CURL_ERROR_SIZE] = "";
	long conns = 0;
	CURLcode c;

	*resp = (struct cbd_http_resp){0};
	resp->body = cbd_strdup("");
	curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(h->curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h->curl, CURLOPT_WRITEDATA, resp);
	curl_easy_setopt(h->curl, CURLOPT_ERRORBUFFER, errbuf);
	c = curl_easy_perform(h->curl);
	h->requests++;
	if (curl_easy_getinfo(h->curl, CURLINFO_NUM_CONNECTS, &conns) == CURLE_OK && conns > 0)
		h->connections += (unsigned)conns;
	curl_easy_setopt(h->curl, CURLOPT_ERRORBUFFER, NULL);
	if (c != CURLE_OK) {
		snprintf(resp->error, sizeof(resp->error), "%s",
			 errbuf[0] ? errbuf : curl_easy_strerror(c));
		resp->transient = transient_code(c);
		return -EIO;
	}
	curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &resp->status);
	return 0;
}

/* The auth header plus @extra, in a list the caller frees. */
static struct curl_slist *
headers_with(const struct cbd_http *h, const char *const *extra)
{
	struct curl_slist *l = NULL;

	for (struct curl_slist *a = h->auth; a; a = a->next)
		l = curl_slist_append(l, a->data);
	for (size_t i = 0; extra && extra[i]; i++)
		l = curl_slist_append(l, extra[i]);
	return l;
}

int
cbd_http_get(struct cbd_http *h, const char *url, struct cbd_http_resp *resp)
{
	static const char *const extra[] = {"Accept: application/json", NULL};
	struct curl_slist *hd = headers_with(h, extra);
	int r;

	curl_easy_setopt(h->curl, CURLOPT_URL, url);
	curl_easy_setopt(h->curl, CURLOPT_HTTPGET, 1L);
	r = perform(h, hd, resp);
	curl_slist_free_all(hd);
	return r;
}

int
cbd_http_post_json(struct cbd_http *h, const char *url, const char *json,
		   struct cbd_http_resp *resp)
{
	static const char *const extra[] = {"Content-Type: application/json",
					    "Accept: application/json", NULL};
	struct curl_slist *hd = headers_with(h, extra);
	int r;

	curl_easy_setopt(h->curl, CURLOPT_URL, url);
	curl_easy_setopt(h->curl, CURLOPT_POST, 1L);
	curl_easy_setopt(h->curl, CURLOPT_POSTFIELDS, json);
	curl_easy_setopt(h->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(json));
	r = perform(h, hd, resp);
	curl_easy_setopt(h->curl, CURLOPT_POSTFIELDS, NULL);
	curl_slist_free_all(hd);
	return r;
}

int
cbd_http_post_form(struct cbd_http *h, const char *url, const struct cbd_http_part *parts,
		   size_t n_parts, const char *const *extra_headers, struct cbd_http_resp *resp)
{
	struct curl_slist *hd = headers_with(h, extra_headers);
	curl_mime *mime = curl_mime_init(h->curl);
	int r;

	/* libcurl would add "Expect: 100-continue" for big bodies, costing a round trip */
	hd = curl_slist_append(hd, "Expect:");
	for (size_t i = 0; i < n_parts; i++) {
		curl_mimepart *p = curl_mime_addpart(mime);

		curl_mime_name(p, parts[i].name);
		if (parts[i].file) {
			if (curl_mime_filedata(p, parts[i].file) != CURLE_OK) {
				*resp = (struct cbd_http_resp){0};
				snprintf(resp->error, sizeof(resp->error), "cannot read %s",
					 parts[i].file);
				curl_mime_free(mime);
				curl_slist_free_all(hd);
				return -EIO;
			}
		} else {
			curl_mime_data(p, parts[i].data, parts[i].len);
		}
		/* after filedata, which sets the file's own name */
		curl_mime_filename(p, parts[i].filename);
		if (parts[i].type)
			curl_mime_type(p, parts[i].type);
	}
	curl_easy_setopt(h->curl, CURLOPT_URL, url);
	curl_easy_setopt(h->curl, CURLOPT_MIMEPOST, mime);
	r = perform(h, hd, resp);
	curl_easy_setopt(h->curl, CURLOPT_MIMEPOST, NULL);
	curl_mime_free(mime);
	curl_slist_free_all(hd);
	return r;
}

char *
cbd_http_escape(const char *s)
{
	char *e = curl_easy_escape(NULL, s, 0);
	char *copy;

	if (!e)
		abort();
	copy = cbd_strdup(e);
	curl_free(e);
	return copy;
}

void
cbd_http_stats(const struct cbd_http *h, unsigned *requests, unsigned *connections)
{
	*requests = h ? h->requests : 0;
	*connections = h ? h->connections : 0;
}

/* The first line of an error body, cleaned for a terminal, at most 160 bytes. */
char *
cbd_http_body_excerpt(const struct cbd_http_resp *r)
{
	char buf[161];
	size_t n = 0;

	for (size_t i = 0; r->body && i < r->len && n < sizeof(buf) - 1; i++) {
		unsigned char c = (unsigned char)r->body[i];

		if (c == '\n' || c == '\r') {
			if (n)
				break;
			continue;
		}
		buf[n++] = (char)(c < 0x20 || c >= 0x7f ? '?' : c);
	}
	buf[n] = '\0';
	return cbd_strdup(buf);
}
