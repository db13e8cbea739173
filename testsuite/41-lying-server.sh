#!/bin/bash
# dive against a server that lies (docs/security.md): bad magic, cut or
# oversized replies, unknown types, hangups, silence. dive must print a
# clear error and exit 3 (not a dived / wrong version) or 127 (dropped),
# and never hang: before RP_PID it waits, but any terminating signal ends
# it; after RP_PID waiting is right (the program runs) and signals are
# forwarded. Every dive runs under `timeout` so that a hang fails.
. "$TOP/testsuite/lib.sh"

FAKE="python3 $TOP/testsuite/tools/fake_dived.py"

# usage: fake MODE — a fake dived on $T/f.sock, pid in $FP
fake() {
	rm -f "$T/f.sock" "$T/f.out"
	$FAKE "$T/f.sock" "$1" >"$T/f.out" &
	FP=$!
	track_pid $FP
	while ! grep -q ready "$T/f.out" 2>/dev/null; do sleep 0.02; done
}

# usage: check MODE RC MESSAGE
check() {
	fake "$1"
	out=$(timeout -s KILL 10 dive "$T/f.sock" true 2>&1); rc=$?
	assertEquals "$1: $out" "$2" $rc
	assertContains "$1" "$out" "$3"
}

test_bad_magic_is_exit_3() { check badmagic 3 "not a dived"; }
test_cut_reply_is_exit_3() { check truncated 3 "not a dived"; }
test_oversized_text_is_exit_3() { check hugelen 3 "not a dived"; }
test_unknown_type_is_exit_3() { check badtype 3 "not a dived"; }
test_version_error_is_exit_3() { check version 3 "protocol version 9"; }
test_hangup_after_request_is_127() { check close 127 "dived dropped the connection"; }
test_hangup_before_reading_is_127() { check closeearly 127 "dived dropped the connection"; }
test_exit_before_pid_is_127() { check exitfirst 127 "dived dropped the connection"; }
# Part of a reply, then nothing: the rest of a reply comes at once or
# never (reply.h REPLY_REST_MS), so dive gives up with exit 3 instead of
# blocking in a read that no signal but SIGKILL ends (check's timeout -s
# KILL 10 is the bound: it would give 137)
# usage: check_silent MODE: as check, for a fake that stays (output in a
# file, the fake killed at once: no pipe may wait for it)
check_silent() {
	fake "$1"
	timeout -s KILL 10 dive "$T/f.sock" true >"$T/d.out" 2>&1
	rc=$?
	kill $FP
	assertEquals "$1: $(cat "$T/d.out")" 3 $rc
	assertContains "$1" "$(cat "$T/d.out")" \
		"dived sent part of a reply, then nothing"
}
test_half_reply_then_silence_is_exit_3() { check_silent halfsilent; }
test_half_reply_after_pid_is_exit_3() { check_silent pidhalfsilent; }
test_half_text_then_silence_is_exit_3() { check_silent textsilent; }

# A dived that accepted but never answers may be running a slow
# --authenticate hook: dive waits, like a process in execve(), and a
# signal that would end the program ends dive instead.
test_silent_server_waits_but_is_interruptible() {
	fake silent
	timeout -s KILL 10 dive "$T/f.sock" true &
	dp=$!
	sleep 0.5
	d=$(pgrep -P $dp)
	assertTrue "dive still waiting for a silent server" "kill -0 $d"
	kill -WINCH $d # harmless signals do not end it
	sleep 0.2
	assertTrue "SIGWINCH ended dive" "kill -0 $d"
	kill -TERM $d
	wait $dp
	assertEquals "dive died of SIGTERM" 143 $?
}

test_silent_after_pid_waits_and_forwards() {
	fake pidsilent
	timeout -s KILL 10 dive "$T/f.sock" true 2>"$T/err" &
	dp=$!
	sleep 0.5
	assertTrue "dive waits for its program" "kill -0 $dp"
	# the "program" is the fake itself (its pid came with RP_PID): the
	# forwarded signal ends it, and dive sees the connection drop
	kill -TERM $dp
	wait $dp
	assertEquals 127 $?
	assertContains "$(cat "$T/err")" "dived dropped the connection"
}

# A server that is pid 1 of dive's own pid namespace (a container's init
# that serves with -F -w) and takes no signals on the connection: with
# DIVE_SIGFWMODE=2 dive signals the program's process group, but -1 is
# not a group, it is every process dive may signal.
proc_state() { sed 's/.*) \(.\).*/\1/' "/proc/$1/stat" 2>/dev/null; }

test_program_that_is_pid_1_is_not_signalled_as_a_group() {
	need_root || return 0
	need_cmd unshare || return 0
	rm -f "$T/f.sock" "$T/f.out"
	unshare -pf --kill-child sh -c '
		sleep 100 &
		(while [ ! -S "$1/f.sock" ]; do sleep 0.02; done
		 DIVE_SIGFWMODE=2 exec "$2/dive" "$1/f.sock" true) 2>"$1/err" &
		exec '"$FAKE"' "$1/f.sock" pidsilent' sh "$T" "$BIN" >"$T/f.out" &
	up=$!
	track_pid $up
	init=$(child_of $up) && wait_socket "$T/f.sock" ||
		{ fail "the namespace did not start"; return; }
	for _ in $(seq 100); do
		victim=$(pgrep -P "$init" -x sleep)
		dp=$(pgrep -P "$init" -x dive)
		[ -n "$victim" ] && [ -n "$dp" ] && break
		sleep 0.05
	done
	for _ in $(seq 100); do
		grep -q sent "$T/f.out" && break
		sleep 0.05
	done
	sleep 0.3 # and dive has read it
	kill -TERM "$dp"
	sleep 0.5
	# (the fake, as pid 1, reaps nobody: a killed one stays a zombie)
	assertEquals "another process of the namespace was signalled" S \
		"$(proc_state "$victim")"
	assertEquals "dive waits for its program (pid 1 ignores TERM)" S \
		"$(proc_state "$dp")"
}

. shunit2
