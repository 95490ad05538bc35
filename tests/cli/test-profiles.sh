#!/bin/sh
# A model's usual parts (docs/profiles.md): `summary --profiles` learns them
# from the fleet's reports (a part is expected when at least 90 % of at least
# 5 reports that can tell have it); `run --profiles` (or [run] profiles)
# turns a part this machine lacks into a failing finding of the part's probe,
# also on the intern's final screen and in Spanish; a bad profiles file stops
# the run before anything is tested, with the line or the key. The test beds:
# two "Bobba" machines, the convertible (touchscreen and stylus) and the
# clamshell (touchpad only). Skipped (77) without umockdev-run.
. "$(dirname "$0")/lib.sh"
command -v umockdev-run >/dev/null || { echo "SKIP: umockdev-run is not installed"; exit 77; }
SC="$CBDIAG_SRCDIR/tests/device/scenarios"
bed() { # bed SCENARIO ARGS...: cbdiag run on a test bed
	s=$1
	shift
	timeout -k 2 120 umockdev-run -d "$SC/$s.umockdev" -- "$CBDIAG" run "$@"
}
bed convertible-touchscreen-pen --no-interactive --probe touch,camera -o "$T/conv.json" >/dev/null 2>&1
mkdir -p "$T/fleet"
for i in 1 2 3 4 5 6 7 8 9 10; do cp "$T/conv.json" "$T/fleet/r$i.json"; done
# one of the eleven lost its touchscreen (10 of 11 = 91 %: still expected)
$PY - "$T/conv.json" "$T/fleet/r11.json" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
d["probes"]["touch"]["data"]["touchscreen"] = False
d["probes"]["touch"]["data"]["stylus"] = False
json.dump(d, open(sys.argv[2], "w"))
PYEOF
expect 0 "profiles of 1 model written to" -- summary --profiles "$T/p.json" "$T/fleet"
$PY - "$T/p.json" >"$T/learned" <<'PYEOF'
import json, sys
e = json.load(open(sys.argv[1]))["models"]["Bobba"]["expect"]
for k in sorted(e):
    print("%s=%s share=%s reports=%s" % (k, e[k]["value"], e[k]["share"], e[k]["reports"]))
PYEOF
check "the touchscreen learned: yes in 10 of 11 reports" grep -q '^touchscreen=yes share=0.909 reports=11$' "$T/learned"
check "the stylus and the touchpad's kind too" sh -c "grep -q '^stylus=yes' '$T/learned' && grep -q '^touchpad=clickpad' '$T/learned'"
check "the camera: none on this model (no camera expected)" grep -q '^camera=no' "$T/learned"
# the sound (the audio probe's facts): a card that plays and a headphone jack
# that reports its plug, in 5 reports; a 6th machine's jack board came loose
mkdir -p "$T/afleet"
$PY - "$T/conv.json" "$T/afleet" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
card = {"card": 0, "id": "PCH", "driver": "HDA-Intel", "playback_devices": [0],
        "capture_devices": [0], "jacks": [{"name": "Headphone Jack", "plugged": False}]}
for i in range(6):
    c = dict(card, jacks=[] if i == 5 else card["jacks"])
    d["probes"]["audio"] = {"status": "pass", "duration_ms": 9, "summary": "The sound card was found",
                            "findings": [], "data": {"cards": [c], "jacks_reported": True}}
    json.dump(d, open("%s/a%d.json" % (sys.argv[2], i), "w"))
PYEOF
expect 0 "profiles of 1 model written to" -- summary --profiles "$T/pa.json" "$T/afleet"
check "the sound learned: yes in 6 of 6" \
	$PY -c 'import json,sys; e=json.load(open(sys.argv[1]))["models"]["Bobba"]["expect"]; sys.exit(not (e["sound"]["value"]=="yes" and e["sound"]["reports"]==6))' "$T/pa.json"
check "the headphone jack: yes in 5 of 6 (83 %: below the share, not expected)" \
	$PY -c 'import json,sys; e=json.load(open(sys.argv[1]))["models"]["Bobba"]["expect"]; sys.exit("headphone_jack" in e)' "$T/pa.json"
rm "$T/afleet/a5.json"
expect 0 "profiles of 1 model written to" -- summary --profiles "$T/pa.json" "$T/afleet"
check "... and yes in 5 of 5" \
	$PY -c 'import json,sys; e=json.load(open(sys.argv[1]))["models"]["Bobba"]["expect"]; sys.exit(e["headphone_jack"]["value"]!="yes")' "$T/pa.json"
# below the share: 7 of 9 with a touchscreen is no expectation
rm "$T/fleet/r10.json" "$T/fleet/r9.json" "$T/fleet/r8.json"
cp "$T/fleet/r11.json" "$T/fleet/r12.json"
expect 0 "" -- summary --profiles "$T/p80.json" "$T/fleet"
check "7 of 9 (78 %) is no expectation" sh -c "! grep -q '\"touchscreen\"' '$T/p80.json'"
# too few reports: none
expect 0 "profiles of 0 models" -- summary --profiles "$T/p4.json" "$T/fleet/r1.json" "$T/fleet/r2.json" "$T/fleet/r3.json" "$T/fleet/r4.json"

# --- the clamshell Bobba against the convertible's profile
bed octopus-touchpad --no-interactive --probe touch --profiles "$T/p.json" -o "$T/oct.json" >"$T/out" 2>&1
rc=$?
check "a Bobba without its touchscreen fails (exit $rc)" test "$rc" -eq 1
$PY - "$T/oct.json" >"$T/found" <<'PYEOF'
import json, sys
p = json.load(open(sys.argv[1]))["probes"]["touch"]
print("status", p["status"])
print("summary", p["summary"])
for f in p["findings"]:
    print("finding", f["code"], f["severity"])
PYEOF
check "... touch fails" grep -q '^status fail' "$T/found"
check "... with the finding touch.touchscreen_missing_for_model" grep -q '^finding touch.touchscreen_missing_for_model fail' "$T/found"
check "... and its headline says so" grep -q '^summary This model has a touchscreen, but none was found' "$T/found"
check "... the report is valid" "$CBDIAG" validate "$T/oct.json"
bed octopus-touchpad --interactive --probe touch --profiles "$T/p.json" --lang es -o "$T/oct-es.json" \
	</dev/null >"$T/screen" 2>&1
check "the intern's final screen, in Spanish, names it" grep -q 'Este modelo tiene pantalla táctil' "$T/screen"
# the convertible itself: nothing missing
bed convertible-touchscreen-pen --no-interactive --probe touch --profiles "$T/p.json" -o "$T/conv2.json" >/dev/null 2>&1
check "the convertible against its own profile: no finding of the profile" sh -c "! grep -q '_for_model' '$T/conv2.json'"
# a model the profiles do not know: nothing said
sed 's/"Bobba"/"Other"/' "$T/p.json" >"$T/other.json"
bed octopus-touchpad --no-interactive --probe touch --profiles "$T/other.json" -o "$T/oct3.json" >/dev/null 2>&1
check "a model not in the profiles: no finding of the profile" sh -c "! grep -q '_for_model' '$T/oct3.json'"
# the configuration names it too
printf '[run]\nprofiles = %s\n' "$T/p.json" >"$T/c.conf"
bed octopus-touchpad --no-interactive --probe touch --config "$T/c.conf" -o "$T/oct4.json" >/dev/null 2>&1
check "[run] profiles in the configuration works as --profiles" grep -q 'touchscreen_missing_for_model' "$T/oct4.json"

# --- a bad profiles file: exit 2 before anything runs, the line or the key said
printf '{\n  "cbdiag_profiles": 1,\n  "models": {\n    "Bobba": [\n' >"$T/bad-json.json"
expect 2 "line" -- run --no-interactive --probe battery --profiles "$T/bad-json.json" -o "$T/x.json"
check "... and no report" test ! -e "$T/x.json"
printf '{"cbdiag_profiles": 2, "models": {}}' >"$T/v2.json"
expect 2 "version 2" -- run --no-interactive --probe battery --profiles "$T/v2.json" -o "$T/x.json"
printf '{"cbdiag_profiles": 1, "models": {"Bobba": {"expect": {"jetpack": {"value": "yes"}}}}}' >"$T/part.json"
expect 2 "unknown part 'jetpack'" -- run --no-interactive --probe battery --profiles "$T/part.json" -o "$T/x.json"
printf '{"cbdiag_profiles": 1, "models": {"Bobba": {"expect": {"camera": {"value": 3}}}}}' >"$T/val.json"
expect 2 "part 'camera': 'value'" -- run --no-interactive --probe battery --profiles "$T/val.json" -o "$T/x.json"
printf '[1, 2]' >"$T/arr.json"
expect 2 "not a cbdiag profiles file" -- run --no-interactive --probe battery --profiles "$T/arr.json" -o "$T/x.json"
expect 2 "" -- run --no-interactive --probe battery --profiles "$T/missing.json" -o "$T/x.json"
# a profile staff wrote by hand (no share, no count) is read
printf '{"cbdiag_profiles": 1, "models": {"Bobba": {"expect": {"touchscreen": {"value": "yes"}}}}}' >"$T/hand.json"
bed octopus-touchpad --no-interactive --probe touch --profiles "$T/hand.json" -o "$T/oct5.json" >/dev/null 2>&1
check "a hand-written profile is used" grep -q 'touchscreen_missing_for_model' "$T/oct5.json"
# a different part fitted: a note in plain words, the values for staff in the data
printf '{"cbdiag_profiles": 1, "models": {"Bobba": {"expect": {"touchpad": {"value": "buttons"}}}}}' >"$T/kind.json"
bed octopus-touchpad --no-interactive --probe touch --profiles "$T/kind.json" -o "$T/oct6.json" >/dev/null 2>&1
rc=$?
$PY - "$T/oct6.json" >"$T/kind" <<'PYEOF'
import json, sys
p = json.load(open(sys.argv[1]))["probes"]["touch"]
f = [f for f in p["findings"] if f["code"] == "touch.touchpad_differs_from_model"]
print("status", p["status"])
print("finding", f[0]["severity"] if f else None, f[0]["message"] if f else "")
print("data", p["data"].get("profile", {}).get("touchpad"))
PYEOF
check "another touchpad than the model's: a note, the part still passes (exit $rc)" \
	sh -c "test $rc -eq 0 && grep -q '^status pass' '$T/kind' && grep -q '^finding info This touchpad is not the kind this model has' '$T/kind'"
check "... no values in the intern's sentence, both in data.profile for staff" \
	grep -q "^data {'model': 'buttons', 'this': 'clickpad'}" "$T/kind"
finish
