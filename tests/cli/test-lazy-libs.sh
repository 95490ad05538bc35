#!/bin/sh
# libcurl is opened only by the commands that talk HTTP to a help desk
# (issue 19): `--version`, show and validate never map it; attach to an
# HTTP help desk does; and without it attach says so in one line naming the
# Debian package (exit 2) while run, show and a folder help desk work.
# "Without it": in a private mount namespace (unshare) libcurl's file is
# covered by /dev/null, so the loader finds it and cannot load it; nothing
# in cbdiag knows of the test. Skipped (77) where no mount namespace can be
# made (no unshare, or user namespaces off in a container).
. "$(dirname "$0")/lib.sh"
good="$CBDIAG_SRCDIR/tests/fixtures/reports/good/worn-battery.json"
# the program itself, not the ASan build's wrapper script
bin=${CBD_ASAN_PROGRAM:-$CBDIAG}

# an RT help desk on a port where nothing listens: it loads libcurl, then
# finds nobody (queued, exit 3)
cat >"$T/rt.conf" <<CONF
[helpdesk]
type = rt
url = http://127.0.0.1:9/
token_file = $T/token
queue_dir = $T/queue
connect_timeout_seconds = 2
CONF
echo not-a-secret >"$T/token"
chmod 600 "$T/token"
mkdir -p "$T/drop"
printf '[helpdesk]\ntype = folder\npath = %s/drop\nqueue_dir = %s/queue\n' "$T" "$T" >"$T/folder.conf"

# loads_curl ARGS...: did the loader open libcurl for `cbdiag ARGS`?
loads_curl() {
	LD_DEBUG=files "$CBDIAG" "$@" </dev/null 2>"$T/ld" >/dev/null
	grep -q 'file=libcurl' "$T/ld"
}
ldd "$bin" >"$T/ldd" 2>&1
check "cbdiag does not link libcurl (ldd lists libc and no libcurl)" \
	sh -c "grep -q 'libc\.so' '$T/ldd' && ! grep -q libcurl '$T/ldd'"
check "--version does not load libcurl" eval '! loads_curl --version'
check "show does not load libcurl" eval '! loads_curl show "$good"'
check "validate does not load libcurl" eval '! loads_curl validate "$good"'
check "attach to a folder help desk does not load libcurl" \
	eval '! loads_curl attach --config "$T/folder.conf" "$good"'
# the control: the same loader trace sees libcurl when it is opened
check "attach to an RT help desk loads libcurl" \
	eval 'loads_curl attach --config "$T/rt.conf" --ticket 1 "$good"'
rm -rf "$T/queue" "$T/drop"/*

# the file the loader takes for libcurl (through its cache or its search path)
curl_file=$(LD_DEBUG=libs "$CBDIAG" attach --config "$T/rt.conf" --ticket 1 "$good" 2>&1 </dev/null |
	sed -n 's/.*trying file=\(.*libcurl[^ ]*\)$/\1/p' | tail -1)
rm -rf "$T/queue"
if [ -z "$curl_file" ] || [ ! -e "$curl_file" ]; then
	echo "FAIL the loader's trace names no libcurl file"
	finish
	exit 1
fi
curl_file=$(readlink -f "$curl_file")

# without_curl COMMAND...: in a mount namespace where libcurl is /dev/null
without_curl() {
	unshare -m --propagation private sh -c 'mount --bind /dev/null "$0" && exec "$@"' "$curl_file" "$@" 2>/dev/null ||
		unshare -rm --propagation private sh -c 'mount --bind /dev/null "$0" && exec "$@"' "$curl_file" "$@"
}
if ! without_curl true 2>/dev/null; then
	echo "SKIP: no mount namespace here (unshare -m, unshare -rm): libcurl cannot be hidden"
	finish
	exit 77
fi
check "the namespace hides libcurl (its file reads empty there)" \
	without_curl sh -c "[ ! -s '$curl_file' ]"

want="cbdiag attach: the help desk needs libcurl, which cannot be loaded ("
without_curl "$CBDIAG" attach --config "$T/rt.conf" --ticket 1 "$good" >"$T/out" 2>"$T/err" </dev/null
rc=$?
check "attach without libcurl: exit 2 (got $rc)" [ "$rc" -eq 2 ]
check "attach without libcurl: one line naming the package: $(head -1 "$T/err")" \
	sh -c "[ \$(wc -l <'$T/err') -eq 1 ] && grep -qF '$want' '$T/err' &&
		grep -q 'install the Debian package libcurl4\$' '$T/err'"
check "attach without libcurl queues nothing and prints nothing on stdout" \
	sh -c "[ ! -e '$T/queue' ] && [ ! -s '$T/out' ]"

without_curl "$CBDIAG" run --no-interactive --attach --config "$T/rt.conf" --ticket 1 -o "$T" \
	>"$T/out" 2>"$T/err" </dev/null
rc=$?
check "run --attach without libcurl: exit 2 before the probes (got $rc)" \
	sh -c "[ $rc -eq 2 ] && grep -qF 'cbdiag run: the help desk needs libcurl' '$T/err'"

without_curl "$CBDIAG" run --no-interactive --storage-scan off -o - >"$T/run.json" 2>"$T/err" </dev/null
rc=$?
check "run without libcurl works (exit $rc, a report on stdout)" \
	sh -c "[ $rc -ne 2 ] && [ $rc -le 3 ] && $PY -c 'import json,sys; json.load(open(sys.argv[1]))' '$T/run.json'"
without_curl "$CBDIAG" show "$good" >"$T/out" 2>"$T/err" </dev/null
rc=$?
check "show without libcurl works (exit $rc)" sh -c "[ $rc -eq 0 ] && [ -s '$T/out' ]"
without_curl "$CBDIAG" attach --config "$T/folder.conf" "$good" >"$T/out" 2>"$T/err" </dev/null
rc=$?
check "attach to a folder help desk without libcurl works (exit $rc)" \
	sh -c "[ $rc -eq 0 ] && ls '$T/drop' | grep -q '\.json\$'"
finish
