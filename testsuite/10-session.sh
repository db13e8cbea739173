#!/bin/bash
# One dive ⇄ dived session: sockets, fds, argv, environment, current and
# root directory, umask (SPEC §2, §3).
. "$TOP/testsuite/lib.sh"
. "$TOP/testsuite/tools/dive-helpers.sh"

# ---- sockets --------------------------------------------------------------

test_filesystem_socket() {
	start_dived "$S" || return
	assertEquals hello "$(dive "$S" echo hello)"
	assertTrue "socket file" "[ -S '$S' ]"
}

test_abstract_socket() {
	name=$(abstract_name)
	start_abstract "$name" || return
	assertEquals abstract "$(dive "$name" echo abstract)"
	assertFalse "no file for an abstract socket" "[ -e '$name' ]"
}

test_stale_socket_file_is_replaced() {
	# bound but nobody listens: what a killed dived leaves behind
	python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$S"
	assertTrue "stale socket made" "[ -S '$S' ]"
	start_dived "$S" || return
	assertEquals replaced "$(dive "$S" echo replaced)"
}

test_non_socket_file_is_not_replaced() {
	echo precious >"$S"
	out=$(timeout 10 dived "$S" 2>&1); rc=$?
	assertEquals 1 $rc
	assertContains "$out" "$S: exists and is not a socket"
	assertEquals precious "$(cat "$S")"
}

test_live_socket_is_not_replaced() {
	start_dived "$S" || return
	out=$(timeout 10 dived "$S" 2>&1); rc=$?
	assertEquals 1 $rc
	assertContains "$out" "in use"
	assertEquals "still served" "$(dive "$S" echo still served)"
}

# ---- file descriptors ------------------------------------------------------

test_all_fds_travel_at_their_numbers() {
	start_dived "$S" || return
	echo five >"$W/f5"; echo hundred >"$W/f100"; echo thousand >"$W/f1000"
	here=$(ls -l /proc/self/fd 5<"$W/f5" 100<"$W/f100" 1000<"$W/f1000" | fdnums)
	there=$(dive "$S" ls -l /proc/self/fd 5<"$W/f5" 100<"$W/f100" \
		1000<"$W/f1000" | fdnums)
	assertContains " $here" " 5 "
	assertContains " $here" " 100 "
	assertContains " $here" " 1000 "
	assertEquals "$here" "$there"
	out=$(dive "$S" cat /dev/fd/5 /dev/fd/100 /dev/fd/1000 5<"$W/f5" \
		100<"$W/f100" 1000<"$W/f1000")
	assertEquals "five hundred thousand" "$(echo $out)"
}

test_program_sees_nothing_of_dived() {
	start_dived "$S" || return
	# the client has no socket: any socket the program sees is dived's
	list=$(dive "$S" ls -l /proc/self/fd 7</dev/null)
	assertNotContains "$list" "socket:"
	assertNotContains "$list" "signalfd"
	assertContains "$list" " 7 -> /dev/null"
	# fds 0-2 the client closed stay closed: dived's own do not show up
	there=$(dive "$S" ls -l /proc/self/fd 0<&- 2>&- | fdnums)
	assertNotContains " $there" " 0 "
	assertNotContains " $there" " 2 "
}

test_no_fds_option() {
	start_dived "$S" -O || return
	out=$(dive "$S" sh -c 'echo "$1"; ls -l /proc/$$/fd' _ \
		"on-dived-stdout-$__tn" 5<"$TOP/Makefile")
	assertEquals "" "$out"
	assertContains "$(cat "$T/dived.log")" "on-dived-stdout-$__tn"
	assertNotContains "$(cat "$T/dived.log")" "Makefile"
}

test_pipe_from_client_ends() {
	start_dived "$S" || return
	out=$(printf 'a\nb\n' | timeout 20 dive "$S" cat); rc=$?
	assertEquals 0 $rc
	assertEquals "a b" "$(echo $out)"
}

# The reader of the program's stdout sees EOF when the program closes it,
# not when dive exits: nobody else (dive, dived) holds a copy. If someone
# did, cat would never end and the program would wait on its gate for
# ever (timeout 20 turns that into a failure).
eof_check() {
	out=$(timeout 20 sh -c 'dive "$1" sh -c "echo before; exec >&-; read x <\"$2\"; echo after >&2" 2>/dev/null | { cat; echo go >"$2"; }' _ "$S" "$W/gate"); rc=$?
	assertEquals "$1: pipeline status" 0 $rc
	assertEquals "$1: output" before "$out"
}

test_eof_when_the_program_closes_its_end() {
	make_fifo gate
	n=; grep -q '^CONFIG_FEATURE_SIGNALS=y' "$DIVEBOX_CONFIG" && n=-n
	for opts in "" $n "-D" "-F"; do
		start_dived "$S" $opts || return
		eof_check "dived $opts"
		kill $DIVED_PID 2>/dev/null
		wait $DIVED_PID 2>/dev/null || :
	done
}

# ---- argv -------------------------------------------------------------------

test_argv_travels_intact() {
	start_dived "$S" || return
	assertEquals "a|b c||*|" "$(dive "$S" printf '%s|' a 'b c' '' '*')"
}

test_forced_argv_with_client_argv_appended() {
	start_dived "$S" -- echo forced || return
	assertEquals "forced a b" "$(dive "$S" a b)"
	assertEquals "forced" "$(dive "$S")"
}

test_no_argv_option_runs_only_the_forced_argv() {
	start_dived "$S" -A -- echo forced || return
	assertEquals "forced" "$(dive "$S" rm -rf /nonexistent)"
}

test_no_program_is_refused() {
	start_dived "$S" || return
	out=$(dive "$S" 2>&1); rc=$?
	assertEquals 127 $rc
	assertEquals "dive: refused: no program given" "$out"
}

# ---- environment ------------------------------------------------------------

test_environment_travels_whole() {
	start_dived "$S" || return
	export ODD_VAR='with spaces = and
newline'
	here=$(env | grep -v '^_=' | sort)
	there=$(dive "$S" env | grep -v '^_=' | grep -v '^DIVE_' | sort)
	unset ODD_VAR
	assertEquals "$here" "$there"
}

test_dive_variables_are_dropped_and_set() {
	start_dived "$S" || return
	out=$(DIVE_FROM_CLIENT=1 DIVE_UID=666 dive "$S" env | grep '^DIVE_' | sort)
	assertNotContains "$out" "DIVE_FROM_CLIENT"
	assertContains "$out" "DIVE_UID=$(id -u)"
	assertContains "$out" "DIVE_GID=$(id -g)"
	assertContains "$out" "DIVE_USER=$(id -un)"
	assertContains "$out" "DIVE_PID="
}

test_dive_pid_is_the_clients_pid() {
	start_dived "$S" || return
	out=$(sh -c 'echo $$; exec dive "$1" sh -c "echo \$DIVE_PID"' _ "$S")
	set -- $out
	assertEquals "two pids" 2 $#
	assertEquals "$1" "$2"
}

test_identity_of_an_unprivileged_client() {
	need_root || return 0
	start_dived "$S" -C 666 || return
	out=$(setpriv --reuid=nobody --regid=nogroup --clear-groups \
		dive "$S" sh -c 'id -u; echo $DIVE_UID $DIVE_GID $DIVE_USER')
	assertEquals "65534 65534 65534 nobody" "$(echo $out)"
}

test_no_environment_option() {
	export DIVED_OWN_VAR=from-dived
	start_dived "$S" -E || return
	unset DIVED_OWN_VAR
	out=$(FROM_CLIENT=1 dive "$S" env)
	assertContains "$out" "DIVED_OWN_VAR=from-dived"
	assertNotContains "$out" "FROM_CLIENT"
	assertContains "$out" "DIVE_UID=$(id -u)"
	assertContains "$out" "DIVE_USER=$(id -un)"
	assertContains "$out" "DIVE_PID="
}

# ---- current directory, umask ------------------------------------------------

test_current_directory() {
	start_dived "$S" || return
	mkdir "$W/d1" "$W/d2"
	assertEquals "$W/d1" "$(cd "$W/d1" && dive "$S" pwd -P)"
	assertEquals "$W/d2" "$(cd "$W/d1" && DIVE_CURDIR=$W/d2 dive "$S" pwd -P)"
	out=$(DIVE_CURDIR=$W/nonexistent dive "$S" true 2>&1); rc=$?
	assertEquals 12 $rc
	assertContains "$out" "DIVE_CURDIR=$W/nonexistent"
}

# The directory travels as an fd: it works where dived cannot reach the
# path. Here dived's mount namespace has a tmpfs over the directory the
# client is in; by path dived would see the empty tmpfs.
test_current_directory_across_mount_namespaces() {
	need_root || return 0
	need_cmd unshare || return 0
	mkdir "$W/hidden" && echo host >"$W/hidden/host-file"
	unshare -m --propagation private sh -c \
		'mount -t tmpfs none "$1" && exec "$2" "$3"' _ "$W/hidden" \
		"$BIN/dived" "$S" >>"$T/dived.log" 2>&1 &
	DIVED_PID=$!
	track_pid $DIVED_PID
	wait_socket "$S" || { fail "dived did not start"; return; }
	assertEquals "" "$(dive "$S" ls "$W/hidden")"
	assertEquals "host-file" "$(cd "$W/hidden" && dive "$S" ls)"
}

test_no_chdir_and_chdir_options() {
	mkdir "$W/d1" "$W/d2" "$W/d3"
	cd "$W/d3" && start_dived "$S" -H && cd - >/dev/null || return
	assertEquals "dived's cwd with -H" "$W/d3" "$(cd "$W/d1" && dive "$S" pwd -P)"
	kill $DIVED_PID
	start_dived "$S" -h "$W/d1" || return
	assertEquals "client's cwd wins over -h" "$W/d2" \
		"$(cd "$W/d2" && dive "$S" pwd -P)"
	kill $DIVED_PID
	start_dived "$S" -H -h "$W/d1" || return
	assertEquals "-h with -H" "$W/d1" "$(cd "$W/d2" && dive "$S" pwd -P)"
}

test_umask() {
	umask 077
	start_dived "$S" || return
	umask 022
	assertEquals 0027 "$(umask 027; dive "$S" sh -c umask)"
	kill $DIVED_PID
	umask 077
	start_dived "$S" -M || return
	umask 022
	assertEquals "dived's umask with -M" 0077 "$(umask 027; dive "$S" sh -c umask)"
}

# ---- root directory ------------------------------------------------------------

test_client_chroot() {
	need_root || return 0
	need_feature CONFIG_FEATURE_CHROOT || return 0
	busybox_rootfs "$W/root" || { skip_test "needs busybox-static"; return 0; }
	echo inside >"$W/root/marker"
	name=$(abstract_name)
	start_abstract "$name" -r || return
	# a client chrooted into the rootfs that sends its root: the program
	# runs in that root
	# (a dynamic divebox cannot run in there)
	if file -L "$DIVEBOX" | grep -q 'statically linked'; then
		out=$(DIVE_ROOTDIR=/ chroot "$W/root" /bin/dive "$name" /bin/sh -c 'cat /marker; ls /')
		assertEquals "inside bin marker tmp" "$(echo $out)"
	fi
	# a client elsewhere sends the directory it names
	assertEquals inside "$(DIVE_ROOTDIR=$W/root dive "$name" /bin/cat /marker)"
	out=$(DIVE_ROOTDIR=$W/nonexistent dive "$name" /bin/true 2>&1); rc=$?
	assertEquals 12 $rc
}

test_client_root_is_ignored_without_r() {
	need_root || return 0
	mkdir -p "$W/root" && echo inside >"$W/root/marker"
	start_dived "$S" || return
	DIVE_ROOTDIR=$W/root dive "$S" test -e /marker
	assertEquals "DIVE_ROOTDIR without -r" 1 $?
}

test_root_to_current_option() {
	need_root || return 0
	need_feature CONFIG_FEATURE_CHROOT || return 0
	busybox_rootfs "$W/root" || { skip_test "needs busybox-static"; return 0; }
	name=$(abstract_name)
	start_abstract "$name" -r -W || return
	out=$(cd "$W" && DIVE_ROOTDIR=$W/root dive "$name" /bin/sh -c 'pwd -P; ls')
	assertEquals "/ bin tmp" "$(echo $out)"
}

# ---- an unprivileged dived ------------------------------------------------

test_unprivileged_dived_serves_its_own_user() {
	need_root || return 0
	chmod 777 "$W"
	nb="setpriv --reuid=nobody --regid=nogroup --clear-groups"
	$nb "$BIN/dived" "$S" >>"$T/dived.log" 2>&1 &
	track_pid $!
	wait_socket "$S" || { fail "dived as nobody did not start"; return; }
	assertEquals "65534 65534" "$($nb "$BIN/dive" "$S" sh -c 'echo $(id -u) $(id -g)')"
	# root asking a nobody dived for root: refused, nothing runs
	out=$(dive "$S" touch "$W/ran" 2>&1); rc=$?
	assertEquals 127 $rc
	assertContains "$out" "refused: setg" # setgroups or setgid: no privilege
	assertFalse "nothing ran" "[ -e '$W/ran' ]"
}

. shunit2
