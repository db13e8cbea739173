#!/bin/bash
# Container proof: a rootfs holding only busybox (static) and divebox, a
# dived as pid 1 of new mount, pid, net, uts and ipc namespaces chrooted
# into it; the host dives in through the socket file that lives in the
# rootfs directory. Checks isolation (hostname, network, pids), fd passing,
# exit codes and signals, identities without /etc/passwd. Every mount is
# made inside the unshared mount namespace, and unshare --kill-child takes
# the whole namespace down with it: nothing survives the suite.
. "$TOP/testsuite/lib.sh"

ROOT=$T/rootfs
S=$ROOT/run/d.sock
BUSYBOX=/bin/busybox

suite_setup() {
	[ "$(id -u)" = 0 ] || return 0
	file -L "$BUSYBOX" 2>/dev/null | grep -q 'statically linked' || return 0
	file -L "$DIVEBOX" | grep -q 'statically linked' || return 0
	mkdir -p "$ROOT/bin" "$ROOT/proc" "$ROOT/run" "$ROOT/tmp" "$ROOT/dev"
	cp "$BUSYBOX" "$ROOT/bin/busybox"
	for a in $("$BUSYBOX" --list); do
		[ -e "$ROOT/bin/$a" ] || ln -s busybox "$ROOT/bin/$a"
	done
	cp "$DIVEBOX" "$ROOT/bin/divebox"
	for a in $("$DIVEBOX" --list); do ln -s divebox "$ROOT/bin/$a"; done
	chmod 1777 "$ROOT/tmp"
	echo "host file on fd 7" >"$T/hostfile"
}

test_setup() {
	need_root || return 0
	need_cmd unshare || return 0
	file -L "$BUSYBOX" 2>/dev/null | grep -q 'statically linked' ||
		{ skip_test "needs a static $BUSYBOX (busybox-static)"; return 0; }
	file -L "$DIVEBOX" | grep -q 'statically linked' ||
		{ skip_test "needs a static divebox"; return 0; }
}

# usage: start_ct [DIVED OPTIONS...] — the container, dived as its pid 1;
# the unshare process is tracked (killing it kills the namespace)
start_ct() {
	rm -f "$S"
	unshare --mount --pid --net --uts --ipc --fork --kill-child \
		sh -c 'hostname divebox-ct && mount -t proc proc "$1/proc" &&
			mount -t tmpfs -o mode=755 dev "$1/dev" &&
			touch "$1/dev/null" && mount --bind /dev/null "$1/dev/null" &&
			r=$1 && shift && exec chroot "$r" /bin/dived /run/d.sock "$@"' \
		sh "$ROOT" -H -C 0666 "$@" >>"$T/ct.log" 2>&1 &
	CT_PID=$!
	track_pid $CT_PID
	wait_socket "$S" || { cat "$T/ct.log"; fail "container dived did not start"; return 1; }
	# the socket file appears at bind(), a moment before listen()
	n=0
	until dive "$S" true >/dev/null 2>&1; do
		n=$((n + 1))
		[ $n -lt 250 ] || { cat "$T/ct.log"; fail "dived never answered"; return 1; }
		sleep 0.02
	done
}

test_commands_run_inside() {
	[ -n "$__skip_reason" ] && return 0
	start_ct || return
	# the only programs in there are busybox's and divebox's
	out=$(dive "$S" ls /bin/busybox /bin/divebox)
	assertEquals 0 $?
	assertEquals "/bin/busybox /bin/divebox" "$(echo $out)"
	assertFalse "host /usr is not visible" "dive $S test -e /usr/bin"
	assertEquals "hello from busybox" "$(dive "$S" echo hello from busybox)"
	assertContains "$(dive "$S" busybox 2>&1)" "BusyBox"
}

test_isolation_hostname_net_pid() {
	[ -n "$__skip_reason" ] && return 0
	start_ct || return
	assertEquals "divebox-ct" "$(dive "$S" hostname)"
	assertNotEquals "divebox-ct" "$(hostname)"
	# the network namespace has only the loopback interface
	ifs=$(dive "$S" cat /proc/net/dev | sed -n '3,$s/:.*//p' | tr -d ' ')
	assertEquals "lo" "$ifs"
	assertNotEquals "$(readlink /proc/self/ns/net)" \
		"$(dive "$S" readlink /proc/self/ns/net)"
	# dived is pid 1 there and the program its child
	assertContains "$(dive "$S" cat /proc/1/cmdline | tr '\0' ' ')" "dived /run/d.sock"
	assertEquals 1 "$(dive "$S" sh -c 'echo $PPID')"
	n=$(dive "$S" ps | sed 1d | wc -l)
	assertTrue "few processes inside ($n)" "[ $n -ge 2 ] && [ $n -le 5 ]"
	# nothing of the container is mounted on the host
	assertNotContains "$(cat /proc/self/mountinfo)" "$ROOT"
}

test_fds_cross_the_boundary() {
	[ -n "$__skip_reason" ] && return 0
	start_ct || return
	out=$(dive "$S" sh -c 'cat <&7' 7<"$T/hostfile")
	assertEquals "host file on fd 7" "$out"
	# a pipe from the host, and output written to a host file by the program
	assertEquals "3" "$(printf 'a\nb\nc\n' | dive "$S" wc -l | tr -d ' ')"
	dive "$S" sh -c 'echo written inside >&9' 9>"$T/out"
	assertEquals "written inside" "$(cat "$T/out")"
	# the host file is reachable only through the fd: not by its path
	assertFalse "host path invisible" "dive $S test -e $T/hostfile"
}

test_exit_codes_and_signals() {
	[ -n "$__skip_reason" ] && return 0
	start_ct || return
	dive "$S" sh -c 'exit 42'
	assertEquals 42 $?
	dive "$S" false
	assertEquals 1 $?
	dive "$S" sh -c 'kill -TERM $$'
	assertEquals "killed by the same signal" $((128 + 15)) $?
	dive "$S" /bin/no-such-program 2>"$T/err"
	assertEquals 127 $?
	assertContains "$(cat "$T/err")" "no-such-program"
}

test_terminal_becomes_controlling() {
	[ -n "$__skip_reason" ] && return 0
	need_cmd script || return 0
	start_ct || return
	# dive from a terminal (script gives it one): the program gets it on
	# fd 0 and as its controlling terminal (field 7 of stat: tty_nr)
	out=$(script -qec "dive $S sh -c '[ -t 0 ] && echo tty; set -- \$(cat /proc/\$\$/stat); echo ctty=\$7'" /dev/null | tr -d '\r')
	assertContains "$out" "tty"
	assertNotContains "$out" "ctty=0"
	assertContains "$out" "ctty="
}

test_client_identity_without_passwd() {
	[ -n "$__skip_reason" ] && return 0
	need_cmd setpriv || return 0
	start_ct || return
	# no /etc/passwd inside: the numeric uid of the client still applies
	out=$(setpriv --reuid=65534 --regid=65534 --clear-groups \
		dive "$S" sh -c 'echo $(id -u):$(id -g):$DIVE_UID:[$DIVE_USER]')
	assertEquals "65534:65534:65534:[]" "$out"
	assertEquals "0" "$(dive "$S" id -u)"
}

test_forced_command_and_no_env() {
	[ -n "$__skip_reason" ] && return 0
	start_ct -A -E -- /bin/uname -n
	assertEquals "divebox-ct" "$(dive "$S" whatever --ignored)"
}

# the pids (host view) of every process in the pid namespace $1
ns_members() {
	for d in /proc/[0-9]*; do
		[ "$(readlink "$d/ns/pid" 2>/dev/null)" = "$1" ] && echo "${d#/proc/}"
	done
}

test_nothing_left_after_kill() {
	[ -n "$__skip_reason" ] && return 0
	start_ct || return
	ns=$(dive "$S" readlink /proc/self/ns/pid)
	assertContains "$ns" "pid:["
	DIVE_WAITMODE=1 dive "$S" sleep 1000 0<&- 1>&- 2>&-
	assertTrue "dived and the sleep inside" "[ $(ns_members "$ns" | wc -l) -ge 2 ]"
	kill -KILL $CT_PID
	wait $CT_PID 2>/dev/null
	# --kill-child: pid 1 of the namespace dies, and with it everything
	n=0
	while [ -n "$(ns_members "$ns")" ] && [ $n -lt 250 ]; do
		n=$((n + 1))
		sleep 0.02
	done
	assertEquals "no process of the container left" "" "$(ns_members "$ns")"
	assertNotContains "$(cat /proc/self/mountinfo)" "$ROOT"
}

. shunit2
