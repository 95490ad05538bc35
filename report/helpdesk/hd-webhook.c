/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * type = webhook: POST the report as multipart/form-data to a URL (an
 * automation of the help desk, a small script staff run). Parts:
 *   metadata  application/json  {report_id, filename, ticket, serial, asset_tag, subject}
 *   report    application/json  the report file, named cbdiag-<serial>-<report_id>.json
 *   summary   text/plain        the text rendering
 * With token_file, the token goes in "Authorization: Bearer …". A webhook
 * cannot be asked whether it already has a report, so every POST carries
 * "Idempotency-Key: <report_id>": a retry after a lost answer is
 * recognisable by the receiver.
 */
#include <errno.h>
#include <stdio.h>

#include "helpdesk-private.h"
#include "doc-json.h"

static int
webhook_check(const struct cbd_helpdesk_config *cfg, char **ret_err)
{
	if (strempty(cfg->url)) {
		*ret_err = cbd_strdup("[helpdesk] type = webhook needs url = https://…");
		return -EINVAL;
	}
	if (cbd_hd_check_url(cfg->url, ret_err) < 0)
		return -EINVAL;
	return 0;
}

static void
add_str(cJSON *o, const char *key, const char *v)
{
	if (v)
		cbd_json_check(cJSON_AddStringToObject(o, key, v));
	else
		cbd_json_check(cJSON_AddNullToObject(o, key));
}

static enum cbd_hd_result
webhook_send(struct cbd_hd *hd, const char *ticket, const struct cbd_hd_item *item,
	     char **ret_msg)
{
	_cleanup_free_ char *url = cbd_strdup(hd->cfg->url);
	_cleanup_free_ char *idem = cbd_strdupf("Idempotency-Key: %s", item->report_id);
	_cleanup_free_ char *meta = NULL;
	cJSON *o = cbd_json_check(cJSON_CreateObject());
	struct cbd_http_resp resp;
	enum cbd_hd_result r;

	add_str(o, "report_id", item->report_id);
	add_str(o, "filename", item->filename);
	add_str(o, "ticket", ticket);
	add_str(o, "serial", item->serial);
	add_str(o, "asset_tag", item->asset_tag);
	add_str(o, "subject", item->subject);
	meta = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (!meta)
		abort();
	{
		const struct cbd_http_part parts[] = {
			{.name = "metadata", .type = "application/json", .data = meta,
			 .len = strlen(meta)},
			{.name = "report", .type = "application/json", .filename = item->filename,
			 .data = item->data, .len = item->size},
			{.name = "summary", .type = "text/plain; charset=utf-8", .data = item->body,
			 .len = strlen(item->body)},
		};
		const char *const headers[] = {idem, "Accept: application/json", NULL};

		cbd_http_post_form(hd->http, url, parts, CBD_ARRAY_SIZE(parts), headers, &resp);
	}
	r = cbd_hd_classify_http(&resp, "posting the report to the webhook", ret_msg);
	cbd_http_resp_clear(&resp);
	return r;
}

const struct cbd_hd_backend cbd_hd_backend_webhook = {
	.type = "webhook",
	.name = "the help-desk webhook",
	.auth_scheme = "Bearer",
	.check = webhook_check,
	.send = webhook_send,
};
