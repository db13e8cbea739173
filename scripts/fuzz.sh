#!/bin/sh
# fuzz.sh — build the libFuzzer targets of fuzz/ and run them.
#
#   sh scripts/fuzz.sh            each target for FUZZ_TIME seconds (60)
#   sh scripts/fuzz.sh --smoke    each target for SMOKE_TIME seconds (8),
#                                 for `make check` (testsuite/45-fuzz-smoke)
#   sh scripts/fuzz.sh --build    only build; prints the build directory
#
# Build: clang -fsanitize=fuzzer,address,undefined against glibc, the
# needed libcommon/*.c and applets/dived/*.c (not dived.c) compiled
# directly with a config.h generated from
# configs/defconfig in build/fuzz/ (the tree's own build stays untouched).
# The committed corpus (fuzz/corpus/TARGET) seeds each run; what a run
# finds goes to build/fuzz/corpus/TARGET, crashes to build/fuzz/crash-*.
# Targets (FUZZ_TARGETS="proto options pwdb fdplace audit malloc", the
# default: all): proto (request decoder), options (dived's option parser),
# pwdb (the passwd/group parser), fdplace (step 3's fd placement, on real
# fds), audit (the audit line's escaping), malloc (the musl build's tiny
# allocator, in a harness of its own: fuzz/fuzz_malloc.c).
# Exit status: 0 clean, 1 a target crashed/leaked, 2 cannot build
# (no clang or libFuzzer).
set -e
TOP=$(cd "$(dirname "$0")/.." && pwd)
OUT=${FUZZ_OUT:-$TOP/build/fuzz}
CC=${FUZZ_CC:-clang}
mode=${1:-run}

command -v "$CC" >/dev/null 2>&1 || { echo "fuzz: $CC not found" >&2; exit 2; }
mkdir -p "$OUT/obj" "$OUT/corpus"
sh "$TOP/scripts/config-h.sh" "$TOP/configs/defconfig" >"$OUT/config.h.tmp"
cmp -s "$OUT/config.h.tmp" "$OUT/config.h" 2>/dev/null ||
	mv "$OUT/config.h.tmp" "$OUT/config.h"
rm -f "$OUT/config.h.tmp"

SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
CFLAGS="-g -O1 -std=gnu11 -D_GNU_SOURCE -DDIVEBOX_VERSION=\"fuzz\" \
-I$OUT -I$TOP/libcommon -I$TOP/applets -I$TOP/applets/dived \
-Wno-unused-function $SAN"
# the library part once: everything but the allocator of the musl build
objs=""
for src in "$TOP"/libcommon/*.c "$TOP"/applets/dived/*.c; do
	[ "${src##*/}" = dived.c ] && continue
	o=$OUT/obj/$(basename "$src" .c).o
	if [ ! -f "$o" ] || [ "$src" -nt "$o" ] || [ "$OUT/config.h" -nt "$o" ]; then
		$CC $CFLAGS -fsanitize=fuzzer-no-link -c -o "$o" "$src" || exit 2
	fi
	objs="$objs $o"
done
# fuzz_options turns exit()/_exit() into a longjmp (see fuzz_options.c)
$CC $CFLAGS -fsanitize=fuzzer -o "$OUT/fuzz_proto" "$TOP/fuzz/fuzz_proto.c" \
	$objs -lcap-ng || exit 2
$CC $CFLAGS -fsanitize=fuzzer -Wl,--wrap=_exit,--wrap=exit \
	-o "$OUT/fuzz_options" "$TOP/fuzz/fuzz_options.c" $objs -lcap-ng || exit 2
for t in pwdb fdplace audit; do
	$CC $CFLAGS -fsanitize=fuzzer -o "$OUT/fuzz_$t" "$TOP/fuzz/fuzz_$t.c" \
		$objs -lcap-ng || exit 2
done
# malloc.c is included by its harness (under other names), not linked
$CC $CFLAGS -Wno-unknown-warning-option -fsanitize=fuzzer -o "$OUT/fuzz_malloc" \
	"$TOP/fuzz/fuzz_malloc.c" || exit 2
[ "$mode" = --build ] && { echo "$OUT"; exit 0; }

time=${FUZZ_TIME:-60}
[ "$mode" = --smoke ] && time=${SMOKE_TIME:-8}
rc=0
for t in ${FUZZ_TARGETS:-proto options pwdb fdplace audit malloc}; do
	mkdir -p "$OUT/corpus/$t"
	echo "fuzz: $t for ${time}s"
	# -close_fd_mask=3: the option parser's messages are noise here;
	# sanitizer reports still reach the log
	if ! ASAN_OPTIONS=detect_leaks=1 "$OUT/fuzz_$t" \
		-max_total_time="$time" -close_fd_mask=3 -timeout=10 \
		-rss_limit_mb=2048 -max_len=4096 -print_final_stats=0 \
		-artifact_prefix="$OUT/crash-$t-" \
		"$OUT/corpus/$t" "$TOP/fuzz/corpus/$t" >"$OUT/$t.log" 2>&1; then
		echo "fuzz: $t FAILED (see $OUT/$t.log):" >&2
		grep -E 'ERROR|SUMMARY|runtime error|Test unit written' "$OUT/$t.log" |
			head -20 >&2
		rc=1
	else
		grep -E '^#[0-9]+.*DONE' "$OUT/$t.log" | tail -1
	fi
done
exit $rc
