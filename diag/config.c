/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <errno.h>
#include <ini.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cbd-util.h"

#define SYSTEM_CONFIG CBD_SYSCONF_CONFIG

void
cbd_config_init(struct cbd_config *cfg)
{
	*cfg = (struct cbd_config){0};
	cfg->probe_timeout_s = CBD_DEFAULT_PROBE_TIMEOUT_S;
	cfg->interactive_timeout_s = CBD_DEFAULT_INTERACTIVE_TIMEOUT_S;
	cfg->helpdesk.connect_timeout_s = CBD_HD_DEFAULT_CONNECT_TIMEOUT_S;
	cfg->helpdesk.timeout_s = CBD_HD_DEFAULT_TIMEOUT_S;
	cfg->helpdesk.resend_wait_s = CBD_HD_DEFAULT_RESEND_WAIT_S;
	cbd_thresholds_init(&cfg->thresholds);
}

void
cbd_config_clear(struct cbd_config *cfg)
{
	struct cbd_helpdesk_config *h = &cfg->helpdesk;

	free(cfg->source);
	free(cfg->report_dir);
	free(cfg->profiles);
	free(h->type);
	free(h->url);
	free(h->token_file);
	free(h->queue);
	free(h->serial_field);
	free(h->asset_field);
	free(h->queue_dir);
	free(h->path);
	free(h->ca_file);
	free(h->mail_preset);
	free(h->mail_from);
	free(h->mail_to);
	free(h->mail_reply_to);
	free(h->mail_user);
	free(h->mail_subject);
	free(h->mail_tag_name);
	*cfg = (struct cbd_config){0};
}

struct parse_state {
	struct cbd_config *cfg;
	FILE *f;
	char *err;    /* first problem, without file and line */
	int err_line; /* its line */
	int lineno;   /* line last handed to inih, see reader() */
};

/* inih in Debian is built without INI_HANDLER_LINENO: count lines here so
 * that the handler knows where it is. */
static char *
reader(char *buf, int size, void *user)
{
	struct parse_state *st = user;
	char *r = fgets(buf, size, st->f);

	if (r)
		st->lineno++;
	return r;
}

static void
note(struct parse_state *st, char *msg)
{
	if (st->err) {
		free(msg);
		return;
	}
	st->err = msg;
	st->err_line = st->lineno;
}

static int
set_str(char **field, const char *value)
{
	free(*field);
	*field = cbd_strdup(value);
	return 1;
}

static bool
parse_double(const char *s, double *ret)
{
	char *end;
	double v;

	if (strempty(s))
		return false;
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v))
		return false;
	*ret = v;
	return true;
}

/* Record "key 'k' in [s]: <what>" (takes ownership of @what); returns 0 for inih. */
static int
problem(struct parse_state *st, const char *section, const char *key, char *what)
{
	note(st, cbd_strdupf("key '%s' in [%s]: %s", key, section, what));
	free(what);
	return 0;
}

static int
seconds(struct parse_state *st, const char *section, const char *key, const char *value,
	unsigned *field, double min, double max)
{
	double v;

	if (!parse_double(value, &v) || v != floor(v))
		return problem(st, section, key,
			       cbd_strdupf("'%s' is not a whole number of seconds", value));
	if (v < min || v > max)
		return problem(st, section, key,
			       cbd_strdupf("'%s' is out of range (%g to %g)", value, min, max));
	*field = (unsigned)v;
	return 1;
}

static int
handler(void *user, const char *section, const char *key, const char *value)
{
	struct parse_state *st = user;
	struct cbd_config *cfg = st->cfg;
	struct cbd_helpdesk_config *h = &cfg->helpdesk;

	if (!key) /* a section header on its own (INI_CALL_HANDLER_ON_NEW_SECTION) */
		return 1;
	if (streq(section, "report")) {
		if (streq(key, "report_dir")) {
			if (strempty(value))
				return problem(st, section, key, cbd_strdup("must not be empty"));
			return set_str(&cfg->report_dir, value);
		}
	} else if (streq(section, "run")) {
		if (streq(key, "probe_timeout_seconds"))
			return seconds(st, section, key, value, &cfg->probe_timeout_s, 1, 3600);
		if (streq(key, "interactive_timeout_seconds"))
			return seconds(st, section, key, value, &cfg->interactive_timeout_s, 10,
				       86400);
		if (streq(key, "profiles")) {
			if (strempty(value))
				return problem(st, section, key, cbd_strdup("must not be empty"));
			return set_str(&cfg->profiles, value);
		}
	} else if (streq(section, "helpdesk")) {
		if (streq(key, "type")) {
			if (!streq(value, "rt") && !streq(value, "folder") &&
			    !streq(value, "webhook") && !streq(value, "email"))
				return problem(st, section, key,
					       cbd_strdupf("'%s' is not a help-desk type (rt, "
							   "folder, webhook, email)",
							   value));
			return set_str(&h->type, value);
		}
		if (streq(key, "url"))
			return set_str(&h->url, value);
		if (streq(key, "token_file"))
			return set_str(&h->token_file, value);
		if (streq(key, "queue"))
			return set_str(&h->queue, value);
		if (streq(key, "serial_field"))
			return set_str(&h->serial_field, value);
		if (streq(key, "asset_field"))
			return set_str(&h->asset_field, value);
		if (streq(key, "queue_dir"))
			return set_str(&h->queue_dir, value);
		if (streq(key, "path"))
			return set_str(&h->path, value);
		if (streq(key, "ca_file"))
			return set_str(&h->ca_file, value);
		if (streq(key, "mail_preset"))
			return set_str(&h->mail_preset, value);
		if (streq(key, "mail_from"))
			return set_str(&h->mail_from, value);
		if (streq(key, "mail_to"))
			return set_str(&h->mail_to, value);
		if (streq(key, "mail_reply_to"))
			return set_str(&h->mail_reply_to, value);
		if (streq(key, "mail_user"))
			return set_str(&h->mail_user, value);
		if (streq(key, "mail_subject"))
			return set_str(&h->mail_subject, value);
		if (streq(key, "mail_tag_name"))
			return set_str(&h->mail_tag_name, value);
		if (streq(key, "mail_tls")) {
			if (!streq(value, "required") && !streq(value, "none"))
				return problem(st, section, key,
					       cbd_strdupf("'%s' is not required or none", value));
			h->mail_plain = streq(value, "none");
			return 1;
		}
		if (streq(key, "mail_html")) {
			if (!streq(value, "true") && !streq(value, "false"))
				return problem(st, section, key,
					       cbd_strdupf("'%s' is not true or false", value));
			h->mail_html = streq(value, "true");
			return 1;
		}
		if (streq(key, "connect_timeout_seconds"))
			return seconds(st, section, key, value, &h->connect_timeout_s, 1, 300);
		if (streq(key, "timeout_seconds"))
			return seconds(st, section, key, value, &h->timeout_s, 5, 3600);
		if (streq(key, "resend_wait_seconds"))
			return seconds(st, section, key, value, &h->resend_wait_s, 0, 600);
	} else if (streq(section, "thresholds")) {
		int id = cbd_threshold_lookup(key);
		const struct cbd_threshold_def *d;
		double v;

		if (id < 0)
			return problem(st, section, key, cbd_strdup("unknown threshold"));
		d = &cbd_threshold_defs[id];
		if (!parse_double(value, &v))
			return problem(st, section, key, cbd_strdupf("'%s' is not a number", value));
		if (d->integer && v != floor(v))
			return problem(st, section, key,
				       cbd_strdupf("'%s' must be a whole number", value));
		if (v < d->min || v > d->max)
			return problem(st, section, key,
				       cbd_strdupf("'%s' is out of range (%g to %g)", value, d->min,
						   d->max));
		cfg->thresholds.v[id] = v;
		return 1;
	} else {
		note(st, cbd_strdupf("key '%s': unknown section [%s] (known: report, run, helpdesk, "
				     "thresholds)",
				     key, section));
		return 0;
	}
	note(st, cbd_strdupf("key '%s' in [%s]: unknown key", key, section));
	return 0;
}

/* What no config needs; /dev/zero would otherwise never end. */
#define CONFIG_MAX_BYTES (1u << 20)

/* A NUL byte would cut the value short silently: name the file, line and key. */
static int
nul_byte_error(const char *path, const char *text, size_t len, char **ret_err)
{
	const char *nul = memchr(text, '\0', len), *start = text, *eq, *end;
	_cleanup_free_ char *key = NULL;
	int line = 1;

	for (const char *p = text; p < nul; p++)
		if (*p == '\n') {
			line++;
			start = p + 1;
		}
	end = memchr(start, '\n', (size_t)(text + len - start));
	end = end ? end : text + len;
	eq = memchr(start, '=', (size_t)(end - start));
	if (eq && eq < nul) {
		key = strndup(start, (size_t)(eq - start));
		if (!key)
			abort();
		cbd_strstrip(key);
		*ret_err = cbd_strdupf("%s:%d: key '%s': a NUL byte in its value", path, line, key);
	} else {
		*ret_err = cbd_strdupf("%s:%d: a NUL byte in the line", path, line);
	}
	return -EINVAL;
}

int
cbd_config_load_file(struct cbd_config *cfg, const char *path, char **ret_err)
{
	struct parse_state st = {.cfg = cfg};
	_cleanup_fclose_ FILE *f = NULL;
	_cleanup_free_ char *text = NULL;
	size_t len = 0;
	_cleanup_free_ char *msg = NULL;
	mode_t mode = 0;
	int line, r;

	/* a FIFO, /dev/zero or a directory is not a config file: said, not
	 * waited on, read forever or taken for an empty config */
	r = cbd_open_regular(path, &mode);
	if (r == -EISDIR || r == -EINVAL) {
		*ret_err = cbd_strdupf("%s: the config file is %s, not a regular file", path,
				       cbd_file_type_name(mode));
		return r;
	}
	if (r >= 0)
		close(r);
	if (r >= 0)
		r = cbd_read_file(path, CONFIG_MAX_BYTES, &text, &len);
	if (r == -EFBIG) {
		*ret_err = cbd_strdupf("%s: the config file is larger than %u KiB", path,
				       CONFIG_MAX_BYTES >> 10);
		return r;
	}
	if (r < 0) {
		*ret_err = cbd_strdupf("%s: cannot read the config file: %s", path, strerror(-r));
		return r;
	}
	if (memchr(text, '\0', len))
		return nul_byte_error(path, text, len, ret_err);
	f = fmemopen(text, len, "r");
	if (!f)
		abort();
	st.f = f;
	line = ini_parse_stream(reader, &st, handler, &st);
	if (line != 0 || st.err) {
		if (st.err && (line <= 0 || st.err_line <= line))
			*ret_err = cbd_strdupf("%s:%d: %s", path, st.err_line, st.err);
		else if (line > 0)
			*ret_err = cbd_strdupf("%s:%d: cannot parse this line (expected "
					       "[section] or key = value)",
					       path, line);
		else
			*ret_err = cbd_strdupf("%s: %s", path, st.err ? st.err : "cannot parse");
		free(st.err);
		return -EINVAL;
	}
	if (cbd_thresholds_check(&cfg->thresholds, &msg) < 0) {
		*ret_err = cbd_strdupf("%s: %s", path, msg);
		return -EINVAL;
	}
	free(cfg->source);
	cfg->source = cbd_strdup(path);
	return 0;
}

int
cbd_config_load(struct cbd_config *cfg, const char *path, char **ret_err)
{
	const char *env = getenv("CBDIAG_CONFIG");

	if (path)
		return cbd_config_load_file(cfg, path, ret_err);
	if (!strempty(env))
		return cbd_config_load_file(cfg, env, ret_err);
	if (access(SYSTEM_CONFIG, F_OK) == 0)
		return cbd_config_load_file(cfg, SYSTEM_CONFIG, ret_err);
	return 0;
}
