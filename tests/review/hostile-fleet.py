#!/usr/bin/python3
"""Write reports with hostile strings into FOLDER, from a valid report:
serials and models that are markup or spreadsheet formulas, file names that
would break out of an href or a CSV cell.  usage: hostile-fleet.py REPORT FOLDER"""
import json
import os
import sys

d = json.load(open(sys.argv[1]))
os.makedirs(sys.argv[2], exist_ok=True)
hostile = [
    ('=HYPERLINK("http://x","y")', '"><script>alert(1)</script>',
     'a"><img src=x onerror=alert(1)>.json'),
    ("+1+cmd|' /C calc'!A0", "</text><svg onload=alert(1)>", "javascript:alert(1).json"),
    ("-2", "@SUM(A1)", "sp ace&amp;%41 #frag?q.json"),
    ("\tTAB", "M'o\"del,\r\nx", "=cmd.json"),
    ('"><meta http-equiv="refresh" content="0;url=pwned.html">',
     "<style>*{background:#1e7f4f!important}</style>", "'><base href=pwned.html>.json"),
]
for serial, model, name in hostile:
    d["device"]["serial"] = serial
    d["device"]["model"] = model
    json.dump(d, open(os.path.join(sys.argv[2], name), "w"))
