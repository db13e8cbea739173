#!/bin/bash
# dive's command line and what it hands over (issue 14, issue 12, SPEC §8):
# real option parsing (-t, -T, --, --help, --version, unknown options),
# help within 80 columns in every applet, clear messages (not a socket,
# an upstream dive 1.x dived, capabilities by name), the automatic pty
# (in tmux), and the directories dive sends: its root only with
# DIVE_ROOTDIR, none at all with DIVE_CURDIR= (a hostile dived's view).
. "$TOP/testsuite/lib.sh"
. "$TOP/testsuite/tools/dive-helpers.sh"

PEEK=$TOP/testsuite/tools/peek_dived.py

# ---- options ----------------------------------------------------------------

test_no_arguments_is_usage_on_stderr() {
	out=$(dive 2>"$W/err"); rc=$?
	assertEquals 4 $rc
	assertEquals "nothing on stdout" "" "$out"
	assertContains "$(cat "$W/err")" "Usage: dive [OPTIONS] [--] SOCKET"
}

test_help_and_version_exit_0_on_stdout() {
	for a in --help -?; do
		out=$(dive "$a" 2>"$W/err"); rc=$?
		assertEquals "dive $a" 0 $rc
		assertContains "dive $a" "$out" "Usage: dive"
		assertEquals "dive $a: stderr" "" "$(cat "$W/err")"
	done
	out=$(dive --version 2>"$W/err"); rc=$?
	assertEquals 0 $rc
	assertEquals "dive (divebox) " "$(echo "$out" | sed 's/[0-9.]*, protocol [0-9]*$//')"
	assertEquals "one line" 1 "$(echo "$out" | wc -l)"
	assertEquals "" "$(cat "$W/err")"
	# also after other options, before the socket
	dive -t --version >/dev/null
	assertEquals "-t --version" 0 $?
	out=$(justexec --help 2>"$W/err"); rc=$?
	assertEquals "justexec --help" 0 $rc
	assertContains "$out" "Usage: justexec"
	assertEquals "" "$(cat "$W/err")"
	justexec --version >/dev/null
	assertEquals "justexec --version" 0 $?
}

test_unknown_option_is_4_and_named() {
	for a in -x --frobnicate -tT --pty=1; do
		out=$(dive "$a" "$S" id 2>&1); rc=$?
		assertEquals "$a" 4 $rc
		assertEquals "dive: unknown option '$a' (try --help)" "$out"
	done
	out=$(dive -t 2>&1); rc=$?
	assertEquals 4 $rc
	assertEquals "dive: no SOCKET given (try --help)" "$out"
	out=$(dive -- 2>&1); rc=$?
	assertEquals 4 $rc
}

test_double_dash_and_options_after_socket() {
	start_dived "$W/-s" || return
	# a socket whose name starts with '-'
	assertEquals ok "$(cd "$W" && dive -- -s echo ok)"
	# after SOCKET everything is the program's
	assertEquals "-t -x --help" "$(dive "$W/-s" echo -t -x --help)"
	assertEquals "-- a" "$(dive -- "$W/-s" echo -- a)"
}

test_help_within_80_columns() {
	for a in dive dived justexec; do
		"$a" --help >"$W/help" 2>&1
		assertTrue "$a --help is empty" "[ -s $W/help ]"
		long=$(awk 'length > 80' "$W/help")
		assertEquals "$a --help lines over 80 columns" "" "$long"
	done
	"$DIVEBOX" --help >"$W/help" 2>&1
	assertEquals "divebox --help" "" "$(awk 'length > 80' "$W/help")"
}

# justexec is not a server: there is no client to speak of
test_justexec_help_has_no_client() {
	assertEquals "" "$(justexec --help | grep -i client)"
}

# -T keeps the classic mode whatever DIVE_PTY says, -t forces a pty
# (stdin a pipe here: pty mode echoes and adds \r)
test_T_and_t_override_DIVE_PTY() {
	need_feature CONFIG_FEATURE_PTY || return 0
	start_dived "$S" || return
	out=$(echo hi | DIVE_PTY=1 timeout 10 dive -T "$S" cat)
	assertEquals "-T: classic" hi "$out"
	out=$(echo hi | DIVE_PTY=0 timeout 10 dive -t "$S" cat)
	assertEquals "-t: pty" "$(printf 'hi\r\nhi\r')" "$out"
	out=$(echo hi | timeout 10 dive -t -T "$S" cat)
	assertEquals "the last one wins" hi "$out"
	out=$(DIVE_PTY=2 dive "$S" true 2>&1); rc=$?
	assertEquals 12 $rc
	assertContains "$out" "DIVE_PTY=2"
}

# ---- messages -----------------------------------------------------------------

# peek_dived.py says "ready" once it listens (the socket file is there
# a moment earlier, after bind); the caller removed the old $W/peek.out
peek_ready() {
	wait_until 10 grep -qx ready "$W/peek.out" && return 0
	fail "peek_dived did not start: $(cat "$W/peek.out")"
	return 1
}

test_not_a_socket() {
	: >"$W/file"
	out=$(dive "$W/file" true 2>&1); rc=$?
	assertEquals 2 $rc
	assertEquals "dive: connect $W/file: not a socket" "$out"
	out=$(dive "$W" true 2>&1); rc=$?
	assertEquals "a directory" 2 $rc
	assertEquals "dive: connect $W: not a socket" "$out"
}

# dive 1.x's dived speaks first: a host-endian long 1100
test_upstream_dived_is_named() {
	for how in wait close; do
		rm -f "$S" "$W/peek.out"
		python3 "$PEEK" "$S" upstream $how >"$W/peek.out" 2>&1 &
		track_pid $!
		peek_ready || return
		out=$(timeout -s KILL 20 dive "$S" true 2>&1); rc=$?
		assertEquals "$how: status" 3 $rc
		assertEquals "$how" "dive: the server is an upstream dive 1.x dived (protocol 1100), not divebox's" "$out"
	done
}

test_capability_messages_use_names() {
	need_feature CONFIG_FEATURE_CAPS || return 0
	out=$(justexec -B cap_foo true 2>&1); rc=$?
	assertEquals 4 $rc
	assertEquals "said once" "justexec: -B: unknown capability 'cap_foo'" "$out"
	out=$(justexec -m net_raw,Cap_Foo true 2>&1)
	assertEquals "justexec: -m: unknown capability 'Cap_Foo' in 'net_raw,Cap_Foo'" "$out"
	# split_list: empty items fail closed, the list said once
	for l in net_raw,,chown , net_raw,; do
		out=$(justexec -b "$l" true 2>&1); rc=$?
		assertEquals "$l" 4 $rc
		assertEquals "justexec: -b: empty item in list '$l'" "$out"
	done
	# a capability the program cannot get is named, not numbered
	out=$(justexec -m net_raw true 2>&1); rc=$?
	assertEquals 127 $rc
	assertContains "$out" "raise cap_net_raw in the ambient set"
	assertNotContains "$out" "capability 13"
}

test_bounding_set_messages_and_empty_list() {
	need_root || return 0
	need_feature CONFIG_FEATURE_CAPS || return 0
	# '' still means "drop them all"
	assertEquals "0000000000000000" \
		"$(justexec -B '' sh -c 'sed -n "s/^CapBnd:\t//p" /proc/self/status')"
	# without CAP_SETPCAP nothing can be dropped: the first one is named
	out=$(setpriv --reuid=nobody --regid=nogroup --clear-groups \
		"$BIN/justexec" -B chown true 2>&1); rc=$?
	assertEquals 127 $rc
	assertContains "$out" "justexec: drop cap_"
	assertContains "$out" " from the bounding set: Operation not permitted"
}

# ---- the directories dive sends ------------------------------------------------

# usage: peek [JAIL SECRET] — a peek_dived.py on $S; dive's request is
# then run by the caller, and what the server saw is in $W/peek.out
start_peek() {
	rm -f "$S" "$W/peek.out"
	python3 "$PEEK" "$S" peek "$@" >"$W/peek.out" 2>&1 &
	track_pid $!
	peek_ready
}

# dive in a container without /proc (the client-only build's use): it
# cannot list /proc/self/fd, yet hands over the same fds, those above
# 0-2 included, by trying each number below its limit.
test_fds_handed_over_without_proc() {
	need_root || return 0
	start_dived "$S" || return
	echo five >"$W/f5"
	prog='cat <&5; cat <&9; ls /proc/self/fd | sort -n | tr "\n" " "'
	# (stdout only: a sanitizer build warns on stderr without /proc)
	with=$(dive "$S" sh -c "$prog" 5<"$W/f5" 9<"$W/f5")
	without=$(unshare -m sh -c 'mount -t tmpfs none /proc && [ ! -e /proc/self ] &&
		exec "$@"' _ dive "$S" sh -c "$prog" 5<"$W/f5" 9<"$W/f5")
	assertEquals "both read" "five five" "$(echo $(echo "$with" | head -2))"
	assertContains "$with" " 5 "
	assertContains "$with" " 9 "
	assertEquals "the same fds without /proc" "$with" "$without"
}

test_root_directory_only_with_DIVE_ROOTDIR() {
	mkdir "$W/cwd"
	start_peek || return
	out=$(cd "$W/cwd" && dive "$S" true 2>&1); rc=$?
	assertEquals 127 $rc
	assertEquals "dive: inspected" "$out"
	assertContains "$(cat "$W/peek.out")" "flags cwd=1 root=0"
	assertTrue "the cwd is sent" "grep -qx 'fd [0-9]* -> $W/cwd' $W/peek.out"
	assertFalse "an fd of / is sent" "grep -qx 'fd [0-9]* -> /' $W/peek.out"
	start_peek || return
	(cd "$W/cwd" && DIVE_ROOTDIR=/ dive "$S" true 2>/dev/null)
	assertContains "$(cat "$W/peek.out")" "flags cwd=1 root=1"
	assertTrue "asked for: / is sent" "grep -qx 'fd [0-9]* -> /' $W/peek.out"
	start_peek || return
	(cd "$W/cwd" && DIVE_CURDIR= dive "$S" true 2>/dev/null)
	assertContains "$(cat "$W/peek.out")" "flags cwd=0 root=0"
	assertNotContains "no directory at all" "$(cat "$W/peek.out")" "fd "
	# an empty DIVE_ROOTDIR is "none" as well
	start_peek || return
	(cd "$W/cwd" && DIVE_ROOTDIR= dive "$S" true 2>/dev/null)
	assertContains "$(cat "$W/peek.out")" "flags cwd=1 root=0"
}

# The attack: a dived confined to a jail (chroot, as nobody — a dived in
# a compromised container) reads a file outside it through the directory
# fds a root dive sends. Before: dive always sent its root directory.
test_confined_dived_cannot_reach_out() {
	need_root || return 0
	mkdir -p "$W/jail" "$W/cwd"
	chmod 755 "$W"
	echo host-secret >"$W/secret"
	chmod 644 "$W/secret"
	start_peek "$W/jail" "$W/secret" || return
	(cd "$W/cwd" && dive "$S" true 2>/dev/null)
	assertContains "$(cat "$W/peek.out")" "flags cwd=1 root=0"
	assertContains "not through the cwd as a root" "$(cat "$W/peek.out")" "read: nothing"
	start_peek "$W/jail" "$W/secret" || return
	(cd "$W/cwd" && DIVE_CURDIR= dive "$S" true 2>/dev/null)
	assertContains "$(cat "$W/peek.out")" "flags cwd=0 root=0"
	assertContains "$(cat "$W/peek.out")" "read: nothing"
	# the same server given a root directory does read it: the probe works
	start_peek "$W/jail" "$W/secret" || return
	(cd "$W/cwd" && DIVE_ROOTDIR=/ dive "$S" true 2>/dev/null)
	assertContains "$(cat "$W/peek.out")" "read: host-secret"
}

test_client_chroot_needs_DIVE_ROOTDIR() {
	need_root || return 0
	need_feature CONFIG_FEATURE_CHROOT || return 0
	start_dived "$S" -r || return
	out=$(dive "$S" true 2>&1); rc=$?
	assertEquals 127 $rc
	assertContains "$out" "dive: refused: client sent no root directory"
	assertEquals ok "$(DIVE_ROOTDIR=/ dive "$S" echo ok)"
}

# ---- the automatic pty (tmux) -------------------------------------------------

. "$TOP/testsuite/tools/tmux.sh"

per_test_setup() { rm -f "$T/sids"; }

test_teardown() {
	release_fifos
	tmux_teardown
}

# The remote shell records its session for the teardown.
remote_sh() {
	printf '#!/bin/sh\necho $$ >>%s/sids\nPS1="in$ " exec sh -i\n' "$T" >"$T/inner.sh"
	chmod +x "$T/inner.sh"
}

# The complaint of issue 14: after `dive SOCK sh` the outer shell had lost
# its terminal (taken by dived's TIOCSCTTY): `ps -o tty= $$` said "?" and
# Ctrl+C no longer stopped a sleep there.
test_auto_pty_leaves_the_outer_terminal_alone() {
	start_tmux || return 0
	remote_sh
	type_line "dive $S $T/inner.sh; echo rc-\$?"
	wait_for 'in$' || return 0
	type_line 'echo "inner-$(tty)"'
	wait_for "inner-/dev/pts/" || return 0
	assertFalse "the pane's tty, not a fresh pty" "pane | grep -qxF 'inner-$PANE_TTY'"
	type_line 'exit 3'
	wait_for "rc-3" || return 0
	# (the typed line shows "T$((1+1))", the output "T2-")
	type_line 'echo "T$((1+1))-$(ps -o tty= $$ | tr -d " ")"'
	wait_for "T2-" || return 0
	assertTrue "outer shell lost its terminal: $(pane | grep T2-)" \
		"pane | grep -qxF 'T2-${PANE_TTY#/dev/}'"
	# Ctrl+C still stops a foreground sleep in the outer shell
	type_line 'sleep 100'
	wait_ps "$(tm display -p '#{pane_pid}')" '^S\+ +sleep$' || return 0
	tm send-keys -t main C-c
	type_line 'echo "outer-$?"'
	wait_for "outer-130"
}

test_auto_pty_program_sees_its_own_pty() {
	start_tmux || return 0
	type_line "dive $S tty; echo rc-\$?"
	wait_for "rc-0" || return 0
	assertTrue "no pty name: $(pane)" "pane | grep -qx '/dev/pts/[0-9]*'"
	assertFalse "the pane's tty" "pane | grep -qxF '$PANE_TTY'"
}

# DIVE_PTY=0 and -T: the classic mode, the program gets the pane's tty
test_classic_mode_on_request() {
	start_tmux || return 0
	type_line "DIVE_PTY=0 dive $S sh -c 'echo \"A-\$(tty)\"'"
	wait_for "A-/dev/" || return 0
	assertTrue "DIVE_PTY=0: $(pane)" "pane | grep -qxF 'A-$PANE_TTY'"
	type_line "dive -T $S sh -c 'echo \"B-\$(tty)\"'"
	wait_for "B-/dev/" || return 0
	assertTrue "-T: $(pane)" "pane | grep -qxF 'B-$PANE_TTY'"
}

# dived --no-pty (or -T): the automatic mode falls back, silently
test_auto_pty_falls_back_where_refused() {
	start_tmux --no-pty || return 0
	type_line "dive $S sh -c 'echo \"C-\$(tty)\"'; echo rc-\$?"
	wait_for "rc-0" || return 0
	assertTrue "classic terminal: $(pane)" "pane | grep -qxF 'C-$PANE_TTY'"
	assertNotContains "$(pane)" "refused"
	# forced, it is still refused
	type_line "dive -t $S true; echo rc2-\$?"
	wait_for "rc2-127" || return 0
	assertContains "$(pane)" "dive: refused: pty mode is not allowed by this dived"
}

# stdout to a file: no pty, no \r\n in the file, stdin still the terminal
test_output_to_a_file_never_through_a_pty() {
	start_tmux || return 0
	type_line "dive $S sh -c 'echo one; tty' >$W/out; echo rc-\$?"
	wait_for "rc-0" || return 0
	assertEquals "$(printf 'one\n%s' "$PANE_TTY")" "$(cat "$W/out")"
	assertEquals "no \\r in the file" 0 "$(tr -cd '\r' <"$W/out" | wc -c)"
}

. shunit2
