#!/bin/sh
# bench.sh — divebox performance and footprint figures against the targets
# of issue 8 (see docs/performance.md for what each figure means).
#
# usage: DIVEBOX=./divebox sh scripts/bench.sh [--json]
#   prints one line per figure with its target and OK/MISS; with --json the
#   lines go to stderr and the figures as JSON to stdout and build/bench.json.
# Env: BENCH_RUNS (timed runs per command, default 1500), BENCH_SESSIONS
#   (sessions per concurrency level, 1000), BENCH_ROUNDS (alternating
#   rounds, 3), BENCH_LIVE (live sessions for the memory figure, 50),
#   BENCH_TOOL=loop (time with a shell loop even when hyperfine exists).
#
# It starts its own dived on a temporary socket as the current user and
# leaves nothing behind: dived and every program it started carry
# DIVEBOX_BENCH=<workdir> in their environment and are killed by pid on
# exit, Ctrl+C or TERM.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/.." && pwd)}
DIVEBOX=${DIVEBOX:-$TOP/divebox}
RUNS=${BENCH_RUNS:-1500}
SESSIONS=${BENCH_SESSIONS:-1000}
ROUNDS=${BENCH_ROUNDS:-3}
LIVE=${BENCH_LIVE:-50}
json=0
case ${1-} in
--json) json=1 ;;
'') ;;
*) echo "usage: $0 [--json]" >&2; exit 2 ;;
esac

DIVEBOX=$(readlink -f "$DIVEBOX") || exit 1
[ -x "$DIVEBOX" ] || { echo "bench: no binary at $DIVEBOX (make first)" >&2; exit 1; }
W=$(mktemp -d "${TMPDIR:-/tmp}/divebox-bench.XXXXXX") || exit 1
SOCK=$W/sock
DIVED_PID=

# ---- cleanup: nothing survives ----------------------------------------
# Every process the benchmark leaves running (dived and the programs it
# started, which got the marker through dive's environment) has
# DIVEBOX_BENCH=$W in /proc/PID/environ: find them and kill them by pid.
marked_pids() {
	grep -lzxF "DIVEBOX_BENCH=$W" /proc/[0-9]*/environ 2>/dev/null |
		sed -n 's|^/proc/\([0-9]*\)/environ$|\1|p'
}

cleanup() {
	trap - EXIT INT TERM HUP PIPE
	[ -n "$DIVED_PID" ] && kill "$DIVED_PID" 2>/dev/null
	for p in $(marked_pids); do
		[ "$p" != $$ ] && kill -9 "$p" 2>/dev/null
	done
	[ -n "$DIVED_PID" ] && wait "$DIVED_PID" 2>/dev/null
	rm -rf "$W"
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM
trap 'cleanup; exit 129' HUP
trap 'cleanup; exit 141' PIPE # e.g. piped into head

# ---- output -------------------------------------------------------------
FIGS=$W/figures
: >"$FIGS"
line() {
	if [ $json = 1 ]; then echo "$*" >&2; else echo "$*"; fi
}
# fig ID OK JSON-FIELDS...: remember one figure for the JSON report
fig() {
	id=$1 ok=$2 ifs=$IFS
	shift 2
	IFS=
	printf '{"id":"%s","ok":%s,%s}\n' "$id" "$ok" "$*" >>"$FIGS"
	IFS=$ifs
}
# calc FORMAT AWK-EXPR [VAR=VALUE...]: evaluate a float expression
calc() {
	f=$1 e=$2 vs=
	shift 2
	for a in "$@"; do vs="$vs -v $a"; done
	awk $vs -v f="$f" "BEGIN { printf f, ($e) }" </dev/null
}
verdict() { # AWK-CONDITION [VAR=VALUE...]: OK or MISS
	cond=$1
	shift
	calc '%s' "(($cond) ? \"OK\" : \"MISS\")" "$@"
}
jbool() { [ "$1" = OK ] && echo true || echo false; }

# ---- tools ----------------------------------------------------------------
build_tools() {
	hcc=cc
	hflags="-O2"
	if command -v musl-gcc >/dev/null 2>&1; then
		hcc=musl-gcc # static: the helpers' own exec costs almost nothing
		hflags="-O2 -static"
	fi
	for t in manyfds sessrate; do
		$hcc $hflags -o "$W/$t" "$TOP/testsuite/tools/$t.c" ||
			{ echo "bench: cannot build $t" >&2; exit 1; }
	done
	# a private copy: a rebuild of the tree during the run changes nothing
	cp "$DIVEBOX" "$W/divebox" || exit 1
	ln -s divebox "$W/dive"
	ln -s divebox "$W/dived"
}

start_dived() {
	# all the benchmark's clients are one user: lift the per-user cap
	# (--max-per-user, 32) to the one for everyone where dived has it
	lim=
	"$W/dived" --help 2>/dev/null | grep -q -- --max-per-user &&
		lim="--max-per-user 256"
	DIVEBOX_BENCH=$W "$W/dived" "$SOCK" $lim </dev/null >"$W/dived.log" 2>&1 &
	DIVED_PID=$!
	i=0
	while [ ! -S "$SOCK" ]; do
		i=$((i + 1))
		if [ $i -gt 500 ] || ! kill -0 "$DIVED_PID" 2>/dev/null; then
			echo "bench: dived did not start:" >&2
			cat "$W/dived.log" >&2
			exit 1
		fi
		sleep 0.01
	done
	# the socket exists once bound; dived listens right after
	"$W/dive" "$SOCK" /bin/true </dev/null ||
		{ echo "bench: dive $SOCK /bin/true fails" >&2; exit 1; }
}

TOOL=loop
if [ "${BENCH_TOOL:-}" != loop ] && command -v hyperfine >/dev/null 2>&1; then
	TOOL="hyperfine $(hyperfine --version | sed 's/^hyperfine //')"
fi

# ---- per-run time of two commands, side by side ---------------------------
# time2 "CMD A" "CMD B": sets TA and TB to the ms per run of each, the
# median over ROUNDS alternating rounds of RUNS/ROUNDS runs of the median
# (hyperfine) or mean (loop) of each round.
time2() {
	n=$(( (RUNS + ROUNDS - 1) / ROUNDS ))
	: >"$W/t"
	r=0
	while [ $r -lt "$ROUNDS" ]; do
		if [ "$TOOL" = loop ]; then
			echo "$(loop_ms $n $1) $(loop_ms $n $2)" >>"$W/t"
		else
			hyperfine -N --style none --warmup 20 --runs $n \
				--export-csv "$W/h.csv" "$1" "$2" </dev/null \
				>/dev/null 2>"$W/h.err" ||
				{ cat "$W/h.err" >&2; exit 1; }
			# command,mean,stddev,median,...: seconds
			awk -F, 'NR > 1 { printf "%s%.6f", (NR > 2 ? " " : ""), $4 * 1000 }
				 END { print "" }' "$W/h.csv" >>"$W/t"
		fi
		r=$((r + 1))
	done
	TA=$(calc '%.3f' "$(median 1 "$W/t")")
	TB=$(calc '%.3f' "$(median 2 "$W/t")")
}

median() { # COLUMN FILE: median of that space-separated column
	cut -d' ' -f"$1" "$2" | sort -g |
		awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# loop_ms N CMD...: mean wall time of one run in ms, from a shell loop
loop_ms() {
	n=$1
	shift
	t0=$(date +%s%N)
	i=0
	while [ $i -lt "$n" ]; do
		"$@" </dev/null >/dev/null 2>&1
		i=$((i + 1))
	done
	t1=$(date +%s%N)
	calc '%.6f' '(t1 - t0) / n / 1e6' t1="$t1" t0="$t0" n="$n"
}

# ---- figures ---------------------------------------------------------------
fig_exec() {
	time2 "$W/dive $SOCK /bin/true" "/bin/true"
	set -- "$TA" "$TB"
	ratio=$(calc '%.3f' 'a / b' a="$1" b="$2")
	over=$(calc '%.3f' 'a - b' a="$1" b="$2")
	v=$(verdict 'r <= 1.55' r="$ratio")
	line "bench: dive SOCK /bin/true $1 ms vs /bin/true $2 ms: ratio ${ratio}x" \
		"(overhead $over ms), target <= 1.55x: $v"
	fig exec_ratio "$(jbool $v)" "\"value\":$ratio,\"unit\":\"x\"," \
		"\"target\":\"<= 1.55\",\"dive_ms\":$1,\"direct_ms\":$2," \
		"\"overhead_ms\":$over"
}

fig_fds() {
	time2 "$W/manyfds 200 $W/dive $SOCK /bin/true" "$W/manyfds 200 /bin/true"
	set -- "$TA" "$TB"
	over=$(calc '%.3f' 'a - b' a="$1" b="$2")
	v=$(verdict 'o <= 0.45' o="$over")
	line "bench: with 200 extra fds: dive $1 ms vs direct $2 ms: overhead" \
		"$over ms, target <= 0.45 ms: $v"
	fig fds200_overhead "$(jbool $v)" "\"value\":$over,\"unit\":\"ms\"," \
		"\"target\":\"<= 0.45\",\"dive_ms\":$1,\"direct_ms\":$2"
}

# rate C CMD...: append the sessions/s of SESSIONS sessions to $W/rates
rate() {
	c=$1
	shift
	"$W/sessrate" "$c" "$SESSIONS" "$@" >"$W/r" ||
		{ echo "bench: $* failed at concurrency $c: $(cat "$W/r")" >&2
		  exit 1; }
	awk '{ printf "%.1f", $1 / $2 }' "$W/r" >>"$W/rates"
}

fig_rate() {
	c=$1
	: >"$W/rates"
	r=0
	while [ $r -lt "$ROUNDS" ]; do
		rate $c "$W/dive" "$SOCK" /bin/true
		printf ' ' >>"$W/rates"
		rate $c /bin/true
		echo >>"$W/rates"
		r=$((r + 1))
	done
	d=$(median 1 "$W/rates")
	x=$(median 2 "$W/rates")
	ratio=$(calc '%.3f' 'd / x' d="$d" x="$x")
	v=$(verdict 'r >= 0.75' r="$ratio")
	line "bench: $c clients at once: dive $d sessions/s vs direct $x runs/s:" \
		"ratio ${ratio}x, target >= 0.75x: $v"
	fig "rate_$c" "$(jbool $v)" "\"value\":$ratio,\"unit\":\"x\"," \
		"\"target\":\">= 0.75\",\"dive_per_s\":$d,\"direct_per_s\":$x," \
		"\"clients\":$c,\"sessions\":$SESSIONS"
}

rss_kib() { # PID: VmRSS in KiB, 0 if gone
	awk '/^VmRSS:/ { print $2; f = 1 } END { if (!f) print 0 }' \
		"/proc/$1/status" 2>/dev/null || echo 0
}

# descendants PID: every process below PID, as "pid ppid" lines
descendants() {
	root=$1
	for f in /proc/[0-9]*/stat; do
		# comm may hold spaces and ')': the fields after the last ')'
		read -r s <"$f" 2>/dev/null || continue
		pid=${s%% *}
		rest=${s##*) }
		set -- $rest
		echo "$pid $2"
	done 2>/dev/null | awk -v root="$root" '
		{ parent[$1] = $2 }
		END {
			n = 1; want[root] = 1; changed = 1
			while (changed) {
				changed = 0
				for (p in parent)
					if (!(p in want) && (parent[p] in want)) {
						want[p] = 1; changed = 1
					}
			}
			for (p in want) if (p != root) print p
		}'
}

fig_memory() {
	idle0=$1
	idle=$(rss_kib "$DIVED_PID")
	[ "$idle0" -gt "$idle" ] && idle=$idle0
	v=$(verdict 'r <= 200' r="$idle")
	line "bench: dived idle RSS $idle KiB (at start $idle0 KiB), target <= 200 KiB: $v"
	fig idle_rss "$(jbool $v)" "\"value\":$idle,\"unit\":\"KiB\"," \
		"\"target\":\"<= 200\",\"at_start_kib\":$idle0"

	idlefds=$(ls "/proc/$DIVED_PID/fd" | wc -l)
	i=0
	while [ $i -lt "$LIVE" ]; do
		DIVEBOX_BENCH=$W DIVE_WAITMODE=1 "$W/dive" "$SOCK" /bin/sleep 30 \
			</dev/null >/dev/null 2>&1 ||
			{ echo "bench: cannot start live session $i" >&2; exit 1; }
		i=$((i + 1))
	done
	# RP_PID comes just before the exec: wait until every program runs
	sleepexe=$(readlink -f /bin/sleep)
	t=0
	while :; do
		held=0 progs=0 rss=0
		for p in $(descendants "$DIVED_PID"); do
			exe=$(readlink "/proc/$p/exe" 2>/dev/null) || continue
			if [ "$exe" = "$sleepexe" ]; then
				progs=$((progs + 1))
			else
				held=$((held + 1))
				rss=$((rss + $(rss_kib "$p")))
			fi
		done
		[ $progs -ge "$LIVE" ] && [ $held -eq 0 ] && break
		t=$((t + 1))
		[ $t -ge 100 ] && break # handlers that stay: count them
		sleep 0.05
	done
	live=$(rss_kib "$DIVED_PID")
	fds=$(($(ls "/proc/$DIVED_PID/fd" | wc -l) - idlefds))
	total=$((rss + live - idle))
	[ $total -lt 0 ] && total=0
	pp=$(calc '%.2f' 'h / n' h="$held" n="$LIVE")
	pk=$(calc '%.1f' 't / n' t="$total" n="$LIVE")
	v=$(verdict 'p <= 1 && k <= 200' p="$pp" k="$pk")
	line "bench: per live session ($LIVE, $progs running): $pp extra processes," \
		"$pk KiB (dived $idle -> $live KiB, helpers $rss KiB, +$fds fds)," \
		"target <= 1 process and <= 200 KiB: $v"
	fig live_session "$(jbool $v)" "\"value\":$pk,\"unit\":\"KiB\"," \
		"\"target\":\"<= 1 process, <= 200 KiB\",\"processes\":$pp," \
		"\"sessions\":$LIVE,\"programs_seen\":$progs," \
		"\"dived_idle_kib\":$idle,\"dived_live_kib\":$live," \
		"\"helpers_kib\":$rss,\"dived_extra_fds\":$fds"
	for p in $(descendants "$DIVED_PID"); do
		kill "$p" 2>/dev/null
	done
}

fig_size() {
	if ! sh "$TOP/scripts/size.sh" --tsv >"$W/size"; then
		line "bench: size: cannot build the configs (scripts/size.sh failed): MISS"
		fig size "false" "\"value\":null,\"unit\":\"B\""
		return
	fi
	while read -r name bytes kib verdict; do
		v=OK
		[ "$verdict" = OK ] || v=MISS
		line "bench: size $name $bytes B ($(calc '%.1f' 'b / 1024' b="$bytes") KiB)," \
			"target <= $kib KiB: $v"
		fig "size_$name" "$(jbool $v)" "\"value\":$bytes,\"unit\":\"B\"," \
			"\"target\":\"<= $((kib * 1024))\""
	done <"$W/size"
}

# ---- main -------------------------------------------------------------------
load=$(cut -d' ' -f1-3 /proc/loadavg)
cpus=$(nproc 2>/dev/null || echo 1)
line "bench: $DIVEBOX, timing with $TOOL, $cpus cpus, load $load"
[ "$TOOL" = loop ] && line "bench: note: shell-loop means, not medians" \
	"(install hyperfine: scripts/bootstrap.sh)"
if [ "$(calc %d 'l > c / 2' l="${load%% *}" c="$cpus")" = 1 ]; then
	line "bench: warning: the machine is busy; figures will be noisy"
fi
build_tools
start_dived
idle0=$(rss_kib "$DIVED_PID")
fig_exec
fig_fds
fig_rate 4
fig_rate 16
fig_memory "$idle0"
fig_size

if [ $json = 1 ]; then
	{
		printf '{"divebox":"%s","tool":"%s","cpus":%s,"load":"%s",' \
			"$DIVEBOX" "$TOOL" "$cpus" "$load"
		printf '"date":"%s","figures":[\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
		sed '$!s/$/,/' "$FIGS"
		printf ']}\n'
	} >"$W/bench.json"
	mkdir -p "$TOP/build"
	cp "$W/bench.json" "$TOP/build/bench.json"
	cat "$W/bench.json"
fi
