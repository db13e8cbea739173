#!/bin/sh
# coverage.sh — `make coverage`: gcov line coverage of applets/ and
# libcommon/ under the test suites (what make check runs), per file and in
# total, forked children and processes that exec or _exit included.
#
#   sh scripts/coverage.sh [SUITE...]      (make coverage; default: all)
#   COV_OUT=DIR        where to build and report (default build/coverage)
#   COV_REPORT=1 sh scripts/coverage.sh    only report the counters there
#
# The binary is glibc, dynamic (gcc --coverage, -O0) with configs/
# defconfig, built out of tree in COV_OUT. Every source gets libcommon/
# coverage.h force-included, which writes the counters before _exit,
# exec, raise and a blocking wait (see there). The counter files are
# created empty and world-writable first, so a process that switched to
# another user still adds its counts. The suites that need a static binary
# skip as under check-sanitize (the same SKIP_TESTS); 45-fuzz-smoke is left
# out (it builds its own binaries). What a process runs after its last
# write and before a SIGKILL is not counted: a lower bound.
#
# Prints "PCT% EXECUTED/LINES FILE" per source file and the total; the
# same in COV_OUT/coverage.txt. Exits 1 if a suite failed (the figures
# are still written).
set -e
TOP=$(cd "$(dirname "$0")/.." && pwd)
OUT=${COV_OUT:-$TOP/build/coverage}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
OBJ=$OUT/build/obj
command -v gcov >/dev/null 2>&1 || { echo "coverage: gcov not found (gcc)" >&2; exit 1; }

build() {
	if [ ! -f "$OUT/.config" ] || [ "$TOP/configs/defconfig" -nt "$OUT/.config" ]; then
		KCONFIG_CONFIG=$OUT/.config kconfig-conf -s \
			--defconfig="$TOP/configs/defconfig" "$TOP/Config.in" >/dev/null
	fi
	echo "coverage: building with gcc --coverage in $OUT"
	flags="-O0 -g --coverage -include $TOP/libcommon/coverage.h -DCOV_PROBE=\\\"$OBJ/libcommon/util.gcda\\\""
	# objects depend on the Makefile, not on CFLAGS: rebuild if they changed
	[ "$(cat "$OUT/cflags" 2>/dev/null)" = "$flags" ] ||
		make -s -C "$TOP" O="$OUT" clean >/dev/null
	printf "%s\n" "$flags" >"$OUT/cflags"
	CFLAGS=$flags LDFLAGS="--coverage" \
		make -s -C "$TOP" O="$OUT" CC=gcc >"$OUT/make.log" 2>&1 ||
		{ cat "$OUT/make.log" >&2; exit 1; }
	# fresh counters: one empty file per object (gcov starts an empty
	# one anew), writable by whichever user the process runs as
	find "$OBJ" -name '*.gcda' -delete
	for g in $(find "$OBJ" -name '*.gcno'); do
		: >"${g%.gcno}.gcda"
		chmod 666 "${g%.gcno}.gcda"
	done
	chmod -R a+rX "$OUT"
}

run_suites() {
	suites=$*
	[ -n "$suites" ] || suites=$(ls "$TOP"/testsuite/[0-9]*.sh | grep -v 45-fuzz-smoke)
	# as check-sanitize: a dynamic glibc binary cannot be copied alone
	# into a chroot, and has no libcap-ng linked in; and a dynamic dive
	# loads the client's LD_PRELOAD itself (the attack is on dived's child)
	SKIP="test_client_chroot test_static_and_without_libcap_ng
		test_ld_preload_does_not_reach_another_user"
	start=$(date +%s)
	rc=0
	SKIP_TESTS=$SKIP DIVEBOX=$OUT/divebox DIVEBOX_CONFIG=$OUT/.config \
		DIVEBOX_DYNAMIC=1 TOP=$TOP sh "$TOP/testsuite/run" $suites || rc=1
	echo "coverage: suites took $(( $(date +%s) - start ))s"
	return $rc
}

# gcov's annotated output (-t: to stdout): "COUNT:LINE:source" with COUNT
# a number (maybe starred: some blocks not run), ##### or ===== (never
# run) or - (not code). Only the .c files of applets/ and libcommon/.
report() {
	for g in "$OBJ"/applets/*.gcno "$OBJ"/libcommon/*.gcno; do
		[ -s "${g%.gcno}.gcda" ] || rm -f "${g%.gcno}.gcda" # never run: 0%
	done
	# the objects name their sources relative to the tree (-ffile-prefix-map)
	(cd "$TOP" && for g in "$OBJ"/applets/*.gcno "$OBJ"/libcommon/*.gcno; do
		gcov -t -o "$(dirname "$g")" "$g" 2>/dev/null
	done) | awk '
	$1 == "-:" && $2 ~ /^0:Source:/ {
		f = substr($2, 10)
		keep = (f ~ /^(applets|libcommon)\/[^\/]*\.c$/)
		if (keep) seen[f] = 1
		next }
	!keep || $2 ~ /^0:/ { next }
	{ c = $1; sub(":$", "", c); sub("\\*$", "", c) }
	c == "-" { next }
	{ lines[f]++; if (c ~ /^[0-9]+$/ && c > 0) run[f]++ }
	END {
		for (f in seen) {
			L += lines[f]; R += run[f]
			printf "%6.1f%% %5d/%-5d %s\n", lines[f] ? 100 * run[f] / lines[f] : 100,
				run[f], lines[f], f | "sort -b -k3"
		}
		close("sort -b -k3")
		printf "%6.1f%% %5d/%-5d total\n", L ? 100 * R / L : 0, R, L
	}' >"$OUT/coverage.txt"
	echo "coverage: line coverage of applets/ and libcommon/ (also in $OUT/coverage.txt)"
	cat "$OUT/coverage.txt"
}

if [ "${COV_REPORT:-}" = 1 ]; then
	report
	exit 0
fi
build
rc=0
run_suites "$@" || rc=1
report
[ $rc = 0 ] || echo "coverage: some suites failed under the coverage build (see above)" >&2
exit $rc
