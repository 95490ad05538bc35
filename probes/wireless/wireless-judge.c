/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Judging half of the wireless probe: pure code, rules in probes/wireless/README.md. */
#include "cbd-i18n.h"
#include "wireless.h"

#include <errno.h>
#include <stdlib.h>

bool
cbd_kmsg_is_firmware_failure(const char *msg)
{
	/* "iwlwifi 0000:00:14.3: Direct firmware load for iwlwifi-QuZ-a0-hr-b0-77.ucode
	 * failed with error -2", "firmware: failed to load ath10k/WCN3990/hw1.0/wlanmdsp.mbn (-2)",
	 * "mt7921e 0000:01:00.0: Failed to load firmware" */
	return msg && (strstr(msg, "Direct firmware load for") ||
	               strcasestr(msg, "failed to load firmware") ||
	               strstr(msg, "firmware: failed to load"));
}

int
cbd_kmsg_firmware_error(const char *msg)
{
	const char *p;

	if (!msg)
		return 0;
	if ((p = strstr(msg, "error -")))
		return -atoi(p + 7);
	if ((p = strstr(msg, "(-")) && p[2] >= '0' && p[2] <= '9')
		return -atoi(p + 2);
	return 0;
}

static const struct cbd_rfkill_raw *
rfkill_of_type(const struct cbd_wireless_raw *raw, const char *type)
{
	for (size_t i = 0; i < raw->n_rfkill; i++)
		if (streq(raw->rfkill[i].type, type))
			return &raw->rfkill[i];
	return NULL;
}

static const struct cbd_radio_hw_raw *
first_hw(const struct cbd_wireless_raw *raw, bool wifi)
{
	for (size_t i = 0; i < raw->n_hw; i++)
		if (raw->hw[i].wifi == wifi)
			return &raw->hw[i];
	return NULL;
}

/* The newest firmware failure of a driver (by the line's first word), or NULL. */
static const char *
fw_failure_of(const struct cbd_wireless_raw *raw, const char *driver)
{
	size_t n = strlen(driver);

	for (size_t i = raw->n_fw_failures; i-- > 0;)
		if (n && strncmp(raw->fw_failures[i], driver, n) == 0 &&
		    (raw->fw_failures[i][n] == ' ' || raw->fw_failures[i][n] == ':'))
			return raw->fw_failures[i];
	return NULL;
}

/* Why a scan was not done, in words for the report */
static const char *
scan_reason(int err)
{
	switch (err) {
	case -ENOSYS: return N_("not asked for (wireless.scan_seconds = 0)");
	case -ERFKILL: return N_("the radio is switched off");
	case -EPROTONOSUPPORT: return N_("this kernel has no nl80211");
	case -EPERM: return N_("scanning needs root");
	case -ETIMEDOUT: return N_("the scan did not finish in time");
	case -ENODEV: return N_("the interface is not there any more");
	default: return N_("the driver refused to scan");
	}
}

static void
add_scan(const struct cbd_wifi_if_raw *w, struct cbd_json *o)
{
	const struct cbd_hw_wifi_scan *s = &w->scan;

	cbd_json_add_bool(o, "done", s->done);
	if (w->scan_err < 0)
		cbd_json_add_str(o, "reason", scan_reason(w->scan_err));
	if (!s->done)
		return;
	cbd_json_add_int(o, "networks", s->networks);
	cbd_json_add_int(o, "networks_2ghz", s->networks_2ghz);
	cbd_json_add_int(o, "networks_5ghz", s->networks_5ghz);
	cbd_json_add_int(o, "networks_6ghz", s->networks_6ghz);
	if (s->have_signal)
		cbd_json_add_int(o, "strongest_dbm", s->strongest_dbm);
	else
		cbd_json_add_null(o, "strongest_dbm");
	cbd_json_add_bool(o, "brought_up", s->brought_up);
}

/* The scans: a radio that hears nothing, or only faintly, points at its
 * antenna cables (pinched in the hinge after a screen swap, or unplugged). */
static void
judge_scan(const struct cbd_wireless_raw *raw, int weak_dbm, struct cbd_result *out)
{
	for (size_t i = 0; i < raw->n_wifi; i++) {
		const struct cbd_hw_wifi_scan *s = &raw->wifi[i].scan;

		if (!s->done)
			continue;
		if (s->networks == 0)
			cbd_result_add_finding(
			    out, "wireless.wifi_no_networks", CBD_SEVERITY_WARN, true,
			    N_("Check that the Wi-Fi antenna cables are plugged in; "
			    "if they are, ask staff"),
			    N_("The Wi-Fi works but finds no networks"));
		else if (s->have_signal && s->strongest_dbm < weak_dbm)
			cbd_result_add_finding(
			    out, "wireless.wifi_weak_signal", CBD_SEVERITY_WARN, true,
			    N_("Check that the Wi-Fi antenna cables are plugged in; "
			    "if they are, ask staff"),
			    N_("The Wi-Fi hears networks only faintly"));
	}
}

static void
add_data(const struct cbd_wireless_raw *raw, struct cbd_json *d)
{
	struct cbd_json *a = cbd_json_add_array(d, "wifi");

	for (size_t i = 0; i < raw->n_wifi; i++) {
		struct cbd_json *o = cbd_json_add_object(a, NULL);

		cbd_json_add_str(o, "interface", raw->wifi[i].ifname);
		cbd_json_add_str(o, "phy", raw->wifi[i].phy[0] ? raw->wifi[i].phy : NULL);
		cbd_json_add_str(o, "driver", raw->wifi[i].driver[0] ? raw->wifi[i].driver : NULL);
		cbd_json_add_str(o, "bus", raw->wifi[i].bus[0] ? raw->wifi[i].bus : NULL);
		cbd_json_add_str(o, "operstate",
		                 raw->wifi[i].operstate[0] ? raw->wifi[i].operstate : NULL);
		add_scan(&raw->wifi[i], cbd_json_add_object(o, "scan"));
	}
	a = cbd_json_add_array(d, "bluetooth");
	for (size_t i = 0; i < raw->n_bt; i++) {
		struct cbd_json *o = cbd_json_add_object(a, NULL);

		cbd_json_add_str(o, "controller", raw->bt[i].name);
		cbd_json_add_str(o, "driver", raw->bt[i].driver[0] ? raw->bt[i].driver : NULL);
		cbd_json_add_str(o, "bus", raw->bt[i].bus[0] ? raw->bt[i].bus : NULL);
	}
	a = cbd_json_add_array(d, "rfkill");
	for (size_t i = 0; i < raw->n_rfkill; i++) {
		struct cbd_json *o = cbd_json_add_object(a, NULL);

		cbd_json_add_str(o, "name", raw->rfkill[i].name);
		cbd_json_add_str(o, "type", raw->rfkill[i].type);
		if (raw->rfkill[i].soft >= 0)
			cbd_json_add_bool(o, "soft_blocked", raw->rfkill[i].soft);
		else
			cbd_json_add_null(o, "soft_blocked");
		if (raw->rfkill[i].hard >= 0)
			cbd_json_add_bool(o, "hard_blocked", raw->rfkill[i].hard);
		else
			cbd_json_add_null(o, "hard_blocked");
	}
	a = cbd_json_add_array(d, "hardware");
	for (size_t i = 0; i < raw->n_hw; i++) {
		struct cbd_json *o = cbd_json_add_object(a, NULL);

		cbd_json_add_str(o, "kind", raw->hw[i].wifi ? "wifi" : "bluetooth");
		cbd_json_add_str(o, "where", raw->hw[i].where);
		cbd_json_add_str(o, "id", raw->hw[i].id[0] ? raw->hw[i].id : NULL);
		cbd_json_add_str(o, "driver", raw->hw[i].driver[0] ? raw->hw[i].driver : NULL);
	}
	if (raw->kmsg_err < 0) {
		cbd_json_add_null(d, "firmware_failures");
	} else {
		a = cbd_json_add_array(d, "firmware_failures");
		for (size_t i = 0; i < raw->n_fw_failures; i++)
			cbd_json_add_str(a, NULL, raw->fw_failures[i]);
	}
}

/* Wi-Fi: returns true when it was tested (an interface exists), false when not. */
static bool
judge_wifi(const struct cbd_wireless_raw *raw, bool laptop, struct cbd_result *out)
{
	const struct cbd_rfkill_raw *k = rfkill_of_type(raw, "wlan");
	const struct cbd_radio_hw_raw *hw = first_hw(raw, true);
	const char *fw;

	if (raw->n_wifi > 0) {
		if (k && k->hard == 1)
			cbd_result_add_finding(
			    out, "wireless.wifi_blocked", CBD_SEVERITY_WARN, false,
			    N_("Turn the radio on (a switch, or the airplane-mode key) "
			    "and test again"),
			    N_("The Wi-Fi is switched off by a switch or a key"));
		else if (k && k->soft == 1)
			cbd_result_add_finding(out, "wireless.wifi_off", CBD_SEVERITY_INFO, false,
			                       NULL, N_("The Wi-Fi is turned off in software"));
		return true;
	}
	if (!hw) {
		if (laptop)
			cbd_result_add_finding(
			    out, "wireless.wifi_missing", CBD_SEVERITY_FAIL, true,
			    N_("Check that the Wi-Fi card is seated; escalate if it "
			    "is soldered to the board"),
			    N_("No Wi-Fi card was found"));
		return false;
	}
	if (!hw->driver[0]) {
		cbd_result_add_finding(
		    out, "wireless.wifi_no_driver", CBD_SEVERITY_INFO, false, NULL,
		    N_("The Wi-Fi card was found, but this repair stick cannot use it, so "
		    "Wi-Fi was not tested"));
		return false;
	}
	fw = fw_failure_of(raw, hw->driver);
	if (fw && cbd_kmsg_firmware_error(fw) == -ENOENT) {
		cbd_result_add_finding(out, "wireless.wifi_firmware_missing", CBD_SEVERITY_INFO,
		                       false, NULL,
		                       N_("This repair stick cannot start this Wi-Fi card, so Wi-Fi "
		                       "was not tested"));
		return false;
	}
	if (fw)
		cbd_result_add_finding(
		    out, "wireless.wifi_firmware", CBD_SEVERITY_FAIL, true,
		    N_("Reseat the Wi-Fi card; replace it if it still does not start"),
		    N_("The Wi-Fi card is there but did not start"));
	else
		cbd_result_add_finding(out, "wireless.wifi_no_interface", CBD_SEVERITY_WARN, true,
		                       N_("Restart and test again; escalate if it stays missing"),
		                       N_("The Wi-Fi card was recognised but did not turn on"));
	return false;
}

static void
judge_bt(const struct cbd_wireless_raw *raw, bool laptop, struct cbd_result *out)
{
	const struct cbd_rfkill_raw *k = rfkill_of_type(raw, "bluetooth");
	const struct cbd_radio_hw_raw *hw = first_hw(raw, false);

	if (raw->n_bt > 0) {
		if (k && k->hard == 1)
			cbd_result_add_finding(
			    out, "wireless.bt_blocked", CBD_SEVERITY_WARN, false,
			    N_("Turn the radio on (a switch, or the airplane-mode key) "
			    "and test again"),
			    N_("Bluetooth is switched off by a switch or a key"));
		return;
	}
	if (hw)
		cbd_result_add_finding(
		    out, "wireless.bt_no_driver", CBD_SEVERITY_INFO, false, NULL,
		    N_("Bluetooth was found, but this repair stick cannot use it, so "
		    "Bluetooth was not tested"));
	else if (laptop && (raw->n_wifi > 0 || first_hw(raw, true)))
		/* Wi-Fi there, Bluetooth not: on a combined card, its USB link */
		cbd_result_add_finding(out, "wireless.bt_missing", CBD_SEVERITY_WARN, false,
		                       N_("Check that the Wi-Fi and Bluetooth card is seated"),
		                       N_("No Bluetooth was found"));
}

void
cbd_wireless_judge(const struct cbd_wireless_raw *raw, bool laptop, int weak_dbm,
                   struct cbd_result *out)
{
	const struct cbd_finding *worst;
	bool wifi_tested;

	add_data(raw, out->data);
	wifi_tested = judge_wifi(raw, laptop, out);
	if (wifi_tested)
		judge_scan(raw, weak_dbm, out);
	judge_bt(raw, laptop, out);
	worst = cbd_result_most_severe(out);
	if (worst && worst->severity != CBD_SEVERITY_INFO) {
		cbd_result_set(out, cbd_result_worst_finding(out), "%s", worst->message);
	} else if (wifi_tested) {
		/* the driver's name is in data.wifi[].driver, for staff */
		cbd_result_set(out, CBD_STATUS_PASS, N_("Wi-Fi found%s"),
		               raw->n_bt ? N_(", and Bluetooth") : "");
	} else if (worst) {
		cbd_result_set(out, CBD_STATUS_SKIP, "%s", worst->message);
	} else {
		cbd_result_set(out, CBD_STATUS_SKIP, N_("This machine has no Wi-Fi"));
	}
}
