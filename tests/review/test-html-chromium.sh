#!/bin/sh
# The HTML page in a real browser: render a failing and a passing report,
# screenshot each in headless Chromium, and check that the page rendered
# (not blank) with the verdict colour of its banner. Then a hostile report
# (markup in free-form fields: a <meta> refresh, a link, a form, a green
# overlay that says all is well): the page must not navigate, and its DOM must
# hold none of the injected elements. The screenshots are kept in $ARTEFACTS.
# Skipped (77) when Chromium or Python's PIL is not installed.
. "$(dirname "$0")/chromium-lib.sh"

shoot() { # shoot REPORT NAME
	"$CBDIAG" show --format html "$1" -o "$ARTEFACTS/$2.html" || return 1
	chrome "$2" --screenshot="$ARTEFACTS/$2.png" "file://$ARTEFACTS/$2.html" >"$T/$2.log" 2>&1
	test -s "$ARTEFACTS/$2.png"
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

# A hostile report: every free-form string carries markup. If any of it became
# markup, the refresh would load pwned.html (whose DOM says NAVIGATED-AWAY), and the
# overlay would paint the page green.
$PY - "$src/octopus-before-repair.json" "$T/hostile.json" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
evil = ('"><meta http-equiv="refresh" content="0;url=pwned.html">'
        '<div id="overlay" style="position:fixed;top:0;left:0;right:0;bottom:0;'
        'background:#1e7f4f;z-index:99">All checked parts work - click to sign in '
        '<a href="pwned.html">sign in</a><form action="pwned.html"><input name="p">'
        '<button>go</button></form></div><span class="')
d["probes"]["usb"]["data"]["port_test"][0]["verdict"] = evil
d["probes"]["usb"]["summary"] = evil
d["device"]["model"] = evil[:250]
d["ticket"] = "'><base href=\"pwned.html\"><meta http-equiv=refresh content='0;url=pwned.html'>"
d["probes"]["battery"]["data"]["batteries"][0]["serial"] = "</title></style>" + evil[:200]
json.dump(d, open(sys.argv[2], "w"))
PYEOF
printf '<!DOCTYPE html><html><body style="background:#1e7f4f">NAVIGATED-AWAY</body></html>\n' >"$ARTEFACTS/pwned.html"
hostile_dom() {
	"$CBDIAG" show --format html "$T/hostile.json" -o "$ARTEFACTS/hostile.html" || return 1
	chrome hostile-dom --virtual-time-budget=3000 --dump-dom "file://$ARTEFACTS/hostile.html" \
		>"$T/hostile.dom" 2>"$T/hostile-dom.log"
	test -s "$T/hostile.dom"
}
check "hostile report rendered" hostile_dom
absent() { ! grep -qiF -- "$1" "$2"; }
check "hostile page did not navigate" absent NAVIGATED-AWAY "$T/hostile.dom"
check "hostile page is the report" grep -q 'Needs repair' "$T/hostile.dom"
check "hostile markup is shown as text" grep -qF '&lt;meta http-equiv="refresh"' "$T/hostile.dom"
for el in '<meta http-equiv="refresh"' '<a ' '<form' '<input' '<button' '<base' '<div id="overlay"'; do
	check "no injected $el in the DOM" absent "$el" "$T/hostile.dom"
done
chrome hostile --virtual-time-budget=3000 --screenshot="$ARTEFACTS/hostile.png" \
	"file://$ARTEFACTS/hostile.html" >"$T/hostile.log" 2>&1
check "hostile report screenshot" test -s "$ARTEFACTS/hostile.png"
set -- $(colours "$ARTEFACTS/hostile.png" $RED)
check "hostile page shows the red verdict banner ($1 px)" test "$1" -gt 20000
set -- $(colours "$ARTEFACTS/hostile.png" $GREEN)
check "hostile page is not painted green ($1 px of green)" test "$1" -lt 20000

echo "screenshots: $ARTEFACTS"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
