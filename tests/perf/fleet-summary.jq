# The fleet aggregation of `cbdiag summary`, in jq, for the side-by-side
# benchmark (tests/perf/bench-summary.sh). Input: a stream of reports.
# Same figures: reports, devices, per-probe status shares, top finding codes,
# per model over the latest report of each device (devices, battery health
# median, p10, share below 80 and 60), still-failing devices and repeat
# visitors.
def pct(a; b): if b == 0 then 0 else ((1000 * a / b) | round) / 10 end;
def r1: if . == null then null else ((. * 10) | round) / 10 end;
[inputs | select(.schema_version == 1 and .tool.name == "cbdiag")
 | {key: (.device.serial // (if .device.asset_tag then "asset:" + .device.asset_tag else null end)),
    model: (.device.model // "unknown"), started_at, overall,
    st: (.probes | to_entries | map({probe: .key, status: .value.status})),
    codes: ([.probes[] | .findings[] | {code, severity}] | group_by(.code)
            | map({code: .[0].code, severity: (map(.severity) | if index("fail") then "fail"
                   elif index("warn") then "warn" else "info" end)})),
    health: (.probes.battery.data.batteries[0].health_percent // null)}]
| . as $all
| ($all | map(select(.key != null)) | group_by(.key)
   | map(sort_by(.started_at))) as $devs
| ($devs | map(last)) as $latest
| {reports: ($all | length),
   devices: ($devs | length),
   probes: ([$all[].st[]] | group_by(.probe) | map({name: .[0].probe, reports: length,
            fail_percent: pct(map(select(.status == "fail")) | length; length),
            warn_percent: pct(map(select(.status == "warn")) | length; length)})),
   top_findings: ([$all[].codes[]] | group_by(.code)
                  | map({code: .[0].code, reports: length,
                         fail: (map(select(.severity == "fail")) | length)})
                  | sort_by(-.reports) | .[:20]),
   models: ($latest | group_by(.model) | map(
              (map(.health | select(. != null)) | sort) as $h
              | ($h | length) as $n
              | {model: .[0].model, devices: length,
                 still_failing: (map(select(.overall == "fail")) | length),
                 median: (if $n == 0 then null elif $n % 2 == 1 then $h[($n / 2 | floor)]
                          else ($h[$n / 2 - 1] + $h[$n / 2]) / 2 end | r1),
                 p10: (if $n == 0 then null else $h[((0.1 * $n) | ceil) - 1] end | r1),
                 below_warn_percent: pct($h | map(select(. < 80)) | length; $n),
                 below_fail_percent: pct($h | map(select(. < 60)) | length; $n)})
            | sort_by(-.devices)),
   still_failing: ($latest | map(select(.overall == "fail")) | length),
   repeat_visitors: ([$devs[] | . as $r
                      | [$r[].st[] | select(.status == "fail") | .probe] | group_by(.)
                      | map(select(length >= 2))[]] | length)}
