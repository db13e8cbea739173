#!/bin/bash
# Hostile clients (SPEC §6, §7; docs/security.md): malformed requests,
# stalls, floods, hangups at every phase, access control, no fd/child
# leaks, the audit log. Requests are built by tools/evil_client.py exactly
# per libcommon/proto.h; dived runs with --timeout 1 so that stalls end fast.
. "$TOP/testsuite/lib.sh"

EVIL="python3 $TOP/testsuite/tools/evil_client.py"
S=$T/sock
# --log and --syslog where the build has them (CONFIG_FEATURE_LOG)
LOG= SYSLOG=
if grep -q '^CONFIG_FEATURE_LOG=y' \
	"${DIVEBOX_CONFIG:-$(dirname "$DIVEBOX")/.config}" 2>/dev/null; then
	LOG=--log SYSLOG=--syslog
fi

# usage: log_has [--not] TEXT — the audit log has (not) TEXT, if logging
log_has() {
	[ -n "$LOG" ] || return 0
	if [ "$1" = --not ]; then
		assertNotContains "$(cat "$T/log")" "$2"
	else
		assertContains "$(cat "$T/log")" "$1"
	fi
}

# dived on $S with its stderr (audit lines) in $T/log; pid in $DIVED_PID
start_logged() {
	: >"$T/log"
	rm -f "$S"
	"$BIN/dived" "$S" "$@" 2>>"$T/log" &
	DIVED_PID=$!
	track_pid $DIVED_PID
	wait_socket "$S" || { echo "dived did not start:"; cat "$T/log"; return 1; }
}

nfds() { ls "/proc/$DIVED_PID/fd" | wc -l; }
kids() { cat /proc/"$DIVED_PID"/task/*/children 2>/dev/null | wc -w; }
# poll (20 ms, at most 20 s) until CMD... succeeds
poll() {
	__p=1000
	until "$@"; do
		__p=$((__p - 1))
		[ $__p -gt 0 ] || return 1
		sleep 0.02
	done
}
kids_at_least() { [ "$(kids)" -ge "$1" ]; }

# Wait (at most 10 s) until dived has no child left, i.e. every handler
# and program was reaped: no zombie, no stray handler.
settled() {
	__i=0
	while [ "$(kids)" -ne 0 ]; do
		__i=$((__i + 1))
		[ $__i -gt 500 ] && { ps --ppid "$DIVED_PID" -o pid,stat,args; return 1; }
		sleep 0.02
	done
}

# usage: assert_healthy BASE_FDS [COMMAND PREFIX...] — after a batch:
# dived alive, no child, fd count at its baseline, and a normal dive
# (run through the prefix, e.g. as_nobody) still works.
assert_healthy() {
	__base=$1
	shift
	assertTrue "dived died" "kill -0 $DIVED_PID"
	settled
	assertEquals "children of dived" 0 "$(kids)"
	assertEquals "dived's fd count" "$__base" "$(nfds)"
	assertEquals "dive after the batch" ok "$("$@" dive "$S" echo ok 2>&1)"
}

test_malformed_requests_never_hurt_dived() {
	start_logged --timeout 1 $LOG || return
	base=$(nfds)
	# control: the evil client's encoding is right, so refusals are real
	out=$($EVIL "$S" valid)
	assertEquals "$out" "valid: started" "$out"
	for set in truncate fields fds garbage hangup version; do
		out=$($EVIL "$S" $set 2>&1); rc=$?
		assertEquals "$out" 0 $rc
		assert_healthy "$base"
	done
	# no handler ever crashed: each one refused (with a reason) or ran
	log_has --not "dropped: handler"
	log_has "refused: client hung up mid-request"
	log_has "refused: no complete request within --timeout"
}

test_version_mismatch_answers_ef_version() {
	start_logged --timeout 1 || return
	out=$($EVIL "$S" version); rc=$?
	assertEquals "$out" 0 $rc
	assertContains "$out" "version: 5 cases, 0 failures"
}

test_handshake_deadline_drops_silent_client() {
	start_logged --timeout 1 $LOG || return
	base=$(nfds)
	# a client that connects and says nothing is dropped with a reason
	out=$($EVIL "$S" idle 3); rc=$?
	assertEquals "$out" 0 $rc
	assert_healthy "$base"
	[ -z "$LOG" ] || assertEquals 3 \
		"$(grep -c 'refused: no complete request within --timeout' "$T/log")"
}

# usage: hold_clients N — N silent connections until `exec 7>&-`; the
# holder's pid in $hp, and each connection has its handler.
hold_clients() {
	rm -f "$T/hold"
	mkfifo "$T/hold"
	$EVIL "$S" hold "$1" <"$T/hold" >"$T/held" &
	hp=$!
	track_pid $hp
	exec 7>"$T/hold"
	poll grep -q held "$T/held" || fail "the clients were not held"
	poll kids_at_least "$1" || fail "dived has fewer than $1 handlers"
}

test_timeout_zero_means_no_deadline() {
	start_logged --timeout 0 || return
	hold_clients 1
	sleep 1.5 # well past what --timeout 1 would allow
	assertEquals "handler still waiting" 1 "$(kids)"
	exec 7>&-  # the client goes away: its handler goes too
	wait $hp
	settled
	assertEquals 0 "$(kids)"
}

test_max_clients_refuses_with_reason_and_recovers() {
	start_logged --timeout 0 --max-clients 3 $LOG || return
	base=$(nfds)
	hold_clients 3
	out=$(dive "$S" echo hi 2>&1); rc=$?
	assertEquals 127 $rc
	assertContains "$out" "refused: too many clients (--max-clients 3)"
	log_has "argv0=? refused: too many clients"
	exec 7>&-
	wait $hp
	assert_healthy "$base"
}

test_200_idle_connections() {
	start_logged --timeout 1 --max-clients 300 || return
	base=$(nfds)
	out=$($EVIL "$S" idle 200); rc=$?
	assertEquals "$out" 0 $rc
	assert_healthy "$base"
}

test_clients_that_die_mid_session() {
	start_logged --timeout 1 || return
	base=$(nfds)
	# killed while its program runs: the program still ends, is reaped
	dive "$S" sleep 0.3 &
	dp=$!
	poll kids_at_least 1 || fail "no handler for the client"
	kill -KILL $dp
	wait $dp 2>/dev/null
	# a request, then hang up without reading anything
	$EVIL "$S" hangup >/dev/null
	assert_healthy "$base"
}

# The program sees exactly the fds the client had, even when the client's
# numbers are those of dived's own fds (listening socket, signalfd, log,
# syslog socket, connection).
check_program_fds() {
	want=$(ls /proc/self/fd 3</dev/null 4</dev/null 5</dev/null 6</dev/null 7</dev/null 9</dev/null | tr '\n' ' ')
	got=$(dive "$S" ls /proc/self/fd 3</dev/null 4</dev/null 5</dev/null 6</dev/null 7</dev/null 9</dev/null | tr '\n' ' ')
	assertEquals "$1" "$want" "$got"
	got=$(dive "$S" ls /proc/self/fd | tr '\n' ' ')
	assertEquals "$1 (no extra client fds)" "$(ls /proc/self/fd | tr '\n' ' ')" "$got"
}

test_program_never_inherits_dived_fds() {
	start_logged $LOG $SYSLOG || return
	check_program_fds "plain"
	kill $DIVED_PID; wait $DIVED_PID 2>/dev/null
	need_feature CONFIG_FEATURE_SIGNALS || return 0
	start_logged $LOG $SYSLOG -n || return
	check_program_fds "waiting handler (-n)"
}

# ---- access control ---------------------------------------------------

# run dive as nobody (no supplementary group unless given)
as_nobody() {
	setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"
}

test_access_no_lists_admits_everyone() {
	need_root || return 0
	start_logged -C 777 || return
	assertEquals 65534 "$(as_nobody dive "$S" id -u 2>&1)"
}

test_access_allow_user() {
	need_root || return 0
	need_feature CONFIG_FEATURE_ACCESS || return 0
	start_logged -C 777 --allow-user root,bin $LOG || return
	base=$(nfds)
	out=$(as_nobody dive "$S" id -u 2>&1); rc=$?
	assertEquals 127 $rc
	assertEquals "dive: refused: uid 65534 (nobody) is not allowed by --allow-user/--allow-group" "$out"
	assertEquals root "$(dive "$S" id -un)"
	# refused before anything was read: no argv0 in the log
	log_has "uid=65534 pid="
	log_has "user=nobody argv0=? refused: uid 65534"
	# ... and garbage from a refused client gets the same answer
	# (dived may refuse and close before the garbage is written: read
	# the reply whatever the write did; the system python, which nobody
	# can run)
	out=$(as_nobody /usr/bin/python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(5)
s.connect(sys.argv[1])
try:
    s.sendall(b"GARBAGE-GARBAGE-GARBAGE-GARBAGE-GARBAGE")
except OSError:
    pass
data = b""
while True:
    try:
        b = s.recv(4096)
    except OSError:
        break
    if not b:
        break
    data += b
sys.stdout.write(data.decode("ascii", "replace"))
' "$S" | tr -c '[:print:]' .)
	assertContains "$out" "is not allowed"
	log_has --not "bad magic"
	kill $DIVED_PID; wait $DIVED_PID 2>/dev/null
	start_logged -C 777 --allow-user 65534 || return
	assertEquals "by number" 65534 "$(as_nobody dive "$S" id -u 2>&1)"
	assert_healthy "$(nfds)" as_nobody
}

test_access_allow_group_primary_and_supplementary() {
	need_root || return 0
	need_feature CONFIG_FEATURE_ACCESS || return 0
	start_logged -C 777 --allow-group 4242,daemon || return
	out=$(as_nobody dive "$S" id -u 2>&1); rc=$?
	assertEquals "no group: $out" 127 $rc
	assertContains "$out" "refused: uid 65534 (nobody) is not allowed"
	assertEquals "supplementary group" 65534 \
		"$(setpriv --reuid=nobody --regid=nogroup --groups 7,4242 dive "$S" id -u 2>&1)"
	assertEquals "primary group" 65534 \
		"$(setpriv --reuid=nobody --regid=4242 --clear-groups dive "$S" id -u 2>&1)"
	assertEquals "group by name" 65534 \
		"$(setpriv --reuid=nobody --regid=nogroup --groups daemon dive "$S" id -u 2>&1)"
	# uid OR group: an allowed user needs no group
	kill $DIVED_PID; wait $DIVED_PID 2>/dev/null
	start_logged -C 777 --allow-group 4242 --allow-user nobody || return
	assertEquals 65534 "$(as_nobody dive "$S" id -u 2>&1)"
	out=$(setpriv --reuid=bin --regid=bin --clear-groups dive "$S" id -u 2>&1)
	assertContains "$out" "refused: uid 2 (bin) is not allowed"
}

test_access_works_with_chown() {
	need_root || return 0
	need_feature CONFIG_FEATURE_ACCESS || return 0
	start_logged -C 770 -U root:4242 --allow-group 4242 || return
	assertEquals 65534 \
		"$(setpriv --reuid=nobody --regid=nogroup --groups 4242 dive "$S" id -u 2>&1)"
	out=$(as_nobody dive "$S" id -u 2>&1); rc=$?
	assertEquals "socket mode keeps others out: $out" 2 $rc
}

# ---- audit log ----------------------------------------------------------

ISO='[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z'

test_audit_log_one_line_per_session() {
	need_feature CONFIG_FEATURE_LOG || return 0
	start_logged --log --timeout 1 || return
	dive "$S" true
	dive "$S" sh -c 'exit 3'
	dive "$S" sh -c 'kill -TERM $$' 2>/dev/null
	dive "$S" /nonexistent 2>/dev/null
	DIVE_WAITMODE=1 dive "$S" true
	$EVIL "$S" idle 1 >/dev/null
	settled
	log=$(cat "$T/log")
	assertEquals "$log" 6 "$(grep -c . "$T/log")"
	me="uid=$(id -u) pid=[0-9]+ user=$(id -un)"
	assertTrue "$log" "grep -Eq '^dived: $ISO $me argv0=true started pid [0-9]+, exit 0\$' '$T/log'"
	assertTrue "$log" "grep -Eq '^dived: $ISO $me argv0=sh started pid [0-9]+, exit 3\$' '$T/log'"
	assertTrue "$log" "grep -Eq '^dived: $ISO $me argv0=sh started pid [0-9]+, killed by signal 15\$' '$T/log'"
	assertTrue "$log" "grep -Eq '^dived: $ISO $me argv0=/nonexistent failed: cannot execute /nonexistent: No such file or directory\$' '$T/log'"
	assertTrue "$log" "grep -Eq '^dived: $ISO $me argv0=\\? refused: no complete request within --timeout\$' '$T/log'"
}

test_audit_log_pid_is_the_clients() {
	need_feature CONFIG_FEATURE_LOG || return 0
	start_logged --log || return
	sh -c 'echo $$ >"$1"; exec dive "$2" true' sh "$T/pid" "$S"
	settled
	assertContains "$(cat "$T/log")" " pid=$(cat "$T/pid") "
}

test_audit_log_waiting_handler() {
	need_feature CONFIG_FEATURE_LOG || return 0
	need_feature CONFIG_FEATURE_SIGNALS || return 0
	start_logged --log -n || return
	dive "$S" sh -c 'exit 4'
	dive "$S" /nonexistent 2>/dev/null
	settled
	assertEquals "$(cat "$T/log")" 2 "$(grep -c . "$T/log")"
	assertTrue "$(cat "$T/log")" "grep -Eq 'argv0=sh started pid [0-9]+, exit 4\$' '$T/log'"
	assertTrue "$(cat "$T/log")" "grep -Eq 'argv0=/nonexistent failed: cannot execute' '$T/log'"
}

test_audit_log_cannot_be_forged() {
	need_feature CONFIG_FEATURE_LOG || return 0
	start_logged --log || return
	dive "$S" "$(printf 'x\ndived: 2000-01-01T00:00:00Z uid=0 forged')" 2>/dev/null
	settled
	assertEquals "$(cat "$T/log")" 1 "$(grep -c . "$T/log")"
	assertContains "$(cat "$T/log")" "argv0=x?dived:?2000"
}

# UTF-8 stays readable (josé), but what can make a line read as another
# does not reach the log: C1 controls (NEL U+0085, CSI U+009B), a raw
# 0x9b, invalid UTF-8, U+2028, the bidi override U+202E
test_audit_log_keeps_utf8_but_not_c1_or_bidi() {
	need_feature CONFIG_FEATURE_LOG || return 0
	start_logged --log || return
	dive "$S" "$(printf 'jos\303\251_\302\205_\302\233_\233_\340\200\257_\342\200\250_\342\200\256_\330\234x')" 2>/dev/null
	settled
	assertContains "$(cat "$T/log")" "argv0=$(printf 'jos\303\251')_??_??_?_???_???_???_??x "
}

test_no_log_by_default() {
	start_logged || return
	dive "$S" true
	settled
	assertEquals "" "$(cat "$T/log")"
}

test_syslog_line() {
	need_root || return 0
	need_feature CONFIG_FEATURE_LOG || return 0
	need_cmd socat || return 0
	# a private /dev with our own /dev/log (in a mount namespace)
	mkdir "$T/dev"
	touch "$T/dev/null"
	rm -f "$T/slsock"
	timeout -s KILL 20 unshare -m sh -c '
		T=$1 BIN=$2
		mount --bind /dev/null "$T/dev/null"
		socat -u UNIX-RECV:"$T/dev/log" OPEN:"$T/syslog",creat,append &
		sp=$!
		while [ ! -S "$T/dev/log" ]; do sleep 0.02; done
		mount --bind "$T/dev" /dev
		"$BIN/dived" "$T/slsock" --syslog -F &
		dp=$!
		while [ ! -S "$T/slsock" ]; do sleep 0.02; done
		"$BIN/dive" "$T/slsock" sh -c "exit 6"
		wait $dp
		n=0
		while [ ! -s "$T/syslog" ] && [ $n -lt 250 ]; do
			sleep 0.02; n=$((n + 1)); done
		kill $sp
	' sh "$T" "$BIN"
	out=$(cat "$T/syslog")
	assertTrue "$out" "echo '$out' | grep -Eq '^<86>dived\\[[0-9]+\\]: $ISO uid=$(id -u) pid=[0-9]+ user=$(id -un) argv0=sh started pid [0-9]+, exit 6\$'"
}

. shunit2
