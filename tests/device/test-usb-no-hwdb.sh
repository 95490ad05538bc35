#!/bin/sh
# The usb probe on a system without a udev hwdb (a machine whose udev has no hwdb),
# in the chromebook-usb test bed: names come from the devices' own strings,
# then from usb.ids, then nothing, and data.names_note says which. The hwdb
# and usb.ids are hidden in a private mount namespace (root only: 77
# otherwise), with a small usb.ids of our own put in place for the second run.
set -u
: "${CBDIAG:?}" "${CBD_SCENARIOS:?}" "${CBDIAG_SRCDIR:?}"
command -v umockdev-run >/dev/null || { echo "SKIP: umockdev-run is not installed"; exit 77; }
command -v jq >/dev/null || { echo "SKIP: jq is not installed"; exit 77; }
[ "$(id -u)" = 0 ] || { echo "SKIP: hiding the hwdb needs a mount namespace (root)"; exit 77; }
unshare -m true 2>/dev/null || { echo "SKIP: no mount namespace here (unshare -m)"; exit 77; }
. "$CBDIAG_SRCDIR/tests/cli/lib.sh"

# run_without_hwdb OUT [USB_IDS]: cbdiag in the test bed, every hwdb.bin and
# usb.ids place hidden; USB_IDS, when given, is the only usb.ids there is
run_without_hwdb() {
	unshare -m --propagation private sh -eu -c '
		: >"$3/empty"
		for f in /etc/udev/hwdb.bin /usr/lib/udev/hwdb.bin /etc/systemd/hwdb/hwdb.bin \
			/usr/lib/systemd/hwdb/hwdb.bin; do
			[ -e "$f" ] && mount --bind "$3/empty" "$f"
		done
		for d in /usr/share/misc /usr/share/hwdata /var/lib/usbutils; do
			[ -d "$d" ] && mount -t tmpfs none "$d"
		done
		[ -n "$4" ] && { mkdir -p /usr/share/misc; cp "$4" /usr/share/misc/usb.ids; }
		rc=0
		umockdev-run -d "$2/chromebook-usb.umockdev" -- \
			"$1" run --no-interactive --probe usb -o "$5" >/dev/null 2>"$5.err" || rc=$?
		echo "$rc" >"$5.rc"
	' sh "$CBDIAG" "$CBD_SCENARIOS" "$T" "${2:-}" "$1"
}
dev() { # dev REPORT PORT_PATH FIELD
	jq -r --arg p "$2" --arg f "$3" '.probes.usb.data.devices[] | select(.port_path == $p) | .[$f]' "$1"
}

# the run itself: its exit code (0 ok, 1 part failed; a crash or a sanitizer
# report, which would still leave a report behind, is neither)
ran() { # ran REPORT
	rc=$(cat "$1.rc")
	check "cbdiag exited $rc (0 or 1)" test "$rc" -le 1
	[ "$rc" -le 1 ] || sed 's/^/    /' "$1.err" | head -20
}

run_without_hwdb "$T/ids.json" "$CBDIAG_SRCDIR/tests/fixtures/usb-ids/usb.ids"
ran "$T/ids.json"
check "no hwdb, usb.ids there: the note says so" \
	test "$(jq -r .probes.usb.data.names_note "$T/ids.json")" = \
	"no udev hwdb on this system: names from the devices' own strings, else usb.ids"
check "Bluetooth (no strings) named from usb.ids: $(dev "$T/ids.json" 1-4 vendor) / $(dev "$T/ids.json" 1-4 product)" \
	test "$(dev "$T/ids.json" 1-4 vendor)/$(dev "$T/ids.json" 1-4 product)" = "Intel Corp./AX201 Bluetooth"
check "a device's own strings come before usb.ids: $(dev "$T/ids.json" 1-6 product)" \
	test "$(dev "$T/ids.json" 1-6 product)" = "USB 10/100/1000 LAN"

run_without_hwdb "$T/none.json"
ran "$T/none.json"
check "neither hwdb nor usb.ids: the note says so" \
	test "$(jq -r .probes.usb.data.names_note "$T/none.json")" = \
	"no udev hwdb on this system: names only from the devices' own strings"
check "Bluetooth has no name then: $(dev "$T/none.json" 1-4 vendor)" \
	test "$(dev "$T/none.json" 1-4 vendor)" = null
check "the rest of the report is as with a hwdb: 6 devices, status $(jq -r .probes.usb.status "$T/none.json")" \
	test "$(jq '.probes.usb.data.devices | length' "$T/none.json")/$(jq -r .probes.usb.status "$T/none.json")" = "6/warn"

finish
