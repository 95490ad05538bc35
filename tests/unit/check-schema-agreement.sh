#!/bin/sh
# report/report.schema.json and `cbdiag validate` must agree: every sample in
# tests/fixtures/reports/good is accepted by both, every one in bad/ rejected
# by both. Python's jsonschema (Debian's python3-jsonschema) reads the schema
# file itself, so this checks the schema, not our reading of it.
set -u
: "${CBDIAG:?}" "${CBDIAG_SRCDIR:?}"
PY=/usr/bin/python3
schema="$CBDIAG_SRCDIR/report/report.schema.json"
samples="$CBDIAG_SRCDIR/tests/fixtures/reports"

if ! $PY -c 'import jsonschema' 2>/dev/null; then
	echo "SKIP: python3-jsonschema is not installed"
	exit 77
fi

py_verdict() {
	$PY - "$schema" "$1" <<'PYEOF'
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
try:
    doc = json.load(open(sys.argv[2], encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(doc)
except (jsonschema.ValidationError, ValueError) as e:
    print("invalid", str(e).splitlines()[0], file=sys.stderr)
    sys.exit(1)
PYEOF
}

fails=0
total=0
for kind in good bad; do
	for f in "$samples/$kind"/*.json; do
		total=$((total + 1))
		if py_verdict "$f" 2>/tmp/cbd-py.$$; then py=valid; else py=invalid; fi
		"$CBDIAG" validate "$f" >/dev/null 2>/tmp/cbd-c.$$
		rc=$?
		case $rc in
		0) c=valid ;;
		2) c=invalid ;;
		*) c="crash($rc)" ;;
		esac
		want=valid
		[ "$kind" = bad ] && want=invalid
		if [ "$py" != "$want" ] || [ "$c" != "$want" ]; then
			echo "FAIL $kind/$(basename "$f"): jsonschema says $py, cbdiag says $c, want $want"
			sed 's/^/    jsonschema: /' /tmp/cbd-py.$$
			sed 's/^/    cbdiag: /' /tmp/cbd-c.$$
			fails=$((fails + 1))
		else
			echo "ok   $kind/$(basename "$f"): $c $(head -c 160 /tmp/cbd-c.$$)"
		fi
	done
done
rm -f /tmp/cbd-py.$$ /tmp/cbd-c.$$
echo "$((total - fails)) passed, $fails failed"
[ "$fails" -eq 0 ]
