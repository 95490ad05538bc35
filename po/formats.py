#!/usr/bin/env python3
"""The catalogue's formats, for cbd_tr() (common/i18n.c): every msgid of
po/cbdiag.pot that holds a printf conversion, as a C array. Longer formats
first, so that "%s (and %zu more problems)" is tried before "%s".

    formats.py cbdiag.pot formats.c
"""
import re
import sys


def msgids(path):
    ids, cur, fmt = [], None, False
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith("#,"):
            fmt = "c-format" in line
        elif line.startswith("msgid "):
            cur = [line[6:]]
        elif line.startswith('"') and cur is not None:
            cur.append(line)
        elif cur is not None:
            s = "".join(eval(x) for x in cur)  # a C/PO string literal each
            if s and fmt:
                ids.append(s)
            cur, fmt = None, False
    return ids


def c_literal(s):
    out = []
    for ch in s:
        o = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif o < 0x20 or o == 0x7f:
            out.append("\\%03o" % o)
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def main():
    ids = msgids(sys.argv[1])
    # "%s" alone would match anything: it is never translated by itself
    ids = [s for s in ids if re.sub(r"%[-+ #0-9.lhzj]*[a-zA-Z%]", "", s).strip()]
    ids.sort(key=lambda s: (-len(re.sub(r"%[-+ #0-9.lhzj]*[a-zA-Z]", "", s)), s))
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        f.write("/* made by po/formats.py from po/cbdiag.pot: do not edit */\n")
        f.write("#include <stddef.h>\n\nconst char *const cbd_i18n_formats[] = {\n")
        for s in ids:
            f.write("\t" + c_literal(s) + ",\n")
        f.write("\tNULL,\n};\nconst size_t cbd_i18n_n_formats = %d;\n" % len(ids))


main()
