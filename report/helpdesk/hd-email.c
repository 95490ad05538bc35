/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * type = email: the report as a reply to the ticket, by SMTP through libcurl
 * (libcurl speaks the protocol; the message is built with curl_mime). Almost
 * every help desk threads a mail whose subject carries the ticket's tag
 * ("[rtname #12]", "[Ticket#12]", …) into that ticket and keeps its
 * attachments; the presets below know each one's tag (docs/helpdesk.md).
 *
 *   multipart/mixed
 *     text/plain   a few lines for people (quoted-printable)
 *     application/json   the report, byte for byte (base64), cbdiag-<serial>-<id>.json
 *     text/html    the page, when mail_html is set (base64), cbdiag-<serial>-<id>.html
 *
 * TLS: smtps:// is TLS from the first byte; smtp:// must switch to TLS with
 * STARTTLS (required, never optional). Only to loopback may mail_tls = none
 * send in clear, for tests. The password (token_file) goes to libcurl just
 * for the transfer and is zeroed here when the session closes.
 *
 * Exactly once: a help desk cannot be asked whether a mail arrived, so every
 * attempt of one report carries the same Message-ID, <cbdiag.REPORT_ID@domain>
 * — the report id that also names its queue entry — and a retried send is
 * recognisable as the same message.
 *
 * Only this file calls libcurl for mail (http.c does HTTP).
 */
#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <time.h>

#include "helpdesk-private.h"
#include "http.h"

static char *
strndup_or_die(const char *s, size_t n)
{
	char *r = strndup(s, n);

	if (!r)
		abort();
	return r;
}

struct preset {
	const char *name;
	const char *subject;  /* the default template */
	const char *body_tag; /* or NULL: a line the body begins with (Zendesk's [encoded id]) */
	const char *refuse;   /* or NULL: why mail cannot reach an existing ticket there */
};

/*
 * Placeholders: {ticket} {name} {summary} {serial} {asset_tag} {report_id}.
 * Where each tag comes from (the vendor's documentation, or only the desk's
 * own notification subjects) and what each desk needs besides (a known
 * sender, a reply-to) is in docs/helpdesk.md, "E-mail".
 */
static const struct preset presets[] = {
    {"generic", "{summary} (ticket {ticket})", NULL, NULL},
    {"rt", "[{name} #{ticket}] {summary}", NULL, NULL},
    {"zammad", "[Ticket#{ticket}] {summary}", NULL, NULL},
    {"osticket", "[#{ticket}] {summary}", NULL, NULL},
    {"glpi", "[GLPI #{ticket}] {summary}", NULL, NULL},
    {"freshservice", "[#{ticket}] {summary}", NULL, NULL},
    {"zendesk", "{summary}", "[{ticket}]", NULL},
    {"jira", "{ticket} {summary}", NULL, NULL},
    {"spiceworks", "[Ticket #{ticket}] {summary}", NULL, NULL},
    {"incidentiq", "[Ticket #{ticket}] {summary}", NULL, NULL},
    {"schooldude", "[WO #{ticket}] {summary}", NULL, NULL},
    {"teamdynamix", "{summary}", NULL,
     "TeamDynamix files a mail under an existing ticket only by the reply token inside its "
     "own notification mails, which cbdiag cannot make: use type = webhook or folder for "
     "TeamDynamix"},
};

static const struct preset *
find_preset(const char *name)
{
	for (size_t i = 0; i < CBD_ARRAY_SIZE(presets); i++)
		if (streq(presets[i].name, strempty(name) ? "generic" : name))
			return &presets[i];
	return NULL;
}

struct email {
	CURL *curl;
	char *password; /* zeroed in email_close */
	char *user;
	const struct preset *preset;
	char *domain; /* of mail_from, for the Message-ID */
};

/* One address as a person writes it: local@domain, printable ASCII, nothing a header could be split
 * with. */
static bool
plain_address(const char *s)
{
	const char *at;

	if (strempty(s) || strlen(s) > 254 || !cbd_is_printable_ascii(s, strlen(s)))
		return false;
	if (strpbrk(s, " <>()[],;:\"\\"))
		return false;
	at = strchr(s, '@');
	return at && at != s && at[1] && !strchr(at + 1, '@');
}

static bool
template_ok(const char *t, char **bad)
{
	static const char *const known[] = {"ticket", "name",      "summary",
	                                    "serial", "asset_tag", "report_id"};

	for (const char *p = t; (p = strchr(p, '{')); p++) {
		const char *e = strchr(p, '}');
		bool ok = false;

		if (!e)
			break;
		for (size_t i = 0; i < CBD_ARRAY_SIZE(known); i++)
			ok = ok || ((size_t)(e - p - 1) == strlen(known[i]) &&
			            strncmp(p + 1, known[i], strlen(known[i])) == 0);
		if (!ok) {
			*bad = strndup_or_die(p, (size_t)(e - p + 1));
			return false;
		}
	}
	return true;
}

static int
email_check(const struct cbd_helpdesk_config *cfg, char **ret_err)
{
	_cleanup_free_ char *scheme = NULL, *host = NULL, *bad = NULL;
	const struct preset *p = find_preset(cfg->mail_preset);
	const char *tpl;

	if (strempty(cfg->url)) {
		*ret_err = cbd_strdup("[helpdesk] type = email needs url = smtps://host (TLS from "
		                      "the start, port 465) or smtp://host:587 (STARTTLS)");
		return -EINVAL;
	}
	if (cbd_http_url_parts(cfg->url, &scheme, &host) < 0 ||
	    (!streq(scheme, "smtp") && !streq(scheme, "smtps"))) {
		*ret_err = cbd_strdup("[helpdesk] url must be smtps://host[:port] or "
		                      "smtp://host[:port] for type = email");
		return -EINVAL;
	}
	if (cfg->mail_plain && !cbd_hd_loopback_host(host)) {
		*ret_err =
		    cbd_strdupf("[helpdesk] mail_tls = none to %s: the password and the "
		                "reports would travel in clear; mail without TLS is only sent "
		                "to this machine (127.0.0.1, ::1, localhost), for tests",
		                host);
		return -EINVAL;
	}
	if (cfg->mail_plain && streq(scheme, "smtps")) {
		*ret_err = cbd_strdup("[helpdesk] mail_tls = none contradicts smtps://");
		return -EINVAL;
	}
	if (!p) {
		*ret_err =
		    cbd_strdupf("[helpdesk] mail_preset '%s' is not one cbdiag knows (generic, "
		                "rt, zammad, osticket, glpi, freshservice, zendesk, jira, "
		                "spiceworks, incidentiq, schooldude, teamdynamix)",
		                cfg->mail_preset);
		return -EINVAL;
	}
	if (!plain_address(cfg->mail_from)) {
		*ret_err = cbd_strdup("[helpdesk] type = email needs mail_from = one address "
		                      "(user@domain) the help desk accepts replies from");
		return -EINVAL;
	}
	if (!plain_address(cfg->mail_to)) {
		*ret_err = cbd_strdup("[helpdesk] type = email needs mail_to = the help desk's "
		                      "incoming address (user@domain)");
		return -EINVAL;
	}
	if (cfg->mail_reply_to && !plain_address(cfg->mail_reply_to)) {
		*ret_err = cbd_strdup("[helpdesk] mail_reply_to must be one address (user@domain)");
		return -EINVAL;
	}
	if (cfg->mail_user && (strempty(cfg->mail_user) ||
	                       !cbd_is_printable_ascii(cfg->mail_user, strlen(cfg->mail_user)))) {
		*ret_err = cbd_strdup("[helpdesk] mail_user must be printable ASCII");
		return -EINVAL;
	}
	if (p->refuse) {
		*ret_err = cbd_strdupf("[helpdesk] mail_preset = %s: %s", p->name, p->refuse);
		return -EINVAL;
	}
	tpl = cfg->mail_subject ? cfg->mail_subject : p->subject;
	if (!cbd_is_printable_ascii(tpl, strlen(tpl)) && !cbd_utf8_valid(tpl, strlen(tpl))) {
		*ret_err = cbd_strdup("[helpdesk] mail_subject is not text");
		return -EINVAL;
	}
	if (!template_ok(tpl, &bad)) {
		*ret_err = cbd_strdupf("[helpdesk] mail_subject: %s is not a placeholder (ticket, "
		                       "name, summary, serial, asset_tag, report_id)",
		                       bad);
		return -EINVAL;
	}
	if (!strstr(tpl, "{ticket}") && !p->body_tag) {
		*ret_err =
		    cbd_strdup("[helpdesk] mail_subject must contain {ticket}: the help desk "
		               "files the mail under the ticket named in its subject");
		return -EINVAL;
	}
	if (strstr(tpl, "{name}") && strempty(cfg->mail_tag_name)) {
		*ret_err =
		    cbd_strdupf("[helpdesk] mail_preset = %s needs mail_tag_name (%s)", p->name,
		                streq(p->name, "rt") ? "RT's $rtname, as in [rtname #12]"
		                                     : "the {name} in the subject");
		return -EINVAL;
	}
	if (cfg->mail_tag_name &&
	    (strpbrk(cfg->mail_tag_name, "\r\n") ||
	     !cbd_is_printable_ascii(cfg->mail_tag_name, strlen(cfg->mail_tag_name)))) {
		*ret_err = cbd_strdup("[helpdesk] mail_tag_name must be printable ASCII");
		return -EINVAL;
	}
	return 0;
}

static void
email_close(struct cbd_hd *hd)
{
	struct email *e = hd->priv;

	if (!e)
		return;
	if (e->curl)
		cbd_curl.easy_cleanup(e->curl);
	if (e->password) {
		explicit_bzero(e->password, strlen(e->password));
		free(e->password);
	}
	free(e->user);
	free(e->domain);
	free(e);
	hd->priv = NULL;
}

static int
email_open(struct cbd_hd *hd, const char *token, char **ret_err)
{
	const struct cbd_helpdesk_config *cfg = hd->cfg;
	struct email *e = cbd_zalloc(sizeof(*e));

	(void)ret_err;
	hd->priv = e;
	e->preset = find_preset(cfg->mail_preset);
	e->domain = cbd_strdup(strchr(cfg->mail_from, '@') + 1);
	if (token) {
		e->password = cbd_strdup(token);
		e->user = cbd_strdup(strempty(cfg->mail_user) ? cfg->mail_from : cfg->mail_user);
	}
	e->curl = cbd_curl.easy_init();
	if (!e->curl)
		abort();
	return 0;
}

/* @tpl with its placeholders filled, on one line, control characters gone. */
static char *
fill(const struct cbd_hd *hd, const char *tpl, const char *ticket, const struct cbd_hd_item *item)
{
	char *out = NULL, *clean;
	size_t n = 0;
	FILE *f = open_memstream(&out, &n);

	if (!f)
		abort();
	for (const char *p = tpl; *p;) {
		const char *end = *p == '{' ? strchr(p, '}') : NULL;
		_cleanup_free_ char *key =
		    end ? strndup_or_die(p + 1, (size_t)(end - p - 1)) : NULL;
		const char *v = NULL;

		if (!key) {
			fputc(*p++, f);
			continue;
		}
		if (streq(key, "ticket"))
			v = ticket;
		else if (streq(key, "name"))
			v = hd->cfg->mail_tag_name;
		else if (streq(key, "summary"))
			v = item->subject;
		else if (streq(key, "serial"))
			v = item->serial;
		else if (streq(key, "asset_tag"))
			v = item->asset_tag;
		else if (streq(key, "report_id"))
			v = item->report_id;
		fputs(v ? v : "", f);
		p = end + 1;
	}
	fclose(f);
	/* the serial and summary come from the hardware: no line breaks into headers */
	clean = cbd_text_sanitize(out);
	free(out);
	for (char *c = clean; *c; c++)
		if (*c == '\r' || *c == '\n' || *c == '\t')
			*c = ' ';
	return clean;
}

static void
put_b64(FILE *f, const unsigned char *s, size_t n)
{
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)s[i] << 16 | (i + 1 < n ? (unsigned)s[i + 1] << 8 : 0) |
		             (i + 2 < n ? s[i + 2] : 0);

		fputc(tab[v >> 18 & 63], f);
		fputc(tab[v >> 12 & 63], f);
		fputc(i + 1 < n ? tab[v >> 6 & 63] : '=', f);
		fputc(i + 2 < n ? tab[v & 63] : '=', f);
	}
}

/* "Subject: …": ASCII as is; otherwise RFC 2047 encoded words, cut at characters. */
static char *
subject_header(const char *s)
{
	char *out = NULL;
	size_t n = 0, len = strlen(s);
	FILE *f;

	if (cbd_is_printable_ascii(s, len))
		return cbd_strdupf("Subject: %s", s);
	f = open_memstream(&out, &n);
	if (!f)
		abort();
	fputs("Subject:", f);
	for (size_t i = 0; i < len;) {
		size_t j = i;

		/* at most 45 bytes a word: 60 characters of base64 */
		while (j < len) {
			size_t l = cbd_utf8_seq_len((const unsigned char *)s + j, len - j);

			if (l == 0)
				l = 1;
			if (j + l - i > 45)
				break;
			j += l;
		}
		if (j == i)
			j = i + 1;
		fputs(" =?UTF-8?B?", f);
		put_b64(f, (const unsigned char *)s + i, j - i);
		fputs("?=", f);
		i = j;
	}
	fclose(f);
	return out;
}

/* The short text for people who open the mail (the report itself is attached). */
static char *
make_body(const struct cbd_hd_item *item, const char *ticket, const char *tag, bool html)
{
	char *out = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&out, &n);

	if (!f)
		abort();
	if (tag)
		fprintf(f, "%s\n\n", tag);
	fprintf(f, "cbdiag report for ticket %s\n\n", ticket);
	cbd_text_fputs(item->subject, false, f);
	fputs("\n\n", f);
	fprintf(f, "Serial:    %s\n", strempty(item->serial) ? "unknown" : item->serial);
	if (!strempty(item->asset_tag))
		fprintf(f, "Asset tag: %s\n", item->asset_tag);
	fprintf(f, "Report id: %s\n\n", item->report_id);
	fprintf(f, "The full report is attached as %s%s.\n", item->filename,
	        html ? " (and as a page to open in a browser)" : "");
	fputs("Sent by cbdiag, the Chromebook repair bench.\n", f);
	fclose(f);
	return out;
}

/* What the server said last, and to which command: for messages and for the verdict. */
struct dialogue {
	char verb[12];   /* last command sent: EHLO, AUTH, MAIL, RCPT, DATA, … */
	char reply[200]; /* the server's last reply line, printable */
	bool data_sent;  /* the message body went out (it may have been delivered) */
	bool quit;       /* QUIT sent: what follows is the goodbye */
};

static int
on_debug(CURL *c, curl_infotype type, char *data, size_t size, void *userp)
{
	struct dialogue *d = userp;
	size_t n = 0;

	(void)c;
	if (type == CURLINFO_HEADER_OUT) {
		/* only a known command word is kept: what follows AUTH (and the
		 * lines of an AUTH LOGIN exchange, which are no command at all)
		 * carries the password */
		static const char *const verbs[] = {"EHLO", "HELO", "STARTTLS", "AUTH", "MAIL",
		                                    "RCPT", "DATA", "RSET",     "NOOP"};

		if (size >= 4 && strncmp(data, "QUIT", 4) == 0) {
			d->quit = true; /* the failed command and its reply stay */
			return 0;
		}
		for (size_t i = 0; i < CBD_ARRAY_SIZE(verbs); i++) {
			size_t l = strlen(verbs[i]);

			if (size >= l && strncmp(data, verbs[i], l) == 0 &&
			    (size == l || data[l] == ' ' || data[l] == '\r' || data[l] == '\n')) {
				snprintf(d->verb, sizeof(d->verb), "%s", verbs[i]);
				break;
			}
		}
	} else if (type == CURLINFO_DATA_OUT) {
		d->data_sent = true;
	} else if (d->quit) {
		return 0;
	} else if (type == CURLINFO_HEADER_IN && !streq(d->verb, "AUTH")) {
		for (size_t i = 0; i < size && n < sizeof(d->reply) - 1; i++) {
			unsigned char ch = (unsigned char)data[i];

			if (ch == '\r' || ch == '\n')
				break;
			d->reply[n++] = (char)(ch < 0x20 || ch >= 0x7f ? '?' : ch);
		}
		if (n)
			d->reply[n] = '\0';
	} else if (type == CURLINFO_HEADER_IN) {
		snprintf(d->reply, sizeof(d->reply), "%.3s (reply to AUTH)", data);
	}
	return 0;
}

static enum cbd_hd_result
classify(const struct cbd_hd *hd, CURLcode c, long code, const struct dialogue *d,
         const char *errbuf, size_t size, const char *ticket, char **ret_msg)
{
	const struct email *e = hd->priv;
	const char *said = d->reply[0] ? d->reply : errbuf;

	/* the code of the reply to the command that failed, not of QUIT's goodbye */
	if (d->reply[0] >= '2' && d->reply[0] <= '5' && d->reply[1] >= '0' && d->reply[1] <= '9' &&
	    d->reply[2] >= '0' && d->reply[2] <= '9')
		code = (d->reply[0] - '0') * 100 + (d->reply[1] - '0') * 10 + (d->reply[2] - '0');

	switch (c) {
	case CURLE_OK:
		return CBD_HD_DONE;
	case CURLE_LOGIN_DENIED:
		*ret_msg = cbd_strdupf("the mail server refused the login of '%s' (%s); check "
		                       "mail_user and the password in token_file",
		                       e->user ? e->user : "", said);
		return CBD_HD_REFUSED;
	case CURLE_USE_SSL_FAILED:
		*ret_msg =
		    cbd_strdup("the mail server does not offer STARTTLS, and cbdiag does not "
		               "send mail in clear: use smtps:// if it takes TLS from the start "
		               "(port 465)");
		return CBD_HD_REFUSED;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_URL_MALFORMAT:
	case CURLE_UNSUPPORTED_PROTOCOL:
		*ret_msg =
		    cbd_strdupf("mailing the report for ticket %s: the connection to the mail "
		                "server failed and will not work by retrying (%s)",
		                ticket, errbuf[0] ? errbuf : cbd_curl.easy_strerror(c));
		return CBD_HD_REFUSED;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_GOT_NOTHING:
	case CURLE_SSL_CONNECT_ERROR:
		*ret_msg =
		    cbd_strdupf("mailing the report for ticket %s: the mail server could not "
		                "be reached (%s)",
		                ticket, errbuf[0] ? errbuf : cbd_curl.easy_strerror(c));
		return CBD_HD_UNREACHABLE;
	default:
		break;
	}
	if (code == 552 || (code == 452 && streq(d->verb, "MAIL") && strstr(said, "size")) ||
	    code == 523) {
		*ret_msg = cbd_strdupf(
		    "the mail server refuses a message this large (%zu bytes of "
		    "attachments; it said: %s); ask for a higher limit%s",
		    size, said, hd->cfg->mail_html ? ", or leave out the page (mail_html)" : "");
		return CBD_HD_REFUSED;
	}
	if (code >= 500 && code < 600 && streq(d->verb, "RCPT")) {
		*ret_msg =
		    cbd_strdupf("the mail server refused the recipient %s (%s); check mail_to",
		                hd->cfg->mail_to, said);
		return CBD_HD_REFUSED;
	}
	if (code >= 500 && code < 600 && streq(d->verb, "MAIL")) {
		*ret_msg =
		    cbd_strdupf("the mail server refused the sender %s (%s); check mail_from "
		                "(and that mail_user may send as it)",
		                hd->cfg->mail_from, said);
		return CBD_HD_REFUSED;
	}
	if (code >= 500 && code < 600) {
		*ret_msg = cbd_strdupf("the mail server refused the message for ticket %s (%s)",
		                       ticket, said);
		return CBD_HD_REFUSED;
	}
	if (code >= 400 && code < 500) {
		*ret_msg = cbd_strdupf("mailing the report for ticket %s: the mail server asked to "
		                       "try again later (%s)",
		                       ticket, said);
		return CBD_HD_UNREACHABLE;
	}
	/* the connection broke (send/receive error): maybe after the body went out */
	*ret_msg = cbd_strdupf("mailing the report for ticket %s: the connection to the mail "
	                       "server broke (%s)%s",
	                       ticket, errbuf[0] ? errbuf : cbd_curl.easy_strerror(c),
	                       d->data_sent ? "; it may have arrived, a retry carries the same "
	                                      "Message-ID"
	                                    : "");
	return CBD_HD_UNREACHABLE;
}

static bool
ticket_ok(const char *t)
{
	if (strempty(t) || strlen(t) > 64)
		return false;
	for (; *t; t++)
		if (!((*t >= '0' && *t <= '9') || (*t >= 'A' && *t <= 'Z') ||
		      (*t >= 'a' && *t <= 'z') || *t == '-' || *t == '_' || *t == '.'))
			return false;
	return true;
}

static enum cbd_hd_result
email_send(struct cbd_hd *hd, const char *ticket, const struct cbd_hd_item *item, char **ret_msg)
{
	const struct cbd_helpdesk_config *cfg = hd->cfg;
	struct email *e = hd->priv;
	_cleanup_free_ char *subject = NULL, *h_subject = NULL, *h_from = NULL, *h_to = NULL;
	_cleanup_free_ char *h_reply = NULL, *h_msgid = NULL, *h_date = NULL, *h_id = NULL;
	_cleanup_free_ char *body = NULL, *html = NULL, *html_name = NULL, *mid = NULL;
	_cleanup_free_ char *from_env = NULL, *body_tag = NULL;
	struct cbd_http_mem_reader rd_json = {.data = item->data, .len = item->size};
	struct cbd_http_mem_reader rd_html = {0};
	char errbuf[CURL_ERROR_SIZE] = "", date[64];
	struct curl_slist *headers = NULL, *rcpt = NULL;
	struct dialogue d = {{0}};
	size_t html_len = 0;
	curl_mime *mime;
	curl_mimepart *part;
	struct tm tm;
	time_t now = time(NULL);
	CURL *c = e->curl;
	CURLcode res;
	long code = 0;
	enum cbd_hd_result r;

	if (!ticket_ok(ticket)) {
		*ret_msg = cbd_strdupf("'%s' is not a ticket number cbdiag can put in a subject "
		                       "(letters, digits, - _ .)",
		                       ticket ? ticket : "");
		return CBD_HD_REFUSED;
	}
	if (cfg->mail_html) {
		if (!hd->html ||
		    hd->html(item->data, item->size, &html, &html_len, hd->html_userdata) < 0) {
			*ret_msg = cbd_strdup("mail_html is set but the page could not be made");
			return CBD_HD_REFUSED;
		}
		rd_html = (struct cbd_http_mem_reader){.data = html, .len = html_len};
		html_name = cbd_strdup(item->filename);
		memcpy(html_name + strlen(html_name) - 5, ".html", 6);
		/* ".json" → ".html": same length */
	}
	subject =
	    fill(hd, cfg->mail_subject ? cfg->mail_subject : e->preset->subject, ticket, item);
	if (e->preset->body_tag)
		body_tag = fill(hd, e->preset->body_tag, ticket, item);
	h_subject = subject_header(subject);
	h_from = cbd_strdupf("From: cbdiag <%s>", cfg->mail_from);
	h_to = cbd_strdupf("To: <%s>", cfg->mail_to);
	if (cfg->mail_reply_to)
		h_reply = cbd_strdupf("Reply-To: <%s>", cfg->mail_reply_to);
	{
		_cleanup_free_ char *id = cbd_filename_part(item->report_id, 64, "noid");

		for (char *p = id; *p; p++)
			if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
			      (*p >= 'A' && *p <= 'Z') || *p == '-' || *p == '.'))
				*p = '-';
		mid = cbd_strdupf("<cbdiag.%s@%s>", id, e->domain);
		h_id = cbd_strdupf("X-Cbdiag-Report-Id: %s", id);
	}
	h_msgid = cbd_strdupf("Message-ID: %s", mid);
	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "Date: %a, %d %b %Y %H:%M:%S +0000", &tm);
	h_date = cbd_strdup(date);
	headers = cbd_curl.slist_append(headers, h_date);
	headers = cbd_curl.slist_append(headers, h_from);
	headers = cbd_curl.slist_append(headers, h_to);
	if (h_reply)
		headers = cbd_curl.slist_append(headers, h_reply);
	headers = cbd_curl.slist_append(headers, h_subject);
	headers = cbd_curl.slist_append(headers, h_msgid);
	headers = cbd_curl.slist_append(headers, h_id);
	if (!headers)
		abort();
	from_env = cbd_strdupf("<%s>", cfg->mail_from);
	rcpt = cbd_curl.slist_append(NULL, cfg->mail_to);
	if (!rcpt)
		abort();

	body = make_body(item, ticket, body_tag, html != NULL);
	mime = cbd_curl.mime_init(c);
	part = cbd_curl.mime_addpart(mime);
	cbd_curl.mime_data(part, body, CURL_ZERO_TERMINATED);
	cbd_curl.mime_type(part, "text/plain; charset=utf-8");
	cbd_curl.mime_encoder(part, "quoted-printable");
	part = cbd_curl.mime_addpart(mime);
	cbd_curl.mime_data_cb(part, (curl_off_t)item->size, cbd_http_mem_read, cbd_http_mem_seek, NULL, &rd_json);
	cbd_curl.mime_filename(part, item->filename);
	cbd_curl.mime_type(part, "application/json");
	cbd_curl.mime_encoder(part, "base64");
	if (html) {
		part = cbd_curl.mime_addpart(mime);
		cbd_curl.mime_data_cb(part, (curl_off_t)html_len, cbd_http_mem_read, cbd_http_mem_seek, NULL, &rd_html);
		cbd_curl.mime_filename(part, html_name);
		cbd_curl.mime_type(part, "text/html; charset=utf-8");
		cbd_curl.mime_encoder(part, "base64");
	}

	cbd_curl.easy_reset(c);
	cbd_curl.easy_setopt(c, CURLOPT_URL, cfg->url);
	cbd_curl.easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	cbd_curl.easy_setopt(c, CURLOPT_USE_SSL, cfg->mail_plain ? CURLUSESSL_NONE : CURLUSESSL_ALL);
	cbd_curl.easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	cbd_curl.easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	if (!strempty(cfg->ca_file))
		cbd_curl.easy_setopt(c, CURLOPT_CAINFO, cfg->ca_file);
	if (cfg->mail_plain)
		cbd_curl.easy_setopt(c, CURLOPT_NOPROXY, "*");
	cbd_curl.easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)cfg->connect_timeout_s);
	cbd_curl.easy_setopt(c, CURLOPT_TIMEOUT, (long)cfg->timeout_s);
	cbd_curl.easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1024L);
	cbd_curl.easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 30L);
	cbd_curl.easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	cbd_curl.easy_setopt(c, CURLOPT_MAIL_FROM, from_env);
	cbd_curl.easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	cbd_curl.easy_setopt(c, CURLOPT_HTTPHEADER, headers);
	cbd_curl.easy_setopt(c, CURLOPT_MIMEPOST, mime);
	cbd_curl.easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	/* the dialogue is watched for the server's words; no verbose text is printed */
	cbd_curl.easy_setopt(c, CURLOPT_DEBUGFUNCTION, on_debug);
	cbd_curl.easy_setopt(c, CURLOPT_DEBUGDATA, &d);
	cbd_curl.easy_setopt(c, CURLOPT_VERBOSE, 1L);
	if (e->password) {
		cbd_curl.easy_setopt(c, CURLOPT_USERNAME, e->user);
		cbd_curl.easy_setopt(c, CURLOPT_PASSWORD, e->password);
	}
	res = cbd_curl.easy_perform(c);
	cbd_curl.easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	/* libcurl's own copy of the password goes now, not at the end of the session */
	cbd_curl.easy_reset(c);
	cbd_curl.mime_free(mime);
	cbd_curl.slist_free_all(headers);
	cbd_curl.slist_free_all(rcpt);
	if (html)
		explicit_bzero(html, html_len);
	r = classify(hd, res, code, &d, errbuf, item->size + html_len, ticket, ret_msg);
	if (r == CBD_HD_DONE)
		*ret_msg = cbd_strdupf("%s mailed to %s as a reply to ticket %s (Message-ID %s)",
		                       item->filename, cfg->mail_to, ticket, mid);
	return r;
}

const struct cbd_hd_backend cbd_hd_backend_email = {
    .type = "email",
    .name = "the help desk by e-mail",
    .needs_ticket = true,
    .token_is_password = true,
    .uses_curl = true,
    .check = email_check,
    .open = email_open,
    .close = email_close,
    .send = email_send,
};
