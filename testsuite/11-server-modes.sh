#!/bin/bash
# dived's modes and socket options (SPEC §3 "Modes"): -d -p, -D, -F, -i,
# -C, -U, usage errors; in every mode the program sees exactly the
# client's fds.
. "$TOP/testsuite/lib.sh"
. "$TOP/testsuite/tools/dive-helpers.sh"

# usage: same_fds MESSAGE [ENV=V...] — the program's fd numbers are the
# caller's (fds 5 and 300 added), and it sees no socket of dived's
same_fds() {
	__msg=$1
	shift
	here=$(ls -l /proc/self/fd 5</dev/null 300<"$TOP/Makefile" | fdnums)
	list=$(env "$@" dive "$S" ls -l /proc/self/fd 5</dev/null 300<"$TOP/Makefile")
	assertEquals "$__msg: fds" "$here" "$(echo "$list" | fdnums)"
	assertNotContains "$__msg: a socket" "$list" "socket:"
}

test_fds_in_every_mode() {
	for opts in "" "-n" "-D" "-F" "-w"; do
		start_dived "$S" $opts || return
		env=
		[ "$opts" = -w ] && env=DIVE_WAITMODE=1 # no wait fd to pass
		same_fds "dived $opts" $env
		kill $DIVED_PID 2>/dev/null
		wait $DIVED_PID 2>/dev/null || :
	done
}

test_detach_with_pidfiles() {
	out=$(timeout 10 dived "$S" -d -p "$W/p1" -p "$W/p2" 2>&1); rc=$?
	assertEquals "dived -d returns" 0 $rc
	assertEquals "" "$out"
	pid=$(cat "$W/p1")
	track_pid $pid
	assertNotNull "pid file written before -d returned" "$pid"
	assertEquals "both pid files" "$pid" "$(cat "$W/p2")"
	assertContains "the daemon runs" "$(tr '\0' ' ' </proc/$pid/cmdline)" "dived $S"
	assertEquals "in its own session" "$pid" "$(ps -o sid= $pid | tr -d ' ')"
	assertNotEquals "detached from us" "$$" "$(ps -o ppid= $pid | tr -d ' ')"
	assertEquals "served" "$(dive "$S" echo served)"
	kill $pid
	wait_until 10 eval "[ ! -e /proc/$pid ]"
	assertFalse "the daemon is gone" "[ -e /proc/$pid ]"
}

test_detach_reports_a_bad_pidfile() {
	out=$(timeout 10 dived "$S" -d -p "$W/no/such/dir/pid" 2>&1); rc=$?
	assertEquals 1 $rc
	assertContains "$out" "pidfile $W/no/such/dir/pid"
	assertFalse "nobody serves" "dive '$S' true 2>/dev/null"
}

# A dived that fails to start after it made its socket (here: -d's pid
# file cannot be written) leaves no socket file behind, as a start that
# fails before it does not (28-containers: "no socket left behind"). It
# does leave one: the exit goes through die(), past the socket's removal.
test_failed_start_leaves_no_socket() {
	out=$(timeout 10 dived "$S" -d -p "$W/no/such/dir/pid" 2>&1); rc=$?
	assertEquals 1 $rc
	assertEquals "dived: pidfile $W/no/such/dir/pid: No such file or directory" "$out"
	assertFalse "socket file left behind" "[ -e '$S' ]"
}

test_pidfile_without_detach() {
	start_dived "$S" -p "$W/pid" || return
	wait_until 10 test -s "$W/pid"
	assertEquals "$DIVED_PID" "$(cat "$W/pid")"
}

test_children_daemon() {
	start_dived "$S" -D || return
	out=$(dive "$S" sh -c 'echo $PPID; exit 5'); rc=$?
	assertEquals "status still reported" 5 $rc
	handler=$out
	assertNotEquals "the program's parent is not dived" "$DIVED_PID" "$handler"
	# the handler left dived: a child of dived would be its own pid here
	out=$(dive "$S" sh -c 'ps -o ppid=,sid= $PPID; echo $PPID')
	set -- $out
	assertNotEquals "handler's parent" "$DIVED_PID" "$1"
	assertEquals "handler leads its session" "$3" "$2"
}

test_no_fork_serves_once() {
	start_dived "$S" -F || return
	# (exit 1: the socket's file is still there while the program runs)
	dive "$S" sh -c '[ -e "$1" ] && exit 1; exit 7' sh "$S"
	assertEquals "the program's status" 7 $?
	wait_exit $DIVED_PID
	assertEquals "dived's status is the program's" 7 $?
	dive "$S" true 2>/dev/null
	assertEquals "nobody serves any more" 2 $?
}

test_no_fork_runs_in_dived_itself_with_no_wait() {
	start_dived "$S" -F -w || return
	out=$(DIVE_WAITMODE=1 dive "$S" sh -c 'echo $$' 2>&1)
	assertEquals "the program is dived's process" "$DIVED_PID" "$out"
}

# inetd mode: socat accepts one connection and execs dived -i with it as
# fd 0 (and 1); fds the client did not send must not reach the program
test_inetd() {
	need_cmd socat || return 0
	socat UNIX-LISTEN:"$S" EXEC:"$BIN/dived -i",nofork \
		>>"$T/dived.log" 2>&1 &
	spid=$!
	track_pid $spid
	wait_socket "$S" || { fail "socat did not listen"; return; }
	list=$(dive "$S" sh -c 'ls -l /proc/$$/fd; exit 9' 0<&-); rc=$?
	assertEquals "the program's status" 9 $rc
	assertNotContains "dived's fd 0 (the connection)" "$list" "socket:"
	assertNotContains "fd 0 stays closed" "$list" " 0 -> "
	assertContains "$list" " 1 -> pipe:"
	wait_exit $spid
	assertEquals "dived -i ends with the program's status" 9 $?
}

test_chmod_and_chown_of_the_socket() {
	need_root || return 0
	start_dived "$S" -C 600 || return
	assertEquals 600 "$(stat -c %a "$S")"
	kill $DIVED_PID
	start_dived "$S" -C 0777 -U nobody:nogroup || return
	assertEquals "777 nobody:nogroup" "$(stat -c '%a %U:%G' "$S")"
	assertEquals "nobody can use it" 65534 \
		"$(setpriv --reuid=nobody --regid=nogroup --clear-groups dive "$S" id -u)"
	kill $DIVED_PID
	start_dived "$S" --chown=65534:65534 || return
	assertEquals "nobody:nogroup" "$(stat -c '%U:%G' "$S")"
}

test_long_option_with_equals() {
	need_root || return 0
	start_dived "$S" --user=nobody || return
	assertEquals nobody "$(dive "$S" id -un)"
}

# dived's own usage errors: exit 4, one line naming the option
usage_error() {
	out=$(timeout 10 dived "$@" 2>&1); rc=$?
	assertEquals "dived $*: status" 4 $rc
	assertEquals "dived $*: one line" 1 "$(echo "$out" | wc -l)"
	echo "$out"
}

test_usage_errors() {
	out=$(timeout 10 dived 2>&1 >/dev/null); rc=$?
	assertEquals "no argument" 4 $rc
	assertContains "usage on stderr" "$out" "Usage: dived"
	out=$(timeout 10 dived --help 2>/dev/null); rc=$?
	assertEquals "--help" 0 $rc
	assertContains "--help on stdout" "$out" "Usage: dived"
	assertContains "$(usage_error "$S" --frobnicate)" "unknown option '--frobnicate'"
	assertContains "$(usage_error "$S" -Z)" "unknown option '-Z'"
	assertContains "$(usage_error "$S" -C)" "-C: missing value"
	assertContains "$(usage_error "$S" -C 9z)" "-C: "
	assertContains "$(usage_error "$S" --chmod=rwx)" "--chmod: "
	assertContains "$(usage_error "$S" -U nobody)" "-U: expected USER:GROUP"
	assertContains "$(usage_error "$S" -U :nogroup)" "-U: "
	assertContains "$(usage_error "$S" -U nobody:)" "-U: "
	assertContains "$(usage_error "$S" -U no-such-user:nogroup)" "-U: unknown user"
	assertContains "$(usage_error "$S" -u)" "-u: missing value"
	assertContains "$(usage_error "$S" --user=no-such-user)" "--user: unknown user"
	assertContains "$(usage_error "$S" "$S.2")" "unexpected argument"
	assertContains "$(usage_error "$S" -i)" "choose one"
	assertFalse "no socket made on a usage error" "[ -e '$S' ]"
}

test_usage_errors_of_values() {
	assertEquals "dived: --timeout: expected seconds, got 'x'" "$(usage_error "$S" --timeout x)"
	assertEquals "more than a year" "dived: --timeout: expected seconds, got '99999999999'" \
		"$(usage_error "$S" --timeout 99999999999)"
	assertEquals "dived: --max-clients: expected a positive number, got '0'" \
		"$(usage_error "$S" --max-clients 0)"
	assertEquals "dived: --max-clients: expected a positive number, got 'x'" \
		"$(usage_error "$S" --max-clients x)"
	assertEquals "dived: -U: unknown group 'no-such-group'" \
		"$(usage_error "$S" -U root:no-such-group)"
	if grep -q '^CONFIG_FEATURE_ACCESS=y' "$DIVEBOX_CONFIG"; then
		assertEquals "dived: --allow-user: unknown user 'no-such-user'" \
			"$(usage_error "$S" --allow-user root,no-such-user)"
		assertEquals "dived: --allow-group: unknown group 'no-such-group'" \
			"$(usage_error "$S" --allow-group no-such-group)"
		assertEquals "at most 64" "dived: --allow-user: too many entries" \
			"$(usage_error "$S" --allow-user "$(seq -s, 1 65)")"
		assertEquals "64 are fine" "" \
			"$(timeout 10 dived -J --allow-user "$(seq -s, 1 64)" -- true 2>&1)"
	fi
	long=$(printf '%0120d' 0)
	assertEquals "dived: socket name too long or empty: $T/$long" "$(usage_error "$T/$long")"
	assertEquals "dived: socket name too long or empty: @$long" "$(usage_error "@$long")"
	assertEquals "dived: socket name too long or empty: @" "$(usage_error @)"
	assertFalse "no socket made on a usage error" "[ -e '$S' ]"
}

# as pid 1 of its namespace dived would get no SIGTERM without a handler
test_pid_namespace_dived_ends_on_sigterm() {
	need_root || return 0
	need_feature CONFIG_FEATURE_NAMESPACES || return 0
	start_dived "$S" -s pid || return
	assertEquals "the program's pid in there" 2 "$(dive "$S" sh -c 'echo $$')"
	kill -TERM $DIVED_PID
	wait_exit $DIVED_PID
	assertEquals 143 $?
}

test_socket_removed_on_sigterm_and_sigint() {
	for sig in TERM INT; do
		# a background job of a script starts with SIGINT ignored,
		# which dived keeps (as for nohup): give it the default
		rm -f "$S"
		env --default-signal=INT "$BIN/dived" "$S" >>"$T/dived.log" 2>&1 &
		DIVED_PID=$!
		track_pid $DIVED_PID
		wait_socket "$S" || return
		kill -$sig $DIVED_PID
		wait $DIVED_PID
		rc=$?
		assertEquals "$sig: dived dies of it" $((128 + $(kill -l $sig))) $rc
		assertFalse "$sig: socket file left behind" "[ -e '$S' ]"
	done
	# a socket that is no longer dived's (replaced by another one) stays
	start_dived "$S" || return
	first=$DIVED_PID
	mv "$S" "$W/old" && start_dived "$S" || return
	mv "$W/old" "$S.x"
	kill -TERM $first
	wait $first
	assertTrue "the other dived's socket stays" "[ -S '$S' ]"
}

# The name is removed from the directory dived put it in, held open since:
# nothing renamed or swapped in along the path later (a symlink for a
# directory: a user who can write one of them) makes it unlink another
# file of that name elsewhere. Here the directory moves away whole.
test_socket_removed_from_the_directory_it_went_into() {
	mkdir "$W/d"
	start_dived "$W/d/s" || return
	mv "$W/d" "$W/moved" && mkdir "$W/d" && echo keep >"$W/d/s"
	kill -TERM $DIVED_PID
	wait $DIVED_PID
	assertFalse "its socket, moved away with its directory, stays" \
		"[ -e '$W/moved/s' ]"
	assertEquals "the new file at its old path is gone" keep "$(cat "$W/d/s")"
}

test_unshare_after_the_socket_is_bound() {
	need_root || return 0
	need_feature CONFIG_FEATURE_NAMESPACES || return 0
	name=$(abstract_name)
	# reachable from here although dived's network namespace is new
	start_abstract "$name" -s net || return
	assertEquals "lo" "$(dive "$name" ip -br link | awk '{ print $1 }')"
	assertNotEquals "$(readlink /proc/self/ns/net)" \
		"$(dive "$name" readlink /proc/self/ns/net)"
}

. shunit2
