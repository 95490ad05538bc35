#!/bin/sh
# The developer-shell bundles need nothing from the host (issue 13, part 1):
# each is unpacked by its launcher in a chroot that holds nothing but a
# static busybox, the stick's files and, for aarch64, the static qemu-user,
# and cbdiag is started there through the bundle's own loader with every
# symbol bound at start (LD_BIND_NOW). The launcher's sentences for a
# processor without a build and for a bundle that cannot start are checked
# too. The x86_64 bundle's full run against real drivers is the bench's
# devshell scenario.
#
#   test-bundles.sh SOURCE_DIR CBDIAG_X86_64 CROSS_BUILD_DIR WORK_DIR
#
# Skipped (77) when not root (chroot), without a static busybox, or without
# the cross toolchain; the aarch64 half is skipped, saying so, without
# qemu-user-static.
set -u
src=${1:?source dir}
native=${2:?x86_64 cbdiag}
cross=${3:?cross build dir}
work=${4:?work dir}
[ "$(id -u)" -eq 0 ] || { echo "SKIP: chroot needs root"; exit 77; }
BB=$(command -v busybox) || { echo "SKIP: no busybox (busybox-static)"; exit 77; }
file -b "$BB" | grep -q 'statically linked' || { echo "SKIP: $BB is not static (busybox-static)"; exit 77; }
CHROOT=$(command -v chroot) || { echo "SKIP: no chroot"; exit 77; }
[ "$(uname -m)" = x86_64 ] || { echo "SKIP: this test runs on x86_64 hosts"; exit 77; }
fails=0
ok() { echo "ok   $*"; }
fail() { echo "FAIL $*"; fails=$((fails + 1)); }

sh "$src/tests/cross/cross-build.sh" "$src" "$cross" --build-only >"$work.cross.log" 2>&1
rc=$?
[ $rc -eq 77 ] && { cat "$work.cross.log"; exit 77; }
[ $rc -eq 0 ] || { cat "$work.cross.log"; echo "FAIL the aarch64 build"; exit 1; }

rm -rf "$work" && mkdir -p "$work/stick/cbdiag" "$work/stick/reports"
cp "$src/tests/bench/devshell/cbdiag.sh" "$work/stick/cbdiag.sh"
cp "$src/tests/bench/cbdiag-lang.sh" "$work/stick/cbdiag-lang.sh"
for a in x86_64 aarch64; do
	b=$native
	[ $a = aarch64 ] && b=$cross/diag/cbdiag
	if out=$(sh "$src/tests/bench/devshell/make-bundle.sh" "$b" $a "$work/stick/cbdiag" 2>&1); then
		echo "$out"
		rm -rf "$work/stick/cbdiag/cbdiag-$a"
	else
		echo "$out"; fail "the $a bundle could not be made"
	fi
done

# an empty root: busybox and its applets, the stick, nothing else
mkroot() {
	r=$work/root-$1
	rm -rf "$r"
	mkdir -p "$r/bin" "$r/media/removable" "$r/usr/local" "$r/dev"
	mknod -m 666 "$r/dev/null" c 1 3
	cp "$BB" "$r/bin/busybox"
	for x in $("$BB" --list); do [ -e "$r/bin/$x" ] || ln -s busybox "$r/bin/$x"; done
	cp -r "$work/stick" "$r/media/removable/CBDIAG"
	cp "$src/tests/fixtures/reports/good/worn-battery.json" "$r/report.json"
	# the processor the launcher is told it runs on (it asks `uname -m`
	# unless CBDIAG_MACHINE says; busybox's sh runs its own uname)
	echo "$2" >"$r/machine"
}
inroot() { # inroot ROOT COMMAND...: in the chroot, a clean environment
	r=$1
	shift
	env -i PATH=/bin HOME=/ LD_BIND_NOW=1 CBDIAG_MACHINE="$(cat "$r/machine")" "$CHROOT" "$r" /bin/sh -c "$*"
}
libs_outside() { # shared libraries in the root outside the unpacked bundles
	find "$1" \( -name '*.so' -o -name '*.so.*' \) ! -path "$1/usr/local/cbdiag/*" | wc -l
}

# x86_64: the launcher unpacks and starts the bundle; nothing else is there
mkroot x86_64 x86_64
r=$work/root-x86_64
[ "$(libs_outside "$r")" -eq 0 ] && ok "x86_64 root: no shared library outside the bundle" ||
	fail "x86_64 root has shared libraries"
v=$(inroot "$r" sh /media/removable/CBDIAG/cbdiag.sh --version 2>&1)
[ "$v" = "$("$native" --version)" ] && ok "x86_64 bundle in an empty root, through the launcher: $v" ||
	fail "x86_64 bundle through the launcher: $v"
if inroot "$r" sh /media/removable/CBDIAG/cbdiag.sh validate /report.json >/dev/null 2>&1 &&
	inroot "$r" sh /media/removable/CBDIAG/cbdiag.sh show --format html /report.json -o /page.html >/dev/null 2>&1 &&
	grep -q '<html' "$r/page.html"; then
	ok "x86_64 bundle validates a report and renders it as HTML"
else
	fail "x86_64 bundle: validate or show failed"
fi
# the bundle's own catalogues, named by the launcher (no locale in the root)
if inroot "$r" sh /media/removable/CBDIAG/cbdiag.sh show --lang es /report.json 2>&1 | grep -q '^Resultado:'; then
	ok "x86_64 bundle speaks Spanish from its own catalogue (show --lang es)"
else
	fail "x86_64 bundle: show --lang es is not in Spanish"
fi

# the help desk from the stick: its cbdiag.conf names the stick as the booted
# image mounts it (/mnt/stick); the launcher rewrites that to where ChromeOS
# mounted it and copies the token (world-readable on the stick, as a FAT
# mount may show it) next to cbdiag, readable by root only. A folder help
# desk: the report must land in the stick's drop folder and in its reports/.
# (No /sys in the chroot: the battery probe has nothing to find; the run
# and the attach are what is checked.)
s=$r/media/removable/CBDIAG
mkdir -p "$s/dropbox"
printf '[helpdesk]\ntype = folder\npath = /mnt/stick/dropbox\ntoken_file = /mnt/stick/helpdesk.token ; on the stick\nqueue_dir = /mnt/stick/queue\n' >"$s/cbdiag.conf"
echo not-a-secret >"$s/helpdesk.token"
chmod 644 "$s/helpdesk.token"
out=$(inroot "$r" sh /media/removable/CBDIAG/cbdiag.sh run --no-interactive --probe battery --ticket 42 --tech AB --attach 2>&1)
rc=$?
tokmode=$(stat -c %a "$r/usr/local/cbdiag/helpdesk.token" 2>/dev/null)
if [ "$(ls "$s/reports" | grep -c '\.json$')" -eq 1 ] && [ "$(ls "$s/dropbox" | grep -c '\.json$')" -eq 1 ] &&
	grep -q '^path = /media/removable/CBDIAG/dropbox' "$r/usr/local/cbdiag/cbdiag.conf" &&
	grep -q '^token_file = /usr/local/cbdiag/helpdesk.token' "$r/usr/local/cbdiag/cbdiag.conf" && [ "$tokmode" = 600 ]; then
	ok "the stick's cbdiag.conf from ChromeOS: report in the stick's reports/ and attached to the folder help desk on it (exit $rc), token copied with mode 600"
else
	fail "the stick's cbdiag.conf from ChromeOS (exit $rc, token mode $tokmode): $(echo "$out" | tail -3)"
	ls -R "$s" | head -20
fi

# an HTTP help desk from the bundle: libcurl is opened at first use, not
# linked, so the bundle carries it beside the linked libraries and the loader
# finds it there (--library-path). Nothing listens on port 9: reached by
# libcurl, refused by the port, the report is queued (exit 3); a bundle
# without libcurl would say it cannot be loaded (exit 2).
printf '[helpdesk]\ntype = rt\nurl = http://127.0.0.1:9/\ntoken_file = /mnt/stick/helpdesk.token\nqueue_dir = /mnt/stick/queue\n' >"$s/cbdiag.conf"
out=$(inroot "$r" sh /media/removable/CBDIAG/cbdiag.sh attach --ticket 1 /report.json 2>&1)
rc=$?
if [ $rc -eq 3 ] && printf '%s\n' "$out" | grep -q 'could not be reached' && find "$r/usr/local/cbdiag" -name libcurl.so.4 | grep -q .; then
	ok "x86_64 bundle: an HTTP help desk loads the bundle's libcurl (not linked) and queues when nobody answers (exit 3)"
else
	fail "x86_64 bundle: HTTP help desk (exit $rc): $(echo "$out" | tail -2)"
fi
rm -rf "$s/queue"

# the report kept on the Chromebook says so itself: kept_finding CODE WHY ->
# ok when the one report kept validates and carries the finding CODE naming
# where it was kept and why (report.dir_read_only, report.dir_full)
kept=$r/usr/local/cbdiag/reports
kept_finding() {
	f=$(ls "$kept"/*.json 2>/dev/null)
	[ "$(printf '%s\n' "$f" | grep -c '\.json$')" -eq 1 ] && "$native" validate "$f" >/dev/null 2>&1 &&
		python3 - "$f" "$1" "$2" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
f = d.get("findings", [])
want = ("The report could not be saved in /media/removable/CBDIAG/reports (%s): it was kept in "
        "/usr/local/cbdiag/reports/" % sys.argv[3])
ok = (len(f) == 1 and f[0]["code"] == sys.argv[2] and f[0]["severity"] == "warn"
      and f[0]["message"].startswith(want) and f[0]["message"].endswith(".json on this machine")
      and f[0]["action"] and f[0]["escalate"] is False)
print(json.dumps(f) if not ok else f[0]["message"])
sys.exit(0 if ok else 1)
PYEOF
}

# a stick that cannot be written (read-only: a locked SD card): one sentence
# before the checks, and the report is kept on the Chromebook instead, saying
# so in its findings (a read-only bind mount of the stick, as ChromeOS mounts
# a write-protected one)
rm -f "$s/cbdiag.conf"
if mount --bind "$s" "$s" 2>/dev/null && mount -o remount,bind,ro "$s" 2>/dev/null; then
	out=$(inroot "$r" sh /media/removable/CBDIAG/cbdiag.sh run --no-interactive --probe battery 2>&1)
	rc=$?
	n=$(ls "$kept" 2>/dev/null | grep -c '\.json$')
	umount "$s"
	if printf '%s\n' "$out" | grep -q "^The stick cannot be written (read-only or full): the report stays on this Chromebook in /usr/local/cbdiag/reports.$" &&
		[ "$n" -eq 1 ] && [ $rc -le 1 ]; then
		ok "read-only stick: one sentence, the report kept on the Chromebook (exit $rc)"
	else
		fail "read-only stick (exit $rc, $n reports kept): $(echo "$out" | tail -3)"
	fi
	if m=$(kept_finding report.dir_read_only "it is read-only"); then
		ok "read-only stick: the kept report says so (report.dir_read_only): $m"
	else
		fail "read-only stick: the kept report does not say so: $m"
	fi
else
	umount "$s" 2>/dev/null
	echo "note: no read-only bind mount here: the read-only stick is not checked"
fi

# a full stick: the launcher's test file still fits (a directory entry, no
# data), the report does not; cbdiag finds it when writing (ENOSPC), keeps the
# report on the Chromebook, says so on the terminal and in the report (the
# stick's reports/ a 16 kB tmpfs filled up)
rm -rf "$kept"
if mount -t tmpfs -o size=16k tmpfs "$s/reports" 2>/dev/null; then
	dd if=/dev/zero of="$s/reports/filler" bs=4k 2>/dev/null
	out=$(inroot "$r" sh /media/removable/CBDIAG/cbdiag.sh run --no-interactive --probe battery 2>&1)
	rc=$?
	n=$(ls "$s/reports" | grep -c '\.json$')
	umount "$s/reports"
	if printf '%s\n' "$out" | grep -q "^cbdiag: the report could not be saved in /media/removable/CBDIAG/reports (it is full): it was kept on this machine instead$" &&
		[ "$n" -eq 0 ] && [ $rc -le 1 ]; then
		ok "full stick: one sentence from cbdiag, no report on the stick (exit $rc)"
	else
		fail "full stick (exit $rc, $n reports on the stick): $(echo "$out" | tail -3)"
	fi
	if m=$(kept_finding report.dir_full "it is full"); then
		ok "full stick: the kept report says so (report.dir_full): $m"
	else
		fail "full stick: the kept report does not say so: $m"
	fi
else
	echo "note: no tmpfs mount here: the full stick is not checked"
fi

# a processor without a build: one sentence, exit 2, nothing unpacked
mkroot armv7l armv7l
r=$work/root-armv7l
msg=$(inroot "$r" sh /media/removable/CBDIAG/cbdiag.sh 2>&1)
rc=$?
if [ $rc -eq 2 ] && [ "$(printf '%s\n' "$msg" | wc -l)" -eq 1 ] &&
	printf '%s' "$msg" | grep -q "processor (armv7l) has no cbdiag build" && [ ! -e "$r/usr/local/cbdiag" ]; then
	ok "wrong processor: exit 2, one sentence: $msg"
else
	fail "wrong processor: exit $rc: $msg"
fi

# aarch64: the launcher picks and unpacks the aarch64 bundle (uname says
# aarch64); this x86_64 host cannot exec it without binfmt_misc, so the
# launcher must say it cannot start, in one sentence; then the bundle is
# started in the same empty root under the static qemu-user, its own loader
# first
mkroot aarch64 aarch64
r=$work/root-aarch64
msg=$(inroot "$r" sh /media/removable/CBDIAG/cbdiag.sh --version 2>&1)
rc=$?
ld=/usr/local/cbdiag/cbdiag-aarch64/lib/ld-linux-aarch64.so.1
if [ -f "$r$ld" ]; then
	ok "aarch64: the launcher picked and unpacked the aarch64 bundle"
else
	fail "aarch64: the launcher did not unpack the aarch64 bundle (exit $rc: $msg)"
fi
if [ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]; then
	echo "note: binfmt_misc runs aarch64 programs here: the launcher started the bundle ($msg)"
elif [ $rc -eq 3 ] && [ "$(printf '%s\n' "$msg" | wc -l)" -eq 1 ]; then
	ok "a bundle that cannot start: exit 3, one sentence: $msg"
else
	fail "a bundle that cannot start: exit $rc: $msg"
fi
Q=$(command -v qemu-aarch64-static || true)
if [ -z "$Q" ]; then
	echo "note: no qemu-aarch64-static (qemu-user-static): the aarch64 bundle was made, not run"
else
	cp "$Q" "$r/qemu-aarch64"
	[ "$(libs_outside "$r")" -eq 0 ] && ok "aarch64 root: no shared library outside the bundle" ||
		fail "aarch64 root has shared libraries"
	d=/usr/local/cbdiag/cbdiag-aarch64
	v=$(inroot "$r" /qemu-aarch64 $ld --library-path $d/lib $d/bin/cbdiag --version 2>&1)
	[ "$v" = "$("$native" --version)" ] && ok "aarch64 bundle in an empty root under qemu-aarch64: $v" ||
		fail "aarch64 bundle under qemu-aarch64: $v"
	if inroot "$r" /qemu-aarch64 $ld --library-path $d/lib $d/bin/cbdiag validate /report.json >/dev/null 2>&1 &&
		inroot "$r" /qemu-aarch64 $ld --library-path $d/lib $d/bin/cbdiag show --format html /report.json -o /page.html >/dev/null 2>&1 &&
		grep -q '<html' "$r/page.html"; then
		ok "aarch64 bundle validates a report and renders it as HTML"
	else
		fail "aarch64 bundle: validate or show failed"
	fi
fi
echo "$fails failed"
[ $fails -eq 0 ]
