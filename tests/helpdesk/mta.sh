# shellcheck shell=bash
# A real mail server, Exim 4 from Debian's packages (exim4-daemon-light), on
# 127.0.0.1 for the e-mail backend's tests: TLS (STARTTLS on one port, TLS
# from the first byte on another), AUTH (PLAIN and LOGIN, one user, only
# offered over TLS and required for relaying), a message size limit, one
# sender it refuses (blocked@school.test), one recipient it defers
# (later@rt.test, 451), and one
# accepted recipient whose mail goes to Request Tracker's own mail gateway
# (rt-mailgate --action correspond, queue General). Its configuration,
# certificates, spool and logs live in a private directory; nothing in
# /etc/exim4 is used or changed, and the package's own daemon is not started.
# (OpenSMTPD was tried first: Debian 12's 6.8.0p2 fails every TLS handshake
# under OpenSSL 3, "EVP lib".) Sourced after rt.sh (RT_PORT, rt_free_port).
#
#   mta_available          0 when it can run here (else the caller skips: 77)
#   mta_init               a new directory under /tmp (exim's user must reach
#                          it: not inside the test's private one), CA,
#                          certificate, exim.conf (MTA_* below)
#   mta_start / mta_stop   the daemon, by its PID only (MTA_PID)
#   mta_log                the main log (what the server accepted or refused)

EXIM=/usr/sbin/exim4
MAILGATE=/usr/bin/rt-mailgate

mta_available() {
	[ -x "$EXIM" ] && [ -x "$MAILGATE" ] && [ "$(id -u)" = 0 ] &&
		command -v openssl >/dev/null && true &&
		getent passwd Debian-exim >/dev/null
}

mta_init() {
	MTA_DIR=$(mktemp -d /tmp/cbd-mta-XXXXXX) || return 1
	mkdir -p "$MTA_DIR/spool" "$MTA_DIR/log"
	MTA_PORT_STARTTLS=$(rt_free_port)
	MTA_PORT_TLS=$(rt_free_port)
	MTA_USER=bench@school.test
	# with spaces: the password file is one line, spaces kept
	MTA_PASSWORD="correct horse $(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')"
	MTA_TO=help@rt.test
	MTA_MAX=${MTA_MAX:-32K}
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=cbdiag test mail CA" \
		-keyout "$MTA_DIR/ca.key" -out "$MTA_DIR/ca.crt" \
		-addext basicConstraints=critical,CA:TRUE -addext keyUsage=keyCertSign \
		>/dev/null 2>&1 || return 1
	openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" \
		-keyout "$MTA_DIR/server.key" -out "$MTA_DIR/server.csr" >/dev/null 2>&1 || return 1
	printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >"$MTA_DIR/ext"
	openssl x509 -req -in "$MTA_DIR/server.csr" -CA "$MTA_DIR/ca.crt" \
		-CAkey "$MTA_DIR/ca.key" -CAcreateserial -days 2 -extfile "$MTA_DIR/ext" \
		-out "$MTA_DIR/server.crt" >/dev/null 2>&1 || return 1
	cat >"$MTA_DIR/exim.conf" <<EOF
primary_hostname = mail.school.test
qualify_domain = school.test
spool_directory = $MTA_DIR/spool
log_file_path = $MTA_DIR/log/%slog
pid_file_path = $MTA_DIR/exim.pid
local_interfaces = <; 127.0.0.1
daemon_smtp_ports = $MTA_PORT_STARTTLS : $MTA_PORT_TLS
tls_on_connect_ports = $MTA_PORT_TLS
tls_certificate = $MTA_DIR/server.crt
tls_privatekey = $MTA_DIR/server.key
tls_advertise_hosts = *
auth_advertise_hosts = \${if def:tls_in_cipher {*}{}}
message_size_limit = $MTA_MAX
host_lookup =
rfc1413_hosts =
acl_smtp_mail = acl_mail
acl_smtp_rcpt = acl_rcpt
acl_smtp_data = acl_data
never_users = root

begin acl
acl_mail:
  deny    message = sender not allowed here
          senders = blocked@school.test
  accept
acl_rcpt:
  deny    message = authentication required
          !authenticated = *
  defer   message = mailbox busy, try again later
          recipients = later@rt.test
  accept  recipients = $MTA_TO
  deny    message = no such mailbox here: \$local_part@\$domain
acl_data:
  accept

begin routers
rt:
  driver = accept
  domains = rt.test
  local_parts = help
  transport = rt_gateway

begin transports
rt_gateway:
  driver = pipe
  command = $MAILGATE --queue General --action correspond --url http://127.0.0.1:$RT_PORT/
  user = Debian-exim
  group = Debian-exim
  return_fail_output
  temp_errors = 75
  timeout = 60s

begin retry
*  *  F,10m,2s

begin authenticators
plain:
  driver = plaintext
  public_name = PLAIN
  server_prompts = :
  server_condition = \${if and {{eq{\$auth2}{$MTA_USER}}{eq{\$auth3}{$MTA_PASSWORD}}}}
  server_set_id = \$auth2
login:
  driver = plaintext
  public_name = LOGIN
  server_prompts = Username:: : Password::
  server_condition = \${if and {{eq{\$auth1}{$MTA_USER}}{eq{\$auth2}{$MTA_PASSWORD}}}}
  server_set_id = \$auth1
EOF
	# exim reads its key and (re-executing for the queue run) its
	# configuration as its own user: theirs to read, nobody else's
	chown root:Debian-exim "$MTA_DIR" "$MTA_DIR/server.key" "$MTA_DIR/exim.conf"
	chmod 750 "$MTA_DIR"
	chmod 640 "$MTA_DIR/server.key" "$MTA_DIR/exim.conf"
	chown Debian-exim:Debian-exim "$MTA_DIR/spool" "$MTA_DIR/log"
	"$EXIM" -C "$MTA_DIR/exim.conf" -bV >"$MTA_DIR/check.log" 2>&1 ||
		{ cat "$MTA_DIR/check.log" >&2; return 1; }
}

mta_port_open() {
	python3 -c 'import socket,sys; s=socket.socket(); s.settimeout(1); sys.exit(s.connect_ex(("127.0.0.1", int(sys.argv[1]))))' "$1"
}

mta_start() {
	# -bdf: the daemon in the foreground (its PID is ours); -q2s: deferred
	# mail (RT still starting) is tried again soon
	"$EXIM" -C "$MTA_DIR/exim.conf" -bdf -q2s >>"$MTA_DIR/daemon.log" 2>&1 &
	MTA_PID=$!
	local i
	for i in $(seq 1 80); do
		mta_port_open "$MTA_PORT_TLS" && mta_port_open "$MTA_PORT_STARTTLS" && return 0
		kill -0 "$MTA_PID" 2>/dev/null || { tail -n 20 "$MTA_DIR/daemon.log" "$MTA_DIR/log/paniclog" >&2; return 1; }
		sleep 0.25
	done
	echo "mta.sh: exim did not listen within 20 s" >&2
	return 1
}

# mta_clean: remove the directory (after mta_stop)
mta_clean() {
	[ -n "${MTA_DIR:-}" ] && [ -d "$MTA_DIR" ] && rm -rf "$MTA_DIR"
	MTA_DIR=
}

mta_stop() {
	[ -n "${MTA_PID:-}" ] || return 0
	kill -TERM "$MTA_PID" 2>/dev/null
	wait "$MTA_PID" 2>/dev/null
	MTA_PID=
}

mta_log() {
	cat "$MTA_DIR/log/mainlog" 2>/dev/null
}
