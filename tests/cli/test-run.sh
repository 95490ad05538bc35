#!/bin/sh
# cbdiag run on this machine: the exit code follows cbdiag(1), the report lands
# where it should and validates against the schema file.
. "$(dirname "$0")/lib.sh"
schema="$CBDIAG_SRCDIR/report/report.schema.json"

"$CBDIAG" run --no-interactive -o "$T/r.json" --ticket 20500 --tech jd --asset DIST-0042 \
	>"$T/out" 2>"$T/err"
rc=$?
check "run exits 0, 1 or 3 (got $rc)" test "$rc" -eq 0 -o "$rc" -eq 1 -o "$rc" -eq 3
check "the report was written" test -s "$T/r.json"
check "stderr says where it went" grep -qF "report written to $T/r.json" "$T/err"
check "stdout has the text rendering" grep -q "^Overall: " "$T/out"
check "cbdiag validate accepts it" "$CBDIAG" validate "$T/r.json"
if $PY -c 'import jsonschema' 2>/dev/null; then
	check "python3 -m jsonschema accepts it" $PY -m jsonschema -i "$T/r.json" "$schema"
else
	echo "skip python3-jsonschema missing"
fi
field() { $PY -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$@"; }
check "ticket recorded" test "$(field "$T/r.json" 'd["ticket"]')" = 20500
check "technician recorded" test "$(field "$T/r.json" 'd["technician"]')" = jd
check "--asset overrides the firmware's tag" test "$(field "$T/r.json" 'd["device"]["asset_tag"]')" = DIST-0042
check "all eleven probes in run order" test "$(field "$T/r.json" '",".join(d["probes"])')" = "battery,keyboard,kbd_backlight,display,storage,usb,wireless,lid,camera,touch,audio"
overall=$(field "$T/r.json" 'd["overall"]')
case "$overall" in
pass) want=0 ;; warn) want=0 ;; fail) want=1 ;; error) want=3 ;; *) want=x ;;
esac
check "exit code $rc matches overall '$overall'" test "$rc" = "$want"

# -o - : only JSON on stdout, so `cbdiag run -o - | jq` works
"$CBDIAG" run --no-interactive --probe battery,usb -o - >"$T/stdout.json" 2>"$T/err"
rc=$?
check "-o - exits 0 or 1 ($rc)" test "$rc" -le 1
check "-o - writes valid JSON to stdout" "$CBDIAG" validate "$T/stdout.json"
check "--probe keeps only the named probes" test "$(field "$T/stdout.json" '",".join(d["probes"])')" = "battery,usb"

# --format json: JSON on stdout and the file in the report directory
CBDIAG_REPORT_DIR="$T/reports" "$CBDIAG" run --no-interactive --format json >"$T/fmt.json" 2>"$T/err"
check "--format json prints JSON" "$CBDIAG" validate "$T/fmt.json"
n=$(ls "$T/reports" | grep -c '^unknown-[0-9]\{8\}T[0-9]\{6\}Z.*\.json$')
check "default report name <serial>-<UTC>.json in \$CBDIAG_REPORT_DIR ($n)" test "$n" -eq 1

# show renders what run wrote; NO_COLOR and a pipe mean no escapes
"$CBDIAG" show "$T/r.json" >"$T/show.txt"
check "show prints the device line" grep -q "^Device: " "$T/show.txt"
check "show prints one line per probe" test "$(grep -c '^  [A-Z]\{4,5\} ' "$T/show.txt")" -ge 5
check "no colour escapes when piped" test -z "$(grep -l "$(printf '\033')" "$T/show.txt")"
"$CBDIAG" show "$T/r.json" -o "$T/show2.txt"
check "show -o writes the same text" cmp -s "$T/show.txt" "$T/show2.txt"

# -o into a device or a pipe writes into it, never replaces it (-o /dev/null
# once turned /dev/null into a regular file); a named pipe stands in for it
mkfifo "$T/fifo"
cat "$T/fifo" >"$T/from-fifo" &
reader=$!
"$CBDIAG" run --no-interactive --probe battery -o "$T/fifo" >/dev/null 2>"$T/err"
wait $reader
check "-o into a named pipe keeps it a pipe" test -p "$T/fifo"
check "... and the report went through it" $PY -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/from-fifo"
cat "$T/fifo" >"$T/show-fifo" &
reader=$!
"$CBDIAG" show "$T/r.json" -o "$T/fifo"
wait $reader
check "show -o into a named pipe" cmp -s "$T/show.txt" "$T/show-fifo"
check "-o into a directory is refused" sh -c "! '$CBDIAG' show '$T/r.json' -o '$T' 2>/dev/null"
# ... and a block device, never: a node of a loop device that is not set up
# (nothing could be written even if cbdiag tried; the message tells them apart)
if mknod "$T/blk" b 7 250 2>/dev/null; then
	"$CBDIAG" show "$T/r.json" -o "$T/blk" >/dev/null 2>"$T/err"
	check "-o into a block device is refused as a disk" grep -q "it is a block device" "$T/err"
	"$CBDIAG" run --no-interactive --probe battery -o "$T/blk" >/dev/null 2>"$T/err"
	check "run -o into a block device is refused as a disk" grep -q "it is a block device" "$T/err"
	check "... before any probe runs" sh -c "! grep -q 'battery ' '$T/err'"
else
	echo "skip: mknod needs root (block-device check)"
fi

# --probe twice: the lists add up (in the order given, each probe once)
"$CBDIAG" run --no-interactive --probe usb --probe battery,usb -o "$T/two.json" >/dev/null 2>&1
check "--probe given twice adds up" test "$(field "$T/two.json" '",".join(d["probes"])')" = "usb,battery"

# list
check "list names every probe" test "$("$CBDIAG" list | awk '{print $1}' | tr '\n' ,)" = "battery,keyboard,kbd_backlight,display,storage,usb,wireless,lid,camera,touch,audio,"
check "list --json is JSON" $PY -c 'import json,sys; assert len(json.load(sys.stdin)) == 11' <<EOF2
$("$CBDIAG" list --json)
EOF2

# a report directory that cannot be made (under a file): exit 3 and the reason;
# with CBDIAG_REPORT_FALLBACK_DIR the report is kept there and says so itself
: >"$T/afile"
CBDIAG_REPORT_DIR="$T/afile/reports" "$CBDIAG" run --no-interactive --probe usb >/dev/null 2>"$T/err"
rc=$?
check "unwritable report directory without a fallback: exit 3 ($rc)" test "$rc" -eq 3
check "... and the reason on stderr" grep -q "cannot create the report directory $T/afile/reports: Not a directory" "$T/err"
CBDIAG_REPORT_DIR="$T/afile/reports" CBDIAG_REPORT_FALLBACK_DIR="$T/kept" \
	"$CBDIAG" run --no-interactive --probe usb >/dev/null 2>"$T/err"
rc=$?
k=$(ls "$T"/kept/*.json 2>/dev/null)
check "with a fallback: the run's own exit ($rc), the report kept there" test "$rc" -le 1 -a -n "$k"
check "... it validates" "$CBDIAG" validate "$k"
check "... and says where and why (report.dir_unwritable)" test "$(field "$k" 'd["findings"][0]["code"] + " " + d["findings"][0]["message"]')" = "report.dir_unwritable The report could not be saved in $T/afile/reports (Not a directory): it was kept in $k on this machine"
check "... one sentence on stderr" grep -qx "cbdiag: the report could not be saved in $T/afile/reports (Not a directory): it was kept on this machine instead" "$T/err"

# privacy: nothing from the environment or the user ends up in the report
check "no user or host name in the report" sh -c "! grep -qF '\"$(hostname)\"' '$T/r.json'"

finish
