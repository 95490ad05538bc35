#!/bin/bash
# The token does not linger in freed memory (cbdiag's own copies are zeroed
# before free()), the process is not dumpable while it holds the token, and
# the token never lands in a message or the queue. free() is watched by an
# LD_PRELOAD shim (tests/helpdesk/free-scan.c); skipped under sanitizers,
# whose runtime must come first.
. "$CBDIAG_SRCDIR/tests/cli/lib.sh"
HERE=$CBDIAG_SRCDIR/tests/helpdesk
SHIM=${FREE_SCAN_SHIM:-}
if [ -z "$SHIM" ]; then
	echo "SKIP: a sanitizer build (the free() watcher is not built; its runtime must come first)"
	exit 77
fi
[ -f "$SHIM" ] || { echo "FAIL: no $SHIM"; exit 1; }
SRV_PID=
cleanup() {
	[ -n "$SRV_PID" ] && kill "$SRV_PID" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
if ldd "$CBDIAG" | grep -q 'libasan\|libubsan\|libtsan'; then
	echo "SKIP: a sanitizer build; its runtime must be preloaded first"
	exit 77
fi

mkdir -p "$T/srv"
$PY "$HERE/slow-rt.py" "$T/port" "$T/srv" &
SRV_PID=$!
for _ in $(seq 1 100); do [ -s "$T/port" ] && break; sleep 0.05; done
TOKEN=1-14-tokenmemory0123456789abcdef
(umask 077 && echo "$TOKEN" >"$T/token")
printf '[helpdesk]\ntype = rt\nurl = http://127.0.0.1:%s\ntoken_file = %s\nqueue_dir = %s\n' \
	"$(cat "$T/port")" "$T/token" "$T/q" >"$T/rt.ini"
printf '[helpdesk]\ntype = rt\nurl = http://127.0.0.1:1\ntoken_file = %s\nqueue_dir = %s\n' \
	"$T/token" "$T/q" >"$T/down.ini"
jq '.report_id = "0b7e3e9a-3f0e-4d5b-9a52-2f7a4a1f7c11" | .ticket = null' \
	"$CBDIAG_SRCDIR/tests/fixtures/reports/good/worn-battery.json" >"$T/r.json"

not() { ! "$@"; }
not_left() { ! grep -q 'free-scan: LEFT' "$T/err"; }
scan() { # scan ARGS...: cbdiag under the shim; its stderr in $T/err
	LD_PRELOAD=$SHIM FREE_SCAN_TOKEN=$TOKEN "$CBDIAG" "$@" >"$T/out" 2>"$T/err"
}
scan attach --config "$T/down.ini" --ticket 7 "$T/r.json"
check "queued while the help desk is down (exit $?)" grep -q "queued as" "$T/err"
check "no copy of the token freed without being zeroed (attach, unreachable)" not_left
scan queue flush --config "$T/rt.ini"
check "flushed (three requests with the token)" grep -q "1 sent" "$T/err"
check "no copy of the token freed without being zeroed (flush)" not_left
# the shim works: it sees libcurl's request buffers, which hold the token
curl_left=$(grep -c 'free-scan: libcurl' "$T/err")
check "the shim sees the token in freed memory at all ($curl_left of libcurl's buffers)" \
	[ "$curl_left" -gt 0 ]
scan attach --config "$T/rt.ini" --ticket 7 "$T/r.json"
check "attach found it there" grep -q "already on ticket 7" "$T/out"
check "no copy of the token freed without being zeroed (attach)" not_left
check "the token is in no message" not grep -qF "$TOKEN" "$T/out" "$T/err"
check "the token is not in the queue" not grep -rqF "$TOKEN" "$T/q"
finish
