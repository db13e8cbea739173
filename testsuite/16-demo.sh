#!/bin/bash
# `make demo` (scripts/demo.sh): the dive into a fresh network namespace
# shows what it says, and leaves nothing behind.
. "$TOP/testsuite/lib.sh"

test_demo() {
	need_root || return 0
	need_cmd ip || return 0
	mkdir "$T/tmp"
	out=$(TMPDIR=$T/tmp timeout 60 sh "$TOP/scripts/demo.sh" </dev/null 2>&1); rc=$?
	assertEquals "$out" 0 $rc
	# inside the namespace: only lo, and it is down
	inside=$(echo "$out" | sed -n '/^\$ dive netless.sock ip -br link/,/^$/p' | sed 1d | awk NF)
	assertEquals "lo" "$(echo "$inside" | awk '{ print $1 }')"
	assertContains "$out" "hello from the host's fd 7"
	assertContains "$out" "exit status: 42"
	assertContains "$out" "# Clean up"
	assertEquals "temporary directory removed" "" "$(ls "$T/tmp")"
	pid=$(echo "$out" | sed -n 's/^\$ kill \([0-9]*\)$/\1/p')
	assertNotNull "dived's pid shown" "$pid"
	assertFalse "dived is gone" "[ -e /proc/$pid ]"
}

test_demo_needs_root() {
	need_root || return 0
	out=$(setpriv --reuid=nobody --regid=nogroup --clear-groups \
		sh "$TOP/scripts/demo.sh" 2>&1); rc=$?
	assertEquals 1 $rc
	assertContains "$out" "needs root"
}

. shunit2
