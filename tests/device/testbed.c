/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "testbed.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <cjson/cJSON.h>

#include "result.h"
#include "doc-json.h"

static void
die(const char *what, const char *detail)
{
	fprintf(stderr, "testbed: %s: %s\n", what, detail);
	abort();
}

static size_t
unescape(const char *in, char *out)
{
	size_t n = 0;

	while (*in) {
		if (*in != '\\') {
			out[n++] = *in++;
			continue;
		}
		in++;
		switch (*in) {
		case 'n':
			out[n++] = '\n';
			in++;
			break;
		case 't':
			out[n++] = '\t';
			in++;
			break;
		case '0':
			out[n++] = '\0';
			in++;
			break;
		case '\\':
			out[n++] = '\\';
			in++;
			break;
		case 'x': {
			char hex[3] = {in[1], in[2], 0};

			out[n++] = (char)strtol(hex, NULL, 16);
			in += 3;
			break;
		}
		default:
			die("bad escape", in);
		}
	}
	return n;
}

static void
load_files(UMockdevTestbed *tb, const char *path)
{
	g_autofree char *root = umockdev_testbed_get_root_dir(tb); /* caller frees */
	FILE *f = fopen(path, "r");
	char line[4096];

	if (!f)
		return; /* optional */
	while (fgets(line, sizeof(line), f)) {
		char *tab, *file, *dir, *slash, content[4096];
		size_t len;
		FILE *o;

		line[strcspn(line, "\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		tab = strchr(line, '\t');
		if (!tab)
			die("no tab in line", line);
		*tab = '\0';
		len = unescape(tab + 1, content);
		file = g_build_filename(root, line, NULL);
		dir = g_strdup(file);
		slash = strrchr(dir, '/');
		*slash = '\0';
		if (g_mkdir_with_parents(dir, 0755) < 0)
			die("mkdir", dir);
		o = fopen(file, "w");
		if (!o || fwrite(content, 1, len, o) != len || fclose(o) != 0)
			die("write", file);
		g_free(dir);
		g_free(file);
	}
	fclose(f);
}

/* NAME--eventN.ioctl: what the ioctls of /dev/input/eventN answer;
 * NAME--eventN.evemu: the input events it plays */
static void
load_ioctls(UMockdevTestbed *tb, const char *dir, const char *name)
{
	GDir *d = g_dir_open(dir, 0, NULL);
	const char *f;
	char *prefix = g_strdup_printf("%s--", name);

	while (d && (f = g_dir_read_name(d))) {
		char *node, *file;
		GError *error = NULL;

		if (!g_str_has_prefix(f, prefix) ||
		    (!g_str_has_suffix(f, ".ioctl") && !g_str_has_suffix(f, ".evemu")))
			continue;
		node = g_strdup_printf("/dev/input/%.*s", (int)(strlen(f) - strlen(prefix) - 6),
				       f + strlen(prefix));
		file = g_build_filename(dir, f, NULL);
		if (g_str_has_suffix(f, ".ioctl") &&
		    !umockdev_testbed_load_ioctl(tb, node, file, &error))
			die(file, error->message);
		/* an input event stream the device plays when opened */
		if (g_str_has_suffix(f, ".evemu") &&
		    !umockdev_testbed_load_evemu_events(tb, node, file, &error))
			die(file, error->message);
		g_free(node);
		g_free(file);
	}
	if (d)
		g_dir_close(d);
	g_free(prefix);
}

UMockdevTestbed *
cbd_testbed_new(const char *name)
{
	const char *dir = getenv("CBD_SCENARIOS");
	UMockdevTestbed *tb;
	GError *error = NULL;
	char *path;

	if (!dir)
		die("CBD_SCENARIOS", "not set");
	/* umockdev_in_mock_environment() answers false on Debian 12 even under the
	 * wrapper (it asks which object provides open()); the preload works. */
	if (!getenv("LD_PRELOAD") || !strstr(getenv("LD_PRELOAD"), "libumockdev-preload"))
		die("environment", "run me under umockdev-wrapper");
	tb = umockdev_testbed_new();
	path = g_strdup_printf("%s/%s.umockdev", dir, name);
	if (g_file_test(path, G_FILE_TEST_EXISTS) &&
	    !umockdev_testbed_add_from_file(tb, path, &error))
		die(path, error->message);
	g_free(path);
	path = g_strdup_printf("%s/%s.files", dir, name);
	load_files(tb, path);
	g_free(path);
	load_ioctls(tb, dir, name);
	return tb;
}

static void *run_report(int *ret_exit, const char *const *args, bool interactive_flag);

void *
cbd_testbed_run_report(int *ret_exit, const char *const *args)
{
	return run_report(ret_exit, args, true);
}

void *
cbd_testbed_run_report_raw(int *ret_exit, const char *const *args)
{
	return run_report(ret_exit, args, false);
}

static void *
run_report(int *ret_exit, const char *const *args, bool no_interactive)
{
	const char *cbdiag = getenv("CBDIAG");
	GPtrArray *argv = g_ptr_array_new();
	GError *error = NULL;
	char *out = NULL, *err = NULL;
	int status;
	cJSON *root;

	if (!cbdiag)
		die("CBDIAG", "not set");
	g_ptr_array_add(argv, (char *)cbdiag);
	g_ptr_array_add(argv, "run");
	if (no_interactive)
		g_ptr_array_add(argv, "--no-interactive");
	g_ptr_array_add(argv, "-o");
	g_ptr_array_add(argv, "-");
	for (; args && *args; args++)
		g_ptr_array_add(argv, (char *)*args);
	g_ptr_array_add(argv, NULL);
	if (!g_spawn_sync(NULL, (char **)argv->pdata, NULL, 0, NULL, NULL, &out, &err, &status,
			  &error))
		die("spawn", error->message);
	g_ptr_array_free(argv, TRUE);
	root = cJSON_Parse(out);
	if (!root) {
		fprintf(stderr, "cbdiag printed no report; stderr:\n%s\n", err);
		abort();
	}
	*ret_exit = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	cbd_tb_check_headlines(root);
	g_free(out);
	g_free(err);
	return root;
}

void
cbd_tb_check_headlines(const void *root)
{
	const cJSON *p;

	cJSON_ArrayForEach(p, cJSON_GetObjectItem(root, "probes"))
	{
		struct cbd_result *r = NULL;

		if (cbd_result_from_cjson(p, &r) < 0)
			die(p->string, "is not a probe result");
		if (!cbd_result_headline_agrees(r)) {
			fprintf(stderr, "probe %s: %s headline \"%s\" does not name its cause\n",
				p->string, cbd_status_to_string(r->status), r->summary);
			abort();
		}
		cbd_result_free(r);
	}
}

const void *
cbd_tb_probe(const void *root, const char *name)
{
	return cJSON_GetObjectItem(cJSON_GetObjectItem(root, "probes"), name);
}

const char *
cbd_tb_str(const void *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItem(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

double
cbd_tb_num(const void *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItem(o, key);

	if (!cJSON_IsNumber(v))
		die(key, "is not a number in the report");
	return v->valuedouble;
}

bool
cbd_tb_has_finding(const void *probe, const char *code, const char *severity)
{
	const cJSON *f;

	cJSON_ArrayForEach(f, cJSON_GetObjectItem(probe, "findings"))
	{
		const char *c = cbd_tb_str(f, "code"), *s = cbd_tb_str(f, "severity");

		if (c && s && strcmp(c, code) == 0 && strcmp(s, severity) == 0)
			return true;
	}
	return false;
}

void *
cbd_testbed_report_conf(const char *name, const char *config_text, const char *const *args,
			int *ret_exit)
{
	char conf[] = "/tmp/cbd-tb-conf-XXXXXX";
	const char *all[32];
	size_t n = 0, len = strlen(config_text);
	int fd = mkstemp(conf);
	UMockdevTestbed *tb;
	void *root;

	if (fd < 0 || write(fd, config_text, len) != (ssize_t)len)
		abort();
	close(fd);
	for (; args[n] && n < CBD_ARRAY_SIZE(all) - 3; n++)
		all[n] = args[n];
	all[n++] = "--config";
	all[n++] = conf;
	all[n] = NULL;
	tb = cbd_testbed_new(name);
	root = cbd_testbed_run_report_raw(ret_exit, all);
	g_object_unref(tb);
	unlink(conf);
	return root;
}

void *
cbd_testbed_report(const char *name, const char *const *args, int *ret_exit)
{
	UMockdevTestbed *tb = cbd_testbed_new(name);
	void *root = cbd_testbed_run_report(ret_exit, args);

	g_object_unref(tb);
	return root;
}
