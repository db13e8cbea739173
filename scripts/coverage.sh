#!/bin/sh
# coverage.sh — `make coverage`: gcov line coverage of applets/ and
# libcommon/ under the test suites (what make check runs), per file and in
# total, forked children and processes that exec or _exit included.
#
#   sh scripts/coverage.sh [SUITE...]      (make coverage; default: all)
#   COV_OUT=DIR        where to build and report (default build/coverage)
#   COV_VARIANTS="glibc musl"              the builds measured (default)
#   MUSL_SUITES="10-session ..."           the suites the musl variant runs
#   COV_REPORT=1 sh scripts/coverage.sh    only report the counters there
#
# The binaries are glibc, dynamic (gcc --coverage, -O0) with configs/
# defconfig, built out of tree in COV_OUT/VARIANT. "glibc" is the plain
# glibc build under every suite; "musl" compiles the musl build's own
# code (-DDIVEBOX_LEAN_LIBC: the passwd/group parser as the lookup, the
# raw set*id calls, the statx-based stat family; without the allocator,
# NO_TINY_ALLOC=1) against glibc, as check-sanitize does, under the suites
# that go through it. A line counts as run if either build ran it.
#
# Every source gets libcommon/coverage.h force-included, which writes the
# counters before _exit, exec, raise and a blocking wait (see there). The
# counter files are created empty and world-writable first, so a process
# that switched to another user still adds its counts. The suites that
# need a static binary skip as under check-sanitize (SKIP below);
# 45-fuzz-smoke is left out (it builds its own binaries). What a process
# runs after its last write and before a SIGKILL is not counted: a lower
# bound.
#
# Prints "PCT% EXECUTED/LINES FILE" per source file and the total; the
# same in COV_OUT/coverage.txt. Exits 1 if a suite failed (the figures
# are still written).
set -e
TOP=$(cd "$(dirname "$0")/.." && pwd)
OUT=${COV_OUT:-$TOP/build/coverage}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
: "${COV_VARIANTS:=glibc musl}"
: "${MUSL_SUITES:=10-session 11-server-modes 14-exitcodes 20-justexec 21-caps 22-namespaces 26-identity 40-hostile 28-containers 51-sockact}"
command -v gcov >/dev/null 2>&1 || { echo "coverage: gcov not found (gcc)" >&2; exit 1; }

# usage: build DIR EXTRA_CFLAGS MAKE_ARGS
build() {
	dir=$1 obj=$1/build/obj
	mkdir -p "$dir"
	if [ ! -f "$dir/.config" ] || [ "$TOP/configs/defconfig" -nt "$dir/.config" ]; then
		KCONFIG_CONFIG=$dir/.config kconfig-conf -s \
			--defconfig="$TOP/configs/defconfig" "$TOP/Config.in" >/dev/null
	fi
	echo "coverage: building with gcc --coverage $2 in $dir"
	flags="-O0 -g --coverage -include $TOP/libcommon/coverage.h -DCOV_PROBE=\\\"$obj/libcommon/util.gcda\\\" $2"
	# objects depend on the Makefile, not on CFLAGS: rebuild if they changed
	[ "$(cat "$dir/cflags" 2>/dev/null)" = "$flags $3" ] ||
		make -s -C "$TOP" O="$dir" clean >/dev/null
	printf '%s\n' "$flags $3" >"$dir/cflags"
	CFLAGS=$flags LDFLAGS="--coverage" \
		make -s -C "$TOP" O="$dir" CC=gcc $3 >"$dir/make.log" 2>&1 ||
		{ cat "$dir/make.log" >&2; exit 1; }
	# fresh counters: one empty file per object (gcov starts an empty
	# one anew), writable by whichever user the process runs as
	find "$obj" -name '*.gcda' -delete
	for g in $(find "$obj" -name '*.gcno'); do
		: >"${g%.gcno}.gcda"
		chmod 666 "${g%.gcno}.gcda"
	done
	chmod -R a+rX "$dir"
}

# usage: run_suites DIR SUITE...
run_suites() {
	dir=$1
	shift
	# as check-sanitize: a dynamic glibc binary cannot be copied alone
	# into a chroot, and has no libcap-ng linked in; and a dynamic dive
	# loads the client's LD_PRELOAD itself (the attack is on dived's child)
	SKIP="test_client_chroot test_static_and_without_libcap_ng
		test_ld_preload_does_not_reach_another_user"
	SKIP_TESTS=$SKIP DIVEBOX=$dir/divebox DIVEBOX_CONFIG=$dir/.config \
		DIVEBOX_DYNAMIC=1 TOP=$TOP sh "$TOP/testsuite/run" "$@"
}

# gcov's annotated output (-t: to stdout), "COUNT:LINE:source" with COUNT
# a number (starred: some blocks of the line not run), ##### or =====
# (never run) or - (not code), of each variant's objects; only the .c
# files of applets/ and libcommon/. A line is code if it is in either
# build, run if either ran it.
report() {
	for v in $COV_VARIANTS; do
		for g in "$OUT/$v"/build/obj/applets/*.gcno \
			"$OUT/$v"/build/obj/applets/*/*.gcno \
			"$OUT/$v"/build/obj/libcommon/*.gcno; do
			[ -f "$g" ] || continue
			[ -s "${g%.gcno}.gcda" ] || rm -f "${g%.gcno}.gcda" # never run: 0%
			# the objects name their sources relative to the tree
			(cd "$TOP" && gcov -t -o "$(dirname "$g")" "$g" 2>/dev/null)
		done
	done | awk '
	{ n = split($0, a, ":"); c = a[1]; l = a[2]; gsub(/[ *]/, "", c); gsub(/ /, "", l) }
	l == 0 && a[3] == "Source" { f = a[4]; keep = (f ~ /^(applets|libcommon)\/([^\/]*\/)?[^\/]*\.c$/)
		if (keep) seen[f] = 1
		next }
	!keep || l == 0 || c == "-" { next }
	{ code[f, l] = 1; if (c ~ /^[0-9]+$/ && c > 0) run[f, l] = 1 }
	END {
		for (k in code) { split(k, b, SUBSEP); lines[b[1]]++; if (k in run) ran[b[1]]++ }
		for (f in seen) {
			L += lines[f]; R += ran[f]
			printf "%6.1f%% %5d/%-5d %s\n", lines[f] ? 100 * ran[f] / lines[f] : 100,
				ran[f], lines[f], f | "sort -b -k3"
		}
		close("sort -b -k3")
		printf "%6.1f%% %5d/%-5d total\n", L ? 100 * R / L : 0, R, L
	}' >"$OUT/coverage.txt"
	echo "coverage: line coverage of applets/ and libcommon/ ($COV_VARIANTS; also in $OUT/coverage.txt)"
	cat "$OUT/coverage.txt"
}

if [ "${COV_REPORT:-}" = 1 ]; then
	report
	exit 0
fi
suites=$*
[ -n "$suites" ] || suites=$(echo $(ls "$TOP"/testsuite/[0-9]*.sh | grep -v 45-fuzz-smoke))
rc=0
start=$(date +%s)
# every build first, then the suites: the builds see the same sources
touch "$OUT/.start"
for v in $COV_VARIANTS; do
	case $v in
	glibc) build "$OUT/glibc" "" "" ;;
	musl) build "$OUT/musl" "-DDIVEBOX_LEAN_LIBC" "NO_TINY_ALLOC=1" ;;
	*) echo "coverage: unknown variant $v" >&2; exit 1 ;;
	esac
done
for v in $COV_VARIANTS; do
	echo "coverage: the suites against the $v build"
	case $v in
	glibc) run_suites "$OUT/glibc" $suites || rc=1 ;;
	musl)
		# those of MUSL_SUITES asked for (all by default)
		ms=
		for m in $MUSL_SUITES; do
			case " $suites " in *"/$m.sh "*|*" $m "*) ms="$ms $TOP/testsuite/$m.sh" ;; esac
		done
		[ -z "$ms" ] || run_suites "$OUT/musl" $ms || rc=1 ;;
	esac
done
echo "coverage: built and ran the suites in $(( $(date +%s) - start ))s"
report
changed=$(cd "$TOP" && find applets libcommon -name '*.[ch]' -newer "$OUT/.start")
[ -z "$changed" ] || echo "coverage: warning: changed since the build, figures off for:" $changed >&2
[ $rc = 0 ] || echo "coverage: some suites failed under the coverage build (see above)" >&2
exit $rc
