/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Judging half of the kbd_backlight probe: pure code, rules in probes/kbd-backlight/README.md. */
#include "cbd-i18n.h"
#include "kbd-backlight.h"

#include <errno.h>

bool
cbd_led_is_kbd_backlight(const char *name)
{
	const char *fn = strrchr(name, ':');

	/* the kernel's LED names are "devicename:colour:function"; the function
	 * of a keyboard backlight is LED_FUNCTION_KBD_BACKLIGHT, "kbd_backlight" */
	return fn && streq(fn + 1, "kbd_backlight");
}

const struct cbd_kbd_led_raw *
cbd_kbd_backlight_pick(const struct cbd_kbd_backlight_raw *raw)
{
	for (size_t i = 0; i < raw->n; i++)
		if (raw->leds[i].max_brightness > 0)
			return &raw->leds[i];
	return NULL;
}

static const struct cbd_sweep_words kbd_sweep_words = {
    .part = N_("keyboard light"),
    .code_error = "kbd_backlight.sweep_error",
    .code_fail = "kbd_backlight.sweep",
    .action_fail = N_("Tell staff: the keyboard light's controller does not answer"),
    .escalate_fail = true,
    .code_unseen = "kbd_backlight.dark",
    .action_unseen = N_("Reseat the keyboard light's cable; replace the keyboard if the keys stay "
                     "dark"),
    .escalate_unseen = false,
    .code_not_restored = "kbd_backlight.not_restored",
    .action_not_restored = N_("Set the keyboard light back by hand (the brightness keys)"),
};

void
cbd_kbd_backlight_judge(const struct cbd_kbd_backlight_raw *raw, bool sweep_requested,
                        const struct cbd_sweep *sweep, struct cbd_result *out)
{
	const struct cbd_kbd_led_raw *pick = cbd_kbd_backlight_pick(raw);
	struct cbd_json *leds = cbd_json_add_array(out->data, "leds");
	const struct cbd_finding *worst;

	for (size_t i = 0; i < raw->n; i++) {
		const struct cbd_kbd_led_raw *l = &raw->leds[i];
		struct cbd_json *o = cbd_json_add_object(leds, NULL);

		cbd_json_add_str(o, "name", l->name);
		if (l->max_brightness >= 0)
			cbd_json_add_int(o, "max_brightness", l->max_brightness);
		else
			cbd_json_add_null(o, "max_brightness");
		if (l->brightness >= 0)
			cbd_json_add_int(o, "brightness", l->brightness);
		else
			cbd_json_add_null(o, "brightness");
		if (l != pick) {
			cbd_json_add_str(o, "sweep", "skip");
			cbd_json_add_str(o, "sweep_reason",
			                 pick ? N_("another keyboard light was tested")
			                      : N_("no maximum level to step to"));
			continue;
		}
		if (sweep && sweep->ran) {
			cbd_sweep_judge(sweep, l->name, &kbd_sweep_words, o, out);
		} else {
			cbd_json_add_str(o, "sweep", "skip");
			cbd_json_add_str(o, "sweep_reason",
			                 sweep_requested ? N_("not run")
			                                 : N_("not requested (--backlight-sweep or "
			                                   "--interactive)"));
		}
	}
	if (raw->n == 0) {
		cbd_result_set(out, CBD_STATUS_SKIP, N_("This machine has no keyboard light"));
		return;
	}
	if (!pick) {
		cbd_result_add_finding(out, "kbd_backlight.unreadable", CBD_SEVERITY_WARN, true,
		                       N_("Tell staff: the keyboard light does not answer"),
		                       N_("The keyboard light does not say how bright it can get"));
	}
	worst = cbd_result_most_severe(out);
	if (worst && worst->severity != CBD_SEVERITY_INFO)
		cbd_result_set(out, cbd_result_worst_finding(out), "%s", worst->message);
	else if (pick && sweep && sweep->ran && !sweep->err)
		cbd_result_set(out, CBD_STATUS_PASS, N_("The keyboard light works at every level"));
	else
		cbd_result_set(out, CBD_STATUS_PASS, N_("Keyboard light found (not tested)"));
}
