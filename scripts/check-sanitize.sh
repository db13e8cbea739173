#!/bin/sh
# check-sanitize.sh — build divebox with AddressSanitizer and
# UndefinedBehaviorSanitizer (glibc, dynamic) out of tree in
# build/sanitize with configs/defconfig, run the whole test suite against
# that binary, and fail if any process — dived's forked handlers and
# the dives included — reported anything.
#
#   sh scripts/check-sanitize.sh [SUITE...]     (make check-sanitize)
#   SAN_CC=gcc ...                              another compiler (clang)
#
# Every sanitized process writes its reports to build/sanitize/logs/
# (log_path), so an error in a child whose stderr nobody reads is still
# caught; halt_on_error makes it fail at once. Memory leak checking is
# off: every divebox process is short-lived or allocates only at start,
# and dived's children exec or _exit by design (fd and child leaks are
# what testsuite/40-hostile.sh checks).
set -e
TOP=$(cd "$(dirname "$0")/.." && pwd)
OUT=$TOP/build/sanitize
CC=${SAN_CC:-clang}
command -v "$CC" >/dev/null 2>&1 || { echo "check-sanitize: $CC not found" >&2; exit 1; }

mkdir -p "$OUT"
if [ ! -f "$OUT/.config" ] || [ "$TOP/configs/defconfig" -nt "$OUT/.config" ]; then
	KCONFIG_CONFIG=$OUT/.config kconfig-conf -s \
		--defconfig="$TOP/configs/defconfig" "$TOP/Config.in" >/dev/null
fi
# CFLAGS/LDFLAGS from the environment: the Makefile appends its own
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all"
echo "check-sanitize: building with $CC $SAN in $OUT"
CFLAGS="-O1 -g -fno-omit-frame-pointer $SAN" LDFLAGS="-no-pie $SAN" \
	make -s -C "$TOP" O="$OUT" CC="$CC" >"$OUT/make.log" 2>&1 ||
	{ cat "$OUT/make.log"; exit 1; }

# the unstripped binary, under the name "divebox" (dispatch on argv[0])
mkdir -p "$OUT/bin"
rm -f "$OUT/bin/divebox"
cp "$OUT/build/obj/divebox.unstripped" "$OUT/bin/divebox"
cp -f "$OUT/.config" "$OUT/bin/.config" # suites read it next to DIVEBOX
LOGS=$OUT/logs
rm -rf "$LOGS"
mkdir -p "$LOGS"
ASAN_OPTIONS="halt_on_error=1:abort_on_error=0:detect_leaks=0:log_path=$LOGS/asan:log_exe_name=1"
UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=$LOGS/ubsan:log_exe_name=1"
export ASAN_OPTIONS UBSAN_OPTIONS

# Not here: the fuzz smoke suite builds its own sanitized binaries;
# test_client_chroot copies the binary alone into a chroot (a dynamic
# glibc binary needs its libraries there); test_static_and_without_
# libcap_ng expects libcap-ng linked into the binary under test.
SKIP="test_client_chroot test_static_and_without_libcap_ng"
rc=0
suites=$*
[ -n "$suites" ] || suites=$(ls "$TOP"/testsuite/[0-9]*.sh | grep -v 45-fuzz-smoke)
SKIP_TESTS=$SKIP DIVEBOX=$OUT/bin/divebox DIVEBOX_CONFIG=$OUT/.config \
	DIVEBOX_DYNAMIC=1 TOP=$TOP REPORT_DIR=$LOGS \
	sh "$TOP/testsuite/run" \
	$suites || rc=1
[ $rc -eq 0 ] && echo "check-sanitize: clean"
exit $rc
