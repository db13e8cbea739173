#!/bin/bash
# The documents' examples as they are written: every fenced block of
# README.md and docs/*.md and every .EX block of the man pages is marked
# (testsuite/tools/doc-examples.sh: "example: NAME", run here, or "not
# run: REASON"), and each named one is run here, as root in a scratch
# place: /run/, /srv/ and /tmp/ moved under $T, abstract names made ours,
# "$ " lines run as nobody, a busybox test container where one is needed.
# What an example claims (output shown, "# prints 0") is checked. A broken
# or unmarked example fails here. docs/deploy.md is 57-deploy's.
. "$TOP/testsuite/lib.sh"
. "$TOP/testsuite/tools/container.sh"
. "$TOP/testsuite/tools/doc-examples.sh"
# the examples run as a user types them, not as part of our make (a make
# among them would say "Entering directory")
unset MAKELEVEL MAKEFLAGS MFLAGS MAKEOVERRIDES

NB="setpriv --reuid=nobody --regid=nogroup --clear-groups"
DOC_UNIQ=divebox-59-doc-$$

test_setup() {
	rm -rf "$T/run" "$T/srv" "$T/tmp" "$T/work" "$T/ct"
	mkdir -p "$T/run" "$T/srv/ct/run" "$T/tmp" "$T/work"
	chmod 1777 "$T/tmp" "$T/work"
	DOC_USER=$NB DOC_SED= DOC_WRAP= DOC_DIR=
}

# the examples also run "divebox APPLET"
suite_setup() {
	ln -s "$DIVEBOX" "$BIN/divebox"
}

test_teardown() {
	doc_kill_leftovers
}

# usage: container DIR — the test container (ct_start) with its root in DIR
container() {
	need_root || return 1
	need_feature CONFIG_FEATURE_NAMESPACES || return 1
	ct_make_root "$1" || { skip_test "needs a static busybox (busybox-static)"; return 1; }
	ct_start "$1" || { fail "container did not start"; return 1; }
}

# usage: dived_for SOCK [OPTIONS...] — a dived the example dives into
dived_for() {
	start_dived "$@" || fail "dived did not start"
}

userns_ok() {
	$NB unshare -U -r true 2>/dev/null && return 0
	skip_test "unprivileged user namespaces are disabled here"
	return 1
}

# ---- the documents themselves ------------------------------------------

doc_files() {
	for f in "$TOP"/README.md "$TOP"/docs/*.md "$TOP"/man/*.[1-8] "$TOP"/man/*.[1-8].in; do
		[ "${f##*/}" = deploy.md ] || echo "$f"
	done
}

test_every_block_is_run_or_says_why() {
	for f in $(doc_files) "$TOP/docs/deploy.md"; do
		assertEquals "" "$(doc_unmarked "$f")"
	done
	for f in $(doc_files); do
		names=$(doc_names "$f")
		assertEquals "unique names in $f" "$(echo "$names" | sort)" "$(echo "$names" | sort -u)"
		rel=${f#"$TOP"/}
		rel=${rel%.in}
		for n in $names; do
			assertTrue "$rel: example '$n' is run by a test here" \
				"grep -qE '^[[:space:]]*(doc_(run|bg) $rel|doc_script \"\\\$TOP/$rel\")( [a-z0-9-]+)* $n( |\$)' '$0'"
		done
	done
	assertNotEquals "examples found" "" "$(doc_names "$TOP/man/dived.8")"
	# the markers come through gen-man.sh
	for p in dive.1 dived.8 justexec.1 divebox.1; do
		assertEquals "$p: the page's markers are the template's" \
			"$(doc_names "$TOP/man/$p.in")" "$(doc_names "$TOP/man/$p")"
	done
}

# The extraction: prompts, continuation lines, output lines, roff escapes
test_extraction_of_a_prompted_man_block() {
	assertEquals "dived /run/ping.sock -d -C 0660 -U root:netadm -u root -A -E -O \\
        -B net_raw -- /bin/ping -c 3 192.0.2.1
X sh -c 'dive /run/ping.sock'" "$(DOC_USER=X doc_commands "$TOP/man/dived.8" ping)"
	assertEquals "" "$(doc_output "$TOP/man/dived.8" ping)"
	assertEquals "dive /srv/ct/run/d.sock sh -c 'cat <&7' 7</etc/hostname" \
		"$(DOC_USER= doc_commands "$TOP/man/dive.1" in-container | sed -n 3p)"
	assertEquals "lo               DOWN           00:00:00:00:00:00 <LOOPBACK>" \
		"$(doc_output "$TOP/README.md" netless)"
}

# ---- README.md -------------------------------------------------------------

test_readme_netless() {
	need_root || return 0
	need_cmd ip || return 0
	need_feature CONFIG_FEATURE_NAMESPACES || return 0
	doc_run README.md netless
	assertEquals "$OUT" 0 "$rc"
	# the output shown, up to trailing blanks
	assertEquals "$(doc_output "$TOP/README.md" netless)" "$(echo "$OUT" | sed 's/ *$//')"
	# "as you": the $ line ran as nobody, and so does the program
	assertEquals "65534" "$($NB dive "$T/run/netless.sock" id -u 2>&1)"
}

# The release files used as they are: a directory as make release makes
# it (scripts/release.sh's SHA256SUMS), with this machine's binary under
# the name the example gives (a foreign one would need qemu-user)
test_readme_release_files() {
	need_cmd sha256sum || return 0
	DOC_DIR=$T/work/release
	mkdir -p "$DOC_DIR" "$T/usr/local/bin"
	cp "$DIVEBOX" "$DOC_DIR/divebox-aarch64"
	cp "$TOP/LICENSE" "$TOP/NOTICE" "$DOC_DIR/"
	(cd "$DOC_DIR" && sha256sum LICENSE NOTICE divebox-aarch64 >SHA256SUMS && rm LICENSE)
	chmod -x "$DOC_DIR/divebox-aarch64"
	DOC_USER= DOC_SED="s,/usr/local/,$T/usr/local/,g"
	doc_run README.md release-files
	assertEquals "$OUT" 0 "$rc"
	assertContains "$OUT" "divebox-aarch64: OK"
	assertContains "$OUT" "dived"
	for a in dive dived justexec; do
		assertEquals "$a linked" "$DOC_DIR/divebox-aarch64" "$(readlink -f "$T/usr/local/bin/$a")"
	done
	assertEquals "0" "$("$T/usr/local/bin/dive" --help >/dev/null 2>&1; echo $?)"
}

# ---- dive(1) ---------------------------------------------------------------

test_dive_in_container_commands() {
	dived_for "$T/srv/ct/run/d.sock" -C 0777 || return 0
	mkdir -p "$T/work/src" && echo payload >"$T/work/src/file"
	doc_run man/dive.1 in-container
	assertEquals "$OUT" 0 "$rc"
	assertContains "ps ax" "$OUT" "PID"
	assertEquals "tar went through" payload "$(cat "$T/tmp/src/file" 2>&1)"
	assertEquals "extracted as nobody" nobody "$(stat -c %U "$T/tmp/src/file" 2>&1)"
	assertContains "fd 7" "$OUT" "$(cat /etc/hostname)"
	assertEquals "# 1" 1 "$(echo "$OUT" | tail -1)"
}

# On a terminal (script(1) gives dive one): a pty of its own, not the
# caller's terminal
test_dive_interactive_shell_gets_a_pty() {
	need_cmd script || return 0
	need_feature CONFIG_FEATURE_PTY || return 0
	dived_for "$T/srv/ct/run/d.sock" -C 0777 || return 0
	doc_script "$TOP/man/dive.1" interactive >"$T/i.sh"
	assertContains "$(cat "$T/i.sh")" "/bin/sh -l"
	chmod 644 "$T/i.sh"
	out=$(printf 'echo in=$(tty)\nexit 3\n' |
		TERM=dumb script -qec "echo out=\$(tty); sh $T/i.sh; echo status=\$?" /dev/null 2>&1 |
		tr -d '\r')
	assertContains "$out" "status=3"
	o=$(echo "$out" | grep -o 'out=/dev/[a-z/0-9]*' | sed 's/^out=//')
	i=$(echo "$out" | grep -o 'in=/dev/[a-z/0-9]*' | sed 's/^in=//')
	assertContains "on a terminal: $out" "$o" /dev/pts/
	assertContains "a pty: $out" "$i" /dev/pts/
	assertNotEquals "its own: $out" "$o" "$i"
}

# "return at once": dive is back while the program still runs
test_dive_waitmode_returns_at_once() {
	need_root || return 0
	need_cmd dnsmasq || return 0
	need_feature CONFIG_FEATURE_NAMESPACES || return 0
	dived_for "@$DOC_UNIQ-labnet" -s net || return 0
	DOC_USER=
	doc_run man/dive.1 waitmode
	assertEquals "$OUT" 0 "$rc"
	ns=$(readlink /proc/$DIVED_PID/ns/net)
	pid=
	for p in $(pgrep -x dnsmasq); do
		[ "$(readlink /proc/$p/ns/net)" = "$ns" ] && pid=$p
	done
	assertNotNull "dnsmasq still runs" "$pid"
	[ -n "$pid" ] && track_pid "$pid"
}

test_dive_curdir() {
	dived_for "$T/run/admin.sock" -C 0777 || return 0
	doc_run man/dive.1 curdir
	assertEquals "$OUT" 0 "$rc"
	assertEquals "$(ls /var/log)" "$OUT"
}

# ---- divebox(1) ------------------------------------------------------------

test_divebox_install_in_container() {
	file -L "$DIVEBOX" | grep -q 'statically linked' || {
		skip_test "the binary is copied alone into a container: needs a static one"
		return 0; }
	container "$T/srv/ct" || return 0
	need_feature CONFIG_FEATURE_TARGET || return 0
	dived_for "$T/srv/ct/run/admin.sock" -C 0600 --target "$CT" || return 0
	cp "$DIVEBOX" "$T/work/divebox"
	rm "$T/srv/ct/bin/divebox" "$T/srv/ct/bin/dive"
	DOC_USER=
	doc_run man/divebox.1 install-in-container
	assertEquals "$OUT" 0 "$rc"
	for a in dive dived justexec; do
		assertEquals "$a" /bin/divebox "$(readlink "$T/srv/ct/bin/$a")"
	done
	assertEquals "usable in there" ok "$(dive "$T/srv/ct/run/admin.sock" /bin/justexec -- echo ok 2>&1)"
}

test_divebox_applet() {
	need_cmd uptime || return 0
	dived_for "$T/run/admin.sock" -C 0777 || return 0
	doc_run man/divebox.1 applet
	assertEquals "$OUT" 0 "$rc"
	assertContains "$OUT" "load average"
}

# ---- dived(8) --------------------------------------------------------------

test_dived_target() {
	container "$T/ct" || return 0
	need_feature CONFIG_FEATURE_TARGET || return 0
	echo "$CT" >"$T/run/web.pid"
	doc_run man/dived.8 target
	assertEquals "$OUT" 0 "$rc"
	set -- $OUT
	assertEquals "hostname: $OUT" ctname "$1"
	assertTrue "a small pid: $OUT" "[ '${2:-99}' -lt 10 ]"
}

# Exactly one command as root with one capability, for members of the
# group (a group of the host stands for netadm). -O: ping's output is
# not the client's, its status is. Run in a network namespace where
# 192.0.2.1 (TEST-NET-1, unreachable anywhere else) is the loopback's.
test_dived_ping_for_a_group() {
	need_root || return 0
	need_cmd ping || return 0
	need_feature CONFIG_FEATURE_CAPS || return 0
	grp=$(for g in adm daemon sys; do getent group "$g" >/dev/null && echo "$g" && break; done)
	gid=$(getent group "$grp" | cut -d: -f3)
	printf 'ip link set lo up && ip addr add 192.0.2.1/32 dev lo && exec "$@"\n' >"$T/lo.sh"
	DOC_SED="s,netadm,$grp,g" DOC_WRAP="unshare -n sh $T/lo.sh"
	DOC_USER="setpriv --reuid=nobody --regid=nogroup --groups=$gid"
	doc_run man/dived.8 ping
	assertEquals "ping's status (0: answered): $OUT" 0 "$rc"
	s=$T/run/ping.sock
	assertEquals "srw-rw---- root $grp" "$(stat -c '%A %U %G' "$s")"
	# the client's argv is ignored: still ping, not false
	out=$(setpriv --reuid=nobody --regid=nogroup --groups="$gid" dive "$s" false 2>&1)
	assertEquals "$out" 0 $?
	# not a member: the socket's mode keeps them out
	out=$($NB dive "$s" 2>&1)
	assertEquals "not a member: $out" 2 $?
	assertContains "$out" "Permission denied"
}

test_dived_labnet() {
	need_root || return 0
	need_cmd ip || return 0
	need_feature CONFIG_FEATURE_NAMESPACES || return 0
	# without dummy links (CONFIG_DUMMY) the rest runs, and says so
	want="lo dummy0 " DOC_USER=
	unshare -n ip link add d0 type dummy 2>/dev/null || want="lo " DOC_SED="/type dummy/d"
	doc_run man/dived.8 labnet
	assertEquals "$OUT" 0 "$rc"
	links=$(echo "$OUT" | sed -n 's/^[0-9]*: \([^:@]*\).*/\1/p' | tr '\n' ' ')
	assertEquals "lo and dummy0 only: $OUT" "$want" "$links"
	assertFalse "nothing added on the host" "ip link show dummy0 >/dev/null 2>&1"
	[ -z "$DOC_SED" ] || [ "$__shunit_testSuccess" != "$SHUNIT_TRUE" ] ||
		skip_test "ran without 'ip link add dummy0 type dummy': no dummy links in this kernel (CONFIG_DUMMY)"
}

test_dived_userns_as_a_user() {
	need_feature CONFIG_FEATURE_NAMESPACES || return 0
	need_cmd setpriv || return 0
	userns_ok || return 0
	doc_run man/dived.8 userns
	assertEquals "$OUT" 0 "$rc"
	assertEquals "# prints 0" 0 "$(echo "$OUT" | tail -1)"
}

test_dived_one_shot_with_socat() {
	need_cmd socat || return 0
	doc_bg man/dived.8 one-shot
	wait_socket "$T/tmp/one.sock" || { fail "no socket: $(cat "$DOC_LOG")"; return; }
	out=$($NB dive "$T/tmp/one.sock" sh -c 'echo $(id -u) $PPID' 2>&1)
	assertEquals "$out" 0 $?
	assertEquals "served as the caller, -P" 65534 "${out%% *}"
	wait "$DOC_PID"
	assertEquals "one session, then socat ends: $(cat "$DOC_LOG")" 0 $?
}

# ---- inline examples: `...` spans of README.md and docs/*.md ------------

# usage: inline_cmd FILE "TEXT" — TEXT (an inline example FILE has) as a
# command: moved as doc_script does, SOCK the test's socket $S, and the
# placeholders $DOC_SED names
inline_cmd() {
	doc_inline "$1" "$2" | doc_localize | sed "s,SOCK,$S,g"
}

# usage: run_inline FILE "TEXT" — run it with sh in $T/work, stdin
# /dev/null unless $IN (a file); output in $OUT, status in $rc
run_inline() {
	__c=$(inline_cmd "$1" "$2")
	[ -n "$__c" ] || return 1
	OUT=$(cd "$T/work" && sh -c "$__c" <"${IN:-/dev/null}" 2>&1)
	rc=$?
}

# usage: on_tty INPUT COMMAND — COMMAND on a terminal of its own
# (script(1)) with the keys INPUT; its output, without \r
on_tty() {
	printf '%s' "$1" | TERM=dumb script -qec "$2" /dev/null 2>&1 | tr -d '\r'
}

test_every_inline_example_is_run() {
	for f in "$TOP"/README.md "$TOP"/docs/*.md; do
		[ "${f##*/}" = deploy.md ] && continue
		rel=${f#"$TOP"/}
		doc_inline_spans "$f" >"$T/spans"
		while IFS= read -r span; do
			grep -qF -e "run_inline $rel \"$span\"" -e "inline_cmd $rel \"$span\"" \
				-e "tty_case $rel \"$span\"" "$0"
			assertTrue "$rel: \`$span\` is run by a test here" $?
		done <"$T/spans"
	done
	assertContains "$(doc_inline_spans "$TOP/README.md")" "dive -t SOCK bash"
}

# "Poor man's sudo": alice is nobody, bob is daemon
test_inline_poor_mans_sudo() {
	need_root || return 0
	DOC_SED="s,alice:alice,nobody:nogroup,; s,-u bob,-u daemon,"
	run_inline README.md "dived /run/alice2bob -d -C 700 -U alice:alice -u bob"
	assertEquals "$OUT" 0 "$rc"
	assertEquals "srwx------ nobody" "$(stat -c '%A %U' "$T/run/alice2bob")"
	c=$(inline_cmd README.md "dive /run/alice2bob bash")
	out=$(echo 'id -un; echo "$PATH"' | $NB sh -c "$c" 2>&1)
	assertEquals "alice is bob there" daemon "$(echo "$out" | head -1)"
	assertNotContains "a safe PATH" "$out" "$BIN"
	assertEquals "nobody else gets in" 2 \
		"$(setpriv --reuid=daemon --regid=daemon --clear-groups dive "$T/run/alice2bob" true 2>/dev/null; echo $?)"
}

test_inline_container_as_its_admin() {
	container "$T/ct" || return 0
	need_feature CONFIG_FEATURE_TARGET || return 0
	DOC_SED="s,PID,$CT,"
	c=$(inline_cmd README.md "dived /run/ct.sock -C 0600 --target PID")
	sh -c "$c" >>"$T/dived.log" 2>&1 &
	track_pid $!
	wait_socket "$T/run/ct.sock" || { fail "no socket: $(cat "$T/dived.log")"; return; }
	IN=$T/in
	echo 'hostname; echo $$' >"$IN"
	run_inline README.md "dive /run/ct.sock sh"
	assertEquals "$OUT" 0 "$rc"
	set -- $OUT
	assertEquals ctname "$1"
	assertTrue "its pid namespace: $2" "[ '${2:-99}' -lt 10 ]"
}

test_inline_justexec_drops_privileges() {
	need_root || return 0
	need_feature CONFIG_FEATURE_CAPS || return 0
	printf '#!/bin/sh\nid -un\ngrep -E "^(CapBnd|NoNewPrivs)" /proc/self/status\n' >"$T/work/program"
	chmod 755 "$T/work/program"
	DOC_SED="s, program\$, ./program,"
	run_inline README.md "justexec -u nobody -B '' -X -- program"
	assertEquals "$OUT" 0 "$rc"
	assertEquals "nobody
CapBnd:	0000000000000000
NoNewPrivs:	1" "$OUT"
}

test_inline_true_and_waitmode() {
	S=$T/perf.sock
	dived_for "$S" || return 0
	run_inline README.md "dive SOCK /bin/true"
	assertEquals "$OUT" 0 "$rc"
	run_inline docs/performance.md "dive SOCK /bin/true"
	assertEquals "$OUT" 0 "$rc"
	# output to a file: the program keeps its copy of dive's stdout
	c=$(inline_cmd docs/performance.md "DIVE_WAITMODE=1 dive SOCK /bin/sleep 30")
	(cd "$T/work" && sh -c "$c" </dev/null >"$T/w.out" 2>&1)
	assertEquals "$(cat "$T/w.out")" 0 $?
	# back at once: the program still runs (in the directory dive sent)
	pid=
	for p in $(pgrep -x sleep); do
		[ "$(readlink "/proc/$p/cwd")" = "$T/work" ] && pid=$p
	done
	assertNotNull "sleep 30 still runs" "$pid"
	[ -n "$pid" ] && track_pid "$pid"
}

# usage: tty_case FILE "TEXT" — the inline example on a terminal; the
# program tells its terminal and exits 3
tty_case() {
	DOC_SED="s,PROG\\.\\.\\.,bash,"
	__c=$(inline_cmd "$1" "$2")
	out=$(on_tty 'echo in=$(tty)
exit 3
' "echo out=\$(tty); $__c; echo status=\$?")
	o=$(echo "$out" | grep -o 'out=/dev/[a-z/0-9]*' | sed 's/^out=//')
	i=$(echo "$out" | grep -o 'in=/dev/[a-z/0-9]*' | sed 's/^in=//')
	case $2 in
	exec*) assertNotContains "$1: $2: dive replaced the shell: $out" "$out" "status=" ;;
	*) assertContains "$1: $2: $out" "$out" "status=3" ;;
	esac
	assertContains "$1: $2: on a terminal: $out" "$o" /dev/pts/
	assertContains "$1: $2: $out" "$i" /dev/pts/
	case $2 in
	*-T*) assertEquals "$1: $2: the caller's terminal" "$o" "$i" ;;
	*) assertNotEquals "$1: $2: a pty of its own" "$o" "$i" ;;
	esac
}

# On a terminal: pty mode (automatic or -t) gives the program a terminal
# of its own; classic mode (-T) hands over the caller's
test_inline_terminal_modes() {
	need_cmd script || return 0
	need_feature CONFIG_FEATURE_PTY || return 0
	S=$T/tty.sock
	dived_for "$S" || return 0
	tty_case README.md "dive -t SOCK bash"
	tty_case docs/interactive.md "dive -t SOCK bash"
	tty_case docs/interactive.md "dive SOCK bash"
	tty_case docs/interactive.md "dive -t SOCK PROG..."
	tty_case docs/interactive.md "dive -T SOCK bash"
	tty_case README.md "exec dive -T SOCK bash"
	tty_case docs/interactive.md "exec dive -T SOCK bash"
}

# Redirected output never goes through a pty, even from a terminal
test_inline_redirections_are_passed() {
	need_cmd script || return 0
	S=$T/redir.sock
	dived_for "$S" || return 0
	DOC_SED="s,cmd,readlink /proc/self/fd/1,; s,less,cat,"
	c=$(inline_cmd docs/interactive.md "dive SOCK cmd >out")
	on_tty "" "cd $T/work && $c" >/dev/null
	assertEquals "$T/work/out" "$(cat "$T/work/out")"
	c=$(inline_cmd docs/interactive.md "dive SOCK cmd | less")
	assertContains "$(on_tty "" "$c")" "pipe:["
}

test_inline_pty_with_a_pipe() {
	need_feature CONFIG_FEATURE_PTY || return 0
	S=$T/pipe.sock
	dived_for "$S" || return 0
	c=$(inline_cmd docs/interactive.md "echo hi | DIVE_PTY=1 dive SOCK cat")
	out=$(sh -c "$c" | tr '\r' R)
	assertEquals "hi twice, with \\r\\n" "hiR
hiR" "$out"
}

test_inline_close_what_dived_should_not_have() {
	S=$T/fd.sock
	dived_for "$S" || return 0
	DOC_SED="s,cmd,readlink /proc/self/fd/3,"
	c=$(inline_cmd docs/interactive.md "dive SOCK cmd 3>&-")
	assertEquals "passed without it" /etc/hostname "$(dive "$S" readlink /proc/self/fd/3 3</etc/hostname)"
	assertEquals "not with it" "" "$(sh -c "$c" 3</etc/hostname 2>/dev/null)"
}

test_inline_rootdir() {
	need_root || return 0
	need_feature CONFIG_FEATURE_CHROOT || return 0
	S=$T/root.sock
	dived_for "$S" -r || return 0
	DOC_SED="s,cmd,echo ok,"
	run_inline docs/interactive.md "DIVE_ROOTDIR=/ dive SOCK cmd"
	assertEquals "$OUT" 0 "$rc"
	assertEquals ok "$OUT"
	out=$(dive "$S" echo ok 2>&1)
	assertContains "refused without it" "$out" "client sent no root directory"
}

test_inline_install_never_replaces_a_stranger() {
	mkdir -p "$T/inst"
	echo 'not divebox' >"$T/inst/dive"
	DOC_SED="s,DIR,$T/inst,"
	run_inline docs/security.md "divebox --install DIR"
	assertEquals "$OUT" 1 "$rc"
	assertEquals "not divebox" "$(cat "$T/inst/dive")"
	rm "$T/inst/dive"
	run_inline docs/security.md "divebox --install DIR"
	assertEquals "$OUT" 0 "$rc"
	assertEquals "ok" "$("$T/inst/justexec" -- echo ok)"
}

# ---- justexec(1) -----------------------------------------------------------

test_justexec_netns_shell() {
	need_root || return 0
	need_cmd ip || return 0
	need_feature CONFIG_FEATURE_NAMESPACES || return 0
	DOC_USER=
	host=$(hostname)
	doc_run man/justexec.1 netns-shell
	assertEquals "$OUT" 0 "$rc"
	links=$(echo "$OUT" | sed -n 's/^[0-9]*: \([^:@]*\).*/\1/p' | tr '\n' ' ')
	assertEquals "only lo: $OUT" "lo " "$links"
	assertEquals "the host's hostname unchanged" "$host" "$(hostname)"
}

# builder: a user of the host stands for it (daemon); make runs a
# Makefile that shows what it got
test_justexec_build() {
	need_root || return 0
	need_cmd make || return 0
	need_feature CONFIG_FEATURE_RLIMITS || return 0
	getent group kvm >/dev/null || { skip_test "needs a kvm group"; return 0; }
	printf 'SHELL = /bin/bash\nall:\n\t@id -un; id -Gn; ulimit -u; ulimit -c; grep NoNewPrivs /proc/self/status\n' \
		>"$T/work/Makefile"
	DOC_USER= DOC_SED="s,builder,daemon,g"
	doc_run man/justexec.1 build
	assertEquals "$OUT" 0 "$rc"
	assertEquals "daemon
daemon kvm
512
0
NoNewPrivs:	1" "$OUT"
}

test_justexec_bind_service() {
	need_root || return 0
	need_feature CONFIG_FEATURE_CAPS || return 0
	printf '#!/bin/sh\nid -un\ngrep -E "^Cap(Eff|Amb|Bnd)" /proc/self/status\n' >"$T/work/server"
	chmod 755 "$T/work/server"
	DOC_USER= DOC_SED="s,www,daemon,g"
	doc_run man/justexec.1 bind-service
	assertEquals "$OUT" 0 "$rc"
	# cap_net_bind_service is bit 10
	assertEquals "daemon
CapEff:	0000000000000400
CapBnd:	0000000000000400
CapAmb:	0000000000000400" "$OUT"
}

test_justexec_userns_as_a_user() {
	need_feature CONFIG_FEATURE_NAMESPACES || return 0
	need_cmd setpriv || return 0
	userns_ok || return 0
	doc_run man/justexec.1 userns
	assertEquals "$OUT" 0 "$rc"
	assertEquals "# prints 0" 0 "$OUT"
}

# process 1234: the test container's first process
test_justexec_enter_pid() {
	container "$T/ct" || return 0
	DOC_USER= DOC_SED="s,1234,$CT,g"
	doc_run man/justexec.1 enter-pid
	assertEquals "$OUT" 0 "$rc"
	links=$(echo "$OUT" | sed -n 's/^[0-9]*: \([^:@]*\).*/\1/p' | tr '\n' ' ')
	assertEquals "the container's network: $OUT" "lo " "$links"
}

. shunit2
