#!/bin/bash
# The files dived itself touches, and its process (issue 11;
# docs/security.md): the socket's mode and owner are set on the socket,
# never through a name someone swapped; pid files and -t files are not
# followed through symlinks, never block on a FIFO, and are written only
# if regular (or /proc, /sys, cgroup files); access lists fail closed; the
# audit line's outcome cannot carry look-alike fields; dived -d follows
# the daemon conventions; no program gets dived's controlling terminal.
. "$TOP/testsuite/lib.sh"
. "$TOP/testsuite/tools/dive-helpers.sh"

as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
# a python that nobody may run (not one under root's home)
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3

# usage: run_out CMD... — $out, $rc: its output and status. Through a
# file: a pipe would hang the test on a dived -d that keeps it (the bugs
# tested here)
run_out() {
	"$@" >"$W/out" 2>&1
	rc=$?
	out=$(cat "$W/out")
}

# usage: in_pty 'SHELL COMMAND' — run it on a fresh pty (script(1))
in_pty() {
	SHELL=/bin/sh timeout 30 script -qfec "$1" /dev/null </dev/null |
		tr -d '\r'
}

test_socket_mode_owner_not_through_a_swapped_name() {
	need_root || return 0
	need_cmd setpriv || return 0
	need_cmd cc || return 0
	cc -O2 -o "$T/symswap" "$TOP/testsuite/tools/symswap.c" ||
		{ fail "cannot build symswap"; return; }
	# a directory nobody owns, and a file only root may read
	D=$W/race
	mkdir "$D"
	chown 65534:65534 "$D"
	echo secret >"$T/secret"
	chmod 600 "$T/secret"
	# (setpriv itself in the background: $! is then the attacker's pid)
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$T/symswap" "$D" "$T/secret" 100000000 &
	track_pid $!
	for i in $(seq 100); do
		rm -f "$D/s" # whatever she left there: each startup is a new try
		"$BIN/dived" "$D/s" -C 777 -U nobody:nogroup >>"$T/race.log" 2>&1 &
		p=$!
		# (not killed before the exec: the forked shell has our traps)
		wait_until 5 eval "[ \"\$(readlink /proc/$p/exe)\" = '$DIVEBOX' ] || ! kill -0 $p 2>/dev/null"
		wait_until 5 eval "[ -S '$D/s' ] || [ -L '$D/s' ] || ! kill -0 $p 2>/dev/null"
		kill $p 2>/dev/null
		wait $p 2>/dev/null
		[ "$(stat -c %a:%U "$T/secret")" = 600:root ] || break
	done
	assertEquals "the root-only file after $i startups" 600:root:root \
		"$(stat -c %a:%U:%G "$T/secret")"
	assertEquals "its content" secret "$(cat "$T/secret")"
	# the legitimate use: the socket itself gets the mode and owner
	rm -rf "$W/ok"
	mkdir "$W/ok"
	start_dived "$W/ok/s" -C 777 -U nobody:nogroup || return
	assertEquals 777:nobody:nogroup "$(stat -c %a:%U:%G "$W/ok/s")"
	assertEquals "nobody is served" 65534 "$(as_nobody dive "$W/ok/s" id -u)"
	assertEquals "no private directory left" s "$(ls -A "$W/ok")"
}

test_socket_mode_through_umask_without_chown() {
	start_dived "$S" -C 700 || return
	assertEquals 700 "$(stat -c %a "$S")"
	assertEquals "served" hi "$(dive "$S" echo hi)"
	assertEquals "no private directory left" s "$(ls -A "$W")"
	# a relative socket path, and a stale socket replaced
	kill $DIVED_PID
	wait $DIVED_PID 2>/dev/null
	(cd "$W" && exec "$BIN/dived" s -C 766) >>"$T/dived.log" 2>&1 &
	DIVED_PID=$!
	track_pid $DIVED_PID
	wait_until 5 eval "[ \"\$(stat -c %a '$S' 2>/dev/null)\" = 766 ]"
	assertEquals "relative path, stale socket replaced" 766 "$(stat -c %a "$S")"
	assertEquals "served" hi "$(dive "$S" echo hi)"
}

test_pidfile_symlink_is_not_followed() {
	echo keep >"$W/target"
	ln -s "$W/target" "$W/pid"
	run_out timeout 10 dived "$S" -d -p "$W/pid"
	assertEquals "$out" 1 $rc
	assertContains "$out" "pidfile $W/pid"
	assertEquals "the symlink's target is untouched" keep "$(cat "$W/target")"
	# a dangling one creates nothing either
	ln -s "$W/created" "$W/pid2"
	run_out timeout 10 dived "$S" -d -p "$W/pid2"
	assertEquals "$out" 1 $rc
	assertFalse "nothing created through it" "[ -e '$W/created' ]"
}

test_pidfile_fifo_does_not_hang_detach() {
	mkfifo "$W/pid"
	run_out timeout 20 dived "$S" -d -p "$W/pid"
	assertEquals "no reader: $out" 1 $rc
	assertContains "$out" "pidfile $W/pid"
	# with a reader (we hold it open) the FIFO opens, but it is still no
	# regular file: nothing is written into it
	exec 8<>"$W/pid"
	run_out timeout 20 dived "$S" -d -p "$W/pid"
	assertEquals "a reader: $out" 1 $rc
	assertContains "$out" "pidfile $W/pid"
	assertEquals "nothing written" empty "$(python3 -c '
import os
os.set_blocking(8, False)
try:
    print(os.read(8, 100))
except BlockingIOError:
    print("empty")')"
	exec 8<&-
	assertFalse "nobody serves" "dive '$S' true 2>/dev/null"
}

test_pidfile_device_refused_regular_file_truncated() {
	run_out timeout 20 dived "$S" -d -p /dev/null
	assertEquals "a device: $out" 1 $rc
	assertContains "$out" "pidfile /dev/null"
	printf '%s\n' 1234567890 1234567890 >"$W/pid"
	run_out timeout 20 dived "$S" -d -p "$W/pid"
	assertEquals "$out" 0 $rc
	pid=$(cat "$W/pid")
	track_pid $pid
	assertEquals "the old content is gone" 1 "$(wc -l <"$W/pid")"
	assertTrue "the daemon's pid" "[ -e /proc/$pid ]"
}

test_write_content_symlink_and_fifo_refused() {
	need_feature CONFIG_FEATURE_NAMESPACES || return 0
	echo keep >"$W/target"
	ln -s "$W/target" "$W/link"
	mkfifo "$W/fifo"
	start_dived "$S" -t "$W/link" text || return
	out=$(dive "$S" true 2>&1); rc=$?
	assertEquals "$out" 127 $rc
	assertContains "$out" "refused: write $W/link"
	assertEquals "the symlink's target is untouched" keep "$(cat "$W/target")"
	kill $DIVED_PID
	start_dived "$S" -t "$W/fifo" text || return
	run_out timeout 20 dive "$S" true
	assertEquals "no hang on a FIFO: $out" 127 $rc
	assertContains "$out" "refused: write $W/fifo"
	kill $DIVED_PID
	start_dived "$S" -t "$W/plain" text || return
	assertEquals "a regular file is written" ok "$(dive "$S" echo ok)"
	assertEquals text "$(cat "$W/plain")"
}

test_allow_lists_fail_closed() {
	need_feature CONFIG_FEATURE_ACCESS || return 0
	for opt in --allow-user --allow-group; do
		for v in , ',,' 'root,,bin' 'root,' ',root' ''; do
			run_out timeout 5 dived "$S" $opt "$v"
			assertEquals "$opt '$v'" 4 $rc
			assertContains "$opt '$v'" "$out" "$opt"
		done
	done
	assertFalse "nobody serves" "[ -e '$S' ]"
}

test_audit_outcome_cannot_carry_fields() {
	need_feature CONFIG_FEATURE_LOG || return 0
	rm -f "$S"
	"$BIN/dived" "$S" --log 2>"$W/log" &
	DIVED_PID=$!
	track_pid $DIVED_PID
	wait_socket "$S" || return
	dive "$S" "/no such uid=0 pid=1 user=root argv0=sh started" 2>/dev/null
	wait_until 10 grep -q failed "$W/log"
	line=$(grep failed "$W/log")
	assertEquals "$line" 1 "$(echo "$line" | grep -o ' uid=' | wc -l)"
	assertEquals "$line" 1 "$(echo "$line" | grep -o ' pid=' | wc -l)"
	assertEquals "$line" 1 "$(echo "$line" | grep -o ' user=' | wc -l)"
	assertContains "the client's text is still there" "$line" "uid?0 pid?1"
	assertContains "the real uid" "$line" " uid=$(id -u) "
}

test_detach_daemon_conventions() {
	need_root || return 0
	need_feature CONFIG_FEATURE_CHROOT || return 0
	need_feature CONFIG_FEATURE_NAMESPACES || return 0 # -t
	# a jail with one program, a relative -R, -p and -t
	mkdir -p "$W/jail"
	cp "$DIVEBOX" "$W/jail/divebox"
	# dived's fd 9 is a pipe; its reader sees EOF once nobody holds it
	mkfifo "$W/pipe"
	(timeout 20 cat "$W/pipe" >/dev/null; echo "rc=$?" >"$W/rc") &
	reader=$!
	(cd "$W" && exec "$BIN/dived" s -d -p pid -R jail -t wrote x 9>"$W/pipe" \
		>/dev/null 2>"$W/err")
	assertEquals "dived -d" 0 $?
	wait $reader
	assertEquals "the pipe closed: dived -d kept no inherited fd" rc=0 \
		"$(cat "$W/rc")"
	pid=$(cat "$W/pid")
	track_pid $pid
	assertTrue "the daemon runs" "[ -e /proc/$pid ]"
	assertEquals "its cwd" / "$(readlink /proc/$pid/cwd)"
	for fd in 0 1 2; do
		assertEquals "its fd $fd" /dev/null "$(readlink /proc/$pid/fd/$fd)"
	done
	# (the jail's one program is divebox: it runs there if static)
	out=$(DIVE_CURDIR= dive "$S" /divebox --list 2>&1)
	file -L "$DIVEBOX" | grep -q 'statically linked' &&
		assertEquals "relative -R still works" dived \
			"$(echo "$out" | grep -x dived)"
	assertEquals "relative -t still works" x "$(cat "$W/wrote")"
	assertEquals "$(cat "$W/err")" "" "$(cat "$W/err")"
}

# The program (python) tries to take its controlling terminal and inject
# into it with TIOCSTI: reports "ENXIO" when it has none.
write_stealer() {
	cat >"$W/steal.py" <<-'EOF'
	import errno, fcntl, os, termios
	try:
	    fd = os.open("/dev/tty", os.O_RDWR)
	except OSError as e:
	    print(errno.errorcode[e.errno])
	else:
	    try:
	        fcntl.ioctl(fd, termios.TIOCSTI, b"#")
	        print("opened, injected")
	    except OSError as e:
	        print("opened, TIOCSTI " + errno.errorcode[e.errno])
	EOF
}

test_no_program_gets_dived_terminal() {
	need_root || return 0
	need_cmd script || return 0
	need_cmd setpriv || return 0
	write_stealer
	chmod 755 "$W" "$W/steal.py"
	# root's dived started from a terminal (not leading its session), -S
	SHELL=/bin/sh timeout 60 script -qfec \
		"'$BIN/dived' '$S' -S -C 777 >>'$T/dived.log' 2>&1 & echo \$! >'$W/dpid'; wait" \
		/dev/null </dev/null >/dev/null 2>&1 &
	track_pid $!
	wait_socket "$S" || { fail "dived did not start: $(cat "$T/dived.log")"; return; }
	track_pid "$(cat "$W/dpid")"
	out=$(as_nobody dive "$S" $PY "$W/steal.py" </dev/null 2>&1)
	assertEquals "nobody's program" ENXIO "$out"
	out=$(dive "$S" $PY "$W/steal.py" </dev/null 2>&1)
	assertEquals "root's program" ENXIO "$out"
	kill "$(cat "$W/dpid")"
}

test_session_leader_with_terminal_gives_it_to_no_program() {
	need_cmd script || return 0
	write_stealer
	# serving in itself with -S (-F, -i), the program would keep it
	out=$(in_pty "exec '$BIN/dived' '$S' -S -F; echo rc=\$?"); rc=$?
	assertContains "$out" "leads a session with a controlling terminal"
	assertFalse "nobody serves" "[ -S '$S' ]"
	# the accept loop: each handler lets go of the terminal itself
	SHELL=/bin/sh script -qfc "exec '$BIN/dived' '$S' -S -p '$W/pid'" \
		/dev/null </dev/null >/dev/null 2>&1 &
	track_pid $!
	wait_socket "$S" || { fail "dived did not start"; return; }
	track_pid "$(cat "$W/pid")"
	assertEquals "a session leader's handler: no terminal" ENXIO \
		"$(DIVE_TERMINAL= dive "$S" $PY "$W/steal.py" </dev/null 2>&1)"
	rm -f "$S"
	out=$(in_pty "exec '$BIN/dived' '$S' -S -d -p '$W/pid2'")
	track_pid "$(cat "$W/pid2")"
	assertEquals "$out" "" "$out"
	assertEquals "with -d: no terminal" ENXIO \
		"$(dive "$S" $PY "$W/steal.py" </dev/null 2>&1)"
}

. shunit2
