#!/bin/sh
# The USB port test as an intern sees it: cbdiag --interactive in a real
# terminal (tmux) on the test bed with the firmware's port places
# (chromebook-usb-pld: one free port, the right USB-C one). The first step
# asks to unplug everything; the port is named by where it is, never by the
# kernel; typing s to skip must not echo into the countdown ("54 s lefts")
# nor leave the countdown behind; the skipped port is listed, with why, in the
# text report. Skipped (77) without tmux or umockdev-run.
set -u
: "${CBDIAG:?}" "${CBD_SCENARIOS:?}"
command -v tmux >/dev/null || { echo "SKIP: tmux is not installed"; exit 77; }
command -v umockdev-run >/dev/null || { echo "SKIP: umockdev-run is not installed"; exit 77; }
T=$(mktemp -d /tmp/cbd-porttmux-XXXXXX)
SOCK="cbd-porttest-$$"
trap 'tmux -L "$SOCK" kill-server 2>/dev/null; tmux -L "$SOCK-2" kill-server 2>/dev/null; rm -rf "$T"' EXIT
passed=0 failed=0
check() {
	d=$1; shift
	if "$@"; then echo "ok   $d"; passed=$((passed + 1)); else echo "FAIL $d"; failed=$((failed + 1)); fi
}
screen() { tmux -L "$SOCK" capture-pane -p -S -100 >"$T/screen" 2>/dev/null; }
wait_for() {
	for _ in $(seq "${2:-100}"); do
		screen
		grep -q "$1" "$T/screen" && return 0
		sleep 0.1
	done
	return 1
}
S="$CBD_SCENARIOS/chromebook-usb-pld"
tmux -L "$SOCK" new-session -d -x 120 -y 40 \
	"NO_COLOR=1 umockdev-run -d $S.umockdev -- \
	 $CBDIAG run --interactive --probe usb -o $T/r.json; echo CBDIAG-EXIT-\$?; sleep 60"

check "the first step: unplug everything but the charger" wait_for 'unplug everything from the USB ports except'
tmux -L "$SOCK" send-keys Enter
check "the port is asked for by its place" wait_for 'plug the stick into the right USB-C port (s and Enter'
check "the countdown runs" wait_for 'seconds left'
tmux -L "$SOCK" send-keys s
sleep 0.1
screen
cp "$T/screen" "$T/typed"
check "the s typed does not show in the countdown" sh -c "! grep -q 'lefts' '$T/typed'"
tmux -L "$SOCK" send-keys Enter
check "the port is skipped" wait_for '^  skipped'
check "no countdown is left on the screen" sh -c "! grep -q 'Waiting for the stick' '$T/screen'"
check "no kernel port name on the screen" sh -c "! grep -q 'usb[0-9]-port' '$T/screen'"
wait_for 'CBDIAG-EXIT-' >/dev/null
check "the report was written" test -s "$T/r.json"
"$CBDIAG" show "$T/r.json" >"$T/text" 2>&1
check "the text report lists the skipped port with why" \
	grep -q 'The right USB-C port was not tested: you skipped it' "$T/text"
check "and the port with something in it" \
	grep -q 'The left USB-C port was not tested: something was plugged into it' "$T/text"
check "the report keeps the kernel's name for staff" grep -q 'kernel_name"[^,]*"usb1-port5/usb2-port5"' "$T/r.json"
cp "$T/screen" "$T/first"

# Ctrl-C at the countdown (echo is off there): the terminal gets its echo back
# (the pane's shell outlives the Ctrl-C with a trap of its own, to tell)
tmux -L "$SOCK" kill-server 2>/dev/null
SOCK="$SOCK-2" # a server of its own: the first may still be ending
tmux -L "$SOCK" new-session -d -x 120 -y 40 \
	"trap : INT; NO_COLOR=1 umockdev-run -d $S.umockdev -- \
	 $CBDIAG run --interactive --probe usb -o $T/r2.json; \
	 for i in \$(seq 300); do [ -s $T/r2.json ] && break; sleep 0.1; done; sleep 0.5; \
	 if stty -a | grep -q '[^-]echo '; then echo TTY-ECHO-ON; else echo TTY-ECHO-OFF; fi; sleep 60"
wait_for 'unplug everything from the USB ports except' >/dev/null
tmux -L "$SOCK" send-keys Enter
wait_for 'seconds left' >/dev/null
tmux -L "$SOCK" send-keys C-c
check "after Ctrl-C at the countdown the terminal echoes again" wait_for 'TTY-ECHO-ON' 400
check "and the report says the check was interrupted" grep -q 'interrupted' "$T/r2.json"
[ "$failed" -eq 0 ] || { echo "--- after Ctrl-C:"; sed 's/^/    /' "$T/screen"
	echo "--- its report's summaries:"; grep -o '"summary":[^,]*' "$T/r2.json" 2>&1; }
echo "--- the screen:"
sed 's/^/    /' "$T/first"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
