/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Inside report/helpdesk/ only: the few HTTP calls the help-desk backends make,
 * through one libcurl easy handle per session so that the connection is
 * reused (a queue flush of 200 reports opens one or two connections).
 *
 * TLS verification is always on; the CA file is configurable. Redirects are
 * not followed (the token must not travel to another host). libcurl itself
 * honours http_proxy, https_proxy and no_proxy. The token goes only into the
 * Authorization header and never into a message.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include <curl/curl.h>

#include "cbd-util.h"

struct cbd_http;

struct cbd_http_resp {
	long status;   /* HTTP status, 0 when no answer came */
	char *body;    /* NUL-terminated, owned; at most CBD_HTTP_MAX_BODY bytes kept */
	size_t len;
	bool truncated;
	char error[256]; /* transport problem in words, when status == 0 */
	bool transient;  /* a transport problem worth retrying later */
};

/* a 32 MiB report (CBD_REPORT_MAX_BYTES) read back in base64 inside REST2's JSON */
#define CBD_HTTP_MAX_BODY (48u * 1024u * 1024u)

/* A multipart form part, read from memory (@data, @len; not copied, kept by the caller). */
struct cbd_http_part {
	const char *name;
	const char *type;
	const char *filename; /* or NULL */
	const char *data;
	size_t len;
};

struct cbd_http_options {
	const char *ca_file; /* or NULL: the system's trust store */
	unsigned connect_timeout_s;
	unsigned timeout_s;
	bool no_proxy; /* never through a proxy (plain HTTP to loopback) */
};

/*
 * libcurl is not linked but opened by soname at first use (http.c). The
 * stick's image (tests/bench/build-image.sh) and the developer-shell bundle
 * (tests/bench/devshell/make-bundle.sh) carry it by this name: change them
 * together.
 */
#define CBD_HTTP_CURL_SONAME "libcurl.so.4"
#define CBD_HTTP_CURL_PACKAGE "libcurl4" /* Debian's, for the message */

/* libcurl's functions, looked up once by cbd_http_load(): http.c's HTTP and
 * hd-email.c's SMTP call libcurl only through this table. */
struct cbd_curl_api {
	typeof(curl_global_init) *global_init;
	typeof(curl_easy_init) *easy_init;
	typeof(curl_easy_cleanup) *easy_cleanup;
	typeof(curl_easy_reset) *easy_reset;
	typeof(curl_easy_setopt) *easy_setopt;
	typeof(curl_easy_getinfo) *easy_getinfo;
	typeof(curl_easy_perform) *easy_perform;
	typeof(curl_easy_strerror) *easy_strerror;
	typeof(curl_easy_escape) *easy_escape;
	typeof(curl_free) *free;
	typeof(curl_slist_append) *slist_append;
	typeof(curl_slist_free_all) *slist_free_all;
	typeof(curl_mime_init) *mime_init;
	typeof(curl_mime_addpart) *mime_addpart;
	typeof(curl_mime_name) *mime_name;
	typeof(curl_mime_data) *mime_data;
	typeof(curl_mime_data_cb) *mime_data_cb;
	typeof(curl_mime_filename) *mime_filename;
	typeof(curl_mime_type) *mime_type;
	typeof(curl_mime_encoder) *mime_encoder;
	typeof(curl_mime_free) *mime_free;
	typeof(curl_url) *url;
	typeof(curl_url_set) *url_set;
	typeof(curl_url_get) *url_get;
	typeof(curl_url_cleanup) *url_cleanup;
};
extern struct cbd_curl_api cbd_curl;

/* A part's bytes, read by libcurl from the caller's buffer (no copy of a
 * 20 MB report): curl_mime_data_cb's read and seek callbacks. */
struct cbd_http_mem_reader {
	const char *data;
	size_t len, pos;
};
size_t cbd_http_mem_read(char *buf, size_t size, size_t nitems, void *arg);
int cbd_http_mem_seek(void *arg, curl_off_t offset, int origin);

/* Load libcurl, once per process. 0, or -ELIBACC with a one-line *@ret_err
 * naming the package. Every other cbd_http_* call needs it done first. */
int cbd_http_load(char **ret_err);

struct cbd_http *cbd_http_new(const struct cbd_http_options *opt, const char *auth_header);
void cbd_http_free(struct cbd_http *h);
void cbd_http_resp_clear(struct cbd_http_resp *r);

int cbd_http_get(struct cbd_http *h, const char *url, struct cbd_http_resp *resp);
int cbd_http_post_json(struct cbd_http *h, const char *url, const char *json,
		       struct cbd_http_resp *resp);
int cbd_http_post_form(struct cbd_http *h, const char *url, const struct cbd_http_part *parts,
		       size_t n_parts, const char *const *extra_headers,
		       struct cbd_http_resp *resp);

/* The scheme and host of @url as libcurl will read them (lower-case scheme;
 * an IPv6 host in brackets). 0, or -EINVAL when it is not a URL. */
int cbd_http_url_parts(const char *url, char **ret_scheme, char **ret_host);

/* Percent-encode @s for a query string. */
char *cbd_http_escape(const char *s);

/* The HTTP status of the last request, 0 when no answer came (it may have arrived all the same). */
long cbd_http_last_status(const struct cbd_http *h);

void cbd_http_stats(const struct cbd_http *h, unsigned *requests, unsigned *connections);

/* A short printable excerpt of an error answer's body, for messages. */
char *cbd_http_body_excerpt(const struct cbd_http_resp *r);
