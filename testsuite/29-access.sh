#!/bin/bash
# --allow-group on a kernel without SO_PEERGROUPS (Linux < 4.13, SPEC §7):
# dived then reads the client's groups from /proc/PID/status and, where
# it cannot, admits no one by group (fails closed). Such a kernel is
# emulated by tools/nopeergroups.py: a seccomp filter that makes
# getsockopt(SO_PEERGROUPS) fail with ENOPROTOOPT for dived and its
# handlers. (40-hostile tests the lists with SO_PEERGROUPS.)
. "$TOP/testsuite/lib.sh"

S=$T/sock
NOPG="python3 $TOP/testsuite/tools/nopeergroups.py"
REFUSED="dive: refused: uid 65534 (nobody) is not allowed by --allow-user/--allow-group"

pre() { need_root && need_feature CONFIG_FEATURE_ACCESS; }

# usage: old_kernel_dived DIVED OPTIONS... — dived on $S as on a kernel
# without SO_PEERGROUPS; returns 1 and skips if that cannot be emulated.
old_kernel_dived() {
	rm -f "$S"
	$NOPG "$BIN/dived" "$S" -C 777 "$@" 2>>"$T/dived.log" &
	DIVED_PID=$!
	track_pid $DIVED_PID
	while [ ! -S "$S" ]; do
		kill -0 $DIVED_PID 2>/dev/null && { sleep 0.02; continue; }
		wait $DIVED_PID
		[ $? = 77 ] && { skip_test "no seccomp filter to hide SO_PEERGROUPS"; return 1; }
		fail "dived did not start: $(cat "$T/dived.log")"
		return 1
	done
}

# usage: client GROUP_OPTIONS... -- PROGRAM... — dive as nobody with
# setpriv's group options (e.g. --regid=nogroup --groups 7,4242)
client() {
	__o=
	while [ "$1" != -- ]; do __o="$__o $1"; shift; done
	shift
	setpriv --reuid=nobody $__o dive "$S" "$@"
}

test_no_peergroups_supplementary_group_from_proc() {
	pre || return 0
	old_kernel_dived --allow-group 4242,daemon || return 0
	assertEquals "a listed supplementary group (the last one)" 65534 \
		"$(client --regid=nogroup --groups 7,4242 -- id -u 2>&1)"
	assertEquals "a listed group among several, by name" 65534 \
		"$(client --regid=nogroup --groups 7,daemon,8 -- id -u 2>&1)"
	assertEquals "a listed primary group" 65534 \
		"$(client --regid=4242 --clear-groups -- id -u 2>&1)"
	out=$(client --regid=nogroup --groups 7,8,9 -- id -u 2>&1); rc=$?
	assertEquals "groups none of which is listed: $out" 127 $rc
	assertEquals "$REFUSED" "$out"
	out=$(client --regid=nogroup --clear-groups -- id -u 2>&1); rc=$?
	assertEquals "no supplementary group at all: $out" 127 $rc
	assertEquals "$REFUSED" "$out"
	assertTrue "dived still serves" "kill -0 $DIVED_PID"
}

test_no_peergroups_allowed_user_needs_no_group() {
	pre || return 0
	old_kernel_dived --allow-group 4242 --allow-user nobody || return 0
	assertEquals 65534 "$(client --regid=nogroup --clear-groups -- id -u 2>&1)"
	out=$(setpriv --reuid=bin --regid=bin --groups 7 dive "$S" id -u 2>&1); rc=$?
	assertEquals "$out" 127 $rc
	assertEquals "dive: refused: uid 2 (bin) is not allowed by --allow-user/--allow-group" "$out"
}

# The groups that admit are the same on both kernels: SO_PEERCRED's gid
# (the effective one) and the supplementary groups. A real gid that is
# listed, while the effective one is not, admits on neither (/proc's
# "Gid:" line holds the real one first: it is not read).
real_gid_client() {
	python3 -c 'import os, sys
os.setgroups([]); os.setresgid(4242, 65534, 65534); os.setresuid(65534, 65534, 65534)
os.execvp(sys.argv[1], sys.argv[1:])' dive "$S" id -u 2>&1
}

test_no_peergroups_real_gid_alone_does_not_admit() {
	pre || return 0
	start_dived "$S" -C 777 --allow-group 4242 || return
	out=$(real_gid_client); rc=$?
	assertEquals "with SO_PEERGROUPS: $out" 127 $rc
	assertEquals "$REFUSED" "$out"
	kill $DIVED_PID; wait $DIVED_PID 2>/dev/null
	old_kernel_dived --allow-group 4242 || return 0
	out=$(real_gid_client); rc=$?
	assertEquals "without SO_PEERGROUPS: $out" 127 $rc
	assertEquals "$REFUSED" "$out"
}

# With -s pid dived serves from a new pid namespace: SO_PEERCRED gives
# it pid 0 for a client outside, there is no /proc/PID/status to read,
# and a supplementary group cannot be told: refused. The primary group
# comes with SO_PEERCRED and still admits.
test_no_peergroups_fails_closed_without_the_clients_status() {
	pre || return 0
	need_feature CONFIG_FEATURE_NAMESPACES || return 0
	old_kernel_dived --allow-group 4242 -s pid || return 0
	out=$(client --regid=nogroup --groups 7,4242 -- id -u 2>&1); rc=$?
	assertEquals "supplementary group, unreadable: $out" 127 $rc
	assertEquals "$REFUSED" "$out"
	assertEquals "primary group" "65534 4242" \
		"$(client --regid=4242 --clear-groups -- sh -c 'echo $(id -u) $(id -g)' 2>&1)"
}

. shunit2
