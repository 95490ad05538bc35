#!/usr/bin/python3
# The table of tests/perf/bench-readtest.sh and bench-readtest-nvme.sh, from
# their rounds file: one line a round, "N ORDER|FIO_128K FIO_1M CBDIAG" in
# MiB/s. fio's best configuration is the one with the better median; each
# round's ratio is taken against that one (the better of two noisy figures in
# each round would favour fio by the noise alone).
import statistics, sys
rows = []
for line in open(sys.argv[1]):
    head, figs = line.rstrip("\n").split("|")
    i, order = head.split(" ", 1)
    rows.append((i, order, *[float(x) for x in figs.split()]))
m1 = statistics.median(r[2] for r in rows)
m2 = statistics.median(r[3] for r in rows)
mc = statistics.median(r[4] for r in rows)
col, label = (2, "128 KiB") if m1 >= m2 else (3, "1 MiB")
print("| round | order | fio 128 KiB QD32 MiB/s | fio 1 MiB QD32 MiB/s | cbdiag full MiB/s | cbdiag / fio %s |" % label)
print("|---|---|---:|---:|---:|---:|")
ratios = []
for r in rows:
    ratios.append(r[4] / r[col])
    print("| %s | %s | %.1f | %.1f | %.1f | %.3f |" % (r[0], r[1], r[2], r[3], r[4], ratios[-1]))
print()
print("medians: fio 128 KiB %.1f, fio 1 MiB %.1f, cbdiag %.1f MiB/s; fio's best is %s:"
      " ratio of medians %.3f, median of the round ratios %.3f (from %.2f to %.2f)"
      % (m1, m2, mc, label, mc / max(m1, m2), statistics.median(ratios), min(ratios), max(ratios)))
