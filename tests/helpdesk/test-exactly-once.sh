#!/bin/bash
# At most one copy on the ticket, none lost, against a stand-in for RT that
# stores a comment only seconds after it arrived (tests/helpdesk/slow-rt.py):
# cbdiag killed (kill -9) mid-POST, a client timeout shorter than the
# server's store, a server that never stores; files swapped after they were
# validated; queue directories and URLs that must be refused. No real RT:
# deterministic, about 25 s.
. "$CBDIAG_SRCDIR/tests/cli/lib.sh"
HERE=$CBDIAG_SRCDIR/tests/helpdesk
SRV_PID=
not() { ! "$@"; }
cleanup() {
	[ -n "$SRV_PID" ] && kill "$SRV_PID" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

S=$T/srv
mkdir -p "$S"
$PY "$HERE/slow-rt.py" "$T/port" "$S" &
SRV_PID=$!
for _ in $(seq 1 100); do [ -s "$T/port" ] && break; sleep 0.05; done
(umask 077 && echo "1-14-slowsecret" >"$T/token")
Q=$T/queue
cfg() { # cfg FILE URL [extra lines]
	printf '[helpdesk]\ntype = rt\nurl = %s\ntoken_file = %s\nqueue_dir = %s\n' "$2" "$T/token" "$Q" >"$1"
	printf 'connect_timeout_seconds = 2\ntimeout_seconds = 5\nresend_wait_seconds = 4\n%s' "${3:-}" >>"$1"
}
cfg "$T/rt.ini" "http://127.0.0.1:$(cat "$T/port")"
cfg "$T/down.ini" "http://127.0.0.1:1" # nothing listens there: queued at once

report() { # report SERIAL OUT
	jq --arg s "$1" --arg id "$($PY -c 'import uuid; print(uuid.uuid4())')" \
		'.device.serial = $s | .report_id = $id | .ticket = null' \
		"$CBDIAG_SRCDIR/tests/fixtures/reports/good/worn-battery.json" >"$2"
}
fname() { echo "cbdiag-$(jq -r .device.serial "$1")-$(jq -r .report_id "$1").json"; }
copies() { ls "$S/stored" | grep -c -- "-$1\$"; }
idle() { # wait until the server has stored (or dropped) everything it received
	for _ in $(seq 1 400); do [ "$(cat "$S/pending")" = 0 ] && return 0; sleep 0.05; done
	return 1
}
entries() { ls "$Q" 2>/dev/null | grep -vc '^\.'; }
posted() { # wait until a comment's whole body has reached the server
	for _ in $(seq 1 400); do compgen -G "$S/received-*" >/dev/null && return 0; sleep 0.025; done
	return 1
}

# ---- kill -9 of cbdiag mid-POST, the server still storing ------------------
# The old rule ("is it on the ticket? no: send") sent a second copy here.
report SN-KILL "$T/k.json"
expect 3 "queued as" -- attach --config "$T/down.ini" --ticket 7 "$T/k.json"
echo 2 >"$S/delay"
rm -f "$S"/received-*
"$CBDIAG" queue flush --config "$T/rt.ini" >"$T/kout" 2>&1 &
pid=$!
posted
kill -9 "$pid"
wait "$pid" 2>/dev/null
check "the entry recorded the send before it began" \
	[ "$(jq -r .sending_since "$Q"/*/entry.json)" -gt 0 ]
expect 0 "already on ticket 7; not sent again" -- queue flush --config "$T/rt.ini"
idle
check "one copy on the ticket after kill -9 mid-POST ($(copies "$(fname "$T/k.json")"))" \
	[ "$(copies "$(fname "$T/k.json")")" = 1 ]
check "nothing left in the queue" [ "$(entries)" = 0 ]

# ---- the client gives up (timeout 5 s) before the server stores (7 s) ------
report SN-SLOW "$T/s.json"
echo 7 >"$S/delay"
"$CBDIAG" attach --config "$T/rt.ini" --ticket 7 "$T/s.json" >"$T/out" 2>"$T/err"
rc=$?
[ "$rc" = 3 ] && "$CBDIAG" queue flush --config "$T/rt.ini" >>"$T/out" 2>>"$T/err"
idle
check "attached although the answer came late (exit $rc)" grep -q "answered late\|already on ticket" "$T/out" "$T/err"
check "one copy after a client timeout shorter than the store" [ "$(copies "$(fname "$T/s.json")")" = 1 ]
check "nothing left in the queue" [ "$(entries)" = 0 ]
echo 0 >"$S/delay"

# ---- the server never stores what it received: sent again, not lost --------
report SN-LOST "$T/l.json"
expect 3 "queued as" -- attach --config "$T/down.ini" --ticket 7 "$T/l.json"
echo 1 >"$S/delay"
touch "$S/drop"
rm -f "$S"/received-*
"$CBDIAG" queue flush --config "$T/rt.ini" >"$T/kout" 2>&1 &
pid=$!
posted
kill -9 "$pid"
wait "$pid" 2>/dev/null
idle
start=$(date +%s)
expect 0 "1 sent" -- queue flush --config "$T/rt.ini"
took=$(($(date +%s) - start))
check "the resend waited for the earlier send, boundedly (${took} s, resend_wait_seconds = 4)" \
	[ "$took" -ge 3 -a "$took" -le 8 ]
idle
check "a send the server lost is sent again: one copy" [ "$(copies "$(fname "$T/l.json")")" = 1 ]
echo 0 >"$S/delay"

# ---- a file swapped after it was validated is not what goes out -----------
report SN-SWAP "$T/secret.json" # stands for a root-only file elsewhere
report SN-SWAP "$T/w.json"
cp "$T/w.json" "$T/w.orig"
printf 'rm -f %s && ln -s %s %s\n' "$T/w.json" "$T/secret.json" "$T/w.json" >"$S/on-get"
expect 0 "attached to ticket 7" -- attach --config "$T/rt.ini" --ticket 7 "$T/w.json"
idle
check "attach PATH sends the bytes it validated, not the swapped-in file" \
	cmp -s "$S/stored/$(ls "$S/stored" | grep -- "-$(fname "$T/w.orig")\$")" "$T/w.orig"
check "the swapped-in file's report is not on the ticket" [ "$(copies "$(fname "$T/secret.json")")" = 0 ]
report SN-SWAP "$T/q.json"
expect 3 "queued as" -- attach --config "$T/down.ini" --ticket 7 "$T/q.json"
entry=$(ls "$Q" | grep -v '^\.')
printf 'rm -f %s && ln -s %s %s\n' "$Q/$entry/report.json" "$T/secret.json" "$Q/$entry/report.json" >"$S/on-get"
expect 0 "1 sent" -- queue flush --config "$T/rt.ini"
idle
check "a flush sends the queued bytes it validated, not the swapped-in file" \
	cmp -s "$S/stored/$(ls "$S/stored" | grep -- "-$(fname "$T/q.json")\$")" "$T/q.json"
check "... and the swapped-in file's report is still not on the ticket" [ "$(copies "$(fname "$T/secret.json")")" = 0 ]
# a report.json that is a symbolic link when the flush starts: held, not sent
report SN-LINK "$T/m.json"
expect 3 "queued as" -- attach --config "$T/down.ini" --ticket 7 "$T/m.json"
entry=$(ls "$Q" | grep -v '^\.')
ln -sf "$T/secret.json" "$Q/$entry/report.json"
expect 2 "symbolic link" -- queue flush --config "$T/rt.ini"
check "the link's target was not uploaded" [ "$(copies "$(fname "$T/secret.json")")" = 0 ]
expect 0 "removed" -- queue drop "$entry" --config "$T/rt.ini"

# ---- queue directories cbdiag must not trust --------------------------------
report SN-DIR "$T/d.json"
chmod 0777 "$Q"
expect 2 "can be written by other users (mode 0777)" -- queue flush --config "$T/rt.ini"
expect 2 "can be written by other users" -- queue list --config "$T/rt.ini"
expect 2 "the report was NOT queued" -- attach --config "$T/down.ini" --ticket 7 "$T/d.json"
chmod 0700 "$Q"
if [ "$(id -u)" = 0 ]; then
	chown 65534 "$Q"
	expect 2 "belongs to user 65534" -- queue flush --config "$T/rt.ini"
	chown 0 "$Q"
else
	echo "skip: not root, cannot give the queue directory to someone else"
fi
rm -f "$Q/.lock"
ln -s "$T/lock-target" "$Q/.lock"
expect 2 ".lock is a symbolic link" -- queue flush --config "$T/rt.ini"
check "nothing was created through the .lock link" [ ! -e "$T/lock-target" ]
rm "$Q/.lock"
expect 0 "is empty" -- queue list --config "$T/rt.ini"

# ---- the token does not travel in clear --------------------------------------
cfg "$T/clear.ini" "http://helpdesk.example.org"
expect 2 "would travel in clear; use https://" -- attach --config "$T/clear.ini" --ticket 7 "$T/d.json"
check "no queue entry for a refused URL" [ "$(entries)" = 0 ]
cfg "$T/lo.ini" "http://localhost:$(cat "$T/port")"
expect 0 "attached to ticket 7" -- attach --config "$T/lo.ini" --ticket 7 "$T/d.json"

finish
