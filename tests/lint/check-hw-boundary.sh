#!/bin/sh
# The hardware boundary (ARCHITECTURE "Touching the machine in one place"):
#  1. outside probes/hw/: no ioctl(), libudev, libusb, libevdev or libdrm;
#  2. in probes/ outside hw/: no direct file-system calls, all reads go
#     through probes/hw/;
#  3. outside probes/: no machine path (/sys, /dev, /proc) in a string.
# Run with a source root; with --self-test it proves it catches violations.
set -u

check_tree() {
	root=$1
	bad=0
	files=$(cd "$root" && find common diag report probes -name '*.[ch]' 2>/dev/null | grep -v '^probes/hw/' | sort)
	for f in $files; do
		# drop comments (block comments on their own lines and trailing ones)
		code=$(sed -e 's://.*$::' -e 's:/\*.*\*/::g' -e '/^[[:space:]]*\*/d' -e '/^[[:space:]]*\/\*/d' "$root/$f")
		hits=$(printf '%s\n' "$code" | grep -nE '\bioctl[[:space:]]*\(|\b(udev|libusb|libevdev)_[a-z_]+[[:space:]]*\(|\bdrm[A-Z][A-Za-z]*[[:space:]]*\(|#[[:space:]]*include[[:space:]]*<(libudev|libusb|libevdev|xf86drm|linux/input\.h)' || true)
		if [ -n "$hits" ]; then
			echo "$f: machine access outside probes/hw/:"
			printf '%s\n' "$hits" | sed 's/^/    /'
			bad=1
		fi
		case $f in
		probes/*)
			hits=$(printf '%s\n' "$code" | grep -nE '\b(open|openat|fopen|opendir|readlink|stat|lstat|access|pread|mmap)[[:space:]]*\(' || true)
			if [ -n "$hits" ]; then
				echo "$f: a probe opens files itself (use probes/hw/):"
				printf '%s\n' "$hits" | sed 's/^/    /'
				bad=1
			fi
			;;
		*)
			hits=$(printf '%s\n' "$code" | grep -nE '"/(sys|dev|proc)(/|")' || true)
			if [ -n "$hits" ]; then
				echo "$f: machine path outside probes/:"
				printf '%s\n' "$hits" | sed 's/^/    /'
				bad=1
			fi
			;;
		esac
	done
	return $bad
}

if [ "${1:-}" = "--self-test" ]; then
	t=$(mktemp -d)
	trap 'rm -rf "$t"' EXIT
	mkdir -p "$t/probes/battery" "$t/probes/hw" "$t/diag" "$t/report" "$t/common"
	printf 'int f(void) { return ioctl(3, 0); }\n' >"$t/probes/hw/ok.c"
	check_tree "$t" >/dev/null || { echo "self-test: hw/ itself was flagged"; exit 1; }
	for v in 'int f(void) { return ioctl(fd, EVIOCGRAB, 1); }' \
		'void f(void) { udev_new(); }' \
		'#include <libusb-1.0/libusb.h>'; do
		printf '%s\n' "$v" >"$t/diag/v.c"
		check_tree "$t" >/dev/null && { echo "self-test: missed: $v"; exit 1; }
		rm "$t/diag/v.c"
	done
	printf 'int f(void) { return open(p, 0); }\n' >"$t/probes/battery/v.c"
	check_tree "$t" >/dev/null && { echo "self-test: missed open() in a probe"; exit 1; }
	rm "$t/probes/battery/v.c"
	printf 'const char *p = "/sys/class/power_supply";\n' >"$t/report/v.c"
	check_tree "$t" >/dev/null && { echo "self-test: missed a /sys path in report/"; exit 1; }
	printf '/* reads "/sys/class/dmi" */\n' >"$t/report/v.c"
	check_tree "$t" >/dev/null || { echo "self-test: flagged a comment"; exit 1; }
	rm "$t/report/v.c"
	printf '#include <linux/input.h>\n' >"$t/diag/v.c"
	check_tree "$t" >/dev/null && { echo "self-test: missed linux/input.h"; exit 1; }
	printf '#include <linux/input-event-codes.h>\n' >"$t/diag/v.c"
	check_tree "$t" >/dev/null || { echo "self-test: flagged the constants header"; exit 1; }
	rm "$t/diag/v.c"
	echo "self-test: ok"
	exit 0
fi

sh "$0" --self-test || exit 1
if check_tree "${1:?source root}"; then
	echo "hardware boundary: ok"
	echo "2 passed, 0 failed"
else
	echo "1 passed, 1 failed"
	exit 1
fi
