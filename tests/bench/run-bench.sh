#!/bin/sh
# The virtual bench: boot the repair image's kernel and initramfs under QEMU
# with the emulated hardware a scenario describes, let cbdiag run inside, take
# its report off the serial console, and check the fields the scenario
# expects. Every run also hashes the guest's disk images before and after:
# nothing may write to them.
#
#   run-bench.sh CBDIAG OUT_DIR SCENARIO_FILE...
#
# Skipped (77) without qemu-system-x86_64 or the kernel package; a boot that
# never reaches cbdiag is a failure.
set -u
cbdiag=${1:?cbdiag binary}
out=${2:?output dir}
shift 2
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
PY=/usr/bin/python3
QEMU=$(command -v qemu-system-x86_64 || true)
[ -n "$QEMU" ] || { echo "SKIP: qemu-system-x86_64 is not installed"; exit 77; }
mkdir -p "$out"
t0=$(date +%s.%N)
sh "$here/build-image.sh" "$cbdiag" "$out"
rc=$?
[ $rc -eq 0 ] || exit $rc
echo "image built in $(echo "$(date +%s.%N) - $t0" | bc) s"
# the ACPI battery (battery.asl): compiled once; a scenario with battery= lines
# gets a shared page with those values (battery-page.py)
if command -v iasl >/dev/null; then
	cp "$here/battery.asl" "$out/battery.asl"
	iasl -p "$out/battery" "$out/battery.asl" >"$out/iasl.log" 2>&1 ||
		{ echo "FAIL battery.asl does not compile:"; cat "$out/iasl.log"; exit 1; }
	# the lid (lid.asl): a second SSDT on the battery's page, for lid=1 scenarios
	cp "$here/lid.asl" "$out/lid.asl"
	iasl -p "$out/lid" "$out/lid.asl" >"$out/iasl-lid.log" 2>&1 ||
		{ echo "FAIL lid.asl does not compile:"; cat "$out/iasl-lid.log"; exit 1; }
fi
# a scenario among the arguments with both lines: has_scenario LINE [LINE2]
has_scenario() {
	for f in $scenario_files; do
		grep -q "^$1" "$f" 2>/dev/null || continue
		[ $# -lt 2 ] && return 0
		if [ "$2" = '!arch=arm64' ]; then
			grep -q '^arch=arm64' "$f" || return 0
		elif grep -q "^$2" "$f"; then
			return 0
		fi
	done
	return 1
}
scenario_files=$*
# image=devshell scenarios: the ChromeOS developer-shell guest (no cbdiag, no
# shared library) and the stick files with the x86_64 bundle (devshell/)
if has_scenario image=devshell '!arch=arm64'; then
	sh "$here/devshell/build-image.sh" "$cbdiag" "$out" ||
		{ echo "FAIL the developer-shell guest or the bundle could not be built"; exit 1; }
fi
# arch=arm64 scenarios: the arm64 image (arm64/build-image.sh) with cbdiag
# cross-built for aarch64 (tests/cross; the cross suite's tree when meson
# names it in CBDIAG_CROSS_BUILD), booted by qemu-system-aarch64 -M virt
arm64_ok=
if grep -q '^arch=arm64' "$@" 2>/dev/null; then
	cross=${CBDIAG_CROSS_BUILD:-$out/cross-aarch64}
	if ! command -v qemu-system-aarch64 >/dev/null; then
		arm64_ok="qemu-system-aarch64 is not installed (qemu-system-arm)"
	elif ! sh "$src/tests/cross/cross-build.sh" "$src" "$cross" --build-only >"$out/cross.log" 2>&1; then
		arm64_ok="cbdiag could not be cross-built for aarch64 ($(tail -1 "$out/cross.log"))"
	elif ! sh "$here/arm64/build-image.sh" "$cross/diag/cbdiag" "$out/arm64" >"$out/arm64.log" 2>&1; then
		arm64_ok="the arm64 image could not be built ($(tail -1 "$out/arm64.log"))"
	fi
	[ -z "$arm64_ok" ] && tail -1 "$out/arm64.log"
	# arch=arm64 and image=devshell: the arm64 developer-shell guest (the
	# arm64 image's root without cbdiag and its libraries) and the stick
	# files with the aarch64 bundle
	if [ -z "$arm64_ok" ] && has_scenario arch=arm64 image=devshell &&
		! sh "$here/devshell/build-image.sh" "$cross/diag/cbdiag" "$out/arm64" aarch64 >"$out/arm64-devshell.log" 2>&1; then
		arm64_ok="the arm64 developer-shell guest or the aarch64 bundle could not be built ($(tail -1 "$out/arm64-devshell.log"))"
	fi
fi
# hardware KVM only (tests/bench/README.md: this machine's /dev/kvm cannot run a stock kernel)
accel=tcg
if grep -qw -e vmx -e svm /proc/cpuinfo && [ -e /dev/kvm ]; then accel=kvm; fi
passed=0 failed=0
# The help desk the guests reach over QEMU's user network (10.0.2.2 is the
# host) is HTTPS, as cbdiag requires for anything but this machine: one
# self-signed certificate for 10.0.2.2, its CA file on the stick (ca_file).
tls=$out/tls
bench_tls() {
	[ -s "$tls/cert.pem" ] && return 0
	mkdir -p "$tls"
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tls/key.pem" -out "$tls/cert.pem" -days 2 \
		-subj /CN=10.0.2.2 -addext subjectAltName=IP:10.0.2.2 >/dev/null 2>&1
}
# the arm64 image in the format depthcharge boots on ARM (a FIT, signed with
# vboot's developer keys when depthcharge-tools is installed), checked with
# dumpimage and vbutil_kernel; the arm64 scenarios boot the kernel and the
# initramfs taken back out of it (arm64/make-fit.sh, arm64/check-fit.sh)
if grep -q '^arch=arm64' "$@" 2>/dev/null && [ -z "$arm64_ok" ]; then
	if sh "$here/arm64/make-fit.sh" "$out/arm64" "console=tty0 quiet cbdiag.intern=1" >"$out/fit.log" 2>&1; then
		tail -1 "$out/fit.log"
		sh "$here/arm64/check-fit.sh" "$out/arm64" >"$out/fit.checks"
	else
		echo "FAIL the arm64 FIT could not be made: $(tail -1 "$out/fit.log")" >"$out/fit.checks"
	fi
	cat "$out/fit.checks"
	passed=$((passed + $(grep -c '^ok' "$out/fit.checks")))
	failed=$((failed + $(grep -c '^FAIL' "$out/fit.checks")))
fi

check_usb() { # check_usb REPORT SERIAL_LOG -> the usb probe's devices against sysfs
	$PY - "$1" "$2" <<'PYEOF'
import json, re, sys
d = json.load(open(sys.argv[1]))
usb = d["probes"]["usb"]["data"]["devices"]
log = open(sys.argv[2], "rb").read().decode("utf-8", "replace").replace("\r", "")
# "CBDIAG-USBSYSFS: BUS DEV VID:PID SPEED", one per device, root hubs left out
ref = {(int(m.group(1)), int(m.group(2))): [m.group(3), float(m.group(4))]
       for m in re.finditer(r"^CBDIAG-USBSYSFS: (\d+) (\d+) ([0-9a-f]{4}:[0-9a-f]{4}) ([0-9.]+)$",
                            log, re.M)}
got = {(x["bus"], x["address"]): [x["vendor_id"] + ":" + x["product_id"], x["speed_mbps"]] for x in usb}
ok = got == ref and len(ref) > 0
print("%s the usb devices match the kernel's sysfs: %s" % ("ok  " if ok else "FAIL", sorted(got.items()) if ok else "cbdiag %s, sysfs %s" % (sorted(got.items()), sorted(ref.items()))))
sys.exit(0 if ok else 1)
PYEOF
}

extra_lsusb() { # extra_lsusb OUT.cpio.gz: lsusb and the libraries it links, as a cpio archive
	lsusb=$(command -v lsusb) || return 1
	[ -s "$1" ] && return 0
	x=$(mktemp -d)
	mkdir -p "$x/usr/bin"
	cp "$lsusb" "$x/usr/bin/lsusb"
	ldd "$lsusb" | awk '/=> \//{print $3} /^\t\/lib/{print $1}' | while read -r lib; do
		mkdir -p "$x$(dirname "$lib")"
		cp -L "$lib" "$x$lib"
	done
	(cd "$x" && find . | cpio -o -H newc --quiet | gzip -9) >"$1.tmp" && mv "$1.tmp" "$1"
	rm -rf "$x"
}

extra_modules() { # extra_modules OUT.cpio.gz LIST MODULE... [-- PROGRAM...]: bench-only kernel
	# modules from the image's kernel (with what they depend on, in load order, listed in
	# /etc/LIST) and programs with their libraries, as a cpio archive
	arc=$1 list=$2
	shift 2
	[ -s "$arc" ] && return 0
	kver=$(ls "$out/kernel/lib/modules" | head -1)
	x=$(mktemp -d)
	mkdir -p "$x/usr/bin" "$x/etc"
	mods=
	while [ $# -gt 0 ] && [ "$1" != -- ]; do mods="$mods $1"; shift; done
	[ $# -gt 0 ] && shift
	for prog in "$@"; do
		[ -x "$prog" ] || { rm -rf "$x"; return 1; }
		cp "$prog" "$x/usr/bin/"
		ldd "$prog" | awk '/=> \//{print $3} /^\t\/lib/{print $1}' | while read -r lib; do
			mkdir -p "$x$(dirname "$lib")"
			cp -L "$lib" "$x$lib"
		done
	done
	for m in $mods; do
		modprobe -d "$out/kernel" -S "$kver" --show-depends "$m" 2>/dev/null | awk '$1=="insmod"{print $2}'
	done | awk '!seen[$0]++' | while read -r ko; do
		rel=${ko#"$out/kernel"}
		mkdir -p "$x$(dirname "$rel")"
		cp "$ko" "$x$rel"
		echo "$rel" >>"$x/etc/$list"
	done
	[ -s "$x/etc/$list" ] || { rm -rf "$x"; return 1; }
	(cd "$x" && find . | cpio -o -H newc --quiet | gzip -9) >"$arc.tmp" && mv "$arc.tmp" "$arc"
	rm -rf "$x"
}

check_lsusb() { # check_lsusb REPORT SERIAL_LOG -> ok/FAIL line: cbdiag's devices against lsusb's
	$PY - "$1" "$2" <<'PYEOF'
import json, re, sys
d = json.load(open(sys.argv[1]))
usb = d["probes"]["usb"]["data"]["devices"]
log = open(sys.argv[2], "rb").read().decode("utf-8", "replace").replace("\r", "")
# "Bus 001 Device 002: ID 0627:0001 QEMU QEMU USB Tablet"; root hubs (device 1) left out
ids = {(int(m.group(1)), int(m.group(2))): m.group(3).lower()
       for m in re.finditer(r"^CBDIAG-LSUSB: Bus (\d+) Device (\d+): ID ([0-9a-fA-F]{4}:[0-9a-fA-F]{4})",
                            log, re.M) if int(m.group(2)) != 1}
# lsusb -t: "/:  Bus 02.Port 1: Dev 1, Class=root_hub, ..., 5000M", then one line per
# interface: "    |__ Port 2: Dev 2, If 0, Class=Mass Storage, Driver=usb-storage, 5000M"
# the indentation is the depth behind hubs: the port path is the chain of ports
speed, path, bus, chain = {}, {}, None, []
for line in re.findall(r"^CBDIAG-LSUSBT: (.*)$", log, re.M):
    m = re.match(r"/:\s+Bus (\d+)\.", line)
    if m:
        bus, chain = int(m.group(1)), []
        continue
    m = re.search(r"\|__ Port (\d+): Dev (\d+), If \d+, .*, ([0-9.]+)M$", line)
    if m and bus is not None:
        depth = line.index("|__") // 4
        chain = chain[:depth - 1] + [m.group(1)]
        speed[(bus, int(m.group(2)))] = float(m.group(3))
        path[(bus, int(m.group(2)))] = "%d-%s" % (bus, ".".join(chain))
ref = {k: [v, speed.get(k), path.get(k)] for k, v in ids.items()}
got = {(x["bus"], x["address"]): [x["vendor_id"] + ":" + x["product_id"], x["speed_mbps"],
                                  x["port_path"]] for x in usb}
ok = got == ref and len(ref) > 0
print("%s the usb devices match lsusb and lsusb -t (ids, speeds, port paths): %s" % ("ok  " if ok else "FAIL", sorted(got.items()) if ok else "cbdiag %s, lsusb %s" % (sorted(got.items()), sorted(ref.items()))))
sys.exit(0 if ok else 1)
PYEOF
}

check_arrivals() { # check_arrivals SERIAL_LOG COUNT -> ok/FAIL line with the figures
	$PY - "$1" "$2" <<'PYEOF'
import re, statistics, sys
log = open(sys.argv[1], "rb").read().decode("utf-8", "replace").replace("\r", "")
want = int(sys.argv[2])
# the guest's tracer, on CLOCK_MONOTONIC: '... 12.345678: uevent: (...) name="2-2"
# action="ACTION=add"' for every uevent the kernel sent (reading a uevent file has no ACTION), "... 12.350000: have: (...) ret=1" each time cbdiag
# had a USB event in hand (one per usb_device add or remove, in order)
ev = []
for m in re.finditer(r"^CBDIAG-TRACE: .* ([0-9]+\.[0-9]+): (uevent|have): .*$", log, re.M):
    t, kind, line = float(m.group(1)), m.group(2), m.group(0)
    if kind == "uevent":
        n = re.search(r'name="([^"]*)" action="ACTION=(add|remove)"', line)
        if n and re.fullmatch(r"[0-9]+-[0-9.]+", n.group(1)):
            ev.append((n.group(2), n.group(1), t))
    elif line.endswith("ret=1"):
        ev.append(("have", None, t))
sent = [e for e in ev if e[0] != "have"]
have = [e[2] for e in ev if e[0] == "have"]
lat = [(name, (h - t) * 1000) for (action, name, t), h in zip(sent, have) if action == "add"]
ok = (len(sent) == len(have) and all(h >= t for (_, _, t), h in zip(sent, have))
      and len(lat) == want)
if ok:
    ms = [x for _, x in lat]
    print("ok   %d arrivals in cbdiag's hands %s after the kernel's uevent (median %.1f ms, "
          "max %.1f ms; a figure, not a limit)" % (len(lat), ", ".join("%s %.1f ms" % x for x in lat),
                                                   statistics.median(ms), max(ms)))
else:
    print("FAIL the arrival trace: %d usb uevents, %d times cbdiag had one, %d arrivals (want %d)"
          % (len(sent), len(have), len(lat), want))
sys.exit(0 if ok else 1)
PYEOF
}

check_report() { # check_report REPORT EXIT SCENARIO -> prints ok/FAIL lines, returns failures
	$PY - "$1" "$2" "$3" <<'PYEOF'
import json, sys
report, exit_code, scenario = sys.argv[1], sys.argv[2], sys.argv[3]
d = json.load(open(report))
fails = 0
for line in open(scenario):
    if not line.startswith("expect="):
        continue
    path, want = line[len("expect="):].rstrip("\n").split("=", 1)
    if path == "exit":
        got = exit_code
    else:
        got = d
        try:
            for part in path.split("."):
                got = got[int(part)] if isinstance(got, list) else got[part]
        except (KeyError, IndexError, TypeError):
            got = "<missing>"
        if isinstance(got, bool):
            got = "true" if got else "false"
        elif isinstance(got, float) and got == int(got):
            got = int(got)
    if want == "<number>":  # measured: its value is a figure, not a verdict
        ok = isinstance(got, (int, float)) and not isinstance(got, bool)
    else:
        ok = str(got) == want
    fails += not ok
    print("%s %s = %s%s" % ("ok  " if ok else "FAIL", path, got, "" if ok else "  (want %s)" % want))
sys.exit(min(fails, 100))
PYEOF
}

run_one() { # run_one SCENARIO: one boot; adds to passed/failed; sets nt
	sc=$1 nt=0 hook_pid=
	name=$(basename "$sc" .scenario)
	w=$out/run-$name
	rm -rf "$w" && mkdir -p "$w"
	echo "== $name: $(sed -n 's/^description=//p' "$sc")"
	# the guest's disks: an NVMe image with a known first MiB, a FAT USB stick
	truncate -s 256M "$w/nvme.img"
	awk 'BEGIN{for(i=0;i<32768;i++) printf "CBDIAG-BENCH-%018d\n", i}' |
		dd of="$w/nvme.img" conv=notrunc status=none
	truncate -s 64M "$w/stick.img"
	busybox mkdosfs -n STICK "$w/stick.img" >/dev/null
	bd=$(sed -n 's/^blkdebug=//p' "$sc")
	if [ -n "$bd" ]; then
		first=${bd%:*} count=${bd#*:}
		for s in $(seq "$first" $((first + count - 1))); do
			printf '[inject-error]\nevent = "read_aio"\nerrno = "5"\nsector = "%s"\nonce = "off"\n\n' "$s"
		done >"$w/blkdebug.conf"
	fi
	# the repair stick's own data partition, where the intern flow saves reports
	# (written by the guest on purpose: not among the disks that must not change)
	truncate -s 64M "$w/repair.img"
	busybox mkdosfs -n CBDIAG "$w/repair.img" >/dev/null
	before=$(sha256sum "$w/nvme.img" "$w/stick.img" | cut -d' ' -f1 | tr '\n' ' ')
	# the test modules are built when the guest kernel's headers are installed
	# (install-deps does it): without them the scenario cannot run, which is
	# a failure of the set-up, not a pass
	if grep -q '^needs=test-modules' "$sc" && [ ! -f "$out/cbdiag_hang.ko" ]; then
		echo "FAIL the bench's test modules were not built: install linux-headers-amd64 (sh .ci/install-deps --tests)"
		failed=$((failed + 1))
		return
	fi
	if grep -q '^battery=' "$sc"; then
		if [ ! -f "$out/battery.aml" ]; then
			echo "FAIL this scenario needs iasl (acpica-tools) for its ACPI battery"
			failed=$((failed + 1))
			return
		fi
		# shellcheck disable=SC2046
		$PY "$here/battery-page.py" "$w/battery.page" $(sed -n 's/^battery=//p' "$sc")
		bat="-acpitable file=$out/battery.aml -object memory-backend-file,id=batpage,share=on,mem-path=$w/battery.page,size=4096 -device ivshmem-plain,memdev=batpage,addr=0x10"
		# lid=1: the ACPI lid whose switch is the page's word 11 (lid.asl)
		grep -q '^lid=1' "$sc" && bat="$bat -acpitable file=$out/lid.aml"
	else
		bat=
	fi
	qargs=$(sed -n 's/^qemu=//p' "$sc" | tr '\n' ' ' |
		sed "s|@NVME@|$w/nvme.img|g; s|@STICK@|$w/stick.img|g; s|@REPAIR@|$w/repair.img|g; s|@BLKDEBUG@|$w/blkdebug.conf|g; s|@WORK@|$w|g")
	qargs="$qargs $bat"
	cmd="console=ttyS0 quiet panic=-1 no_timer_check $(sed -n 's/^cmdline=//p' "$sc" | tr '\n' ' ') cbdiag.args=$(sed -n 's/^cbdiag=//p' "$sc")"
	# chromeos=KEY=VALUE lines: what a Chromebook's firmware gives (issue 13): a
	# coreboot table with a VPD at a fixed address (QEMU's generic loader; the
	# kernel keeps off it, memmap=) and the ACPI devices GOOGCB00 pointing at it
	# and GGL0001 with HWID/FWID/FRID (chromeos-firmware.py); read by the
	# kernel's own coreboot_table, vpd-sysfs and chromeos_acpi
	if grep -q '^chromeos=' "$sc"; then
		# one KEY=VALUE a line (a value may hold spaces)
		if ! fw=$(sed -n 's/^chromeos=//p' "$sc" | tr '\n' '\0' | xargs -0 $PY "$here/chromeos-firmware.py" "$w") ||
			! iasl -p "$w/chromeos" "$w/chromeos.asl" >"$w/iasl.log" 2>&1; then
			echo "FAIL the Chromebook firmware tables could not be made (iasl, chromeos-firmware.py)"
			failed=$((failed + 1)); return
		fi
		qargs="$qargs -acpitable file=$w/chromeos.aml -device loader,file=$w/coreboot.bin,addr=${fw% *},force-raw=on"
		cmd="$cmd memmap=${fw#* }\$${fw% *}"
	fi
	# boot=bios|uefi: the whole repair stick (make-disk.sh: MBR, syslinux for
	# BIOS, syslinux.efi for UEFI, the FAT partition CBDIAG) plugged in as the
	# scenario's @DISK@, booted by SeaBIOS or OVMF; else kernel and initramfs
	# straight from QEMU
	boot=$(sed -n 's/^boot=//p' "$sc")
	bootargs="-kernel $out/vmlinuz -initrd $out/initramfs.cpio.gz"
	# extra=lsusb: usbutils' lsusb in a second cpio archive after the image's
	# (the kernel unpacks both), for this scenario only: in the image itself
	# it made QEMU's NVMe lose commands (README)
	if grep -q '^extra=lsusb' "$sc"; then
		if ! extra_lsusb "$out/lsusb.cpio.gz"; then
			echo "FAIL this scenario needs usbutils' lsusb on the host (sh .ci/install-deps --tests)"
			failed=$((failed + 1))
			return
		fi
		cat "$out/initramfs.cpio.gz" "$out/lsusb.cpio.gz" >"$w/initramfs+lsusb.cpio.gz"
		bootargs="-kernel $out/vmlinuz -initrd $w/initramfs+lsusb.cpio.gz"
	fi
	# extra=wifi: the kernel's simulated radios (mac80211_hwsim, two) and a
	# vhci Bluetooth controller, with iw; extra=camera: vivid, a V4L2 capture
	# device; extra=touch: uinput and the bench's clickpad program. Each a second archive the same way (bench-only modules never go
	# on the stick); the init sets them up (cbdiag.wifi=1, cbdiag.camera=1)
	initrd=$out/initramfs.cpio.gz
	for e in $(sed -n 's/^extra=//p' "$sc"); do
		case $e in
		wifi) extra_modules "$out/wifi.cpio.gz" wifi-modules.list mac80211_hwsim hci_vhci -- \
			"$(command -v iw || echo /usr/sbin/iw)" ;;
		camera) extra_modules "$out/camera.cpio.gz" camera-modules.list vivid ;;
		touch) extra_modules "$out/touch.cpio.gz" touch-modules.list uinput -- \
			"${CBD_BENCH_UINPUT_TOUCHPAD:-$out/uinput-touchpad}" ;;
		*) continue ;;
		esac || {
			echo "FAIL this scenario needs $e's modules from the kernel package (and iw for wifi; sh .ci/install-deps --tests)"
			failed=$((failed + 1))
			return
		}
		cat "$initrd" "$out/$e.cpio.gz" >"$w/initramfs+$e.cpio.gz"
		initrd=$w/initramfs+$e.cpio.gz
	done
	[ "$initrd" = "$out/initramfs.cpio.gz" ] || bootargs="-kernel $out/vmlinuz -initrd $initrd"
	# boot=depthcharge: the Chromebook stick (make-chromebook-disk.sh) checked
	# with the field's tools (check-kpart.sh), then the kernel and initramfs
	# cut out of its signed partition booted with its signed command line;
	# the stick is the scenario's @DISK@, where the first stage finds the image
	if [ "$boot" = depthcharge ]; then
		boot=
		if ! sh "$here/make-chromebook-disk.sh" "$out" "$w/disk.img" >"$w/make-disk.log" 2>&1; then
			echo "FAIL the Chromebook stick could not be made:"; sed 's/^/    /' "$w/make-disk.log"
			failed=$((failed + 1)); return
		fi
		size=$(stat -c %s "$w/disk.img")
		if [ "$size" -lt 40000000 ]; then
			echo "ok   the Chromebook stick image is $(echo "scale=1; $size / 1000000" | bc) MB (under 40)"
			passed=$((passed + 1))
		else
			echo "FAIL the Chromebook stick image is $size bytes, over 40 MB"
			failed=$((failed + 1))
		fi
		sh "$here/check-kpart.sh" "$w/disk.img" "$w/kpart" "$out" >"$w/kpart.checks"
		cat "$w/kpart.checks"
		passed=$((passed + $(grep -c '^ok' "$w/kpart.checks")))
		failed=$((failed + $(grep -c '^FAIL' "$w/kpart.checks")))
		# the first stage refuses an image on the stick that is not the one it
		# was signed with: a copy of the stick with another initramfs.cpio.gz
		if grep -q '^tamper-check=1' "$sc"; then
			cp "$w/disk.img" "$w/tampered.img"
			echo "not the image" | gzip >"$w/tampered.gz"
			kp=$(cgpt show -i 2 -b "$w/disk.img")
			MTOOLS_SKIP_CHECK=1 mcopy -o -i "$w/tampered.img@@$((kp * 512))" "$w/tampered.gz" ::/cbdiag/initramfs.cpio.gz
			timeout 120 "$QEMU" -accel $accel -m 1024 -smp 1 -nodefaults -nographic -no-reboot \
				-kernel "$w/kpart/vmlinuz" -initrd "$w/kpart/initramfs" \
				-append "$(cat "$w/kpart/cmdline") console=ttyS0 panic=-1 no_timer_check cbdiag.bench=1" \
				-serial "file:$w/tampered.log" -nic none -device qemu-xhci,id=xhci \
				-drive "file=$w/tampered.img,if=none,id=t,format=raw" -device usb-storage,bus=xhci.0,drive=t \
				</dev/null >/dev/null 2>&1
			if grep -aq 'CBDIAG-STAGE1-FAILED: .*not the one this kernel was signed with' "$w/tampered.log" &&
				! grep -aq 'CBDIAG-BENCH-READY' "$w/tampered.log"; then
				echo "ok   the first stage refuses a stick whose image is not the signed one (and says so on the screen)"
				passed=$((passed + 1))
			else
				echo "FAIL the first stage did not refuse a changed image; see $w/tampered.log"
				failed=$((failed + 1))
			fi
			rm -f "$w/tampered.img"
		fi
		qargs=$(echo "$qargs" | sed "s|@DISK@|$w/disk.img|g")
		bootargs="-kernel $w/kpart/vmlinuz -initrd $w/kpart/initramfs"
		# the bench's own additions after the signed ones: its serial console
		# (the last console= is /dev/console) and the scenario's lines
		cmd="$(cat "$w/kpart/cmdline") console=ttyS0 panic=-1 no_timer_check $(sed -n 's/^cmdline=//p' "$sc" | tr '\n' ' ')"
	fi
	if [ -n "$boot" ]; then
		sh "$here/make-disk.sh" "$out" "$w/disk.img" "$cmd" >/dev/null || {
			echo "FAIL the disk image could not be made"; failed=$((failed + 1)); return; }
		qargs=$(echo "$qargs" | sed "s|@DISK@|$w/disk.img|g")
		# the stick image under 40 MB (a size, not a time: it cannot flake)
		size=$(stat -c %s "$w/disk.img")
		if [ "$size" -lt 40000000 ]; then
			echo "ok   the stick image is $(echo "scale=1; $size / 1000000" | bc) MB (under 40)"
			passed=$((passed + 1))
		else
			echo "FAIL the stick image is $size bytes, over 40 MB"
			failed=$((failed + 1))
		fi
		# helpdesk=webhook: the district's help desk, played by the fake webhook
		# on the host, reached from the guest through QEMU's user network
		# (10.0.2.2 is the host); its cbdiag.conf goes on the stick
		hook_pid=
		if grep -q '^helpdesk=webhook' "$sc"; then
			mkdir -p "$w/hook"
			rm -f "$w/hook.port"
			bench_tls
			$PY "$src/tests/helpdesk/fake-webhook.py" "$w/hook.port" "$w/hook" "$tls/cert.pem" "$tls/key.pem" &
			hook_pid=$!
			for _ in $(seq 100); do [ -s "$w/hook.port" ] && break; sleep 0.05; done
			printf '[helpdesk]\ntype = webhook\nurl = https://10.0.2.2:%s/cbdiag\nca_file = /mnt/stick/ca.pem\nqueue_dir = /mnt/stick/queue\n' \
				"$(cat "$w/hook.port")" >"$w/cbdiag.conf"
			MTOOLS_SKIP_CHECK=1 mcopy -i "$w/disk.img@@1M" "$w/cbdiag.conf" ::/cbdiag.conf
			MTOOLS_SKIP_CHECK=1 mcopy -i "$w/disk.img@@1M" "$tls/cert.pem" ::/ca.pem
		fi
		bootargs=
		cmd=
		if [ "$boot" = uefi ]; then
			cp /usr/share/OVMF/OVMF_VARS_4M.fd "$w/ovmf-vars.fd"
			bootargs="-machine q35 -drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd -drive if=pflash,format=raw,file=$w/ovmf-vars.fd"
		fi
	fi
	# image=devshell: the guest without cbdiag boots, the bundle and its
	# launcher are on the repair stick's FAT partition (devshell/init)
	if grep -q '^image=devshell' "$sc" && ! grep -q '^arch=arm64' "$sc"; then
		bootargs="-kernel $out/vmlinuz -initrd $out/devshell.cpio.gz"
		MTOOLS_SKIP_CHECK=1 mcopy -s -i "$w/repair.img" "$out/devshell-stick/cbdiag.sh" \
			"$out/devshell-stick/cbdiag-lang.sh" "$out/devshell-stick/cbdiag" ::/
	fi
	# arch=arm64: the arm64 image on QEMU's virt machine (TCG), console on the PL011
	qemu=$QEMU mach= acc=$accel
	if grep -q '^arch=arm64' "$sc"; then
		if [ -n "$arm64_ok" ]; then
			echo "FAIL this scenario needs the arm64 image: $arm64_ok (sh .ci/install-deps --tests)"
			failed=$((failed + 1))
			return
		fi
		qemu=$(command -v qemu-system-aarch64) mach="-M virt -cpu cortex-a57" acc=tcg
		# the image and, after it, the bench's battery module (a second archive)
		# (the kernel and initramfs out of the signed FIT when check-fit.sh took them out)
		ki=$out/arm64/fit-Image ri=$out/arm64/fit-initramfs.cpio.gz
		[ -f "$ki" ] && [ -f "$ri" ] || ki=$out/arm64/Image ri=$out/arm64/initramfs.cpio.gz
		# image=devshell: ChromeOS's side is the kernel; the root is the
		# developer-shell guest's, the stick carries the aarch64 bundle
		if grep -q '^image=devshell' "$sc"; then
			ri=$out/arm64/devshell.cpio.gz
			MTOOLS_SKIP_CHECK=1 mcopy -o -s -i "$w/repair.img" "$out/arm64/devshell-stick/cbdiag.sh" \
				"$out/arm64/devshell-stick/cbdiag-lang.sh" "$out/arm64/devshell-stick/cbdiag" ::/
		fi
		cat "$ri" "$out/arm64/bench.cpio.gz" >"$w/initramfs+bench.cpio.gz" 2>/dev/null
		bootargs="-kernel $ki -initrd $w/initramfs+bench.cpio.gz"
		cmd=$(echo "$cmd" | sed 's/console=ttyS0/console=ttyAMA0/')
	fi
	# helpdesk=rt: Request Tracker, played by fake-rt.py on the host with the
	# tickets of rt-tickets=ID:SERIAL...; its cbdiag.conf and token go on the
	# CBDIAG data partition (the stick's, or the bare @REPAIR@ one)
	rt_pid=
	if grep -q '^helpdesk=rt' "$sc"; then
		mkdir -p "$w/rt"
		rm -f "$w/rt.port"
		bench_tls
		# shellcheck disable=SC2046
		CBDIAG_TLS_CERT=$tls/cert.pem CBDIAG_TLS_KEY=$tls/key.pem \
			$PY "$here/fake-rt.py" "$w/rt.port" "$w/rt" $(sed -n 's/^rt-tickets=//p' "$sc") &
		rt_pid=$!
		for _ in $(seq 100); do [ -s "$w/rt.port" ] && break; sleep 0.05; done
		printf '[helpdesk]\ntype = rt\nurl = https://10.0.2.2:%s\nca_file = /mnt/stick/ca.pem\ntoken_file = /mnt/stick/rt.token\nqueue_dir = /mnt/stick/queue\n' \
			"$(cat "$w/rt.port")" >"$w/cbdiag.conf"
		cp "$tls/cert.pem" "$w/ca.pem"
		echo "1-bench-token-not-secret" >"$w/rt.token"
		part="$w/repair.img"
		[ -n "$boot" ] && part="$w/disk.img@@1M"
		MTOOLS_SKIP_CHECK=1 mcopy -i "$part" "$w/cbdiag.conf" "$w/rt.token" "$w/ca.pem" ::/
	fi
	# typed-language=: the scripted intern's answer to the stick's first
	# question (2: Spanish)
	CBDIAG_LANGUAGE=$(sed -n 's/^typed-language=//p' "$sc")
	export CBDIAG_LANGUAGE
	# typed-ticket=: what the scripted intern types as the ticket number
	if grep -q '^typed-ticket=' "$sc"; then
		CBDIAG_TICKET=$(sed -n 's/^typed-ticket=//p' "$sc")
		export CBDIAG_TICKET
	else
		unset CBDIAG_TICKET
	fi
	# mic-tone=HZ DBFS: QEMU's sound through a host ALSA configuration of
	# alsa-lib's own file plugin on a null device (no host sound card, no
	# module): what the guest plays goes to WORKDIR/audio-out.wav, and the
	# guest's microphone hears WORKDIR/mic.raw, a tone made here (16 kHz
	# mono S16, the scenario's audiodev in.* settings). QEMU's alsa audiodev
	# names the PCM "bench".
	if grep -q '^mic-tone=' "$sc"; then
		# shellcheck disable=SC2046
		$PY - "$w/mic.raw" $(sed -n 's/^mic-tone=//p' "$sc") <<'PYEOF'
import array, math, sys
path, hz, dbfs = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
rate, secs, amp = 16000, 150, 32767 * 10 ** (dbfs / 20)
a = array.array("h", (int(round(amp * math.sin(2 * math.pi * hz * i / rate)))
                      for i in range(rate * secs)))
if sys.byteorder != "little":
    a.byteswap()
open(path, "wb").write(a.tobytes())
PYEOF
		cat >"$w/asound.conf" <<EOC
pcm.bench {
	type asym
	playback.pcm {
		type file
		slave.pcm { type null }
		file "$w/audio-out.wav"
		format "wav"
	}
	capture.pcm {
		type file
		slave.pcm { type null }
		file "/dev/null"
		infile "$w/mic.raw"
	}
}
EOC
		ALSA_CONFIG_PATH=$w/asound.conf
		export ALSA_CONFIG_PATH
	else
		unset ALSA_CONFIG_PATH
	fi
	b0=$(date +%s.%N)
	driver=$(sed -n 's/^driver=//p' "$sc")
	if [ -n "$driver" ]; then
		# an intern at the guest's console, scripted: answers over the serial
		# console, keys and screen checks over QMP (drive-guest.py)
		# shellcheck disable=SC2086
		timeout 300 $PY "$here/drive-guest.py" "$driver" "$w" "$qemu" $mach -accel $acc -m 1024 -smp 1 \
			-nodefaults -display none -no-reboot $bootargs ${cmd:+-append "$cmd"} -nic none \
			$qargs >"$w/driver"
		qrc=$?
		cat "$w/driver"
		passed=$((passed + $(grep -c '^ok' "$w/driver")))
		failed=$((failed + $(grep -c '^FAIL' "$w/driver")))
		if [ $qrc -ne 0 ] && ! grep -q '^FAIL' "$w/driver"; then
			echo "FAIL the guest driver stopped (exit $qrc)"; failed=$((failed + 1))
		fi
	else
		# shellcheck disable=SC2086
		timeout 300 "$qemu" $mach -accel $acc -m 1024 -smp 1 -nodefaults -nographic -no-reboot \
			$bootargs ${cmd:+-append "$cmd"} -serial "file:$w/serial.log" -nic none $qargs </dev/null >"$w/qemu.log" 2>&1
		qrc=$?
	fi
	secs=$(echo "$(date +%s.%N) - $b0" | bc)
	nt=$(grep -ac '^CBDIAG-NVME-TIMEOUT' "$w/serial.log" 2>/dev/null)
	if ! grep -q 'CBDIAG-BENCH-READY' "$w/serial.log" 2>/dev/null; then
		echo "FAIL the guest never reached cbdiag (qemu exit $qrc); see $w/serial.log, $w/qemu.log"
		tail -5 "$w/qemu.log" "$w/serial.log" 2>/dev/null | sed 's/^/    /'
		failed=$((failed + 1))
		return
	fi
	# the intern's flow: how long after the kernel started the first question
	# (the language) is on the console (the guest's uptime, TCG)
	if grep -aq 'Language / Idioma' "$w/serial.log"; then
		echo "figure: boot to the first question $(sed -n 's/.*CBDIAG-BENCH-READY uptime=\([0-9.]*\).*/\1/p' "$w/serial.log" | tr -d '\r' | head -1) s (guest uptime)"
	fi
	exit_code=$(sed -n 's/^CBDIAG-EXIT=\([0-9]*\).*/\1/p' "$w/serial.log" | tr -d '\r')
	inguest=$(sed -n 's/^CBDIAG-EXIT=[0-9]* start=\([0-9.]*\) end=\([0-9.]*\).*/\2 - \1/p' "$w/serial.log" | tr -d '\r' | bc)
	sum=$(sed -n 's/^CBDIAG-REPORT-BEGIN \([0-9a-f]*\).*/\1/p' "$w/serial.log" | tr -d '\r')
	sed -n '/^CBDIAG-REPORT-BEGIN/,/^CBDIAG-REPORT-END/p' "$w/serial.log" | sed '1d;$d' | tr -d '\r' |
		base64 -d >"$w/report.json" 2>/dev/null
	echo "boot to report ${secs} s under $acc${mach:+ ($mach)}; cbdiag in the guest ${inguest} s (uptime)"
	if [ "$(sha256sum <"$w/report.json" | cut -d' ' -f1)" != "$sum" ]; then
		echo "FAIL the report did not come through the serial console intact"
		failed=$((failed + 1))
		return
	fi
	if "$(dirname "$cbdiag")/cbdiag" validate "$w/report.json" >/dev/null 2>&1; then
		echo "ok   the report validates"; passed=$((passed + 1))
	else
		echo "FAIL the report does not validate"; failed=$((failed + 1))
	fi
	# cbdiag's own clock: the run's duration and each probe's, from the report
	$PY -c 'import json,sys; d=json.load(open(sys.argv[1])); print("cbdiag duration_ms %d (%s)" % (d["duration_ms"], ", ".join("%s %d ms" % (k, v["duration_ms"]) for k, v in d["probes"].items())))' "$w/report.json"
	# cbdiag.perf=N: wall time of the run beyond process start, from the guest
	sed -n 's/^CBDIAG-PERF: //p' "$w/serial.log" | tr -d '\r' | tr ' =' '\n\n' |
		awk 'NR%2==1{k=$0; next} {v[k]=$0}
		END { if ("run" in v) printf "figure: %d runs: %.1f ms a run, cbdiag --version %.1f ms: %.1f ms beyond process start\n", v["n"], v["run"], v["version"], v["run"] - v["version"] }'
	sed -n 's/^CBDIAG-PERF-PROBE: \([a-z_]*\) \([0-9]*\).*/figure: \1 without the intern: \2 ms (the probe alone, one more run)/p' "$w/serial.log"
	[ "$nt" -eq 0 ] || echo "note: $nt NVMe command timeout(s) in the guest's kernel log (QEMU under TCG loses a command now and then)"
	check_report "$w/report.json" "$exit_code" "$sc" >"$w/checks"
	if [ -n "${hook_pid:-}" ]; then
		kill "$hook_pid" 2>/dev/null
		id=$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["report_id"])' "$w/report.json")
		if [ -f "$w/hook/1.body" ] && grep -q "$id" "$w/hook/1.body" && [ ! -f "$w/hook/2.body" ]; then
			echo "ok   the help desk (webhook on the host) got the report once, over the guest's network"
		else
			echo "FAIL the help desk did not get the report (once)"
		fi >>"$w/checks"
	fi
	# helpdesk=rt: the report is on the ticket rt-ticket= names, once, and on
	# no other; that ticket is the one whose serial the report carries
	if [ -n "${rt_pid:-}" ]; then
		kill "$rt_pid" 2>/dev/null
		$PY - "$w/report.json" "$w/rt" "$(sed -n 's/^rt-ticket=//p' "$sc")" \
			"$(sed -n 's/^rt-tickets=//p' "$sc")" <<'PYEOF' >>"$w/checks"
import json, os, sys
d = json.load(open(sys.argv[1]))
rt, want = sys.argv[2], sys.argv[3]
serial_of = dict(a.split(":", 1) for a in sys.argv[4].split())
try:
    landed = [l.split() for l in open(os.path.join(rt, "landed"))]
except OSError:
    landed = []
mine = [t for t, f in landed if d["report_id"] in f]
ok = mine == [want] and len(landed) == 1 and serial_of.get(want) == d["device"]["serial"]
print("%s the report landed on ticket %s, found by the serial %s (RT stand-in: %s)" % (
    "ok  " if ok else "FAIL", ", ".join(mine) or "none", d["device"]["serial"],
    "; ".join(" ".join(x) for x in landed) or "nothing landed"))
PYEOF
	fi
	# log=REGEX: something the guest's console must show (its kernel log included)
	sed -n 's/^log=//p' "$sc" | while read -r re; do
		if grep -aqE "$re" "$w/serial.log"; then
			echo "ok   the guest's log shows: $re"
		else
			echo "FAIL the guest's log does not show: $re"
		fi
	done >>"$w/checks"
	if grep -q '^extra=lsusb' "$sc"; then
		check_lsusb "$w/report.json" "$w/serial.log" >>"$w/checks"
	fi
	# tone=HZ SECONDS: what the guest played (QEMU wrote it to
	# WORKDIR/audio-out.wav; read after the guest powered off): the tone on
	# the left, then on the right (check-tone.py)
	tone=$(sed -n 's/^tone=//p' "$sc")
	if [ -n "$tone" ]; then
		# shellcheck disable=SC2086
		$PY "$here/check-tone.py" "$w/audio-out.wav" $tone >>"$w/checks"
	fi
	# mic-level=DBFS TOLERANCE: the level the guest's microphone measured,
	# against the tone the host fed it
	lvl=$(sed -n 's/^mic-level=//p' "$sc")
	if [ -n "$lvl" ]; then
		# shellcheck disable=SC2086
		$PY - "$w/report.json" $lvl <<'PYEOF' >>"$w/checks"
import json, sys
d = json.load(open(sys.argv[1]))
want, tol = float(sys.argv[2]), float(sys.argv[3])
m = d["probes"]["audio"]["data"].get("microphone", {})
got = m.get("loudest_100ms_dbfs")
ok = isinstance(got, (int, float)) and abs(got - want) <= tol
print("%s the microphone heard the host's tone at %s dBFS (loudest 100 ms; peak %s, RMS %s; "
      "fed at %.1f, want within %.1f dB)" % ("ok  " if ok else "FAIL", got, m.get("peak_dbfs"),
                                             m.get("rms_dbfs"), want, tol))
PYEOF
	fi
	# arrivals=N: the kernel-traced arrival latency of the N sticks (cbdiag.trace_arrivals=1)
	arrivals=$(sed -n 's/^arrivals=//p' "$sc")
	if [ -n "$arrivals" ]; then
		check_arrivals "$w/serial.log" "$arrivals" >>"$w/checks"
	fi
	if grep -q '^CBDIAG-USBSYSFS' "$w/serial.log" && grep -q '"usb"' "$w/report.json"; then
		check_usb "$w/report.json" "$w/serial.log" >>"$w/checks"
	fi
	cat "$w/checks"
	passed=$((passed + $(grep -c '^ok' "$w/checks")))
	failed=$((failed + $(grep -c '^FAIL' "$w/checks")))
	after=$(sha256sum "$w/nvme.img" "$w/stick.img" | cut -d' ' -f1 | tr '\n' ' ')
	if [ "$before" = "$after" ]; then
		echo "ok   no byte of the guest's disks changed"; passed=$((passed + 1))
	else
		echo "FAIL a guest disk image changed"; failed=$((failed + 1))
	fi
}

# the help-desk stand-ins of a scenario that ended early (no report): they
# would hold the test runner's output open and the bench would never end
stop_servers() {
	for p in ${hook_pid:-} ${rt_pid:-}; do kill "$p" 2>/dev/null; done
	hook_pid= rt_pid=
}
for sc in "$@"; do
	p0=$passed f0=$failed
	run_one "$sc"
	stop_servers
	# QEMU's NVMe under TCG now and then loses a command (the guest kernel times it
	# out, resets the controller and retries): a failed run with that in the log
	# is the emulator's, so it is run again, up to three runs; all stay in the log
	for attempt in 2 3; do
		if [ "$failed" -eq "$f0" ] || [ "${nt:-0}" -eq 0 ]; then break; fi
		echo "retrying $(basename "$sc" .scenario) (attempt $attempt of 3): QEMU lost an NVMe command in that run"
		passed=$p0 failed=$f0
		run_one "$sc"
		stop_servers
	done
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
