#!/bin/sh
# Keep docs/ true to the code: every threshold and every command is documented.
set -u
root=${1:?source root}
fails=0
n=0
for t in $(grep -o '{"[a-z_]*\.[a-z_]*"' "$root/probes/thresholds.c" | tr -d '{"'); do
	n=$((n + 1))
	if ! grep -qF "\`$t\`" "$root/docs/configuration.md"; then
		echo "FAIL threshold $t is not in docs/configuration.md"
		fails=$((fails + 1))
	fi
done
[ "$n" -ge 10 ] || { echo "FAIL found only $n thresholds: the pattern is stale"; fails=$((fails + 1)); }
for c in $(grep -o '^	{"[a-z]*",' "$root/diag/cli.c" | tr -d '{",	'); do
	n=$((n + 1))
	if ! grep -q "^\.B.*$c" "$root/docs/cbdiag.1"; then
		echo "FAIL command $c is not in docs/cbdiag.1"
		fails=$((fails + 1))
	fi
done
echo "$((n - fails)) passed, $fails failed"
[ "$fails" -eq 0 ]
