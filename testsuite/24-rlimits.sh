#!/bin/bash
# -l / --rlimit R=HARD[:SOFT],... (SPEC §3), checked in /proc/self/limits.
. "$TOP/testsuite/lib.sh"

# usage: limits "Max open files" [JUSTEXEC OPTIONS...] — "SOFT HARD" of
# that line as the started program sees it.
limits() {
	row=$1
	shift
	justexec "$@" -- cat /proc/self/limits |
		awk -v r="$row" 'index($0, r) == 1 {
			$0 = substr($0, 27); print $1, $2 }'
}

test_names_and_soft_default() {
	need_feature CONFIG_FEATURE_RLIMITS || return 0
	assertEquals "50 100" "$(limits 'Max open files' -l nofile=100:50)"
	assertEquals "100 100" "$(limits 'Max cpu time' --rlimit cpu=100)"
	assertEquals "0 0" "$(limits 'Max core file size' --rlimit=core=0)"
}

test_numbers_lists_and_repeats() {
	need_feature CONFIG_FEATURE_RLIMITS || return 0
	# 4 is RLIMIT_CORE on every architecture
	assertEquals "0 1000" "$(limits 'Max core file size' -l 4=1000:0)"
	out=$(justexec -l cpu=100,core=0 -l nofile=64:32 -l stack=8388608:1048576 \
		cat /proc/self/limits)
	assertContains "$out" "$(printf '%-26s%-21s%-21s' 'Max cpu time' 100 100)"
	assertContains "$out" "$(printf '%-26s%-21s%-21s' 'Max open files' 32 64)"
	assertContains "$out" "$(printf '%-26s%-21s%-21s' 'Max stack size' 1048576 8388608)"
}

test_unlimited() {
	need_feature CONFIG_FEATURE_RLIMITS || return 0
	[ "$(limits 'Max file size')" = "unlimited unlimited" ] || {
		skip_test "file size limit is not unlimited here"; return 0; }
	assertEquals "4096 unlimited" "$(limits 'Max file size' -l fsize=unlimited:4096)"
	assertEquals "unlimited unlimited" "$(limits 'Max file size' -l fsize=unlimited)"
}

test_nofile_really_limits() {
	need_feature CONFIG_FEATURE_RLIMITS || return 0
	# fds 0-9 only: opening fd 10 fails (stderr of bash itself is
	# redirected: a redirection on eval would need a spare fd >= 10)
	out=$(justexec -l nofile=10 bash -c '
		for ((i = 3; i < 20; i++)); do
			eval "exec $i</dev/null" || break
		done; echo $i' 2>/dev/null)
	assertEquals 10 "$out"
}

test_raising_above_hard_limit_fails() {
	need_feature CONFIG_FEATURE_RLIMITS || return 0
	need_root || return 0
	hard=$(limits 'Max open files' | cut -d' ' -f2)
	out=$(setpriv --reuid nobody --regid nogroup --clear-groups \
		"$BIN/justexec" -l nofile=$((hard + 1)) true 2>&1); rc=$?
	assertEquals 127 $rc
	assertContains "$out" "setrlimit nofile"
}

test_malformed_values_exit_4() {
	need_feature CONFIG_FEATURE_RLIMITS || return 0
	for v in =3 cpu= cpu=qqq cpu foo=1 cpu=1: cpu=1:x "" , cpu=1, \
		cpu=1,,core=0 cpu=5:6 cpu=-1 99=1 16=1 cpu=1:2:3 \
		cpu=99999999999999999999999; do
		out=$(justexec -l "$v" true 2>&1); rc=$?
		assertEquals "'$v'" 4 $rc
		assertContains "'$v': $out" "$out" "-l: "
		assertContains "'$v': $out" "$out" "'$v'"
	done
	out=$(justexec --rlimit cpu=qqq true 2>&1)
	assertEquals "justexec: --rlimit: bad limit 'qqq' in 'cpu=qqq'" "$out"
	out=$(justexec --rlimit=foo=1 true 2>&1)
	assertEquals "justexec: --rlimit: unknown resource 'foo' in 'foo=1'" "$out"
}

. shunit2
