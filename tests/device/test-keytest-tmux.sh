#!/bin/sh
# The key test as an intern sees it: cbdiag --interactive in a real terminal
# (tmux), the internal keyboard played by umockdev from a recorded stream (A,
# then Esc held to stop), the screen read back with capture-pane. Skipped (77)
# without tmux or umockdev-run.
set -u
: "${CBDIAG:?}" "${CBD_SCENARIOS:?}"
command -v tmux >/dev/null || { echo "SKIP: tmux is not installed"; exit 77; }
command -v umockdev-run >/dev/null || { echo "SKIP: umockdev-run is not installed"; exit 77; }
T=$(mktemp -d /tmp/cbd-tmux-XXXXXX)
SOCK="cbd-keytest-$$"
trap 'tmux -L "$SOCK" kill-server 2>/dev/null; rm -rf "$T"' EXIT
passed=0 failed=0
check() {
	d=$1; shift
	if "$@"; then echo "ok   $d"; passed=$((passed + 1)); else echo "FAIL $d"; failed=$((failed + 1)); fi
}
S="$CBD_SCENARIOS/octopus-keytest-give-up"
tmux -L "$SOCK" new-session -d -x 150 -y 40 \
	"umockdev-run -d $S.umockdev -i /dev/input/event3=$S--event3.ioctl \
	 -e /dev/input/event3=$S--event3.evemu -- \
	 $CBDIAG run --interactive --probe keyboard -o $T/r.json; echo CBDIAG-EXIT-\$?; sleep 60"

# while the test runs: A tested, Esc down, the rest untested
seen=false
for _ in $(seq 100); do
	tmux -L "$SOCK" capture-pane -p >"$T/screen" 2>/dev/null
	if grep -q '<ESC>' "$T/screen"; then seen=true; break; fi
	sleep 0.1
done
check "the key map is drawn while Esc is held" $seen
cp "$T/screen" "$T/during"
check "the top row, matched by scancode, is drawn" grep -q '\[T1\] \[T2\]' "$T/during"
check "the tested key A is shown as tested" grep -q '\[SEARCH\]  A  \[S\]' "$T/during"
check "untested keys are bracketed" grep -q '\[SPACE\]' "$T/during"
check "the count is shown" grep -q '1 of 73 keys tested' "$T/during"

# then the test ends and the final screen follows
for _ in $(seq 100); do
	tmux -L "$SOCK" capture-pane -p -S -100 >"$T/screen" 2>/dev/null
	grep -q 'CBDIAG-EXIT-' "$T/screen" && break
	sleep 0.1
done
check "cbdiag finished and exited 1 (keys untested)" grep -q 'CBDIAG-EXIT-1' "$T/screen"
check "the verdict names the untested keys" grep -q 'keys never registered' "$T/screen"
check "the report was written" test -s "$T/r.json"
echo "--- the screen during the test:"
sed 's/^/    /' "$T/during"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
