#!/bin/bash
# cbdiag attach / queue against a real Request Tracker 5 on 127.0.0.1, with a
# fresh SQLite database made inside this test (tests/helpdesk/rt.sh). Skips
# (77) when RT is not installed; never passes without it.
. "$CBDIAG_SRCDIR/tests/cli/lib.sh"
HERE=$CBDIAG_SRCDIR/tests/helpdesk
. "$HERE/rt.sh"

if ! rt_available; then
	echo "SKIP: Request Tracker 5 is not installed (README: the test set-up installs it)"
	exit 77
fi
PROXY_PID=
not() { ! "$@"; }
cleanup() {
	rt_stop
	[ -n "$PROXY_PID" ] && kill "$PROXY_PID" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

rt_init "$T/rt" || { echo "FAIL: could not make an RT database"; exit 1; }
rt_start || { echo "FAIL: RT did not start"; exit 1; }
echo "RT on $RT_URL (pid $RT_PID)"

Q=$T/queue
write_config() { # write_config FILE URL TOKEN_FILE
	cat >"$1" <<EOF
[helpdesk]
type = rt
url = $2
token_file = $3
queue = General
serial_field = Serial Number
asset_field = Asset Tag
queue_dir = $Q
connect_timeout_seconds = 3
EOF
}
CFG=$T/rt.ini
write_config "$CFG" "$RT_URL" "$RT_TOKEN_FILE"

# report SERIAL OUT [TICKET]: a valid report of the device SERIAL with a new id
report() {
	jq --arg s "$1" --arg id "$($PY -c 'import uuid; print(uuid.uuid4())')" \
		--arg t "${3:-}" \
		'.device.serial = $s | .report_id = $id | .ticket = (if $t == "" then null else $t end)' \
		"$CBDIAG_SRCDIR/tests/fixtures/reports/good/worn-battery.json" >"$2"
}
fname() { # the name cbdiag gives the report on the ticket
	echo "cbdiag-$(jq -r '.device.serial // "unknown"' "$1")-$(jq -r .report_id "$1").json"
}

# ---- attach to a given ticket, and read the bytes back ------------------
t1=$(rt_new_ticket "Chromebook SN-ONE broken" SN-ONE)
report SN-ONE "$T/one.json"
expect 0 "attached to ticket $t1" -- attach --config "$CFG" --ticket "$t1" "$T/one.json"
check "the file is on the ticket once" [ "$(rt_files "$t1" "$(fname "$T/one.json")")" = 1 ]
rt_file_bytes "$t1" "$(fname "$T/one.json")" "$T/back.json"
check "the bytes read back are the report's" cmp -s "$T/back.json" "$T/one.json"
aid=$(rt_attachments "$t1" |
	jq -rs '[.[] | select(.ContentType == "text/plain" and .Filename == "") | .id | tonumber] | max')
rt_api GET "/attachment/$aid" | jq -r .Content | base64 -d >"$T/body.txt"
check "the comment is the text rendering staff read" grep -q "Battery holds 52% of its design capacity" "$T/body.txt"
expect 0 "already on ticket $t1" -- attach --config "$CFG" --ticket "$t1" "$T/one.json"
check "attaching again does not make a second copy" [ "$(rt_files "$t1" "$(fname "$T/one.json")")" = 1 ]

# ---- the report's own ticket (run --ticket) is used without --ticket ----
report SN-ONE "$T/own.json" "$t1"
expect 0 "attached to ticket $t1" -- attach --config "$CFG" "$T/own.json"

# ---- find by serial: one, none, several; resolved tickets do not count --
t2=$(rt_new_ticket "Chromebook SN-TWO keyboard" SN-TWO)
report SN-TWO "$T/two.json"
expect 0 "attached to ticket $t2" -- attach --config "$CFG" "$T/two.json"
report SN-NONE "$T/none.json"
expect 2 "no open ticket for device SN-NONE" -- attach --config "$CFG" "$T/none.json"
check "nothing queued for a report without a ticket" [ -z "$(ls "$Q" 2>/dev/null)" ]
t3=$(rt_new_ticket "Chromebook SN-TWO again" SN-TWO)
report SN-TWO "$T/two-b.json"
expect 2 "2 open tickets match device SN-TWO: $t2, $t3" -- attach --config "$CFG" "$T/two-b.json"
rt_api PUT "/ticket/$t3" -H 'Content-Type: application/json' -d '{"Status":"resolved"}' >/dev/null
expect 0 "attached to ticket $t2" -- attach --config "$CFG" "$T/two-b.json"

# ---- --create: a ticket whose subject names the device and what failed --
report SN-NEW "$T/new.json"
expect 0 "attached to ticket" -- attach --config "$CFG" --create "$T/new.json"
tn=$(grep -o 'attached to ticket [0-9]*' "$T/out" | grep -o '[0-9]*$')
subj=$(rt_api GET "/ticket/$tn" | jq -r .Subject)
check "new ticket's subject names device and failure ($subj)" \
	[ "$subj" = "Chromebook SN-NEW: Battery holds 52% of its design capacity" ]
check "the new ticket holds the serial in its custom field" \
	[ "$(rt_api GET "/tickets?query=$(jq -rn --arg q "'CF.{Serial Number}' = 'SN-NEW'" '$q|@uri')" | jq -r '.items[0].id')" = "$tn" ]
check "the new ticket holds the report" [ "$(rt_files "$tn" "$(fname "$T/new.json")")" = 1 ]
expect 2 "cannot be used with --ticket" -- attach --config "$CFG" --create --ticket 1 "$T/new.json"
# RT accepts an unknown custom field on create without a word: cbdiag looks
sed 's/^serial_field = .*/serial_field = No Such Field/' "$CFG" >"$T/nocf.ini"
report SN-NOCF "$T/nocf.json"
expect 0 "does RT have the ticket custom field 'No Such Field'" -- attach --config "$T/nocf.ini" --create "$T/nocf.json"

# ---- a ticket that does not exist: refused, not queued ------------------
report SN-ONE "$T/missing.json"
expect 2 "ticket 99999 does not exist" -- attach --config "$CFG" --ticket 99999 "$T/missing.json"
expect 2 "not a Request Tracker ticket number" -- attach --config "$CFG" --ticket abc "$T/missing.json"

# ---- tokens: refused by RT, or too readable to be used -----------------
(umask 077 && echo "1-99-0123456789abcdef0123456789abcdef" >"$T/bad.token")
write_config "$T/bad.ini" "$RT_URL" "$T/bad.token"
expect 2 "refused the token" -- attach --config "$T/bad.ini" --ticket "$t1" "$T/missing.json"
check "the token is not printed" not grep -q 0123456789abcdef "$T/err" "$T/out"
cp "$RT_TOKEN_FILE" "$T/open.token" && chmod 644 "$T/open.token"
write_config "$T/open.ini" "$RT_URL" "$T/open.token"
expect 2 "can be read or changed by other users" -- attach --config "$T/open.ini" --ticket "$t1" "$T/missing.json"
check "a readable token is not printed either" not grep -qF "$(cat "$RT_TOKEN_FILE")" "$T/err" "$T/out"
printf '[helpdesk]\ntype = rt\nurl = %s\nqueue_dir = %s\n' "$RT_URL" "$Q" >"$T/notoken.ini"
expect 2 "needs token_file" -- attach --config "$T/notoken.ini" --ticket "$t1" "$T/missing.json"

# ---- server stopped: queued (exit 3); back: flushed, attached once -----
rt_stop
report SN-ONE "$T/offline.json"
expect 3 "queued as" -- attach --config "$CFG" --ticket "$t1" "$T/offline.json"
expect 0 "$(fname "$T/offline.json")" -- queue list --config "$CFG"
check "queue list says it waits for the help desk" grep -q "waiting for the help desk" "$T/out"
expect 0 "" -- queue list --json --config "$CFG"
check "queue list --json names the ticket" [ "$(jq -r '.[0].ticket' "$T/out")" = "$t1" ]
check "the token never lands in the queue" not grep -rqF "$(cat "$RT_TOKEN_FILE")" "$Q"
expect 3 "could not be reached" -- queue flush --config "$CFG"
rt_start || { echo "FAIL: RT did not restart"; exit 1; }
expect 0 "1 sent, 0 waiting" -- queue flush --config "$CFG"
check "the queued report is on the ticket once" [ "$(rt_files "$t1" "$(fname "$T/offline.json")")" = 1 ]
expect 0 "is empty" -- queue list --config "$CFG"

# ---- a queued report for a ticket that does not exist: held, exit 2 -----
report SN-ONE "$T/held.json"
rt_stop
expect 3 "queued as" -- attach --config "$CFG" --ticket 99999 "$T/held.json"
rt_start || exit 1
expect 2 "0 sent, 0 waiting for the help desk, 1 waiting for a person" -- queue flush --config "$CFG"
expect 0 "WAITING FOR A PERSON" -- queue list --config "$CFG"
check "queue list shows why" grep -q "ticket 99999 does not exist" "$T/out"
entry=$(jq -r '.[0].entry' < <("$CBDIAG" queue list --json --config "$CFG"))
expect 0 "removed from the queue" -- queue drop "$entry" --config "$CFG"
expect 2 "no entry" -- queue drop "$entry" --config "$CFG"

# ---- RT killed (kill -9) between the post and the dequeue ---------------
# The proxy relays to RT and kills it (and its workers) right after the
# comment with the report was answered: the report is on the ticket, cbdiag
# never saw it verified, so it stays queued. The next flush must find it on
# the ticket and not post it again.
report SN-ONE "$T/crash.json"
rt_stop
expect 3 "queued as" -- attach --config "$CFG" --ticket "$t1" "$T/crash.json"
rt_start || exit 1
PPORT=$(rt_free_port)
echo "$RT_PID" >"$T/rt.pid"
$PY "$HERE/killer-proxy.py" "$PPORT" "$RT_PORT" "$T/rt.pid" "$T/proxy.ready" &
PROXY_PID=$!
for _ in $(seq 1 100); do [ -e "$T/proxy.ready" ] && break; sleep 0.05; done
write_config "$T/proxy.ini" "http://127.0.0.1:$PPORT" "$RT_TOKEN_FILE"
expect 3 "could not be reached" -- queue flush --config "$T/proxy.ini"
wait "$PROXY_PID" 2>/dev/null
PROXY_PID=
wait "$RT_PID" 2>/dev/null
rc=$?
check "RT was killed by the proxy (exit $rc)" [ "$rc" = 137 ]
RT_PID=
check "the entry is still queued" [ "$(ls "$Q" | grep -vc '^\.')" = 1 ]
rt_start || exit 1
check "the report reached the ticket before the kill" [ "$(rt_files "$t1" "$(fname "$T/crash.json")")" = 1 ]
expect 0 "already on ticket $t1; not sent again" -- queue flush --config "$CFG"
check "exactly one copy after the next flush" [ "$(rt_files "$t1" "$(fname "$T/crash.json")")" = 1 ]
expect 0 "is empty" -- queue list --config "$CFG"

# ---- the same, with cbdiag itself killed between post and dequeue ------
report SN-ONE "$T/crash2.json"
rt_stop
expect 3 "queued as" -- attach --config "$CFG" --ticket "$t1" "$T/crash2.json"
rt_start || exit 1
rm -f "$T/proxy.ready"
$PY "$HERE/killer-proxy.py" "$PPORT" "$RT_PORT" "$T/cbdiag.pid" "$T/proxy.ready" &
PROXY_PID=$!
for _ in $(seq 1 100); do [ -e "$T/proxy.ready" ] && break; sleep 0.05; done
# the process writes its own pid before it becomes cbdiag (exec): the proxy
# can never read a stale one, however late the shell would have written it
rm -f "$T/cbdiag.pid"
sh -c 'echo $$ >"$1"; shift; exec "$@"' sh "$T/cbdiag.pid" \
	"$CBDIAG" queue flush --config "$T/proxy.ini" >"$T/out" 2>"$T/err" &
wait $! 2>/dev/null
rc=$?
wait "$PROXY_PID" 2>/dev/null
PROXY_PID=
check "cbdiag was killed mid-flush (exit $rc)" [ "$rc" = 137 ] || { echo "  its stderr:"; sed "s/^/    /" "$T/err"; cat "$T/out"; }
check "the killed flush left its entry queued" [ "$(ls "$Q" | grep -vc '^\.')" = 1 ]
expect 0 "not sent again" -- queue flush --config "$CFG"
check "exactly one copy after cbdiag was killed" [ "$(rt_files "$t1" "$(fname "$T/crash2.json")")" = 1 ]

# ---- a 20 MB report ----------------------------------------------------
$PY - "$T/big.json" <<'EOF'
import json, sys, uuid
src = sys.argv[1]
r = json.load(open(__import__("os").environ["CBDIAG_SRCDIR"] + "/tests/fixtures/reports/good/worn-battery.json"))
dev = {"bus": 1, "port_path": "1-2", "vendor_id": "18d1", "product_id": "5002", "vendor": "Google Inc.",
       "product": "Hammer", "speed_mbps": 480, "class": "hub", "internal": False}
r["probes"]["usb"]["data"] = {"devices": [dict(dev, port_path="1-%d" % i) for i in range(82000)],
                              "ports": [], "port_test": None}
r["device"]["serial"] = "SN-BIG"
r["report_id"] = str(uuid.uuid4())
json.dump(r, open(src, "w"), indent=1)
EOF
size=$(stat -c %s "$T/big.json")
check "the big report is about 20 MB ($size bytes)" [ "$size" -gt 19000000 ]
expect 0 "attached to ticket $t1" -- attach --config "$CFG" --ticket "$t1" "$T/big.json"
rt_file_bytes "$t1" "$(fname "$T/big.json")" "$T/big-back.json"
check "the 20 MB report reads back byte for byte" cmp -s "$T/big-back.json" "$T/big.json"

# ---- run --attach: what waits goes first, then the new report ------------
rt_stop
report SN-ONE "$T/early.json"
expect 3 "queued as" -- attach --config "$CFG" --ticket "$t1" "$T/early.json"
rt_start || exit 1
"$CBDIAG" run --no-interactive --probe usb,battery --ticket "$t1" --attach --config "$CFG" \
	-o "$T/run.json" >"$T/out" 2>"$T/err"
rc=$?
check "run --attach wrote its report (exit $rc)" "$CBDIAG" validate "$T/run.json"
check "run --attach sent the queued report first" \
	[ "$(grep -n -e "$(fname "$T/early.json")" -e "attached to ticket" "$T/err" "$T/out" | head -1 | grep -c "$(fname "$T/early.json")")" = 1 ]
check "the queued report is on the ticket once" [ "$(rt_files "$t1" "$(fname "$T/early.json")")" = 1 ]
check "the run's report is on the ticket once" [ "$(rt_files "$t1" "$(fname "$T/run.json")")" = 1 ]
rt_file_bytes "$t1" "$(fname "$T/run.json")" "$T/run-back.json"
check "the run's report reads back byte for byte" cmp -s "$T/run-back.json" "$T/run.json"
rt_stop
"$CBDIAG" run --no-interactive --probe usb --ticket "$t1" --attach --config "$CFG" \
	-o "$T/run2.json" >"$T/out" 2>"$T/err"
rc=$?
check "run --attach with the help desk down queues the report" grep -q "queued as" "$T/err"
check "... and exits 3 unless a part failed (exit $rc)" [ "$rc" = 3 -o "$rc" = 1 ]
rt_start || exit 1
expect 0 "1 sent" -- queue flush --config "$CFG"

# ---- connection reuse: a flush of 20 reports -----------------------------
rt_stop
for i in $(seq 1 20); do
	report SN-ONE "$T/many-$i.json"
	"$CBDIAG" attach --config "$CFG" --ticket "$t1" "$T/many-$i.json" >/dev/null 2>&1
done
check "20 reports queued" [ "$(ls "$Q" | grep -vc '^\.')" = 20 ]
# RT's own server (Starlet) closes after every answer unless told otherwise;
# behind Apache or nginx keep-alive is the norm.
"$RT_SERVER" --host 127.0.0.1 --port "$RT_PORT" --max-workers 2 --max-keepalive-reqs 1000 \
	--keepalive-timeout 10 >>"$RT_WORK/server.log" 2>&1 &
RT_PID=$!
for _ in $(seq 1 240); do
	[ "$(rt_api GET /rt -o /dev/null -w '%{http_code}')" = 200 ] && break
	sleep 0.25
done
CBDIAG_HTTP_STATS=1 expect 0 "20 sent, 0 waiting" -- queue flush --config "$CFG"
conns=$(grep -o 'over [0-9]* connections' "$T/err" | grep -o '[0-9]*')
check "the flush reused its connection (${conns:-?} connections for 20 reports)" \
	[ "${conns:-99}" -le 3 ]
for i in 1 20; do
	check "report $i of 20 is on the ticket once" [ "$(rt_files "$t1" "$(fname "$T/many-$i.json")")" = 1 ]
done


# ---- the fleet view where the reports are: summary --helpdesk ------------
# every cbdiag report file on RT, as RT itself lists them (distinct names)
rt_report_names() {
	local q page=1 pages=1 out
	q=$(jq -rn '[{field:"Filename",operator:"LIKE",value:"cbdiag-"}] | tostring | @uri')
	while [ "$page" -le "$pages" ]; do
		out=$(rt_api GET "/attachments?query=$q&fields=Filename&per_page=100&page=$page")
		pages=$(jq -r '.pages // 1' <<<"$out")
		jq -r '.items[].Filename | select(endswith(".json"))' <<<"$out"
		page=$((page + 1))
	done | sort -u
}
# a report whose text is not all ASCII (a trademark sign, accents): RT's
# listing cannot carry it exactly, so it is read on its own (hd-rt.c)
jq --arg id "$($PY -c 'import uuid; print(uuid.uuid4())')" \
	'.report_id = $id | .device.model = "Lenovo\u2122 100e \u00d1and\u00fa"' \
	"$CBDIAG_SRCDIR/tests/fixtures/reports/good/worn-battery.json" >"$T/utf8.json"
utf8_name=$(fname "$T/utf8.json")
rt_api POST "/ticket/$t1/comment" -F 'JSON={"Content":"utf8","ContentType":"text/plain"};type=application/json' \
	-F "Attachments=@$T/utf8.json;filename=$utf8_name;type=application/json" >/dev/null
C=$T/cache
n=$(rt_report_names | wc -l)
check "RT holds cbdiag's reports to summarise ($n)" [ "$n" -ge 20 ]
expect 0 "$n new reports from the help desk" -- summary --helpdesk --config "$CFG" --cache "$C" --json
check "summary --helpdesk: every report file on RT is in the cache" \
	[ "$(ls "$C" | grep -c '^cbdiag-.*\.json$')" = "$n" ]
check "... and counted ($(jq .reports "$T/out") of $n)" [ "$(jq .reports "$T/out")" = "$n" ]
check "the report that is not all ASCII came byte for byte" cmp -s "$C/$utf8_name" "$T/utf8.json"
same_as_rt() { # every cached file is RT's attachment byte for byte (read alone, base64)
	local f q aid k=0
	for f in "$C"/cbdiag-*.json; do
		q=$(jq -rn --arg n "$(basename "$f")" '[{field:"Filename",operator:"=",value:$n}] | tostring | @uri')
		aid=$(rt_api GET "/attachments?query=$q&fields=Filename" | jq -r '[.items[].id | tonumber] | min')
		rt_api GET "/attachment/$aid" | jq -r .Content | base64 -d >"$T/rt-bytes" || return 1
		cmp -s "$f" "$T/rt-bytes" || { echo "    $f differs from RT's attachment $aid"; return 1; }
		k=$((k + 1))
	done
	echo "    $k files compared"
	[ "$k" -ge 20 ]
}
check "the reports taken from RT's pages are RT's files byte for byte" same_as_rt
# again: only what is new, i.e. nothing
expect 0 "0 new reports from the help desk" -- summary --helpdesk --config "$CFG" --cache "$C" --json
check "the second fetch counts the same reports" [ "$(jq .reports "$T/out")" = "$n" ]
# a file named like a report that is not one, and a report attached a second time
printf 'not a report' >"$T/junk"
rt_api POST "/ticket/$t1/comment" -F 'JSON={"Content":"junk","ContentType":"text/plain"};type=application/json' \
	-F "Attachments=@$T/junk;filename=cbdiag-junk.json;type=application/json" >/dev/null
rt_api POST "/ticket/$t1/comment" -F 'JSON={"Content":"again","ContentType":"text/plain"};type=application/json' \
	-F "Attachments=@$T/one.json;filename=$(fname "$T/one.json");type=application/json" >/dev/null
expect 0 "1 new report from the help desk, 1 attached more than once (counted once)" -- \
	summary --helpdesk --config "$CFG" --cache "$C" --json
check "a report attached twice counts once ($(jq .reports "$T/out"))" [ "$(jq .reports "$T/out")" = "$n" ]
check "the file that is not a report is listed as skipped" \
	jq -e '[.skipped[] | select(.path | endswith("cbdiag-junk.json"))] | length == 1' "$T/out"
# a report with a NUL byte after it: the listing's text would be cut at the
# NUL (a valid report); the file is read alone instead, as RT holds it
{ cat "$T/one.json"; printf '\000tail'; } >"$T/nul.json"
rt_api POST "/ticket/$t1/comment" -F 'JSON={"Content":"nul","ContentType":"text/plain"};type=application/json' \
	-F "Attachments=@$T/nul.json;filename=cbdiag-SN-NUL-1.json;type=application/json" >/dev/null
expect 0 "1 new report from the help desk" -- summary --helpdesk --config "$CFG" --cache "$C" --json
check "a file with a NUL byte is cached as RT holds it, not cut at the NUL" cmp -s "$C/cbdiag-SN-NUL-1.json" "$T/nul.json"
check "... and skipped, not counted ($(jq .reports "$T/out"))" [ "$(jq .reports "$T/out")" = "$n" ]
# the help desk down: said, and the summary of what was fetched before (exit 3)
rt_stop
expect 3 "the summary covers the reports fetched before" -- \
	summary --helpdesk --config "$CFG" --cache "$C" --json
check "... which still counts $n reports" [ "$(jq .reports "$T/out")" = "$n" ]
# a help desk that cannot be read back
printf '[helpdesk]\ntype = webhook\nurl = https://127.0.0.1:9/\ntoken_file = %s\n' "$RT_TOKEN_FILE" >"$T/hook.ini"
expect 2 "cannot be read back" -- summary --helpdesk --config "$T/hook.ini" --cache "$C"

finish
