#!/bin/sh
# The intern's final screen (docs/writing-for-interns.md) at the end of an
# interactive run on a test bed where several parts fail (nvme-failing: no
# battery, keyboard or screen, a failing disk, no Wi-Fi): it fits 24 x 80,
# says the verdict in words, each failing part with its next step, where the
# report went and what to write on the sticker; no exit status, no codes, no
# jargon. Then in tmux on a short console: paged, with colour unless NO_COLOR.
# Skipped (77) without umockdev-run.
. "$(dirname "$0")/lib.sh"
command -v umockdev-run >/dev/null || { echo "SKIP: umockdev-run is not installed"; exit 77; }
S="$CBDIAG_SRCDIR/tests/device/scenarios/nvme-failing.umockdev"

timeout -k 2 120 umockdev-run -d "$S" -- "$CBDIAG" run --interactive --storage-scan off \
	--ticket 20500 --tech JD -o "$T/r.json" </dev/null >"$T/screen" 2>"$T/err"
rc=$?
check "a failing run exits 1 (got $rc)" test "$rc" -eq 1
check "the report was written" test -s "$T/r.json"
lines=$(wc -l <"$T/screen")
check "the final screen fits 24 lines ($lines)" test "$lines" -le 24 -a "$lines" -ge 5
cols=$($PY -c 'import sys; print(max(len(l.rstrip("\n")) for l in open(sys.argv[1], encoding="utf-8")))' "$T/screen")
check "... and 80 columns ($cols)" test "$cols" -le 80
check "the verdict in words" grep -q '^RESULT: NEEDS REPAIR' "$T/screen"
check "the failing disk with its next step" grep -q '^REPAIR Disk: The disk warns that it is failing' "$T/screen"
# too long for one screen and no pager: a repair's next step runs on after what is wrong
check "... and its next step right after" sh -c "grep -A1 '^REPAIR Disk:' '$T/screen' | tr '\\n' ' ' | tr -s ' ' | grep -q 'Next: Staff must replace the disk'"
check "the missing battery is listed" grep -q '^REPAIR Battery: ' "$T/screen"
check "where the report went" grep -q '^Report: saved as r.json' "$T/screen"
check "whether the help desk has it" grep -q '^Help desk: ' "$T/screen"
check "what to write on the sticker" grep -q 'Write on the ticket and the sticker: REPAIR: Battery' "$T/screen"
check "the report id on the sticker line" grep -q "Report $($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["report_id"][:8])' "$T/r.json")" "$T/screen"
check "no exit status" sh -c "! grep -qi 'exit' '$T/screen'"
check "no finding codes" sh -c "! grep -qE '[a-z_]+\.[a-z_]+_[a-z_]+' '$T/screen'"
check "no jargon" sh -c "! grep -qE 'pre-EOL|0x[0-9a-f]|SuperSpeed|over-current|EDID|eDP|Mb/s|NVMe|PCI' '$T/screen'"
check "no colour on a pipe" sh -c "! grep -q \"\$(printf '\033')\" '$T/screen'"

# the same run on a 12-line console in tmux: paged, each page within the screen
if ! command -v tmux >/dev/null; then
	echo "skip tmux is not installed: paging not checked"
	finish
	exit
fi
SOCK="cbd-final-$$"
trap 'tmux -L "$SOCK" kill-server 2>/dev/null; rm -rf "$T"' EXIT
page() { # page NAME [ENV]: start the run in a fresh tmux of 80 x 12
	tmux -L "$SOCK" kill-server 2>/dev/null
	SOCK="cbd-final-$$-$1"
	tmux -L "$SOCK" new-session -d -x 80 -y 12 \
		"env $2 umockdev-run -d $S -- $CBDIAG run --interactive --storage-scan off \
		 --probe battery,keyboard,storage,wireless -o $T/$1.json 2>/dev/null; \
		 echo CBDIAG-DONE; sleep 60"
}
wait_for() { # wait_for TEXT: until the pane shows TEXT (10 s)
	for _ in $(seq 100); do
		tmux -L "$SOCK" capture-pane -p -e >"$T/pane" 2>/dev/null
		grep -qF -- "$1" "$T/pane" && return 0
		sleep 0.1
	done
	return 1
}
page paged "TERM=xterm NO_COLOR="
check "a screen longer than the console waits for Enter" wait_for "-- press Enter for more --"
check "... with the verdict still on it" grep -q 'RESULT: NEEDS REPAIR' "$T/pane"
# tmux re-encodes bold red as ESC[1m ESC[31m
red="$(printf '\033')\[31m"
check "... in colour on a terminal" grep -q "${red}RESULT" "$T/pane"
check "... not finished before Enter" sh -c "! grep -q CBDIAG-DONE '$T/pane'"
tmux -L "$SOCK" send-keys Enter
check "Enter shows the rest" wait_for "Write on the ticket and the sticker"
check "... and the run ends" wait_for "CBDIAG-DONE"

page plain "TERM=xterm NO_COLOR=1"
check "NO_COLOR: paged too" wait_for "-- press Enter for more --"
check "NO_COLOR: no colour on the final screen" sh -c "! grep -q '$red' '$T/pane'"
page dumb "TERM=dumb NO_COLOR="
check "TERM=dumb: paged too" wait_for "-- press Enter for more --"
check "TERM=dumb: no colour on the final screen" sh -c "! grep -q '$red' '$T/pane'"
finish
