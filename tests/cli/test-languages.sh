#!/bin/sh
# The intern's language (docs/languages.md): a run in Spanish (--lang es, or
# LANG) shows the prompts, the progress lines and the final screen in
# Spanish, within 24 x 80; the report it writes is the same English one an
# English run writes; `show --lang es` puts every headline, message and next
# step of a report into Spanish, port names included. Bad language names are
# usage errors. The expected Spanish comes from po/es.po, the catalogue the
# build compiled (CBD_LOCALEDIR, set by the suite). Skipped (77) without
# umockdev-run.
. "$(dirname "$0")/lib.sh"
command -v umockdev-run >/dev/null || { echo "SKIP: umockdev-run is not installed"; exit 77; }
: "${CBD_LOCALEDIR:?}"
SC="$CBDIAG_SRCDIR/tests/device/scenarios"
# es MSGID: the Spanish of a message, as po/es.po has it
es() { $PY - "$CBDIAG_SRCDIR/po/es.po" "$1" <<'PYEOF'
import re, sys
src, want = open(sys.argv[1], encoding="utf-8").read(), sys.argv[2]
for block in src.split("\n\n"):
    def field(name):
        m = re.search(r"^%s (\".*\"(?:\n\".*\")*)" % name, block, re.M)
        return "".join(eval(x) for x in m.group(1).split("\n")) if m else None
    if field("msgid") == want:
        print(field("msgstr"))
        break
PYEOF
}

# --- a failing machine, interactive, in Spanish; and the same in English
for lang in es en; do
	timeout -k 2 120 umockdev-run -d "$SC/nvme-failing.umockdev" -- "$CBDIAG" run --interactive \
		--storage-scan off --ticket 20500 --tech JD --lang $lang -o "$T/$lang.json" \
		</dev/null >"$T/$lang.screen" 2>"$T/$lang.err"
	echo $? >"$T/$lang.rc"
done
check "the Spanish run exits 1 like the English one" test "$(cat "$T/es.rc")" = 1 -a "$(cat "$T/en.rc")" = 1
verdict=$(es 'RESULT: %s' | sed 's/%s.*//')
check "the verdict in Spanish ($verdict)" grep -q "^$verdict" "$T/es.screen"
check "... not in English" sh -c "! grep -q '^RESULT:' '$T/es.screen'"
check "the sticker line in Spanish" grep -q "^$(es 'Write on the ticket and the sticker: %s. Report %.8s' | sed 's/:.*//')" "$T/es.screen"
check "the progress lines in Spanish" grep -q "^$(es 'REPAIR') *$(es 'Disk'): $(es 'The disk warns that it is failing')" "$T/es.err"
lines=$(wc -l <"$T/es.screen")
check "the Spanish final screen fits 24 lines ($lines)" test "$lines" -le 24
cols=$($PY -c 'import sys; print(max(len(l.rstrip("\n")) for l in open(sys.argv[1], encoding="utf-8")))' "$T/es.screen")
check "... and 80 columns ($cols, in characters)" test "$cols" -le 80
# the report is language-neutral: every sentence in it is the English one
$PY - "$T/es.json" "$T/en.json" >"$T/neutral" <<'PYEOF'
import json, sys
def texts(path):
    d = json.load(open(path))
    out = []
    for name, p in sorted(d["probes"].items()):
        out.append(p["summary"])
        out += [(f["code"], f["message"], f.get("action")) for f in p.get("findings", [])]
    return out
a, b = texts(sys.argv[1]), texts(sys.argv[2])
print("same" if a == b else "differ: %r" % [x for x in zip(a, b) if x[0] != x[1]][:3])
PYEOF
check "the report of the Spanish run says what the English one says, in English" grep -q '^same' "$T/neutral"

# --- show --lang es: no sentence of the report is left in English
"$CBDIAG" show --lang es "$T/en.json" >"$T/show.es" 2>&1
$PY - "$T/en.json" "$T/show.es" >"$T/left" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
shown = open(sys.argv[2], encoding="utf-8").read()
for name, p in d["probes"].items():
    for s in [p["summary"]] + [x for f in p.get("findings", []) for x in (f["message"], f.get("action")) if x]:
        if s in shown:
            print("left in English: " + s)
PYEOF
check "show --lang es: every headline, message and next step in Spanish" test ! -s "$T/left"
sed 's/^/    /' "$T/left" | head -5
"$CBDIAG" show "$T/en.json" >"$T/show.en" 2>&1
check "show without --lang: English (the suite's LANGUAGE=en)" grep -q 'The disk warns that it is failing' "$T/show.en"

# --- the port test in Spanish: the prompt names the port in Spanish
(sleep 1; echo; sleep 2; echo s; sleep 1) | timeout -k 2 60 umockdev-run -d "$SC/chromebook-usb-pld.umockdev" -- \
	"$CBDIAG" run --interactive --probe usb --lang es -o "$T/port.json" >"$T/port.screen" 2>&1
port=$(es 'right %s' | sed "s/%s/$(es 'USB-C port')/")
check "the port test asks for the '$port'" grep -q "$port" "$T/port.screen"
check "... and never in English" sh -c "! grep -q 'USB-C port' '$T/port.screen'"

# --- the language from the environment: LANGUAGE first, then LC_ALL, LC_MESSAGES, LANG
LANGUAGE= LC_ALL= LC_MESSAGES= LANG=es_ES.UTF-8 "$CBDIAG" show "$T/en.json" >"$T/env.es" 2>&1
check "LANG=es_ES.UTF-8 (no Spanish locale installed needed): Spanish" \
	grep -q "$(es 'The disk warns that it is failing')" "$T/env.es"
LANGUAGE=en LANG=es_ES.UTF-8 "$CBDIAG" show "$T/en.json" >"$T/env.en" 2>&1
check "LANGUAGE=en over LANG=es: English" grep -q 'The disk warns that it is failing' "$T/env.en"
LANGUAGE= LC_ALL=C LANG=es_ES.UTF-8 "$CBDIAG" show "$T/en.json" >"$T/env.c" 2>&1
check "LC_ALL=C: English" grep -q 'The disk warns that it is failing' "$T/env.c"

# --- bad names
expect 2 "--lang takes a language" -- show --lang ../../etc "$T/en.json"
expect 2 "--lang takes a language" -- run --no-interactive --probe battery --lang 'es;rm' -o "$T/x.json"
expect 2 "--lang takes a language" -- show --lang '' "$T/en.json"
# a language with no catalogue: English, not an error
expect 0 "" -- show --lang fr "$T/en.json"
check "... in English" grep -q 'The disk warns that it is failing' "$T/out"
finish
