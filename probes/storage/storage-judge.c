/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Judging half of the storage probe: pure code, rules in probes/storage/README.md. */
#include "cbd-i18n.h"
#include "storage.h"

#include <errno.h>

#include "readtest.h"

struct judge {
	const struct cbd_thresholds *t;
	struct cbd_result *out;
	char *error;   /* first problem that made a check impossible */
	char *summary; /* per internal disk */
};

static void
set_error(struct judge *j, char *msg)
{
	if (j->error)
		free(msg);
	else
		j->error = msg;
}

static void
append(char **s, const char *part)
{
	char *n = *s ? cbd_strdupf("%s; %s", *s, part) : cbd_strdup(part);

	free(*s);
	*s = n;
}

static void
add_str(struct cbd_json *o, const char *key, const char *s)
{
	cbd_json_add_str(o, key, strempty(s) ? NULL : s);
}

static void
add_byte(struct cbd_json *o, const char *key, int v)
{
	if (v < 0)
		cbd_json_add_null(o, key);
	else
		cbd_json_add_int(o, key, v);
}

/* eMMC and UFS share the JEDEC encoding: life 0x01-0x0B in tenths, pre-EOL 1-3. */
static void
judge_wear(struct judge *j, const char *name, const char *kind, const char *code_life,
	   const char *code_eol, int a, int b, int eol)
{
	const struct cbd_thresholds *t = j->t;
	int worst = a > b ? a : b;
	static const char *const eol_words[] = {N_("not defined"), "normal", "warning", "urgent"};
	/* no "back up" in any storage step: the repair stick runs in developer mode,
	 * and switching to it has already wiped the Chromebook's own files */
	const char *action = N_("Staff must replace the main board (this disk is soldered on)");

	if (eol >= t->v[CBD_T_STORAGE_EMMC_PRE_EOL_FAIL])
		cbd_result_add_finding(j->out, code_eol, CBD_SEVERITY_FAIL, true, action,
				       N_("The disk is nearly worn out (it says: %s)"),
				       eol_words[eol <= 3 ? eol : 0]);
	else if (eol >= t->v[CBD_T_STORAGE_EMMC_PRE_EOL_WARN])
		cbd_result_add_finding(j->out, code_eol, CBD_SEVERITY_WARN, true, action,
				       N_("The disk is wearing out: most of its spare room is used"));
	if (worst >= t->v[CBD_T_STORAGE_EMMC_LIFE_FAIL])
		cbd_result_add_finding(j->out, code_life, CBD_SEVERITY_FAIL, true, action,
				       N_("The disk has reached the end of its expected life"));
	else if (worst >= t->v[CBD_T_STORAGE_EMMC_LIFE_WARN])
		cbd_result_add_finding(j->out, code_life, CBD_SEVERITY_WARN, true, action,
				       N_("The disk has used %d-%d%% of its expected life"),
				       (worst - 1) * 10, worst * 10);
}

static void
judge_emmc(struct judge *j, const struct cbd_disk_raw *d, struct cbd_json *o)
{
	struct cbd_json *e = cbd_json_add_object(o, "emmc");
	int a, b, eol = cbd_parse_hex_byte(d->emmc.pre_eol_info);
	int rev = cbd_parse_hex_byte(d->emmc.rev);
	bool trusted = rev >= 7; /* life time and pre-EOL exist from eMMC 5.0 (EXT_CSD rev 7) */

	cbd_emmc_life(&d->emmc, &a, &b);
	add_byte(e, "life_time_a", trusted ? a : -1);
	add_byte(e, "life_time_b", trusted ? b : -1);
	add_byte(e, "pre_eol", trusted ? eol : -1);
	add_byte(e, "ext_csd_rev", rev);
	add_str(e, "manfid", d->emmc.manfid);
	cbd_json_add_str(e, "manufacturer", cbd_emmc_manufacturer(d->emmc.manfid));
	add_str(e, "date", d->emmc.date);
	if (!trusted) {
		cbd_result_add_finding(j->out, "storage.emmc_no_health", CBD_SEVERITY_INFO, false,
				       NULL,
				       N_("This disk is too old to say how worn it is"));
		return;
	}
	judge_wear(j, d->name, "eMMC", "storage.emmc_life", "storage.emmc_pre_eol", a, b, eol);
}

static void
judge_ufs(struct judge *j, const struct cbd_disk_raw *d, struct cbd_json *o)
{
	struct cbd_json *u = cbd_json_add_object(o, "ufs");
	int a = cbd_parse_hex_byte(d->ufs_life_a), b = cbd_parse_hex_byte(d->ufs_life_b);
	int eol = cbd_parse_hex_byte(d->ufs_eol);

	add_byte(u, "life_time_a", a);
	add_byte(u, "life_time_b", b);
	add_byte(u, "pre_eol", eol);
	judge_wear(j, d->name, "UFS disk", "storage.ufs_life", "storage.ufs_pre_eol", a, b, eol);
}

/* temperature_c, or null and temperature_note saying why: a sensor that
 * reports 0 K or 65535 K is a broken reading, not a hot or frozen disk */
static void
add_temperature(struct cbd_json *o, enum cbd_temp_state st, long long c, long long k)
{
	_cleanup_free_ char *note = NULL;

	if (st == CBD_TEMP_OK) {
		cbd_json_add_int(o, "temperature_c", c);
		return;
	}
	cbd_json_add_null(o, "temperature_c");
	if (st == CBD_TEMP_NOT_REPORTED)
		note = cbd_strdup(N_("not reported"));
	else
		note = cbd_strdupf("implausible: the disk reports %lld K (%lld °C), outside %d..%d "
				   "°C; not used",
				   k, c, CBD_TEMP_MIN_C, CBD_TEMP_MAX_C);
	cbd_json_add_str(o, "temperature_note", note);
}

static void
judge_sata(struct judge *j, const struct cbd_disk_raw *d, bool internal, struct cbd_json *o)
{
	static const char *const overall[] = {
		[CBD_ATA_GOOD] = "good",
		[CBD_ATA_BAD_ATTRIBUTE_IN_THE_PAST] = "bad_attribute_in_the_past",
		[CBD_ATA_BAD_SECTOR] = "bad_sector",
		[CBD_ATA_BAD_ATTRIBUTE_NOW] = "bad_attribute_now",
		[CBD_ATA_BAD_SECTOR_MANY] = "bad_sector_many",
		[CBD_ATA_BAD_STATUS] = "bad_status",
	};
	const struct cbd_hw_ata_smart *a = &d->ata;
	struct cbd_json *s;
	const char *ov = a->overall >= 0 && a->overall <= CBD_ATA_BAD_STATUS ? overall[a->overall]
									       : NULL;

	if (d->ata_err == -ENOTSUP) {
		s = cbd_json_add_object(o, "sata");
		cbd_json_add_bool(s, "smart_available", false);
		if (internal)
			cbd_result_add_finding(j->out, "storage.sata_no_smart", CBD_SEVERITY_INFO, false,
					       NULL, N_("This disk does not say how healthy it is"));
		return;
	}
	if (d->ata_err < 0) {
		cbd_json_add_null(o, "sata");
		if (!internal)
			return;
		if ((d->ata_err == -EACCES || d->ata_err == -EPERM) && !d->as_root)
			set_error(j, cbd_strdup(N_("Reading the disk's health needs root (run cbdiag "
						"as root)")));
		else
			set_error(j, cbd_strdup(N_("The disk's health could not be read")));
		/* the why is for staff, not for the sentence */
		cbd_json_add_str(o, "health_error", strerror(-d->ata_err));
		return;
	}
	s = cbd_json_add_object(o, "sata");
	cbd_json_add_bool(s, "smart_available", true);
	cbd_json_add_str(s, "smart_status", a->status == 1 ? "good" : a->status == 0 ? "failing" : NULL);
	cbd_json_add_str(s, "overall", ov);
#define ADD_LL(k, v)                              \
	do {                                      \
		if ((v) >= 0)                     \
			cbd_json_add_int(s, k, (v)); \
		else                              \
			cbd_json_add_null(s, k);  \
	} while (0)
	ADD_LL("bad_sectors", a->bad_sectors);
	ADD_LL("power_on_hours", a->power_on_hours);
	ADD_LL("power_cycles", a->power_cycles);
	/* -1: libatasmart has none; 0 mK (-273 °C): the attribute is empty */
	add_temperature(s,
			a->temperature_c == -1 ? CBD_TEMP_NOT_REPORTED
					       : cbd_temp_check_kelvin(a->temperature_c + 273),
			a->temperature_c, a->temperature_c + 273);
#undef ADD_LL
	if (!internal)
		return;
	/* the disk's own verdict, as udisks reads it: failing now is fail, a past
	 * problem or a few bad sectors is warn */
	if (a->status == 0 || a->overall == CBD_ATA_BAD_STATUS ||
	    a->overall == CBD_ATA_BAD_ATTRIBUTE_NOW || a->overall == CBD_ATA_BAD_SECTOR_MANY)
		cbd_result_add_finding(j->out, "storage.sata_smart_failing", CBD_SEVERITY_FAIL, false,
				       N_("Replace the disk"),
				       N_("The disk reports that it is failing"));
	else if (a->overall == CBD_ATA_BAD_SECTOR || a->overall == CBD_ATA_BAD_ATTRIBUTE_IN_THE_PAST)
		cbd_result_add_finding(j->out, "storage.sata_smart_warning", CBD_SEVERITY_WARN, false,
				       N_("Replace the disk if the read test also finds problems"),
				       N_("The disk reports %s"),
				       a->overall == CBD_ATA_BAD_SECTOR
					       ? N_("bad sectors")
					       : N_("a health attribute that crossed its threshold in the "
						 "past"));
}

static void
judge_nvme(struct judge *j, const struct cbd_disk_raw *d, struct cbd_json *o)
{
	const struct cbd_thresholds *t = j->t;
	const char *action = N_("Staff must replace the disk");
	struct cbd_nvme_health h;
	struct cbd_json *n, *names;

	if (d->nvme_log_err < 0) {
		cbd_json_add_null(o, "nvme");
		if ((d->nvme_log_err == -EACCES || d->nvme_log_err == -EPERM) && d->as_root)
			set_error(j, cbd_strdupf(N_("Reading the disk's health was refused although "
						 "cbdiag runs as root (%s): a sandbox or security "
						 "policy blocks it"),
						 strerror(-d->nvme_log_err)));
		else if (d->nvme_log_err == -EACCES || d->nvme_log_err == -EPERM)
			set_error(j, cbd_strdup(N_("Reading the disk's health needs root (run cbdiag "
						"as root)")));
		else
			set_error(j, cbd_strdup(N_("The disk's health could not be read")));
		cbd_json_add_str(o, "health_error", strerror(-d->nvme_log_err));
		return;
	}
	cbd_nvme_decode(d->nvme_log, &h);
	n = cbd_json_add_object(o, "nvme");
	cbd_json_add_int(n, "critical_warning", h.critical_warning);
	names = cbd_json_add_array(n, "critical_warning_names");
	for (unsigned i = 0; i < 8; i++)
		if (h.critical_warning & (1u << i)) {
			char one[96];

			cbd_nvme_warning_names((uint8_t)(1u << i), one, sizeof(one));
			cbd_json_add_str(names, NULL, one);
		}
	add_temperature(n, h.temperature_state, h.temperature_c, h.temperature_k);
	cbd_json_add_int(n, "available_spare", h.available_spare);
	cbd_json_add_int(n, "available_spare_threshold", h.available_spare_threshold);
	cbd_json_add_int(n, "percentage_used", h.percentage_used);
	{
		/* units of data_units_*: 1000 x 512 bytes */
		const struct {
			const char *key;
			struct cbd_u128 v;
		} c[] = {
			{"media_errors", h.media_errors},
			{"power_on_hours", h.power_on_hours},
			{"unsafe_shutdowns", h.unsafe_shutdowns},
			{"power_cycles", h.power_cycles},
			{"data_units_read", h.data_units_read},
			{"data_units_written", h.data_units_written},
		};
		struct cbd_json *exact = NULL;
		bool saturated = false;

		for (size_t i = 0; i < CBD_ARRAY_SIZE(c); i++) {
			saturated |= cbd_u128_above_json(c[i].v);
			cbd_json_add_int(n, c[i].key,
					 cbd_u128_above_json(c[i].v) ? (long long)CBD_JSON_INT_MAX
								      : (long long)c[i].v.lo);
		}
		/* a number above 2^53 - 1 is not exact in JSON (nor signed in C past
		 * 2^63): saturated, said so, and exact as a decimal string */
		cbd_json_add_bool(n, "counter_overflow", saturated);
		for (size_t i = 0; i < CBD_ARRAY_SIZE(c) && saturated; i++) {
			char dec[48];

			if (!cbd_u128_above_json(c[i].v))
				continue;
			if (!exact)
				exact = cbd_json_add_object(n, "counters_exact");
			cbd_u128_to_dec(c[i].v, dec, sizeof(dec));
			cbd_json_add_str(exact, c[i].key, dec);
		}
	}

	if (h.critical_warning) {
		cbd_result_add_finding(j->out, "storage.nvme_critical_warning", CBD_SEVERITY_FAIL,
				       true, action, N_("The disk warns that it is failing"));
	}
	if (h.available_spare < h.available_spare_threshold)
		cbd_result_add_finding(j->out, "storage.nvme_spare_low", CBD_SEVERITY_FAIL, true,
				       action,
				       N_("The disk is worn out: it has almost no spare room left"));
	if (h.percentage_used >= t->v[CBD_T_STORAGE_NVME_USED_FAIL])
		cbd_result_add_finding(j->out, "storage.nvme_worn", CBD_SEVERITY_FAIL, true, action,
				       N_("The disk has used %u%% of its expected life"),
				       h.percentage_used);
	else if (h.percentage_used >= t->v[CBD_T_STORAGE_NVME_USED_WARN])
		cbd_result_add_finding(j->out, "storage.nvme_worn", CBD_SEVERITY_WARN, true,
				       N_("Plan a disk replacement"),
				       N_("The disk has used %u%% of its expected life"),
				       h.percentage_used);
	/* the threshold is at most 10^12: any counter above 2^53 is past it */
	if (cbd_u128_above_json(h.media_errors) ||
	    (double)h.media_errors.lo >= t->v[CBD_T_STORAGE_NVME_MEDIA_ERRORS_WARN]) {
		char dec[48];

		cbd_u128_to_dec(h.media_errors, dec, sizeof(dec));
		cbd_result_add_finding(j->out, "storage.nvme_media_errors", CBD_SEVERITY_WARN, true,
				       N_("Ask staff to run the full disk test"),
				       N_("The disk has had trouble reading or writing (%s times)"), dec);
	}
}

static void
judge_read_test(struct judge *j, const struct cbd_disk_raw *d, const struct cbd_read_test *rt,
		struct cbd_json *o)
{
	struct cbd_json *r, *bad, *slow;
	double mibs;

	if (!rt || rt->mode == CBD_STORAGE_SCAN_OFF) {
		cbd_json_add_null(o, "read_test");
		return;
	}
	r = cbd_json_add_object(o, "read_test");
	cbd_json_add_str(r, "mode", rt->mode == CBD_STORAGE_SCAN_FULL ? "full" : "quick");
	if (rt->err < 0 && rt->bytes_read == 0) {
		cbd_json_add_str(r, "error", strerror(-rt->err));
		if (rt->refused_as_root)
			set_error(j, cbd_strdupf(N_("The read test of %s was refused although cbdiag "
						 "runs as root (%s): a sandbox or security policy "
						 "blocks it"),
						 d->name, strerror(-rt->err)));
		else if (rt->err == -EACCES || rt->err == -EPERM)
			set_error(j, cbd_strdupf(N_("The read test of %s needs root (run cbdiag as "
						 "root)"),
						 d->name));
		else /* the device and the error are in read_test for staff */
			set_error(j, cbd_strdup(N_("The disk could not be read for its test")));
	}
	mibs = rt->seconds > 0 ? (double)rt->bytes_read / 1048576.0 / rt->seconds : 0;
	cbd_json_add_int(r, "bytes_read", (long long)rt->bytes_read);
	cbd_json_add_double(r, "seconds", (double)(long long)(rt->seconds * 1000.0 + 0.5) / 1000.0);
	cbd_json_add_double(r, "mib_per_s", (double)(long long)(mibs * 10.0 + 0.5) / 10.0);
	cbd_json_add_int(r, "errors", (long long)rt->bad_blocks);
	cbd_json_add_int(r, "logical_block_size", rt->logical_block);
	cbd_json_add_bool(r, "direct_io", rt->direct);
	if (rt->engine) {
		cbd_json_add_str(r, "engine", rt->engine);
		cbd_json_add_int(r, "queue_depth", rt->queue_depth);
		cbd_json_add_int(r, "request_bytes", rt->request_bytes);
	}
	if (rt->mode == CBD_STORAGE_SCAN_QUICK) {
		cbd_json_add_int(r, "regions_planned", rt->regions_planned);
		cbd_json_add_int(r, "regions_read", rt->regions_read);
		cbd_json_add_bool(r, "budget_exhausted", rt->budget_exhausted);
	}
	bad = cbd_json_add_array(r, "bad_ranges");
	for (uint32_t i = 0; i < rt->n_bad; i++) {
		struct cbd_json *b = cbd_json_add_object(bad, NULL);

		cbd_json_add_int(b, "lba", (long long)rt->bad[i].lba);
		cbd_json_add_int(b, "count", (long long)rt->bad[i].count);
	}
	cbd_json_add_bool(r, "bad_ranges_truncated", rt->bad_truncated);
	slow = cbd_json_add_array(r, "slow_reads");
	for (uint32_t i = 0; i < rt->n_slow; i++) {
		struct cbd_json *s = cbd_json_add_object(slow, NULL);

		cbd_json_add_int(s, "offset", (long long)rt->slow[i].offset);
		cbd_json_add_int(s, "length", rt->slow[i].length);
		cbd_json_add_int(s, "ms", rt->slow[i].ms);
	}
	if (rt->bad_blocks)
		cbd_result_add_finding(j->out, "storage.read_errors", CBD_SEVERITY_FAIL, true,
				       N_("Staff must replace the disk"),
				       N_("Parts of the disk cannot be read (%llu places)"),
				       (unsigned long long)rt->bad_blocks);
	if (rt->n_slow)
		cbd_result_add_finding(j->out, "storage.slow_reads", CBD_SEVERITY_WARN, false,
				       N_("Ask staff to run the full disk test; a disk that stays slow "
				       "is failing"),
				       N_("Parts of the disk were very slow to read (%u places)"),
				       rt->n_slow);
}

static const char *
type_word(enum cbd_disk_type t)
{
	switch (t) {
	case CBD_DISK_EMMC:
		return "eMMC";
	case CBD_DISK_NVME:
		return "NVMe";
	case CBD_DISK_SATA:
		return "SATA";
	case CBD_DISK_UFS:
		return "UFS";
	case CBD_DISK_SD:
		return "SD card";
	case CBD_DISK_USB:
		return "USB";
	default:
		return "disk";
	}
}

void
cbd_storage_judge(const struct cbd_disk_raw *d, const struct cbd_read_test *const *tests,
		  size_t n, const struct cbd_thresholds *t, struct cbd_result *out)
{
	struct judge j = {.t = t, .out = out};
	struct cbd_json *devs = cbd_json_add_array(out->data, "devices");
	size_t internal = 0;
	enum cbd_status status;

	for (size_t i = 0; i < n; i++) {
		struct cbd_json *o = cbd_json_add_object(devs, NULL);
		bool in = cbd_storage_is_internal(&d[i]);
		const struct cbd_read_test *rt = tests ? tests[i] : NULL;
		_cleanup_free_ char *part = NULL;

		cbd_json_add_str(o, "name", d[i].name);
		cbd_json_add_str(o, "type", cbd_disk_type_to_string(d[i].type));
		cbd_json_add_bool(o, "internal", in);
		cbd_json_add_bool(o, "removable", d[i].removable);
		add_str(o, "model", d[i].model);
		add_str(o, "serial", d[i].serial);
		add_str(o, "firmware", d[i].firmware);
		cbd_json_add_int(o, "size_bytes", (long long)d[i].size_bytes);
		if (d[i].type == CBD_DISK_EMMC)
			judge_emmc(&j, &d[i], o);
		else if (d[i].type == CBD_DISK_NVME)
			judge_nvme(&j, &d[i], o);
		else if (d[i].type == CBD_DISK_UFS && d[i].has_ufs_health)
			judge_ufs(&j, &d[i], o);
		else if (d[i].type == CBD_DISK_SATA && d[i].ata_read)
			judge_sata(&j, &d[i], in, o);
		judge_read_test(&j, &d[i], rt, o);
		if (!in)
			continue;
		internal++;
		if (rt && rt->mode != CBD_STORAGE_SCAN_OFF && rt->seconds > 0 && rt->bytes_read)
			part = cbd_strdupf(N_("%s (%s, %.1f GB) read %.0f MiB/s"), d[i].name,
					   type_word(d[i].type), (double)d[i].size_bytes / 1e9,
					   (double)rt->bytes_read / 1048576.0 / rt->seconds);
		else
			part = cbd_strdupf(N_("%s (%s, %.1f GB)"), d[i].name, type_word(d[i].type),
					   (double)d[i].size_bytes / 1e9);
		append(&j.summary, part);
	}

	if (internal == 0) {
		cbd_result_add_finding(out, "storage.missing", CBD_SEVERITY_FAIL, true,
				       N_("Check that the disk is pushed fully into its slot; if the "
				       "disk is soldered on, staff must look at it"),
				       N_("No internal disk found"));
		cbd_result_set(out, CBD_STATUS_FAIL, N_("No internal disk found"));
		free(j.error);
		free(j.summary);
		return;
	}
	status = cbd_result_worst_finding(out);
	if (j.error && status != CBD_STATUS_FAIL) {
		cbd_result_set(out, CBD_STATUS_ERROR, "%s", j.error);
	} else if (status == CBD_STATUS_PASS) {
		cbd_result_set(out, status, N_("%s: healthy"), j.summary);
	} else {
		/* name the worst problem; the rest are in the findings */
		cbd_result_set(out, status, "%s", "");
		cbd_result_headline_from_findings(out);
	}
	free(j.error);
	free(j.summary);
}
