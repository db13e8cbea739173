#!/bin/bash
# docs/deploy.md as it is written: every command block there is marked
# "<!-- example: NAME -->" (run here) or "<!-- not run: REASON -->", and
# run_example runs the marked blocks verbatim with sh, /run/ moved into
# $T/run, against a test container (testsuite/tools/container.sh, as in
# 28-containers) whose first pid is in $T/run/divebox/ct.pid. A broken
# example fails here. Also the dived(8) example with an abstract socket
# and -s net, as the man page writes it.
. "$TOP/testsuite/lib.sh"
. "$TOP/testsuite/tools/container.sh"
. "$TOP/testsuite/tools/doc-examples.sh"

DOC=$TOP/docs/deploy.md
NB="setpriv --reuid=nobody --regid=nogroup --clear-groups"
# abstract names are global: ours carry the suite's pid
UNIQ=divebox-57-deploy-$$
DOC_UNIQ=$UNIQ # for doc_kill_leftovers

# usage: example NAME — the text of the block marked NAME in $DOC
example() { doc_block "$DOC" "$1"; }

# usage: run_example NAME... — the blocks, one script, run by sh in $T
# (or $EX_DIR) with /run/ moved to $T/run and the names below moved to
# ones of this test; output (stdout and stderr) in $OUT and in the file
# $T/out (a new one each time: a daemon an example started in the
# background keeps writing to its own), status in $rc
__runs=0
run_example() {
	__runs=$((__runs + 1))
	rm -f "$T/out"
	: >"$T/ex.sh"
	for __e in "$@"; do
		__text=$(example "$__e")
		[ -n "$__text" ] || { fail "no example '$__e' in docs/deploy.md"; return 1; }
		printf '%s\n' "$__text" >>"$T/ex.sh"
	done
	sed -i -e "s,/run/,$T/run/,g" -e "s,@labnet,@$UNIQ-labnet,g" \
		-e "s,ctadm,$GRP,g" "$T/ex.sh"
	mkdir -p "$T/run/divebox"
	(cd "${EX_DIR:-$T}" && sh "$T/ex.sh") >"$T/out.$__runs" 2>&1
	rc=$?
	ln -s "out.$__runs" "$T/out"
	OUT=$(tr -d '\0' <"$T/out")
}

# the pid files the examples' daemons write (all but the container's)
track_example_daemons() {
	for __f in "$T"/run/divebox/*.pid; do
		[ -f "$__f" ] && [ "${__f##*/}" != ct.pid ] && track_pid "$(cat "$__f")"
	done
}

# a group of the host to stand for "ctadm" (the examples must not add one)
GRP=$(for g in adm daemon sys; do getent group "$g" >/dev/null && echo "$g" && break; done)

test_setup() {
	rm -rf "$T/run" "$T/ct" "$T/src"
	EX_DIR=
}

test_teardown() {
	track_example_daemons
	doc_kill_leftovers # dived @labnet -d, the one systemd-socket-activate execs
}

# usage: container [-U] [RUNAS...] — the test container (ct_start), its
# pid in ct.pid
container() {
	need_root || return 1
	need_feature CONFIG_FEATURE_NAMESPACES || return 1
	ct_make_root "$T/ct" || { skip_test "needs a static busybox (busybox-static)"; return 1; }
	ct_start "$T/ct" "$@" || { fail "container did not start"; return 1; }
	mkdir -p "$T/run/divebox"
	echo "$CT" >"$T/run/divebox/ct.pid"
}

# ---- the document itself -------------------------------------------------

# Every fenced block is marked, every marked example is run by a test of
# this suite, names are unique, and there are no unmarked indented code
# blocks (an example nobody runs)
test_every_block_in_deploy_md_is_run_or_says_why() {
	out=$(doc_unmarked "$DOC")
	assertEquals "" "$out"
	names=$(doc_names "$DOC")
	assertNotEquals "no examples found" "" "$names"
	assertEquals "unique names" "$(echo "$names" | sort)" "$(echo "$names" | sort -u)"
	for n in $names; do
		assertTrue "example '$n' is run by a test here" \
			"grep -qE '^[[:space:]]*run_example( [a-z0-9-]+)* $n( |\$)|run_labnet \"\\\$\\(example $n\\)\"' '$0'"
	done
	# what contrib/ ships is what the document says
	assertContains "$(cat "$DOC")" "/run/divebox/ct.pid"
	assertContains "$(cat "$TOP/contrib/s6/divebox-admin/run")" "/run/divebox/ct.pid"
}

# ---- Containers -------------------------------------------------------

test_target_example_enters_the_container() {
	container || return 0
	run_example target
	assertEquals "$OUT" 0 "$rc"
	set -- $(echo "$OUT" | grep -v '^dived:')
	assertEquals "hostname" ctname "$1"
	assertTrue "a small pid: $2" "[ '${2:-99}' -lt 10 ]"
	assertContains "ps shows the container" "$OUT" "sleep 600"
	# ps lists the container's processes only: none of the host's
	assertNotContains "$OUT" "57-deploy"
	assertTrue "dived is up" "kill -0 $(cat "$T/run/divebox/dived.pid")"
}

test_target_limits_example_shows_the_containers_limits() {
	CT_BOUND=-sys_admin,-net_admin container || return 0
	run_example target target-limits
	assertEquals "$OUT" 0 "$rc"
	mine=$(grep ^CapBnd /proc/$CT/status)
	assertEquals "the program's and the container's bounding set" "$mine
$mine" "$(echo "$OUT" | grep '^CapBnd')"
	dive "$T/run/divebox/admin.sock" cat /proc/self/status | ct_capbnd_within "$CT"
	assertTrue "within the target's" $?
	b=$(dive "$T/run/divebox/admin.sock" cat /proc/self/status | sed -n 's/^CapBnd:[[:space:]]*//p')
	assertEquals "no cap_sys_admin (21) in there" 0 $(((0x${b:-200000} >> 21) & 1))
	cg=$(cat /proc/$CT/cgroup)
	assertEquals "its cgroup, twice" "$cg
$cg" "$(echo "$OUT" | grep '^[0-9]*:')"
}

test_rootless_example_refuses_root_and_maps_u0() {
	need_cmd setpriv || return 0
	container -U $NB || return 0
	run_example rootless
	assertContains "$OUT" "uid 0 has no mapping in the target's user namespace"
	# id -u, then the uid map without its padding
	assertContains "$(echo "$OUT" | sed -e 's/^ *//' -e 's/  */ /g')" "
0
0 65534 1"
	# the container's root is nobody on the host: no host file of root's
	dive "$T/run/divebox/ctroot.sock" touch /bin/by-host-root 2>/dev/null
	assertFalse "wrote into host root's directory" "[ -e '$T/ct/bin/by-host-root' ]"
}

test_group_example_lets_members_in_as_the_containers_root() {
	[ -n "$GRP" ] || { skip_test "no adm/daemon/sys group here"; return 0; }
	container || return 0
	pid=$CT
	export pid
	run_example group
	assertEquals "$OUT" 0 "$rc"
	s=$T/run/divebox/$GRP.sock
	assertEquals "srw-rw---- root $GRP" "$(stat -c '%A %U %G' "$s")"
	gid=$(getent group "$GRP" | cut -d: -f3)
	out=$(setpriv --reuid=nobody --regid=nogroup --groups="$gid" dive "$s" sh -c 'echo $(id -u) $(hostname)')
	assertEquals "a member: the container's root" "0 ctname" "$out"
	chmod 666 "$s"
	out=$($NB dive "$s" id 2>&1)
	assertEquals "not a member: refused even with the socket open" 127 $?
	assertContains "$out" "is not allowed by --allow-user/--allow-group"
}

# The old way the document warns about: -N without the user and pid
# namespaces ran the container's programs as host root with every
# capability. With --target the same container's sh cannot reach the
# host through /proc/$PPID/root.
test_target_gives_no_way_out_through_the_parent() {
	container || return 0
	run_example target
	assertEquals "$OUT" 0 "$rc"
	out=$(dive "$T/run/divebox/admin.sock" sh -c 'echo $PPID; ls /proc/$PPID/root/ 2>&1')
	assertEquals "parent outside the container" 0 "$(echo "$out" | head -1)"
	assertNotContains "$out" "etc"
}

test_restarted_container_is_refused_until_repointed() {
	container || return 0
	run_example target
	old=$CT
	kill -KILL "$old"
	for _ in $(seq 250); do [ -e "/proc/$old" ] || break; sleep 0.02; done
	out=$(dive "$T/run/divebox/admin.sock" hostname 2>&1)
	assertEquals 127 $?
	assertContains "$out" "refused: --target $old"
	assertTrue "dived stays up" "kill -0 $(cat "$T/run/divebox/dived.pid")"
}

# ---- Socket activation, -s ---------------------------------------------

test_socket_activate_example() {
	need_cmd systemd-socket-activate || return 0
	need_feature CONFIG_FEATURE_SOCKET_ACTIVATION || return 0
	run_example socket-activate
	assertEquals "$OUT" 0 "$rc"
	wait_socket "$T/run/divebox/a.sock" || { fail "no socket: $OUT"; return; }
	run_example socket-activate-dive
	assertEquals "$OUT" 0 "$rc"
	assertEquals "activated" "$OUT"
}

# dived(8): "dived @labnet -s net -d; dive @labnet ..." — the abstract
# socket must be bound before the unshare (issue 12), so that it can be
# reached from where dived started. A kernel without dummy links
# (CONFIG_DUMMY) cannot run "ip link add dummy0 type dummy": then the rest
# of the example runs (the socket reachable, only lo in there) and the
# test says so in its skip line.
labnet_pre() {
	need_root || return 1
	need_feature CONFIG_FEATURE_NAMESPACES || return 1
	need_cmd ip || return 1
	HAVE_DUMMY=
	unshare -n ip link add d0 type dummy 2>/dev/null && HAVE_DUMMY=1
	return 0
}

test_labnet_example_in_deploy_md() {
	labnet_pre || return 0
	run_labnet "$(example labnet)"
}

test_labnet_example_in_the_man_page_as_written() {
	labnet_pre || return 0
	ex=$(awk '/^\.EX/ { b = ""; next } /^\.EE/ { if (b ~ /@labnet/) printf "%s", b; b = ""; next }
		{ b = b $0 "\n" }' "$TOP/man/dived.8" | sed -e 's/^# //' -e 's/\\-/-/g' -e 's/\\e/\\/g')
	assertContains "$ex" "dived @labnet -s net -d"
	# the same commands as docs/deploy.md's
	assertEquals "$(example labnet)" "$ex"
	run_labnet "$ex"
}

# usage: run_labnet TEXT — run the example (without its dummy0 line if
# the kernel has no dummy links) and check what it printed
run_labnet() {
	printf '%s\n' "$1" | sed "s,@labnet,@$UNIQ-labnet,g" >"$T/labnet.sh"
	want="lo dummy0 "
	if [ -z "$HAVE_DUMMY" ]; then
		sed -i '/type dummy/d' "$T/labnet.sh"
		want="lo "
	fi
	OUT=$(sh "$T/labnet.sh" 2>&1)
	assertEquals "$OUT" 0 $?
	links=$(echo "$OUT" | sed -n 's/^[0-9]*: \([^:@]*\).*/\1/p' | tr '\n' ' ')
	assertEquals "only what the example made: $OUT" "$want" "$links"
	assertNotEquals "another network namespace" "$(readlink /proc/self/ns/net)" \
		"$(dive "@$UNIQ-labnet" readlink /proc/self/ns/net 2>&1)"
	assertFalse "nothing added on the host" "ip link show dummy0 >/dev/null 2>&1"
	# a partial run that passed says what it left out (a failure stays one)
	[ -n "$HAVE_DUMMY" ] || [ "$__shunit_testSuccess" != "$SHUNIT_TRUE" ] ||
		skip_test "ran without 'ip link add dummy0 type dummy': no dummy links in this kernel (CONFIG_DUMMY)"
}

# ---- Install, initramfs, cross builds: in a copy of the source tree ----

# usage: source_copy — $T/src: the tree's files (as git knows them), the
# cached kernel headers and libcap-ng of build/ linked in; EX_DIR set
source_copy() {
	need_cmd git || return 1
	mkdir -p "$T/src/build"
	(cd "$TOP" && git ls-files -z | xargs -0 cp --parents -t "$T/src") ||
		{ fail "cannot copy the tree"; return 1; }
	for c in "$TOP"/build/musl-kheaders* "$TOP"/build/libcap-ng*; do
		[ -e "$c" ] && ln -s "$c" "$T/src/build/"
	done
	EX_DIR=$T/src
}

test_install_example() {
	source_copy || return 0
	# the Makefile takes DESTDIR from the environment: nothing outside $T
	export DESTDIR=$T/dest
	run_example install
	unset DESTDIR
	assertEquals "$(tail -20 "$T/out")" 0 "$rc"
	for a in divebox dive dived justexec; do
		assertTrue "$a installed" "[ -x '$T/dest/usr/local/bin/$a' ]"
	done
	assertTrue "dived(8)" "[ -f '$T/dest/usr/local/share/man/man8/dived.8' ]"
	assertEquals "runs" 0 "$("$T/dest/usr/local/bin/dive" --help >/dev/null 2>&1; echo $?)"
}

test_initramfs_example() {
	need_cmd qemu-system-x86_64 || return 0
	source_copy || return 0
	run_example initramfs
	if [ $rc -ne 0 ] && echo "$OUT" | grep -q 'initramfs-test: SKIP'; then
		skip_test "$(echo "$OUT" | sed -n 's/.*SKIP: //p')"
		return 0
	fi
	assertEquals "$(tail -20 "$T/out")" 0 "$rc"
	assertContains "$OUT" "initramfs-test: all checks passed"
}

test_cross_example() {
	need_cmd aarch64-linux-musl-gcc || return 0
	source_copy || return 0
	run_example cross
	assertEquals "$(tail -20 "$T/out")" 0 "$rc"
	assertContains "$OUT" "ARM aarch64"
	assertContains "$OUT" "statically linked"
}

. shunit2
