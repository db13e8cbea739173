# testsuite/tools/dive-helpers.sh — shared by the dive/dived suites (1x-*.sh),
# sourced after lib.sh.

# Each test gets its own directory $W and socket path $S; a suite's own
# per-test steps go in per_test_setup. Fifos made by make_fifo are
# released after each test.
__tn=0
test_setup() {
	__tn=$((__tn + 1))
	W=$T/t$__tn
	S=$W/s
	mkdir -p "$W"
	if command -v per_test_setup >/dev/null 2>&1; then per_test_setup; fi
	return 0
}
test_teardown() { release_fifos; }

# fd numbers of an `ls -l /proc/self/fd` listing on stdin, sorted, one
# line; the directory fd that ls itself opened to list them is left out.
fdnums() {
	awk '$9 ~ /^[0-9]+$/ && $NF !~ "^/proc/[0-9]+/fd$" { print $9 }' |
		sort -n | tr '\n' ' '
}

# usage: wait_until SECONDS CMD... — poll (20 ms) until CMD succeeds.
# Synchronisation only: a test never asserts on how long it took.
wait_until() {
	__w=$(($1 * 50))
	shift
	until "$@"; do
		__w=$((__w - 1))
		[ $__w -gt 0 ] || return 1
		sleep 0.02
	done
}

# usage: start_abstract @NAME [DIVED OPTIONS...] — like start_dived, for
# an abstract socket: waits until the kernel lists it in /proc/net/unix.
start_abstract() {
	__name=$1
	shift
	"$BIN/dived" "$__name" "$@" >>"$T/dived.log" 2>&1 &
	DIVED_PID=$!
	track_pid $DIVED_PID
	wait_until 5 grep -q " $__name\$" /proc/net/unix ||
		{ echo "dived did not start:"; cat "$T/dived.log"; return 1; }
}

# A unique abstract name for this suite and test.
abstract_name() { echo "@divebox-test-$$-${_shunit_test_:-x}"; }

# usage: make_fifo NAME — $W/NAME (or $T/NAME), released at teardown (release_fifos)
make_fifo() {
	mkfifo "${W:-$T}/$1" && __fifos="$__fifos ${W:-$T}/$1"
}

# usage: open_gate NAME — write a line to the fifo $W/NAME for the
# program that waits on it; fails (instead of blocking) if none comes
open_gate() {
	timeout 20 sh -c 'echo go >"$1"' _ "${W:-$T}/$1" ||
		fail "nobody read the gate $1"
}

# Wake whatever still blocks on a test fifo (a failed test's program
# waiting for its gate): open it read-write (never blocks) and write a
# line, so that readers see it and writers find a reader.
release_fifos() {
	for __f in $__fifos; do
		[ -p "$__f" ] || continue
		exec 9<>"$__f"
		echo release >&9
		exec 9>&-
		rm -f "$__f"
	done
	__fifos=""
}

# usage: read_ready FIFO — read the line "ready PID..." a program writes
# on $W/FIFO once it is set up; the PIDs ($READY_PIDS) are killed at the
# end of the test if still there. Opened read-write, so that a program
# that never comes makes this fail after 30 s instead of blocking.
read_ready() {
	exec 8<>"${W:-$T}/$1"
	read -r -t 30 __line <&8
	__rc=$?
	exec 8<&-
	READY_PIDS=
	if [ $__rc -ne 0 ]; then
		fail "no ready line on $1"
		return 1
	fi
	set -- $__line
	shift
	[ $# -gt 0 ] && track_pid "$@"
	READY_PIDS=$*
}

# usage: wait_exit PID — like `wait PID` (its status), but a process that
# has not ended after 30 s is killed first: a failure, not a hang.
wait_exit() {
	wait_until 30 __gone "$1" || kill -KILL "$1" 2>/dev/null
	wait "$1"
}
__gone() {
	[ ! -e "/proc/$1" ] || [ "$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)" = Z ]
}

# usage: busybox_rootfs DIR — a tiny root with a static busybox and dive
busybox_rootfs() {
	__bb=$(command -v busybox) || return 1
	file -L "$__bb" | grep -q 'statically linked' || return 1
	mkdir -p "$1/bin" "$1/tmp" || return 1
	cp "$__bb" "$1/bin/busybox" && cp "$DIVEBOX" "$1/bin/divebox" || return 1
	for __a in sh ls cat pwd echo; do ln -s busybox "$1/bin/$__a"; done
	ln -s divebox "$1/bin/dive"
}
