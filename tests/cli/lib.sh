# Shared helpers for the CLI tests (sourced).
set -u
: "${CBDIAG:?}" "${CBDIAG_SRCDIR:?}"
PY=/usr/bin/python3
T=$(mktemp -d /tmp/cbd-cli-XXXXXX)
trap 'rm -rf "$T"' EXIT
passed=0
failed=0

# expect CODE SUBSTRING -- ARGS...: run cbdiag, check exit code and that
# stderr+stdout contain SUBSTRING (empty: no check). A run longer than
# EXPECT_TIMEOUT seconds (default 300) is killed and fails as a hang.
expect() {
	want=$1 msg=$2
	shift 3
	timeout -k 2 "${EXPECT_TIMEOUT:-300}" "$CBDIAG" "$@" >"$T/out" 2>"$T/err" </dev/null
	rc=$?
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		echo "FAIL cbdiag $*: HUNG (killed after ${EXPECT_TIMEOUT:-300} s)"
		failed=$((failed + 1))
		return 1
	fi
	if [ "$rc" -ne "$want" ]; then
		echo "FAIL cbdiag $*: exit $rc, want $want"
		sed 's/^/    /' "$T/err" | head -5
		failed=$((failed + 1))
		return 1
	fi
	if [ -n "$msg" ] && ! grep -qF -- "$msg" "$T/err" "$T/out"; then
		echo "FAIL cbdiag $*: output lacks '$msg'"
		sed 's/^/    /' "$T/err" | head -5
		failed=$((failed + 1))
		return 1
	fi
	if grep -q 'Sanitizer\|runtime error:\|Segmentation\|core dumped' "$T/err"; then
		echo "FAIL cbdiag $*: crashed"
		failed=$((failed + 1))
		return 1
	fi
	echo "ok   cbdiag $* -> $rc"
	passed=$((passed + 1))
}

check() { # check DESCRIPTION COMMAND...
	d=$1
	shift
	if "$@"; then
		echo "ok   $d"
		passed=$((passed + 1))
	else
		echo "FAIL $d"
		failed=$((failed + 1))
	fi
}

finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}
