#!/bin/bash
# The wire protocol as it is used (SPEC §6): one request buffer, fds in
# SCM_RIGHTS batches (strace), bounds, refusals with a reason, the
# handshake deadline with -F, dived's fds after fd-heavy sessions.
# (Hostile clients: 40-hostile.sh; lying servers: 41-lying-server.sh.)
. "$TOP/testsuite/lib.sh"
. "$TOP/testsuite/tools/dive-helpers.sh"

FAKE=$TOP/testsuite/tools/fakepeer.py

# usage: with_fds N CMD... — run CMD with N more fds open (1000 and up,
# above any fd the test runner may have)
with_fds() {
	bash -c 'ulimit -Sn 8192 && for i in $(seq 1000 $((999 + $1))); do eval "exec $i</dev/null"; done; shift; "$@"' _ "$@"
}

# sendmsg calls of dive under strace (-s 4096: every fd listed): "RETURN
# FDS IOVLEN" per call. FDS counts the cmsg_data entries, never derives
# them from cmsg_len, whose header is 16 bytes on 64-bit and 12 on 32-bit
# (and the host's under qemu-user, which strace sees).
sendmsgs() {
	grep 'sendmsg(' "$1" | while IFS= read -r l; do
		iov=$(printf '%s\n' "$l" | sed -n 's/.*iov_len=\([0-9]*\).*/\1/p')
		data=$(printf '%s\n' "$l" | sed -n 's/.*cmsg_data=\[\([^]]*\)\].*/\1/p')
		n=$(printf '%s\n' "$data" | tr ',' '\n' | grep -c '[0-9]')
		echo "${l##*) = } $n $iov"
	done
}

# Every fd a caller with N extra fds has, as dive sends them: its own,
# plus cwd, root and the wait pipe (and the terminal, if stdin is one).
expected_fds() {
	n=$(with_fds "$1" ls -l /proc/self/fd | fdnums | wc -w)
	[ -t 0 ] && n=$((n + 1))
	echo $((n + 2)) # the extras: cwd and the wait pipe (no root: no DIVE_ROOTDIR)
}

test_300_fds_in_two_sendmsg_one_buffer() {
	need_cmd strace || return 0
	start_dived "$S" || return
	with_fds 300 strace -f -s 4096 -o "$W/st" -e trace=sendmsg dive "$S" true
	assertEquals "dive's status" 0 $?
	calls=$(sendmsgs "$W/st")
	assertEquals "two sendmsg calls: $calls" 2 "$(echo "$calls" | wc -l)"
	set -- $calls
	# first: the whole request in one buffer, sent at once, 252 fds
	assertEquals "first call sends its whole buffer" "$1" "$3"
	assertTrue "the request is one buffer ($1 bytes)" "[ $1 -gt $((36 + 300 * 4)) ]"
	assertEquals "first batch" 252 "$2"
	# second: one 'F' byte with the rest
	assertEquals "second call: one byte" 1 "$4"
	assertEquals "every fd sent" "$(expected_fds 300)" $(($2 + $5))
}

test_batch_edges() {
	need_cmd strace || return 0
	start_dived "$S" || return
	base=$(expected_fds 0)
	for total in 252 253 504 505; do
		with_fds $((total - base)) strace -f -s 4096 -o "$W/st" -e trace=sendmsg \
			dive "$S" true
		calls=$(sendmsgs "$W/st" | wc -l)
		assertEquals "$total fds" $(((total + 251) / 252)) "$calls"
	done
	# and the program got them all, at their numbers
	here=$(with_fds 600 ls -l /proc/self/fd | fdnums)
	there=$(with_fds 600 dive "$S" ls -l /proc/self/fd | fdnums)
	assertEquals "600 fds" "$here" "$there"
}

test_too_many_fds_for_one_request() {
	soft=$(ulimit -Sn)
	ulimit -Sn 1024 # dived's soft limit, below the client's fd numbers
	start_dived "$S"
	rc=$?
	ulimit -Sn "$soft"
	[ $rc = 0 ] || return
	# dived raises its own soft limit to the hard one (the program gets
	# the limit dived started with back); the socket exists a moment
	# before, so wait for it
	hard=$(ulimit -Hn)
	wait_until 10 eval '[ "$(awk "/^Max open files/ { print \$4 }" /proc/$DIVED_PID/limits)" = "$hard" ]'
	assertContains "dived's soft fd limit is raised" \
		"$(grep 'open files' /proc/$DIVED_PID/limits | awk '{ print " " $4 " " }')" \
		" $hard "
	out=$(with_fds 4200 dive "$S" true 2>&1); rc=$?
	assertEquals 1 $rc
	assertContains "$out" "too many open fds"
	# 4000 fds with numbers up to 4999: more than dived's soft limit
	out=$(with_fds 4000 dive "$S" sh -c 'ls /proc/$$/fd | wc -l')
	assertTrue "4000 fds pass ($out)" "[ '$out' -gt 4000 ]"
}

test_large_environment_and_bounds() {
	start_dived "$S" || return
	big=$(head -c 100000 /dev/zero | tr '\0' x)
	out=$(BIG=$big dive "$S" sh -c 'echo ${#BIG}')
	assertEquals "100 kB variable" 100000 "$out"
	# more than the protocol's 4 MiB (a bigger stack lets exec take it):
	# refused by dive itself
	out=$(ulimit -s 32768; a=$(head -c 120000 /dev/zero | tr '\0' x)
		set --; for i in $(seq 40); do set -- "$@" "$a"; done
		dive "$S" true "$@" 2>&1); rc=$?
	assertEquals 127 $rc
	assertEquals "dive: arguments and environment too large" "$out"
}

test_refusals_carry_a_reason() {
	start_dived "$S" -h "$W/no-such-dir" || return
	out=$(dive "$S" true 2>&1); rc=$?
	assertEquals 127 $rc
	assertContains "$out" "dive: refused: "
	assertContains "$out" "no-such-dir"
	kill $DIVED_PID
	start_dived "$S" -A || return
	out=$(dive "$S" true 2>&1); rc=$?
	assertEquals 127 $rc
	assertEquals "dive: refused: no program given" "$out"
}

test_version_mismatch_reply() {
	start_dived "$S" || return
	out=$(python3 "$FAKE" client "$S" version)
	assertContains "$out" "reply magic_ok=1 type=3 value=0 flags=1 text=protocol version 2 not supported (dived speaks 1)"
}

# -F serves in dived itself: a silent client must not keep it for ever
test_deadline_with_no_fork() {
	need_feature CONFIG_FEATURE_CLIENT_LIMITS || return 0
	start_dived "$S" -F --timeout 1 || return
	out=$(timeout 20 python3 "$FAKE" client "$S" silent)
	assertContains "$out" "text=refused: no complete request within --timeout"
	assertContains "$out" "eof"
	wait_exit $DIVED_PID
	assertEquals "dived -F gives up" 127 $?
}

# dived's own fds do not grow with sessions that pass many fds
test_no_fd_growth_in_dived() {
	start_dived "$S" || return
	# one session first: the socket file appears before dived's loop has
	# set itself up (signalfd, reserve fd, wake pipe), under valgrind long
	dive "$S" true
	before=$(ls /proc/$DIVED_PID/fd | wc -l)
	for i in 1 2 3; do
		with_fds 600 dive "$S" true
		with_fds 300 dive "$S" sh -c 'exit 3'
		DIVE_WAITMODE=2 with_fds 300 dive "$S" true
	done
	wait_until 10 eval '[ -z "$(cat /proc/$DIVED_PID/task/*/children)" ]'
	assertEquals "no child left" "" "$(cat /proc/$DIVED_PID/task/*/children)"
	assertEquals "dived's fds" "$before" "$(ls /proc/$DIVED_PID/fd | wc -l)"
}

# dived -n reads the client's signal messages while it waits for the
# program: half a message must not keep it from reporting the exit
# dived delivers only the signals dive forwards: not SEGV (a core of a
# program that may be another user's), but USR1
test_only_forwardable_signals_are_delivered() {
	need_feature CONFIG_FEATURE_SIGNALS || return 0
	start_dived "$S" || return
	out=$(timeout 30 python3 "$FAKE" client "$S" segvusr1)
	assertContains "SEGV dropped, USR1 delivered" "$out" \
		"reply magic_ok=1 type=2 value=10 flags=0"
}

test_half_signal_message_does_not_block_the_waiter() {
	need_feature CONFIG_FEATURE_SIGNALS || return 0
	start_dived "$S" -n || return
	out=$(timeout 20 python3 "$FAKE" client "$S" halfsig)
	assertContains "$out" "reply magic_ok=1 type=1 flags=2"
	assertContains "the exit is reported" "$out" "reply magic_ok=1 type=2 value=0 flags=0"
	assertContains "$out" "eof"
}

. shunit2
