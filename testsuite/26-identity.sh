#!/bin/bash
# Who the program runs as when dived (root) starts it for a client: the
# client's uid/gid with its groups from the group database (initgroups),
# -u, -g, -e, -P; and a failed identity change runs nothing (SPEC §3,
# steps 7-8). dived reads a passwd/group pair of the test's own, bind-
# mounted over /etc in a private mount namespace that dies with it.
. "$TOP/testsuite/lib.sh"
. "$TOP/testsuite/tools/dive-helpers.sh"

NB="setpriv --reuid=nobody --regid=nogroup --clear-groups"

suite_setup() {
	mkdir -p "$T/etc"
	cp /etc/passwd "$T/etc/passwd"
	cp /etc/group "$T/etc/group"
	echo "dbxuser:x:4242:4242::/nonexistent:/bin/sh" >>"$T/etc/passwd"
	{
		echo "dbxgrp:x:4242:"
		echo "dbxextra:x:4343:dbxuser"
		echo "dbxmore:x:4344:nobody,dbxuser"
	} >>"$T/etc/group"
	chmod 755 "$T"
}

# usage: start_private_dived [DIVED OPTIONS...] — root dived on $S that
# sees the test's /etc/passwd and /etc/group
start_private_dived() {
	chmod 777 "$W"
	unshare -m sh -c 'mount --bind "$1/etc/passwd" /etc/passwd &&
		mount --bind "$1/etc/group" /etc/group && shift && exec "$@"' \
		_ "$T" "$BIN/dived" "$S" -C 777 "$@" >>"$T/dived.log" 2>&1 &
	track_pid $!
	wait_socket "$S" || { fail "dived did not start: $(cat "$T/dived.log")"; return 1; }
}

# uid, euid, gid, egid and sorted groups of the program
ids() {
	"$@" sh -c 'echo $(id -u) $(id -ur) $(id -g) $(id -gr) /$(id -G | tr " " "\n" | sort -n | tr "\n" " ")/'
}

test_default_is_the_client_with_its_database_groups() {
	need_root || return 0
	start_private_dived || return
	# the client cleared its groups; dived gives nobody its groups anew
	assertEquals "65534 65534 65534 65534 /4344 65534 /" "$(ids $NB dive "$S")"
	assertEquals "0 0 0 0 /0 /" "$(ids dive "$S")"
}

test_user_by_name_gets_its_groups() {
	need_root || return 0
	start_private_dived -u dbxuser || return
	assertEquals "4242 4242 4242 4242 /4242 4343 4344 /" "$(ids $NB dive "$S")"
}

test_numeric_user_and_groups_need_no_lookup() {
	need_root || return 0
	start_private_dived -u 5000 -g 4343,100,5001 || return
	assertEquals "5000 5000 4343 4343 /100 4343 5001 /" "$(ids $NB dive "$S")"
}

test_groups_by_name() {
	need_root || return 0
	start_private_dived -u dbxuser -g dbxmore,dbxgrp || return
	assertEquals "4242 4242 4344 4344 /4242 4344 /" "$(ids dive "$S")"
}

test_effective_user() {
	need_root || return 0
	start_private_dived -u dbxuser -e nobody || return
	assertEquals "Uid:	4242	65534	65534	65534" \
		"$(dive "$S" grep ^Uid: /proc/self/status)"
	assertEquals "Gid:	4242	4242	4242	4242" \
		"$(dive "$S" grep ^Gid: /proc/self/status)"
}

test_no_setuid_keeps_dived_identity() {
	need_root || return 0
	start_private_dived -P || return
	assertEquals "0 0 0 0 /0 /" "$(ids $NB dive "$S")"
}

test_failed_identity_change_runs_nothing() {
	need_root || return 0
	start_private_dived -u 5000 || return # no passwd entry, no -g
	out=$(dive "$S" touch "$W/ran" 2>&1); rc=$?
	assertEquals 127 $rc
	assertContains "$out" "refused: uid 5000: no passwd entry"
	assertFalse "nothing ran" "[ -e '$W/ran' ]"
}

test_groups_without_user_is_a_usage_error() {
	out=$(dived "$S" -g 100 2>&1); rc=$?
	assertEquals 4 $rc
	assertContains "$out" "--groups requires --user"
}

. shunit2
