# shellcheck shell=bash
# A real Request Tracker 5 on 127.0.0.1 with a fresh SQLite database in a
# private directory (nothing in /etc or /var is used or changed). Sourced by
# the help-desk tests and the benchmark.
#
#   rt_available            0 when RT is installed (else the caller skips: 77)
#   rt_init DIR             new database, custom fields, token (RT_TOKEN_FILE)
#   rt_start / rt_stop      the server, by its PID only (RT_PID, RT_URL)
#   rt_api METHOD PATH ...  curl against REST2 with the token

RT_LIB=/usr/share/request-tracker5/lib
RT_SERVER=/usr/share/request-tracker5/libexec/rt-server
RT_SETUP=/usr/sbin/rt-setup-database-5

rt_available() {
	[ -x "$RT_SERVER" ] && [ -x "$RT_SETUP" ] && [ -d "$RT_LIB" ] &&
		command -v curl >/dev/null && command -v jq >/dev/null
}

rt_free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

rt_init() {
	RT_WORK=$1
	mkdir -p "$RT_WORK/RT_SiteConfig.d" "$RT_WORK/mason_data" "$RT_WORK/session_data"
	RT_PORT=${RT_PORT:-$(rt_free_port)}
	export RT_SITE_CONFIG=$RT_WORK/RT_SiteConfig.pm
	export RT_SITE_CONFIG_DIR=$RT_WORK/RT_SiteConfig.d
	export RT_WORK RT_PORT
	cat >"$RT_SITE_CONFIG" <<'EOC'
my $dir  = $ENV{RT_WORK} or die; my $port = $ENV{RT_PORT} or die;
Set($rtname, 'rt-ci.localhost');  Set($Organization, 'rt-ci.localhost');  Set($Timezone, 'UTC');
Set($WebDomain, '127.0.0.1');  Set($WebPort, $port);  Set($WebPath, '');  Set($WebBaseURL, "http://127.0.0.1:$port");
Set($DatabaseType, 'SQLite');  Set($DatabaseName, "$dir/rt.sqlite");  Set($DatabaseUser, '');  Set($DatabasePassword, '');
Set($LogToSyslog, undef);  Set($LogToFile, undef);  Set($LogToSTDERR, 'error');
Set($MailCommand, sub { 1 });
$RT::MasonDataDir    = "$dir/mason_data";
$RT::MasonSessionDir = "$dir/session_data";
1;
EOC
	printf 'ci-root-%s\n' "$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')" >"$RT_WORK/rootpw"
	"$RT_SETUP" --action init --root-password-file "$RT_WORK/rootpw" >"$RT_WORK/setup.log" 2>&1 ||
		{ cat "$RT_WORK/setup.log" >&2; return 1; }
	RT_TOKEN_FILE=$RT_WORK/token
	(umask 077 && perl "$(dirname "${BASH_SOURCE[0]}")/rt-bootstrap.pl" >"$RT_TOKEN_FILE") ||
		return 1
	RT_URL=http://127.0.0.1:$RT_PORT
	RT_API=$RT_URL/REST/2.0
}

rt_start() {
	"$RT_SERVER" --host 127.0.0.1 --port "$RT_PORT" --max-workers 2 \
		>>"$RT_WORK/server.log" 2>&1 &
	RT_PID=$!
	local i
	for i in $(seq 1 240); do
		if [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: token $(cat "$RT_TOKEN_FILE")" \
			"$RT_API/rt")" = 200 ]; then
			return 0
		fi
		kill -0 "$RT_PID" 2>/dev/null || { tail -20 "$RT_WORK/server.log" >&2; return 1; }
		sleep 0.25
	done
	echo "rt.sh: RT did not answer within 60 s" >&2
	return 1
}

# rt_start_keepalive: the server with keep-alive on, as behind Apache or nginx
# (Starlet's default closes after each answer): the benchmarks' RT
rt_start_keepalive() {
	"$RT_SERVER" --host 127.0.0.1 --port "$RT_PORT" --max-workers 2 --max-keepalive-reqs 1000 \
		--keepalive-timeout 10 >>"$RT_WORK/server.log" 2>&1 &
	RT_PID=$!
	until [ "$(rt_api GET /rt -o /dev/null -w '%{http_code}' 2>/dev/null)" = 200 ]; do
		kill -0 "$RT_PID" 2>/dev/null || { tail -20 "$RT_WORK/server.log" >&2; return 1; }
		sleep 0.25
	done
}

# rt_write_ini FILE QUEUE_DIR: a cbdiag configuration for this RT
rt_write_ini() {
	printf '[helpdesk]\ntype = rt\nurl = %s\ntoken_file = %s\nqueue_dir = %s\n' \
		"$RT_URL" "$RT_TOKEN_FILE" "$2" >"$1"
}

rt_stop() {
	[ -n "${RT_PID:-}" ] || return 0
	kill -TERM "$RT_PID" 2>/dev/null
	wait "$RT_PID" 2>/dev/null
	RT_PID=
}

# rt_kill: kill -9 the server and its workers (Starlet's children), by PID.
rt_kill() {
	[ -n "${RT_PID:-}" ] || return 0
	local kids
	kids=$(pgrep -P "$RT_PID" || true)
	kill -KILL "$RT_PID" $kids 2>/dev/null
	wait "$RT_PID" 2>/dev/null
	RT_PID=
}

rt_api() {
	local method=$1 path=$2
	shift 2
	curl -s -X "$method" -H "Authorization: token $(cat "$RT_TOKEN_FILE")" "$@" "$RT_API$path"
}

# rt_new_ticket SUBJECT SERIAL: prints the new ticket's id
rt_new_ticket() {
	jq -n --arg s "$1" --arg sn "$2" \
		'{Queue:"General",Subject:$s,Content:"opened by the test",ContentType:"text/plain",
		  CustomFields:{"Serial Number":$sn}}' |
		rt_api POST /ticket -H 'Content-Type: application/json' --data-binary @- | jq -r .id
}

# rt_attachments TICKET: every attachment of TICKET (all pages), one JSON object per line
rt_attachments() {
	local page=1 pages=1 out
	while [ "$page" -le "$pages" ]; do
		out=$(rt_api GET "/ticket/$1/attachments?fields=Filename,ContentType&per_page=100&page=$page")
		pages=$(jq -r '.pages // 1' <<<"$out")
		jq -c '.items[]' <<<"$out"
		page=$((page + 1))
	done
}

# rt_files TICKET NAME: how many attachments of TICKET are named NAME
rt_files() {
	rt_attachments "$1" | jq -s --arg n "$2" '[.[] | select(.Filename == $n)] | length'
}

# rt_file_bytes TICKET NAME OUT: the newest attachment named NAME, decoded into OUT
rt_file_bytes() {
	local aid
	aid=$(rt_attachments "$1" | jq -rs --arg n "$2" '[.[] | select(.Filename == $n) | .id | tonumber] | max')
	rt_api GET "/attachment/$aid" | jq -r .Content | base64 -d >"$3"
}
