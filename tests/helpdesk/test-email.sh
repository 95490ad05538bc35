#!/bin/bash
# type = email end to end: cbdiag mails the report through a real mail server
# (Exim from Debian, tests/helpdesk/mta.sh: TLS, AUTH, a size limit) on
# 127.0.0.1, which hands it to Request Tracker's own mail gateway
# (rt-mailgate); the ticket is then read back over REST2. Also: the server
# down (queued, then flushed), a refused login, a rejected recipient, a
# message too large for the server, mail in clear to another machine.
# Skips (77) when RT or Exim is not installed, or not root (Exim's daemon).
. "$CBDIAG_SRCDIR/tests/cli/lib.sh"
HERE=$CBDIAG_SRCDIR/tests/helpdesk
. "$HERE/rt.sh"
. "$HERE/mta.sh"

if ! rt_available; then
	echo "SKIP: Request Tracker 5 is not installed (README: the test set-up installs it)"
	exit 77
fi
if ! mta_available; then
	echo "SKIP: Exim (exim4-daemon-light) is not installed, or this is not root"
	exit 77
fi
not() { ! "$@"; }
cleanup() {
	mta_stop
	mta_clean
	rt_stop
	rm -rf "$T"
}
trap cleanup EXIT

rt_init "$T/rt" || { echo "FAIL: could not make an RT database"; exit 1; }
rt_start || { echo "FAIL: RT did not start"; exit 1; }
echo "RT on $RT_URL (pid $RT_PID)"
mta_init || { echo "FAIL: could not configure exim"; exit 1; }
perl "$HERE/rt-mail-sender.pl" "$MTA_USER" >/dev/null || { echo "FAIL: no RT sender"; exit 1; }
mta_start || { echo "FAIL: exim did not start"; exit 1; }
echo "exim on 127.0.0.1:$MTA_PORT_STARTTLS (STARTTLS) and :$MTA_PORT_TLS (TLS) (pid $MTA_PID)"

Q=$T/queue
PW=$T/password
(umask 077 && printf '%s\n' "$MTA_PASSWORD" >"$PW")
write_config() { # write_config FILE URL [KEY = VALUE]...
	local f=$1 url=$2
	shift 2
	cat >"$f" <<EOF
[helpdesk]
type = email
url = $url
ca_file = $MTA_DIR/ca.crt
token_file = $PW
mail_preset = rt
mail_tag_name = rt-ci.localhost
mail_from = $MTA_USER
mail_to = $MTA_TO
queue_dir = $Q
connect_timeout_seconds = 3
timeout_seconds = 30
EOF
	for kv in "$@"; do
		echo "$kv" >>"$f"
	done
}
CFG=$T/mail.ini
write_config "$CFG" "smtp://127.0.0.1:$MTA_PORT_STARTTLS"

report() { # report SERIAL OUT: a valid report of the device SERIAL with a new id
	jq --arg s "$1" --arg id "$($PY -c 'import uuid; print(uuid.uuid4())')" \
		'.device.serial = $s | .report_id = $id | .ticket = null' \
		"$CBDIAG_SRCDIR/tests/fixtures/reports/good/worn-battery.json" >"$2"
}
fname() { echo "cbdiag-$(jq -r '.device.serial' "$1")-$(jq -r .report_id "$1").json"; }
# arrived TICKET NAME [COUNT]: wait (up to 60 s) until the ticket holds COUNT
# (default 1) attachments named NAME; the mail goes through exim's queue and
# the gateway, so it arrives after cbdiag is done
arrived() {
	local i n
	for i in $(seq 1 120); do
		n=$(rt_files "$1" "$2")
		[ "$n" -ge "${3:-1}" ] && return 0
		sleep 0.5
	done
	echo "    ticket $1 holds $n of $2 after 60 s; exim's log:" >&2
	mta_log | tail -5 | sed 's/^/    /' >&2
	return 1
}
# the message's first attachment (its headers) on the transaction that carries NAME
headers_of() { # headers_of TICKET NAME: the headers of every part of the mail that carried NAME
	local aid tx
	aid=$(rt_attachments "$1" | jq -rs --arg n "$2" '[.[] | select(.Filename == $n) | .id | tonumber] | max')
	tx=$(rt_api GET "/attachment/$aid" | jq -r '.TransactionId.id')
	rt_api GET "/transaction/$tx/attachments?fields=Headers&per_page=100" | jq -r '.items[].Headers'
}
tx_type() { # tx_type TICKET NAME: the type of the transaction that carries NAME
	local aid tx
	aid=$(rt_attachments "$1" | jq -rs --arg n "$2" '[.[] | select(.Filename == $n) | .id | tonumber] | max')
	tx=$(rt_api GET "/attachment/$aid" | jq -r '.TransactionId.id')
	rt_api GET "/transaction/$tx" | jq -r .Type
}

# ---- STARTTLS + AUTH, through exim and rt-mailgate, onto the ticket -----
t1=$(rt_new_ticket "Chromebook SN-MAIL broken" SN-MAIL)
report SN-MAIL "$T/one.json"
name1=$(fname "$T/one.json")
expect 0 "mailed to $MTA_TO as a reply to ticket $t1" -- attach --config "$CFG" --ticket "$t1" "$T/one.json"
check "the mail reached ticket $t1 through rt-mailgate" arrived "$t1" "$name1"
rt_file_bytes "$t1" "$name1" "$T/back.json"
check "the attachment read back over REST2 is the report, byte for byte" cmp -s "$T/back.json" "$T/one.json"
check "it is a reply (Correspond) on the ticket" [ "$(tx_type "$t1" "$name1")" = Correspond ]
headers_of "$t1" "$name1" >"$T/headers"
[ -s "$T/headers" ] || echo "    (REST2 gave no headers for the mail of ticket $t1)"
id1=$(jq -r .report_id "$T/one.json")
check "the Message-ID is the report's id" grep -qi "^Message-ID: <cbdiag.$id1@school.test>" "$T/headers"
check "the subject carries RT's tag" grep -q "^Subject: \[rt-ci.localhost #$t1\] Chromebook SN-MAIL" "$T/headers"
check "the mail went over TLS, authenticated" grep -q "A=plain:$MTA_USER.*X=TLS\|X=TLS.*A=plain:$MTA_USER" "$MTA_DIR/log/mainlog"

not_in_logs() { ! grep -rqF "$MTA_PASSWORD" "$T/out" "$T/err" "$MTA_DIR/log" "$RT_WORK/server.log"; }
check "the password is in no output or log" not_in_logs

# ---- the same report again: a second mail, recognisable by its Message-ID
# (a mail cannot be looked for on the ticket first; docs/helpdesk.md, "E-mail")
expect 0 "Message-ID <cbdiag.$id1@school.test>" -- attach --config "$CFG" --ticket "$t1" "$T/one.json"
check "RT files the repeat as a second reply" arrived "$t1" "$name1" 2
n_ids=$(rt_api GET "/ticket/$t1/history?fields=Type&per_page=100" | jq -r '.items[].id' |
	while read -r tx; do
		rt_api GET "/transaction/$tx/attachments?fields=Headers&per_page=100" | jq -r '.items[].Headers'
	done | grep -ci "^Message-ID: <cbdiag.$id1@school.test>")
check "both replies carry the same Message-ID ($n_ids found)" [ "$n_ids" = 2 ]

# ---- TLS from the first byte (smtps://), with the HTML page -------------
t2=$(rt_new_ticket "Chromebook SN-PAGE broken" SN-PAGE)
report SN-PAGE "$T/two.json"
write_config "$T/tls.ini" "smtps://127.0.0.1:$MTA_PORT_TLS" "mail_html = true"
expect 0 "as a reply to ticket $t2" -- attach --config "$T/tls.ini" --ticket "$t2" "$T/two.json"
check "the mail reached ticket $t2" arrived "$t2" "$(fname "$T/two.json")"
check "the page came along" arrived "$t2" "$(fname "$T/two.json" | sed 's/\.json$/.html/')"
rt_file_bytes "$t2" "$(fname "$T/two.json")" "$T/back2.json"
check "smtps://: the report arrived byte for byte" cmp -s "$T/back2.json" "$T/two.json"

# ---- a hostile serial: no header injection, the subject still tagged ----
t4=$(rt_new_ticket "Chromebook with a strange serial" SN-EVIL)
report $'SN-\u00c9VIL\r\nBcc: evil@x.test' "$T/evil.json"
expect 0 "as a reply to ticket $t4" -- attach --config "$CFG" --ticket "$t4" "$T/evil.json"
evil_name() { rt_attachments "$t4" | jq -r 'select(.Filename | startswith("cbdiag-") and endswith(".json")) | .Filename' | head -1; }
for _ in $(seq 1 120); do [ -n "$(evil_name)" ] && break; sleep 0.5; done
en=$(evil_name)
check "the mail with a hostile serial reached ticket $t4" [ -n "$en" ]
if [ -n "$en" ]; then
	rt_file_bytes "$t4" "$en" "$T/back-evil.json"
	check "its report arrived byte for byte" cmp -s "$T/back-evil.json" "$T/evil.json"
	headers_of "$t4" "$en" >"$T/evil-headers"
	check "no header was injected (no Bcc: line)" not grep -qi '^Bcc:' "$T/evil-headers"
	check "the subject keeps the tag" grep -q "^Subject: \[rt-ci.localhost #$t4\]" "$T/evil-headers"
fi
check "exim never saw the injected address" not grep -q 'evil@x.test' "$MTA_DIR/log/mainlog"

# ---- the server down: queued; back up: the flush delivers it ------------
mta_stop
t3=$(rt_new_ticket "Chromebook SN-DOWN broken" SN-DOWN)
report SN-DOWN "$T/down.json"
expect 3 "mail server could not be reached" -- attach --config "$CFG" --ticket "$t3" "$T/down.json"
check "the report waits in the queue" grep -q "queued as" "$T/err"
expect 0 "" -- queue list --json --config "$CFG"
check "queue list names ticket $t3" [ "$(jq -r '.[0].ticket' "$T/out")" = "$t3" ]
mta_start || { echo "FAIL: exim did not start again"; exit 1; }
expect 0 "1 sent" -- queue flush --config "$CFG"
check "the queued report reached ticket $t3" arrived "$t3" "$(fname "$T/down.json")"
expect 0 "" -- queue list --json --config "$CFG"
check "the queue is empty" [ "$(jq length "$T/out")" = 0 ]

# ---- a refused login: a person must act; not queued ---------------------
(umask 077 && echo 'not the password' >"$T/wrong")
write_config "$T/wrong.ini" "smtp://127.0.0.1:$MTA_PORT_STARTTLS" "token_file = $T/wrong"
sed -i "0,/^token_file = .*/s||token_file = $T/wrong|" "$T/wrong.ini"
report SN-MAIL "$T/login.json"
expect 2 "the mail server refused the login of '$MTA_USER'" -- attach --config "$T/wrong.ini" --ticket "$t1" "$T/login.json"
check "a refused login is not queued" [ "$(ls "$Q" 2>/dev/null | grep -c -- -)" = 0 ]

# ---- a rejected recipient ----------------------------------------------
write_config "$T/rcpt.ini" "smtp://127.0.0.1:$MTA_PORT_STARTTLS"
sed -i "s|^mail_to = .*|mail_to = nobody@rt.test|" "$T/rcpt.ini"
expect 2 "the mail server refused the recipient nobody@rt.test (550" -- attach --config "$T/rcpt.ini" --ticket "$t1" "$T/login.json"
check "a rejected recipient is not queued" [ "$(ls "$Q" 2>/dev/null | grep -c -- -)" = 0 ]

# ---- a refused sender; a recipient the server defers (4xx): queued -------
write_config "$T/sender.ini" "smtp://127.0.0.1:$MTA_PORT_STARTTLS" "mail_user = $MTA_USER"
sed -i "s|^mail_from = .*|mail_from = blocked@school.test|" "$T/sender.ini"
expect 2 "the mail server refused the sender blocked@school.test (550" -- attach --config "$T/sender.ini" --ticket "$t1" "$T/login.json"
check "a refused sender is not queued" [ "$(ls "$Q" 2>/dev/null | grep -c -- -)" = 0 ]
write_config "$T/later.ini" "smtp://127.0.0.1:$MTA_PORT_STARTTLS" "queue_dir = $T/queue-later"
sed -i "s|^mail_to = .*|mail_to = later@rt.test|" "$T/later.ini"
expect 3 "the mail server asked to try again later (451" -- attach --config "$T/later.ini" --ticket "$t1" "$T/login.json"
check "a deferred mail is queued" grep -q "queued as" "$T/err"

# ---- a certificate cbdiag does not trust --------------------------------
write_config "$T/untrusted.ini" "smtps://127.0.0.1:$MTA_PORT_TLS"
sed -i "/^ca_file = /d" "$T/untrusted.ini"
expect 2 "will not work by retrying" -- attach --config "$T/untrusted.ini" --ticket "$t1" "$T/login.json"
check "an untrusted certificate is not queued" [ "$(ls "$Q" 2>/dev/null | grep -c -- -)" = 0 ]

# ---- a message larger than the server takes ----------------------------
jq --arg pad "$(head -c 45000 /dev/zero | tr '\0' x)" '.probes.battery.pad = $pad' "$T/login.json" >"$T/big.json"
expect 2 "the mail server refuses a message this large" -- attach --config "$CFG" --ticket "$t1" "$T/big.json"
check "too large is not queued" [ "$(ls "$Q" 2>/dev/null | grep -c -- -)" = 0 ]

# ---- never in clear to another machine ---------------------------------
write_config "$T/clear.ini" "smtp://192.0.2.1:25" "mail_tls = none"
expect 2 "only sent to this machine" -- attach --config "$T/clear.ini" --ticket "$t1" "$T/login.json"
# a server that offers no STARTTLS: cbdiag will not fall back to clear
python3 - "$T/plain.port" <<'EOF' &
import socket, sys
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
c, _ = s.accept(); f = c.makefile("rwb")
f.write(b"220 plain.test ESMTP\r\n"); f.flush()
for line in f:
    if line.upper().startswith((b"EHLO", b"HELO")):
        f.write(b"250-plain.test\r\n250 AUTH PLAIN\r\n")
    elif line.upper().startswith(b"QUIT"):
        f.write(b"221 bye\r\n"); f.flush(); break
    else:
        f.write(b"502 no\r\n")
    f.flush()
EOF
PLAIN_PID=$!
for _ in $(seq 1 40); do [ -s "$T/plain.port" ] && break; sleep 0.1; done
write_config "$T/nostarttls.ini" "smtp://127.0.0.1:$(cat "$T/plain.port")"
expect 2 "does not offer STARTTLS" -- attach --config "$T/nostarttls.ini" --ticket "$t1" "$T/login.json"
kill "$PLAIN_PID" 2>/dev/null
wait "$PLAIN_PID" 2>/dev/null

# ---- nothing refused reached the ticket ---------------------------------
only_sent() { [ "$(rt_files "$t1" "$name1")" = 2 ] && [ "$(rt_files "$t1" "$(fname "$T/login.json")")" = 0 ]; }
check "ticket $t1 holds the first report twice (sent twice) and nothing refused" only_sent

finish
