#!/bin/bash
# The privilege boundary of a root dived, attacked the way a local user
# or a container would (issue 11, SPEC §8): identity from dived's side
# only, the environment of a program that runs with other privileges,
# terminals, and confinement by -R/-V. Each test performs the attack and
# asserts that it fails, and that the legitimate use still works.
. "$TOP/testsuite/lib.sh"
. "$TOP/testsuite/tools/dive-helpers.sh"

NB="setpriv --reuid=nobody --regid=nogroup --clear-groups"

suite_setup() {
	chmod 755 "$T"
	cc -o "$T/ttytool" "$TOP/testsuite/tools/ttytool.c" 2>"$T/cc.log" ||
		TTYTOOL_MISSING=1
}

per_test_setup() { chmod 777 "$W"; }

# usage: root_dived [DIVED OPTIONS...] — root dived on $S, any user may
# connect
root_dived() { start_dived "$S" -C 777 "$@"; }

need_tool() {
	[ -z "$TTYTOOL_MISSING" ] && return 0
	skip_test "cannot build testsuite/tools/ttytool.c: $(cat "$T/cc.log")"
	return 1
}

# usage: client_root DIR — a busybox root with its own passwd and group
# that try to give nobody root's groups and uid 1005 gid 0
client_root() {
	busybox_rootfs "$1" || return 1
	ln -s busybox "$1/bin/id"
	mkdir -p "$1/etc"
	printf 'nobody:x:65534:65534::/:/bin/sh\nevil:x:1005:0::/:/bin/sh\n' >"$1/etc/passwd"
	printf 'root:x:0:nobody\ndisk:x:6:nobody\nnogroup:x:65534:\n' >"$1/etc/group"
}

# ---- identity comes from dived's side ---------------------------------

test_client_root_cannot_grant_groups() {
	need_root || return 0
	need_feature CONFIG_FEATURE_CHROOT || return 0
	client_root "$W/croot" || { skip_test "needs busybox-static"; return 0; }
	root_dived -r || return
	out=$(DIVE_ROOTDIR=$W/croot $NB dive "$S" /bin/id -G 2>&1)
	assertEquals "nobody's groups are the host's, not the client root's" \
		"$(id -G nobody)" "$out"
}

test_client_root_cannot_choose_the_gid() {
	need_root || return 0
	need_feature CONFIG_FEATURE_CHROOT || return 0
	getent passwd 1005 >/dev/null && { skip_test "uid 1005 exists here"; return 0; }
	client_root "$W/croot" || { skip_test "needs busybox-static"; return 0; }
	root_dived -r -u 1005 || return
	out=$(DIVE_ROOTDIR=$W/croot $NB dive "$S" /bin/id 2>&1); rc=$?
	assertEquals "refused: uid 1005 has no passwd entry on dived's side" 127 $rc
	assertContains "$out" "uid 1005: no passwd entry"
	assertNotContains "$out" "gid=0"
}

test_fifo_in_client_root_does_not_hang_the_handler() {
	need_root || return 0
	need_feature CONFIG_FEATURE_CHROOT || return 0
	client_root "$W/croot" || { skip_test "needs busybox-static"; return 0; }
	rm -f "$W/croot/etc/group" && mkfifo "$W/croot/etc/group"
	root_dived -r --timeout 2 || return
	# timeout is only a safety net: the program must simply run
	out=$(DIVE_ROOTDIR=$W/croot timeout 30 $NB dive "$S" /bin/echo ran 2>&1); rc=$?
	assertEquals 0 $rc
	assertEquals ran "$out"
}

test_container_mount_namespace_cannot_grant_groups() {
	need_root || return 0
	need_feature CONFIG_FEATURE_NAMESPACES || return 0
	{ cat /etc/group; echo "dbxroot:x:0:nobody"; echo "dbxdisk:x:6:nobody"; } >"$W/group"
	sed -i 's/^root:x:0:.*/root:x:0:nobody/' "$W/group"
	unshare -m sh -c 'mount --bind "$1" /etc/group && exec sleep 600' _ "$W/group" &
	ct=$!
	track_pid $ct
	wait_until 5 grep -q ' /etc/group ' "/proc/$ct/mountinfo" || { fail "no container"; return; }
	root_dived -N "/proc/$ct/ns/mnt" || return
	# the program runs in the container's view (its /etc/group) ...
	assertContains "$($NB dive "$S" cat /etc/group)" "root:x:0:nobody"
	# ... but its groups came from dived's
	assertEquals "$(id -G nobody)" "$($NB dive "$S" id -G)"
}

test_refused_client_causes_no_per_client_work() {
	need_root || return 0
	need_feature CONFIG_FEATURE_ACCESS || return 0
	need_feature CONFIG_FEATURE_NAMESPACES || return 0
	root_dived --allow-user root -t "$W/written" text || return
	out=$($NB dive "$S" true 2>&1); rc=$?
	assertEquals 127 $rc
	assertContains "$out" "not allowed"
	assertFalse "-t ran for a refused client" "[ -e '$W/written' ]"
	dive "$S" true
	assertEquals text "$(cat "$W/written")"
}

# ---- the environment of a program with other privileges ----------------

test_ld_preload_does_not_reach_another_user() {
	need_root || return 0
	need_cmd gcc || return 0
	printf '%s\n' '#include <stdio.h>' \
		'__attribute__((constructor)) static void pwn(void)' \
		'{ FILE *f = fopen(PWNED, "w"); if (f) fputs("pwned\n", f); }' >"$W/evil.c"
	gcc -shared -fPIC -DPWNED="\"$W/pwned\"" -o "$W/evil.so" "$W/evil.c" || return
	chmod 755 "$W/evil.so"
	root_dived -u nobody || return
	out=$(LD_PRELOAD=$W/evil.so dive "$S" /usr/bin/id -un 2>&1)
	assertEquals nobody "$out"
	assertFalse "the client's LD_PRELOAD ran as nobody" "[ -e '$W/pwned' ]"
}

test_secure_environment_for_another_user() {
	need_root || return 0
	root_dived -u nobody || return
	out=$(env -i FOO=bar LD_LIBRARY_PATH=/evil GCONV_PATH=/evil MALLOC_CHECK_=3 \
		TMPDIR=/evil BASH_ENV=/evil HOME=/root USER=root PATH=/evil:/usr/bin:/bin \
		"$BIN/dive" "$S" /usr/bin/env)
	for v in FOO=bar "HOME=/nonexistent" USER=nobody LOGNAME=nobody \
		"SHELL=/usr/sbin/nologin" \
		"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"; do
		assertTrue "$v" "echo '$out' | grep -qx '$v'"
	done
	for v in LD_LIBRARY_PATH GCONV_PATH MALLOC_CHECK_ TMPDIR BASH_ENV \
		HOME=/root USER=root PATH=/evil; do
		assertFalse "$v" "echo '$out' | grep -q '^$v'"
	done
}

test_same_user_environment_is_unchanged() {
	need_root || return 0
	root_dived || return
	out=$(env -i FOO=bar LD_LIBRARY_PATH=/x TMPDIR=/y HOME=/h PATH=/usr/bin:/bin \
		"$BIN/dive" "$S" /usr/bin/env)
	for v in FOO=bar LD_LIBRARY_PATH=/x TMPDIR=/y HOME=/h PATH=/usr/bin:/bin; do
		assertContains "$v" "$out" "$v"
	done
	# and a closed fd 0 stays closed, as if exec'd here
	out=$(dive "$S" readlink /proc/self/fd/0 0<&- 2>&1)
	assertNotContains "$out" "/dev/null"
}

test_forced_argv_is_found_with_the_safe_path() {
	need_root || return 0
	mkdir -p "$W/evil"
	printf '#!/bin/sh\necho evil\n' >"$W/evil/id" && chmod 755 "$W/evil/id"
	root_dived -u nobody -- id -un || return
	assertEquals nobody "$(PATH=$W/evil:$PATH dive "$S")"
}

test_closed_std_fds_are_dev_null_for_another_user() {
	need_root || return 0
	root_dived -u nobody || return
	assertEquals /dev/null "$(dive "$S" readlink /proc/self/fd/0 0<&-)"
	assertEquals /dev/null "$(dive "$S" sh -c 'readlink /proc/self/fd/2 >&3' 3>&1 2>&-)"
}

test_repeated_group_keeps_none_of_diveds() {
	need_root || return 0
	rm -f "$S"
	setpriv --groups 65534,0 "$BIN/dived" "$S" -C 777 -u nobody -g 65534,65534 \
		>>"$T/dived.log" 2>&1 &
	track_pid $!
	wait_socket "$S" || { fail "dived did not start"; return; }
	assertEquals "$(printf 'Groups:\t65534')" \
		"$(dive "$S" grep ^Groups: /proc/self/status | sed 's/ *$//')"
}

# ---- terminals (TIOCSTI: typing into someone else's shell) -------------

# usage: in_pty CMD — run CMD (a shell command line) on a fresh pty of
# the caller's; its output without carriage returns
in_pty() { script -qec "$1" /dev/null </dev/null | tr -d '\r'; }

test_root_terminal_is_not_stolen_through_a_users_fd() {
	need_root || return 0
	need_tool || return 0
	cp "$T/ttytool" "$W/"
	root_dived || return
	# root's pty, held by a nobody client as its fd 0
	out=$(in_pty "DIVE_PTY=0 $NB $BIN/dive $S $W/ttytool sti 0 'id\n'")
	assertContains "$out" "refused:"
	assertNotContains "$out" "injected"
}

test_diveds_own_terminal_never_reaches_a_program() {
	need_root || return 0
	need_tool || return 0
	cp "$T/ttytool" "$W/"
	# dived -S started from root's terminal (not as a session leader)
	script -qfc "$BIN/dived $S -S -C 777 -p $W/pid; exit" /dev/null \
		</dev/null >>"$T/dived.log" 2>&1 &
	track_pid $!
	wait_socket "$S" || { fail "dived did not start"; return; }
	track_pid "$(cat "$W/pid")"
	out=$(DIVE_TERMINAL= $NB dive "$S" "$W/ttytool" ctty </dev/null)
	assertEquals none "$out"
}

test_another_users_program_gets_no_controlling_terminal() {
	need_root || return 0
	need_tool || return 0
	cp "$T/ttytool" "$W/"
	root_dived -u daemon || return
	# nobody's own pty: daemon's program must not get it as its terminal
	out=$($NB script -qec "DIVE_PTY=0 $BIN/dive $S $W/ttytool sti 0 'id\n'" /dev/null \
		</dev/null | tr -d '\r')
	assertContains "$out" "refused:"
	assertNotContains "$out" "injected"
}

test_own_terminal_is_still_the_controlling_terminal() {
	need_root || return 0
	need_tool || return 0
	cp "$T/ttytool" "$W/"
	root_dived || return
	out=$($NB script -qec "DIVE_PTY=0 $BIN/dive $S $W/ttytool ctty" /dev/null \
		</dev/null | tr -d '\r')
	assertEquals ctty "$out"
}

test_pty_belongs_to_the_programs_user() {
	need_root || return 0
	need_feature CONFIG_FEATURE_PTY || return 0
	root_dived -u nobody || return
	out=$(DIVE_PTY=1 dive "$S" sh -c 'stat -c %u $(tty) && : <$(tty) && echo reopened' </dev/null | tr -d '\r')
	assertEquals "65534 reopened" "$(echo $out)"
}

# ---- confinement: -R and -V ---------------------------------------------

test_directory_fds_are_refused_under_chroot() {
	need_root || return 0
	need_feature CONFIG_FEATURE_CHROOT || return 0
	busybox_rootfs "$W/jail" || { skip_test "needs busybox-static"; return 0; }
	root_dived -R "$W/jail" -W -H -P -X || return
	out=$(dive "$S" /bin/ls /proc/self/fd/3/ 3</etc 2>&1); rc=$?
	assertEquals 127 $rc
	assertContains "$out" "fd 3 is a directory or O_PATH"
	# a plain file is fine
	assertEquals "$(cat /etc/hostname)" "$(dive "$S" /bin/cat 0</etc/hostname)"
}

test_cwd_outside_the_chroot_is_refused() {
	need_root || return 0
	need_feature CONFIG_FEATURE_CHROOT || return 0
	busybox_rootfs "$W/jail" || { skip_test "needs busybox-static"; return 0; }
	mkdir -p "$W/jail/data"
	root_dived -R "$W/jail" || return
	out=$(cd "$W" && dive "$S" /bin/pwd 2>&1); rc=$?
	assertEquals 127 $rc
	assertContains "$out" "your current directory is outside the program's root"
	assertEquals /data "$(cd "$W/jail/data" && dive "$S" /bin/pwd)"
	assertEquals / "$(cd "$W" && DIVE_CURDIR= dive "$S" /bin/pwd)"
	# -h outside the new root, too, unless the administrator allows it
	out=$(justexec -R "$W/jail" -h "$W" /bin/pwd 2>&1); rc=$?
	assertEquals 127 $rc
	assertContains "$out" "outside the new root"
	rc=0; justexec -R "$W/jail" -h "$W" --allow-outside-cwd /bin/echo >/dev/null || rc=$?
	assertEquals 0 $rc
}

test_client_root_must_lie_inside_the_chroot() {
	need_root || return 0
	need_feature CONFIG_FEATURE_CHROOT || return 0
	busybox_rootfs "$W/jail/sub" || { skip_test "needs busybox-static"; return 0; }
	busybox_rootfs "$W/other" || return
	echo sub >"$W/jail/sub/marker"
	root_dived -R "$W/jail" -r -H || return
	out=$(DIVE_ROOTDIR=$W/other dive "$S" /bin/ls / 2>&1); rc=$?
	assertEquals 127 $rc
	assertContains "$out" "the client's root directory is outside"
	assertEquals sub "$(DIVE_ROOTDIR=$W/jail/sub dive "$S" /bin/cat /marker)"
}

. shunit2
