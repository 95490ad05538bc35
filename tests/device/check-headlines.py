#!/usr/bin/env python3
"""A report's headlines agree with their verdicts (docs/writing-for-interns.md,
rule 6; the same rule as cbd_result_headline_agrees): a probe at warn or fail
that has findings of that severity begins its summary with one of their
messages. Prints each that does not; exit 0 when all agree, 1 otherwise."""
import json
import sys

SEVERITY = {"warn": "warn", "fail": "fail"}


def main(path):
    report = json.load(open(path, encoding="utf-8"))
    bad = 0
    for name, p in report["probes"].items():
        want = SEVERITY.get(p.get("status"))
        if not want:
            continue
        msgs = [f.get("message") or "" for f in p.get("findings") or []
                if f.get("severity") == want and f.get("message")]
        if msgs and not any((p.get("summary") or "").startswith(m) for m in msgs):
            print("probe %s: %s headline %r names none of %r" % (name, want, p.get("summary"), msgs))
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
