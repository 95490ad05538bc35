/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Inside report/helpdesk/ only: the backend interface. Adding a help desk
 * (Zammad, GLPI, Freshservice, Jira SM, Incident IQ: docs/helpdesk.md, "Adding
 * a help desk") is one file with one of these, listed in helpdesk.c.
 */
#pragma once

#include "helpdesk.h"
#include "http.h"

struct cbd_hd;

struct cbd_hd_backend {
	const char *type;     /* the [helpdesk] type = value */
	const char *name;     /* for messages: "Request Tracker" */
	bool needs_token;     /* token_file is required */
	bool needs_ticket;    /* cannot deliver without a ticket (after find/create) */
	const char *auth_scheme; /* "Authorization: <scheme> <token>"; NULL: no HTTP */
	bool uses_curl;          /* talks through libcurl without HTTP (SMTP) */

	/* The token file may hold a password (spaces inside allowed). */
	bool token_is_password;

	/* Check the configuration (url, path, …). */
	int (*check)(const struct cbd_helpdesk_config *cfg, char **ret_err);

	/* The device's open tickets (ids in *@ret_ids). NULL: cannot search. */
	enum cbd_hd_result (*find)(struct cbd_hd *hd, const struct cbd_hd_item *item,
				   char ***ret_ids, size_t *ret_n, char **ret_msg);
	/* Open a ticket for the device. NULL: cannot create. */
	enum cbd_hd_result (*create)(struct cbd_hd *hd, const struct cbd_hd_item *item,
				     char **ret_id, char **ret_msg);
	/* Does @ticket already hold @item's file? NULL: cannot tell. */
	enum cbd_hd_result (*has_file)(struct cbd_hd *hd, const char *ticket,
				       const struct cbd_hd_item *item, bool *ret, char **ret_msg);
	/* Optional: set up the session with the token (NULL: none), which is
	 * zeroed by the caller afterwards; keep a copy only in memory the
	 * backend zeroes in close(). */
	int (*open)(struct cbd_hd *hd, const char *token, char **ret_err);
	void (*close)(struct cbd_hd *hd);
	/* Bring the reports it holds into folder @dir, only those not fetched
	 * before. NULL: this help desk cannot be read back. */
	enum cbd_hd_result (*fetch)(struct cbd_hd *hd, const char *dir, struct cbd_hd_fetch *st,
				    char **ret_msg);
	/* Attach @item to @ticket (which may be NULL when !needs_ticket). */
	enum cbd_hd_result (*send)(struct cbd_hd *hd, const char *ticket,
				   const struct cbd_hd_item *item, char **ret_msg);
};

struct cbd_hd {
	const struct cbd_hd_backend *be;
	const struct cbd_helpdesk_config *cfg;
	struct cbd_http *http; /* NULL for backends without HTTP */
	char *describe;
	int dumpable; /* PR_GET_DUMPABLE before the token was read (restored at close), or 0 */
	void *priv;   /* the backend's own session state (open/close) */
	cbd_hd_html_fn html;
	void *html_userdata;
};

extern const struct cbd_hd_backend cbd_hd_backend_rt;
extern const struct cbd_hd_backend cbd_hd_backend_folder;
extern const struct cbd_hd_backend cbd_hd_backend_webhook;
extern const struct cbd_hd_backend cbd_hd_backend_email;

/* Is @host (as libcurl reads it from a URL) this machine: 127.0.0.0/8, ::1, localhost? */
bool cbd_hd_loopback_host(const char *host);

/*
 * Map an HTTP outcome to a delivery result: no answer or 5xx/408/429 →
 * UNREACHABLE, 401/403 → REFUSED ("refused the token"), other non-2xx →
 * REFUSED. Writes the explanation to *@ret_msg (with @what, e.g. "attaching to
 * ticket 12"). Returns DONE for 2xx.
 */
enum cbd_hd_result cbd_hd_classify_http(const struct cbd_http_resp *r, const char *what,
					char **ret_msg);

/*
 * Is @url one the token may travel to? https:// anywhere; http:// only to
 * loopback (127.0.0.0/8, ::1, localhost), which exists for tests and for a
 * help desk on the same machine. 0, or -EINVAL with *@ret_err.
 */
int cbd_hd_check_url(const char *url, char **ret_err);

/* A URL from the configured base and a printf path: base without trailing '/'. */
char *cbd_hd_url(const struct cbd_hd *hd, const char *fmt, ...) _printf_(2, 3);
