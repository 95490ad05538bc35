#!/bin/bash
# The two simple backends: type = webhook against a small local HTTP endpoint
# (tests/helpdesk/fake-webhook.py) that can be told to answer 500, and
# type = folder against a directory that comes and goes. Plus the
# configuration errors every backend shares.
. "$CBDIAG_SRCDIR/tests/cli/lib.sh"
HERE=$CBDIAG_SRCDIR/tests/helpdesk
HOOK_PID=
not() { ! "$@"; }
cleanup() {
	[ -n "$HOOK_PID" ] && kill "$HOOK_PID" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

report() { # report SERIAL OUT [TICKET]
	jq --arg s "$1" --arg id "$($PY -c 'import uuid; print(uuid.uuid4())')" --arg t "${3:-}" \
		'.device.serial = $s | .report_id = $id | .ticket = (if $t == "" then null else $t end)' \
		"$CBDIAG_SRCDIR/tests/fixtures/reports/good/worn-battery.json" >"$2"
}
fname() { echo "cbdiag-$(jq -r '.device.serial // "unknown"' "$1")-$(jq -r .report_id "$1").json"; }
entries() { ls "$1" 2>/dev/null | grep -vc '^\.'; }

# ---- webhook ------------------------------------------------------------
mkdir -p "$T/hook"
$PY "$HERE/fake-webhook.py" "$T/hook.port" "$T/hook" &
HOOK_PID=$!
for _ in $(seq 1 100); do [ -s "$T/hook.port" ] && break; sleep 0.05; done
HOOK=http://127.0.0.1:$(cat "$T/hook.port")/cbdiag
(umask 077 && echo "hook-secret-42" >"$T/hook.token")
cat >"$T/hook.ini" <<EOF
[helpdesk]
type = webhook
url = $HOOK
token_file = $T/hook.token
queue_dir = $T/hq
EOF
report SN-HOOK "$T/h1.json" 4711
echo 500 >"$T/hook/status"
expect 3 "not answering properly (HTTP 500" -- attach --config "$T/hook.ini" "$T/h1.json"
check "HTTP 500 queues the report" [ "$(entries "$T/hq")" = 1 ]
check "nothing was stored by the failing endpoint" [ ! -e "$T/hook/1.body" ]
expect 3 "HTTP 500" -- queue flush --config "$T/hook.ini"
echo 200 >"$T/hook/status"
expect 0 "1 sent, 0 waiting" -- queue flush --config "$T/hook.ini"
check "the endpoint got the report once" [ -e "$T/hook/1.body" -a ! -e "$T/hook/2.body" ]
check "the report travels byte for byte" grep -qF "$(head -c 300 "$T/h1.json" | tail -c 100)" "$T/hook/1.body"
check "the part is named after the ticket's file" grep -qF "filename=\"$(fname "$T/h1.json")\"" "$T/hook/1.body"
check "the metadata names the ticket" grep -q '"ticket":"4711"' "$T/hook/1.body"
check "the bearer token is sent" grep -qi 'authorization: Bearer hook-secret-42' "$T/hook/1.headers"
check "the idempotency key is the report id" \
	grep -qi "idempotency-key: $(jq -r .report_id "$T/h1.json")" "$T/hook/1.headers"
check "the queue is empty" [ "$(entries "$T/hq")" = 0 ]
echo 403 >"$T/hook/status"
report SN-HOOK "$T/h2.json"
expect 2 "refused the token (HTTP 403" -- attach --config "$T/hook.ini" "$T/h2.json"
check "a refused token does not print it" not grep -q hook-secret-42 "$T/err" "$T/out"
echo 302 >"$T/hook/status"
expect 2 "answered with a redirect (HTTP 302)" -- attach --config "$T/hook.ini" "$T/h2.json"
kill "$HOOK_PID"
wait "$HOOK_PID" 2>/dev/null
HOOK_PID=
expect 3 "could not be reached" -- attach --config "$T/hook.ini" "$T/h2.json"

# ---- TLS: verified by default, a CA file makes a private CA trusted ------
if command -v openssl >/dev/null; then
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/key.pem" -out "$T/cert.pem" -days 2 \
		-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1
	mkdir -p "$T/tls"
	rm -f "$T/hook.port"
	$PY "$HERE/fake-webhook.py" "$T/hook.port" "$T/tls" "$T/cert.pem" "$T/key.pem" &
	HOOK_PID=$!
	for _ in $(seq 1 100); do [ -s "$T/hook.port" ] && break; sleep 0.05; done
	printf '[helpdesk]\ntype = webhook\nurl = https://127.0.0.1:%s/\nqueue_dir = %s\n' \
		"$(cat "$T/hook.port")" "$T/tq" >"$T/tls.ini"
	expect 2 "will not work by retrying (SSL certificate problem" -- attach --config "$T/tls.ini" "$T/h2.json"
	check "an untrusted certificate is not queued, and nothing was sent" \
		[ "$(entries "$T/tq")" = 0 -a ! -e "$T/tls/1.body" ]
	printf 'ca_file = %s\n' "$T/cert.pem" >>"$T/tls.ini"
	expect 0 "delivered" -- attach --config "$T/tls.ini" "$T/h2.json"
	check "with ca_file the report arrived over TLS" [ -e "$T/tls/1.body" ]
	kill "$HOOK_PID"
	wait "$HOOK_PID" 2>/dev/null
	HOOK_PID=
else
	echo "skip: no openssl for the TLS checks"
fi

# ---- folder -------------------------------------------------------------
cat >"$T/folder.ini" <<EOF
[helpdesk]
type = folder
path = $T/share
queue_dir = $T/fq
EOF
report SN-FOLD "$T/f1.json" 123
expect 3 "queued as" -- attach --config "$T/folder.ini" "$T/f1.json"
mkdir "$T/share"
expect 0 "1 sent" -- queue flush --config "$T/folder.ini"
check "the report is in the share, named by ticket" cmp -s "$T/share/123-$(fname "$T/f1.json")" "$T/f1.json"
expect 0 "already on ticket 123" -- attach --config "$T/folder.ini" "$T/f1.json"
report SN-FOLD "$T/f2.json"
expect 0 "copied to $T/share/$(fname "$T/f2.json")" -- attach --config "$T/folder.ini" "$T/f2.json"
check "no temporary files are left in the share" [ "$(ls -A "$T/share" | grep -c '^\.')" = 0 ]

# ---- configuration problems ----------------------------------------------
printf '[report]\nreport_dir = %s\n' "$T" >"$T/none.ini"
expect 2 "no help desk is configured" -- attach --config "$T/none.ini" "$T/f1.json"
expect 2 "no help desk is configured" -- queue flush --config "$T/none.ini"
expect 0 "is empty" -- queue list --config "$T/folder.ini"
printf '[helpdesk]\ntype = folder\npath = relative\n' >"$T/rel.ini"
expect 2 "needs path = /absolute" -- attach --config "$T/rel.ini" "$T/f1.json"
printf '[helpdesk]\ntype = rt\n' >"$T/nourl.ini"
expect 2 "needs url" -- attach --config "$T/nourl.ini" "$T/f1.json"
printf '[helpdesk]\ntype = zendesk\n' >"$T/type.ini"
expect 2 "not a help-desk type" -- attach --config "$T/type.ini" "$T/f1.json"
printf '[helpdesk]\ntype = folder\npath = /tmp\ntimeout_seconds = 2\n' >"$T/to.ini"
expect 2 "out of range" -- attach --config "$T/to.ini" "$T/f1.json"
# type = email: what the configuration check refuses before any connection
mail_ini() { # mail_ini FILE [KEY = VALUE]...: a complete email config, then overrides
	local f=$1
	shift
	printf '[helpdesk]\ntype = email\nurl = smtps://mail.example.org\nmail_from = bench@example.org\nmail_to = help@example.org\nmail_preset = zammad\n' >"$f"
	for kv in "$@"; do echo "$kv" >>"$f"; done
}
mail_ini "$T/m-clear.ini" "url = smtp://192.0.2.1:25" "mail_tls = none"
expect 2 "mail without TLS is only sent to this machine" -- attach --config "$T/m-clear.ini" --ticket 7 "$T/f1.json"
mail_ini "$T/m-http.ini" "url = https://mail.example.org/"
expect 2 "must be smtps://host" -- attach --config "$T/m-http.ini" --ticket 7 "$T/f1.json"
mail_ini "$T/m-preset.ini" "mail_preset = lotus-notes"
expect 2 "mail_preset 'lotus-notes' is not one cbdiag knows" -- attach --config "$T/m-preset.ini" --ticket 7 "$T/f1.json"
mail_ini "$T/m-rt.ini" "mail_preset = rt"
expect 2 "needs mail_tag_name (RT's \$rtname" -- attach --config "$T/m-rt.ini" --ticket 7 "$T/f1.json"
mail_ini "$T/m-tdx.ini" "mail_preset = teamdynamix"
expect 2 "reply token" -- attach --config "$T/m-tdx.ini" --ticket 7 "$T/f1.json"
mail_ini "$T/m-from.ini" "mail_from = Bench <bench@example.org>"
expect 2 "needs mail_from = one address" -- attach --config "$T/m-from.ini" --ticket 7 "$T/f1.json"
mail_ini "$T/m-subj.ini" "mail_subject = {summary} {serial}"
expect 2 "mail_subject must contain {ticket}" -- attach --config "$T/m-subj.ini" --ticket 7 "$T/f1.json"
mail_ini "$T/m-ph.ini" "mail_subject = [{tikcet}] {summary}"
expect 2 "{tikcet} is not a placeholder" -- attach --config "$T/m-ph.ini" --ticket 7 "$T/f1.json"
mail_ini "$T/m-ok.ini" "url = smtp://127.0.0.1:1" "mail_tls = none" "queue_dir = $T/mq" "connect_timeout_seconds = 2"
expect 2 "not a ticket number cbdiag can put in a subject" -- attach --config "$T/m-ok.ini" --ticket "7] [other" "$T/f1.json"
jq '.ticket = null' "$T/f1.json" >"$T/f-noticket.json"
expect 2 "give the ticket with --ticket" -- attach --config "$T/m-ok.ini" "$T/f-noticket.json"
expect 3 "mail server could not be reached" -- attach --config "$T/m-ok.ini" --ticket 7 "$T/f1.json"
check "unreachable mail server: queued" grep -q "queued as" "$T/err"

echo '{"not": "a report"}' >"$T/bad.json"
expect 2 "$T/bad.json" -- attach --config "$T/folder.ini" "$T/bad.json"
expect 2 "which report?" -- attach --config "$T/folder.ini"
expect 2 "unknown action 'send'" -- queue send --config "$T/folder.ini"

# ---- a damaged queue entry is shown, never sent, never a crash ---------
mkdir -p "$T/fq/20260101T000000.000000000Z-broken"
echo '{"version": 1, "filename": "../../etc/passwd"' >"$T/fq/20260101T000000.000000000Z-broken/entry.json"
expect 0 "is damaged" -- queue list --config "$T/folder.ini"
expect 2 "1 waiting for a person" -- queue flush --config "$T/folder.ini"

finish
