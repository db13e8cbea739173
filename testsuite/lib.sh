# testsuite/lib.sh — sourced by every suite before shunit2.
#
# Provides: $DIVEBOX (binary under test), $T (per-suite temp dir, removed
# at exit), skip_test REASON, need_root, start_dived, wait_socket, and
# per-test result recording for testsuite/run ("N passed, N failed").
# $DIVEBOX_CONFIG: the .config the binary was built with (default: the one
# beside it, else configs/defconfig: a release binary is built from that);
# need_feature reads it. $DIVEBOX_BYTEORDER (little/big) and $DIVEBOX_BITS
# (32/64): the binary's ELF class and byte order (the wire protocol is in
# the binary's byte order; the test tools read these), exported.
#
# A suite defines test_* functions and may define suite_setup and
# suite_cleanup; it must not define oneTimeSetUp/oneTimeTearDown/setUp/
# tearDown itself (use suite_setup/suite_cleanup/test_setup/test_teardown).

: "${DIVEBOX:?DIVEBOX must point at the binary under test}"
: "${TOP:?TOP must point at the source tree}"
DIVEBOX=$(cd "$(dirname "$DIVEBOX")" && pwd)/$(basename "$DIVEBOX")
if [ -z "${DIVEBOX_CONFIG:-}" ]; then
	DIVEBOX_CONFIG=$(dirname "$DIVEBOX")/.config
	[ -f "$DIVEBOX_CONFIG" ] || DIVEBOX_CONFIG=$TOP/configs/defconfig
fi
export DIVEBOX_CONFIG
# ELF header: EI_CLASS (1: 32-bit, 2: 64-bit), EI_DATA (1: LE, 2: BE); a
# wrapper script (check-valgrind's) runs the host's
__elf_info() {
	set -- $(od -An -tu1 -N6 "$DIVEBOX" 2>/dev/null)
	if [ "$1 $2 $3 $4" = "127 69 76 70" ]; then
		DIVEBOX_BITS=$(($5 * 32))
		DIVEBOX_BYTEORDER=$([ "$6" = 2 ] && echo big || echo little)
	else
		DIVEBOX_BITS=$(getconf LONG_BIT)
		DIVEBOX_BYTEORDER=$(python3 -c 'import sys; print(sys.byteorder)' 2>/dev/null || echo little)
	fi
}
__elf_info
export DIVEBOX_BITS DIVEBOX_BYTEORDER
SUITE=$(basename "$0" .sh)
T=$(mktemp -d "${TMPDIR:-/tmp}/divebox-test.XXXXXX")
chmod 755 "$T"
BIN=$T/bin                         # dive, dived, justexec links
mkdir -p "$BIN"
for a in $("$DIVEBOX" --list); do ln -s "$DIVEBOX" "$BIN/$a"; done
PATH=$BIN:$PATH
export PATH
__pids=""
__skip_reason=""

skip_test() {
	__skip_reason=$1
	startSkipping
}

# usage: need_root || return 0
need_root() {
	[ "$(id -u)" = 0 ] && return 0
	skip_test "needs root"
	return 1
}

# usage: need_cmd tmux || return 0
need_cmd() {
	command -v "$1" >/dev/null 2>&1 && return 0
	skip_test "needs $1"
	return 1
}

# usage: need_feature CONFIG_FEATURE_X || return 0 — skip if compiled out
need_feature() {
	grep -q "^$1=y" "$DIVEBOX_CONFIG" 2>/dev/null && return 0
	skip_test "$1 not in this build"
	return 1
}

# Remember a pid to kill at the end of the suite (and of each test).
track_pid() { __pids="$__pids $*"; }

# usage: child_of PID — wait for PID's first child, print its pid
child_of() {
	for _ in $(seq 100); do
		read -r __c _ </proc/$1/task/$1/children 2>/dev/null
		[ -n "$__c" ] && echo "$__c" && return 0
		sleep 0.02
	done
	return 1
}

# usage: wait_socket PATH [SECONDS] — wait for a filesystem socket
wait_socket() {
	__n=0
	while [ ! -S "$1" ]; do
		__n=$((__n + 1))
		[ $__n -gt $((${2:-5} * 50)) ] && return 1
		sleep 0.02
	done
}

# usage: start_dived SOCK [DIVED OPTIONS...] — background dived on SOCK,
# waits until the socket is there; pid in $DIVED_PID. Output in $T/dived.log
start_dived() {
	__sock=$1
	shift
	rm -f "$__sock"
	"$BIN/dived" "$__sock" "$@" >>"$T/dived.log" 2>&1 &
	DIVED_PID=$!
	track_pid $DIVED_PID
	case "$__sock" in
	@*) sleep 0.2 ;;
	*) wait_socket "$__sock" || { echo "dived did not start:"; cat "$T/dived.log"; return 1; } ;;
	esac
}

__kill_tracked() {
	for __p in $__pids; do kill -KILL "$__p" 2>/dev/null; done
	for __p in $__pids; do wait "$__p" 2>/dev/null; done
	__pids=""
}

setUp() {
	__skip_reason=""
	if command -v test_setup >/dev/null 2>&1; then test_setup; fi
	return 0
}

tearDown() {
	if command -v test_teardown >/dev/null 2>&1; then test_teardown; fi
	__kill_tracked
	[ -n "$_shunit_test_" ] || return 0
	if [ -n "$__skip_reason" ]; then
		echo "SKIP $SUITE $_shunit_test_: $__skip_reason" >>"$RESULTS"
	elif [ "$__shunit_testSuccess" -eq "$SHUNIT_TRUE" ]; then
		echo "PASS $SUITE $_shunit_test_" >>"$RESULTS"
	else
		echo "FAIL $SUITE $_shunit_test_" >>"$RESULTS"
	fi
	return 0
}

# The tests: every test* function of the suite in file order, except the
# test_setup/test_teardown hooks (shunit2 alone would run those as tests)
# and those named in $SKIP_TESTS (check-sanitize/check-valgrind leave out
# tests that cannot work with their binary; testsuite/run reports them).
suite() {
	__n=0
	__skip=" test_setup test_teardown $(echo $SKIP_TESTS) " # one line
	for __t in $(sed -n 's/^[[:space:]]*\(function[[:space:]]\{1,\}\)\{0,1\}\(test[A-Za-z0-9_]*\)[[:space:]]*()[[:space:]]*{\{0,1\}.*$/\2/p' "$0"); do
		case $__skip in
		*" $__t "*) ;;
		*) suite_addTest "$__t"; __n=$((__n + 1)) ;;
		esac
	done
	# an empty suite would make shunit2 run every function it finds
	[ $__n -gt 0 ] || suite_addTest __all_left_out
}
__all_left_out() { skip_test "every test of this suite is left out here"; }

oneTimeSetUp() {
	if command -v suite_setup >/dev/null 2>&1; then suite_setup; fi
	return 0
}

oneTimeTearDown() {
	if command -v suite_cleanup >/dev/null 2>&1; then suite_cleanup; fi
	__kill_tracked
	cd /
	rm -rf "$T"
	return 0
}

: "${RESULTS:=$T/results}"
export RESULTS
SHUNIT_COLOR=none
export SHUNIT_COLOR
