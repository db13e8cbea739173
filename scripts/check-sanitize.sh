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
#
# Then the musl-only code that ships (DIVEBOX_LEAN_LIBC: the passwd/
# group parser as the host's lookup, the raw set*id calls, the errno table,
# the statx-based stat family, _Fork, prlimit): a second build in
# build/sanitize-musl compiles it against glibc with the same sanitizers
# (without the tiny allocator itself, which would replace ASan's malloc:
# NO_TINY_ALLOC=1) and runs the suites that go through it (MUSL_SUITES).
# The allocator is checked by its own harness (fuzz/fuzz_malloc.c, shadow
# copies of every block, under ASan+UBSan) through scripts/fuzz.sh.
#   MUSL_SUITES="10-session ..."   SAN_VARIANTS="glibc musl" (the default)
set -e
TOP=$(cd "$(dirname "$0")/.." && pwd)
CC=${SAN_CC:-clang}
command -v "$CC" >/dev/null 2>&1 || { echo "check-sanitize: $CC not found" >&2; exit 1; }
# CFLAGS/LDFLAGS from the environment: the Makefile appends its own
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all"

# usage: variant OUT EXTRA_CFLAGS MAKE_ARGS SUITES... — build in OUT, run
variant() {
	OUT=$1 extra=$2 margs=$3
	shift 3
	mkdir -p "$OUT"
	if [ ! -f "$OUT/.config" ] || [ "$TOP/configs/defconfig" -nt "$OUT/.config" ]; then
		KCONFIG_CONFIG=$OUT/.config kconfig-conf -s \
			--defconfig="$TOP/configs/defconfig" "$TOP/Config.in" >/dev/null
	fi
	echo "check-sanitize: building with $CC $SAN $extra in $OUT"
	CFLAGS="-O1 -g -fno-omit-frame-pointer $SAN $extra" LDFLAGS="-no-pie $SAN" \
		make -s -C "$TOP" O="$OUT" CC="$CC" $margs >"$OUT/make.log" 2>&1 ||
		{ cat "$OUT/make.log"; return 1; }

	# the unstripped binary, under the name "divebox" (dispatch on argv[0])
	mkdir -p "$OUT/bin"
	rm -f "$OUT/bin/divebox"
	cp "$OUT/build/obj/divebox.unstripped" "$OUT/bin/divebox"
	cp -f "$OUT/.config" "$OUT/bin/.config" # suites read it next to DIVEBOX
	LOGS=$OUT/logs
	rm -rf "$LOGS"
	mkdir -p "$LOGS"
	ASAN_OPTIONS="halt_on_error=1:abort_on_error=0:detect_leaks=0:log_path=$LOGS/asan:log_exe_name=1" \
	UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=$LOGS/ubsan:log_exe_name=1" \
	SKIP_TESTS=$SKIP DIVEBOX=$OUT/bin/divebox DIVEBOX_CONFIG=$OUT/.config \
		DIVEBOX_DYNAMIC=1 TOP=$TOP REPORT_DIR=$LOGS \
		sh "$TOP/testsuite/run" "$@"
}

# Not here: the fuzz smoke suite builds its own sanitized binaries;
# test_client_chroot copies the binary alone into a chroot (a dynamic
# glibc binary needs its libraries there); test_static_and_without_
# libcap_ng expects libcap-ng linked into the binary under test;
# test_ld_preload_does_not_reach_another_user: a dynamic dive loads the
# client's LD_PRELOAD itself (the attack is on dived's child).
SKIP="test_client_chroot test_static_and_without_libcap_ng
test_ld_preload_does_not_reach_another_user"
rc=0
suites=$*
[ -n "$suites" ] || suites=$(ls "$TOP"/testsuite/[0-9]*.sh | grep -v 45-fuzz-smoke)
: "${MUSL_SUITES:=10-session 11-server-modes 14-exitcodes 20-justexec 21-caps 22-namespaces 26-identity 40-hostile}"
: "${SAN_VARIANTS:=glibc musl}"
for v in $SAN_VARIANTS; do
	case $v in
	glibc) variant "$TOP/build/sanitize" "" "" $suites || rc=1 ;;
	musl)
		echo "check-sanitize: the musl-only code (-DDIVEBOX_LEAN_LIBC, NO_TINY_ALLOC=1)"
		variant "$TOP/build/sanitize-musl" "-DDIVEBOX_LEAN_LIBC" "NO_TINY_ALLOC=1" \
			$(for m in $MUSL_SUITES; do echo "$TOP/testsuite/$m.sh"; done) || rc=1
		echo "check-sanitize: the tiny allocator's harness"
		FUZZ_TARGETS=malloc SMOKE_TIME=${MALLOC_TIME:-10} sh "$TOP/scripts/fuzz.sh" --smoke || rc=1 ;;
	*) echo "check-sanitize: unknown variant $v" >&2; rc=1 ;;
	esac
done
[ $rc -eq 0 ] && echo "check-sanitize: clean"
exit $rc
