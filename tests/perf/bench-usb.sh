#!/bin/sh
# Benchmark (not a test): the non-interactive USB pass on a machine with 20
# USB devices, in a umockdev test bed (libusb enumerates the recorded sysfs
# and descriptors as it would the real ones). Side by side:
# `cbdiag --version` in the same test bed (process start, the floor),
# `cbdiag run --probe usb`, and usbutils' `lsusb` over the same
# devices as the peer, in turns (tests/perf/turns.c). Also the probe's own
# duration_ms from the report. Prints markdown, the machine's load beside it.
#   sh tests/perf/bench-usb.sh BUILD_DIR [ROUNDS]
set -eu
build=${1:?build dir}
rounds=${2:-30}
for t in umockdev-run jq lsusb; do
	command -v "$t" >/dev/null || { echo "SKIP: $t is not installed"; exit 77; }
done
. "$(dirname "$0")/lib.sh"
T=$(mktemp -d /var/tmp/cbd-usb-XXXXXX)
trap 'rm -rf "$T" "$perf_tmp"' EXIT
/usr/bin/python3 - "$T/bed.umockdev" <<'PY'
import struct, sys
XHCI = "/devices/pci0000:00/0000:00:14.0"

def desc(bcd, cls, vid, pid):
    d = struct.pack("<BBHBBBBHHHBBBB", 18, 1, bcd, cls, 0, 0, 64, vid, pid, 0x0100, 1, 2, 0, 1)
    c = struct.pack("<BBHBBBBB", 9, 2, 9, 0, 1, 0, 0x80, 50)
    return (d + c).hex().upper()

def dev(path, bus, num, speed, bcd, cls, vid, pid, product):
    return (f"P: {path}\nN: bus/usb/{bus:03d}/{num:03d}\nE: SUBSYSTEM=usb\nE: DEVTYPE=usb_device\n"
            f"E: DEVNAME=/dev/bus/usb/{bus:03d}/{num:03d}\nE: BUSNUM={bus:03d}\nE: DEVNUM={num:03d}\n"
            f"A: busnum={bus}\\n\nA: devnum={num}\\n\nA: speed={speed}\\n\nA: idVendor={vid:04x}\\n\n"
            f"A: idProduct={pid:04x}\\n\nA: bDeviceClass={cls:02x}\\n\nA: removable=removable\\n\n"
            f"H: descriptors={desc(bcd, cls, vid, pid)}\nA: product={product}\\n\n\n")

def port(hub_if, name, peer=None):
    s = f"P: {hub_if}/{name}\nE: SUBSYSTEM=usb\nE: DEVTYPE=usb_port\nA: connect_type=hotplug\\n\nA: over_current_count=0\\n\n"
    return s + (f"L: peer={peer}\n" if peer else "") + "\n"

u1, u2 = XHCI + "/usb1", XHCI + "/usb2"
out = f"P: {XHCI}\nE: SUBSYSTEM=pci\nE: DRIVER=xhci_hcd\n\n"
out += dev(u1, 1, 1, "480", 0x0200, 9, 0x1d6b, 0x0002, "xHCI Host Controller")
out += f"P: {u1}/1-0:1.0\nE: SUBSYSTEM=usb\nE: DEVTYPE=usb_interface\n\n"
out += dev(u2, 2, 1, "5000", 0x0300, 9, 0x1d6b, 0x0003, "xHCI Host Controller")
out += f"P: {u2}/2-0:1.0\nE: SUBSYSTEM=usb\nE: DEVTYPE=usb_interface\n\n"
for p in range(1, 5):
    out += port(u1 + "/1-0:1.0", f"usb1-port{p}", f"../../../usb2/2-0:1.0/usb2-port{p}")
    out += port(u2 + "/2-0:1.0", f"usb2-port{p}", f"../../../usb1/1-0:1.0/usb1-port{p}")
# 20 devices: a 7-port hub on port 1 with 7 devices, another behind it with 7,
# a camera, Bluetooth, a stick and an Ethernet adapter on the SuperSpeed hub
n = 2
out += dev(u1 + "/1-1", 1, n, "480", 0x0200, 9, 0x05e3, 0x0610, "USB2.0 Hub"); n += 1
for i in range(1, 8):
    out += dev(u1 + f"/1-1/1-1.{i}", 1, n, "12", 0x0110, 3, 0x046d, 0xc077 + i, f"Device {i}"); n += 1
out += dev(u1 + "/1-3", 1, n, "480", 0x0200, 9, 0x05e3, 0x0610, "USB2.0 Hub"); n += 1
for i in range(1, 8):
    out += dev(u1 + f"/1-3/1-3.{i}", 1, n, "12", 0x0110, 3, 0x046d, 0xc100 + i, f"Device b{i}"); n += 1
out += dev(u1 + "/1-4", 1, n, "480", 0x0200, 0xef, 0x0c45, 0x6a05, "HD WebCam"); n += 1
out += dev(u1 + "/1-2", 1, n, "12", 0x0201, 0xe0, 0x8087, 0x0026, "Bluetooth"); n += 1
out += dev(u2 + "/2-2", 2, 2, "5000", 0x0320, 0, 0x0781, 0x5581, "Ultra")
out += dev(u2 + "/2-3", 2, 3, "5000", 0x0320, 0, 0x0bda, 0x8153, "USB 10/100/1000 LAN")
open(sys.argv[1], "w").write(out)
PY
bed=$T/bed.umockdev
n=$(umockdev-run -d "$bed" -- "$build/diag/cbdiag" run --no-interactive --probe usb -o - 2>/dev/null |
	jq '.probes.usb.data.devices | length')
echo "test bed: $n USB devices (root hubs not counted)"
echo
machine
turns "$rounds" 3 \
	"cbdiag --version (process start)" "umockdev-run -d $bed -- $build/diag/cbdiag --version" \
	"cbdiag run --probe usb" "umockdev-run -d $bed -- $build/diag/cbdiag run --no-interactive --probe usb -o /dev/null --format json" \
	"lsusb" "umockdev-run -d $bed -- lsusb"
machine
echo
for i in $(seq 1 20); do
	umockdev-run -d "$bed" -- "$build/diag/cbdiag" run --no-interactive --probe usb -o - 2>/dev/null |
		jq '.probes.usb.duration_ms'
done | sort -n | awk '{v[NR]=$1} END {printf "usb probe duration_ms over 20 runs: min %s, median %s, max %s\n", v[1], v[int((NR+1)/2)], v[NR]}'
