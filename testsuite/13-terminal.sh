#!/bin/bash
# The controlling terminal (SPEC §2 DIVE_TERMINAL, §3 steps 6, -S, -T):
# dive runs in a real pty made by script(1); the program reports its tty
# and its controlling tty (ps -o tty=, "?" for none).
. "$TOP/testsuite/lib.sh"
. "$TOP/testsuite/tools/dive-helpers.sh"

# usage: in_pty 'SHELL COMMAND' — run it on a fresh pty, print its output
in_pty() {
	SHELL=/bin/sh timeout 20 script -qfec "$1" /dev/null </dev/null |
		tr -d '\r'
}

# report.sh, the program: fd 0's terminal, the controlling terminal
# ("?" if none), whether it is the terminal's foreground process group
# (job control works), its session
write_report() {
	cat >"$W/report.sh" <<-'EOF'
	echo "tty=$(tty)"
	echo "ctty=$(ps -o tty= $$ | tr -d ' ')"
	set -- $(ps -o tpgid=,pgid=,sid= $$)
	[ "$1" = "$2" ] && echo fg=yes || echo fg=no
	echo "sid=$3"
	EOF
}

# usage: report [ENV=V...] [-- REDIRECTIONS] — dive $S sh report.sh in a
# pty, in the classic terminal mode (DIVE_PTY=0: fds 0-2 are one terminal
# there, which would otherwise give the program a pty of its own)
report() {
	__env=DIVE_PTY=0 __redir=
	while [ $# -gt 0 ] && [ "$1" != -- ]; do __env="$__env $1"; shift; done
	[ "$1" = -- ] && shift && __redir=$*
	write_report
	in_pty "$__env dive $S sh $W/report.sh $__redir"
}

test_terminal_becomes_controlling() {
	# taking a terminal that leads another session needs CAP_SYS_ADMIN
	need_root || return 0
	need_cmd script || return 0
	start_dived "$S" || return
	out=$(report)
	assertContains "$out" "tty=/dev/pts/"
	tty=$(echo "$out" | sed -n 's|^tty=/dev/||p')
	assertContains "$out" "ctty=$tty"
	assertContains "$out" "fg=yes"
}

test_no_csctty_option() {
	need_cmd script || return 0
	start_dived "$S" -T || return
	out=$(report)
	assertContains "fd 0 is still the terminal" "$out" "tty=/dev/pts/"
	assertContains "no controlling tty" "$out" "ctty=?"
}

test_no_setsid_option() {
	need_cmd script || return 0
	start_dived "$S" -S || return
	# still in dived's session, which has no terminal
	out=$(report)
	assertContains "$out" "ctty=?"
	assertContains "$out" "sid=$(ps -o sid= $DIVED_PID | tr -d ' ')"
}

test_no_terminal_sent() {
	need_cmd script || return 0
	start_dived "$S" || return
	for t in "" "@-1"; do
		out=$(report "DIVE_TERMINAL='$t'")
		assertContains "DIVE_TERMINAL='$t'" "$out" "tty=/dev/pts/"
		assertContains "DIVE_TERMINAL='$t'" "$out" "ctty=?"
	done
	# stdin not a terminal, default @0: nothing to make controlling
	out=$(report -- "</dev/null")
	assertContains "stdin /dev/null" "$out" "ctty=?"
}

test_terminal_by_fd_number() {
	# taking a terminal that leads another session needs CAP_SYS_ADMIN
	need_root || return 0
	need_cmd script || return 0
	start_dived "$S" || return
	out=$(report DIVE_TERMINAL=@5 -- "5<&0 </dev/null")
	assertContains "$out" "tty=not a tty"
	assertContains "$out" "ctty=pts/"
}

test_terminal_by_path() {
	# taking a terminal that leads another session needs CAP_SYS_ADMIN
	need_root || return 0
	need_cmd script || return 0
	start_dived "$S" || return
	write_report
	out=$(in_pty "t=\$(tty); echo named=\${t#/dev/}; DIVE_TERMINAL=\$t dive $S sh $W/report.sh </dev/null")
	tty=$(echo "$out" | sed -n 's|^named=||p')
	assertContains "$tty" pts/
	assertContains "the named terminal" "$out" "ctty=$tty"
}

test_terminal_path_that_is_no_terminal() {
	out=$(DIVE_TERMINAL=/dev/null dive "$W/no-socket" true 2>&1); rc=$?
	assertEquals 12 $rc
	assertEquals "dive: DIVE_TERMINAL=/dev/null: not a terminal" "$out"
}

. shunit2
