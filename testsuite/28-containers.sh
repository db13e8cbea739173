#!/bin/bash
# Entering containers (issue 12, SPEC §8): dived/justexec --target PID and
# -N files, against rootful and rootless containers made with unshare and
# a busybox-static root. The program must be inside: its pid namespace
# ($$ is small), hostname, root, cgroup, a bounding set no larger than the
# target's, its no_new_privs; and as the client's uid translated into the
# container's user namespace, never host root for a rootless one.
. "$TOP/testsuite/lib.sh"
. "$TOP/testsuite/tools/dive-helpers.sh"

NB="setpriv --reuid=nobody --regid=nogroup --clear-groups"

per_test_setup() { chmod 777 "$W"; }

pre() {
	need_root || return 1
	need_feature CONFIG_FEATURE_NAMESPACES || return 1
	ct_root "$W/ct" && return 0
	skip_test "needs a static busybox (busybox-static)"
	return 1
}

# usage: ct_root DIR — a container root: busybox, /proc, its own passwd
# and a group file that would put nobody in group 10
ct_root() {
	busybox_rootfs "$1" || return 1
	for a in ps hostname id sleep grep readlink touch mount env; do
		ln -s busybox "$1/bin/$a"
	done
	mkdir -p "$1/proc" "$1/etc" "$1/home"
	printf 'root:x:0:0::/root:/bin/sh\nctuser:x:1000:1000::/home:/bin/sh\n' >"$1/etc/passwd"
	printf 'root:x:0:\nwheel:x:10:nobody,ctuser\nctgrp:x:1000:\n' >"$1/etc/group"
}

# usage: start_ct [RUNAS...] — a container (new pid, mnt, uts, ipc, net
# namespaces; with RUNAS a user namespace too) running sleep as its pid 1
# in $W/ct; its host pid in $CT
start_ct() {
	local userns=
	[ $# -gt 0 ] && userns="-U -r"
	"$@" unshare $userns -fpmuin sh -c '
		hostname ctname && mount --bind "$1" "$1" &&
		mount -t proc proc "$1/proc" &&
		exec ${2:+setpriv --bounding-set="$2"} chroot "$1" /bin/sleep 600' \
		_ "$W/ct" "${CT_BOUND:-}" >>"$T/ct.log" 2>&1 &
	track_pid $!
	CT=$(child_of $!) || { fail "container did not start: $(cat "$T/ct.log")"; return 1; }
	track_pid "$CT"
	# running its own busybox: past the unshare, mounts and setpriv
	wait_until 5 sh -c "readlink /proc/$CT/exe | grep -q '/ct/bin/busybox'" ||
		{ fail "container did not get going"; return 1; }
}


test_target_enters_a_rootful_container() {
	pre || return 0
	start_ct || return
	start_dived "$S" -C 777 --target "$CT" || return
	pid=$(dive "$S" sh -c 'echo $$')
	assertTrue "the program is inside the pid namespace: \$\$=$pid" "[ '$pid' -lt 10 ]"
	assertEquals ctname "$(dive "$S" hostname)"
	assertEquals "$(ls "$W/ct" | tr '\n' ' ')" "$(dive "$S" ls / | tr '\n' ' ')"
	assertContains "$(dive "$S" ps)" "sleep 600"
	# limits: bounding set, no_new_privs, cgroup as the target's
	assertEquals "$(grep ^CapBnd: /proc/$CT/status)" "$(dive "$S" grep ^CapBnd: /proc/self/status)"
	assertEquals "$(grep ^NoNewPrivs: /proc/$CT/status)" "$(dive "$S" grep ^NoNewPrivs: /proc/self/status)"
	assertEquals "$(cat /proc/$CT/cgroup)" "$(dive "$S" cat /proc/self/cgroup)"
	# fds, exit codes and deaths pass through
	assertEquals hi "$(echo hi | dive "$S" cat)"
	dive "$S" sh -c 'exit 7'
	assertEquals 7 $?
	dive "$S" sh -c 'kill -TERM $$'
	assertEquals 143 $?
}

test_bounding_set_is_never_above_the_targets() {
	pre || return 0
	# a rootful container without cap_sys_admin (dropped after its
	# namespaces are made): the program cannot have it either
	CT_BOUND=-sys_admin start_ct || return
	want=$(grep ^CapBnd: /proc/$CT/status)
	assertNotEquals "the container lacks a capability" \
		"$(grep ^CapBnd: /proc/self/status)" "$want"
	start_dived "$S" -C 777 --target "$CT" || return
	assertEquals "$want" "$(dive "$S" grep ^CapBnd: /proc/self/status)"
}

test_a_reused_pid_is_not_the_target() {
	pre || return 0
	start_ct || return
	start_dived "$S" -C 777 --target "$CT" || return
	# same pid, another process: fake it by checking against another
	# start time (a real pid reuse cannot be arranged reliably)
	start_dived "$W/s2" -C 777 --target "$$" || return
	assertEquals ctname "$(dive "$S" hostname)"
	out=$(dive "$W/s2" true 2>&1); rc=$?
	assertEquals "our own shell is no container, but it is the process" 0 $rc
	kill -KILL "$CT"
	wait_until 5 sh -c "[ ! -e /proc/$CT ] || grep -q '^State:.*Z' /proc/$CT/status"
	out=$(dive "$S" true 2>&1); rc=$?
	assertEquals 127 $rc
	assertContains "$out" "--target $CT"
}

test_vanished_target_is_refused_and_dived_stays_up() {
	pre || return 0
	start_ct || return
	start_dived "$S" -C 777 --target "$CT" || return
	assertEquals ctname "$(dive "$S" hostname)"
	kill -KILL "$CT"
	wait_until 5 sh -c "[ ! -e /proc/$CT ] || grep -q '^State:.*Z' /proc/$CT/status"
	out=$(dive "$S" hostname 2>&1); rc=$?
	assertEquals 127 $rc
	assertContains "$out" "refused: --target $CT"
	assertTrue "dived still serves" "kill -0 $DIVED_PID"
}

test_rootless_container_is_entered_in_its_user_namespace() {
	pre || return 0
	start_ct $NB || return
	start_dived "$S" -C 777 --target "$CT" || return
	# nobody is the container's root, and nothing more
	assertEquals "0 0" "$($NB dive "$S" sh -c 'echo $(id -u) $(id -g)')"
	assertEquals "0 65534 1" "$($NB dive "$S" sh -c 'read a b c </proc/self/uid_map; echo $a $b $c')"
	assertEquals "parent outside the container" 0 "$($NB dive "$S" sh -c 'echo $PPID')"
	$NB dive "$S" touch /bin/owned-by-host-root 2>/dev/null
	assertFalse "wrote into a host root dir" "[ -e '$W/ct/bin/owned-by-host-root' ]"
	# root has no mapping in there: refused with the reason
	out=$(dive "$S" id 2>&1); rc=$?
	assertEquals 127 $rc
	assertContains "$out" "uid 0 has no mapping in the target's user namespace"
}

test_inside_user_by_name_from_the_containers_files() {
	pre || return 0
	start_ct || return
	# ctuser exists only in the container's /etc/passwd
	start_dived "$S" -C 777 --target "$CT" -u ctuser || return
	assertEquals "1000 1000 /1000 10/" \
		"$(dive "$S" sh -c 'echo $(id -u) $(id -g) /$(id -G)/')"
	# and the secure environment comes from its passwd entry
	assertContains "$(dive "$S" env)" "HOME=/home"
}

test_container_group_file_cannot_add_groups_to_the_client() {
	pre || return 0
	start_ct || return
	start_dived "$S" -C 777 --target "$CT" || return
	# wheel:x:10:nobody in the container: nobody keeps the host's groups
	assertEquals "$(id -G nobody)" "$($NB dive "$S" id -G)"
}

test_justexec_target() {
	pre || return 0
	start_ct || return
	out=$(justexec --target "$CT" sh -c 'echo $(hostname) $$; exit 3'); rc=$?
	assertEquals 3 $rc
	set -- $out
	assertEquals ctname "$1"
	assertTrue "in its pid namespace: $2" "[ '$2' -lt 10 ]"
	out=$(justexec --target 999999 true 2>&1); rc=$?
	assertEquals 4 $rc
	assertContains "$out" "--target 999999: no such process"
}

# Inside a container's pid namespace dived's child is a waiter (pidns.c)
# and the program its child: every signal dive forwards reaches the
# program through it (ALRM, PROF, URG killed or missed it: the waiter
# passed on seven), and DIVE_SIGFWMODE=2 reaches the program's group.
test_forwarded_signals_reach_a_program_inside() {
	pre || return 0
	start_ct || return
	start_dived "$S" -C 777 --target "$CT" || return
	loop='echo up >&4; while :; do sleep 1 & wait; done'
	for sig in ALRM PROF URG TERM; do
		rm -f "$W/got" "$W/up"
		DIVE_PTY=0 dive "$S" sh -c "trap 'echo $sig >&3; exit 7' $sig; $loop" \
			3>"$W/got" 4>"$W/up" &
		dp=$!
		track_pid $dp
		wait_until 10 test -s "$W/up" || { fail "$sig: no program"; return; }
		kill -$sig $dp
		wait_exit $dp
		assertEquals "$sig: the program's status" 7 $?
		assertEquals "$sig reached the program" "$sig" "$(cat "$W/got")"
	done
	rm -f "$W/got" "$W/up"
	DIVE_PTY=0 DIVE_SIGFWMODE=2 dive "$S" sh -c \
		"sh -c 'trap \"echo inner >&3; exit 0\" USR1; $loop'; echo outer >&3" \
		3>"$W/got" 4>"$W/up" &
	dp=$!
	track_pid $dp
	wait_until 10 test -s "$W/up" || { fail "group: no program"; return; }
	kill -USR1 $dp
	wait_exit $dp
	assertEquals "the outer sh dies of it" 138 $?
	assertEquals "the group got it" inner "$(cat "$W/got")"
}

test_setns_pid_puts_the_program_itself_inside() {
	pre || return 0
	start_ct || return
	# the mnt file first on purpose: dived orders the joins itself
	start_dived "$S" -C 777 -N "/proc/$CT/ns/mnt" -N "/proc/$CT/ns/pid" \
		-N "/proc/$CT/ns/uts" -R "/proc/$CT/root" -H || return
	pid=$(dive "$S" sh -c 'echo $$')
	assertTrue "\$\$=$pid" "[ '$pid' -lt 10 ]"
	assertEquals ctname "$(dive "$S" hostname)"
	dive "$S" sh -c 'exit 9'
	assertEquals 9 $?
}

# ---- a container on the host's tree with its own /etc files ------------
# New pid, mnt, uts, ipc, net namespaces (with RUNAS: a user namespace
# too) whose root is the host's "/", but /etc/passwd and /etc/group are
# bind mounts of $W/etc/passwd and GROUPFILE (default $W/etc/group): the
# names in there exist in the container only. Its host pid in $CT.

# usage: start_etc_ct [GROUPFILE [RUNAS...]]
start_etc_ct() {
	local group=${1:-$W/etc/group}
	[ $# -gt 0 ] && shift
	local userns=
	[ $# -gt 0 ] && userns="-U -r"
	mkdir -p "$W/etc"
	printf 'root:x:0:0::/root:/bin/sh\nctuser:x:1000:1000::/home/ctuser:/bin/sh\n' >"$W/etc/passwd"
	printf 'root:x:0:\nwheel:x:10:ctuser\nctgrp:x:1000:\n' >"$W/etc/group"
	chmod 644 "$W/etc/passwd" "$W/etc/group"
	"$@" unshare $userns -fpmuin sh -c '
		mount --bind "$1" /etc/passwd && mount --bind "$2" /etc/group &&
		hostname etcct && exec sleep 600' _ "$W/etc/passwd" "$group" >>"$T/ct.log" 2>&1 &
	track_pid $!
	CT=$(child_of $!) || { fail "container did not start: $(cat "$T/ct.log")"; return 1; }
	track_pid "$CT"
	wait_until 5 sh -c "[ \"\$(cat /proc/$CT/comm)\" = sleep ]" ||
		{ fail "container did not get going: $(cat "$T/ct.log")"; return 1; }
}

pre_etc() { need_root && need_feature CONFIG_FEATURE_TARGET; }

IDS='echo $(hostname) $(id -u) $(id -g) $(id -G)'

test_target_names_from_the_containers_etc_files() {
	pre_etc || return 0
	start_etc_ct || return
	assertFalse "ctuser is no host user" "id ctuser >/dev/null 2>&1"
	assertEquals "-u and -g by name" "etcct 1000 1000 1000 10" \
		"$(justexec --target "$CT" -u ctuser -g ctgrp,wheel sh -c "$IDS" 2>&1)"
	assertEquals "-u alone: its groups from the container's /etc/group" \
		"etcct 1000 1000 1000 10" "$(justexec --target "$CT" -u ctuser sh -c "$IDS" 2>&1)"
	assertEquals "by number" "etcct 1000 1000 1000 10" \
		"$(justexec --target "$CT" -u 1000 -g 1000,10 sh -c "$IDS" 2>&1)"
	# -e: the effective uid only (dash would drop it: no shell)
	assertEquals "-e by name" "1000 0" \
		"$(echo $(justexec --target "$CT" -e ctuser id -u) $(justexec --target "$CT" -e ctuser id -ru))"
	# dived: per client, the same files
	start_dived "$S" -C 777 --target "$CT" -u ctuser -g wheel,ctgrp || return
	assertEquals "dived -g: primary first" "etcct 1000 10 10 1000" "$(dive "$S" sh -c "$IDS" 2>&1)"
	assertContains "the secure environment from its passwd entry" \
		"$(dive "$S" env)" "HOME=/home/ctuser"
}

test_target_unknown_names_are_refused() {
	pre_etc || return 0
	start_etc_ct || return
	out=$(justexec --target "$CT" -u nosuch true 2>&1); rc=$?
	assertEquals 127 $rc
	assertEquals "justexec: unknown user 'nosuch' in the target's /etc/passwd" "$out"
	out=$(justexec --target "$CT" -u ctuser -e nosuch true 2>&1); rc=$?
	assertEquals 127 $rc
	assertEquals "justexec: unknown user 'nosuch' in the target's /etc/passwd" "$out"
	out=$(justexec --target "$CT" -u ctuser -g ctgrp,nosuch true 2>&1); rc=$?
	assertEquals 127 $rc
	assertEquals "justexec: unknown group 'nosuch' in the target's /etc/group" "$out"
	# a host name is not looked up on the host: nobody is no user in there
	out=$(justexec --target "$CT" -u nobody true 2>&1); rc=$?
	assertEquals 127 $rc
	assertEquals "justexec: unknown user 'nobody' in the target's /etc/passwd" "$out"
	start_dived "$S" -C 777 --target "$CT" -u nosuch || return
	out=$(dive "$S" true 2>&1); rc=$?
	assertEquals 127 $rc
	assertEquals "dive: refused: unknown user 'nosuch' in the target's /etc/passwd" "$out"
	assertTrue "dived still serves" "kill -0 $DIVED_PID"
}

# A group file that is no regular file (a fifo would block), or one too
# big for a local one (> 8 MiB), is not read: the user gets its primary
# group alone.
test_target_unusable_group_file_gives_the_primary_group_alone() {
	pre_etc || return 0
	start_etc_ct /dev/null || return
	assertEquals "a device" "etcct 1000 1000 1000" \
		"$(justexec --target "$CT" -u ctuser sh -c "$IDS" 2>&1)"
	out=$(justexec --target "$CT" -u ctuser -g wheel true 2>&1); rc=$?
	assertEquals "-g cannot be looked up in it: $out" 127 $rc
	assertEquals "justexec: unknown group 'wheel' in the target's /etc/group" "$out"
	kill -KILL "$CT"
	mkdir -p "$W/big"
	{ cat "$W/etc/group"; head -c 9000000 /dev/zero | tr '\0' '#'; echo; } >"$W/big/group"
	chmod 644 "$W/big/group"
	start_etc_ct "$W/big/group" || return
	assertEquals "a huge one" "etcct 1000 1000 1000" \
		"$(justexec --target "$CT" -u ctuser sh -c "$IDS" 2>&1)"
}

# A rootless container (nobody's user namespace, nobody is root inside):
# the client's gid must have a mapping in there too.
test_target_unmapped_gid_is_refused() {
	pre_etc || return 0
	start_etc_ct "$W/etc/group" $NB || return
	start_dived "$S" -C 777 --target "$CT" || return
	assertEquals "etcct 0 0 0" "$($NB dive "$S" sh -c "$IDS" 2>&1)"
	out=$(setpriv --reuid=nobody --regid=4242 --clear-groups dive "$S" true 2>&1); rc=$?
	assertEquals 127 $rc
	assertEquals "dive: refused: gid 4242 has no mapping in the target's user namespace" "$out"
}

# SPEC §3: a malformed value exits 4 at start, naming the option, as -g
# "a,,b" does without --target ("-g: empty item in list 'a,,b'"). With
# --target the list is only split per client: "a,,b" and ",a" refuse
# every client with "--groups: bad list", and "a," is taken as "a".
test_target_groups_list_with_an_empty_item_is_a_usage_error() {
	pre_etc || return 0
	start_etc_ct || return
	for list in 1000,,10 ,1000 1000, ''; do
		out=$(justexec -u 1000 -g "$list" true 2>&1); rc=$?
		assertEquals "without --target, -g $list" 4 $rc
		assertEquals "justexec: -g: empty item in list '$list'" "$out"
		out=$(justexec --target "$CT" -u ctuser -g "$list" true 2>&1); rc=$?
		assertEquals "--target, -g $list: $out" 4 $rc
		assertEquals "justexec: -g: empty item in list '$list'" "$out"
		out=$(timeout 5 dived "$S" --target "$CT" -u ctuser -g "$list" 2>&1); rc=$?
		assertEquals "dived --target, -g $list: $out" 4 $rc
		rm -f "$S"
	done
	# nothing runs, not with gid 0 nor with a group fewer
	out=$(justexec --target "$CT" -u ctuser -g "" id 2>&1)
	assertNotContains "$out" "gid="
}

test_bad_setns_files_are_refused_at_start() {
	need_feature CONFIG_FEATURE_NAMESPACES || return 0
	out=$(dived "$S" -N /etc/passwd 2>&1); rc=$?
	assertEquals 4 $rc
	assertContains "$out" "--setns /etc/passwd: not a namespace file"
	out=$(dived "$S" -N /proc/999999/ns/net 2>&1); rc=$?
	assertEquals 4 $rc
	assertContains "$out" "--setns /proc/999999/ns/net"
	assertFalse "no socket left behind" "[ -e '$S' ]"
}

. shunit2
