#!/bin/sh
# The hardware boundary (docs/design.md):
#  1. outside probes/hw/: no ioctl(), libudev, libusb, libevdev or libdrm;
#  2. in probes/ outside hw/: no direct file-system calls, all reads go
#     through probes/hw/;
#  3. outside probes/: no machine path (/sys, /dev, /proc) in a string;
#  4. the layers include only downwards (docs/design.md "Layers"):
#     common <- report model <- report/review, report/helpdesk, probes <- diag;
#     probes read the model through json.h/result.h/device-id.h, never as
#     cJSON (doc-json.h, result-json.h), and review and helpdesk do not include each other.
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

# The layer a header of ours belongs to, from where it lives.
layer_of_path() {
	case $1 in
	common/*) echo common ;;
	report/review/*) echo review ;;
	report/helpdesk/*) echo helpdesk ;;
	report/*) echo model ;;
	probes/*) echo probes ;;
	diag/*) echo diag ;;
	*) echo other ;;
	esac
}

# May a file of layer $1 include header $2 of layer $3?
layer_allows() {
	case $1:$3 in
	*:other | common:common) return 0 ;;
	model:common | model:model) return 0 ;;
	review:common | review:model | review:review) return 0 ;;
	helpdesk:common | helpdesk:model | helpdesk:helpdesk) return 0 ;;
	probes:common | probes:probes) return 0 ;;
	probes:model) [ "$2" != doc-json.h ] && [ "$2" != result-json.h ] ;;
	diag:*) return 0 ;;
	*) return 1 ;;
	esac
}

check_layers() {
	root=$1
	bad=0
	headers=$(cd "$root" && find common diag report probes -name '*.h' 2>/dev/null | sort)
	files=$(cd "$root" && find common diag report probes -name '*.[ch]' 2>/dev/null | sort)
	for f in $files; do
		from=$(layer_of_path "$f")
		for inc in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$root/$f"); do
			h=$(printf '%s\n' "$headers" | grep -E "(^|/)$inc\$" | head -n 1)
			to=other
			[ -n "$h" ] && to=$(layer_of_path "$h")
			if ! layer_allows "$from" "$inc" "$to"; then
				echo "$f: $from includes $inc ($to): an arrow that runs back up"
				bad=1
			fi
		done
		if [ "$from" = probes ] && grep -qE '#[[:space:]]*include[[:space:]]*<cjson/' "$root/$f"; then
			echo "$f: a probe uses cJSON itself (describe data with json.h)"
			bad=1
		fi
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
	mkdir -p "$t/report/review" "$t/report/helpdesk" "$t/report/include"
	: >"$t/report/include/report.h"
	: >"$t/report/include/doc-json.h"
	: >"$t/report/review/review.h"
	: >"$t/report/helpdesk/helpdesk.h"
	: >"$t/diag/cli.h"
	printf '#include "report.h"\n' >"$t/probes/battery/ok.c"
	printf '#include "report.h"\n#include "doc-json.h"\n' >"$t/report/review/ok.c"
	check_layers "$t" >/dev/null || { echo "self-test: flagged a downward include"; exit 1; }
	for v in 'report/helpdesk/v.c:review.h' 'report/review/v.c:helpdesk.h' \
		'report/v.c:review.h' 'probes/battery/v.c:doc-json.h' 'probes/battery/v.c:cli.h' \
		'common/v.c:report.h' 'report/v.c:cli.h'; do
		printf '#include "%s"\n' "${v#*:}" >"$t/${v%%:*}"
		check_layers "$t" >/dev/null && { echo "self-test: missed ${v#*:} in ${v%%:*}"; exit 1; }
		rm "$t/${v%%:*}"
	done
	echo "self-test: ok"
	exit 0
fi

sh "$0" --self-test || exit 1
failed=0
if check_tree "${1:?source root}"; then
	echo "hardware boundary: ok"
else
	failed=$((failed + 1))
fi
if check_layers "$1"; then
	echo "layers: ok"
else
	failed=$((failed + 1))
fi
echo "$((3 - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
