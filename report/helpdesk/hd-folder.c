/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * type = folder: for help desks with no API for existing tickets (osTicket,
 * Spiceworks). The report is copied into a share staff can reach, named by
 * ticket: <path>/<ticket>-cbdiag-<serial>-<report_id>.json (without a ticket,
 * just cbdiag-<serial>-<report_id>.json). Written atomically: staff never see
 * half a file. A share that is not there (not mounted, unreachable) queues the
 * report; one that refuses us (permissions, read-only) needs a person.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>

#include "helpdesk-private.h"
#include "report.h"

static int
folder_check(const struct cbd_helpdesk_config *cfg, char **ret_err)
{
	if (strempty(cfg->path) || cfg->path[0] != '/') {
		*ret_err = cbd_strdup("[helpdesk] type = folder needs path = /absolute/folder (the "
				      "share staff read)");
		return -EINVAL;
	}
	return 0;
}

static char *
dest_path(const struct cbd_hd *hd, const char *ticket, const struct cbd_hd_item *item)
{
	_cleanup_free_ char *t = NULL;

	if (!ticket)
		return cbd_strdupf("%s/%s", hd->cfg->path, item->filename);
	t = cbd_filename_part(ticket, 16, "ticket"); /* + a filename of <= 237: NAME_MAX */
	return cbd_strdupf("%s/%s-%s", hd->cfg->path, t, item->filename);
}

static enum cbd_hd_result
classify_errno(int r, const char *what, char **ret_msg)
{
	bool transient = r == -ENOENT || r == -ENOTCONN || r == -EHOSTDOWN || r == -EHOSTUNREACH ||
			 r == -ETIMEDOUT || r == -EIO || r == -ENOSPC || r == -ESTALE ||
			 r == -ENETDOWN || r == -ENETUNREACH || r == -EAGAIN;

	*ret_msg = cbd_strdupf("%s: %s", what, strerror(-r));
	return transient ? CBD_HD_UNREACHABLE : CBD_HD_REFUSED;
}

static enum cbd_hd_result
folder_has_file(struct cbd_hd *hd, const char *ticket, const struct cbd_hd_item *item, bool *ret,
		char **ret_msg)
{
	_cleanup_free_ char *dest = dest_path(hd, ticket, item);
	struct stat st;

	if (stat(hd->cfg->path, &st) < 0) {
		_cleanup_free_ char *what = cbd_strdupf("the share %s", hd->cfg->path);

		return classify_errno(-errno, what, ret_msg);
	}
	*ret = stat(dest, &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size == (uint64_t)item->size;
	return CBD_HD_DONE;
}

static enum cbd_hd_result
folder_send(struct cbd_hd *hd, const char *ticket, const struct cbd_hd_item *item,
	    char **ret_msg)
{
	_cleanup_free_ char *dest = dest_path(hd, ticket, item);
	_cleanup_free_ char *err = NULL;
	int r;

	cbd_clean_leftovers_near(dest); /* of copies killed mid-write */
	r = cbd_write_file_atomic(dest, item->data, item->size, &err);
	if (r < 0)
		return classify_errno(r, dest, ret_msg);
	*ret_msg = cbd_strdupf("report copied to %s", dest);
	return CBD_HD_DONE;
}

const struct cbd_hd_backend cbd_hd_backend_folder = {
	.type = "folder",
	.name = "the help-desk folder",
	.check = folder_check,
	.has_file = folder_has_file,
	.send = folder_send,
};
