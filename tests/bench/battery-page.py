#!/usr/bin/env python3
"""Write the bench battery's shared page (tests/bench/battery.asl), before or
while the guest runs:

    battery-page.py FILE [key=value ...]

keys (defaults: a healthy battery at 80 %, discharging, on battery):
present=1 state=1 rate_ma=800 remaining_mah=3200 voltage_mv=11400
full_mah=4000 design_mah=4000 design_mv=11400 ac=0 cycles=120 lid_closed=0
state: 1 discharging, 2 charging. lid_closed: the bench lid's switch (lid.asl). The file is rewritten in place (the guest
maps it), 4096 bytes."""
import struct
import sys

KEYS = ["present", "state", "rate_ma", "remaining_mah", "voltage_mv", "full_mah",
        "design_mah", "design_mv", "ac", "cycles", "lid_closed"]
DEFAULTS = dict(present=1, state=1, rate_ma=800, remaining_mah=3200, voltage_mv=11400,
                full_mah=4000, design_mah=4000, design_mv=11400, ac=0, cycles=120,
                lid_closed=0)


def main():
    path, v = sys.argv[1], dict(DEFAULTS)
    for arg in sys.argv[2:]:
        k, _, val = arg.partition("=")
        if k not in v:
            sys.exit("unknown key %s (known: %s)" % (k, ", ".join(KEYS)))
        v[k] = int(val)
    page = struct.pack("<%dI" % (len(KEYS) + 1), 0x50544142, *[v[k] for k in KEYS]).ljust(4096, b"\0")
    try:
        with open(path, "r+b") as f:
            f.write(page)
    except FileNotFoundError:
        with open(path, "wb") as f:
            f.write(page)


if __name__ == "__main__":
    main()
