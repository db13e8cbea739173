#!/bin/bash
# pty mode (issue 6, SPEC §7): dive -t / DIVE_PTY=1 gets a fresh pty from
# dived; dive relays it with the local terminal raw, restores it always,
# passes window size changes; job control works remotely; dived --no-pty
# and CONFIG_FEATURE_PTY=n refuse it. Interactive tests drive a bash in a
# private tmux server. docs/interactive.md describes the behaviour.
. "$TOP/testsuite/lib.sh"
. "$TOP/testsuite/tools/tmux.sh"

S=$T/s

test_setup() {
	rm -f "$T/sids" "$T/before" "$T/after"
	# the remote shell: its pid is its session id (dived's setsid), which
	# test_teardown uses to kill whatever it left behind
	printf '#!/bin/sh\necho $$ >>%s/sids\nPS1="in$ " exec bash --norc --noprofile -i\n' \
		"$T" >"$T/inner.sh"
	chmod +x "$T/inner.sh"
}

test_teardown() { tmux_teardown; }

# Start the remote shell from the outer one; afterwards rc-N (dive's
# status) shows and `stty -g` is in $T/after. Through sh, which (unlike
# bash) does not put its own terminal settings back when a job dies of a
# signal: what is checked is what dive restored.
dive_in() {
	type_line "sh -c 'stty -g >$T/before; $* $T/inner.sh; echo rc-\$?; stty -g >$T/after'"
	wait_for 'in$' || return 1
	SID=$(head -n1 "$T/sids")
}

# the dive that dive_in started: outer bash → sh → dive
dive_pid() {
	sh_pid=$(ps -o pid= --ppid "$(tm display -p '#{pane_pid}')" | tr -d ' ')
	ps -o pid= --ppid "$sh_pid" | tr -d ' '
}

sane_again() {
	assertTrue "terminal settings not restored" "cmp -s $T/before $T/after"
}

test_job_control_remote() {
	start_tmux || return 0
	dive_in dive -t "$S" || return 0
	assertNotContains "$(pane)" "no job control"
	assertNotContains "$(pane)" "cannot set terminal process group"
	# the outer terminal is raw while dive relays: no local ISIG
	assertContains "$(stty -a -F "$(tm display -p '#{pane_tty}')")" "-isig"
	type_line 'echo "tty-$(tty)"'
	wait_for "tty-/dev/pts/" || return 0
	# Ctrl+C: the remote foreground job dies of SIGINT, dive does not
	type_line 'sleep 100'
	wait_ps "$SID" '^S\+ +sleep$' || return 0
	tm send-keys -t main C-c
	type_line 'echo "st-$?"'
	wait_for "st-130" || return 0
	# Ctrl+Z: the remote job stops and the remote shell knows
	type_line 'sleep 200'
	wait_ps "$SID" '^S\+ +sleep$' || return 0
	tm send-keys -t main C-z
	wait_ps "$SID" '^T +sleep$' || return 0
	type_line 'jobs; echo "n-$(jobs | grep -c Stopped)"'
	wait_for "n-1" || return 0
	# fg: back in the foreground, where Ctrl+C reaches it
	type_line 'fg'
	wait_ps "$SID" '^S\+ +sleep$' || return 0
	tm send-keys -t main C-c
	type_line 'echo "fg-$?"'
	wait_for "fg-130" || return 0
	type_line 'exit 5'
	wait_for "rc-5" || return 0
	sane_again
	# the caller's shell still owns its terminal: Ctrl+C works there
	type_line 'sleep 100'
	wait_ps "$(tm display -p '#{pane_pid}')" '^S\+ +sleep$' || return 0
	tm send-keys -t main C-c
	type_line 'echo "outer-$?"'
	wait_for "outer-130"
}

test_window_size_follows() {
	start_tmux || return 0
	dive_in dive -t "$S" || return 0
	size=$(tm display -p '#{pane_height} #{pane_width}')
	type_line 'echo "sz-$(stty size)"'
	wait_for "sz-$size" || return 0
	tm resize-window -t main -x 120 -y 40
	size=$(tm display -p '#{pane_height} #{pane_width}')
	assertContains "$size" " 120"
	type_line 'echo "sz-$(stty size)"'
	wait_for "sz-$size" || return 0
	type_line 'exit'
	wait_for "rc-0" || return 0
	sane_again
}

test_exit_status_on_a_terminal() {
	start_tmux || return 0
	type_line "dive -t $S sh -c 'exit 7'; echo \"rc-\$?\""
	wait_for "rc-7" || return 0
	type_line "dive -t $S sh -c 'kill -TERM \$\$'; echo \"rc-\$?\""
	wait_for "rc-143"
}

# dive is asked to end: the program gets the signal, dive restores the
# terminal and dies of it; the remote session gets a hangup.
test_sigterm_restores_terminal() {
	start_tmux || return 0
	dive_in dive -t "$S" || return 0
	dpid=$(dive_pid)
	assertNotNull "$dpid"
	kill -TERM "$dpid"
	wait_for "rc-143" || return 0
	sane_again
	for _ in $(seq 200); do
		[ -z "$(ps -o pid= -s "$SID")" ] && break
		sleep 0.05
	done
	assertEquals "remote session still there" "" "$(ps -o pid= -s "$SID")"
}

test_sighup_restores_without_forwarding() {
	start_tmux || return 0
	dive_in DIVE_SIGFWMODE=0 dive -t "$S" || return 0
	dpid=$(dive_pid)
	kill -HUP "$dpid"
	wait_for "rc-129" || return 0
	sane_again
}

test_dived_drops_connection() {
	start_tmux || return 0
	dive_in dive -t "$S" || return 0
	kill -KILL "$DIVED_PID"
	wait_for "rc-127" || return 0
	assertContains "$(pane)" "dive: dived dropped the connection"
	sane_again
}

test_stdin_not_a_terminal() {
	start_dived "$S" || return 0
	out=$(echo hi | DIVE_PTY=1 timeout 10 dive "$S" cat)
	assertEquals "$(printf 'hi\r\nhi\r')" "$out"
	# a last line without newline still ends: two EOF chars
	out=$(printf abc | DIVE_PTY=1 timeout 10 dive "$S" cat; echo "rc-$?")
	assertContains "$out" "abcabc"
	assertContains "$out" "rc-0"
	out=$(DIVE_PTY=1 timeout 10 dive "$S" sh -c \
		'test -t 0 && test -t 1 && test -t 2 && echo ttys; tty' </dev/null)
	assertContains "$out" "ttys"
	assertContains "$out" "/dev/pts/"
	# the program has the pty as controlling terminal, its own session
	out=$(DIVE_PTY=1 timeout 10 dive "$S" sh -c \
		'echo $$ $(ps -o sid=,tty= -p $$)' </dev/null | tr -d '\r')
	read -r pid sid tty <<EOF
$out
EOF
	assertEquals "not a session leader: $out" "$pid" "$sid"
	assertContains "$tty" "pts/"
	DIVE_PTY=1 timeout 10 dive "$S" sh -c 'kill -USR1 $$' </dev/null
	assertEquals 138 $?
}

test_no_pty_refused() {
	start_dived "$S" --no-pty || return 0
	out=$(DIVE_PTY=1 dive "$S" true 2>&1 </dev/null); rc=$?
	assertEquals 127 $rc
	assertEquals "dive: refused: pty mode is not allowed by this dived" "$out"
	out=$(dive -t "$S" true 2>&1 </dev/null); rc=$?
	assertEquals 127 $rc
	# normal mode still works there
	assertEquals ok "$(dive "$S" echo ok)"
}

# CONFIG_FEATURE_PTY off, built out of tree (incremental: the .config is
# only replaced when it changes).
build_nopty() {
	out=$TOP/build/cfg-nopty
	mkdir -p "$out"
	sed 's/^CONFIG_FEATURE_PTY=y/# CONFIG_FEATURE_PTY is not set/' \
		"$TOP/configs/defconfig" >"$out/nopty_defconfig"
	KCONFIG_CONFIG=$out/.config.new kconfig-conf -s \
		--defconfig="$out/nopty_defconfig" "$TOP/Config.in" >/dev/null || return 1
	cmp -s "$out/.config.new" "$out/.config" || mv "$out/.config.new" "$out/.config"
	rm -f "$out/.config.new"
	make -s -C "$TOP" O="$out" >"$out/make.log" 2>&1 || { cat "$out/make.log"; return 1; }
	NOPTY=$out/divebox
}

test_pty_compiled_out() {
	build_nopty || { fail "nopty build failed"; return 0; }
	grep -q '^# CONFIG_FEATURE_PTY is not set' "$TOP/build/cfg-nopty/.config"
	assertTrue "config has PTY on" $?
	out=$("$NOPTY" dive -t "$S" true 2>&1); rc=$?
	assertEquals 4 $rc
	assertEquals "dive: pty mode not in this build (CONFIG_FEATURE_PTY)" "$out"
	out=$(DIVE_PTY=1 "$NOPTY" dive "$S" true 2>&1); rc=$?
	assertEquals 4 $rc
	"$NOPTY" dived "$S" --no-pty >"$T/nopty.out" 2>&1
	assertEquals 4 $?
	assertContains "$(cat "$T/nopty.out")" "CONFIG_FEATURE_PTY"
	# a dived without the feature refuses the request itself
	rm -f "$S"
	"$NOPTY" dived "$S" >>"$T/dived.log" 2>&1 &
	track_pid $!
	wait_socket "$S" || { fail "nopty dived did not start"; return 0; }
	out=$(dive -t "$S" true 2>&1 </dev/null); rc=$?
	assertEquals 127 $rc
	assertEquals "dive: refused: pty mode is not allowed by this dived" "$out"
	# and the code is gone: nothing opens /dev/ptmx
	assertFalse "pty code still in the binary" "grep -q /dev/ptmx $NOPTY"
	assertTrue "pty code missing from the default binary" "grep -q /dev/ptmx $DIVEBOX"
}

. shunit2
