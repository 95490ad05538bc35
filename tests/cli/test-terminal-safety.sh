#!/bin/sh
# Issue 18 #6: strings from hardware and reports never drive the terminal.
# C1 controls (U+009B is CSI on the Linux console: "\u009b2J" clears it),
# bidi overrides, line separators and zero-width characters from a hostile
# report, file name or test bed reach no output of run, show, diff, summary
# or validate as raw bytes.
. "$(dirname "$0")/lib.sh"
g="$CBDIAG_SRCDIR/tests/fixtures/reports/good"

# no_unsafe FILE...: none of the raw byte sequences is in the files
no_unsafe() {
	$PY - "$@" <<'PY'
import re, sys
bad = re.compile(rb"\xc2[\x80-\x9f]|\xe2\x80[\x8b-\x8f\xa8-\xae]|\xe2\x81[\xa6-\xa9]|\xef\xbb\xbf|\xc2\xad|\x1b|\x9b")
for p in sys.argv[1:]:
    m = bad.search(open(p, "rb").read())
    if m:
        print(f"    {p}: raw {m.group(0)!r} at byte {m.start()}")
        sys.exit(1)
PY
}

# a schema-valid report whose strings carry C1 CSI, OSC, bidi and friends
$PY - "$g/worn-battery.json" "$T/evil.json" "$T/evil2.json" "$T/invalid.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
csi = "\u009b2J\u009b31m"
d["device"]["model"] = "Morph" + csi + "ius\u202e"
d["device"]["hwid"] = "\u2066HW\u2069\u2028ID\ufeff\u200b"
d["technician"] = "j\u009d0;title\u009cd"
b = d["probes"]["battery"]
b["summary"] = "Battery " + csi + " holds\u00ad 52%"
b["findings"][0]["message"] = "\u202eevil\u202c" + csi
b["findings"][0]["action"] = "Replace\u2029" + csi
json.dump(d, open(sys.argv[2], "w"))
d["device"]["serial"] = "5CD" + csi
d["probes"]["battery"]["data"]["batteries"][0]["health_percent"] = 90.0
d["probes"]["battery"]["summary"] = "now " + csi
json.dump(d, open(sys.argv[3], "w"))
d["overall"] = "bad" + csi
json.dump(d, open(sys.argv[4], "w"))
PY

expect 0 "valid" -- validate "$T/evil.json"
expect 0 "Morph?2J?31mius?" -- show "$T/evil.json"
check "show: no raw C1/bidi bytes" no_unsafe "$T/out" "$T/err"
expect 0 "" -- diff --force "$T/evil.json" "$T/evil2.json"
check "diff: no raw C1/bidi bytes" no_unsafe "$T/out" "$T/err"
expect 2 "two different devices" -- diff "$T/evil.json" "$T/evil2.json"
check "diff error: no raw C1/bidi bytes" no_unsafe "$T/out" "$T/err"
expect 0 "" -- diff --json --force "$T/evil.json" "$T/evil2.json"
check "diff --json: no raw C1/bidi bytes" no_unsafe "$T/out" "$T/err"
check "diff --json: the same value, escaped" $PY -c 'import json,sys; d=json.load(open(sys.argv[1])); assert "\u009b2J" in json.dumps(d, ensure_ascii=False)' "$T/out"
mkdir "$T/fleet"
cp "$T/evil.json" "$T/evil2.json" "$T/fleet/"
cp "$T/invalid.json" "$T/fleet/bad$(printf '\302\233')2J.json"
expect 0 "Fleet: 2 reports" -- summary "$T/fleet"
check "summary: no raw C1/bidi bytes" no_unsafe "$T/out" "$T/err"
expect 0 "" -- summary --json "$T/fleet"
check "summary --json: no raw C1/bidi bytes" no_unsafe "$T/out" "$T/err"
expect 2 "" -- validate "$T/invalid.json"
check "validate error: no raw C1/bidi bytes" no_unsafe "$T/out" "$T/err"
expect 2 "cannot open" -- validate "$T/nope$(printf '\302\233')2J$(printf '\342\200\256').json"
check "validate error naming a hostile path: no raw bytes" no_unsafe "$T/out" "$T/err"

# run: the path it names on stderr is a hostile one
"$CBDIAG" run --no-interactive --probe battery -o "$T/r$(printf '\302\233')2J.json" >"$T/out" 2>"$T/err"
check "run -o HOSTILE: report written" grep -q "report written to" "$T/err"
check "run -o HOSTILE: no raw C1 bytes on stdout/stderr" no_unsafe "$T/out" "$T/err"

# run: a test bed whose DMI model and keyboard name carry U+009B 2J
if command -v umockdev-run >/dev/null; then
	csi=$(printf '\302\233')
	sed "s/Bobba/Bob${csi}2Jba/; s/name=Logitech USB Keyboard/name=Logi${csi}2Jtech/" \
		"$CBDIAG_SRCDIR/tests/device/scenarios/laptop-usb-keyboard-only.umockdev" >"$T/evil.umockdev"
	umockdev-run -d "$T/evil.umockdev" -- "$CBDIAG" run --no-interactive --probe keyboard \
		-o "$T/run.json" >"$T/out" 2>"$T/err"
	check "run in a hostile test bed: a report" test -s "$T/run.json"
	check "run: no raw C1 bytes on stdout/stderr" no_unsafe "$T/out" "$T/err"
	check "run: no raw C1 bytes in the report" no_unsafe "$T/run.json"
	check "run: the keyboard name is in the report, neutralised" \
		grep -q 'Logi?2Jtech' "$T/run.json"
else
	echo "skip umockdev-run is not installed: run in a hostile test bed not checked"
fi
finish
