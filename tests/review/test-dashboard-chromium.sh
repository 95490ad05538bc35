#!/bin/sh
# The fleet dashboard (summary --format html) in a real browser: a generated
# fleet plus reports with hostile serials, models and file names (markup, a
# <meta> refresh, a <base>, a style that would paint the page green). The page
# must not navigate, its DOM must hold every chart element the page has and no
# injected one, the screenshot must show the charts' colours (and not be
# painted green), and it must print to PDF. Screenshot, page and PDF are kept
# in $ARTEFACTS.
. "$(dirname "$0")/chromium-lib.sh"

RED=192,38,45    # .c-fail bars
GREEN=30,127,79  # .c-ok battery bins
AMBER=183,121,31 # .c-warn: repeat visitors, battery bins below the warn line

$PY "$CBDIAG_SRCDIR/tests/perf/gen-reports.py" "$T/fleet" 300 --seed 5 >/dev/null
$PY "$CBDIAG_SRCDIR/tests/review/hostile-fleet.py" \
	"$CBDIAG_SRCDIR/tests/fixtures/reports/good/worn-battery.json" "$T/fleet/odd"
printf '<!DOCTYPE html><html><body style="background:#1e7f4f">NAVIGATED-AWAY</body></html>\n' >"$T/pwned.html"
cp "$T/pwned.html" "$T/fleet/odd/pwned.html"

# the page beside the fleet, so that its relative links lead to the reports
check "dashboard rendered" sh -c 'cd "$1" && "$2" summary --format html fleet >dashboard.html' - "$T" "$CBDIAG"
cp "$T/dashboard.html" "$ARTEFACTS/dashboard.html"

chrome dom --virtual-time-budget=3000 --dump-dom "file://$T/dashboard.html" >"$T/dom.html" 2>"$T/dom.log"
check "the browser loaded the page" grep -q 'Fleet dashboard' "$T/dom.html"
check "it did not navigate" sh -c '! grep -q NAVIGATED-AWAY "$1"' - "$T/dom.html"
for el in '<script' '<img' '<base' '<meta http-equiv="refresh"' '<svg onload' '<style>*{background'; do
	check "no injected $el in the DOM" sh -c '! grep -qiF -- "$1" "$2"' - "$el" "$T/dom.html"
done
for chart in parts models battery repeats months; do
	n_page=$(grep -o "data-chart=\"$chart\"" "$T/dashboard.html" | wc -l)
	n_dom=$(grep -o "data-chart=\"$chart\"" "$T/dom.html" | wc -l)
	check "chart $chart: all $n_page elements in the DOM ($n_dom)" test "$n_page" -gt 0 -a "$n_page" -eq "$n_dom"
done
n_page=$(grep -o '<a href="\./' "$T/dashboard.html" | wc -l)
n_dom=$(grep -o '<a href="\./' "$T/dom.html" | wc -l)
check "every report link in the DOM, relative ($n_dom of $n_page)" test "$n_page" -gt 50 -a "$n_page" -eq "$n_dom"

chrome shot --virtual-time-budget=3000 --window-size=1000,3000 \
	--screenshot="$ARTEFACTS/dashboard.png" "file://$T/dashboard.html" >"$T/shot.log" 2>&1
check "screenshot taken" test -s "$ARTEFACTS/dashboard.png"
set -- $(colours "$ARTEFACTS/dashboard.png" $RED)
check "the page is not blank ($2 colours)" test "$2" -gt 50
check "failure bars drawn ($1 px of red)" test "$1" -gt 20000
set -- $(colours "$ARTEFACTS/dashboard.png" $GREEN)
check "healthy battery bins drawn ($1 px of green)" test "$1" -gt 1000
check "the page is not painted green ($1 px)" test "$1" -lt 300000
set -- $(colours "$ARTEFACTS/dashboard.png" $AMBER)
check "repeat visitors and worn battery bins drawn ($1 px of amber)" test "$1" -gt 1000

chrome pdf --no-pdf-header-footer --print-to-pdf="$ARTEFACTS/dashboard.pdf" \
	"file://$T/dashboard.html" >"$T/pdf.log" 2>&1
check "it prints (PDF of $(wc -c <"$ARTEFACTS/dashboard.pdf" 2>/dev/null || echo 0) bytes)" \
	sh -c 'head -c 4 "$1" | grep -q %PDF && test "$(wc -c <"$1")" -gt 20000' - "$ARTEFACTS/dashboard.pdf"

echo "screenshot: $ARTEFACTS/dashboard.png"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
