#!/usr/bin/env python3
"""Write N realistic cbdiag reports for the fleet summary's tests and benchmark.

    gen-reports.py OUT_DIR N [--devices D] [--seed S]

A district of D Chromebooks (default N/6) of a handful of models, each with
its own battery wear and failure mix; devices come back (repeat visitors);
reports follow schema_version 1 with battery and storage data shaped as the
probes write it and keyboard/display/USB findings in the codes of docs/finding-codes.md.
Deterministic for a given seed.
"""
import argparse
import json
import os
import random
import uuid

MODELS = [
    # model, board, share of the fleet, battery health mean, sd, per-visit fail odds
    ("Bobba", "Octopus", 0.28, 84, 11, {"keyboard": 0.12, "display": 0.06, "usb": 0.04}),
    ("Morphius", "Zork", 0.22, 79, 13, {"keyboard": 0.08, "display": 0.09, "usb": 0.05}),
    ("Krane", "Kukui", 0.18, 88, 8, {"keyboard": 0.05, "display": 0.12, "usb": 0.02}),
    ("Lazor", "Trogdor", 0.17, 86, 9, {"keyboard": 0.07, "display": 0.05, "usb": 0.03}),
    ("Drawcia", "Dedede", 0.15, 76, 14, {"keyboard": 0.15, "display": 0.07, "usb": 0.06}),
]

FINDINGS = {
    "keyboard": [("keyboard.untested_keys", "fail", "2 keys never registered: A, K",
                  "Reseat the keyboard ribbon cable; replace the keyboard if they stay dead", False),
                 ("keyboard.stuck_key", "fail", "Key SPACE was held down with no release for 5 s",
                  "Replace the keyboard", False)],
    "display": [("display.edid_checksum", "warn", "The internal panel's EDID has a bad checksum",
                 "Reseat the eDP cable at both ends", False),
                ("display.pattern_defect", "fail", "The intern saw lines on the red screen",
                 "Replace the screen", False)],
    "usb": [("usb.superspeed_lost", "fail", "A USB 3 stick came up at 480 Mb/s on the left USB-C port",
             "Try another cable and stick; else the port needs staff", True)],
}


def ts(rng, day):
    return "2026-%02d-%02dT%02d:%02d:%02dZ" % (1 + day // 28 % 12, 1 + day % 28, rng.randrange(8, 16),
                                             rng.randrange(60), rng.randrange(60))


def battery_probe(rng, health, cycles):
    findings = []
    if health < 60:
        findings.append({"code": "battery.health_low", "severity": "fail",
                         "message": "Battery BAT0 holds %.1f%% of its design capacity (replace below 60%%)" % health,
                         "action": "Replace the battery", "escalate": False})
    elif health < 80:
        findings.append({"code": "battery.health_low", "severity": "warn",
                         "message": "Battery BAT0 holds %.1f%% of its design capacity (worn below 80%%)" % health,
                         "action": "Replace the battery if the student reports short battery life", "escalate": False})
    if cycles > 1000:
        findings.append({"code": "battery.cycles_high", "severity": "fail",
                         "message": "Battery BAT0 has been through %d charge cycles (replace above 1000)" % cycles,
                         "action": "Replace the battery", "escalate": False})
    status = "fail" if any(f["severity"] == "fail" for f in findings) else "warn" if findings else "pass"
    design = 4_000_000
    return {"status": status, "duration_ms": rng.randrange(1, 6),
            "summary": "Battery BAT0 holds %.1f%% of its design capacity, %d cycles, Discharging (on battery)" % (health, cycles),
            "findings": findings,
            "data": {"batteries": [{
                "name": "BAT0", "present": True, "status": "Discharging", "technology": "Li-ion",
                "manufacturer": "SMP-COS3.96", "model": "AP18F4M", "serial": "%05d" % rng.randrange(99999),
                "capacity_percent": rng.randrange(5, 100), "cycle_count": cycles,
                "health_percent": health, "wear_percent": round(100 - health, 1),
                "full_exceeds_design": False, "health_basis": "charge", "kernel_health": None,
                "charge_full_uah": int(design * health / 100), "charge_full_design_uah": design,
                "charge_now_uah": int(design * health / 200), "voltage_now_uv": 11800000,
                "current_now_ua": 812000, "unavailable": []}],
                "external_power": {"sources": [{"name": "AC", "type": "Mains", "online": False, "usb_type": None}],
                                   "online": False},
                "charge_test": None, "discharge_test": None}}


def storage_probe(rng, life):
    findings = []
    if life >= 11:
        findings.append({"code": "storage.emmc_life", "severity": "fail",
                         "message": "The eMMC mmcblk0 has used up its estimated life (life time 0x0b)",
                         "action": "Tell staff: the disk is soldered to the main board", "escalate": True})
    elif life >= 9:
        findings.append({"code": "storage.emmc_life", "severity": "warn",
                         "message": "The eMMC mmcblk0 has used %d-%d%% of its estimated life" % ((life - 1) * 10, life * 10),
                         "action": "Tell staff: the disk is soldered to the main board", "escalate": True})
    status = "fail" if life >= 11 else "warn" if life >= 9 else "pass"
    mibs = round(rng.uniform(90, 260), 1)
    return {"status": status, "duration_ms": rng.randrange(900, 1100),
            "summary": "mmcblk0 (eMMC, 31.3 GB) read %.0f MiB/s%s" % (mibs, ": healthy" if status == "pass" else ""),
            "findings": findings,
            "data": {"devices": [{
                "name": "mmcblk0", "type": "emmc", "internal": True, "removable": False, "model": "DA4032",
                "serial": "0x%08x" % rng.randrange(2**32), "firmware": "0x0100000000000000",
                "size_bytes": 31268536320,
                "emmc": {"life_time_a": min(life, 11), "life_time_b": min(life, 11), "pre_eol": 1,
                         "ext_csd_rev": 8, "manfid": "0x000045", "manufacturer": "SanDisk", "date": "03/2021"},
                "read_test": {"mode": "quick", "bytes_read": 268435456, "seconds": round(256 / mibs, 3),
                              "mib_per_s": mibs, "errors": 0, "logical_block_size": 512, "direct_io": True,
                              "regions_planned": 256, "regions_read": 256, "budget_exhausted": False,
                              "bad_ranges": [], "bad_ranges_truncated": False, "slow_reads": []}}]}}


def simple_probe(rng, name, odds):
    if rng.random() < odds:
        code, sev, msg, action, esc = rng.choice(FINDINGS[name])
        return {"status": sev, "duration_ms": rng.randrange(2, 90000), "summary": msg,
                "findings": [{"code": code, "severity": sev, "message": msg, "action": action, "escalate": esc}],
                "data": {}}
    return {"status": "pass", "duration_ms": rng.randrange(2, 90000), "summary": "All checks passed", "findings": [],
            "data": {}}


def report(rng, dev, visit_day):
    model, board, _, _, _, odds = dev["model"]
    probes = {
        "battery": battery_probe(rng, dev["health"], dev["cycles"]),
        "keyboard": simple_probe(rng, "keyboard", odds["keyboard"] * dev["fragility"]),
        "display": simple_probe(rng, "display", odds["display"] * dev["fragility"]),
        "storage": storage_probe(rng, dev["life"]),
        "usb": simple_probe(rng, "usb", odds["usb"] * dev["fragility"]),
    }
    st = [p["status"] for p in probes.values()]
    order = {"fail": 3, "error": 2, "warn": 1, "pass": 0, "skip": 0}
    worst = max(st, key=lambda s: order[s])
    return {
        "schema_version": 1, "report_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "tool": {"name": "cbdiag", "version": "0.1.0"},
        "started_at": ts(rng, visit_day), "finished_at": ts(rng, visit_day), "duration_ms": rng.randrange(2000, 200000),
        "ticket": str(rng.randrange(1000, 30000)), "technician": rng.choice(["jd", "mk", "al", "sr", "tb"]),
        "device": {"serial": dev["serial"], "asset_tag": dev["asset"], "vendor": "Google", "model": model,
                   "board": board, "sku": "sku%d" % rng.randrange(1, 40), "firmware_version": "Google_%s.13434.0" % model,
                   "hwid": "%s-ABCD A1B-C2D" % model.upper(), "form_factor": "laptop"},
        "overall": "pass" if worst == "skip" else worst,
        "counts": {k: st.count(k) for k in ["pass", "warn", "fail", "skip", "error"]},
        "probes": probes,
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("n", type=int)
    ap.add_argument("--devices", type=int)
    ap.add_argument("--seed", type=int, default=20500)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    ndev = a.devices or max(1, a.n // 6)
    weights = [m[2] for m in MODELS]
    devices = []
    for i in range(ndev):
        m = rng.choices(MODELS, weights)[0]
        devices.append({"model": m, "serial": "NX%s%08d" % (m[0][:2].upper(), i), "asset": "DIST-%05d" % i,
                        "health": round(max(20.0, min(100.0, rng.gauss(m[3], m[4]))), 1),
                        "cycles": int(rng.uniform(20, 1300)), "life": rng.choice([1, 1, 2, 2, 3, 4, 5, 9, 11]),
                        "fragility": rng.choice([0.5, 1, 1, 2, 4])})
    os.makedirs(a.out, exist_ok=True)
    for i in range(a.n):
        dev = devices[i % ndev] if i < ndev else rng.choice(devices)  # every device once, then repeat visitors
        day = rng.randrange(0, 330)
        # batteries wear between visits; some get replaced
        if rng.random() < 0.1:
            dev["health"], dev["cycles"] = 100.0, 3
        else:
            dev["health"] = round(max(20.0, dev["health"] - rng.uniform(0, 2)), 1)
            dev["cycles"] += rng.randrange(0, 60)
        r = report(rng, dev, day)
        sub = os.path.join(a.out, dev["model"][0])
        os.makedirs(sub, exist_ok=True)
        with open(os.path.join(sub, "%s-%06d.json" % (dev["serial"], i)), "w") as f:
            json.dump(r, f, indent=2)
            f.write("\n")


if __name__ == "__main__":
    main()
