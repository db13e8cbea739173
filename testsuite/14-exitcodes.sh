#!/bin/bash
# dive's exit status (SPEC §2): the program's code or signal, 1 2 3 4 12
# 127, and the wait modes (DIVE_WAITMODE, dived -w).
. "$TOP/testsuite/lib.sh"
. "$TOP/testsuite/tools/dive-helpers.sh"

FAKE=$TOP/testsuite/tools/fakepeer.py

# How a command ended, as a parent sees it: "exit N" or "signal N".
how_it_ended() {
	python3 -c '
import subprocess, sys
r = subprocess.run(sys.argv[1:]).returncode
print("signal %d" % -r if r < 0 else "exit %d" % r)' "$@"
}

# ---- the program's status ------------------------------------------------------

test_program_exit_code() {
	start_dived "$S" || return
	for code in 0 1 42 255; do
		dive "$S" sh -c "exit $code"
		assertEquals "exit $code" $code $?
	done
}

test_killed_program_kills_dive_with_the_same_signal() {
	start_dived "$S" || return
	dive "$S" sh -c 'kill -TERM $$'
	assertEquals "SIGTERM as the shell sees it" 143 $?
	dive "$S" sh -c 'kill -KILL $$'
	assertEquals "SIGKILL as the shell sees it" 137 $?
	assertEquals "signal 15" "$(how_it_ended dive "$S" sh -c 'kill -TERM $$')"
	assertEquals "signal 1" "$(how_it_ended dive "$S" sh -c 'kill -HUP $$')"
	assertEquals "signal 10" "$(how_it_ended dive "$S" sh -c 'kill -USR1 $$')"
}

test_program_cannot_be_executed() {
	start_dived "$S" || return
	out=$(dive "$S" /nonexistent/program 2>&1); rc=$?
	assertEquals 127 $rc
	assertEquals "dive: cannot execute /nonexistent/program: No such file or directory" "$out"
	echo 'echo not executable' >"$W/script"
	out=$(dive "$S" "$W/script" 2>&1); rc=$?
	assertEquals 127 $rc
	assertContains "$out" "Permission denied"
	out=$(dive "$S" no-such-command-anywhere 2>&1); rc=$?
	assertEquals 127 $rc
	assertContains "$out" "cannot execute no-such-command-anywhere"
}

# dived's reason is at most 255 bytes: a longer one is cut and must say
# so ("..." at its end, util.c), not end in the middle of a path with
# the error lost. (vfail passes its "cut" flag to mark_cut in the same
# call as the vjoin that sets it: read first, the dots never come.)
test_a_cut_reason_ends_in_dots() {
	start_dived "$S" || return
	long=/$(printf '%0300d' 0)
	out=$(dive "$S" "$long" 2>&1); rc=$?
	assertEquals 127 $rc
	assertContains "$out" "dive: cannot execute /0000"
	assertEquals "ends in ..." "..." "${out: -3}"
}

# ---- wait modes ---------------------------------------------------------------

test_waitmode_1_returns_at_once() {
	start_dived "$S" || return
	make_fifo gate
	# the program waits for us: dive must not wait for it
	DIVE_WAITMODE=1 timeout 20 dive "$S" sh -c \
		'read x <"$1"; echo released >"$2"; exit 5' _ "$W/gate" "$W/out"
	assertEquals "dive's status" 0 $?
	open_gate gate
	wait_until 10 grep -q released "$W/out"
	assertEquals released "$(cat "$W/out")"
}

# Mode 2 ends when every holder of the wait fd has closed it: here a
# background child outlives the program, and dive waits for it.
test_waitmode_2_waits_for_fd_holders() {
	start_dived "$S" || return
	make_fifo ready
	make_fifo gate
	DIVE_WAITMODE=2 dive "$S" sh -c \
		'(read x <"$2"; echo bg done >"$3") & echo ready $$ $! >"$1"; exit 3' \
		_ "$W/ready" "$W/gate" "$W/out" &
	dpid=$!
	track_pid $dpid
	read_ready ready
	set -- $READY_PIDS
	# the program has exited (dived reaped it) while its child holds on
	wait_until 10 eval "[ ! -e /proc/$1 ]"
	assertTrue "dive still waits after the program exited" "kill -0 $dpid"
	open_gate gate
	wait_exit $dpid
	assertEquals "the program's status" 3 $?
	assertEquals "bg done" "$(cat "$W/out")"
}

test_no_wait_server_falls_back_to_fd_waiting() {
	start_dived "$S" -w || return
	out=$(dive "$S" sh -c 'echo hi; exit 7' 2>"$W/err"); rc=$?
	assertEquals "no status from dived -w" 0 $rc
	assertEquals hi "$out"
	assertContains "$(cat "$W/err")" "waiting for the program's fds to close instead (DIVE_WAITMODE=2)"
	# still waits for a background holder of the fds
	make_fifo gate
	out=$(timeout 20 sh -c 'dive "$1" sh -c "(read x <\"$2\"; echo bg) & echo fg" | { read l; echo "$l"; echo go >"$2"; cat; }' _ "$S" "$W/gate" 2>/dev/null)
	assertEquals "fg bg" "$(echo $out)"
	# DIVE_WAITMODE=1 asks for no wait: no warning
	err=$(DIVE_WAITMODE=1 dive "$S" true 2>&1)
	assertEquals "" "$err"
}

# ---- bad DIVE_* settings: 12, before any connection ---------------------------------

test_bad_dive_variables() {
	for setting in DIVE_WAITMODE=3 DIVE_WAITMODE=x DIVE_WAITMODE= \
		DIVE_SIGFWMODE=3 DIVE_SIGFWMODE=-1 DIVE_TERMINAL=@x \
		DIVE_TERMINAL=/nonexistent/tty DIVE_CURDIR=/nonexistent; do
		out=$(env "$setting" dive "$W/no-socket" true 2>&1); rc=$?
		assertEquals "$setting" 12 $rc
		assertContains "$setting" "$out" "${setting%%=*}"
	done
}

# ---- dive's own codes --------------------------------------------------------------

# (--help and --version exit 0 since issue 14: 17-dive-cli.sh)
test_usage_is_4() {
	out=$(dive 2>&1); rc=$?
	assertEquals 4 $rc
	assertContains "$out" "Usage: dive"
	out=$(dive -x "$W/no-socket" true 2>&1); rc=$?
	assertEquals "unknown option" 4 $rc
	out=$(dive --version); rc=$?
	assertEquals 0 $rc
	assertContains "$out" "protocol 1"
}

test_cannot_create_socket_or_fds_is_1() {
	# with fd numbers up to 4 allowed, dive cannot open its own fds
	out=$(ulimit -n 5; dive "$W/no-socket" true 2>&1); rc=$?
	assertEquals 1 $rc
	assertContains "$out" "dive: "
}

test_cannot_connect_is_2() {
	out=$(dive "$W/no-socket" true 2>&1); rc=$?
	assertEquals 2 $rc
	assertEquals "dive: connect $W/no-socket: No such file or directory" "$out"
	python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$S"
	out=$(dive "$S" true 2>&1); rc=$?
	assertEquals "nobody listens" 2 $rc
	assertContains "$out" "Connection refused"
	out=$(dive @divebox-test-nobody-$$ true 2>&1); rc=$?
	assertEquals "abstract" 2 $rc
	# a name too long for sockaddr_un cannot be connected to: 2 as well
	long=$W/$(printf '%0200d' 0)
	out=$(dive "$long" true 2>&1); rc=$?
	assertEquals "name too long" 2 $rc
	assertContains "$out" "too long"
}

# usage: against_fake MODE STATUS MESSAGE — dive against fakepeer.py's
# server in MODE: exits STATUS, prints MESSAGE (exactly)
against_fake() {
	rm -f "$S"
	python3 "$FAKE" server "$S" "$1" >>"$W/fake.log" 2>&1 &
	track_pid $!
	wait_socket "$S" || { fail "fake server $1 did not start"; return; }
	out=$(dive "$S" true 2>&1); rc=$?
	assertEquals "$1: status" "$2" $rc
	assertEquals "$1: message" "$3" "$out"
}

test_not_a_dived_is_3() {
	against_fake garbage 3 "dive: not a dived, or an incompatible one (bad reply)"
	against_fake short 3 "dive: not a dived, or an incompatible one (bad reply)"
}

test_protocol_version_mismatch_is_3() {
	against_fake version 3 "dive: protocol version 1 not supported (dived speaks 2)"
}

test_refused_or_dropped_is_127() {
	against_fake refuse 127 "dive: refused: go away"
	against_fake drop 127 "dive: dived dropped the connection"
}

. shunit2
