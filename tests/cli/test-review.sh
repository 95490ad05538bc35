#!/bin/sh
# The staff commands as people and scripts use them: show --format html, diff
# and summary, and summary cross-checked against an independent aggregation
# in jq over generated reports.
. "$(dirname "$0")/lib.sh"
g="$CBDIAG_SRCDIR/tests/fixtures/reports/good"
before="$g/octopus-before-repair.json"
after="$g/octopus-after-repair.json"

expect 0 "" -- show --format html "$before" -o "$T/page.html"
check "the page is one HTML document" grep -q '^<!DOCTYPE html>' "$T/page.html"
check "with its verdict" grep -q 'Needs repair' "$T/page.html"
expect 0 "<!DOCTYPE html>" -- show --format html "$after"

expect 0 "battery   fail -> pass" -- diff "$before" "$after"
check "diff names the fixed finding" grep -q 'fixed:   battery.health_low' "$T/out"
expect 0 "" -- diff --json "$before" "$after"
check "diff --json is JSON with the probes" $PY -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["probes"][0]["name"] == "battery" and d["device_match"] == "same"' "$T/out"
expect 2 "two different devices" -- diff "$before" "$g/worn-battery.json"
expect 0 "TWO DIFFERENT DEVICES" -- diff --force "$before" "$g/worn-battery.json"

expect 0 "Fleet: 5 reports" -- summary "$CBDIAG_SRCDIR/tests/fixtures/reports"
check "summary lists foreign files as skipped" grep -q 'README.md: not valid JSON' "$T/out"
expect 0 "" -- summary --json "$CBDIAG_SRCDIR/tests/fixtures/reports/good"
check "summary --json parses" $PY -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["reports"] == 5 and d["skipped_files"] == 0' "$T/out"

# an independent implementation of the same aggregation must agree
$PY "$CBDIAG_SRCDIR/tests/perf/gen-reports.py" "$T/fleet" 600 --seed 7
expect 0 "Fleet: 600 reports" -- summary "$T/fleet"
if command -v jq >/dev/null; then
	c=$("$CBDIAG" summary --json "$T/fleet" | jq -c '[.reports, .devices, (.repeat_visitors | length), (.still_failing | length), [.models[] | [.model, .devices, .still_failing, .battery_health.median, .battery_health.p10, .battery_health.below_warn_percent, .battery_health.below_fail_percent]]]')
	j=$(find "$T/fleet" -type f -name '*.json' -print0 | xargs -0 cat | jq -n -f "$CBDIAG_SRCDIR/tests/perf/fleet-summary.jq" | jq -c '[.reports, .devices, .repeat_visitors, .still_failing, [.models[] | [.model, .devices, .still_failing, .median, .p10, .below_warn_percent, .below_fail_percent]]]')
	check "cbdiag summary and jq agree: $c" test "$c" = "$j"
	[ "$c" = "$j" ] || echo "    jq says: $j"
else
	echo "skip jq is not installed: no cross-check"
fi
# progress on a terminal (stderr a tty, through script(1)), rubbed out at the end;
# none when stderr is a file
"$CBDIAG" summary --json "$T/fleet" >/dev/null 2>"$T/err"
check "no progress when stderr is not a terminal" test ! -s "$T/err"
if command -v script >/dev/null; then
	script -qec "'$CBDIAG' summary --json '$T/fleet' >/dev/null" /dev/null >"$T/tty" </dev/null
	check "progress on a terminal" grep -q '600 of 600 files read' "$T/tty"
	check "the progress line is rubbed out" $PY -c 'import sys; assert open(sys.argv[1], "rb").read().endswith(b"\r\x1b[K")' "$T/tty"
else
	echo "skip script(1) is not installed: no terminal check"
fi
finish
