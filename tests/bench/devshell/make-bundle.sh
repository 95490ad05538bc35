#!/bin/sh
# A self-contained cbdiag for ChromeOS's developer shell (issue 13, part 1):
# the program, every shared library it needs (the closure of its DT_NEEDED
# entries, from Debian's multiarch directories) and the dynamic loader, in
# one tar.gz. The launcher (devshell/cbdiag.sh) unpacks it on an exec
# mount and starts it as `lib/ld-linux-… --library-path lib bin/cbdiag`, so
# nothing is taken from the host: not its libc, not its loader (an ARM
# Chromebook often runs a 32-bit userland on its 64-bit kernel).
#
#   make-bundle.sh CBDIAG_BINARY ARCH OUT_DIR     ARCH = x86_64 | aarch64
#
# Writes OUT_DIR/cbdiag-ARCH.tar.gz (bin/cbdiag, lib/, BUNDLE). Not static:
# Debian ships no static libudev, and a static libcurl drags in its whole
# TLS and protocol stack anyway.
set -eu
bin=${1:?cbdiag binary}
arch=${2:?x86_64 or aarch64}
out=${3:?output dir}
case $arch in
x86_64) triplet=x86_64-linux-gnu loader=ld-linux-x86-64.so.2 machine="Advanced Micro Devices X86-64" ;;
aarch64) triplet=aarch64-linux-gnu loader=ld-linux-aarch64.so.1 machine=AArch64 ;;
*) echo "make-bundle: unknown architecture $arch (x86_64 or aarch64)" >&2; exit 2 ;;
esac
strip=strip
[ "$arch" = aarch64 ] && strip=aarch64-linux-gnu-strip
for t in readelf "$strip" tar gzip; do
	command -v "$t" >/dev/null || { echo "SKIP: $t is not installed"; exit 77; }
done
m=$(readelf -h "$bin" | sed -n 's/^ *Machine: *//p')
[ "$m" = "$machine" ] || { echo "make-bundle: $bin is for $m, not $arch" >&2; exit 1; }
dirs="/lib/$triplet /usr/lib/$triplet"
[ -e "/lib/$triplet/$loader" ] ||
	{ echo "SKIP: no $arch C library here (/lib/$triplet/$loader; libc6:arm64 for aarch64)"; exit 77; }

b=$out/cbdiag-$arch
rm -rf "$b" "$b.tar.gz"
mkdir -p "$b/bin" "$b/lib"
"$strip" -o "$b/bin/cbdiag" "$bin"
cp -L "/lib/$triplet/$loader" "$b/lib/$loader"
# the DT_NEEDED closure, breadth first, each library found in the multiarch
# directories of this architecture only
needed() { readelf -dW "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }
# and libcurl, which ldd and DT_NEEDED do not list: the help desk opens it at
# its first use by the soname in report/helpdesk/http.h (the loader finds it
# in lib/ through --library-path, as it finds the others)
src=$(cd "$(dirname "$0")/../../.." && pwd)
curl_so=$(sed -n 's/^#define CBD_HTTP_CURL_SONAME "\(.*\)"$/\1/p' "$src/report/helpdesk/http.h")
[ -n "$curl_so" ] || { echo "make-bundle: no CBD_HTTP_CURL_SONAME in $src/report/helpdesk/http.h" >&2; exit 1; }
queue="$(needed "$bin") $curl_so"
while [ -n "$queue" ]; do
	next=
	for n in $queue; do
		[ -e "$b/lib/$n" ] && continue
		f=
		for d in $dirs; do [ -e "$d/$n" ] && { f=$d/$n; break; }; done
		[ -n "$f" ] || { echo "make-bundle: $n (needed by cbdiag's closure) is not in $dirs" >&2; exit 1; }
		cp -L "$f" "$b/lib/$n"
		next="$next $(needed "$b/lib/$n")"
	done
	queue=$next
done
# the intern's languages: the catalogues this build made (BUILD/po) and
# C.UTF-8's messages category, which the launcher names in CBD_LOCALEDIR and
# LOCPATH (the bundle's glibc would look in the Chromebook's /usr/lib/locale)
sh "$(dirname "$0")/../copy-catalogues.sh" "$bin" "$b/share/locale" "$b/locale"
{
	echo "cbdiag bundle for $arch"
	echo "built $(date -u +%FT%TZ)"
	echo "start: lib/$loader --library-path lib bin/cbdiag"
	echo "libraries:"
	(cd "$b/lib" && ls | sort)
	echo "languages: $(ls "$b/share/locale" 2>/dev/null | tr '\n' ' ')"
} >"$b/BUNDLE"
(cd "$out" && tar -c --owner=0 --group=0 "cbdiag-$arch") | gzip -9 >"$b.tar.gz"
echo "bundle $arch: $(ls "$b/lib" | wc -l) files in lib/, $(du -sk "$b" | cut -f1) kB unpacked, $(du -k "$b.tar.gz" | cut -f1) kB as $(basename "$b.tar.gz")"
