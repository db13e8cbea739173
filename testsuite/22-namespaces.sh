#!/bin/bash
# Namespaces (SPEC §3): -s unshare, -tt uid/gid maps, -N setns, -t
# write-content, and the pid namespace waiter of justexec.
. "$TOP/testsuite/lib.sh"

# usage: pre || return 0
pre() { need_feature CONFIG_FEATURE_NAMESPACES && need_root; }

ns_of() { readlink "/proc/${2:-self}/ns/$1"; }

# usage: bg_unshare OPTS — start "unshare OPTS sleep" in the background,
# wait until it is in its namespaces; pid in $NSPID (killed at teardown).
bg_unshare() {
	unshare "$@" sleep 30 &
	NSPID=$!
	track_pid $NSPID
	for _ in $(seq 100); do
		[ "$(ns_of net $NSPID)" != "$(ns_of net)" ] && return 0
		sleep 0.02
	done
	return 1
}

test_net_has_only_lo() {
	pre || return 0
	out=$(justexec -s net cat /proc/net/dev | sed 1,2d | cut -d: -f1 | tr -d ' ')
	assertEquals "lo" "$out"
	assertNotEquals "$(ns_of net)" "$(justexec --unshare net readlink /proc/self/ns/net)"
}

test_uts_hostname_is_private() {
	pre || return 0
	before=$(hostname)
	assertEquals "divebox-x" "$(justexec -s uts -- sh -c 'hostname divebox-x; hostname')"
	assertEquals "$before" "$(hostname)"
}

test_pid_namespace_program_is_pid_1() {
	pre || return 0
	assertEquals 1 "$(justexec -s pid sh -c 'echo $$')"
	justexec -s pid sh -c 'exit 7'
	assertEquals "exit status passes through the waiter" 7 $?
}

ign_chld() {
	python3 -c 'import signal, os, sys
signal.signal(signal.SIGCHLD, signal.SIG_IGN)
os.execvp(sys.argv[1], sys.argv[1:])' "$@"
}

test_pid_namespace_with_sigchld_ignored() {
	pre || return 0
	need_cmd python3 || return 0
	# SIG_IGN survives exec: the waiter must still get the exit status,
	# and the program still inherits the ignored SIGCHLD (17: bit 16)
	ign_chld justexec -s pid sh -c 'exit 3'
	assertEquals 3 $?
	ign=$(ign_chld justexec -s pid awk '/^SigIgn/ { print $2 }' /proc/self/status)
	assertEquals 1 $((0x$ign >> 16 & 1))
}

test_pid_namespace_pidfile_and_signals() {
	pre || return 0
	# the pid file holds the pid our caller knows: the waiter's ($!)
	justexec -s pid -p "$T/pid" sleep 30 &
	w=$!
	track_pid $w
	child=$(child_of $w)
	assertEquals "$w" "$(cat "$T/pid")"
	assertEquals "1" "$(awk '/^NSpid/ { print $3 }' /proc/$child/status)"
	# killed by a signal: the waiter dies of the same signal
	kill -KILL $child
	wait $w
	assertEquals 137 $?
	# SIGKILL to the waiter takes the namespace down with it
	justexec -s pid sleep 30 &
	w=$!
	track_pid $w
	child=$(child_of $w)
	kill -KILL $w
	wait $w
	for _ in $(seq 100); do
		[ -d /proc/$child ] || break
		sleep 0.02
	done
	assertFalse "program outlived the waiter" "[ -d /proc/$child ]"
	# a signal to the waiter reaches the program
	justexec -s pid sh -c 'trap "exit 5" TERM; echo >"$0"; while :; do sleep 0.05; done' \
		"$T/ready" &
	w=$!
	track_pid $w
	for _ in $(seq 100); do [ -s "$T/ready" ] && break; sleep 0.02; done
	kill -TERM $w
	wait $w
	assertEquals 5 $?
}

test_pid_namespace_terminal_signal_arrives_once() {
	pre || return 0
	need_cmd python3 || return 0
	# ^C on a terminal reaches the whole foreground group, the program
	# included: the waiter must not forward it a second time
	out=$(timeout 10 python3 - "$BIN/justexec" <<'EOF'
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], ["justexec", "-s", "pid", "sh", "-c",
        "trap 'echo GOT-INT' INT; stty -echo; echo READY; sleep 0.5; sleep 0.5"])
buf = b""
while b"READY" not in buf:
    buf += os.read(fd, 100)
os.write(fd, b"\x03")
try:
    while True:
        d = os.read(fd, 100)
        if not d:
            break
        buf += d
except OSError:
    pass
os.waitpid(pid, 0)
print(buf.decode().count("GOT-INT"))
EOF
)
	assertEquals 1 "$out"
}

# -d with -s pid: dived's first fork is the one into the pid namespace;
# its waiter returns 0 to the caller once the daemon inside (pid 1 there)
# is ready, and the pid file holds the daemon's pid as the caller sees it.
test_pid_namespace_detached_daemon() {
	pre || return 0
	S=$T/pidns-d.sock
	out=$(timeout 10 dived "$S" -s pid -d -p "$T/pidns-d.pid" 2>&1); rc=$?
	assertEquals "dived -s pid -d returns: $out" 0 $rc
	assertEquals "" "$out"
	pid=$(cat "$T/pidns-d.pid")
	assertNotNull "pid file written before -d returned" "$pid"
	track_pid $pid
	assertTrue "the socket is there" "[ -S '$S' ]"
	assertContains "the daemon runs" "$(tr '\0' ' ' </proc/$pid/cmdline)" "dived $S"
	assertEquals "pid 1 of its pid namespace" 1 \
		"$(awk '/^NSpid/ { print $3 }' /proc/$pid/status)"
	assertEquals "in its own session" "$pid" "$(ps -o sid= $pid | tr -d ' ')"
	assertNotEquals "its pid namespace" "$(ns_of pid)" "$(ns_of pid $pid)"
	assertEquals "the program is in the daemon's pid namespace" \
		"$(ns_of pid $pid)" "$(dive "$S" readlink /proc/self/ns/pid)"
	kill $pid
	for _ in $(seq 250); do [ -e "$S" ] || break; sleep 0.02; done
	assertFalse "TERM removed the socket" "[ -e '$S' ]"
}

test_pid_namespace_detach_failure_is_the_exit_status() {
	pre || return 0
	S=$T/pidns-df.sock
	# the daemon dies before it is ready: the waiter passes on its status
	out=$(timeout 10 dived "$S" -s pid -d -p "$T/no/such/dir/pid" 2>&1); rc=$?
	assertEquals 1 $rc
	assertEquals "dived: pidfile $T/no/such/dir/pid: No such file or directory" "$out"
	assertFalse "nobody serves" "dive '$S' true 2>/dev/null"
}

# No process to spare (RLIMIT_NPROC of 1 for an unprivileged user, who
# may make a user and pid namespace): the fork into the pid namespace
# fails with the reason; justexec exits 127, dived (with and without -d)
# exits 1, and removes the socket it had bound.
test_pid_namespace_fork_failure() {
	pre || return 0
	need_cmd prlimit || return 0
	one="prlimit --nproc=1:1 setpriv --reuid=nobody --regid=nogroup --clear-groups"
	out=$($one justexec -s user,pid true 2>&1); rc=$?
	assertEquals 127 $rc
	assertEquals "justexec: fork: Resource temporarily unavailable" "$out"
	mkdir -p "$T/nproc" && chmod 777 "$T/nproc"
	for d in "" -d; do
		out=$(timeout 10 $one dived "$T/nproc/s$d" -s user,pid $d 2>&1); rc=$?
		assertEquals "dived $d" 1 $rc
		assertEquals "dived $d" "dived: fork: Resource temporarily unavailable" "$out"
		assertFalse "dived $d: socket file left behind" "[ -e '$T/nproc/s$d' ]"
	done
}

test_ipc_mnt_cgroup_and_fs_alias() {
	pre || return 0
	for ns in ipc cgroup; do
		assertNotEquals "$ns" "$(ns_of $ns)" "$(justexec -s $ns readlink /proc/self/ns/$ns)"
	done
	assertNotEquals "$(ns_of mnt)" "$(justexec -s fs readlink /proc/self/ns/mnt)"
	# a mount made inside stays inside, even where / is shared: run in a
	# throw-away mount namespace whose / is shared, like on systemd hosts
	mkdir "$T/m"
	out=$(unshare -m --propagation shared sh -c "
		justexec -s mnt sh -c 'findmnt -n -o PROPAGATION /;
			mount -t tmpfs dbx-test $T/m && grep -c dbx-test /proc/self/mounts'
		findmnt -n -o PROPAGATION /; grep -c dbx-test /proc/self/mounts")
	assertEquals "private 1 shared 0" "$(echo $out)"
	assertEquals 0 "$(grep -c dbx-test /proc/self/mounts)"
}

# usage: as_user CMD... — run as nobody when root, else as ourselves
as_user() {
	if [ "$(id -u)" = 0 ]; then
		setpriv --reuid nobody --regid nogroup --clear-groups "$@"
	else
		"$@"
	fi
}

test_user_namespace_with_maps_unprivileged() {
	need_feature CONFIG_FEATURE_NAMESPACES || return 0
	u=$(as_user id -u)
	g=$(as_user id -g)
	out=$(as_user "$BIN/justexec" -s user -tt -- sh -c \
		'id -u; id -g; cat /proc/self/uid_map /proc/self/gid_map /proc/self/setgroups' |
		tr -s ' \n' ' ' | sed 's/^ //; s/ $//')
	[ -z "$out" ] && [ "$(id -u)" != 0 ] && {
		skip_test "no unprivileged user namespaces here"; return 0; }
	assertEquals "0 0 0 $u 1 0 $g 1 deny" "$out"
	# combined with other namespaces in one unshare
	out=$(as_user "$BIN/justexec" --unshare user,net,uts,pid,mnt \
		--setup-uidgidmap -- sh -c 'echo $(id -u) $$; hostname inner; hostname')
	assertEquals "0 1 inner" "$(echo $out)"
}

test_uidgidmap_needs_a_user_namespace() {
	pre || return 0
	out=$(justexec -tt true 2>&1); rc=$?
	assertEquals 4 $rc
	assertContains "$out" "needs --unshare user"
}

test_setns_joins_another_process_namespaces() {
	pre || return 0
	bg_unshare -n -u || fail "unshare did not start"
	assertEquals "$(ns_of net $NSPID)" \
		"$(justexec -N /proc/$NSPID/ns/net readlink /proc/self/ns/net)"
	assertEquals "$(ns_of net $NSPID) $(ns_of uts $NSPID)" \
		"$(justexec -N /proc/$NSPID/ns/net --setns /proc/$NSPID/ns/uts \
			sh -c 'echo $(readlink /proc/self/ns/net) $(readlink /proc/self/ns/uts)')"
	# checked at start: a usage error naming the file
	out=$(justexec -N "$T/nonexistent" true 2>&1); rc=$?
	assertEquals 4 $rc
	assertContains "$out" "--setns $T/nonexistent"
	out=$(justexec -N /etc/passwd true 2>&1); rc=$?
	assertEquals 4 $rc
	assertContains "$out" "/etc/passwd: not a namespace file"
}

test_setns_into_a_pid_namespace_forks_like_nsenter() {
	pre || return 0
	unshare -p -f sleep 30 &
	track_pid $!
	init=$(child_of $!)
	track_pid $init
	# sleep is pid 1 there: the program is the next one, and its exit
	# status passes through the waiter
	out=$(justexec -N /proc/$init/ns/pid sh -c 'echo $$; exit 4')
	assertEquals 4 $?
	assertEquals 2 "$out"
}

test_write_content_repeatable() {
	pre || return 0
	printf 'a longer old content\n' >"$T/w1"
	justexec -t "$T/w1" one --write-content "$T/w2" two true
	assertEquals 0 $?
	assertEquals "one" "$(cat "$T/w1")"
	assertEquals "two" "$(cat "$T/w2")"
	# written after the namespaces are set up: this is the new uts one
	before=$(hostname)
	assertEquals "written-inside" \
		"$(justexec -s uts -t /proc/sys/kernel/hostname written-inside hostname)"
	assertEquals "$before" "$(hostname)"
	out=$(justexec -t "$T/nodir/x" y true 2>&1); rc=$?
	assertEquals 127 $rc
	assertContains "$out" "write $T/nodir/x"
}

test_unknown_namespace_exit_4() {
	need_feature CONFIG_FEATURE_NAMESPACES || return 0
	for v in bogus net,bogus net, "" ,net; do
		out=$(justexec -s "$v" true 2>&1); rc=$?
		assertEquals "'$v'" 4 $rc
		assertContains "$out" "-s: unknown namespace"
	done
	# a time namespace, like a pid one, takes only children, and -s
	# does not fork for it
	out=$(justexec -s net,time true 2>&1); rc=$?
	assertEquals "time" 4 $rc
	assertContains "$out" "-s: unsupported namespace 'time' in"
	out=$(justexec --unshare=nett true 2>&1)
	assertContains "$out" "--unshare: unknown namespace 'nett'"
}

. shunit2
