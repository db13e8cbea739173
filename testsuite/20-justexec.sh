#!/bin/bash
# justexec (SPEC §4): usage and exit codes, option syntax, identity
# options, -P, -X, -L, -p. Namespaces, capabilities, roots and limits have
# their own suites (21-25).
. "$TOP/testsuite/lib.sh"

# The long names of the setup options (mask S) whose feature is on in the
# build under test, sorted: what --help must list.
compiled_setup_options() {
	cfg=$DIVEBOX_CONFIG
	grep '^OPT(' "$TOP/libcommon/options.def" |
	awk -F', *' '$5 == "S" { print $3, $6 }' | tr -d '"' |
	while read -r name feature; do
		[ "$feature" = ALWAYS ] || grep -q "^$feature=y" "$cfg" || continue
		echo "--$name"
	done | sort
}

test_no_argument_is_usage_error() {
	out=$(justexec 2>&1 >/dev/null); rc=$?
	assertEquals 4 $rc
	assertContains "$out" "Usage: justexec"
}

test_help_and_version_exit_0_on_stdout() {
	for h in --help "-?"; do
		out=$(justexec $h 2>/dev/null); rc=$?
		assertEquals "$h" 0 $rc
		assertContains "$h" "$out" "Usage: justexec"
	done
	out=$(justexec --version); rc=$?
	assertEquals 0 $rc
	assertContains "$out" "justexec (divebox)"
}

test_help_lists_exactly_the_compiled_setup_options() {
	need_feature CONFIG_FEATURE_LONG_OPTIONS || return 0
	need_feature CONFIG_FEATURE_HELP || return 0
	want=$(compiled_setup_options)
	got=$(justexec --help | grep -o -- ' --[a-z-]*' | tr -d ' ' | sort)
	assertEquals "$want" "$got"
	# dived-only options are not offered
	assertNotContains "$got" "--detach"
}

test_no_program_is_usage_error() {
	out=$(justexec -P 2>&1); rc=$?
	assertEquals 4 $rc
	assertContains "$out" "no program"
	justexec -P -- 2>/dev/null
	assertEquals 4 $?
}

test_program_cannot_be_executed_is_127() {
	out=$(justexec /nonexistent/prog 2>&1); rc=$?
	assertEquals 127 $rc
	assertContains "$out" "cannot execute /nonexistent/prog"
	# not executable: 127 too (SPEC §4), not the shell's 126
	echo 'echo x' >"$T/noexec"
	chmod 644 "$T/noexec"
	justexec -- "$T/noexec" 2>/dev/null
	assertEquals 127 $?
}

test_exit_status_and_arguments_pass_through() {
	justexec sh -c 'exit 42'
	assertEquals 42 $?
	# options end at the program: its own arguments are not parsed
	assertEquals "-u x --help" "$(justexec -- echo -u x --help)"
	assertEquals "--help -u" "$(justexec sh -c 'echo "$@"' sh --help -u)"
	# PATH search like execvp
	assertEquals "pathsearch" "$(justexec -P echo pathsearch)"
}

test_user_switch() {
	need_root || return 0
	assertEquals "65534 65534 65534" \
		"$(justexec -u nobody sh -c 'echo $(id -u) $(id -g) $(id -G)')"
	assertEquals "nobody" "$(justexec --user=nobody id -un)"
	assertEquals "nobody" "$(justexec --user nobody id -un)"
}

test_groups_names_and_numbers() {
	need_root || return 0
	assertEquals "65534 65534 100" \
		"$(justexec -u nobody -g nogroup,users sh -c 'echo $(id -g) $(id -G)')"
	# numeric -u and -g need no passwd/group entry at all
	assertEquals "12345 23456 23456 34567" \
		"$(justexec -u 12345 -g 23456,34567 sh -c 'echo $(id -u) $(id -g) $(id -G)')"
}

test_numeric_user_without_passwd_entry_needs_groups() {
	need_root || return 0
	out=$(justexec -u 12345 true 2>&1); rc=$?
	assertEquals 127 $rc
	assertContains "$out" "no passwd entry"
}

test_effective_user() {
	need_root || return 0
	# id directly: sh would reset its euid to the real uid
	assertEquals "0" "$(justexec -e nobody id -ru)"
	assertEquals "65534" "$(justexec -e nobody id -u)"
	assertEquals "65534" "$(justexec -u nobody -e root id -ru)"
	assertEquals "0" "$(justexec -u nobody -e root id -u)"
}

test_default_identity_is_unchanged() {
	assertEquals "$(id -u) $(id -G)" "$(justexec sh -c 'echo $(id -u) $(id -G)')"
	assertEquals "$(id -u)" "$(justexec -P id -u)"
}

test_conflicting_identity_options() {
	out=$(justexec -g users true 2>&1); rc=$?
	assertEquals 4 $rc
	assertContains "$out" "--groups requires --user"
	out=$(justexec -P -u nobody true 2>&1); rc=$?
	assertEquals 4 $rc
	assertContains "$out" "--no-setuid"
}

test_no_new_privs() {
	assertEquals "1" "$(justexec -X awk '/^NoNewPrivs/ { print $2 }' /proc/self/status)"
	assertEquals "0" "$(justexec awk '/^NoNewPrivs/ { print $2 }' /proc/self/status)"
}

test_lock_securebits() {
	need_root || return 0
	# /proc/self/status has no securebits line: check what they do. With
	# NOROOT locked, root gains no capabilities from exec.
	assertEquals 0 "$(grep -ci securebits /proc/self/status)"
	assertNotEquals "0000000000000000" \
		"$(justexec awk '/^CapEff/ { print $2 }' /proc/self/status)"
	assertEquals "0000000000000000 0000000000000000" \
		"$(justexec -L awk '/^Cap(Prm|Eff)/ { printf "%s ", $2 }' /proc/self/status | sed 's/ $//')"
	# and they stay set and locked: PR_GET_SECUREBITS (27) = 0x0f
	if command -v python3 >/dev/null 2>&1; then
		assertEquals 15 "$(justexec -L python3 -c \
			'import ctypes; print(ctypes.CDLL(None).prctl(27, 0, 0, 0, 0))')"
	fi
}

test_pidfile_repeatable_and_exact() {
	printf 'a much longer old content\n' >"$T/p1"
	pid=$(justexec -p "$T/p1" --pidfile "$T/p2" --pidfile="$T/p3" sh -c 'echo $$')
	assertNotNull "$pid"
	assertEquals "$pid" "$(cat "$T/p1")"
	assertEquals "$pid" "$(cat "$T/p2")"
	assertEquals "$pid" "$(cat "$T/p3")"
	out=$(justexec -p "$T/nodir/p" true 2>&1); rc=$?
	assertEquals 127 $rc
	assertContains "$out" "pidfile $T/nodir/p"
}

# A cgroup directory we may create child cgroups in, or nothing.
cgroup_root() {
	for d in /sys/fs/cgroup /sys/fs/cgroup/unified /sys/fs/cgroup/pids; do
		case $(stat -fc %T "$d" 2>/dev/null) in
		cgroup2fs | cgroupfs) [ -w "$d" ] && echo "$d" && return ;;
		esac
	done
}

test_pidfile_moves_into_a_cgroup() {
	need_root || return 0
	cg=$(cgroup_root)
	[ -n "$cg" ] || { skip_test "no writable cgroup hierarchy"; return 0; }
	cg=$cg/divebox-test-$$
	mkdir "$cg" || { fail "mkdir $cg"; return 0; }
	out=$(justexec -p "$T/pid" -p "$cg/cgroup.procs" cat /proc/self/cgroup)
	# with -s pid too: the kernel reads the pid in the writer's namespace
	if grep -q '^CONFIG_FEATURE_NAMESPACES=y' "$DIVEBOX_CONFIG"; then
		out2=$(justexec -s pid -p "$cg/cgroup.procs" cat /proc/self/cgroup)
	else
		out2=":/divebox-test-$$"
	fi
	rmdir "$cg"
	assertContains "$out" ":/divebox-test-$$"
	assertContains "$out2" ":/divebox-test-$$"
}

test_chdir() {
	assertEquals "/" "$(cd "$T" && justexec -h / pwd)"
	mkdir "$T/sub"
	assertEquals "$T/sub" "$(cd "$T" && justexec --chdir sub pwd)"
	out=$(justexec -h "$T/missing" pwd 2>&1); rc=$?
	assertEquals 127 $rc
	assertContains "$out" "chdir $T/missing"
}

test_authenticate_hook() {
	need_feature CONFIG_FEATURE_AUTH || return 0
	assertEquals "ok" "$(justexec -a 'exit 0' echo ok)"
	out=$(justexec --authenticate 'exit 3' echo ran 2>&1); rc=$?
	assertEquals 127 $rc
	assertEquals "justexec: authentication failed: exit status 3" "$out"
	# the hook gets default signal dispositions even if we ignore TERM
	out=$(trap '' TERM; justexec -a 'kill -TERM $$; exit 0' echo ran 2>&1); rc=$?
	assertEquals 127 $rc
	assertEquals "justexec: authentication failed: killed by signal 15" "$out"
	# DIVE_* describe the caller; they are set for the hook only
	out=$(cd "$T" && justexec -a 'echo "$DIVE_UID $DIVE_GID $DIVE_USER $(pwd)" >a;
		echo "$DIVE_PID" >p' sh -c 'echo $$; env | grep -c ^DIVE_')
	assertEquals "$(id -u) $(id -g) $(id -un) $T" "$(cat "$T/a")"
	assertEquals "$(cat "$T/p") 0" "$(echo $out)"
}

test_authenticate_with_sigchld_ignored() {
	need_feature CONFIG_FEATURE_AUTH || return 0
	need_cmd python3 || return 0
	# SIG_IGN survives exec: the hook's status must not be reaped away
	out=$(python3 -c 'import signal, os, sys
signal.signal(signal.SIGCHLD, signal.SIG_IGN)
os.execvp(sys.argv[1], sys.argv[1:])' justexec -a 'exit 0' echo ok 2>&1)
	assertEquals "ok" "$out"
}

test_authenticate_runs_before_the_identity_change() {
	need_feature CONFIG_FEATURE_AUTH || return 0
	need_root || return 0
	assertEquals "0 65534" "$(justexec -u nobody -a 'id -u >&2' id -u 2>&1 | tr '\n' ' ' | sed 's/ $//')"
}

test_malformed_options_exit_4_naming_the_option() {
	for args in "-u nosuchuser" "--user nosuchuser" "--user=" "-g" \
		"-e nosuchuser" "-Z" "--frob" "-d" "--detach" "-uu nobody" \
		"-P=1" "--no-setuid=1"; do
		out=$(justexec $args true 2>&1); rc=$?
		assertEquals "$args" 4 $rc
		opt=${args%% *}
		opt=${opt%%=*}
		assertContains "$args: $out" "$out" "$opt"
	done
	out=$(justexec -u nobody -g users,nosuchgroup true 2>&1)
	assertContains "$out" "-g: unknown group 'nosuchgroup'"
	out=$(justexec -u 2>&1)
	assertContains "$out" "-u: missing value"
}

# usage: repeat N WORDS... — WORDS N times, one per line (for $(...))
repeat() { __n=$1; shift; for _ in $(seq "$__n"); do printf '%s\n' "$@"; done; }

# The bounded lists (32 entries of -N, -t, -l) and values: more is a
# usage error naming the option, 32 are fine.
test_bounded_lists_exit_4() {
	out=$(justexec $(repeat 33 -t /dev/null x) true 2>&1); rc=$?
	assertEquals 4 $rc
	assertEquals "justexec: -t: given too many times" "$out"
	if grep -q '^CONFIG_FEATURE_NAMESPACES=y' "$DIVEBOX_CONFIG"; then
		out=$(justexec $(repeat 33 -N /proc/self/ns/net) true 2>&1); rc=$?
		assertEquals 4 $rc
		assertEquals "justexec: -N: given too many times" "$out"
	fi
	if grep -q '^CONFIG_FEATURE_TARGET=y' "$DIVEBOX_CONFIG"; then
		for v in 0 x 4194305; do
			out=$(justexec --target $v true 2>&1); rc=$?
			assertEquals "--target $v" 4 $rc
			assertEquals "justexec: --target: expected a process id, got '$v'" "$out"
		done
	fi
	if grep -q '^CONFIG_FEATURE_RLIMITS=y' "$DIVEBOX_CONFIG"; then
		l32=$(repeat 32 core=0 | paste -sd,)
		assertEquals "32 limits" ok "$(justexec -l "$l32" echo ok 2>&1)"
		out=$(justexec -l "$l32,core=0" true 2>&1); rc=$?
		assertEquals 4 $rc
		assertEquals "justexec: -l: too many limits in '$l32,core=0'" "$out"
		long=$(printf 'core=%0512d' 0)
		out=$(justexec -l "$long" true 2>&1); rc=$?
		assertEquals 4 $rc
		# the message names the list once, cut to its size
		case $out in
		"justexec: -l: item too long in list 'core=00000000"*...) ;;
		*) fail "cut message: $out" ;;
		esac
		assertNotContains "list named twice" "${out#*\'}" "'core="
	fi
	if grep -q '^CONFIG_FEATURE_CAPS=y' "$DIVEBOX_CONFIG"; then
		long=$(repeat 50 cap_chown+p | paste -sd' ')
		long="$long $long" # 1199 bytes, the limit is 1023
		out=$(justexec -c "$long" true 2>&1); rc=$?
		assertEquals 4 $rc
		assertContains "$out" "justexec: -c: too long: 'cap_chown+p cap_chown+p "
	fi
}

# A message too long for its buffer (1 KiB a line) is cut, and says so:
# it ends in "..." (util.c). vsay() and vfail() pass their "cut" flag to
# mark_cut() in the same call as the vjoin() that sets it, and the
# compiler reads the flag first: the text is cut without the "...".
test_a_cut_message_ends_in_dots() {
	need_feature CONFIG_FEATURE_CAPS || return 0
	long=$(repeat 100 cap_chown+p | paste -sd' ')
	out=$(justexec -c "$long" true 2>&1); rc=$?
	assertEquals 4 $rc
	assertEquals "one line of 1 KiB" 1021 "${#out}"
	assertEquals "ends in ..." "..." "${out: -3}"
}

# ---- dived -J and -j: the same plan without a socket ----------------------

test_dived_J_runs_the_forced_argv() {
	assertEquals "hi there" "$(dived -J -- echo hi there)"
	dived -J -- sh -c 'exit 5'
	assertEquals 5 $?
	out=$(dived -J 2>&1); rc=$?
	assertEquals 4 $rc
	assertContains "$out" "needs the program after --"
	out=$(dived -J -- /nonexistent 2>&1); rc=$?
	assertEquals 127 $rc
	assertContains "$out" "cannot execute /nonexistent"
}

test_dived_J_starts_a_session_and_j_does_not() {
	# the program leads a new session with -J, not with -j (nor -J -S)
	lead='[ "$(ps -o sid= -p $$ | tr -d " ")" = $$ ] && echo leader || echo member'
	assertEquals leader "$(dived -J -- sh -c "$lead")"
	assertEquals member "$(dived -j -- sh -c "$lead")"
	assertEquals member "$(dived -J -S -- sh -c "$lead")"
}

test_dived_j_keeps_identity_unless_asked() {
	need_root || return 0
	assertEquals "0 $(id -G)" "$(dived -j -- sh -c 'echo $(id -u) $(id -G)')"
	assertEquals "65534 65534" "$(dived -j -u nobody -- sh -c 'echo $(id -u) $(id -g)')"
	assertEquals "65534" "$(dived -J -u nobody -- id -u)"
	# -J: "the client" is the caller: root with root's database groups
	assertEquals "0 0" "$(dived -J -- sh -c 'echo $(id -u) $(id -G)')"
}

. shunit2
