/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Delivering reports to the help desk: what every backend shares. See helpdesk.h. */
#include "helpdesk-private.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <arpa/inet.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "doc-json.h"
#include "report.h"

static const struct cbd_hd_backend *const backends[] = {
	&cbd_hd_backend_rt,
	&cbd_hd_backend_folder,
	&cbd_hd_backend_webhook,
	&cbd_hd_backend_email,
};

bool
cbd_hd_configured(const struct cbd_helpdesk_config *cfg)
{
	return cfg && !strempty(cfg->type);
}

enum cbd_hd_result
cbd_hd_classify_http(const struct cbd_http_resp *r, const char *what, char **ret_msg)
{
	_cleanup_free_ char *ex = NULL;

	if (r->status == 0 && r->transient) {
		*ret_msg = cbd_strdupf("%s: the help desk could not be reached (%s)", what,
				       r->error[0] ? r->error : "no answer");
		return CBD_HD_UNREACHABLE;
	}
	if (r->status == 0) { /* TLS verification, a bad URL, a bad CA file: configuration */
		*ret_msg = cbd_strdupf("%s: the connection to the help desk failed and will not "
				       "work by retrying (%s)",
				       what, r->error[0] ? r->error : "no answer");
		return CBD_HD_REFUSED;
	}
	if (r->status >= 200 && r->status < 300)
		return CBD_HD_DONE;
	ex = cbd_http_body_excerpt(r);
	if (r->status >= 500 || r->status == 408 || r->status == 429) {
		*ret_msg = cbd_strdupf("%s: the help desk is not answering properly (HTTP %ld%s%s)",
				       what, r->status, ex[0] ? ": " : "", ex);
		return CBD_HD_UNREACHABLE;
	}
	if (r->status == 401 || r->status == 403) {
		*ret_msg = cbd_strdupf("%s: the help desk refused the token (HTTP %ld%s%s); check "
				       "token_file",
				       what, r->status, ex[0] ? ": " : "", ex);
		return CBD_HD_REFUSED;
	}
	if (r->status >= 300 && r->status < 400) {
		*ret_msg = cbd_strdupf("%s: the help desk answered with a redirect (HTTP %ld); set "
				       "url to the address it redirects to",
				       what, r->status);
		return CBD_HD_REFUSED;
	}
	*ret_msg = cbd_strdupf("%s: the help desk refused the request (HTTP %ld%s%s)", what,
			       r->status, ex[0] ? ": " : "", ex);
	return CBD_HD_REFUSED;
}

bool
cbd_hd_loopback_host(const char *host)
{
	struct in_addr a4;

	if (strcasecmp(host, "localhost") == 0 || streq(host, "[::1]"))
		return true;
	/* the host as libcurl will connect to it ("127.1" comes here as 127.0.0.1) */
	return inet_pton(AF_INET, host, &a4) == 1 && (ntohl(a4.s_addr) >> 24) == 127;
}

int
cbd_hd_check_url(const char *url, char **ret_err)
{
	_cleanup_free_ char *scheme = NULL, *host = NULL;

	if (cbd_http_url_parts(url, &scheme, &host) < 0) {
		*ret_err = cbd_strdup("[helpdesk] url is not a URL (https://host/…)");
		return -EINVAL;
	}
	if (streq(scheme, "https"))
		return 0;
	if (streq(scheme, "http") && cbd_hd_loopback_host(host))
		return 0;
	if (streq(scheme, "http"))
		*ret_err = cbd_strdupf("[helpdesk] url is http:// to %s: the token and the reports "
				       "would travel in clear; use https:// (plain http:// is only "
				       "accepted to this machine, 127.0.0.1, ::1 or localhost, for "
				       "tests)",
				       host);
	else
		*ret_err = cbd_strdup("[helpdesk] url must begin with https://");
	return -EINVAL;
}

char *
cbd_hd_filename(const char *serial, const char *report_id)
{
	/* "cbdiag-" 7 + 160 + "-" + 64 + ".json" 5: within NAME_MAX for any input */
	_cleanup_free_ char *s = cbd_filename_part(serial, 160, "unknown");
	_cleanup_free_ char *id = cbd_filename_part(report_id, 64, "noid");

	return cbd_strdupf("cbdiag-%s-%s.json", s, id);
}

static bool
starts_with_word(const char *s, const char *word)
{
	size_t n = strlen(word);

	return strncasecmp(s, word, n) == 0 && (s[n] == ' ' || s[n] == ':' || s[n] == '\0');
}

char *
cbd_hd_subject(const struct cbd_doc *doc)
{
	const cJSON *dev = cbd_json_member(doc->root, "device");
	const cJSON *probes = cbd_json_member(doc->root, "probes");
	const char *serial = cbd_json_member_str(dev, "serial");
	const char *asset = cbd_json_member_str(dev, "asset_tag");
	const char *worst = "fail";
	char *s, *clean;
	size_t n = 0;
	FILE *f;

	f = open_memstream(&s, &n);
	if (!f)
		abort();
	if (!strempty(serial))
		fprintf(f, "Chromebook %s", serial);
	else if (!strempty(asset))
		fprintf(f, "Chromebook asset %s", asset);
	else
		fputs("Chromebook (serial unknown)", f);

	/* the parts that failed; when none did, those that warned or had errors */
	for (int pass = 0; pass < 3; pass++) {
		const cJSON *p;
		bool any = false;

		worst = pass == 0 ? "fail" : pass == 1 ? "warn" : "error";
		cJSON_ArrayForEach(p, probes)
		{
			const char *st = cbd_json_member_str(p, "status");
			const char *sum = cbd_json_member_str(p, "summary");

			if (!streq(st, worst))
				continue;
			fputs(any ? ", " : ": ", f);
			any = true;
			if (!p->string || (sum && starts_with_word(sum, p->string)))
				fprintf(f, "%s", sum ? sum : worst);
			else
				fprintf(f, "%s %s", p->string, sum ? sum : worst);
		}
		if (any)
			break;
		if (pass == 2)
			fputs(": every part passed", f);
	}
	fclose(f);
	clean = cbd_text_sanitize(s);
	free(s);
	/* RT keeps 200 characters of a subject; cut at a character boundary */
	if (strlen(clean) > 200) {
		size_t cut = 0;

		for (size_t i = 0; clean[i];) {
			size_t l = cbd_utf8_seq_len((const unsigned char *)clean + i, strlen(clean + i));

			if (l == 0 || i + l > 197)
				break;
			i += l;
			cut = i;
		}
		memcpy(clean + cut, "...", 4);
	}
	return clean;
}

/* Fill @item from @doc; takes @data (malloc'd, @len bytes) whatever happens. */
static int
item_fill(struct cbd_hd_item *item, const struct cbd_doc *doc, char *data, size_t len)
{
	const cJSON *dev = cbd_json_member(doc->root, "device");
	char *body = NULL;
	size_t blen = 0;
	FILE *f;

	*item = (struct cbd_hd_item){0};
	item->data = data;
	item->size = len;
	item->report_id = cbd_strdup(cbd_json_member_str(doc->root, "report_id"));
	item->ticket = cbd_strdup(cbd_doc_ticket(doc));
	item->serial = cbd_strdup(cbd_json_member_str(dev, "serial"));
	item->asset_tag = cbd_strdup(cbd_json_member_str(dev, "asset_tag"));
	item->filename = cbd_hd_filename(item->serial, item->report_id);
	item->subject = cbd_hd_subject(doc);
	f = open_memstream(&body, &blen);
	if (!f)
		abort();
	cbd_doc_render_text(doc, f, false);
	fclose(f);
	item->body = body;
	return 0;
}

int
cbd_hd_item_init(struct cbd_hd_item *item, const struct cbd_doc *doc, const char *data,
		 size_t len)
{
	char *copy = cbd_realloc_array(NULL, len + 1, 1);

	memcpy(copy, data, len);
	copy[len] = '\0';
	return item_fill(item, doc, copy, len);
}

int
cbd_hd_item_load_fd(struct cbd_hd_item *item, int fd, char **ret_err)
{
	_cleanup_free_ char *buf = NULL;
	_cleanup_doc_ struct cbd_doc *doc = NULL;
	size_t len = 0, cap = 0;
	struct stat st;
	int r;

	*item = (struct cbd_hd_item){0};
	if (fstat(fd, &st) < 0) {
		r = -errno;
		*ret_err = cbd_strdupf("cannot read it: %s", strerror(-r));
		return r;
	}
	if (S_ISDIR(st.st_mode)) {
		*ret_err = cbd_strdup("is a directory, not a report file");
		return -EISDIR;
	}
	if (!S_ISREG(st.st_mode)) {
		*ret_err = cbd_strdup("is not a regular file (a report is read from a file)");
		return -EINVAL;
	}
	if ((uint64_t)st.st_size > CBD_REPORT_MAX_BYTES) {
		*ret_err = cbd_strdupf("the file is %lld bytes; reports larger than %u MiB are refused",
				       (long long)st.st_size, CBD_REPORT_MAX_BYTES >> 20);
		return -EFBIG;
	}
	for (;;) {
		ssize_t n;

		if (len == cap) {
			if (cap >= CBD_REPORT_MAX_BYTES) {
				*ret_err = cbd_strdupf("reports larger than %u MiB are refused",
						       CBD_REPORT_MAX_BYTES >> 20);
				return -EFBIG;
			}
			cap = cap ? cap * 2 : (size_t)st.st_size + 1;
			if (cap > CBD_REPORT_MAX_BYTES)
				cap = CBD_REPORT_MAX_BYTES;
			buf = cbd_realloc_array(buf, cap + 1, 1);
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -errno;
			*ret_err = cbd_strdupf("cannot read it: %s", strerror(-r));
			return r;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (!buf)
		buf = cbd_strdup("");
	buf[len] = '\0';
	if ((r = cbd_doc_parse(buf, len, &doc, ret_err)) < 0 ||
	    (r = cbd_doc_validate(doc, ret_err)) < 0)
		return r;
	return item_fill(item, doc, steal_ptr(&buf), len);
}

int
cbd_hd_item_load(struct cbd_hd_item *item, const char *path, char **ret_err)
{
	/* O_NONBLOCK: a FIFO must not hang the open (it is refused after fstat) */
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

	*item = (struct cbd_hd_item){0};
	if (fd < 0) {
		int r = -errno;

		*ret_err = cbd_strdupf("cannot open: %s", strerror(-r));
		return r;
	}
	return cbd_hd_item_load_fd(item, fd, ret_err);
}

void
cbd_hd_item_clear(struct cbd_hd_item *item)
{
	free(item->data);
	free(item->ticket);
	free(item->filename);
	free(item->report_id);
	free(item->serial);
	free(item->asset_tag);
	free(item->body);
	free(item->subject);
	*item = (struct cbd_hd_item){0};
}

/* Read the token: a regular file, not readable or writable by others, one
 * printable line. The token is never copied anywhere but the header. */
static int
read_token(const char *path, bool password, char **ret, char **ret_err)
{
	_cleanup_close_ int fd = -1;
	char buf[4097];
	struct stat st;
	ssize_t n;

	fd = cbd_open_regular(path, NULL); /* a FIFO would block: refused unopened */
	if (fd == -EINVAL || fd == -EISDIR) {
		*ret_err = cbd_strdupf("the token file %s is not a regular file", path);
		return -EINVAL;
	}
	if (fd < 0 || fstat(fd, &st) < 0) {
		int r = fd < 0 ? fd : -errno;

		*ret_err = cbd_strdupf("cannot read the token file %s: %s", path, strerror(-r));
		return r;
	}
	if (!S_ISREG(st.st_mode)) {
		*ret_err = cbd_strdupf("the token file %s is not a regular file", path);
		return -EINVAL;
	}
	if (st.st_mode & (S_IRWXO | S_IWGRP)) {
		*ret_err = cbd_strdupf("the token file %s can be read or changed by other users "
				       "(mode %04o); refusing to use it: chmod 600 %s",
				       path, (unsigned)(st.st_mode & 07777), path);
		return -EPERM;
	}
	n = read(fd, buf, sizeof(buf));
	if (n < 0) {
		int r = -errno;

		*ret_err = cbd_strdupf("cannot read the token file %s: %s", path, strerror(-r));
		return r;
	}
	if (n >= (ssize_t)sizeof(buf)) {
		*ret_err = cbd_strdupf("the token file %s is too long for a token", path);
		return -EINVAL;
	}
	buf[n] = '\0';
	cbd_strstrip(buf);
	if (buf[0] == '\0' || !cbd_is_printable_ascii(buf, strlen(buf)) ||
	    (!password && strchr(buf, ' '))) {
		*ret_err = password ? cbd_strdupf("the password file %s does not hold one password "
						  "(one line of printable ASCII)",
						  path)
				    : cbd_strdupf("the token file %s does not hold one token (one "
						  "line, no spaces)",
						  path);
		explicit_bzero(buf, sizeof(buf));
		return -EINVAL;
	}
	*ret = cbd_strdup(buf);
	explicit_bzero(buf, sizeof(buf));
	return 0;
}

int
cbd_hd_open(const struct cbd_helpdesk_config *cfg, struct cbd_hd **ret, char **ret_err)
{
	const struct cbd_hd_backend *be = NULL;
	struct cbd_hd *hd;
	_cleanup_free_ char *token = NULL;
	_cleanup_free_ char *auth = NULL;
	int r;

	if (!cbd_hd_configured(cfg)) {
		*ret_err = cbd_strdup("no help desk is configured ([helpdesk] type in the config "
				      "file)");
		return -ENOENT;
	}
	for (size_t i = 0; i < CBD_ARRAY_SIZE(backends); i++)
		if (streq(backends[i]->type, cfg->type))
			be = backends[i];
	if (!be) {
		*ret_err = cbd_strdupf("unknown help-desk type '%s'", cfg->type);
		return -EINVAL;
	}
	/* only the backends that talk HTTP or SMTP need libcurl (a folder works without it) */
	if ((be->auth_scheme || be->uses_curl) && (r = cbd_http_load(ret_err)) < 0)
		return r;
	if (be->check && (r = be->check(cfg, ret_err)) < 0)
		return r;
	if (be->needs_token && strempty(cfg->token_file)) {
		*ret_err = cbd_strdupf("[helpdesk] type = %s needs token_file", be->type);
		return -EINVAL;
	}
	hd = cbd_zalloc(sizeof(*hd));
	hd->be = be;
	hd->cfg = cfg;
	if (!strempty(cfg->token_file)) {
		/* no core dump, no ptrace by the same user while the token is in memory */
		hd->dumpable = prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
		if (hd->dumpable > 0)
			(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
		if ((r = read_token(cfg->token_file, be->token_is_password, &token, ret_err)) < 0) {
			cbd_hd_close(hd);
			return r;
		}
	}
	if (be->auth_scheme) {
		_cleanup_free_ char *scheme = NULL, *host = NULL;

		if (token)
			auth = cbd_strdupf("Authorization: %s %s", be->auth_scheme, token);
		(void)cbd_http_url_parts(cfg->url, &scheme, &host);
		hd->http = cbd_http_new(&(struct cbd_http_options){.ca_file = cfg->ca_file,
							     .connect_timeout_s = cfg->connect_timeout_s,
							     .timeout_s = cfg->timeout_s,
							     .no_proxy = streq(scheme, "http")},
					auth);
	}
	r = be->open ? be->open(hd, token, ret_err) : 0;
	if (token)
		explicit_bzero(token, strlen(token));
	if (auth)
		explicit_bzero(auth, strlen(auth));
	if (r < 0) {
		cbd_hd_close(hd);
		return r;
	}
	hd->describe = cbd_strdupf("%s at %s", be->name,
				   streq(be->type, "folder") ? cfg->path : cfg->url);
	*ret = hd;
	return 0;
}

void
cbd_hd_set_html_renderer(struct cbd_hd *hd, cbd_hd_html_fn fn, void *userdata)
{
	hd->html = fn;
	hd->html_userdata = userdata;
}

bool
cbd_hd_wants_html(const struct cbd_hd *hd)
{
	return hd && streq(hd->be->type, "email") && hd->cfg->mail_html;
}

void
cbd_hd_close(struct cbd_hd *hd)
{
	if (!hd)
		return;
	if (hd->be && hd->be->close)
		hd->be->close(hd); /* zeroes what it kept of the token */
	cbd_http_free(hd->http); /* zeroes the Authorization header */
	if (hd->dumpable > 0)
		(void)prctl(PR_SET_DUMPABLE, hd->dumpable, 0, 0, 0);
	free(hd->describe);
	free(hd);
}

const char *
cbd_hd_describe(const struct cbd_hd *hd)
{
	return hd->describe;
}

void
cbd_hd_stats(const struct cbd_hd *hd, unsigned *requests, unsigned *connections)
{
	cbd_http_stats(hd ? hd->http : NULL, requests, connections);
}

char *
cbd_hd_url(const struct cbd_hd *hd, const char *fmt, ...)
{
	_cleanup_free_ char *base = cbd_strdup(hd->cfg->url);
	_cleanup_free_ char *rest = NULL;
	size_t n = strlen(base);
	va_list ap;

	while (n > 0 && base[n - 1] == '/')
		base[--n] = '\0';
	va_start(ap, fmt);
	if (vasprintf(&rest, fmt, ap) < 0)
		abort();
	va_end(ap);
	return cbd_strdupf("%s%s", base, rest);
}

static void
free_ids(char **ids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
}

/* Which ticket: the given one, the device's only open one, or a new one. */
static enum cbd_hd_result
pick_ticket(struct cbd_hd *hd, const struct cbd_hd_item *item, char **ticket, bool create,
	    char **ret_msg)
{
	const struct cbd_hd_backend *be = hd->be;
	char **ids = NULL;
	size_t n = 0;
	enum cbd_hd_result r;

	if (*ticket || !be->needs_ticket)
		return CBD_HD_DONE;
	if (!be->find) {
		*ret_msg = cbd_strdupf("%s cannot look tickets up: give the ticket with --ticket",
				       be->name);
		return CBD_HD_REFUSED;
	}
	if (strempty(item->serial) && strempty(item->asset_tag)) {
		*ret_msg = cbd_strdup("the report names no serial number or asset tag to find the "
				      "ticket by: give the ticket with --ticket");
		return CBD_HD_NO_MATCH;
	}
	r = be->find(hd, item, &ids, &n, ret_msg);
	if (r != CBD_HD_DONE)
		return r;
	if (n == 1) {
		*ticket = steal_ptr(&ids[0]);
		free_ids(ids, n);
		return CBD_HD_DONE;
	}
	if (n > 1) {
		char *list = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&list, &len);

		if (!f)
			abort();
		for (size_t i = 0; i < n && i < 20; i++)
			fprintf(f, "%s%s", i ? ", " : "", ids[i]);
		if (n > 20)
			fprintf(f, " and %zu more", n - 20);
		fclose(f);
		*ret_msg = cbd_strdupf("%zu open tickets match device %s: %s; pick one with "
				       "--ticket",
				       n, item->serial ? item->serial : item->asset_tag, list);
		free(list);
		free_ids(ids, n);
		return CBD_HD_AMBIGUOUS;
	}
	free(ids);
	if (!create) {
		*ret_msg = cbd_strdupf("no open ticket for device %s: give one with --ticket, or "
				       "open one with --create",
				       item->serial ? item->serial : item->asset_tag);
		return CBD_HD_NO_MATCH;
	}
	if (!be->create) {
		*ret_msg = cbd_strdupf("%s cannot open tickets: give one with --ticket", be->name);
		return CBD_HD_REFUSED;
	}
	return be->create(hd, item, ticket, ret_msg);
}

static uint64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/*
 * Is @item on @ticket? Asks until it is, until @wait_ms have passed (asking
 * 0.25 s, 0.5, 1, 2, 4 s apart), or until asking fails.
 */
static enum cbd_hd_result
await_file(struct cbd_hd *hd, const char *ticket, const struct cbd_hd_item *item,
	   uint64_t wait_ms, bool *there, char **ret_msg)
{
	uint64_t deadline = mono_ms() + wait_ms, pause = 250;

	for (;;) {
		enum cbd_hd_result r = hd->be->has_file(hd, ticket, item, there, ret_msg);
		uint64_t now = mono_ms();
		struct timespec ts;

		if (r != CBD_HD_DONE || *there || now >= deadline)
			return r;
		if (pause > deadline - now)
			pause = deadline - now;
		ts = (struct timespec){(time_t)(pause / 1000), (long)(pause % 1000) * 1000000L};
		nanosleep(&ts, NULL);
		pause = pause * 2 > 4000 ? 4000 : pause * 2;
	}
}

/* How long an earlier send begun at @since may still make a copy appear. */
static uint64_t
earlier_send_window_ms(const struct cbd_hd *hd, int64_t since)
{
	int64_t end, now = time(NULL);

	if (since <= 0)
		return 0;
	/* it reached the server by since + timeout_s at the latest (later, cbdiag
	 * had given up on it), and is stored within resend_wait_s after that */
	end = since + (int64_t)hd->cfg->timeout_s + (int64_t)hd->cfg->resend_wait_s;
	if (end <= now)
		return 0;
	if (end - now > (int64_t)hd->cfg->resend_wait_s)
		end = now + (int64_t)hd->cfg->resend_wait_s;
	return (uint64_t)(end - now) * 1000u;
}

enum cbd_hd_result
cbd_hd_deliver(struct cbd_hd *hd, const struct cbd_hd_item *item, char **ticket, bool create,
	       struct cbd_hd_attempt *a, char **ret_msg)
{
	const struct cbd_hd_backend *be = hd->be;
	_cleanup_free_ char *sent_msg = NULL, *warning = NULL;
	struct cbd_hd_attempt none = {0};
	uint64_t wait_ms = (uint64_t)hd->cfg->resend_wait_s * 1000u;
	enum cbd_hd_result r;
	bool there = false;

	*ret_msg = NULL;
	if (!a)
		a = &none;
	a->send_at = 0;
	r = pick_ticket(hd, item, ticket, create, ret_msg);
	if (r != CBD_HD_DONE)
		return r;
	warning = steal_ptr(ret_msg); /* e.g. a new ticket the serial does not find */
	if (be->has_file) {
		r = await_file(hd, *ticket, item, earlier_send_window_ms(hd, a->earlier_send_at),
			       &there, ret_msg);
		if (r != CBD_HD_DONE)
			return r;
		if (there) {
			*ret_msg = cbd_strdupf("%s was already on ticket %s; not sent again",
					       item->filename, *ticket);
			return CBD_HD_DONE;
		}
	}
	if (a->before_send) {
		_cleanup_free_ char *err = NULL;

		if (a->before_send(a, time(NULL), &err) < 0) {
			*ret_msg = cbd_strdupf("not sent: %s", err ? err : "cannot record the send");
			return CBD_HD_REFUSED;
		}
	}
	a->send_at = time(NULL);
	r = be->send(hd, *ticket, item, ret_msg);
	if (r == CBD_HD_UNREACHABLE && be->has_file && hd->http &&
	    cbd_http_last_status(hd->http) == 0) {
		/* no answer (a timeout, a dropped connection): the server may be
		 * storing it all the same; a copy that shows up is not sent again */
		_cleanup_free_ char *send_msg = steal_ptr(ret_msg);
		enum cbd_hd_result r2 = await_file(hd, *ticket, item, wait_ms, &there, ret_msg);

		if (r2 == CBD_HD_DONE && there) {
			free(send_msg);
			send_msg = cbd_strdupf("%s attached to ticket %s (the help desk answered "
					       "late)",
					       item->filename, *ticket);
			r = CBD_HD_DONE;
		}
		free(*ret_msg);
		*ret_msg = steal_ptr(&send_msg);
	}
	if (r != CBD_HD_DONE)
		return r;
	sent_msg = steal_ptr(ret_msg);
	if (be->has_file && !there) {
		r = await_file(hd, *ticket, item, wait_ms, &there, ret_msg);
		if (r != CBD_HD_DONE)
			return r;
		if (!there) {
			*ret_msg = cbd_strdupf("ticket %s does not list %s after it was sent; will "
					       "check again and resend if needed",
					       *ticket, item->filename);
			return CBD_HD_UNREACHABLE;
		}
	}
	if (sent_msg)
		*ret_msg = steal_ptr(&sent_msg);
	else
		*ret_msg = *ticket ? cbd_strdupf("%s attached to ticket %s", item->filename,
						 *ticket)
				   : cbd_strdupf("%s delivered", item->filename);
	if (warning) {
		char *both = cbd_strdupf("%s (warning: %s)", *ret_msg, warning);

		free(*ret_msg);
		*ret_msg = both;
	}
	return CBD_HD_DONE;
}

enum cbd_hd_result
cbd_hd_fetch_reports(struct cbd_hd *hd, const char *dir, struct cbd_hd_fetch *st, char **ret_msg)
{
	*st = (struct cbd_hd_fetch){0};
	if (!hd->be->fetch) {
		*ret_msg = cbd_strdupf("%s cannot be read back: point cbdiag summary at the "
				       "reports' folder instead",
				       hd->be->name);
		return CBD_HD_REFUSED;
	}
	return hd->be->fetch(hd, dir, st, ret_msg);
}
