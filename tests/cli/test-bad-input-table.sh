#!/bin/sh
# The bad-input table of docs/reliability.md ("Bad input"): each row is one
# hostile or broken input, its documented exit code, within ROW_TIMEOUT
# seconds (default 3; a hang fails), with no crash and nothing written where
# nothing should be (each row runs in an empty folder that must stay empty,
# with the report folder pointed into it).
#   BAD_INPUT_TABLE_MD=FILE  also write the rows and measured results as a
#                            Markdown table (what docs/reliability.md shows)
. "$(dirname "$0")/lib.sh"
ROW_TIMEOUT=${ROW_TIMEOUT:-3}
g="$CBDIAG_SRCDIR/tests/fixtures/reports/good"
good="$g/worn-battery.json"
F="$T/in"  # the bad inputs
C="$T/cwd" # where each row runs: must stay empty
mkdir -p "$F" "$C"
md=${BAD_INPUT_TABLE_MD:-/dev/null}
printf '| # | input | command | exit | time |\n|---|---|---|---|---|\n' >"$md"
n=0
max_ms=0

# row EXIT "INPUT" [VAR=VALUE...] -- ARGS...: one row of the table
row() {
	want=$1 what=$2
	shift 2
	envs=""
	while [ "$1" != "--" ]; do envs="$envs $1"; shift; done
	shift
	n=$((n + 1))
	t0=$(date +%s%3N)
	(cd "$C" && env CBDIAG_REPORT_DIR="$C/reports" $envs \
		timeout -k 1 "$ROW_TIMEOUT" "$CBDIAG" "$@" >"$T/out" 2>"$T/err" </dev/null)
	rc=$?
	ms=$(( $(date +%s%3N) - t0 ))
	[ "$ms" -gt "$max_ms" ] && max_ms=$ms
	# for the log and the table: short, printable, without our temporary paths
	args=$(printf '%s' "$*" | sed "s|$F/||g; s|$T/||g; s|$CBDIAG_SRCDIR/tests/fixtures/reports/||g" |
		LC_ALL=C tr -c '[:print:]' '?' | cut -c1-70)
	res="ok"
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		res="HUNG (killed after $ROW_TIMEOUT s)"
	elif [ "$rc" -ne "$want" ]; then
		res="exit $rc, want $want"
	elif grep -q 'AddressSanitizer\|runtime error\|Segmentation\|core dumped' "$T/err"; then
		res="crashed"
	elif [ "$rc" -ne 0 ] && [ ! -s "$T/err" ]; then
		res="no message"
	elif [ -n "$(ls -A "$C")" ]; then
		res="wrote $(ls -A "$C" | head -3 | tr '\n' ' ')"
	fi
	rm -rf "$C" && mkdir -p "$C"
	if [ "$res" = ok ]; then
		echo "ok   $n $what: cbdiag $args -> $rc (${ms} ms)"
		passed=$((passed + 1))
	else
		echo "FAIL $n $what: cbdiag $args: $res"
		sed 's/^/    /' "$T/err" | head -3
		failed=$((failed + 1))
	fi
	printf '| %d | %s | `cbdiag %s` | %s | %s |\n' "$n" "$what" "$args" \
		"$([ "$res" = ok ] && echo "$rc" || echo "**$res**")" "${ms} ms" >>"$md"
}

# ---- the inputs ----------------------------------------------------------
mkfifo "$F/fifo" "$F/fifo.conf"
ln -s "$F/fifo" "$F/link-to-fifo.json"
mkdir -p "$F/folder-with-fifo" "$F/dir.json"
cp "$good" "$F/folder-with-fifo/"
mkfifo "$F/folder-with-fifo/pipe.json"
$PY -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$F/socket.json"
: >"$F/empty.json"
printf 'this is not json\n' >"$F/text.json"
head -c 1000 "$good" >"$F/truncated.json"
{ cat "$good"; printf '{"more": 1}\n'; } >"$F/trailing.json"
head -c 50000000 /dev/zero | tr '\0' ' ' >"$F/50mb-spaces.json"
truncate -s 1T "$F/sparse-1tb.json"
$PY - "$good" "$F" <<'PY'
import json, os, sys
src, d = sys.argv[1], sys.argv[2]
g = open(src, "rb").read()
def put(name, data):
    open(os.path.join(d, name), "wb").write(data if isinstance(data, bytes) else data.encode())
def variant(name, fn):
    doc = json.loads(g)
    fn(doc)
    put(name, json.dumps(doc))
put("33mb-string.json", '{"schema_version": 1, "x": "' + "a" * (33 << 20) + '"}')
put("nest-100k.json", "[" * 100000 + "]" * 100000)
put("nest-obj-5k.json", '{"a":' * 5000 + "1" + "}" * 5000)
put("bad-utf8.json", g.replace(b"Morphius", b"Morph\xff\xfeius"))
put("nul-byte.json", g.replace(b"Morphius", b"Morph\x00ius"))
put("top-array.json", "[" + g.decode() + "]")
put("overlong-utf8.json", g.replace(b"Morphius", b"Morph\xc0\xafius"))
put("number-1e999.json", g.replace(b'"duration_ms": 812', b'"duration_ms": 1e999'))
put("utf16.json", g.decode().encode("utf-16"))
variant("version-string.json", lambda d: d.update(schema_version="1"))
variant("version-7.json", lambda d: d.update(schema_version=7))
variant("id-number.json", lambda d: d.update(report_id=42))
variant("no-id.json", lambda d: d.pop("report_id"))
variant("probes-array.json", lambda d: d.update(probes=[]))
variant("status-great.json", lambda d: d["probes"]["battery"].update(status="great"))
variant("count-negative.json", lambda d: d["counts"].update({"pass": -1}))
variant("duration-negative.json", lambda d: d.update(duration_ms=-1))
variant("findings-object.json", lambda d: d["probes"]["battery"].update(findings={}))
variant("device-null.json", lambda d: d.update(device=None))
variant("date-yesterday.json", lambda d: d.update(started_at="yesterday"))
variant("summary-2k.json", lambda d: d["probes"]["battery"].update(summary="x" * 2000))
variant("severity-bad.json", lambda d: d["probes"]["battery"]["findings"][0].update(severity="ouch"))
variant("overall-bad.json", lambda d: d.update(overall="\u009b2J"))
PY
printf '[report]\nreport_dir = x\n\n[thresholds]\nbattery.colour = 3\n' >"$F/unknown-key.conf"
printf '[thresholds]\nbattery.health_warn_percent = 180\n' >"$F/range.conf"
printf '[thresholds]\nbattery.health_warn_percent = lots\n' >"$F/nan.conf"
printf '[thresholds]\nbattery.health_warn_percent = 50\nbattery.health_fail_percent = 70\n' >"$F/fail-above-warn.conf"
printf '[report]\nreport_dir = /tmp\0evil\n' >"$F/nul-value.conf"
printf '[report]\njust some words\n' >"$F/no-equals.conf"
printf '[mystery]\nkey = 1\n' >"$F/unknown-section.conf"
printf '[run]\nprobe_timeout_seconds = 1e9\n' >"$F/timeout-huge.conf"
head -c 2000000 /dev/zero | tr '\0' '#' >"$F/2mb.conf"
long=$($PY -c 'print("n" * 300)')

# ---- special files --------------------------------------------------------
row 2 "a named pipe (FIFO) as a report" -- show "$F/fifo"
row 2 "a FIFO to validate" -- validate "$F/fifo"
row 2 "a FIFO as diff's first report" -- diff "$F/fifo" "$good"
row 2 "a symbolic link to a FIFO" -- show "$F/link-to-fifo.json"
row 2 "/dev/zero as a report" -- show /dev/zero
row 2 "/dev/null as a report" -- validate /dev/null
row 2 "a socket as a report" -- show "$F/socket.json"
row 2 "a directory named *.json" -- validate "$F/dir.json"
row 0 "summary over a folder holding a FIFO (skipped, listed)" -- summary "$F/folder-with-fifo"
row 0 "summary of /dev/zero and a folder (skipped, listed)" -- summary /dev/zero "$F/folder-with-fifo"
row 2 "a FIFO as --config" -- run --no-interactive --config "$F/fifo.conf" -o "$C/r.json"
row 2 "/dev/zero as --config" -- run --no-interactive --config /dev/zero -o "$C/r.json"
row 2 "a directory as --config" -- run --no-interactive --config "$F" -o "$C/r.json"
row 2 "/dev/zero as \$CBDIAG_CONFIG" CBDIAG_CONFIG=/dev/zero -- show --format html "$good"
row 2 "a FIFO as summary's --config" -- summary --config "$F/fifo.conf" "$good"
row 3 "show -o into a directory" -- show "$good" -o "$F"
# ---- huge -----------------------------------------------------------------
row 2 "50 MB of spaces" -- show "$F/50mb-spaces.json"
row 2 "a 33 MiB JSON string" -- validate "$F/33mb-string.json"
row 2 "a sparse 1 TB file" -- validate "$F/sparse-1tb.json"
row 2 "a 2 MB config file" -- run --no-interactive --config "$F/2mb.conf" -o "$C/r.json"
row 2 "a 2000-character summary" -- validate "$F/summary-2k.json"
# ---- deeply nested --------------------------------------------------------
row 2 "100,000 nested arrays" -- validate "$F/nest-100k.json"
row 2 "5,000 nested objects" -- show "$F/nest-obj-5k.json"
row 2 "100,000 nested arrays to diff" -- diff "$good" "$F/nest-100k.json"
row 0 "100,000 nested arrays in a summary (skipped)" -- summary "$F/nest-100k.json" "$good"
# ---- malformed ------------------------------------------------------------
row 2 "an empty file" -- validate "$F/empty.json"
row 2 "text, not JSON" -- show "$F/text.json"
row 2 "a truncated report" -- validate "$F/truncated.json"
row 2 "a report and more JSON after it" -- validate "$F/trailing.json"
row 2 "invalid UTF-8 in a string" -- validate "$F/bad-utf8.json"
row 2 "an overlong UTF-8 sequence" -- show "$F/overlong-utf8.json"
row 2 "a NUL byte in a string" -- validate "$F/nul-byte.json"
row 2 "UTF-16 text" -- validate "$F/utf16.json"
row 2 "a JSON array, not an object" -- validate "$F/top-array.json"
row 2 "a number of 1e999" -- validate "$F/number-1e999.json"
# ---- wrong types and values -----------------------------------------------
row 2 "schema_version \"1\" (a string)" -- validate "$F/version-string.json"
row 2 "schema_version 7 (newer)" -- show "$F/version-7.json"
row 2 "report_id 42 (a number)" -- validate "$F/id-number.json"
row 2 "no report_id" -- validate "$F/no-id.json"
row 2 "probes as an array" -- validate "$F/probes-array.json"
row 2 "a status of \"great\"" -- show "$F/status-great.json"
row 2 "a negative count" -- validate "$F/count-negative.json"
row 2 "a negative duration" -- validate "$F/duration-negative.json"
row 2 "findings as an object" -- validate "$F/findings-object.json"
row 2 "device null" -- show "$F/device-null.json"
row 2 "started_at \"yesterday\"" -- validate "$F/date-yesterday.json"
row 2 "a finding severity of \"ouch\"" -- validate "$F/severity-bad.json"
row 2 "an overall of U+009B 2J" -- validate "$F/overall-bad.json"
row 2 "diff with a broken second report" -- diff "$good" "$F/status-great.json"
# ---- bad configs ----------------------------------------------------------
row 2 "an unknown threshold" -- run --no-interactive --config "$F/unknown-key.conf" -o "$C/r.json"
row 2 "a threshold out of range" -- run --no-interactive --config "$F/range.conf" -o "$C/r.json"
row 2 "a threshold that is not a number" -- summary --config "$F/nan.conf" "$good"
row 2 "a fail line above its warn line" -- run --no-interactive --config "$F/fail-above-warn.conf" -o "$C/r.json"
row 2 "a NUL byte in a config value" -- run --no-interactive --config "$F/nul-value.conf" -o "$C/r.json"
row 2 "a config line without '='" -- run --no-interactive --config "$F/no-equals.conf" -o "$C/r.json"
row 2 "an unknown config section" -- run --no-interactive --config "$F/unknown-section.conf" -o "$C/r.json"
row 2 "a probe timeout of 1e9 seconds" -- run --no-interactive --config "$F/timeout-huge.conf" -o "$C/r.json"
row 2 "a config file that is not there" -- run --no-interactive --config "$F/none.conf" -o "$C/r.json"
# ---- long and odd names and labels ----------------------------------------
row 3 "-o with a 300-character file name" -- run --no-interactive --probe battery -o "$C/$long.json"
row 2 "a report path of 5,000 characters" -- validate "$($PY -c 'print("/x" * 2500)')"
row 2 "a 65-character --ticket" -- run --no-interactive --ticket "$($PY -c 'print("7" * 65)')"
row 2 "a --tech with an escape character" -- run --no-interactive --tech "$(printf 'a\033[2Jb')"
row 2 "an empty --asset" -- run --no-interactive --asset ""
row 2 "100 names in --probe, the last unknown" -- run --no-interactive --probe "$($PY -c 'print(",".join(["battery"] * 100))')x"
row 2 "an unknown probe with a C1 control" -- run --no-interactive --probe "$(printf 'wifi\302\2332J')"

echo "$n rows, slowest ${max_ms} ms"
[ "$n" -ge 49 ] || { echo "FAIL: only $n rows, the table promises 49 or more"; failed=$((failed + 1)); }
finish
