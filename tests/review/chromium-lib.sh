# Shared by the browser tests (sourced): Chromium headless with no network
# use of its own, PIL to count a screenshot's colours, ok/FAIL bookkeeping.
# Skips (77) when Chromium or Python's PIL is not installed.
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

chrome() { # chrome NAME ARGS...: headless, no network, no first-run, a fresh profile
	n=$1; shift
	timeout 120 "$CHROME" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$T/profile-$n" --hide-scrollbars --window-size=1000,1400 "$@"
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
