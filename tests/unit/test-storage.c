/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Storage decoders, judge and read-test logic from literals and a simulated disk. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <time.h>
#include <cmocka.h>

#include "readtest.h"
#include "json.h"
#include "storage.h"

static struct cbd_thresholds t;

static void
test_skip_and_classify(void **state)
{
	const char *skip[] = {"loop0", "ram1", "zram0", "dm-0", "md127", "sr0", "nbd3",
			      "mmcblk0boot0", "mmcblk0boot1", "mmcblk0rpmb", "mmcblk0gp1"};
	const char *keep[] = {"mmcblk0", "mmcblk1", "nvme0n1", "sda", "vda", "nvme10n2"};

	for (size_t i = 0; i < CBD_ARRAY_SIZE(skip); i++)
		if (!cbd_storage_skip_name(skip[i]))
			fail_msg("%s should be skipped", skip[i]);
	for (size_t i = 0; i < CBD_ARRAY_SIZE(keep); i++)
		if (cbd_storage_skip_name(keep[i]))
			fail_msg("%s should be kept", keep[i]);

	assert_int_equal(cbd_storage_classify("mmcblk0", "/sys/devices/x/mmc0:0001/block/mmcblk0",
					      "MMC"),
			 CBD_DISK_EMMC);
	assert_int_equal(cbd_storage_classify("mmcblk1", "/x", "SD"), CBD_DISK_SD);
	assert_int_equal(cbd_storage_classify("nvme0n1", "/x", ""), CBD_DISK_NVME);
	assert_int_equal(
		cbd_storage_classify("sda", "/sys/devices/pci0000:00/0000:00:14.0/usb2/2-1/x", ""),
		CBD_DISK_USB);
	assert_int_equal(
		cbd_storage_classify("sda", "/sys/devices/pci0000:00/0000:00:17.0/ata1/host0/x", ""),
		CBD_DISK_SATA);
	assert_int_equal(
		cbd_storage_classify("sdb", "/sys/devices/platform/soc/1d84000.ufshc/host0/x", ""),
		CBD_DISK_UFS);
	assert_int_equal(cbd_storage_classify("vda", "/sys/devices/pci0000:00/virtio1", ""),
			 CBD_DISK_OTHER);
}

static void
test_emmc_strings(void **state)
{
	struct cbd_emmc_raw e = {0};
	int a, b;

	snprintf(e.life_time, sizeof(e.life_time), "0x0b 0x02");
	cbd_emmc_life(&e, &a, &b);
	assert_int_equal(a, 11);
	assert_int_equal(b, 2);
	/* older kernels: two attributes, upper-case hex */
	e.life_time[0] = '\0';
	snprintf(e.life_time_a, sizeof(e.life_time_a), "0x0A");
	snprintf(e.life_time_b, sizeof(e.life_time_b), "0x01");
	cbd_emmc_life(&e, &a, &b);
	assert_int_equal(a, 10);
	assert_int_equal(b, 1);
	e.life_time_a[0] = '\0';
	cbd_emmc_life(&e, &a, &b);
	assert_int_equal(a, -1);

	assert_int_equal(cbd_parse_hex_byte("0x03"), 3);
	assert_int_equal(cbd_parse_hex_byte("7"), 7);
	assert_int_equal(cbd_parse_hex_byte("0x1ff"), -1);
	assert_int_equal(cbd_parse_hex_byte("zz"), -1);
	assert_int_equal(cbd_parse_hex_byte(""), -1);
	assert_string_equal(cbd_emmc_manufacturer("0x000015"), "Samsung");
	assert_string_equal(cbd_emmc_manufacturer("0x000090"), "SK hynix");
	assert_null(cbd_emmc_manufacturer("0x0000ee"));
	assert_null(cbd_emmc_manufacturer("garbage"));
}

static void
put_le(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void
test_nvme_decode(void **state)
{
	uint8_t log[512] = {0};
	struct cbd_nvme_health h;
	char names[512];

	log[0] = 0x3f; /* every defined critical_warning bit */
	put_le(log + 1, 323, 2); /* 50 °C */
	log[3] = 7;
	log[4] = 10;
	log[5] = 255;
	put_le(log + 32, 0x1122334455667788ull, 8);
	put_le(log + 48, 5, 8);
	put_le(log + 128, 43210, 8);
	put_le(log + 144, 99, 8);
	put_le(log + 160, 3, 8);
	cbd_nvme_decode(log, &h);
	assert_int_equal(h.critical_warning, 0x3f);
	assert_int_equal(h.temperature_c, 50);
	assert_int_equal(h.available_spare, 7);
	assert_int_equal(h.available_spare_threshold, 10);
	assert_int_equal(h.percentage_used, 255);
	assert_true(h.data_units_read.lo == 0x1122334455667788ull && h.data_units_read.hi == 0);
	assert_int_equal(h.data_units_written.lo, 5);
	assert_int_equal(h.power_on_hours.lo, 43210);
	assert_int_equal(h.unsafe_shutdowns.lo, 99);
	assert_int_equal(h.media_errors.lo, 3);
	assert_int_equal(h.temperature_state, CBD_TEMP_OK);

	cbd_nvme_warning_names(0x3f, names, sizeof(names));
	assert_string_equal(names, "spare space below threshold, temperature out of range, "
				   "reliability degraded by media errors, media set read-only, "
				   "volatile memory backup failed, persistent memory region "
				   "read-only");
	cbd_nvme_warning_names(0x08, names, sizeof(names));
	assert_string_equal(names, "media set read-only");

	put_le(log + 168, 1, 8); /* high half of media_errors */
	cbd_nvme_decode(log, &h);
	assert_int_equal(h.media_errors.hi, 1);
	assert_int_equal(h.media_errors.lo, 3);
}

/* Issue 18 #10: 128-bit counters kept exact, in decimal. */
static void
test_u128_to_dec(void **state)
{
	char buf[48];

	cbd_u128_to_dec((struct cbd_u128){0, 0}, buf, sizeof(buf));
	assert_string_equal(buf, "0");
	cbd_u128_to_dec((struct cbd_u128){.lo = 1ull << 63}, buf, sizeof(buf));
	assert_string_equal(buf, "9223372036854775808");
	cbd_u128_to_dec((struct cbd_u128){.lo = 3, .hi = 1}, buf, sizeof(buf));
	assert_string_equal(buf, "18446744073709551619");
	cbd_u128_to_dec((struct cbd_u128){UINT64_MAX, UINT64_MAX}, buf, sizeof(buf));
	assert_string_equal(buf, "340282366920938463463374607431768211455");
	assert_false(cbd_u128_above_json((struct cbd_u128){.lo = 9007199254740991ull}));
	assert_true(cbd_u128_above_json((struct cbd_u128){.lo = 9007199254740992ull}));
	assert_int_equal(cbd_temp_check_kelvin(0), CBD_TEMP_NOT_REPORTED);
	assert_int_equal(cbd_temp_check_kelvin(65535), CBD_TEMP_IMPLAUSIBLE);
	assert_int_equal(cbd_temp_check_kelvin(273 + 150), CBD_TEMP_OK);
	assert_int_equal(cbd_temp_check_kelvin(273 + 151), CBD_TEMP_IMPLAUSIBLE);
	assert_int_equal(cbd_temp_check_kelvin(273 - 40), CBD_TEMP_OK);
}

/* ---- judge ---------------------------------------------------------------- */

static struct cbd_disk_raw
emmc(const char *life, const char *eol, const char *rev)
{
	struct cbd_disk_raw d = {.type = CBD_DISK_EMMC, .size_bytes = 32000000000ull};

	snprintf(d.name, sizeof(d.name), "mmcblk0");
	snprintf(d.emmc.life_time, sizeof(d.emmc.life_time), "%s", life);
	snprintf(d.emmc.pre_eol_info, sizeof(d.emmc.pre_eol_info), "%s", eol);
	snprintf(d.emmc.rev, sizeof(d.emmc.rev), "%s", rev);
	return d;
}

static struct cbd_result *
judge(const struct cbd_disk_raw *d, size_t n, const struct cbd_read_test *rt)
{
	struct cbd_result *r = cbd_result_new();
	const struct cbd_read_test *tests[4] = {rt};

	cbd_storage_judge(d, tests, n, &t, r);
	return r;
}

static void
test_judge_emmc(void **state)
{
	static const struct {
		const char *life, *eol, *rev;
		enum cbd_status want;
		const char *code;
	} cases[] = {
		{"0x01 0x02", "0x01", "0x8", CBD_STATUS_PASS, NULL},
		{"0x08 0x08", "0x01", "0x8", CBD_STATUS_PASS, NULL},
		{"0x09 0x01", "0x01", "0x8", CBD_STATUS_WARN, "storage.emmc_life"},
		{"0x01 0x0a", "0x01", "0x7", CBD_STATUS_WARN, "storage.emmc_life"},
		{"0x0b 0x05", "0x01", "0x8", CBD_STATUS_FAIL, "storage.emmc_life"},
		{"0x01 0x01", "0x02", "0x8", CBD_STATUS_WARN, "storage.emmc_pre_eol"},
		{"0x01 0x01", "0x03", "0x8", CBD_STATUS_FAIL, "storage.emmc_pre_eol"},
		/* eMMC 4.5: the values are not trusted, whatever they say */
		{"0x0b 0x0b", "0x03", "0x6", CBD_STATUS_PASS, "storage.emmc_no_health"},
	};

	for (size_t i = 0; i < CBD_ARRAY_SIZE(cases); i++) {
		struct cbd_disk_raw d = emmc(cases[i].life, cases[i].eol, cases[i].rev);
		struct cbd_result *r = judge(&d, 1, NULL);

		if (r->status != cases[i].want)
			fail_msg("case %zu: %s", i, cbd_status_to_string(r->status));
		if (cases[i].code) {
			assert_non_null(cbd_result_find_finding(r, cases[i].code));
			if (r->status != CBD_STATUS_PASS)
				assert_true(cbd_result_find_finding(r, cases[i].code)->escalate); /* soldered */
		}
		cbd_result_free(r);
	}
}

static void
test_judge_nvme(void **state)
{
	struct cbd_disk_raw d = {.type = CBD_DISK_NVME, .size_bytes = 256000000000ull};
	struct cbd_result *r;

	snprintf(d.name, sizeof(d.name), "nvme0n1");
	snprintf(d.nvme_ctrl, sizeof(d.nvme_ctrl), "nvme0");
	d.nvme_log[1] = 0x36; /* 310 K */
	d.nvme_log[2] = 0x01;
	d.nvme_log[3] = 100;
	d.nvme_log[4] = 10;
	r = judge(&d, 1, NULL);
	assert_int_equal(r->status, CBD_STATUS_PASS);
	assert_non_null(strstr(r->summary, "healthy"));
	cbd_result_free(r);

	d.nvme_log[5] = 90; /* percentage_used */
	r = judge(&d, 1, NULL);
	assert_int_equal(r->status, CBD_STATUS_WARN);
	assert_int_equal(cbd_result_find_finding(r, "storage.nvme_worn")->severity, CBD_SEVERITY_WARN);
	cbd_result_free(r);

	d.nvme_log[0] = 0x02; /* temperature warning */
	r = judge(&d, 1, NULL);
	assert_int_equal(r->status, CBD_STATUS_FAIL);
	/* the kind of warning is for staff (data); the intern reads plain words */
	assert_non_null(strstr(cbd_result_find_finding(r, "storage.nvme_critical_warning")->message,
			       "warns that it is failing"));
	assert_string_equal(cbd_json_str(cbd_json_at(cbd_json_get(cbd_json_get(cbd_json_at(
				cbd_json_get(r->data, "devices"), 0), "nvme"), "critical_warning_names"), 0)),
			    "temperature out of range");
	/* one more problem, said in good English */
	assert_non_null(strstr(r->summary, "(and 1 more problem)"));
	cbd_result_free(r);

	d.nvme_log[0] = 0;
	d.nvme_log[5] = 0;
	d.nvme_log[3] = 9; /* spare below the threshold of 10 */
	r = judge(&d, 1, NULL);
	assert_non_null(cbd_result_find_finding(r, "storage.nvme_spare_low"));
	cbd_result_free(r);

	d.nvme_log[3] = 100;
	d.nvme_log[160] = 1; /* one media error */
	r = judge(&d, 1, NULL);
	assert_int_equal(cbd_result_find_finding(r, "storage.nvme_media_errors")->severity,
			 CBD_SEVERITY_WARN);
	cbd_result_free(r);

	/* no root: error for that part, never fail */
	d.nvme_log_err = -EACCES;
	r = judge(&d, 1, NULL);
	assert_int_equal(r->status, CBD_STATUS_ERROR);
	assert_non_null(strstr(r->summary, "needs root"));
	cbd_result_free(r);
	d.as_root = true;
	d.nvme_log_err = -EPERM;
	r = judge(&d, 1, NULL);
	assert_non_null(strstr(r->summary, "refused although cbdiag runs as root"));
	cbd_result_free(r);
}

/* Issue 18 #10: extreme SMART log values, from the raw log bytes. Counters
 * >= 2^63 were negative (signed casts) and 0 K was -273 °C. */
static const struct cbd_json *
nvme_json(const struct cbd_result *r)
{
	return cbd_json_get(cbd_json_at(cbd_json_get(r->data, "devices"), 0), "nvme");
}

static double
num_of(const struct cbd_json *o, const char *key)
{
	double v = -1;

	assert_true(cbd_json_get_number(o, key, &v));
	return v;
}

static void
test_judge_nvme_extreme(void **state)
{
	struct cbd_disk_raw d = {.type = CBD_DISK_NVME, .size_bytes = 256000000000ull};
	const struct cbd_json *n, *exact;
	struct cbd_result *r;
	bool b = false;

	snprintf(d.name, sizeof(d.name), "nvme0n1");
	snprintf(d.nvme_ctrl, sizeof(d.nvme_ctrl), "nvme0");
	d.nvme_log[1] = 0; /* composite temperature 0 K: not reported */
	d.nvme_log[2] = 0;
	d.nvme_log[3] = 100;
	d.nvme_log[4] = 10;
	memset(d.nvme_log + 160, 0xff, 16); /* media_errors = 2^128 - 1 */
	d.nvme_log[128 + 7] = 0x80;         /* power_on_hours = 2^63 */
	d.nvme_log[32 + 6] = 0x20;          /* data_units_read = 2^53: one past exact */
	d.nvme_log[48] = 0xff;              /* data_units_written = 0x1fffffffffffff = 2^53 - 1 */
	memset(d.nvme_log + 49, 0xff, 5);
	d.nvme_log[48 + 6] = 0x1f;
	r = judge(&d, 1, NULL);
	n = nvme_json(r);
	assert_non_null(n);
	assert_true(cbd_json_is_null(n, "temperature_c"));
	assert_string_equal(cbd_json_get_str(n, "temperature_note"), "not reported");
	assert_true(num_of(n, "media_errors") == 9007199254740991.0);
	assert_true(num_of(n, "power_on_hours") == 9007199254740991.0);
	assert_true(num_of(n, "data_units_read") == 9007199254740991.0);
	assert_true(num_of(n, "data_units_written") == 9007199254740991.0);
	assert_true(cbd_json_get_bool(n, "counter_overflow", &b) && b);
	exact = cbd_json_get(n, "counters_exact");
	assert_string_equal(cbd_json_get_str(exact, "media_errors"),
			    "340282366920938463463374607431768211455");
	assert_string_equal(cbd_json_get_str(exact, "power_on_hours"), "9223372036854775808");
	assert_string_equal(cbd_json_get_str(exact, "data_units_read"), "9007199254740992");
	assert_null(cbd_json_get(exact, "data_units_written")); /* exact as a number */
	/* 2^128 - 1 media errors are past any threshold, and said exactly */
	assert_non_null(strstr(cbd_result_find_finding(r, "storage.nvme_media_errors")->message,
			       "340282366920938463463374607431768211455 times"));
	cbd_result_free(r);

	/* 65535 K is a broken sensor: flagged, not judged */
	d.nvme_log[1] = 0xff;
	d.nvme_log[2] = 0xff;
	memset(d.nvme_log + 32, 0, 160);
	r = judge(&d, 1, NULL);
	n = nvme_json(r);
	assert_true(cbd_json_is_null(n, "temperature_c"));
	assert_non_null(strstr(cbd_json_get_str(n, "temperature_note"),
			       "implausible: the disk reports 65535 K"));
	assert_true(cbd_json_get_bool(n, "counter_overflow", &b) && !b);
	assert_null(cbd_json_get(n, "counters_exact"));
	assert_int_equal(r->status, CBD_STATUS_PASS);
	cbd_result_free(r);

	/* an ordinary 45 °C */
	d.nvme_log[1] = (uint8_t)(318 & 0xff);
	d.nvme_log[2] = (uint8_t)(318 >> 8);
	r = judge(&d, 1, NULL);
	assert_true(num_of(nvme_json(r), "temperature_c") == 45.0);
	assert_null(cbd_json_get(nvme_json(r), "temperature_note"));
	cbd_result_free(r);
}

static void
test_judge_missing_and_removable(void **state)
{
	struct cbd_disk_raw d[2] = {{.type = CBD_DISK_SD}, {.type = CBD_DISK_USB, .removable = true}};
	struct cbd_result *r;

	snprintf(d[0].name, sizeof(d[0].name), "mmcblk1");
	snprintf(d[1].name, sizeof(d[1].name), "sda");
	r = judge(d, 2, NULL);
	assert_int_equal(r->status, CBD_STATUS_FAIL);
	assert_non_null(cbd_result_find_finding(r, "storage.missing"));
	cbd_result_free(r);
	r = judge(NULL, 0, NULL);
	assert_int_equal(r->status, CBD_STATUS_FAIL);
	cbd_result_free(r);
}

static void
test_judge_read_test(void **state)
{
	struct cbd_disk_raw d = emmc("0x01 0x01", "0x01", "0x8");
	struct cbd_read_test rt = {.mode = CBD_STORAGE_SCAN_FULL, .logical_block = 512,
				   .bytes_read = 1 << 30, .seconds = 4.0};
	struct cbd_result *r;
	const struct cbd_json *o;
	double v = 0;

	r = judge(&d, 1, &rt);
	assert_int_equal(r->status, CBD_STATUS_PASS);
	assert_non_null(strstr(r->summary, "read 256 MiB/s"));
	o = cbd_json_get(cbd_json_at(cbd_json_get(r->data, "devices"), 0), "read_test");
	assert_true(cbd_json_get_number(o, "mib_per_s", &v) && v == 256.0);
	assert_string_equal(cbd_json_get_str(o, "mode"), "full");
	cbd_result_free(r);

	cbd_read_test_add_bad(&rt, 20488);
	cbd_read_test_add_bad(&rt, 20489);
	rt.slow[rt.n_slow++] = (struct cbd_slow_read){.offset = 4096, .length = 4096, .ms = 900};
	r = judge(&d, 1, &rt);
	assert_int_equal(r->status, CBD_STATUS_FAIL);
	assert_non_null(strstr(cbd_result_find_finding(r, "storage.read_errors")->message,
			       "cannot be read (2 places)"));
	assert_non_null(cbd_result_find_finding(r, "storage.slow_reads"));
	o = cbd_json_get(cbd_json_at(cbd_json_get(r->data, "devices"), 0), "read_test");
	assert_int_equal(cbd_json_get_array_size(o, "bad_ranges"), 1);
	assert_true(cbd_json_get_number(cbd_json_at(cbd_json_get(o, "bad_ranges"), 0), "count", &v));
	assert_true(v == 2);
	cbd_result_free(r);
}

/* ---- the scan over a simulated disk -------------------------------------- */

struct sim {
	uint64_t size;
	uint64_t bad_start, bad_end; /* bytes; reads overlapping it fail */
	int other_error;             /* returned for every read when set */
	unsigned delay_ms;           /* per read */
	uint64_t slow_at;            /* a read covering this offset takes 600 ms */
	unsigned reads;
};

static ssize_t
sim_read(void *userdata, void *buf, size_t len, uint64_t off)
{
	struct sim *s = userdata;

	s->reads++;
	if (s->other_error)
		return s->other_error;
	if (s->delay_ms || (s->slow_at && off <= s->slow_at && s->slow_at < off + len)) {
		unsigned ms = s->slow_at && off <= s->slow_at && s->slow_at < off + len ? 600
											 : s->delay_ms;
		struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};

		nanosleep(&ts, NULL);
	}
	if (off >= s->size)
		return 0;
	if (len > s->size - off)
		len = (size_t)(s->size - off);
	if (off < s->bad_end && off + len > s->bad_start)
		return -EIO;
	return (ssize_t)len;
}

static void
scan(struct sim *s, enum cbd_storage_scan mode, unsigned budget, struct cbd_read_test *rt)
{
	struct cbd_read_source src = {.read = sim_read, .userdata = s, .size_bytes = s->size,
				      .logical_block = 512};

	cbd_read_test_run(&src, mode, budget, 500, NULL, NULL, rt);
}

static void
test_scan_full_bisects_bad_region(void **state)
{
	/* 64 MiB + a partial chunk; 8 bad blocks at 10 MiB + 4 KiB, and one
	 * lone bad block across a chunk boundary */
	struct sim s = {.size = (64u << 20) + 3 * 512, .bad_start = (10u << 20) + 4096,
			.bad_end = (10u << 20) + 8192};
	struct cbd_read_test *rt = cbd_zalloc(sizeof(*rt));

	scan(&s, CBD_STORAGE_SCAN_FULL, 1000, rt);
	assert_int_equal(rt->err, 0);
	assert_int_equal(rt->bad_blocks, 8);
	assert_int_equal(rt->n_bad, 1);
	assert_int_equal(rt->bad[0].lba, ((10u << 20) + 4096) / 512);
	assert_int_equal(rt->bad[0].count, 8);
	assert_int_equal(rt->bytes_read, s.size - 8 * 512);
	/* bisection is logarithmic, not block by block */
	assert_true(s.reads < 64 + 1 + 2 * 2 * 12 + 8);
	free(rt);
}

static void
test_scan_quick(void **state)
{
	struct sim s = {.size = 8ull << 30};
	struct cbd_read_test *rt = cbd_zalloc(sizeof(*rt));

	scan(&s, CBD_STORAGE_SCAN_QUICK, 60000, rt);
	assert_int_equal(rt->regions_planned, 256);
	assert_int_equal(rt->regions_read, 256);
	assert_false(rt->budget_exhausted);
	assert_int_equal(rt->bytes_read, 256ull << 20);
	assert_int_equal(s.reads, 256);

	/* a small disk: as many regions as MiB */
	s = (struct sim){.size = 10u << 20};
	scan(&s, CBD_STORAGE_SCAN_QUICK, 60000, rt);
	assert_int_equal(rt->regions_planned, 10);
	assert_int_equal(rt->bytes_read, 10u << 20);
	free(rt);
}

static void
test_scan_quick_budget_and_slow(void **state)
{
	struct sim s = {.size = 8ull << 30, .delay_ms = 20};
	struct cbd_read_test *rt = cbd_zalloc(sizeof(*rt));

	scan(&s, CBD_STORAGE_SCAN_QUICK, 200, rt);
	assert_true(rt->budget_exhausted);
	assert_true(rt->regions_read < 256);
	assert_true(rt->regions_read >= 2);

	s = (struct sim){.size = 4u << 20, .slow_at = 2u << 20};
	scan(&s, CBD_STORAGE_SCAN_FULL, 1000, rt);
	assert_int_equal(rt->n_slow, 1);
	assert_int_equal(rt->slow[0].offset, 2u << 20);
	assert_true(rt->slow[0].ms >= 500);
	free(rt);
}

static void
test_scan_other_error_stops(void **state)
{
	struct sim s = {.size = 4u << 20, .other_error = -EBADF};
	struct cbd_read_test *rt = cbd_zalloc(sizeof(*rt));

	scan(&s, CBD_STORAGE_SCAN_FULL, 1000, rt);
	assert_int_equal(rt->err, -EBADF);
	assert_int_equal(rt->bad_blocks, 0);
	assert_int_equal(s.reads, 1);
	free(rt);
}

/* A simulated disk with a queue: reads are done when reaped, the newest
 * first, so results come back out of the order of the disk. */
struct simq {
	struct sim disk;
	struct {
		void *buf;
		size_t len;
		uint64_t off;
		unsigned tag;
	} pending[64];
	unsigned n_pending, max_pending;
	bool tags_in_use[64];
	bool tag_reused; /* a tag submitted again before it was reaped */
};

static int
simq_submit(void *userdata, void *buf, size_t len, uint64_t off, unsigned tag)
{
	struct simq *q = userdata;

	if (q->n_pending == 64 || tag >= 64)
		return -EBUSY;
	if (q->tags_in_use[tag])
		q->tag_reused = true;
	q->tags_in_use[tag] = true;
	q->pending[q->n_pending].buf = buf;
	q->pending[q->n_pending].len = len;
	q->pending[q->n_pending].off = off;
	q->pending[q->n_pending].tag = tag;
	q->n_pending++;
	if (q->n_pending > q->max_pending)
		q->max_pending = q->n_pending;
	return 0;
}

static int
simq_reap(void *userdata, unsigned *tag, ssize_t *res)
{
	struct simq *q = userdata;
	unsigned i;

	if (q->n_pending == 0)
		return -ENOENT;
	i = --q->n_pending;
	*tag = q->pending[i].tag;
	q->tags_in_use[*tag] = false;
	*res = sim_read(&q->disk, q->pending[i].buf, q->pending[i].len, q->pending[i].off);
	return 0;
}

static ssize_t
simq_read(void *userdata, void *buf, size_t len, uint64_t off)
{
	struct simq *q = userdata;

	return sim_read(&q->disk, buf, len, off);
}

static void
scanq(struct simq *q, enum cbd_storage_scan mode, unsigned depth, size_t request, unsigned budget,
      struct cbd_read_test *rt)
{
	struct cbd_read_source src = {.read = simq_read, .submit = simq_submit, .reap = simq_reap,
				      .depth = depth, .request_bytes = request, .userdata = q,
				      .size_bytes = q->disk.size, .logical_block = 512};

	cbd_read_test_run(&src, mode, budget, 500, NULL, NULL, rt);
}

static void
test_scan_queued_out_of_order(void **state)
{
	/* the same disk as test_scan_full_bisects_bad_region, 128 KiB requests,
	 * 32 in flight finishing newest first: the same result */
	struct simq *q = cbd_zalloc(sizeof(*q));
	struct cbd_read_test *rt = cbd_zalloc(sizeof(*rt));

	q->disk = (struct sim){.size = (64u << 20) + 3 * 512, .bad_start = (10u << 20) + 4096,
			       .bad_end = (10u << 20) + 8192};
	scanq(q, CBD_STORAGE_SCAN_FULL, 32, 128u << 10, 1000, rt);
	assert_int_equal(rt->err, 0);
	assert_int_equal(rt->bad_blocks, 8);
	assert_int_equal(rt->n_bad, 1);
	assert_int_equal(rt->bad[0].lba, ((10u << 20) + 4096) / 512);
	assert_int_equal(rt->bad[0].count, 8);
	assert_int_equal(rt->bytes_read, q->disk.size - 8 * 512);
	assert_int_equal(rt->queue_depth, 32);
	assert_int_equal(rt->request_bytes, 128u << 10);
	assert_int_equal(q->max_pending, 32);
	assert_false(q->tag_reused);

	/* one bad block in the middle of a request among 16 in flight, with
	 * 256 KiB requests: still exact */
	*q = (struct simq){.disk = {.size = 8u << 20, .bad_start = 3u << 20,
				    .bad_end = (3u << 20) + 512}};
	scanq(q, CBD_STORAGE_SCAN_FULL, 16, 256u << 10, 1000, rt);
	assert_int_equal(rt->n_bad, 1);
	assert_int_equal(rt->bad[0].lba, (3u << 20) / 512);
	assert_int_equal(rt->bad[0].count, 1);
	assert_int_equal(rt->bytes_read, (8u << 20) - 512);
	free(rt);
	free(q);
}

static void
test_scan_queued_quick_budget(void **state)
{
	/* a serial slow disk (20 ms a read, done as reaped) with 16 in flight:
	 * the budget of 300 ms must still hold, not be overrun by the queue */
	struct simq *q = cbd_zalloc(sizeof(*q));
	struct cbd_read_test *rt = cbd_zalloc(sizeof(*rt));

	q->disk = (struct sim){.size = 8ull << 30, .delay_ms = 20};
	scanq(q, CBD_STORAGE_SCAN_QUICK, 16, 0, 300, rt);
	assert_true(rt->budget_exhausted);
	assert_true(rt->regions_read >= 5);
	assert_true(rt->regions_read < 256);
	assert_true(rt->seconds < 0.300 * 1.15);
	assert_false(q->tag_reused);

	/* a fast disk: all 256 regions, several in flight */
	*q = (struct simq){.disk = {.size = 8ull << 30}};
	scanq(q, CBD_STORAGE_SCAN_QUICK, 16, 0, 60000, rt);
	assert_int_equal(rt->regions_read, 256);
	assert_int_equal(rt->bytes_read, 256ull << 20);
	assert_true(q->max_pending > 1);
	free(rt);
	free(q);
}

static void
test_read_plan(void **state)
{
	size_t req;
	unsigned depth;

	/* a loop device (1280 KiB), an NVMe namespace: 128 KiB, 32 in flight */
	cbd_read_test_plan(1280, 0, 512, &req, &depth);
	assert_int_equal(req, 128u << 10);
	assert_int_equal(depth, 32);
	cbd_read_test_plan(0, 0, 4096, &req, &depth);
	assert_int_equal(req, 128u << 10);
	assert_int_equal(depth, 32);
	/* a queue that takes only 120 KiB whole: 64 KiB, never split */
	cbd_read_test_plan(120, 0, 512, &req, &depth);
	assert_int_equal(req, 64u << 10);
	assert_int_equal(depth, 32);
	/* a device that prefers 1 MiB: 1 MiB, 8 in flight (8 MiB of buffers) */
	cbd_read_test_plan(4096, 1u << 20, 512, &req, &depth);
	assert_int_equal(req, 1u << 20);
	assert_int_equal(depth, 8);
	/* ... but not more than its queue takes whole */
	cbd_read_test_plan(512, 1u << 20, 512, &req, &depth);
	assert_int_equal(req, 512u << 10);
	assert_int_equal(depth, 16);
	/* a preferred 48 KiB: whole multiples of it (96 KiB) */
	cbd_read_test_plan(1280, 48u << 10, 512, &req, &depth);
	assert_int_equal(req, 96u << 10);
	/* an odd preferred size is rounded to pages and blocks */
	cbd_read_test_plan(512, 3 * 1000, 4096, &req, &depth);
	assert_int_equal(req % 4096, 0);
	assert_true(req > 0);
	/* 4 KiB logical blocks with a tiny queue limit: one block */
	cbd_read_test_plan(2, 0, 4096, &req, &depth);
	assert_int_equal(req, 4096);
}

static void
test_bad_range_merging(void **state)
{
	struct cbd_read_test *rt = cbd_zalloc(sizeof(*rt));

	for (uint64_t b = 100; b < 110; b++)
		cbd_read_test_add_bad(rt, b);
	cbd_read_test_add_bad(rt, 200);
	assert_int_equal(rt->n_bad, 2);
	assert_int_equal(rt->bad[0].count, 10);
	for (uint64_t b = 0; b < 2 * CBD_MAX_BAD_RANGES; b++)
		cbd_read_test_add_bad(rt, 1000 + 2 * b);
	assert_int_equal(rt->n_bad, CBD_MAX_BAD_RANGES);
	assert_true(rt->bad_truncated);
	assert_int_equal(rt->bad_blocks, 11 + 2 * CBD_MAX_BAD_RANGES);
	free(rt);
}

static void
test_judge_sata(void **state)
{
	struct cbd_disk_raw d = {.name = "sda", .type = CBD_DISK_SATA, .size_bytes = 128000000000ull,
				 .logical_block = 512, .ata_read = true, .as_root = true};
	struct cbd_result *r;

	d.ata = (struct cbd_hw_ata_smart){.available = true, .status = 1, .overall = CBD_ATA_GOOD,
					  .bad_sectors = 0, .power_on_hours = 1200,
					  .power_cycles = 800, .temperature_c = 35};
	r = judge(&d, 1, NULL);
	assert_int_equal(r->status, CBD_STATUS_PASS);
	cbd_result_free(r);

	d.ata.overall = CBD_ATA_BAD_SECTOR; /* a few: warn */
	d.ata.bad_sectors = 3;
	r = judge(&d, 1, NULL);
	assert_int_equal(r->status, CBD_STATUS_WARN);
	assert_non_null(cbd_result_find_finding(r, "storage.sata_smart_warning"));
	cbd_result_free(r);

	d.ata.overall = CBD_ATA_BAD_STATUS; /* the disk says it is failing: fail */
	d.ata.status = 0;
	r = judge(&d, 1, NULL);
	assert_int_equal(r->status, CBD_STATUS_FAIL);
	assert_non_null(strstr(cbd_result_find_finding(r, "storage.sata_smart_failing")->message,
			       "reports that it is failing"));
	assert_string_equal(cbd_json_get_str(cbd_json_get(cbd_json_at(cbd_json_get(r->data, "devices"), 0),
							  "sata"), "overall"), "bad_status");
	cbd_result_free(r);

	d.ata_err = -ENOTSUP; /* no SMART: said, no verdict */
	r = judge(&d, 1, NULL);
	assert_int_equal(r->status, CBD_STATUS_PASS);
	assert_non_null(cbd_result_find_finding(r, "storage.sata_no_smart"));
	cbd_result_free(r);

	d.ata_err = -EACCES; /* not root: error that says so, never fail */
	d.as_root = false;
	r = judge(&d, 1, NULL);
	assert_int_equal(r->status, CBD_STATUS_ERROR);
	assert_non_null(strstr(r->summary, "needs root"));
	cbd_result_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_skip_and_classify),
		cmocka_unit_test(test_emmc_strings),
		cmocka_unit_test(test_nvme_decode),
		cmocka_unit_test(test_judge_emmc),
		cmocka_unit_test(test_judge_nvme),
		cmocka_unit_test(test_judge_nvme_extreme),
		cmocka_unit_test(test_u128_to_dec),
		cmocka_unit_test(test_judge_missing_and_removable),
		cmocka_unit_test(test_judge_read_test),
		cmocka_unit_test(test_scan_full_bisects_bad_region),
		cmocka_unit_test(test_scan_quick),
		cmocka_unit_test(test_scan_quick_budget_and_slow),
		cmocka_unit_test(test_scan_other_error_stops),
		cmocka_unit_test(test_scan_queued_out_of_order),
		cmocka_unit_test(test_scan_queued_quick_budget),
		cmocka_unit_test(test_read_plan),
		cmocka_unit_test(test_bad_range_merging),
		cmocka_unit_test(test_judge_sata),
	};

	cbd_thresholds_init(&t);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
