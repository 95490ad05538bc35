#!/usr/bin/env python3
"""Jargon in intern-facing strings (docs/writing-for-interns.md).

Intern-facing strings are the C string literals
  - in the arguments of cbd_result_add_finding(), cbd_findings_add() and
    cbd_result_set_part_missing() (a finding's message and next step; the
    finding code, "probe.what", is exempt), and of cbd_result_set() and the
    storage probe's set_error() (a probe's headline),
  - in the arguments of the UI calls ->ask(), ->ask_text(), ->say() and
    ->wait() (the prompts and lines an intern reads during a run),
  - of the designated initialisers .action_*  (the next steps of the sweep words)
    and of `const char *` variables named *action*, *reseat*, *next*, *prompt*
    or *message* (a next step or prompt kept in a variable),
  - anywhere in report/final-screen.c (the intern's last screen),
in every .c file under probes/ (but probes/hw/), diag/ and report/.

    check-jargon.py SOURCE_ROOT          lint the tree
    check-jargon.py --self-test          prove the rule catches planted jargon

Exit 0 clean, 1 jargon found (each printed as FILE:LINE: "word" in "text").
"""
import os
import re
import sys
import tempfile

# The known jargon: what an intern cannot act on. Case-sensitive where the
# word is an acronym; each is matched on word boundaries.
JARGON = [
    r"pre-EOL", r"EOL", r"[Ll]ife ?time", r"0x[0-9a-fA-F]+", r"SuperSpeed",
    r"[Oo]ver-?current", r"EDID", r"eDP", r"[KMGkmg]i?b/s", r"[KMGkmg]i?B/s",
    r"PCI", r"PCIe", r"NVMe", r"eMMC", r"SATA", r"SMART", r"EXT_CSD", r"LBA",
    r"xHCI", r"ACPI", r"DRM", r"KMS", r"ioctl", r"errno", r"sysfs", r"udev",
    r"hwdb", r"rfkill", r"evdev", r"scancodes?", r"[Kk]ernel", r"[Dd]rivers?",
    r"[Ff]irmware", r"%/h", r"VID", r"PID", r"uevent", r"DMI", r"HWID",
    r"cbdiag run", r"--[a-z][a-z-]+",
]
JARGON_RE = re.compile(r"(?<![A-Za-z0-9_])(" + "|".join(JARGON) + r")(?![A-Za-z0-9_])")
CODE_RE = re.compile(r"^[a-z_]+\.[a-z_0-9]+$")
CALLS = re.compile(
    r"\b(cbd_result_add_finding|cbd_findings_add|cbd_result_set_part_missing|"
    r"cbd_result_set|set_error)\s*\(|"
    r"->(ask|ask_text|say|wait)\s*\(|"
    r"\.(action_[a-z_]+)\s*=|"
    r"\bconst char \*(\w*(?:action|reseat|next|prompt|message)\w*)\s*=(?!=)")


GETTEXT_RE = re.compile(r"(?<![A-Za-z0-9])N?_\(\s*$")
CONVERSION_RE = re.compile(r"%[-+ #0-9.$lhzjt]*[a-zA-Z%]")


def literals(src, start):
    """The string literals (adjacent ones joined) from src[start] up to the end
    of the call or initialiser that opens there, with their line numbers and
    whether they are the argument of _() or N_() (gettext's marks)."""
    out, depth, i, cur, cur_line, cur_wrapped = [], 0, start, None, 0, False
    n = len(src)
    while i < n:
        c = src[i]
        if src.startswith("/*", i):
            i = src.find("*/", i + 2) + 2
            continue
        if src.startswith("//", i):
            i = src.find("\n", i)
            continue
        if c == '"':
            j, buf = i + 1, []
            while src[j] != '"':
                if src[j] == "\\":
                    buf.append(src[j:j + 2])
                    j += 2
                else:
                    buf.append(src[j])
                    j += 1
            if cur is None:
                cur, cur_line = "", src.count("\n", 0, i) + 1
                cur_wrapped = GETTEXT_RE.search(src[max(0, i - 8):i]) is not None
            cur += "".join(buf)
            i = j + 1
            continue
        if c == "'":
            i = src.find("'", i + 2 if src[i + 1] == "\\" else i + 1) + 1
            continue
        if not c.isspace() and cur is not None:
            out.append((cur_line, cur, cur_wrapped))
            cur = None
        if c == "(" or c == "{":
            depth += 1
        elif c == ")" or c == "}":
            depth -= 1
            if depth <= 0:
                break
        elif (c == "," or c == ";") and depth == 0:
            break
        i += 1
    if cur is not None:
        out.append((cur_line, cur, cur_wrapped))
    return out


def check_file(path, rel):
    src = open(path, encoding="utf-8").read()
    found = []
    if rel.endswith("report/final-screen.c"):
        strings = literals("(" + src + ")", 0)
    else:
        strings = []
        for m in CALLS.finditer(src):
            # the arguments (a call) or the value (an initialiser)
            start = m.end() - 1 if m.group(0).endswith("(") else m.end()
            strings += literals(src, start)
    for line, s, wrapped in strings:
        if CODE_RE.match(s):
            continue
        for j in JARGON_RE.finditer(s):
            found.append(f'{rel}:{line}: "{j.group(1)}" in "{s}"')
        # words for the intern go through gettext (docs/languages.md); a
        # JSON key or an escape sequence is not words: words have a space
        words = CONVERSION_RE.sub("", s).strip()
        if not wrapped and re.search(r"[A-Za-z]{2}", words) and " " in words:
            found.append(f'{rel}:{line}: not marked for translation (_() or N_()): "{s}"')
    return found


def lint(root):
    found = []
    for top in ("probes", "diag", "report"):
        for d, dirs, files in os.walk(os.path.join(root, top)):
            dirs[:] = sorted(x for x in dirs if not os.path.join(d, x).endswith("probes/hw"))
            for f in sorted(files):
                if f.endswith(".c"):
                    p = os.path.join(d, f)
                    found += check_file(p, os.path.relpath(p, root))
    return found


def self_test():
    """A planted jargon string must be caught; the clean twin must not."""
    ok = True
    planted = {
        "finding": ('cbd_result_add_finding(r, "storage.x", CBD_SEVERITY_FAIL, true,\n'
                    '\tN_("Replace the disk"), N_("The eMMC reports pre-EOL %d "\n'
                    '\t"(life time 0x0b)"), eol);\n', True),
        "next step": ('cbd_findings_add(&f, &n, "usb.y", CBD_SEVERITY_WARN, false,\n'
                      '\tN_("Plug it into a SuperSpeed port"), N_("The port is slow"));\n', True),
        "prompt": ('ctx->ui->ask(ctx->ui, _("Is the EDID right? (y/n)"));\n', True),
        "headline": ('cbd_result_set(r, CBD_STATUS_PASS, N_("%s read %g Mb/s"), name, v);\n', True),
        "sweep words": ('static const struct w w = {\n\t.action_fail = N_("Reseat the eDP cable"),\n};\n',
                        True),
        "variable": ('const char *reseat = N_("Reseat the display (eDP) cable");\n', True),
        "untranslated": ('ctx->ui->say(ctx->ui, "Press every key once");\n', True),
        "untranslated next step": ('const char *next_step = "Try another charger";\n', True),
        "clean": ('cbd_result_add_finding(r, "storage.emmc_life", CBD_SEVERITY_FAIL, true,\n'
                  '\tN_("Staff must replace the main board"), N_("The disk is worn out (%d%%)"), 90);\n'
                  'ctx->ui->say(ctx->ui, _("Press every key once"));\n'
                  '/* pre-EOL in a comment is fine */\n'
                  'printf("pre-EOL %d\\n", eol); /* not intern-facing */\n', False),
    }
    for name, (code, bad) in planted.items():
        with tempfile.TemporaryDirectory() as root:
            os.makedirs(os.path.join(root, "probes", "x"))
            os.makedirs(os.path.join(root, "probes", "hw"))
            with open(os.path.join(root, "probes", "x", "x.c"), "w") as f:
                f.write("void f(void)\n{\n" + code + "}\n")
            # probes/hw is outside the rule: no intern reads its strings
            with open(os.path.join(root, "probes", "hw", "hw.c"), "w") as f:
                f.write('void g(void) { cbd_findings_add(0, 0, "a.b", 0, 0, NULL, "PCI"); }\n')
            found = lint(root)
            if bool(found) != bad:
                print(f"FAIL self-test {name}: expected {'a finding' if bad else 'none'}, got {found}")
                ok = False
            else:
                print(f"ok   self-test {name}" + (f": {found[0]}" if found else ""))
    return ok


def main():
    if len(sys.argv) == 2 and sys.argv[1] == "--self-test":
        return 0 if self_test() else 1
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    found = lint(sys.argv[1])
    for f in found:
        print("FAIL jargon in intern-facing text: " + f)
    print(f"{len(found)} jargon strings in intern-facing text")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
