#!/bin/sh
# The HTML page in a real browser: render a failing and a passing report,
# screenshot each in headless Chromium, and check that the page rendered
# (not blank) with the verdict colour of its banner. The screenshots are kept
# in $ARTEFACTS. Skipped (77) when Chromium or Python's PIL is not installed.
set -u
: "${CBDIAG:?}" "${CBDIAG_SRCDIR:?}" "${ARTEFACTS:?}"
PY=/usr/bin/python3
CHROME=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROME" ] || { echo "SKIP: chromium is not installed"; exit 77; }
$PY -c 'import PIL' 2>/dev/null || { echo "SKIP: python3-pil is not installed"; exit 77; }
mkdir -p "$ARTEFACTS"
T=$(mktemp -d /tmp/cbd-html-XXXXXX)
trap 'rm -rf "$T"' EXIT
passed=0 failed=0
check() {
	d=$1; shift
	if "$@"; then echo "ok   $d"; passed=$((passed + 1)); else echo "FAIL $d"; failed=$((failed + 1)); fi
}

shoot() { # shoot REPORT NAME
	"$CBDIAG" show --format html "$1" -o "$ARTEFACTS/$2.html" || return 1
	# flags from the machine notes: no network, no first-run, a fresh profile
	timeout 120 "$CHROME" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$T/profile-$2" --hide-scrollbars --window-size=1000,1400 \
		--screenshot="$ARTEFACTS/$2.png" "file://$ARTEFACTS/$2.html" >"$T/$2.log" 2>&1
	test -s "$ARTEFACTS/$2.png"
}

# pixels of an exact colour, and how many colours the page has at all
colours() { # colours PNG R,G,B
	$PY - "$1" "$2" <<'PYEOF'
import sys
from PIL import Image
im = Image.open(sys.argv[1]).convert("RGB")
want = tuple(int(x) for x in sys.argv[2].split(","))
counts = im.getcolors(maxcolors=1 << 24)
print(sum(n for n, c in counts if c == want), len(counts))
PYEOF
}

RED=192,38,45    # .b-fail banner
GREEN=30,127,79  # .b-pass banner
src="$CBDIAG_SRCDIR/tests/fixtures/reports/good"

check "failing report rendered" shoot "$src/octopus-before-repair.json" before-repair
set -- $(colours "$ARTEFACTS/before-repair.png" $RED)
check "failing page is not blank ($2 colours)" test "$2" -gt 50
check "failing page shows the red verdict banner ($1 px)" test "$1" -gt 20000
set -- $(colours "$ARTEFACTS/before-repair.png" $GREEN)
check "failing page has no green banner ($1 px of green)" test "$1" -lt 20000

check "passing report rendered" shoot "$src/octopus-after-repair.json" after-repair
set -- $(colours "$ARTEFACTS/after-repair.png" $GREEN)
check "passing page is not blank ($2 colours)" test "$2" -gt 50
check "passing page shows the green verdict banner ($1 px)" test "$1" -gt 20000
set -- $(colours "$ARTEFACTS/after-repair.png" $RED)
check "passing page has no red banner ($1 px of red)" test "$1" -lt 5000

echo "screenshots: $ARTEFACTS"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
