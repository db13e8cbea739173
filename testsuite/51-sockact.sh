#!/bin/bash
# Socket activation (SPEC §7, LISTEN_FDS/LISTEN_PID): dived serves a
# listening socket passed on fd 3 when no SOCKET/-i/-J is given, or with
# --listen-fds; wrong LISTEN_PID, a missing or unfit fd 3 are clear usage
# errors (exit 4). The manager is a small python helper that binds,
# listens, puts the socket on fd 3 and execs dived with its own pid in
# LISTEN_PID, like systemd does; systemd-socket-activate is used too.
. "$TOP/testsuite/lib.sh"
. "$TOP/testsuite/tools/container.sh"

suite_setup() {
	cat >"$T/activate.py" <<'EOF'
import os, socket, sys
# usage: activate.py PATH MODE PROGRAM ARGS... — MODE: own (LISTEN_PID is
# the exec'd program), other (our parent's pid), dgram (not a stream
# socket), unlistened (bound, no listen), closed (nothing on fd 3),
# zero (LISTEN_FDS=0)
path, mode, argv = sys.argv[1], sys.argv[2], sys.argv[3:]
try:
    os.unlink(path)
except FileNotFoundError:
    pass
s = socket.socket(socket.AF_UNIX,
                  socket.SOCK_DGRAM if mode == "dgram" else socket.SOCK_STREAM)
# bind elsewhere and rename when listening: the file appears ready
s.bind(path + ".new")
if mode not in ("dgram", "unlistened"):
    s.listen(16)
os.rename(path + ".new", path)
if mode == "closed":
    s.close()
    try:
        os.close(3)
    except OSError:
        pass
else:
    if s.fileno() != 3:
        os.dup2(s.fileno(), 3)
        s.close()
    os.set_inheritable(3, True)
os.environ["LISTEN_FDS"] = "0" if mode == "zero" else "1"
os.environ["LISTEN_PID"] = str(os.getppid() if mode == "other" else os.getpid())
os.environ["LISTEN_FDNAMES"] = "admin"
os.execvp(argv[0], argv)
EOF
}

# usage: activate MODE [DIVED OPTIONS...] — dived on $T/s.sock in the
# background, pid in $DIVED_PID, stderr in $T/err
activate() {
	mode=$1
	shift
	rm -f "$T/s.sock"
	python3 "$T/activate.py" "$T/s.sock" "$mode" "$BIN/dived" "$@" \
		>"$T/out" 2>"$T/err" &
	DIVED_PID=$!
	track_pid $DIVED_PID
	wait_socket "$T/s.sock" || fail "helper did not bind"
}

# usage: activate_fails MODE [DIVED OPTIONS...] — run to the end, rc in $rc
activate_fails() {
	mode=$1
	shift
	python3 "$T/activate.py" "$T/s.sock" "$mode" "$BIN/dived" "$@" \
		>"$T/out" 2>"$T/err"
	rc=$?
}

test_setup() {
	# each test its own service files, pid file, socket and container
	rm -rf "$T/run" "$T/contrib" "$T/ct"
	need_cmd python3 || return 0
	need_feature CONFIG_FEATURE_SOCKET_ACTIVATION || return 0
}

test_automatic_without_socket_argument() {
	[ -n "$__skip_reason" ] && return 0
	activate own --timeout 5
	out=$(dive "$T/s.sock" sh -c 'echo "in $PWD"; exit 7')
	assertEquals 7 $?
	assertEquals "in $PWD" "$out"
	# the socket stays served: a second client
	assertEquals "again" "$(dive "$T/s.sock" echo again)"
	assertTrue "dived still running" "kill -0 $DIVED_PID"
}

test_program_does_not_inherit_activation() {
	[ -n "$__skip_reason" ] && return 0
	activate own --listen-fds
	env=$(dive "$T/s.sock" env)
	assertNotContains "$env" "LISTEN_PID"
	assertNotContains "$env" "LISTEN_FDS"
	assertNotContains "$env" "LISTEN_FDNAMES"
	# fd 3 of the program is not the listening socket
	fds=$(dive "$T/s.sock" sh -c 'ls /proc/$$/fd' 3<&-)
	assertNotContains " $(echo $fds) " " 3 "
}

test_fds_and_exit_status_travel() {
	[ -n "$__skip_reason" ] && return 0
	activate own --listen-fds
	echo "host file" >"$T/f"
	out=$(dive "$T/s.sock" sh -c 'cat <&7; exit 3' 7<"$T/f")
	assertEquals 3 $?
	assertEquals "host file" "$out"
	assertEquals "piped" "$(echo piped | dive "$T/s.sock" cat)"
}

test_with_pid_namespace() {
	[ -n "$__skip_reason" ] && return 0
	need_root || return 0
	need_feature CONFIG_FEATURE_NAMESPACES || return 0
	# dived forks into the new pid namespace before it takes the socket:
	# LISTEN_PID is still the pid the manager exec'd
	activate own -s pid
	out=$(dive "$T/s.sock" sh -c 'echo $$')
	assertEquals 0 $?
	assertTrue "program pid $out is small (new pid namespace)" "[ ${out:-99} -lt 10 ]"
}

test_listen_pid_of_another_process() {
	[ -n "$__skip_reason" ] && return 0
	activate_fails other --timeout 5
	assertEquals 4 "$rc"
	assertContains "$(cat "$T/err")" "dived: LISTEN_PID="
	assertContains "$(cat "$T/err")" "is not this process"
}

test_no_socket_and_no_activation() {
	[ -n "$__skip_reason" ] && return 0
	out=$(env -u LISTEN_PID -u LISTEN_FDS dived --timeout 5 2>&1)
	assertEquals 4 $?
	assertContains "$out" "no socket given and no LISTEN_FDS"
	# a leftover LISTEN_PID alone is no activation either
	out=$(LISTEN_PID=$$ dived --listen-fds 2>&1)
	assertEquals 4 $?
	assertContains "$out" "no LISTEN_FDS"
}

test_zero_fds() {
	[ -n "$__skip_reason" ] && return 0
	activate_fails zero --listen-fds
	assertEquals 4 "$rc"
	assertContains "$(cat "$T/err")" "LISTEN_FDS=0"
}

test_fd3_unfit() {
	[ -n "$__skip_reason" ] && return 0
	for mode in dgram unlistened; do
		activate_fails $mode --listen-fds
		assertEquals "$mode" 4 "$rc"
		assertContains "$mode" "$(cat "$T/err")" "not a listening AF_UNIX stream socket"
	done
	activate_fails closed --listen-fds
	assertEquals 4 "$rc"
	assertContains "$(cat "$T/err")" "fd 3: Bad file descriptor"
	# a TCP socket cannot give peer credentials
	python3 -c '
import os, socket, sys
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
if s.fileno() != 3: os.dup2(s.fileno(), 3)
os.set_inheritable(3, True)
os.environ.update(LISTEN_FDS="1", LISTEN_PID=str(os.getpid()))
os.execv(sys.argv[1], sys.argv[1:])' "$BIN/dived" --listen-fds 2>"$T/err"
	assertEquals 4 $?
	assertContains "$(cat "$T/err")" "not a listening AF_UNIX"
}

test_listen_fds_conflicts_with_socket() {
	[ -n "$__skip_reason" ] && return 0
	out=$(dived "$T/x.sock" --listen-fds 2>&1)
	assertEquals 4 $?
	assertContains "$out" "choose one of"
	assertFalse "no socket created" "[ -e $T/x.sock ]"
}

test_systemd_socket_activate() {
	[ -n "$__skip_reason" ] && return 0
	need_cmd systemd-socket-activate || return 0
	rm -f "$T/sd.sock"
	systemd-socket-activate -l "$T/sd.sock" "$BIN/dived" --listen-fds \
		>"$T/sd.log" 2>&1 &
	track_pid $!
	wait_socket "$T/sd.sock" || { cat "$T/sd.log"; fail "no socket"; return; }
	out=$(dive "$T/sd.sock" sh -c 'echo via systemd; exit 9')
	assertEquals 9 $?
	assertEquals "via systemd" "$out"
}

test_not_in_build_without_feature() {
	[ -n "$__skip_reason" ] && return 0
	bin=$(sh "$TOP/testsuite/build-config.sh" nocreep) || fail "nocreep build failed"
	grep -q '^CONFIG_FEATURE_SOCKET_ACTIVATION=y' "$(dirname "$bin")/.config" &&
		{ skip_test "nocreep has socket activation"; return 0; }
	out=$("$bin" dived --listen-fds 2>&1)
	assertEquals 4 $?
	assertContains "$out" "not in this build (CONFIG_FEATURE_SOCKET_ACTIVATION)"
	out=$(LISTEN_FDS=1 LISTEN_PID=$$ "$bin" dived -M 2>&1)
	assertEquals 4 $?
	assertContains "$out" "no socket given"
}

# ---- contrib/: the service files, with their paths moved into $T -------

# usage: contrib FILE — contrib/FILE with /run and /usr/local/bin/dived
# moved to $T/run and $BIN/dived, written to $T/contrib/FILE
contrib() {
	mkdir -p "$T/contrib/$(dirname "$1")"
	sed -e "s,/usr/local/bin/dived,$BIN/dived,g" -e "s,/run/,$T/run/,g" \
		"$TOP/contrib/$1" >"$T/contrib/$1"
	chmod --reference="$TOP/contrib/$1" "$T/contrib/$1"
}

# The container the service files enter (testsuite/tools/container.sh,
# as 28-containers makes them): new pid, mnt, uts, ipc and net namespaces
# around a busybox root, its first pid in $T/run/divebox/ct.pid, where the
# service files read it. -U $NB makes it rootless.
NB="setpriv --reuid=nobody --regid=nogroup --clear-groups"
start_container() {
	need_feature CONFIG_FEATURE_NAMESPACES || return 1
	ct_make_root "$T/ct" || { skip_test "needs a static busybox (busybox-static)"; return 1; }
	ct_start "$T/ct" "$@" || { fail "container did not start"; return 1; }
	mkdir -p "$T/run/divebox"
	echo "$CT" >"$T/run/divebox/ct.pid"
}

# usage: check_in_container SOCKET — a session runs in the container:
# its hostname, its pid namespace ($$ small), only lo, a bounding set
# within the target's, its cgroup; fds and exit statuses travel
check_in_container() {
	n=0
	until out=$(dive "$1" hostname 2>/dev/null); do
		n=$((n + 1))
		[ $n -lt 250 ] || break
		sleep 0.02
	done
	assertEquals "ctname" "$out"
	pid=$(dive "$1" sh -c 'echo $$')
	assertTrue "in the container's pid namespace: \$\$=$pid" "[ '${pid:-99}' -lt 10 ]"
	ifs=$(dive "$1" cat /proc/net/dev | sed -n '3,$s/:.*//p' | tr -d ' ')
	assertEquals "only lo in the container" "lo" "$ifs"
	assertTrue "CapBnd within the target's" \
		"dive '$1' cat /proc/self/status | ct_capbnd_within $CT"
	for ns in pid user mnt net; do
		assertEquals "its $ns namespace" "$(readlink /proc/$CT/ns/$ns)" \
			"$(dive "$1" readlink /proc/self/ns/$ns)"
	done
	assertEquals "its cgroup" "$(cat /proc/$CT/cgroup)" "$(dive "$1" cat /proc/self/cgroup)"
	assertEquals "its root" "$(ls "$T/ct" | tr '\n' ' ')" "$(dive "$1" ls / | tr '\n' ' ')"
	out=$(dive "$1" sh -c 'cat <&7; exit 6' 7<"$TOP/contrib/systemd/divebox-admin.socket")
	assertEquals 6 $?
	assertContains "$out" "ListenStream="
}

# usage: exec_start_words FILE — the words of FILE's ExecStart= as systemd
# splits them ($$ is a literal $, quotes as in sh), in "$@" of the caller
# through eval (the line is our own contrib file)
exec_start_words() {
	sed -n 's/^ExecStart=//p' "$1" | sed 's/\$\$/$/g'
}

test_contrib_systemd_units_verify() {
	[ -n "$__skip_reason" ] && return 0
	need_cmd systemd-analyze || return 0
	contrib systemd/divebox-admin.socket
	contrib systemd/divebox-admin.service
	out=$(cd "$T/contrib/systemd" && systemd-analyze verify --man=no \
		./divebox-admin.socket ./divebox-admin.service 2>&1)
	assertEquals "systemd-analyze verify" 0 $?
	assertEquals "" "$out"
	u=$TOP/contrib/systemd/divebox-admin
	assertEquals "SocketMode=0600" "$(grep '^SocketMode=' "$u.socket")"
	assertEquals "ListenStream=/run/divebox/admin.sock" "$(grep '^ListenStream=' "$u.socket")"
	assertContains "$(grep '^ExecStart=' "$u.service")" "dived --listen-fds --log --target"
}

# The recommended way (docs/deploy.md): --target, read from a pid file at
# start; no unit hard-codes a pid or joins namespace files one by one
# (the old -N net,uts,ipc,mnt left the user and pid namespaces and the
# capabilities of host root: the container's sh wrote host files)
test_contrib_files_use_target_and_no_fixed_pid() {
	for f in systemd/divebox-admin.service openrc/divebox-admin s6/divebox-admin/run; do
		assertContains "$f" "$(cat "$TOP/contrib/$f")" "--target"
		assertContains "$f" "$(cat "$TOP/contrib/$f")" "/run/divebox/ct.pid"
	done
	out=$(grep -rnE -- '--target +"?[0-9]|/proc/[0-9]+|(^|[^a-z])-N ' "$TOP/contrib")
	assertEquals "no fixed pid, no -N" "" "$out"
}

test_contrib_systemd_pair_serves_the_container() {
	[ -n "$__skip_reason" ] && return 0
	need_root || return 0
	need_cmd systemd-socket-activate || return 0
	contrib systemd/divebox-admin.socket
	contrib systemd/divebox-admin.service
	start_container || return 0
	sock=$(sed -n 's/^ListenStream=//p' "$T/contrib/systemd/divebox-admin.socket")
	cmd=$(exec_start_words "$T/contrib/systemd/divebox-admin.service")
	# what systemd does with the pair: listen, then exec ExecStart with
	# LISTEN_FDS=1 and LISTEN_PID set
	eval "set -- $cmd"
	systemd-socket-activate -l "$sock" "$@" >"$T/sd.log" 2>&1 &
	track_pid $!
	wait_socket "$sock" || { cat "$T/sd.log"; fail "no socket"; return; }
	check_in_container "$sock"
	assertContains "audit line" "$(cat "$T/sd.log")" "hostname"
}

test_contrib_s6_run_script() {
	[ -n "$__skip_reason" ] && return 0
	need_root || return 0
	assertTrue "sh -n run" "sh -n $TOP/contrib/s6/divebox-admin/run"
	assertTrue "run is executable" "[ -x $TOP/contrib/s6/divebox-admin/run ]"
	contrib s6/divebox-admin/run
	start_container || return 0
	(cd "$T/contrib/s6/divebox-admin" && exec ./run) >"$T/s6.log" 2>&1 &
	track_pid $!
	wait_socket "$T/run/divebox/admin.sock" || { cat "$T/s6.log"; fail "no socket"; return; }
	check_in_container "$T/run/divebox/admin.sock"
	assertEquals "socket mode" "srw-------" "$(stat -c %A "$T/run/divebox/admin.sock")"
}

# what openrc-run does: read conf.d, source the script, start_pre, then
# start-stop-daemon runs $command $command_args (dived -d); rc in $?
openrc_start() {
	(
		checkpath() { [ "$1" = -d ] && mkdir -p "$4"; }
		eerror() { echo "ERROR: $*"; }
		. "$T/contrib/openrc/divebox-admin.confd"
		. "$T/contrib/openrc/divebox-admin"
		start_pre || exit 1
		# shellcheck disable=SC2086
		exec $command $command_args
	) >"$T/rc.log" 2>&1
}

test_contrib_openrc_script() {
	[ -n "$__skip_reason" ] && return 0
	need_root || return 0
	assertTrue "sh -n" "sh -n $TOP/contrib/openrc/divebox-admin"
	contrib openrc/divebox-admin
	contrib openrc/divebox-admin.confd
	start_container || return 0
	openrc_start
	assertEquals "dived -d returned" 0 $?
	pid=$(cat "$T/run/divebox-admin.pid")
	track_pid "$pid"
	assertTrue "pid file names a live dived" "kill -0 $pid"
	check_in_container "$T/run/divebox/admin.sock"
}

# A rootless container: root on the host has no uid there, so it is
# refused with the reason; DIVED_OPTS="-u 0" makes it the container's own
# root, which is nobody on the host and cannot write host root's files
test_contrib_openrc_rootless_container() {
	[ -n "$__skip_reason" ] && return 0
	need_root || return 0
	contrib openrc/divebox-admin
	contrib openrc/divebox-admin.confd
	start_container -U $NB || return 0
	openrc_start
	assertEquals "dived -d returned" 0 $?
	track_pid "$(cat "$T/run/divebox-admin.pid")"
	out=$(dive "$T/run/divebox/admin.sock" id 2>&1)
	assertEquals 127 $?
	assertContains "$out" "uid 0 has no mapping in the target's user namespace"
	kill "$(cat "$T/run/divebox-admin.pid")"
	echo 'DIVED_OPTS="--log -u 0"' >>"$T/contrib/openrc/divebox-admin.confd"
	openrc_start
	assertEquals "dived -d returned" 0 $?
	track_pid "$(cat "$T/run/divebox-admin.pid")"
	check_in_container "$T/run/divebox/admin.sock"
	assertEquals "0 0 65534" "$(dive "$T/run/divebox/admin.sock" sh -c \
		'read a b c </proc/self/uid_map; echo $(id -u) $a $b')"
	dive "$T/run/divebox/admin.sock" touch /bin/by-host-root 2>/dev/null
	assertFalse "wrote into host root's directory" "[ -e '$T/ct/bin/by-host-root' ]"
}

test_contrib_openrc_without_a_container_pid() {
	[ -n "$__skip_reason" ] && return 0
	contrib openrc/divebox-admin
	contrib openrc/divebox-admin.confd
	mkdir -p "$T/run/divebox"
	echo "not-a-pid" >"$T/run/divebox/ct.pid"
	openrc_start
	assertEquals 1 $?
	assertContains "$(cat "$T/rc.log")" "ct.pid: no container pid in it ('not-a-pid')"
	assertFalse "no socket" "[ -e '$T/run/divebox/admin.sock' ]"
}

# The container restarts with a new pid: writing it and restarting the
# service (s6-svc -r: the run script again) re-points it; the old pid is
# refused with the reason meanwhile
test_contrib_s6_follows_a_restarted_container() {
	[ -n "$__skip_reason" ] && return 0
	need_root || return 0
	contrib s6/divebox-admin/run
	start_container || return 0
	old=$CT
	(cd "$T/contrib/s6/divebox-admin" && exec ./run) >"$T/s6.log" 2>&1 &
	run=$!
	track_pid $run
	wait_socket "$T/run/divebox/admin.sock" || { cat "$T/s6.log"; fail "no socket"; return; }
	check_in_container "$T/run/divebox/admin.sock"
	kill -KILL "$old"
	start_container || return 0
	assertNotEquals "a new pid" "$old" "$CT"
	out=$(dive "$T/run/divebox/admin.sock" hostname 2>&1)
	assertEquals 127 $?
	assertContains "$out" "refused: --target $old"
	kill "$run"
	wait "$run"
	(cd "$T/contrib/s6/divebox-admin" && exec ./run) >>"$T/s6.log" 2>&1 &
	track_pid $!
	check_in_container "$T/run/divebox/admin.sock"
}

. shunit2
