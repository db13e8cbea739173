#!/bin/bash
# One user cannot starve the others (issue 11; docs/security.md): the
# per-uid limit --max-per-user, -D handlers counted against --max-clients,
# dived's fd limit raised and a client refused at once (with the reason)
# when dived is out of fds. The floods are tools/holdconns.py: silent
# connections that never send a byte.
. "$TOP/testsuite/lib.sh"
. "$TOP/testsuite/tools/dive-helpers.sh"

# a python that nobody may run (not one under root's home)
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
HOLD="$PY $TOP/testsuite/tools/holdconns.py"
EVIL="python3 $TOP/testsuite/tools/evil_client.py"

# usage: flood [--as-nobody] N [--reconnect] — N silent connections to $S
# held until `exec 7>&-`; waits for holdconns' "ready" line. Its report
# (refusal reasons) in $W/flood; its pid in $fp.
flood() {
	# (setpriv itself in the background, not a function: $! is then
	# the flooder's pid, which the teardown kills)
	__as=env
	[ "$1" = --as-nobody ] && {
		__as="setpriv --reuid=65534 --regid=65534 --clear-groups"
		shift
	}
	rm -f "$W/fl"
	mkfifo "$W/fl"
	$__as $HOLD "$S" "$@" <"$W/fl" >"$W/flood" 2>&1 &
	fp=$!
	track_pid $fp
	exec 7>"$W/fl"
	wait_until 20 grep -q '^ready' "$W/flood" ||
		{ fail "the flood did not start: $(cat "$W/flood")"; return 1; }
}

# dived's handlers: processes running dived's command line for $S that
# lead their own session (a handler always does, -D or not; -D's
# keepers stay in dived's session), dived itself left out
handlers() {
	__n=0
	for __p in /proc/[0-9]*; do
		__pid=${__p#/proc/}
		[ "$__pid" = "$DIVED_PID" ] && continue
		tr '\0' ' ' 2>/dev/null <"$__p/cmdline" | grep -q "dived $S " || continue
		[ "$(ps -o sid= -p "$__pid" | tr -d ' ')" = "$__pid" ] && __n=$((__n + 1))
	done
	echo $__n
}

test_one_uid_cannot_starve_another() {
	need_feature CONFIG_FEATURE_CLIENT_LIMITS || return 0
	need_root || return 0
	need_cmd setpriv || return 0
	# the defaults: --max-clients 256, --max-per-user 32
	start_dived "$S" -C 777 --timeout 60 || return
	# nobody fills every slot it can, and reconnects whatever is refused
	flood --as-nobody 300 --reconnect || return
	assertContains "nobody is refused beyond its share" "$(cat "$W/flood")" \
		"reason: refused: too many clients of uid 65534 (--max-per-user 32)"
	out=$(timeout 20 dive "$S" echo served 2>&1); rc=$?
	assertEquals "$out" 0 $rc
	assertEquals "root is still served" served "$out"
	out=$(timeout 20 setpriv --reuid=1 --regid=1 --clear-groups dive "$S" id -u 2>&1)
	assertEquals "and so is daemon (uid 1)" 1 "$out"
	exec 7>&-
}

test_max_per_user_counts_each_uid() {
	need_feature CONFIG_FEATURE_CLIENT_LIMITS || return 0
	start_dived "$S" --timeout 60 --max-clients 8 --max-per-user 3 || return
	flood 5 || return
	assertContains "$(cat "$W/flood")" "held=3 refused=2"
	assertContains "$(cat "$W/flood")" \
		"reason: refused: too many clients of uid $(id -u) (--max-per-user 3) (2)"
	out=$(dive "$S" echo hi 2>&1)
	assertEquals "refused: $out" 127 $?
	assertContains "$out" "too many clients of uid $(id -u) (--max-per-user 3)"
	exec 7>&-
	# the held sessions end with their connections: served again
	wait_until 20 sh -c "dive '$S' true 2>/dev/null"
	assertEquals "served once the others left" hi "$(dive "$S" echo hi 2>&1)"
}

test_max_per_user_usage() {
	need_feature CONFIG_FEATURE_CLIENT_LIMITS || return 0
	for v in 0 x -1 ''; do
		out=$(timeout 10 dived "$W/u" --max-per-user "$v" 2>&1); rc=$?
		assertEquals "--max-per-user '$v'" 4 $rc
		assertContains "$out" "--max-per-user"
	done
	out=$(timeout 10 dived "$W/u" --max-clients 4 --max-per-user 5 2>&1); rc=$?
	assertEquals "above --max-clients" 4 $rc
	assertContains "$out" "--max-per-user: must not exceed --max-clients"
}

test_children_daemon_counted_against_max_clients() {
	need_feature CONFIG_FEATURE_CLIENT_LIMITS || return 0
	# (--max-per-user follows a --max-clients below its default of 32)
	start_dived "$S" -D --max-clients 16 --timeout 60 || return
	flood 60 || return
	assertContains "$(cat "$W/flood")" \
		"reason: refused: too many clients (--max-clients 16) (44)"
	n=$(handlers)
	assertTrue "live handlers: $n of at most 16" "[ $n -le 16 ] && [ $n -ge 1 ]"
	out=$(dive "$S" echo hi 2>&1)
	assertEquals "refused: $out" 127 $?
	assertContains "$out" "too many clients (--max-clients 16)"
	exec 7>&-
	# the detached handlers end when their clients go: counted no more
	wait_until 20 sh -c "dive '$S' true 2>/dev/null"
	assertEquals "-D still serves" 5 "$(dive "$S" sh -c 'exit 5'; echo $?)"
}

test_out_of_fds_refuses_at_once() {
	need_feature CONFIG_FEATURE_CLIENT_LIMITS || return 0
	need_cmd prlimit || return 0
	# hard limit 24: dived cannot raise it; it keeps one fd per client
	rm -f "$S"
	prlimit --nofile=24:24 "$BIN/dived" "$S" --timeout 0 \
		>>"$T/dived.log" 2>&1 &
	DIVED_PID=$!
	track_pid $DIVED_PID
	wait_socket "$S" || { fail "dived did not start"; return; }
	flood 40 || return
	assertContains "$(cat "$W/flood")" \
		"reason: refused: dived is out of file descriptors"
	# (into a file: an unanswered dive's fds, a pipe of $(...) among them,
	# would stay in flight in dived's backlog)
	timeout 20 dive "$S" true >"$W/out" 2>&1; rc=$?
	out=$(cat "$W/out")
	assertEquals "$out" 127 $rc
	assertEquals "dive: refused: dived is out of file descriptors" "$out"
	exec 7>&-
	# (a request of evil_client's: dive would send its own fds, which
	# may be numbered above dived's limit of 24)
	wait_until 20 sh -c "$EVIL '$S' valid >/dev/null 2>&1"
	assertEquals "served again" "valid: started" "$($EVIL "$S" valid 2>&1)"
}

test_soft_fd_limit_raised_not_passed_on() {
	need_cmd prlimit || return 0
	rm -f "$S"
	prlimit --nofile=64:4096 "$BIN/dived" "$S" >>"$T/dived.log" 2>&1 &
	DIVED_PID=$!
	track_pid $DIVED_PID
	wait_socket "$S" || { fail "dived did not start"; return; }
	dive "$S" true # the accept loop runs
	set -- $(grep 'Max open files' /proc/$DIVED_PID/limits)
	assertEquals "dived's soft limit" 4096 "$4"
	assertEquals "the program gets the limit dived was started with" 64 \
		"$(dive "$S" sh -c 'ulimit -Sn')"
}

. shunit2
