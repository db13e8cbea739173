#!/bin/sh
# bench.sh — divebox performance and footprint figures against the targets
# of issue 8 (see docs/performance.md for what each figure means).
#
# usage: DIVEBOX=./divebox sh scripts/bench.sh [--json] [--against OLD]
#   prints one line per figure with its target and OK/MISS; with --json the
#   lines go to stderr and the figures as JSON to stdout and build/bench.json.
#   --against OLD (an older divebox binary): A/B mode instead; two private
#   dived, one per binary, each figure timed for old and new in alternating
#   rounds; per figure both medians, new/old, the spread of the per-round
#   ratios, CPU per session, and same/SLOWER/faster (JSON:
#   build/bench-against.json). Exit status 0 either way.
# Env: BENCH_RUNS (timed runs per command, default 1500), BENCH_SESSIONS
#   (sessions per concurrency level, 1000), BENCH_ROUNDS (alternating
#   rounds, 3; 5 with --against), BENCH_LIVE (live sessions for the memory
#   figure, 50), BENCH_TOOL=loop (time with a shell loop even when
#   hyperfine exists), BENCH_CPU=times (client CPU from the shell's times
#   even when perf exists).
#
# It starts its own dived (with --against: two) on temporary sockets as the
# current user and leaves nothing behind: dived and every program it started
# carry DIVEBOX_BENCH=<workdir> in their environment and are killed by pid on
# exit, Ctrl+C or TERM.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/.." && pwd)}
DIVEBOX=${DIVEBOX:-$TOP/divebox}
RUNS=${BENCH_RUNS:-1500}
SESSIONS=${BENCH_SESSIONS:-1000}
LIVE=${BENCH_LIVE:-50}
json=0
AGAINST=
usage() { echo "usage: $0 [--json] [--against OLD_DIVEBOX]" >&2; exit 2; }
while [ $# -gt 0 ]; do
	case $1 in
	--json) json=1 ;;
	--against) [ $# -ge 2 ] && [ -n "$2" ] || usage; AGAINST=$2; shift ;;
	--against=?*) AGAINST=${1#--against=} ;;
	*) usage ;;
	esac
	shift
done
# A/B rounds are shorter and interleaved: more of them by default
[ -n "$AGAINST" ] && ROUNDS=${BENCH_ROUNDS:-5} || ROUNDS=${BENCH_ROUNDS:-3}

DIVEBOX=$(readlink -f "$DIVEBOX") || exit 1
[ -x "$DIVEBOX" ] || { echo "bench: no binary at $DIVEBOX (make first)" >&2; exit 1; }
if [ -n "$AGAINST" ]; then
	OLD=$(readlink -f "$AGAINST") && [ -f "$OLD" ] && [ -x "$OLD" ] ||
		{ echo "bench: --against $AGAINST: no executable there" >&2; exit 1; }
fi
W=$(mktemp -d "${TMPDIR:-/tmp}/divebox-bench.XXXXXX") || exit 1
SOCK=$W/sock
DIVED_PID=
DIVED_PIDS= # every dived started (one, or two with --against)

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
	for p in $DIVED_PIDS; do
		kill "$p" 2>/dev/null
	done
	for p in $(marked_pids); do
		[ "$p" != $$ ] && kill -9 "$p" 2>/dev/null
	done
	for p in $DIVED_PIDS; do
		wait "$p" 2>/dev/null
	done
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
	if [ -n "$AGAINST" ]; then
		install_bin "$OLD" "$W/old"
		install_bin "$DIVEBOX" "$W/new"
	else
		install_bin "$DIVEBOX" "$W"
	fi
}

# install_bin BINARY DIR: a private copy (a rebuild of the tree during the
# run changes nothing) as DIR/divebox with its dive and dived links
install_bin() {
	mkdir -p "$2" && cp "$1" "$2/divebox" || exit 1
	ln -s divebox "$2/dive"
	ln -s divebox "$2/dived"
}

# start_dived DIR SOCK: DIR/dived on SOCK, its pid in STARTED
start_dived() {
	# all the benchmark's clients are one user: lift the per-user cap
	# (--max-per-user, 32) to the one for everyone where dived has it
	lim=
	"$1/dived" --help 2>/dev/null | grep -q -- --max-per-user &&
		lim="--max-per-user 256"
	DIVEBOX_BENCH=$W "$1/dived" "$2" $lim </dev/null >"$1/dived.log" 2>&1 &
	STARTED=$!
	DIVED_PIDS="$DIVED_PIDS $STARTED"
	i=0
	while [ ! -S "$2" ]; do
		i=$((i + 1))
		if [ $i -gt 500 ] || ! kill -0 "$STARTED" 2>/dev/null; then
			echo "bench: $1/dived did not start:" >&2
			cat "$1/dived.log" >&2
			exit 1
		fi
		sleep 0.01
	done
	# the socket exists once bound; dived listens right after
	"$1/dive" "$2" /bin/true </dev/null ||
		{ echo "bench: $1/dive $2 /bin/true fails" >&2; exit 1; }
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

# ---- A/B against an older build (--against) ---------------------------------
# Side old is $W/old (the --against binary) with its dived on $W/old.sock,
# side new is $W/new on $W/new.sock; each side's dive talks to its own
# dived. Every figure runs ROUNDS rounds; a round times old then new (even
# rounds) or new then old (odd ones), so drift and warm-up hit both sides
# alike. Per run of one side it records the figure, dived's CPU ticks
# (utime+stime+cutime+cstime, /proc/PID/stat fields 14-17: the handlers
# and the programs they became are its reaped children) and the clients'
# CPU (perf stat's task-clock of the harness and every dive it starts, or
# the shell's times of its children).

# ab_ticks PID: TICKS = PID's own and reaped children's CPU, clock ticks
ab_ticks() {
	read -r s <"/proc/$1/stat" 2>/dev/null ||
		{ echo "bench: dived $1 is gone" >&2; exit 1; }
	set -- ${s##*) }
	TICKS=$((${12} + ${13} + ${14} + ${15}))
}

# ab_child_ms: CMS = user+sys CPU of the shell's reaped children, in ms
ab_child_ms() {
	times >"$W/times"
	CMS=$(awk 'function t(x,  m) { m = x; sub(/m.*/, "", m); sub(/^[^m]*m/, "", x)
			sub(/s$/, "", x); return m * 60 + x }
		NR == 2 { printf "%.3f", (t($1) + t($2)) * 1000 }' "$W/times")
}

# ab_run SIDE CMD...: run CMD (stdout in $W/out) as a run of SIDE; AB_T =
# ticks dived of SIDE used meanwhile, AB_C = the clients' CPU in ms
ab_run() {
	eval "ab_pid=\$PID_$1"
	shift
	ab_ticks "$ab_pid"
	ab_t0=$TICKS
	if [ "$CPU_TOOL" = perf ]; then
		LC_ALL=C perf stat -x, -o "$W/perf" -e task-clock -- "$@" \
			</dev/null >"$W/out" 2>"$W/err" || ab_fail "$@"
		AB_C=$(awk -F, '$3 ~ /^task-clock/ { v = $1 } END { print v + 0 }' \
			"$W/perf")
	else
		ab_child_ms
		ab_c0=$CMS
		"$@" </dev/null >"$W/out" 2>"$W/err" || ab_fail "$@"
		ab_child_ms
		AB_C=$(calc '%.3f' 'b - a' a="$ab_c0" b="$CMS")
	fi
	ab_ticks "$ab_pid"
	AB_T=$((TICKS - ab_t0))
}
ab_fail() {
	echo "bench: $* failed:" >&2
	cat "$W/out" "$W/err" >&2
	exit 1
}

# the shell loop of BENCH_TOOL=loop: N CMD... -> total ns on stdout
AB_LOOP='n=$1; shift; t0=$(date +%s%N); i=0
while [ $i -lt "$n" ]; do "$@" </dev/null >/dev/null 2>&1 || exit 1; i=$((i + 1)); done
echo $(($(date +%s%N) - t0))'

# runners: RUNNER ARGS... SIDE sets AB_V (the figure), AB_S (sessions), AB_T, AB_C
# ab_time PREFIX SIDE: ms per run of "PREFIX $D/dive $SOCK /bin/true"
ab_time() {
	d=$W/$2
	n=$(( (RUNS + ROUNDS - 1) / ROUNDS ))
	if [ "$TOOL" = loop ]; then
		ab_run "$2" sh -c "$AB_LOOP" sh $n $1 "$d/dive" "$d.sock" /bin/true
		AB_V=$(calc '%.6f' 'ns / n / 1e6' ns="$(cat "$W/out")" n=$n)
		AB_S=$n
	else
		ab_run "$2" hyperfine -N --style none --warmup 20 --runs $n \
			--export-csv "$W/h.csv" "$1 $d/dive $d.sock /bin/true"
		AB_V=$(awk -F, 'NR == 2 { printf "%.6f", $4 * 1000 }' "$W/h.csv")
		AB_S=$((n + 20))
	fi
}
# ab_rate C SIDE: sessions/s of SESSIONS sessions, C clients at once
ab_rate() {
	d=$W/$2
	ab_run "$2" "$W/sessrate" "$1" "$SESSIONS" "$d/dive" "$d.sock" /bin/true
	AB_V=$(awk '{ printf "%.1f", $1 / $2 }' "$W/out")
	AB_S=$SESSIONS
}

# ab_figure ID KIND UNIT TEXT RUNNER ARGS...: ROUNDS alternating rounds of
# RUNNER for both sides, then the report; KIND is time (more is slower) or
# rate (less is slower)
ab_figure() {
	ab_id=$1 ab_kind=$2 ab_unit=$3 ab_text=$4
	shift 4
	: >"$W/ab"
	r=0
	while [ $r -lt "$ROUNDS" ]; do
		ab_order="old new"
		[ $((r % 2)) = 1 ] && ab_order="new old"
		for side in $ab_order; do
			"$@" $side
			eval "R_$side=\"\$AB_V \$AB_T \$AB_C \$AB_S\""
		done
		echo "$R_old $R_new" >>"$W/ab"
		r=$((r + 1))
	done
	# per round: old value ticks cpu-ms sessions, new value ticks cpu-ms sessions
	set -- $(awk -v kind="$ab_kind" -v tck="$CLK_TCK" '
		function sort(a, n,  i, j, t) {
			for (i = 2; i <= n; i++)
				for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
					t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
				}
		}
		function med(a, n) {
			sort(a, n)
			return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
		}
		function range(a, n,  i) {
			lo = hi = ""
			for (i = 1; i <= n; i++) {
				if (lo == "" || a[i] < lo) lo = a[i]
				if (hi == "" || a[i] > hi) hi = a[i]
			}
			if (lo == "") lo = hi = 1
		}
		# same: the rounds disagree on the direction (their ratios
		# span 1) or the change is within 5 %
		function verdict(x, slower_if_more) {
			if ((lo <= 1 && 1 <= hi) || (x >= 0.95 && x <= 1.05))
				return "same"
			return ((x > 1) == slower_if_more) ? "SLOWER" : "faster"
		}
		function cpu(o, os, nw, ns, a, m,  x) { # per-session us, ratio, range, verdict
			x = (o > 0 && nw > 0) ? (nw / ns) / (o / os) : 1
			range(a, m)
			printf " %.0f %.0f %.3f %.3f %.3f %s", o / os * 1000, nw / ns * 1000, \
				x, lo, hi, verdict(x, 1)
		}
		{
			n++; ov[n] = $1; nv[n] = $5; q[n] = $5 / $1
			ot += $2; oc += $3; os += $4; nt += $6; nc += $7; ns += $8
			if ($2 > 0 && $6 > 0) dq[++dn] = ($6 / $8) / ($2 / $4)
			if ($3 > 0 && $7 > 0) cq[++cn] = ($7 / $8) / ($3 / $4)
		}
		END {
			o = med(ov, n); nw = med(nv, n); x = nw / o
			range(q, n)
			printf "%.3f %.3f %.3f %.3f %.3f %s", o, nw, x, lo, hi, \
				verdict(x, kind == "time")
			cpu(ot * 1000 / tck, os, nt * 1000 / tck, ns, dq, dn)
			cpu(oc, os, nc, ns, cq, cn)
			print ""
		}' "$W/ab")
	[ "$ab_kind" = rate ] && { o=$(calc '%.1f' x x="$1"); nw=$(calc '%.1f' x x="$2"); } ||
		{ o=$1; nw=$2; }
	line "bench: $ab_text: old $o $ab_unit, new $nw $ab_unit, new/old $3" \
		"(rounds $4-$5): $6"
	line "bench:   CPU per session: dived old $7 us, new $8 us, new/old $9" \
		"(rounds ${10}-${11}): ${12}; clients ($CPU_TOOL) old ${13} us," \
		"new ${14} us, new/old ${15} (rounds ${16}-${17}): ${18}"
	AB_VERDICTS="$AB_VERDICTS $ab_id:$6"
	[ "${12}" = same ] || AB_VERDICTS="$AB_VERDICTS $ab_id-dived-cpu:${12}"
	[ "${18}" = same ] || AB_VERDICTS="$AB_VERDICTS $ab_id-client-cpu:${18}"
	ok=true
	case "$6 ${12} ${18}" in *SLOWER*) ok=false ;; esac
	fig "$ab_id" $ok "\"unit\":\"$ab_unit\",\"old\":$o,\"new\":$nw," \
		"\"ratio\":$3,\"round_min\":$4,\"round_max\":$5,\"verdict\":\"$6\"," \
		"\"rounds\":$ROUNDS,\"dived_cpu_us\":{\"old\":$7,\"new\":$8," \
		"\"ratio\":$9,\"round_min\":${10},\"round_max\":${11}," \
		"\"verdict\":\"${12}\"},\"client_cpu_us\":{\"tool\":\"$CPU_TOOL\"," \
		"\"old\":${13},\"new\":${14},\"ratio\":${15},\"round_min\":${16}," \
		"\"round_max\":${17},\"verdict\":\"${18}\"}"
}

ab_main() {
	CLK_TCK=$(getconf CLK_TCK 2>/dev/null || echo 100)
	CPU_TOOL=times
	if [ "${BENCH_CPU:-}" != times ] && command -v perf >/dev/null 2>&1 &&
		perf stat -x, -o /dev/null -e task-clock true >/dev/null 2>&1; then
		CPU_TOOL=perf
	fi
	AB_VERDICTS=
	line "bench: A/B, old $OLD, new $DIVEBOX: $ROUNDS alternating rounds," \
		"timing with $TOOL, client CPU with $CPU_TOOL"
	build_tools
	start_dived "$W/old" "$W/old.sock"
	PID_old=$STARTED
	start_dived "$W/new" "$W/new.sock"
	PID_new=$STARTED
	ab_figure exec time ms "dive SOCK /bin/true" ab_time ""
	ab_figure fds200 time ms "manyfds 200 dive SOCK /bin/true" \
		ab_time "$W/manyfds 200"
	for c in 4 16; do
		for side in old new; do # warm-up, not counted
			"$W/sessrate" $c 100 "$W/$side/dive" "$W/$side.sock" \
				/bin/true >/dev/null || ab_fail sessrate $c "$W/$side/dive"
		done
		ab_figure rate_$c rate sessions/s "$c clients at once" ab_rate $c
	done
	line "bench: dived RSS after the runs: old $(rss_kib "$PID_old") KiB," \
		"new $(rss_kib "$PID_new") KiB; binaries old $(wc -c <"$OLD") B," \
		"new $(wc -c <"$DIVEBOX") B"
	line "bench: verdicts (same: the rounds disagree or within 5%):$AB_VERDICTS"
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
if [ -n "$AGAINST" ]; then
	ab_main
	if [ $json = 1 ]; then
		{
			printf '{"divebox":"%s","against":"%s","tool":"%s",' \
				"$DIVEBOX" "$OLD" "$TOOL"
			printf '"cpus":%s,"load":"%s","date":"%s","figures":[\n' \
				"$cpus" "$load" "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
			sed '$!s/$/,/' "$FIGS"
			printf ']}\n'
		} >"$W/bench.json"
		mkdir -p "$TOP/build"
		cp "$W/bench.json" "$TOP/build/bench-against.json"
		cat "$W/bench.json"
	fi
	exit 0
fi
build_tools
start_dived "$W" "$SOCK"
DIVED_PID=$STARTED
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
