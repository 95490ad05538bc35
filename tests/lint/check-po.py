#!/usr/bin/env python3
"""The intern's languages are complete (docs/languages.md).

    check-po.py SOURCE_ROOT

Fails when
  - a source file marks text for translation (_("…") or N_("…")) but is not
    in po/POTFILES, so xgettext never sees it;
  - po/cbdiag.pot is behind the sources (a message added or changed and the
    catalogue not remade: `meson compile -C build cbdiag-pot`);
  - a language in po/LINGUAS lacks a translation of any message, has a fuzzy
    one, or one whose printf conversions do not fit the English
    (msgfmt --check-format), or carries messages the sources no longer have.
Exits 77 without xgettext and msgfmt (Debian package gettext).
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile


def msgids(path):
    """The msgids of a .po/.pot file (the header excluded), with whether each
    is translated, fuzzy and obsolete entries left out."""
    out, cur, fuzzy, field = {}, None, False, None
    strs = {}

    def flush():
        if cur is not None and cur.get("msgid"):
            out[cur["msgid"]] = (cur.get("msgstr", "") or cur.get("msgstr[0]", ""), fuzzy)

    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith("#~"):
            continue
        if not line.strip():
            flush()
            cur, fuzzy, field = None, False, None
            continue
        if line.startswith("#,"):
            fuzzy = "fuzzy" in line
            continue
        if line.startswith("#"):
            continue
        m = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d+\])?|msgctxt) (".*")$', line)
        if m:
            if cur is None:
                cur = {}
            field = m.group(1)
            cur[field] = eval(m.group(2))
        elif line.startswith('"') and field:
            cur[field] += eval(line)
    flush()
    return out


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    root = sys.argv[1]
    if not shutil.which("xgettext") or not shutil.which("msgfmt"):
        print("SKIP: xgettext and msgfmt are not installed (Debian package gettext)")
        return 77
    po = os.path.join(root, "po")
    failed = 0
    listed = [l.strip() for l in open(os.path.join(po, "POTFILES")) if l.strip()]
    marked = []
    for top in ("common", "probes", "diag", "report"):
        for d, dirs, files in os.walk(os.path.join(root, top)):
            for f in sorted(files):
                if f.endswith(".c"):
                    p = os.path.join(d, f)
                    if re.search(r'(?<![A-Za-z0-9_])N?_\(\s*"', open(p, encoding="utf-8").read()):
                        marked.append(os.path.relpath(p, root))
    for p in sorted(set(marked) - set(listed)):
        print(f"FAIL {p} marks text for translation but is not in po/POTFILES")
        failed += 1
    with tempfile.TemporaryDirectory() as tmp:
        pot = os.path.join(tmp, "now.pot")
        subprocess.run(["xgettext", "--keyword=_", "--keyword=N_", "--from-code=UTF-8",
                        "-o", pot, "-D", root, "-f", os.path.join(po, "POTFILES")],
                       check=True)
        now = set(msgids(pot))
    kept = set(msgids(os.path.join(po, "cbdiag.pot")))
    for m in sorted(now - kept):
        print(f"FAIL po/cbdiag.pot lacks a message of the sources: {m!r}")
        failed += 1
    for m in sorted(kept - now):
        print(f"FAIL po/cbdiag.pot has a message the sources no longer have: {m!r}")
        failed += 1
    if now - kept or kept - now:
        print("     remake it: meson compile -C build cbdiag-pot && meson compile -C build cbdiag-update-po")
    for lang in open(os.path.join(po, "LINGUAS")).read().split():
        path = os.path.join(po, lang + ".po")
        tr = msgids(path)
        missing = [m for m in now if m not in tr or not tr[m][0]]
        fuzzy = [m for m in now if m in tr and tr[m][1]]
        extra = [m for m in tr if m not in now]
        for m in sorted(missing):
            print(f"FAIL {lang}: no translation of {m!r}")
        for m in sorted(fuzzy):
            print(f"FAIL {lang}: the translation of {m!r} is fuzzy")
        for m in sorted(extra):
            print(f"FAIL {lang}: a translation of a message the sources no longer have: {m!r}")
        r = subprocess.run(["msgfmt", "--check", "--check-format", "-o", os.devnull, path],
                           capture_output=True, text=True)
        if r.returncode != 0:
            print(f"FAIL {lang}: msgfmt --check:\n{r.stderr}")
        bad = len(missing) + len(fuzzy) + len(extra) + (r.returncode != 0)
        failed += bad
        if not bad:
            print(f"ok   {lang}: all {len(now)} messages translated, formats checked")
    print(f"{len(now)} messages; {failed} problems")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
