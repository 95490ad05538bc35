#!/bin/sh
# The developer-shell stick: the launcher, both bundles and a note for the
# intern, on a FAT partition labelled CBDIAG, as files to copy onto any stick
# and as a disk image to write to one (issue 13, part 1). Not on the boot
# stick: with both bundles (about 16 MB) the repair image would pass 40 MB.
#
#   build-stick.sh SOURCE_DIR CBDIAG_X86_64 CROSS_BUILD_DIR OUT_DIR
#
# Writes OUT_DIR/files/ (cbdiag.sh, cbdiag/cbdiag-{x86_64,aarch64}.tar.gz,
# README.txt) and OUT_DIR/cbdiag-devshell.img.
set -eu
src=${1:?source dir}
native=${2:?x86_64 cbdiag}
cross=${3:?cross build dir}
out=${4:?output dir}
here=$(cd "$(dirname "$0")" && pwd)
for t in mkfs.fat mcopy mmd sfdisk; do
	command -v "$t" >/dev/null || { echo "SKIP: $t is not installed (dosfstools, mtools, fdisk)"; exit 77; }
done
sh "$src/tests/cross/cross-build.sh" "$src" "$cross" --build-only
f=$out/files
rm -rf "$f" && mkdir -p "$f/cbdiag" "$f/reports"
sh "$here/make-bundle.sh" "$native" x86_64 "$f/cbdiag"
sh "$here/make-bundle.sh" "$cross/diag/cbdiag" aarch64 "$f/cbdiag"
rm -rf "$f/cbdiag/cbdiag-x86_64" "$f/cbdiag/cbdiag-aarch64"
cp "$here/cbdiag.sh" "$f/cbdiag.sh"
cp "$here/../cbdiag-lang.sh" "$f/cbdiag-lang.sh"
cat >"$f/README.txt" <<'EOT'
cbdiag from ChromeOS (the Chromebook must be in developer mode)

1. Plug this stick in. ChromeOS shows it in Files as CBDIAG.
2. Open a shell: Ctrl+Alt+F2 (the right arrow key on the top row), log in
   as chronos; or Ctrl+Alt+T and type: shell
3. Type:    sudo sh /media/removable/CBDIAG/cbdiag.sh
4. Choose the language (1 English, 2 Español), answer the ticket number
   and your initials, then follow the screen.
   The report is saved in reports/ on this stick.

ARM and Intel/AMD Chromebooks both work: the script picks the right one.
EOT
# FAT16 on an MBR partition from 1 MiB: the files plus 8 MB for reports
size_mb=$(($(du -sk "$f" | cut -f1) / 1024 + 8))
img=$out/cbdiag-devshell.img
part=$img.part
rm -f "$img" "$part"
mkfs.fat -F 16 -n CBDIAG -C "$part" $((size_mb * 1024)) >/dev/null
export MTOOLS_SKIP_CHECK=1
mcopy -s -i "$part" "$f/cbdiag.sh" "$f/cbdiag-lang.sh" "$f/README.txt" "$f/cbdiag" "$f/reports" ::/
truncate -s $(((size_mb + 1) * 1048576)) "$img"
echo 'start=2048, type=e' | sfdisk -q "$img"
dd if="$part" of="$img" bs=1M seek=1 conv=notrunc status=none
rm -f "$part"
echo "developer-shell stick $img: $(stat -c %s "$img") bytes; files in $f"
