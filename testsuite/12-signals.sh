#!/bin/bash
# Signals dive passes on (DIVE_SIGFWMODE 0/1/2) and dived delivers
# (-n/--signals, --signals-pgid). Synchronised through fifos: the program
# says "ready" once its traps are set, no sleeps.
. "$TOP/testsuite/lib.sh"
. "$TOP/testsuite/tools/dive-helpers.sh"

per_test_setup() {
	# prog.sh READY OUT: traps USR1 TERM INT HUP and writes what it got
	# to OUT; "ready SHPID SLEEPPID" on READY once the traps are set
	cat >"$W/prog.sh" <<-'EOF'
	sleep 60 & sp=$!
	for sig in USR1 TERM INT HUP; do
		trap "echo got $sig >>'$2'; kill $sp; exit 0" $sig
	done
	echo ready $$ $sp >"$1"
	wait $sp
	echo no signal >>"$2"
	EOF
	make_fifo ready
}

# usage: run_prog [ENV=VALUE...] SOCKET — dive SOCKET sh prog.sh in the
# background ($DPID), wait until it is ready ($READY_PIDS: sh, sleep)
run_prog() {
	env "$@" sh "$W/prog.sh" "$W/ready" "$W/out" &
	DPID=$!
	track_pid $DPID
	read_ready ready || return 1
}

got() {
	wait_until 10 test -s "$W/out"
	cat "$W/out"
}

test_signals_reach_the_program() {
	start_dived "$S" || return
	for sig in USR1 TERM INT HUP; do
		rm -f "$W/out"
		run_prog dive "$S" || return
		kill -$sig $DPID
		wait_exit $DPID
		assertEquals "$sig: dive's status" 0 $?
		assertEquals "got $sig" "$(got)"
	done
}

test_sigfwmode_0_leaves_the_program_alone() {
	start_dived "$S" || return
	run_prog DIVE_SIGFWMODE=0 dive "$S" || return
	kill -USR1 $DPID
	wait_exit $DPID
	assertEquals "dive itself died of SIGUSR1" 138 $?
	set -- $READY_PIDS
	kill $2 # the program's sleep: it goes on to its end
	assertEquals "no signal" "$(got)"
}

# prog.sh runs under an outer sh, in the same process group: only a
# signal to the group reaches it. The outer sh dies of SIGUSR1.
test_sigfwmode_2_signals_the_process_group() {
	start_dived "$S" || return
	run_prog DIVE_SIGFWMODE=2 dive "$S" sh -c '"$@"; echo outer' sh || return
	set -- $READY_PIDS
	kill -USR1 $DPID
	wait_exit $DPID
	assertEquals "dive dies like the outer sh" 138 $?
	assertEquals "got USR1" "$(got)"
}

# A client that may not kill() the program (nobody vs. root): only dived
# can deliver, with -n. The client runs as nobody, the program as root.
test_dived_delivers_with_signals_option() {
	need_root || return 0
	need_feature CONFIG_FEATURE_SIGNALS || return 0
	name=$(abstract_name)
	start_abstract "$name" -u root -n || return
	run_prog setpriv --reuid=nobody --regid=nogroup --clear-groups \
		dive "$name" || return
	assertEquals "program runs as root" 0 \
		"$(stat -c %u /proc/${READY_PIDS%% *})"
	kill -USR1 $DPID
	wait_exit $DPID
	assertEquals 0 $?
	assertEquals "got USR1" "$(got)"
}

# Without -n too: dived delivers in every mode (but -w), so kill -TERM of
# a dive whose program runs as another user is never lost (issue 14).
test_dived_delivers_without_any_option() {
	need_root || return 0
	need_feature CONFIG_FEATURE_SIGNALS || return 0
	start_dived "$S" -C 777 -u root || return
	for sig in TERM USR1; do
		rm -f "$W/out"
		run_prog setpriv --reuid=nobody --regid=nogroup --clear-groups \
			dive "$S" || return
		assertEquals "program runs as root" 0 \
			"$(stat -c %u /proc/${READY_PIDS%% *})"
		kill -$sig $DPID
		wait_exit $DPID
		assertEquals "$sig: dive's status" 0 $?
		assertEquals "got $sig" "$(got)"
	done
}

# and across pid namespaces: the program of a -s pid dived has a pid dive
# cannot name, yet the signal arrives
test_dived_delivers_into_another_pid_namespace() {
	need_root || return 0
	need_feature CONFIG_FEATURE_SIGNALS || return 0
	need_feature CONFIG_FEATURE_NAMESPACES || return 0
	start_dived "$S" -C 777 -s pid -u root || return
	run_prog setpriv --reuid=nobody --regid=nogroup --clear-groups \
		dive "$S" || return
	kill -HUP $DPID
	wait_exit $DPID
	assertEquals 0 $?
	assertEquals "got HUP" "$(got)"
}

test_dived_delivers_to_the_group_with_signals_pgid() {
	need_root || return 0
	need_feature CONFIG_FEATURE_SIGNALS || return 0
	name=$(abstract_name)
	start_abstract "$name" -u root --signals-pgid || return
	run_prog setpriv --reuid=nobody --regid=nogroup --clear-groups \
		dive "$name" sh -c '"$@"; echo outer' sh || return
	kill -TERM $DPID
	wait_exit $DPID
	assertEquals "dive dies like the outer sh" 143 $?
	assertEquals "got TERM" "$(got)"
}

# with plain -n, the client's DIVE_SIGFWMODE=2 still means the group
test_dived_delivers_to_the_group_when_the_client_asks() {
	need_root || return 0
	need_feature CONFIG_FEATURE_SIGNALS || return 0
	name=$(abstract_name)
	start_abstract "$name" -u root -n || return
	run_prog DIVE_SIGFWMODE=2 setpriv --reuid=nobody --regid=nogroup \
		--clear-groups dive "$name" sh -c '"$@"; echo outer' sh || return
	kill -USR1 $DPID
	wait_exit $DPID
	assertEquals "dive dies like the outer sh" 138 $?
	assertEquals "got USR1" "$(got)"
}

test_no_wait_cannot_deliver_signals() {
	need_feature CONFIG_FEATURE_SIGNALS || return 0
	for opt in -n --signals --signals-pgid; do
		out=$(timeout 10 dived "$S" -w $opt 2>&1); rc=$?
		assertEquals "$opt" 4 $rc
		assertContains "$out" "--no-wait"
	done
}

test_program_starts_with_no_ignored_signal() {
	# a dived started by a shell that ignores them (nohup, `&` scripts)
	( trap '' INT QUIT HUP USR1; exec dived "$S" >>"$T/dived.log" 2>&1 ) &
	track_pid $!
	wait_socket "$S" || { fail "dived did not start"; return; }
	ign=$(grep SigIgn "/proc/$!/status" | awk '{print $2}')
	assertNotEquals "dived itself ignores them" 0000000000000000 "$ign"
	assertEquals "SigIgn:	0000000000000000" "$(dive "$S" grep SigIgn /proc/self/status)"
}

# usage: none_pending PID SIG... — no SIG waits in PID's pending sets any
# more: PID has read them (from its signalfd)
none_pending() {
	__p=$1 __m=0
	shift
	for __s; do __m=$((__m | 1 << ($(kill -l $__s) - 1))); done
	for __v in $(awk '/^(SigPnd|ShdPnd):/ { print $2 }' "/proc/$__p/status"); do
		[ $((0x$__v & __m)) -eq 0 ] || return 1
	done
}

# Stop, continue and window-size signals that reach dive before RP_PID
# (a slow dived: an --authenticate hook, a loaded machine) do not end it,
# and are not lost either: they go to the program once it runs. The fake
# dived answers when told to, after dive has read the signals.
test_signals_before_the_pid_reach_the_program() {
	need_feature CONFIG_FEATURE_SIGNALS || return 0 # (else dive kill()s)
	python3 "$TOP/testsuite/tools/fake_dived.py" "$W/f" pidlate >"$W/f.out" &
	fp=$!
	track_pid $fp
	wait_until 10 grep -q ready "$W/f.out" || { fail "no fake dived"; return; }
	dive -T "$W/f" true &
	DPID=$!
	track_pid $DPID
	wait_until 10 grep -q request "$W/f.out" || { fail "no request"; return; }
	# one by one: a pending SIGCONT cancels a pending SIGTSTP
	for sig in TSTP CONT WINCH; do
		kill -$sig $DPID
		wait_until 10 none_pending $DPID $sig ||
			fail "dive did not read SIG$sig"
	done
	touch "$W/f.go"
	wait_exit $DPID
	assertEquals "dive's status" 0 $?
	wait_exit $fp
	# in their order; the wire's numbers: TSTP 20, CONT 18, WINCH 28
	assertEquals "sig 20 sig 18 sig 28" \
		"$(grep sig "$W/f.out" | tr '\n' ' ' | sed 's/ $//')"
}

. shunit2
