/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* HTTP for the help-desk backends: one reused libcurl handle. See http.h. */
#include "http.h"

#include <curl/curl.h>
#include <dlfcn.h>
#include <pthread.h>
#include <errno.h>
#include <stdio.h>

#include "cbd-util.h"

/*
 * libcurl is opened at the help desk's first use, not linked: linked, it and
 * the thirty libraries it needs (TLS, HTTP/2, Kerberos, LDAP, SSH…) were
 * loaded and relocated by every command, ~7 ms and ~6 MiB of a start that
 * needs none of them (issue 19). Its functions are looked up once, into
 * this table; a missing or incomplete libcurl is one message, and every
 * command that does not talk HTTP works without it.
 */
struct cbd_curl_api cbd_curl;

#define SYM(n) {"curl_" #n, (void **)&cbd_curl.n}
static const struct {
	const char *name;
	void **slot;
} dl_syms[] = {
	SYM(global_init),  SYM(easy_init),      SYM(easy_cleanup),  SYM(easy_setopt),
	SYM(easy_getinfo), SYM(easy_perform),   SYM(easy_strerror), SYM(easy_escape),
	SYM(free),         SYM(slist_append),   SYM(slist_free_all), SYM(mime_init),
	SYM(mime_addpart), SYM(mime_name),      SYM(mime_data_cb),  SYM(mime_filename),
	SYM(mime_type),    SYM(mime_free),      SYM(url),           SYM(url_set),
	SYM(url_get),      SYM(url_cleanup),    SYM(easy_reset),    SYM(mime_data),
	SYM(mime_encoder),
};
#undef SYM

static pthread_once_t dl_once = PTHREAD_ONCE_INIT;
static char *dl_error; /* why libcurl cannot be used, or NULL once it is loaded */

static void
dl_load(void)
{
	const char *e;
	void *lib;

	/* by soname, through the loader's ordinary search: no path of our own */
	lib = dlopen(CBD_HTTP_CURL_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!lib) {
		e = dlerror();
		dl_error = cbd_strdup(e ? e : "not found");
		return;
	}
	for (size_t i = 0; i < CBD_ARRAY_SIZE(dl_syms); i++) {
		*dl_syms[i].slot = dlsym(lib, dl_syms[i].name);
		if (!*dl_syms[i].slot) {
			dl_error = cbd_strdupf(CBD_HTTP_CURL_SONAME " has no %s: too old",
					       dl_syms[i].name);
			break;
		}
	}
	if (!dl_error && cbd_curl.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		dl_error = cbd_strdup("curl_global_init failed");
	if (dl_error) {
		cbd_curl = (struct cbd_curl_api){0};
		dlclose(lib);
	}
	/* else kept open for the life of the process: its handles outlive any one session */
}

int
cbd_http_load(char **ret_err)
{
	pthread_once(&dl_once, dl_load);
	if (!dl_error)
		return 0;
	*ret_err = cbd_strdupf("the help desk needs libcurl, which cannot be loaded (%s): install "
			       "the Debian package %s",
			       dl_error, CBD_HTTP_CURL_PACKAGE);
	return -ELIBACC;
}

static void
assert_loaded(void)
{
	/* every path to HTTP goes through cbd_hd_open, which loads libcurl first */
	if (!cbd_curl.easy_init)
		abort();
}

struct cbd_http {
	CURL *curl;
	struct curl_slist *auth; /* the Authorization header, or NULL */
	unsigned requests, connections;
	long last_status; /* of the last request: 0 when no answer came */
};

struct cbd_http *
cbd_http_new(const struct cbd_http_options *opt, const char *auth_header)
{
	struct cbd_http *h = cbd_zalloc(sizeof(*h));

	assert_loaded();
	h->curl = cbd_curl.easy_init();
	if (!h->curl)
		abort();
	if (auth_header) {
		h->auth = cbd_curl.slist_append(NULL, auth_header);
		if (!h->auth)
			abort();
	}
	cbd_curl.easy_setopt(h->curl, CURLOPT_PROTOCOLS_STR, "http,https");
	cbd_curl.easy_setopt(h->curl, CURLOPT_FOLLOWLOCATION, 0L);
	cbd_curl.easy_setopt(h->curl, CURLOPT_SSL_VERIFYPEER, 1L);
	cbd_curl.easy_setopt(h->curl, CURLOPT_SSL_VERIFYHOST, 2L);
	if (!strempty(opt->ca_file))
		cbd_curl.easy_setopt(h->curl, CURLOPT_CAINFO, opt->ca_file);
	/* plain HTTP is only allowed to loopback (helpdesk.c): no proxy may carry it away */
	if (opt->no_proxy)
		cbd_curl.easy_setopt(h->curl, CURLOPT_NOPROXY, "*");
	cbd_curl.easy_setopt(h->curl, CURLOPT_CONNECTTIMEOUT, (long)opt->connect_timeout_s);
	cbd_curl.easy_setopt(h->curl, CURLOPT_TIMEOUT, (long)opt->timeout_s);
	/* a stalled transfer (under 1 kB/s for 30 s) is given up well before the total timeout */
	cbd_curl.easy_setopt(h->curl, CURLOPT_LOW_SPEED_LIMIT, 1024L);
	cbd_curl.easy_setopt(h->curl, CURLOPT_LOW_SPEED_TIME, 30L);
	cbd_curl.easy_setopt(h->curl, CURLOPT_NOSIGNAL, 1L);
	cbd_curl.easy_setopt(h->curl, CURLOPT_USERAGENT, "cbdiag/" CBD_VERSION);
	cbd_curl.easy_setopt(h->curl, CURLOPT_TCP_KEEPALIVE, 1L);
	return h;
}

/* Free a header list, zeroing every header first: one of them holds the token. */
static void
slist_free_wiped(struct curl_slist *l)
{
	for (struct curl_slist *a = l; a; a = a->next)
		if (a->data)
			explicit_bzero(a->data, strlen(a->data));
	cbd_curl.slist_free_all(l);
}

void
cbd_http_free(struct cbd_http *h)
{
	if (!h)
		return;
	cbd_curl.easy_cleanup(h->curl);
	slist_free_wiped(h->auth);
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
	cbd_curl.easy_setopt(h->curl, CURLOPT_HTTPHEADER, headers);
	cbd_curl.easy_setopt(h->curl, CURLOPT_WRITEFUNCTION, on_body);
	cbd_curl.easy_setopt(h->curl, CURLOPT_WRITEDATA, resp);
	cbd_curl.easy_setopt(h->curl, CURLOPT_ERRORBUFFER, errbuf);
	c = cbd_curl.easy_perform(h->curl);
	h->requests++;
	h->last_status = 0;
	if (cbd_curl.easy_getinfo(h->curl, CURLINFO_NUM_CONNECTS, &conns) == CURLE_OK && conns > 0)
		h->connections += (unsigned)conns;
	cbd_curl.easy_setopt(h->curl, CURLOPT_ERRORBUFFER, NULL);
	if (c != CURLE_OK) {
		snprintf(resp->error, sizeof(resp->error), "%s",
			 errbuf[0] ? errbuf : cbd_curl.easy_strerror(c));
		resp->transient = transient_code(c);
		return -EIO;
	}
	cbd_curl.easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &resp->status);
	h->last_status = resp->status;
	return 0;
}

/* The auth header plus @extra, in a list the caller frees. */
static struct curl_slist *
headers_with(const struct cbd_http *h, const char *const *extra)
{
	struct curl_slist *l = NULL;

	for (struct curl_slist *a = h->auth; a; a = a->next)
		l = cbd_curl.slist_append(l, a->data);
	for (size_t i = 0; extra && extra[i]; i++)
		l = cbd_curl.slist_append(l, extra[i]);
	return l;
}

int
cbd_http_get(struct cbd_http *h, const char *url, struct cbd_http_resp *resp)
{
	static const char *const extra[] = {"Accept: application/json", NULL};
	struct curl_slist *hd = headers_with(h, extra);
	int r;

	cbd_curl.easy_setopt(h->curl, CURLOPT_URL, url);
	cbd_curl.easy_setopt(h->curl, CURLOPT_HTTPGET, 1L);
	r = perform(h, hd, resp);
	slist_free_wiped(hd);
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

	cbd_curl.easy_setopt(h->curl, CURLOPT_URL, url);
	cbd_curl.easy_setopt(h->curl, CURLOPT_POST, 1L);
	cbd_curl.easy_setopt(h->curl, CURLOPT_POSTFIELDS, json);
	cbd_curl.easy_setopt(h->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(json));
	r = perform(h, hd, resp);
	cbd_curl.easy_setopt(h->curl, CURLOPT_POSTFIELDS, NULL);
	slist_free_wiped(hd);
	return r;
}

size_t
cbd_http_mem_read(char *buf, size_t size, size_t nitems, void *arg)
{
	struct cbd_http_mem_reader *pr = arg;
	size_t n = size * nitems;

	if (n > pr->len - pr->pos)
		n = pr->len - pr->pos;
	memcpy(buf, pr->data + pr->pos, n);
	pr->pos += n;
	return n;
}

int
cbd_http_mem_seek(void *arg, curl_off_t offset, int origin)
{
	struct cbd_http_mem_reader *pr = arg;

	if (origin != SEEK_SET || offset < 0 || (size_t)offset > pr->len)
		return CURL_SEEKFUNC_FAIL;
	pr->pos = (size_t)offset;
	return CURL_SEEKFUNC_OK;
}

int
cbd_http_post_form(struct cbd_http *h, const char *url, const struct cbd_http_part *parts,
		   size_t n_parts, const char *const *extra_headers, struct cbd_http_resp *resp)
{
	struct curl_slist *hd = headers_with(h, extra_headers);
	curl_mime *mime = cbd_curl.mime_init(h->curl);
	struct cbd_http_mem_reader *readers = cbd_realloc_array(NULL, n_parts ? n_parts : 1, sizeof(*readers));
	int r;

	/* libcurl would add "Expect: 100-continue" for big bodies, costing a round trip */
	hd = cbd_curl.slist_append(hd, "Expect:");
	for (size_t i = 0; i < n_parts; i++) {
		curl_mimepart *p = cbd_curl.mime_addpart(mime);

		readers[i] = (struct cbd_http_mem_reader){.data = parts[i].data, .len = parts[i].len};
		cbd_curl.mime_name(p, parts[i].name);
		cbd_curl.mime_data_cb(p, (curl_off_t)parts[i].len, cbd_http_mem_read, cbd_http_mem_seek, NULL,
				  &readers[i]);
		cbd_curl.mime_filename(p, parts[i].filename);
		if (parts[i].type)
			cbd_curl.mime_type(p, parts[i].type);
	}
	cbd_curl.easy_setopt(h->curl, CURLOPT_URL, url);
	cbd_curl.easy_setopt(h->curl, CURLOPT_MIMEPOST, mime);
	r = perform(h, hd, resp);
	cbd_curl.easy_setopt(h->curl, CURLOPT_MIMEPOST, NULL);
	cbd_curl.mime_free(mime);
	free(readers);
	slist_free_wiped(hd);
	return r;
}

int
cbd_http_url_parts(const char *url, char **ret_scheme, char **ret_host)
{
	CURLU *u;
	char *scheme = NULL, *host = NULL;
	int r = -EINVAL;

	assert_loaded();
	u = cbd_curl.url();
	if (!u)
		abort();
	if (cbd_curl.url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    cbd_curl.url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
	    cbd_curl.url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
		*ret_scheme = cbd_strdup(scheme);
		*ret_host = cbd_strdup(host);
		r = 0;
	}
	cbd_curl.free(scheme);
	cbd_curl.free(host);
	cbd_curl.url_cleanup(u);
	return r;
}

char *
cbd_http_escape(const char *s)
{
	char *e, *copy;

	assert_loaded();
	e = cbd_curl.easy_escape(NULL, s, 0);
	if (!e)
		abort();
	copy = cbd_strdup(e);
	cbd_curl.free(e);
	return copy;
}

long
cbd_http_last_status(const struct cbd_http *h)
{
	return h ? h->last_status : 0;
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
