#!/bin/sh
# The whole intern flow as an intern sees it (issue 14, item 6): the
# developer-shell launcher (tests/bench/devshell/cbdiag.sh, with a bundle
# made by make-bundle.sh from this build) in a real terminal (tmux), on one
# test bed joining five parts: the keyboard played from a recorded stream
# (every key), the panel and its screen light, a battery and charger, the
# USB ports with their places, the eMMC disk. A small script stands in for
# the kernel: the screen light reads back what was set, the charger comes
# and goes when the intern is asked to plug and unplug it, the charge moves.
#
# Each step is read back from the screen and checked: the language, ticket
# and initials questions (with bad answers first), the charge test, the key
# test's line, the screen-light sweep (a stray answer asked again), the
# colour patterns (which cannot be shown on a test bed: said at once), the
# port test (skipped with s), the final screen and the launcher's last line.
# On every screen: no jargon, no kernel names, no timings; the report's
# headlines agree with their verdicts; the final screen fits the console.
# Then bad input: Ctrl-C at the charge test, in the middle of the sweep (the
# light restored) and at the language question; stdin closed.
#
# Run in English on 80 x 24 with colour and in Spanish on a narrow 60 x 20
# console without colour; every screen is kept in $ARTEFACTS/walkthrough/.
# Skipped (77) without tmux or umockdev-run, as non-root (the launcher asks
# for sudo) or off x86_64 (the bundle is made for this machine).
set -u
: "${CBDIAG:?}" "${CBD_SCENARIOS:?}" "${CBDIAG_SRCDIR:?}" "${ARTEFACTS:?}"
command -v tmux >/dev/null || { echo "SKIP: tmux is not installed"; exit 77; }
command -v umockdev-run >/dev/null || { echo "SKIP: umockdev-run is not installed"; exit 77; }
[ "$(id -u)" -eq 0 ] || { echo "SKIP: the launcher runs as root only (sudo on a Chromebook)"; exit 77; }
[ "$(uname -m)" = x86_64 ] || { echo "SKIP: the bundle is made for x86_64 here"; exit 77; }
# a gcc ASan build: $CBDIAG is a wrapper putting ASan's runtime before
# umockdev's preload; the bundle's own loader cannot (the other device tests
# run the same steps under the sanitizers)
[ -z "${CBD_ASAN_PROGRAM:-}" ] || { echo "SKIP: not with the ASan runtime (see tests/asan-first.sh)"; exit 77; }
PY=${PYTHON:-python3}
T=$(mktemp -d /tmp/cbd-walk-XXXXXX)
SOCK="cbd-walk-$$"
trap 'tmux -L "$SOCK" kill-server 2>/dev/null; rm -rf "$T"' EXIT
OUT=$ARTEFACTS/walkthrough
rm -rf "$OUT"
mkdir -p "$OUT"
passed=0 failed=0
check() {
	d=$1; shift
	if "$@"; then echo "ok   $d"; passed=$((passed + 1)); else echo "FAIL $d"; failed=$((failed + 1)); fi
}

# --- the stick: launcher, language script, bundle, a config for short tests
S=$CBD_SCENARIOS
mkdir -p "$T/stick/cbdiag"
cp "$CBDIAG_SRCDIR/tests/bench/devshell/cbdiag.sh" "$CBDIAG_SRCDIR/tests/bench/cbdiag-lang.sh" "$T/stick/"
sh "$CBDIAG_SRCDIR/tests/bench/devshell/make-bundle.sh" "$CBDIAG" x86_64 "$T/stick/cbdiag" >"$T/bundle.log" 2>&1
rc=$?
[ "$rc" -eq 77 ] && { cat "$T/bundle.log"; exit 77; }
[ "$rc" -eq 0 ] || { cat "$T/bundle.log"; echo "FAIL the bundle could not be made"; exit 1; }
rm -rf "$T/stick/cbdiag/cbdiag-x86_64" # the stick carries the tar.gz only
printf '[thresholds]\nbattery.sample_seconds = 5\nbattery.charger_wait_seconds = 5\n' >"$T/stick/cbdiag.conf"

# --- one test bed of five parts (a device listed twice is taken once)
awk 'BEGIN { RS = ""; ORS = "\n\n" } { split($0, l, "\n"); if (l[1] in seen) next; seen[l[1]] = 1; print }' \
	"$S/octopus-keytest-all-keys.umockdev" "$S/octopus-edp-healthy.umockdev" \
	"$S/octopus-charging-bench.umockdev" "$S/chromebook-usb-pld.umockdev" \
	"$S/octopus-emmc-healthy.umockdev" >"$T/bed.umockdev"
KB="$S/octopus-keytest-all-keys--event3"

# --- the kernel's part: light read back, charger and charge as the test says
# (every 10 ms: the sweep reads back 250 ms after it sets a level)
cat >"$T/kernel.py" <<'EOF'
import os, sys, time
d, t = os.environ["UMOCKDEV_DIR"], sys.argv[1]
psu = d + "/sys/devices/LNXSYSTM:00/LNXSYBUS:00/PNP0A08:00/device:1e/PNP0C09:00"
bat, ac = psu + "/PNP0C0A:00/power_supply/BAT0", psu + "/ACPI0003:00/power_supply/AC"
pd = d + "/sys/devices/platform/GOOG0004:00/cros-usbpd-charger.3.auto/power_supply/CROS_USBPD_CHARGER0"


def put(path, value):  # a file replaced whole: never read half-written
    with open(path + ".new", "w") as f:
        f.write(value + "\n")
    os.rename(path + ".new", path)


def get(path):
    with open(path) as f:
        return f.read().strip()


put(pd + "/online", "0")
charge, last = int(get(bat + "/charge_now")), time.monotonic()
lights = [d + "/sys/class/backlight/" + n for n in os.listdir(d + "/sys/class/backlight")]
while not os.path.exists(t + "/stop") and os.path.isdir(d + "/sys"):
    try:
        for l in lights:
            v = get(l + "/brightness")
            if v != get(l + "/actual_brightness"):
                put(l + "/actual_brightness", v)
                if l.endswith("acpi_video0"):
                    with open(t + "/light.log", "a") as f:
                        f.write(v + "\n")
        now = time.monotonic()
        if os.path.exists(t + "/plug"):  # charging at about 35 % an hour
            put(ac + "/online", "1"), put(bat + "/status", "Charging")
            charge += int(500 * (now - last))
        elif os.path.exists(t + "/unplug"):  # using about 7 % an hour
            put(ac + "/online", "0"), put(bat + "/status", "Discharging")
            charge -= int(100 * (now - last))
        last = now
        put(bat + "/charge_now", str(charge))
    except OSError:
        break  # the bed is gone: the run ended
    time.sleep(0.01)
EOF

screen() { tmux -L "$SOCK" capture-pane -p -J -S -200 >"$T/screen" 2>/dev/null; }
wait_for() { # wait_for TEXT [TENTHS]: until the screen shows TEXT (fixed string)
	for _ in $(seq "${2:-150}"); do
		screen
		grep -qF -- "$1" "$T/screen" && return 0
		sleep 0.1
	done
	return 1
}
n=0
keep() { # keep NAME: the screen as the intern sees it, for review
	n=$((n + 1))
	tmux -L "$SOCK" capture-pane -p >"$OUT/$LNAME/$(printf %02d "$n")-$1.txt" 2>/dev/null
	cat "$T/screen" >>"$T/seen"
}
# the pane's shell says whether the terminal echoes once the launcher is done
# (a moment after WALK-EXIT: waited for, not assumed)
echo_back() { wait_for 'TTY-ECHO-' >/dev/null && grep -q TTY-ECHO-ON "$T/screen"; }
type_line() { tmux -L "$SOCK" send-keys -l -- "$1"; tmux -L "$SOCK" send-keys Enter; }
# the screen light as the driver last showed it (the bed is gone when the run ends)
light() { tail -n 1 "$T/light.log" 2>/dev/null || echo 50; }
start() { # start COLS ROWS ENV: the launcher on the bed in a fresh tmux
	tmux -L "$SOCK" kill-server 2>/dev/null
	SOCK="cbd-walk-$$-$LNAME-$4"
	rm -f "$T/plug" "$T/unplug" "$T/stop" "$T/dir" "$T/seen" "$T/light.log"
	rm -rf "$T/stick/reports" "$T/home"
	tmux -L "$SOCK" new-session -d -x "$1" -y "$2" \
		"trap : INT; env $3 CBDIAG_HOME=$T/home umockdev-run -d $T/bed.umockdev \
		 -i /dev/input/event3=$KB.ioctl -e /dev/input/event3=$KB.evemu -- \
		 sh -c 'trap : INT; echo \"\$UMOCKDEV_DIR\" >$T/dir; $PY $T/kernel.py $T 2>$T/kernel.err & sh $T/stick/cbdiag.sh; rc=\$?; sleep 1; exit \$rc'; \
		 echo WALK-EXIT-\$?; \
		 if stty -a | grep -q '[^-]echo '; then echo TTY-ECHO-ON; else echo TTY-ECHO-OFF; fi; sleep 300"
	for _ in $(seq 50); do [ -s "$T/dir" ] && break; sleep 0.1; done
}
# what an intern must never see, on any screen
# (and a part named by its probe's id, as a part without a name in final-screen.c's table is)
JARGON='^(OK|NOTE|REPAIR|RETRY|NOT TESTED|BIEN|NOTA|REPARAR|REPETIR|SIN PROBAR) +[a-z_]+(:|$)|pre-EOL|0x[0-9a-fA-F]|SuperSpeed|[Oo]ver-current|EDID|eDP|Mb/s|MiB/s|NVMe|eMMC|PCI|mmcblk|usb[0-9]-port|acpi_video|intel_backlight|kbd_backlight|[0-9] ms\)|^cbdiag: [a-z_]+ +(pass|warn|fail|skip|error)|exit [0-9]|ioctl|[Kk]ernel'

# walk LANG-NUMBER NAME COLS ROWS ENV: the whole flow, step by step
walk() {
	LNAME=$2 cols=$3 rows=$4
	mkdir -p "$OUT/$LNAME"
	n=0
	start "$cols" "$rows" "$5" full
	check "$LNAME: the language is asked first" wait_for 'Language / Idioma'
	keep language
	type_line "$1"
	if [ "$1" = 2 ]; then tx=es; else tx=en; fi
	lnum=$1
	check "$LNAME: the ticket number is asked" wait_for "$(lt t_ticket)"
	keep ticket
	type_line '20 500!'
	check "$LNAME: a bad ticket number is refused and asked again" wait_for "$(lt t_ticket_bad)"
	keep ticket-refused
	type_line 20500
	type_line ''
	check "$LNAME: empty initials are refused" wait_for "$(lt t_tech_bad)"
	keep initials-refused
	type_line JD

	# the charge test: a stray key first, then plugged and Enter
	check "$LNAME: the charge test asks for the charger" wait_for "$(pre 30 "$(gt 'Charge test: plug the charger into the Chromebook, then press Enter (s and Enter to skip).')")"
	keep charge-test
	type_line q
	check "$LNAME: a stray answer is asked again, not taken as yes" wait_for "$(gt 'Press Enter alone, or n or s and then Enter.')"
	keep charge-stray-key
	: >"$T/plug"
	sleep 0.5
	tmux -L "$SOCK" send-keys Enter
	check "$LNAME: then the discharge test" wait_for "$(pre 30 "$(gt 'Discharge test: unplug the charger, then press Enter (s and Enter to skip).')")" 300
	keep discharge-test
	rm -f "$T/plug"; : >"$T/unplug"
	sleep 0.5
	tmux -L "$SOCK" send-keys Enter

	# the key test (the stream presses every key) and the light sweep
	check "$LNAME: the key test's line names the keyboard" wait_for "$(gt 'Keyboard')" 300
	check "$LNAME: the screen-light test warns before the screen changes" \
		wait_for "$(pre 30 "$(gt 'Screen light test next. Watch the screen: it will get darker, then brighter, step by step. Press Enter to start (s and Enter to skip).')")" 300
	keep light-heads-up
	rm -f "$T/unplug"
	tmux -L "$SOCK" send-keys Enter
	check "$LNAME: asked whether the light changed" wait_for "$(pre 30 "$(gt 'Did the screen get brighter step by step? Enter for yes, n and Enter for no, s to skip.')")" 300
	for _ in $(seq 20); do [ "$(light)" = 50 ] && break; sleep 0.1; done
	check "$LNAME: the light is back where it was when asked ($(light))" test "$(light)" = 50
	keep light-question
	type_line maybe
	check "$LNAME: 'maybe' is asked again" wait_for "$(gt 'Press Enter alone, or n or s and then Enter.')"
	sleep 0.3
	tmux -L "$SOCK" send-keys Enter

	# the patterns: no screen to take on a test bed, said at once
	check "$LNAME: the colour patterns are announced" wait_for "$(pre 30 "$(gt 'Colour-pattern test: the screen will show 7 full-screen patterns. Enter to start, s to skip.')")"
	keep patterns-heads-up
	tmux -L "$SOCK" send-keys Enter
	check "$LNAME: the patterns that cannot be shown are said at once" \
		wait_for "$(pre 30 "$(gt 'The colours cannot be shown on this screen from here, so this test is skipped. Tell staff.')")"
	check "$LNAME: ... without a legend for patterns that never come" \
		sh -c "! grep -qF '$(pre 20 "$(gt 'Each colour fills the whole screen. Look at all of it, then press Enter: the question comes back here. Answer with what is wrong: d dead or stuck pixels, l lines, b bleeding or patches, f flicker, m dim or uneven (several letters are fine). Enter alone: it looks right. s: skip the rest.')")' '$T/screen'"
	keep patterns-cannot-show

	# the port test: unplug first, the port by its place, skipped with s
	check "$LNAME: the port test starts with unplug everything" \
		wait_for "$(pre 30 "$(gt 'USB port test next. First unplug everything from the USB ports except the charger and this repair stick. Then press Enter (or s and Enter to skip the port test).')")" 300
	keep ports-unplug
	tmux -L "$SOCK" send-keys Enter
	if [ $tx = es ]; then place='puerto USB-C derecho'; else place='the right USB-C port'; fi
	check "$LNAME: the port is asked for by its place" wait_for "$place"
	keep ports-plug
	type_line s

	# the final screen: the verdict, the parts, the report, the sticker
	check "$LNAME: the final screen gives the verdict in words" wait_for "$(gt 'RESULT: %s' | sed 's/%s//')" 300
	sleep 0.5; screen
	keep final-screen
	more=$(gt '-- press Enter for more --')
	pages=1
	for _ in $(seq 10); do # Enter while the last line asks for it
		screen
		[ "$(grep -v '^ *$' "$T/screen" | tail -n 1)" = "$more" ] || break
		tmux -L "$SOCK" send-keys Enter
		pages=$((pages + 1))
		sleep 0.3
	done
	check "$LNAME: the sticker line comes" wait_for "$(pre 20 "$(gt 'Write on the ticket and the sticker: %s. Report %.8s')")"
	check "$LNAME: the launcher counts the report on the stick" wait_for "$(lt t_on_stick): 1"
	keep final-screen-end
	check "$LNAME: it ends" wait_for 'WALK-EXIT-1'
	check "$LNAME: ... with the terminal as it was" echo_back

	# every screen of the run, as a whole
	check "$LNAME: no jargon, kernel names or timings on any screen" \
		sh -c "! grep -nE '$JARGON' '$T/seen' | sort -u -t: -k2 | head -5 | grep ."
	# the final screen, wrapped by cbdiag to this console (lines joined by -J)
	final=$(sed -n "/$(gt 'RESULT: %s' | sed 's/%s//')/,\$p" "$T/screen")
	wide=$(printf '%s\n' "$final" | "$PY" -c 'import sys; print(next((l for l in sys.stdin.read().splitlines() if len(l) >= int(sys.argv[1])), ""))' "$cols")
	check "$LNAME: every final-screen line fits $cols columns${wide:+: $wide}" test -z "$wide"
	r=$(ls "$T/stick/reports"/*.json 2>/dev/null | head -1)
	check "$LNAME: the report is on the stick" test -s "$r"
	check "$LNAME: its headlines agree with their verdicts" "$PY" "$CBDIAG_SRCDIR/tests/device/check-headlines.py" "$r"
	check "$LNAME: the ticket and initials reached the report" \
		"$PY" -c 'import json,sys; r=json.load(open(sys.argv[1])); sys.exit(not (r["ticket"]=="20500" and r["technician"]=="JD"))' "$r"
	check "$LNAME: the charge test passed (the charger was seen)" \
		"$PY" -c 'import json,sys; r=json.load(open(sys.argv[1])); sys.exit(r["probes"]["battery"]["data"]["charge_test"]["result"]!="pass")' "$r"
	check "$LNAME: the light's sweep read back and was confirmed" \
		"$PY" -c 'import json,sys; b=json.load(open(sys.argv[1]))["probes"]["display"]["data"]["backlight"]; sys.exit(not (b["sweep"]=="pass" and b["intern_saw_change"]=="yes" and b["restored"]))' "$r"
	cp "$r" "$OUT/$LNAME/report.json"
	: >"$T/stop"
}
lt() { # lt VARIABLE: the launcher's own sentence in the run's language
	printf '%s\n' "$lnum" |
		sh -c '. "$0" >/dev/null; eval "printf %s \"\$$1\""' "$CBDIAG_SRCDIR/tests/bench/cbdiag-lang.sh" "$1"
}
pre() { # pre N TEXT: the first N characters of TEXT (not bytes: Spanish has accents)
	"$PY" -c 'import sys; print(sys.argv[2][:int(sys.argv[1])], end="")' "$1" "$2"
}
gt() { # gt ENGLISH: the message in the run's language (the build's catalogue)
	if [ "${tx:-en}" = es ]; then
		TEXTDOMAINDIR="$T/stick/cbdiag-x86_64/share/locale" LANGUAGE=es LC_ALL=C.UTF-8 gettext -d cbdiag -- "$1"
	else
		printf '%s' "$1"
	fi
}
# the catalogues for gt, from the bundle
gzip -dc "$T/stick/cbdiag/cbdiag-x86_64.tar.gz" | tar -x -C "$T/stick" -f - cbdiag-x86_64/share
command -v gettext >/dev/null || { echo "SKIP: gettext (gettext-base) is not installed"; exit 77; }

walk 1 en 80 24 "TERM=xterm NO_COLOR="
walk 2 es 60 20 "TERM=xterm NO_COLOR=1"

# --- bad input: Ctrl-C at the charge test, in the sweep, at the language
LNAME=ctrl-c
mkdir -p "$OUT/$LNAME"
n=0
tx=en lnum=1
answer_start() { wait_for 'Language / Idioma' && type_line 1 && wait_for 'Ticket number' &&
	type_line 20500 && wait_for 'Your initials' && type_line JD; }
start 80 24 "TERM=xterm" charge
answer_start
wait_for 'Charge test: plug the charger' >/dev/null
tmux -L "$SOCK" send-keys Enter # no charger comes: the test waits for it
check "Ctrl-C at the charge test: it was waiting for the charger" wait_for 'Waiting for the charger'
tmux -L "$SOCK" send-keys C-c
check "... the run ends" wait_for 'WALK-EXIT-'
keep ctrl-c-charge
check "... the terminal echoes again" echo_back
r=$(ls "$T/stick/reports"/*.json 2>/dev/null | head -1)
check "... the report is on the stick and says it was interrupted" sh -c "test -s '$r' && grep -q 'interrupted' '$r'"
: >"$T/stop"

start 80 24 "TERM=xterm" sweep
answer_start
wait_for 'Charge test: plug the charger' >/dev/null && type_line s
wait_for 'Discharge test: unplug the charger' >/dev/null && type_line s
wait_for 'Screen light test next' 300 >/dev/null
tmux -L "$SOCK" send-keys Enter
moved=false
for _ in $(seq 100); do
	v=$(light)
	[ -n "$v" ] && [ "$v" != 50 ] && { moved=true; break; }
	sleep 0.05
done
check "Ctrl-C in the light sweep: caught while the light was at $v" $moved
tmux -L "$SOCK" send-keys C-c
check "... the run ends" wait_for 'WALK-EXIT-'
keep ctrl-c-sweep
sleep 0.3
check "... the light is back at 50 ($(light))" test "$(light)" = 50
check "... the terminal echoes again" echo_back
: >"$T/stop"

start 80 24 "TERM=xterm" language
wait_for 'Language / Idioma' >/dev/null
tmux -L "$SOCK" send-keys C-c
check "Ctrl-C at the language question: the launcher ends" wait_for 'WALK-EXIT-'
keep ctrl-c-language
check "... with nothing written" sh -c "! ls '$T/stick/reports'/*.json >/dev/null 2>&1"
: >"$T/stop"
tmux -L "$SOCK" kill-server 2>/dev/null

# --- stdin closed: the launcher stops instead of asking forever
CBDIAG_HOME=$T/home timeout -k 2 30 sh "$T/stick/cbdiag.sh" </dev/null >"$T/closed" 2>&1
rc=$?
check "stdin closed: the launcher stops by itself (exit $rc)" test "$rc" -eq 2
check "... saying the checks stopped" grep -q 'The checks stopped before the end' "$T/closed"
cp "$T/closed" "$OUT/$LNAME/stdin-closed.txt"

echo "screens kept in $OUT"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
