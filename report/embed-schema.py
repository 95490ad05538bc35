#!/usr/bin/env python3
"""Embed report.schema.json into the program as a C string (build step)."""
import json
import sys

src, dst = sys.argv[1], sys.argv[2]
with open(src, encoding="utf-8") as f:
    text = f.read()
json.loads(text)  # refuse to build with a broken schema
with open(dst, "w", encoding="utf-8") as out:
    out.write("/* generated from report.schema.json by embed-schema.py: do not edit */\n")
    out.write("#pragma once\n")
    out.write("static const char cbd_report_schema_json[] =\n")
    for line in text.splitlines(keepends=True):
        out.write("\t" + json.dumps(line) + "\n")
    out.write(";\n")
