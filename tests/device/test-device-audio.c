/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The audio probe against umockdev test beds: the real binary reading
 * /sys/class/sound (cards and their PCM devices, the card's PCI device and
 * driver) and the PCI bus's sound functions. umockdev cannot record or replay
 * the ioctls on /dev/snd (card info, jacks, PCM), so a card here cannot be
 * asked anything: that half is proven on the bench (tests/bench/scenarios/
 * audio.scenario, the kernel's snd-hda-intel under QEMU). Runs under
 * umockdev-wrapper.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <unistd.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "cbd-util.h"
#include "testbed.h"

static cJSON *
report(const char *scenario)
{
	static const char *const args[] = {"--no-interactive", "--probe", "audio", NULL};
	int code;

	return cbd_testbed_report(scenario, args, &code);
}

static const cJSON *
data(const cJSON *root, const char *key, int i)
{
	return cJSON_GetArrayItem(
		cJSON_GetObjectItem(cJSON_GetObjectItem(cbd_tb_probe(root, "audio"), "data"), key), i);
}

static void
test_sound_chip_without_driver(void **state)
{
	cJSON *r = report("laptop-sound-no-driver");
	const cJSON *p = cbd_tb_probe(r, "audio");

	/* the stick's limit: said plainly, never a failure of the machine */
	assert_string_equal(cbd_tb_str(p, "status"), "skip");
	assert_true(cbd_tb_has_finding(p, "audio.needs_driver", "info"));
	assert_string_equal(cbd_tb_str(data(r, "devices", 0), "where"), "pci");
	assert_string_equal(cbd_tb_str(data(r, "devices", 0), "id"), "8086:51c8");
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(data(r, "devices", 0), "driver")));
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(data(r, "devices", 0), "has_card")));
	assert_null(data(r, "cards", 0));
	cJSON_Delete(r);
}

static void
test_hda_card_found(void **state)
{
	cJSON *r = report("laptop-sound-hda");
	const cJSON *p = cbd_tb_probe(r, "audio");
	const cJSON *c = data(r, "cards", 0);

	assert_non_null(c);
	assert_int_equal((int)cbd_tb_num(c, "card"), 0);
	assert_string_equal(cbd_tb_str(c, "bus"), "pci");
	assert_string_equal(cbd_tb_str(c, "device_driver"), "snd_hda_intel");
	/* the PCM devices, paired per device number, from sysfs alone */
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(c, "playback_devices")), 2);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(c, "capture_devices")), 1);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(data(r, "devices", 0), "has_card")));
	/* the control device cannot be asked under umockdev: said, not failed */
	assert_non_null(cJSON_GetObjectItem(c, "error"));
	assert_true(cbd_tb_has_finding(p, "audio.unreadable", "info"));
	assert_false(cbd_tb_has_finding(p, "audio.needs_driver", "info"));
	assert_string_equal(cbd_tb_str(p, "status"), "skip");
	cJSON_Delete(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sound_chip_without_driver),
		cmocka_unit_test(test_hda_card_found),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
