#!/bin/sh
# summary --format html, csv and ndjson over a generated fleet with hostile
# strings (serials and models that are markup or spreadsheet formulas, file
# names that would break out of an href): the dashboard's numbers against
# --json, its links relative and leading to the reports, the CSV read back by
# Python's csv module with every formula defused.
. "$(dirname "$0")/lib.sh"
CHECK="$CBDIAG_SRCDIR/tests/review/dashboard-check.py"

$PY "$CBDIAG_SRCDIR/tests/perf/gen-reports.py" "$T/fleet" 300 --seed 11 >/dev/null
$PY "$CBDIAG_SRCDIR/tests/review/hostile-fleet.py" \
	"$CBDIAG_SRCDIR/tests/fixtures/reports/good/worn-battery.json" "$T/fleet/odd"

cd "$T" || exit 1
expect 0 "" -- summary --json fleet
cp "$T/out" "$T/summary.json"
expect 0 "" -- summary --format ndjson fleet
cp "$T/out" "$T/devices.ndjson"
expect 0 "<!DOCTYPE html>" -- summary --format html fleet
cp "$T/out" "$T/dash.html"
check "the page's numbers are --json's, its links relative and to real reports" \
	$PY "$CHECK" "$T/dash.html" "$T/summary.json" "$T/devices.ndjson" "$T"
check "no markup from a report reaches the page" sh -c "! grep -q '<script\\|<img\\|<svg onload\\|<meta http-equiv=.refresh\\|<base\\|<style>\\*{background' '$T/dash.html'"
check "the page's CSP forbids every fetch and script" grep -qF "content=\"default-src 'none'; style-src 'unsafe-inline'; form-action 'none'; base-uri 'none'\"" "$T/dash.html"

expect 0 "" -- summary --format csv fleet
cp "$T/out" "$T/fleet.csv"
check "CSV: RFC 4180, one row per device, formulas defused" $PY - "$T/fleet.csv" "$T/summary.json" <<'PYEOF'
import csv, json, sys
raw = open(sys.argv[1], "rb").read()
doc = json.load(open(sys.argv[2]))
assert b"\r\n" in raw and raw.endswith(b"\r\n"), "CRLF rows"
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
assert rows[0][0] == "device" and len(rows) == doc["devices"] + 1, (len(rows), doc["devices"])
assert all(len(r) == len(rows[0]) for r in rows), "ragged rows"
for r in rows[1:]:
    for cell in r:
        assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r"), repr(cell)
devices = {r[0] for r in rows}
for want in ("'=HYPERLINK(\"http://x\",\"y\")", "'+1+cmd|' /C calc'!A0", "'-2", "'\tTAB"):
    assert want in devices, want
models = {r[1] for r in rows}
assert "M'o\"del,\r\nx" in models and "'@SUM(A1)" in models, models
PYEOF

expect 0 "" -- summary --format csv-findings fleet
check "CSV of findings: one row per finding of each latest report, formulas defused" $PY - "$T/out" "$T/devices.ndjson" <<'PYEOF'
import csv, json, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
devices = [json.loads(l) for l in open(sys.argv[2])]
want = [[d["device"], d["model"], d["started_at"], f["probe"], f["code"], f["severity"], d["path"]]
        for d in devices for f in d["findings"]]
def defused(c):
    return "'" + c if c[:1] in ("=", "+", "-", "@", "\t", "\r") else c
assert rows[0] == ["device", "model", "latest_report_at", "probe", "code", "severity", "latest_report"]
assert len(want) > 50, len(want)
assert rows[1:] == [[defused(c) for c in r] for r in want], "rows differ"
PYEOF

expect 0 "" -- summary --format ndjson fleet
check "NDJSON: one device a line, each JSON" $PY -c '
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == json.load(open(sys.argv[2]))["devices"], len(lines)
for l in lines: json.loads(l)' "$T/out" "$T/summary.json"

expect 2 "--format is text, json, html, csv, csv-findings, csv-unchecked or ndjson" -- summary --format pdf fleet
expect 0 "0 reports, 0 devices" -- summary --format html /dev/null
expect 0 "device,model" -- summary --format csv /dev/null
finish
