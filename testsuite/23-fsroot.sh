#!/bin/bash
# -R (chroot), -h (chdir) and -V (pivot_root) on a minimal busybox root.
# Everything that mounts runs inside "unshare -m": no mount survives.
. "$TOP/testsuite/lib.sh"

# $T/root: busybox with a few applets, a copy of divebox, marker files.
suite_setup() {
	BUSYBOX=$(command -v busybox 2>/dev/null)
	[ -n "$BUSYBOX" ] && file -L "$BUSYBOX" | grep -q 'statically linked' ||
		BUSYBOX=
	[ -n "$BUSYBOX" ] || return 0
	mkdir -p "$T/root/bin" "$T/root/data" "$T/root/old" "$T/root/only-in-root"
	cp "$BUSYBOX" "$T/root/bin/busybox"
	for a in sh cat pwd ls echo; do ln -s busybox "$T/root/bin/$a"; done
	cp "$DIVEBOX" "$T/root/bin/divebox"
	ln -s divebox "$T/root/bin/justexec"
	echo new-root >"$T/root/marker"
	echo data-file >"$T/root/data/f"
	echo old-root >"$T/hostmarker"
}

# usage: pre FEATURE || return 0
pre() {
	need_feature "$1" || return 1
	need_root || return 1
	[ -n "$BUSYBOX" ] && return 0
	skip_test "needs a static busybox (busybox-static)"
	return 1
}

test_chroot_relative_dir() {
	pre CONFIG_FEATURE_CHROOT || return 0
	out=$(cd "$T" && justexec -R root /bin/sh -c 'pwd; cat /marker')
	assertEquals "/ new-root" "$(echo $out)"
	assertEquals "new-root" "$(cd "$T/root" && justexec --chroot . cat /marker)"
}

test_chroot_chdir_resolved_before_the_chroot() {
	pre CONFIG_FEATURE_CHROOT || return 0
	# -h names the directory as seen before the chroot...
	out=$(cd "$T" && justexec -R root -h root/data /bin/sh -c 'pwd; cat f')
	assertEquals "/data data-file" "$(echo $out)"
	out=$(justexec -h "$T/root/data" -R "$T/root" /bin/sh -c 'pwd; cat f')
	assertEquals "/data data-file" "$(echo $out)"
	# ...so a path that exists only inside the new root is not found
	out=$(justexec -R "$T/root" -h /only-in-root /bin/pwd 2>&1); rc=$?
	assertEquals 127 $rc
	assertContains "$out" "chdir /only-in-root"
}

test_static_divebox_inside_the_root() {
	pre CONFIG_FEATURE_CHROOT || return 0
	file -L "$DIVEBOX" | grep -q 'statically linked' || {
		skip_test "dynamic build under test"; return 0; }
	assertEquals "/only-in-root" \
		"$(justexec -R "$T/root" /bin/justexec -h /only-in-root /bin/pwd)"
}

test_chroot_errors() {
	pre CONFIG_FEATURE_CHROOT || return 0
	out=$(justexec -R "$T/missing" true 2>&1); rc=$?
	assertEquals 127 $rc
	assertContains "$out" "chroot $T/missing"
	out=$(justexec -R "$T/root" /no/such/program 2>&1); rc=$?
	assertEquals 127 $rc
	assertContains "$out" "cannot execute /no/such/program"
}

test_pivot_root() {
	pre CONFIG_FEATURE_PIVOT_ROOT || return 0
	# NEW must be a mount point: bind it onto itself in a private namespace
	out=$(unshare -m sh -c "mount --bind '$T/root' '$T/root' &&
		justexec -V '$T/root' '$T/root/old' --keep-old-root -h /data \
			/bin/sh -c 'pwd; cat f /marker /old$T/hostmarker' &&
		grep -c ' $T/root/old ' /proc/self/mountinfo")
	# the pivot happened in justexec's own mount namespace: the calling
	# shell still has its root and no old/ mount
	assertEquals "/data data-file new-root old-root 0" "$(echo $out)"
	out=$(cd "$T" && unshare -m sh -c "mount --bind root root &&
		justexec --pivot-root root root/old /bin/ls /")
	assertEquals "bin data marker old only-in-root" "$(echo $out)"
}

test_pivot_root_detaches_the_old_root() {
	pre CONFIG_FEATURE_PIVOT_ROOT || return 0
	# the attack: -V NEW OLD left the host's whole tree at OLD
	out=$(unshare -m sh -c "mount --bind '$T/root' '$T/root' &&
		justexec -V '$T/root' '$T/root/old' /bin/sh -c \
			'cat /old$T/hostmarker; echo [; ls -A /old; echo ]'" 2>&1)
	assertNotContains "$out" "old-root"
	assertContains "OLD is an empty directory now" "$(echo $out)" "[ ]"
	# relative NEW and OLD too
	out=$(cd "$T" && unshare -m sh -c "mount --bind root root &&
		justexec -V root root/old /bin/ls -A /old")
	assertEquals "" "$out"
}

test_pivot_root_errors() {
	pre CONFIG_FEATURE_PIVOT_ROOT || return 0
	out=$(unshare -m justexec -V "$T/root" "$T/root/old" true 2>&1); rc=$?
	assertEquals "not a mount point" 127 $rc
	assertContains "$out" "pivot_root $T/root $T/root/old"
	out=$(justexec -R "$T/root" -V "$T/root" "$T/root/old" true 2>&1); rc=$?
	assertEquals 4 $rc
	assertContains "$out" "incompatible"
}

# ---- a new root that is a bind of the host's "/" -------------------------
# $T/hr gets the whole host tree (mount --rbind / inside "unshare -m"), so
# the host's programs run in there and a path names the same file inside
# and outside; yet a directory reached through the old root is outside.

# usage: pre_hostroot FEATURE || return 0
pre_hostroot() {
	need_feature "$1" || return 1
	need_root || return 1
	mkdir -p "$T/hr" "$T/pold" "$T/hdata"
	echo host-data >"$T/hdata/f"
}

# usage: in_hostroot SHELL_COMMAND — run it in a mount namespace of its
# own with the host's tree bound at $T/hr
in_hostroot() {
	unshare -m sh -c "mount --rbind / '$T/hr' && $1"
}

test_chroot_without_chdir_enters_the_new_root() {
	pre_hostroot CONFIG_FEATURE_CHROOT || return 0
	# the cwd ($T) lies outside the new root: it becomes the new "/"
	out=$(cd "$T" && in_hostroot "justexec -R '$T/hr' /bin/sh -c 'pwd; cat hdata/f || echo not-there'" 2>/dev/null)
	assertEquals "/ not-there" "$(echo $out)"
	out=$(cd "$T" && in_hostroot "justexec -R hr -h hr$T/hdata /bin/sh -c 'pwd; cat f'" 2>&1)
	assertEquals "-h inside the new root" "$T/hdata host-data" "$(echo $out)"
}

test_chroot_chdir_outside_the_new_root_refused() {
	pre_hostroot CONFIG_FEATURE_CHROOT || return 0
	# $T/hdata is reachable from the old root only: the program would sit
	# in a directory its "/" does not contain
	out=$(in_hostroot "justexec -R '$T/hr' -h '$T/hdata' /bin/cat f" 2>&1); rc=$?
	assertEquals 127 $rc
	assertEquals "justexec: chdir $T/hdata: outside the new root (-R); --allow-outside-cwd permits it" "$out"
	out=$(in_hostroot "justexec -R '$T/hr' -h '$T/hdata' --allow-outside-cwd /bin/cat f" 2>&1); rc=$?
	assertEquals "--allow-outside-cwd: $out" 0 $rc
	assertEquals "host-data" "$out"
}

test_pivot_root_into_the_host_tree_detaches_the_old_root() {
	pre_hostroot CONFIG_FEATURE_PIVOT_ROOT || return 0
	# OLD ($T/hr$T/pold) is $T/pold after the pivot: empty, no mount there
	out=$(in_hostroot "justexec -V '$T/hr' '$T/hr$T/pold' -h '$T/hdata' /bin/sh -c \
		'pwd; cat f; echo [; ls -A $T/pold; echo ]; grep -c \" $T/pold \" /proc/self/mountinfo'" 2>&1)
	assertEquals "$T/hdata host-data [ ] 0" "$(echo $out)"
	# relative NEW and OLD, no -h: the cwd is the new "/"
	out=$(cd "$T" && in_hostroot "justexec -V hr hr$T/pold /bin/sh -c 'pwd; ls -A $T/pold'" 2>&1)
	assertEquals "/" "$out"
}

# -V NEW NEW (as "pivot_root . ."): the old root lies on top of the new
# one at "/", and is detached from there unless --keep-old-root.
test_pivot_root_onto_itself() {
	pre_hostroot CONFIG_FEATURE_PIVOT_ROOT || return 0
	# mounts at "/" (field 5 of mountinfo)
	printf '%s\n' 'cat "$1"; cut -d" " -f5 /proc/self/mountinfo | grep -cx /' >"$T/count.sh"
	out=$(in_hostroot "justexec -V '$T/hr' '$T/hr' /bin/sh '$T/count.sh' '$T/hdata/f'" 2>&1)
	assertEquals "one mount at / left" "host-data 1" "$(echo $out)"
	out=$(in_hostroot "justexec -V '$T/hr' '$T/hr' --keep-old-root /bin/sh '$T/count.sh' '$T/hdata/f'" 2>&1)
	assertEquals "--keep-old-root: both" "host-data 2" "$(echo $out)"
}

# usage: hostroot_dived DIVED OPTIONS... — dived on $T/hr.sock in a mount
# namespace with the host's tree at $T/hr (the socket stays reachable:
# it is on the host's filesystem); pid in $DIVED_PID
hostroot_dived() {
	S=$T/hr.sock
	rm -f "$S"
	unshare -m sh -c 'mount --rbind / "$1" && shift && exec "$@"' _ "$T/hr" \
		"$BIN/dived" "$S" "$@" >>"$T/dived.log" 2>&1 &
	DIVED_PID=$!
	track_pid $DIVED_PID
	wait_socket "$S" || { fail "dived did not start: $(cat "$T/dived.log")"; return 1; }
}

OUTSIDE="is outside the program's root (-R/-V): use dived -H or DIVE_CURDIR=, or let dived --allow-outside-cwd"

# $T/hdata names a directory inside $T/hr too, but the client's cwd fd
# is the one reached through the old root: outside, whatever its name.
test_dived_chroot_client_cwd_outside_the_root_refused() {
	pre_hostroot CONFIG_FEATURE_CHROOT || return 0
	hostroot_dived -R "$T/hr" || return
	out=$(cd "$T/hdata" && dive "$S" /bin/cat f 2>&1); rc=$?
	assertEquals 127 $rc
	assertEquals "dive: refused: your current directory $OUTSIDE" "$out"
	assertEquals "DIVE_CURDIR= starts at its /" / "$(cd "$T/hdata" && DIVE_CURDIR= dive "$S" /bin/pwd)"
	# a cwd inside dived's root (from inside its mount namespace) is fine
	assertEquals "$T/hdata" \
		"$(nsenter -t $DIVED_PID -m sh -c "cd '$T/hr$T/hdata' && dive '$S' /bin/pwd" 2>&1)"
	kill $DIVED_PID; wait $DIVED_PID 2>/dev/null
	hostroot_dived -R "$T/hr" --allow-outside-cwd || return
	assertEquals "--allow-outside-cwd" host-data "$(cd "$T/hdata" && dive "$S" /bin/cat f 2>&1)"
}

test_dived_chroot_with_client_root() {
	pre_hostroot CONFIG_FEATURE_CHROOT || return 0
	hostroot_dived -R "$T/hr" -r -H || return
	# our "/" is not inside dived's root (that is a bind in its namespace)
	out=$(DIVE_ROOTDIR=/ dive "$S" /bin/true 2>&1); rc=$?
	assertEquals 127 $rc
	assertEquals "dive: refused: the client's root directory $OUTSIDE" "$out"
	# one from inside dived's mount namespace is
	out=$(nsenter -t $DIVED_PID -m env DIVE_ROOTDIR="$T/hr" \
		dive "$S" /bin/sh -c 'pwd; cat $0' "$T/hdata/f" 2>&1)
	assertEquals "/ host-data" "$(echo $out)"
	kill $DIVED_PID; wait $DIVED_PID 2>/dev/null
	# -W: dived's root becomes the current directory, wherever we are
	hostroot_dived -R "$T/hr" -W || return
	assertEquals "-W" / "$(cd "$T/hdata" && dive "$S" /bin/pwd 2>&1)"
}

test_pivot_root_resolving_errors() {
	pre_hostroot CONFIG_FEATURE_PIVOT_ROOT || return 0
	out=$(justexec -V "$T/missing" "$T/pold" true 2>&1); rc=$?
	assertEquals 127 $rc
	assertEquals "justexec: pivot_root: resolving $T/missing: No such file or directory" "$out"
	out=$(justexec -V "$T/hr" "$T/hr/missing" true 2>&1); rc=$?
	assertEquals 127 $rc
	assertEquals "justexec: pivot_root: resolving $T/hr/missing: No such file or directory" "$out"
	# an unprivileged user gets no mount namespace of its own
	out=$(setpriv --reuid=nobody --regid=nogroup --clear-groups \
		justexec -V "$T/hr" "$T/pold" true 2>&1); rc=$?
	assertEquals 127 $rc
	assertEquals "justexec: pivot_root: unshare mount namespace: Operation not permitted" "$out"
}

. shunit2
