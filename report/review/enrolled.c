/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The devices a district has enrolled, from Google Admin's device export (a
 * CSV file), for the fleet summary's "never checked" view (docs/report-format.md,
 * `summary --enrolled`).
 *
 * The file is read as RFC 4180: cells separated by commas, a record ended by
 * CRLF or LF, a cell in double quotes may hold commas, line ends and doubled
 * quotes; a UTF-8 byte-order mark at the start is skipped (spreadsheets write
 * one). The first record names the columns; the serial's column is required,
 * the organisational unit's, asset id's, model's and status's are used when
 * there. Column names are matched without case, spaces or punctuation, so the
 * Admin console's "Serial Number" and GAM's `serialNumber` are one column.
 *
 * The file comes from a person's download folder and may have been through a
 * spreadsheet: it is hostile. Limits: 64 MiB, 1,000,000 records, 256 columns,
 * 4 KiB a cell; text must be UTF-8 without NUL or control characters other
 * than tab and line ends. Anything else is refused with the line it is on.
 * No library: Debian's libcsv would take the quoting, not the limits, the
 * UTF-8 rule or the line numbers, and this is 200 lines that are fuzzed
 * (tests/fuzz/fuzz-enrolled.c).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "review.h"
#include "cbd-util.h"

#define MAX_FILE (64u << 20)
#define MAX_RECORDS 1000000u
#define MAX_COLUMNS 256u
#define MAX_CELL 4096u

enum col { COL_SERIAL, COL_OU, COL_ASSET, COL_MODEL, COL_STATUS, COL_N };

/* the names each column goes by (lower case, letters and digits only) */
static const char *const col_names[COL_N][5] = {
	[COL_SERIAL] = {"serialnumber", "serial", "serialno"},
	[COL_OU] = {"orgunitpath", "orgunit", "ou", "org", "organizationalunit"},
	[COL_ASSET] = {"annotatedassetid", "assetid", "asset", "assettag"},
	[COL_MODEL] = {"model"},
	[COL_STATUS] = {"status"},
};

static char *
strndup_or_die(const char *s, size_t n)
{
	char *d = strndup(s, n);

	if (!d)
		cbd_oom();
	return d;
}

struct parser {
	const char *p, *end;
	unsigned line;	      /* the line being read, from 1 */
	unsigned record_line; /* where the record being read began */
	char **cells;
	size_t n_cells;
	char *err;
};

static int
fail(struct parser *ps, const char *what)
{
	free(ps->err);
	ps->err = cbd_strdupf("line %u: %s", ps->record_line, what);
	return -EINVAL;
}

static void
cells_clear(struct parser *ps)
{
	for (size_t i = 0; i < ps->n_cells; i++)
		free(ps->cells[i]);
	ps->n_cells = 0;
}

/* One record into ps->cells. 1: a record, 0: end of file, <0: refused. */
static int
read_record(struct parser *ps)
{
	char cell[MAX_CELL + 1];
	size_t len = 0;
	bool quoted = false, was_quoted = false, any = false;

	cells_clear(ps);
	ps->record_line = ps->line;
	if (ps->p >= ps->end)
		return 0;
	for (;;) {
		int c = ps->p < ps->end ? (unsigned char)*ps->p++ : -1;

		if (quoted) {
			if (c < 0)
				return fail(ps, "a quoted cell never ends (a \" is missing)");
			if (c == '"') {
				if (ps->p < ps->end && *ps->p == '"') {
					ps->p++;
				} else {
					quoted = false;
					continue;
				}
			}
		} else if (c == '"' && len == 0 && !was_quoted) {
			quoted = was_quoted = true;
			any = true;
			continue;
		} else if (c == ',' || c == '\n' || c == '\r' || c < 0) {
			if (c == '\r') {
				if (ps->p < ps->end && *ps->p == '\n')
					ps->p++;
				else
					return fail(ps, "a carriage return that does not end a line");
			}
			if (ps->n_cells == MAX_COLUMNS)
				return fail(ps, "more than 256 columns");
			cell[len] = '\0';
			if (!cbd_utf8_valid(cell, len))
				return fail(ps, "text that is not UTF-8 (save the file as CSV UTF-8)");
			ps->cells = cbd_realloc_array(ps->cells, ps->n_cells + 1, sizeof(*ps->cells));
			ps->cells[ps->n_cells++] = strndup_or_die(cell, len);
			len = 0;
			was_quoted = false;
			if (c == ',') {
				any = true;
				continue;
			}
			if (c == '\n' || c == '\r')
				ps->line++;
			/* a blank line is no record (but the last line of a file
			 * ending without a line end is) */
			if (!any && ps->n_cells == 1 && !ps->cells[0][0]) {
				cells_clear(ps);
				if (c < 0 || ps->p >= ps->end)
					return 0;
				ps->record_line = ps->line;
				continue;
			}
			return 1;
		} else if (was_quoted) {
			return fail(ps, "text after the closing \" of a quoted cell");
		}
		if (c == '\0' || (c < 0x20 && c != '\t' && c != '\n' && c != '\r'))
			return fail(ps, "a control character in a cell");
		if (c == '\n')
			ps->line++; /* inside quotes */
		if (len == MAX_CELL)
			return fail(ps, "a cell longer than 4096 bytes");
		cell[len++] = (char)c;
		any = true;
	}
}

/* "Org Unit Path" -> "orgunitpath" */
static void
fold(const char *s, char *out, size_t size)
{
	size_t n = 0;

	for (; *s && n + 1 < size; s++)
		if (isalnum((unsigned char)*s))
			out[n++] = (char)tolower((unsigned char)*s);
	out[n] = '\0';
}

/* The serial as reports and exports both mean it: trimmed, upper case. */
char *
cbd_enrolled_serial_key(const char *s)
{
	size_t a = 0, b = strlen(s);
	char *k;

	while (a < b && isspace((unsigned char)s[a]))
		a++;
	while (b > a && isspace((unsigned char)s[b - 1]))
		b--;
	k = strndup_or_die(s + a, b - a);
	for (char *c = k; *c; c++)
		*c = (char)toupper((unsigned char)*c);
	return k;
}

static char *
cell_or_null(struct parser *ps, const int *idx, enum col c)
{
	if (idx[c] < 0 || (size_t)idx[c] >= ps->n_cells || !ps->cells[idx[c]][0])
		return NULL;
	return cbd_strdup(ps->cells[idx[c]]);
}

int
cbd_enrolled_parse(const char *buf, size_t len, struct cbd_enrolled **ret, char **ret_err)
{
	struct parser ps = {.p = buf, .end = buf + len, .line = 1};
	struct cbd_enrolled *e = cbd_zalloc(sizeof(*e));
	int idx[COL_N], r;
	size_t records = 0;

	*ret = NULL;
	if (len > MAX_FILE) {
		r = fail(&ps, "the file is larger than 64 MiB");
		goto out;
	}
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		ps.p += 3;
	r = read_record(&ps);
	if (r <= 0) {
		if (r == 0)
			r = fail(&ps, "the file is empty (no header line)");
		goto out;
	}
	ps.record_line = 1; /* what is said of the columns is said of the header */
	for (int c = 0; c < COL_N; c++) {
		idx[c] = -1;
		for (size_t i = 0; i < ps.n_cells && idx[c] < 0; i++) {
			char f[64];

			fold(ps.cells[i], f, sizeof(f));
			for (size_t k = 0; k < CBD_ARRAY_SIZE(col_names[c]) && col_names[c][k]; k++)
				if (streq(f, col_names[c][k]))
					idx[c] = (int)i;
		}
	}
	if (idx[COL_SERIAL] < 0) {
		r = fail(&ps, "no serial number column (a column named \"Serial Number\" or "
			      "serialNumber)");
		goto out;
	}
	while ((r = read_record(&ps)) > 0) {
		_cleanup_free_ char *status = NULL;
		struct cbd_enrolled_device d = {0};

		if (++records > MAX_RECORDS) {
			r = fail(&ps, "more than 1,000,000 devices");
			goto out;
		}
		status = cell_or_null(&ps, idx, COL_STATUS);
		if (status && strcasecmp(status, "DEPROVISIONED") == 0) {
			e->deprovisioned++;
			continue;
		}
		if ((size_t)idx[COL_SERIAL] >= ps.n_cells || !ps.cells[idx[COL_SERIAL]][0]) {
			e->without_serial++;
			continue;
		}
		d.serial = cbd_enrolled_serial_key(ps.cells[idx[COL_SERIAL]]);
		if (!d.serial[0]) {
			free(d.serial);
			e->without_serial++;
			continue;
		}
		d.org_unit = cell_or_null(&ps, idx, COL_OU);
		d.asset_id = cell_or_null(&ps, idx, COL_ASSET);
		d.model = cell_or_null(&ps, idx, COL_MODEL);
		e->v = cbd_realloc_array(e->v, e->n + 1, sizeof(*e->v));
		e->v[e->n++] = d;
	}
out:
	cells_clear(&ps);
	free(ps.cells);
	if (r < 0) {
		cbd_enrolled_free(e);
		*ret_err = steal_ptr(&ps.err);
		return r;
	}
	free(ps.err);
	e->has_org_unit = idx[COL_OU] >= 0;
	*ret = e;
	return 0;
}

int
cbd_enrolled_load(const char *path, struct cbd_enrolled **ret, char **ret_err)
{
	_cleanup_free_ char *buf = NULL, *err = NULL;
	size_t len = 0;
	int r;

	*ret = NULL;
	r = cbd_read_file(path, MAX_FILE, &buf, &len);
	if (r == -EFBIG) {
		*ret_err = cbd_strdupf("%s: the file is larger than 64 MiB", path);
		return r;
	}
	if (r == -EINVAL || r == -EISDIR) {
		struct stat st;

		*ret_err = cbd_strdupf("%s: is %s, not a CSV file", path,
				       stat(path, &st) == 0 ? cbd_file_type_name(st.st_mode)
							    : "not a regular file");
		return r;
	}
	if (r < 0) {
		*ret_err = cbd_strdupf("%s: %s", path, strerror(-r));
		return r;
	}
	r = cbd_enrolled_parse(buf, len, ret, &err);
	if (r < 0)
		*ret_err = cbd_strdupf("%s: %s", path, err);
	return r;
}

void
cbd_enrolled_free(struct cbd_enrolled *e)
{
	if (!e)
		return;
	for (size_t i = 0; i < e->n; i++) {
		free(e->v[i].serial);
		free(e->v[i].org_unit);
		free(e->v[i].asset_id);
		free(e->v[i].model);
	}
	free(e->v);
	free(e);
}
