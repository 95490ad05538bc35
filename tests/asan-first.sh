#!/bin/sh
# $CBDIAG in a gcc ASan build (tests/meson.build): run cbdiag with the ASan
# runtime first in LD_PRELOAD. umockdev-run prepends its preload library,
# and ASan refuses to start when any library comes before its runtime;
# with the runtime first, umockdev's preload still sees every call the
# program makes (it is next in line), as in an ordinary build.
exec env LD_PRELOAD="${CBD_ASAN_RUNTIME:?}${LD_PRELOAD:+:$LD_PRELOAD}" "${CBD_ASAN_PROGRAM:?}" "$@"
