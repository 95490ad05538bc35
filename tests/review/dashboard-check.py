#!/usr/bin/python3
"""Read the fleet dashboard back and check it against `summary --json`:
every drawn number (data-value of each chart element) is the document's;
the page holds no script, no fetch, no link that is not a relative path;
every link leads to a report file that exists.

usage: dashboard-check.py PAGE.html SUMMARY.json DEVICES.ndjson BASE_DIR"""
import json
import os
import sys
import urllib.parse
from html.parser import HTMLParser

page, summary, devices, base = sys.argv[1:5]
doc = json.load(open(summary))
device_list = [json.loads(l) for l in open(devices)]
errors = []


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.charts = {}  # chart -> [(label, attrs)]
        self.battery = None
        self.bins = {}
        self.hrefs = []
        self.tags = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.add(tag)
        for k, v in a.items():
            if k.startswith("on"):
                errors.append(f"event handler attribute {k} on <{tag}>")
            if k in ("src", "srcset", "xlink:href", "action", "formaction"):
                errors.append(f"<{tag} {k}=...>: the page must fetch nothing")
        if tag == "a":
            self.hrefs.append(a.get("href", ""))
        chart = a.get("data-chart")
        if chart == "battery":
            self.battery = a["data-label"]
            self.bins[self.battery] = []
            self.bins[self.battery + "/lines"] = (float(a["data-warn"]), float(a["data-fail"]))
        elif chart:
            self.charts.setdefault(chart, []).append((a["data-label"], a))
        elif tag == "rect" and self.battery is not None and "data-value" in a:
            self.bins[self.battery].append(int(a["data-value"]))

    def handle_endtag(self, tag):
        if tag == "svg":
            self.battery = None


p = Page()
p.feed(open(page, encoding="utf-8").read())

for bad in ("script", "iframe", "object", "embed", "img", "link", "base", "form", "meta-refresh"):
    if bad in p.tags:
        errors.append(f"<{bad}> in the page")


def nl(x):
    """HTML parsing turns CR LF and CR into LF (in attributes too)."""
    if isinstance(x, str):
        return x.replace("\r\n", "\n").replace("\r", "\n")
    if isinstance(x, (list, tuple)):
        return type(x)(nl(y) for y in x)
    if isinstance(x, dict):
        return {nl(k): nl(v) for k, v in x.items()}
    return x


def same(what, got, want):
    if nl(got) != nl(want):
        errors.append(f"{what}: page {got!r}, --json {want!r}")


same("parts", [(l, float(a["data-value"])) for l, a in p.charts.get("parts", [])],
     [(x["name"], round(x["fail_percent"], 1)) for x in doc["probes"]])
same("models", [(l, float(a["data-value"])) for l, a in p.charts.get("models", [])],
     [(x["model"], round(x["fail_percent"], 1)) for x in doc["models"]])
same("months", [(l, int(a["data-value"]), int(a["data-reports"])) for l, a in p.charts.get("months", [])],
     [(x["month"], x["failed_reports"], x["reports"]) for x in doc["months"]])
repeats = {}
for r in doc["repeat_visitors"]:
    repeats[r["probe"]] = repeats.get(r["probe"], 0) + 1
same("repeat visitors", {l: float(a["data-value"]) for l, a in p.charts.get("repeats", [])},
     {k: float(v) for k, v in repeats.items()})
for m in doc["models"]:
    bh = m["battery_health"]
    if bh["devices_with_health"]:
        name = nl(m["model"])
        same(f"battery histogram of {name}", p.bins.get(name), bh["histogram"])
        same(f"battery lines of {name}", p.bins.get(name + "/lines"),
             (float(bh["warn_line"]), float(bh["fail_line"])))
        same(f"battery devices of {name}", sum(p.bins.get(name, [])), bh["devices_with_health"])

# links: relative only, each to an existing report file
for h in p.hrefs:
    if not h.startswith("./"):
        errors.append(f"link not relative: {h!r}")
        continue
    target = os.path.join(base, urllib.parse.unquote(h))
    if not os.path.isfile(target):
        errors.append(f"link to a missing file: {h!r}")
linked = sum(1 for d in device_list if not d["path"].startswith("/"))
same("links (every device, and the still failing again)", len(p.hrefs),
     linked + sum(1 for d in doc["still_failing"] if not d["path"].startswith("/")))

for e in errors:
    print("   ", e)
print(f"{len(p.hrefs)} links, charts: " + ", ".join(f"{k} {len(v)}" for k, v in p.charts.items())
      + f", battery {len([k for k in p.bins if not k.endswith('/lines')])}")
sys.exit(1 if errors else 0)
