#!/bin/sh
# Bad input gets a clear message and the documented exit code, never a crash.
. "$(dirname "$0")/lib.sh"
good="$CBDIAG_SRCDIR/tests/fixtures/reports/good/worn-battery.json"

# --- the command line
expect 2 "no command given" -- 
expect 2 "unknown command 'frobnicate'" -- frobnicate
expect 2 "unknown option '--frob'" -- --frob
expect 2 "unknown option '--frob'" -- run --frob
expect 2 "unknown option '-z'" -- run -z
expect 2 "option '--probe' needs a value" -- run --probe
expect 2 "unknown probe 'wifi'" -- run --no-interactive --probe battery,wifi
expect 2 "--probe needs at least one probe name" -- run --probe ,
expect 2 "--storage-scan takes off, quick or full" -- run --storage-scan deep
expect 2 "--format takes json or text" -- run --format xml
expect 2 "--format text cannot go with -o -" -- run --format text -o -
expect 2 "--ticket must be 1 to 64 printable" -- run --ticket "$(printf 'a\tb')"
expect 2 "unexpected argument 'extra'" -- run extra
expect 2 "Try 'cbdiag list --help'" -- list --bogus
expect 2 "no help desk is configured" -- attach r.json
expect 2 "give two reports" -- diff a.json
expect 2 "cannot open" -- diff "$T/nope.json" "$good"
expect 2 "which reports?" -- summary
expect 2 "--format takes text or html" -- show --format pdf "$good"
expect 2 "no help desk is configured" -- run --no-interactive --attach
expect 2 "cannot go to stdout" -- run --no-interactive --attach -o -
expect 0 "Usage: cbdiag run" -- run --help
expect 0 "Usage: cbdiag COMMAND" -- --help
expect 0 "cbdiag 0.1.0" -- --version

# --- -o into a missing or read-only directory: exit 3, nothing half-written
expect 3 "No such file or directory" -- run --no-interactive -o "$T/missing/dir/r.json"
check "nothing written into a missing directory" test ! -e "$T/missing"
mkdir "$T/ro"
chmod 555 "$T/ro"
if [ "$(id -u)" -eq 0 ]; then
	# root writes anywhere: test as nobody, as an intern without root would run
	if command -v setpriv >/dev/null; then
		chmod 755 "$T"
		setpriv --reuid=65534 --regid=65534 --clear-groups \
			"$CBDIAG" run --no-interactive -o "$T/ro/r.json" >"$T/out" 2>"$T/err"
		rc=$?
		check "read-only directory: exit 3 (got $rc)" test "$rc" -eq 3
		check "read-only directory: message names the problem" grep -q "Permission denied" "$T/err"
	fi
else
	expect 3 "Permission denied" -- run --no-interactive -o "$T/ro/r.json"
fi
check "nothing written into a read-only directory" test -z "$(ls -A "$T/ro")"

# --- show and validate on bad files
: >"$T/empty.json"
printf 'this is not json\n' >"$T/text.json"
printf '{"schema_version": 1, "hello": "world"}\n' >"$T/shape.json"
sed 's/"schema_version": 1/"schema_version": 7/' "$good" >"$T/newer.json"
head -c 50000000 /dev/zero | tr '\0' ' ' >"$T/big.json"
for cmd in show validate; do
	expect 2 "cannot open: No such file or directory" -- $cmd "$T/nope.json"
	expect 2 "the file is empty" -- $cmd "$T/empty.json"
	expect 2 "not valid JSON" -- $cmd "$T/text.json"
	expect 2 "the field \"report_id\" is missing" -- $cmd "$T/shape.json"
	expect 2 "newer than this cbdiag understands" -- $cmd "$T/newer.json"
	expect 2 "larger than 32 MiB are refused" -- $cmd "$T/big.json"
	expect 2 "is a directory" -- $cmd "$T"
done
expect 2 "which report?" -- show
expect 2 "one report at a time" -- show "$good" "$good"
expect 2 "" -- validate "$good" "$T/empty.json"
check "validate still reports the good file" grep -q "worn-battery.json: valid" "$T/out"
expect 0 "valid" -- validate "$good"
expect 3 "cannot write" -- show "$good" -o "$T/missing/page.txt"

# --- config
printf '[report]\nreport_dir = %s\n\n[thresholds]\nbattery.colour = 3\n' "$T" >"$T/unknown.conf"
printf '[thresholds]\nbattery.health_warn_percent = 180\n' >"$T/range.conf"
expect 2 "unknown.conf:5: key 'battery.colour' in [thresholds]: unknown threshold" -- run --no-interactive --config "$T/unknown.conf" -o "$T/r.json"
expect 2 "range.conf:2: key 'battery.health_warn_percent' in [thresholds]: '180' is out of range" -- run --no-interactive --config "$T/range.conf" -o "$T/r.json"
expect 2 "cannot read the config file" -- run --no-interactive --config "$T/none.conf"
check "no report written after a config error" test ! -e "$T/r.json"
CBDIAG_CONFIG="$T/range.conf" expect 2 "range.conf:2" -- run --no-interactive -o "$T/r.json"

# --- special files (issue 18 #7): refused unopened, never waited on or read forever
EXPECT_TIMEOUT=5
mkfifo "$T/fifo"
mkdir -p "$T/withfifo"
cp "$good" "$T/withfifo/"
mkfifo "$T/withfifo/pipe.json"
expect 2 "is a named pipe (FIFO), not a report file" -- show "$T/fifo"
expect 2 "is a named pipe (FIFO), not a report file" -- validate "$T/fifo"
expect 2 "is a character device, not a report file" -- show /dev/zero
expect 2 "is a named pipe (FIFO), not a report file" -- diff "$T/fifo" "$good"
expect 0 "pipe.json: a named pipe (FIFO), not a report file" -- summary "$T/withfifo"
check "summary over a folder with a FIFO still counts the report" grep -q "Fleet: 1 reports" "$T/out"
expect 0 "a character device, not a report file" -- summary /dev/zero "$T/withfifo"
expect 2 "the config file is a named pipe (FIFO), not a regular file" -- run --no-interactive --config "$T/fifo" -o "$T/r.json"
expect 2 "the config file is a character device, not a regular file" -- run --no-interactive --config /dev/zero -o "$T/r.json"
expect 2 "the config file is a directory, not a regular file" -- run --no-interactive --config "$T" -o "$T/r.json"
expect 2 "the config file is a named pipe (FIFO)" -- summary --config "$T/fifo" "$good"
CBDIAG_CONFIG=/dev/zero expect 2 "the config file is a character device" -- show --format html "$good"
printf '[report]\nreport_dir = %s\0evil\n' "$T" >"$T/nul.conf"
expect 2 "nul.conf:2: key 'report_dir': a NUL byte in its value" -- run --no-interactive --config "$T/nul.conf" -o "$T/r.json"
printf '[rep\0ort]\n' >"$T/nul2.conf"
expect 2 "nul2.conf:1: a NUL byte in the line" -- run --no-interactive --config "$T/nul2.conf" -o "$T/r.json"
head -c 2000000 /dev/zero | tr '\0' '#' >"$T/huge.conf"
expect 2 "the config file is larger than 1024 KiB" -- run --no-interactive --config "$T/huge.conf" -o "$T/r.json"
check "no report written after a special-file config" test ! -e "$T/r.json"
unset EXPECT_TIMEOUT

finish
