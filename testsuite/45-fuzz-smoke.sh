#!/bin/bash
# A short libFuzzer run of fuzz/ (request decoder, /proc status parser,
# dived's option parser, the passwd/group parser, the fd placement, the
# audit line's escaping, the tiny allocator) from the committed corpus: each target a few
# seconds under ASan+UBSan (scripts/fuzz.sh --smoke). `make fuzz` is the
# long run. Skips when clang or libFuzzer is not there.
. "$TOP/testsuite/lib.sh"

test_fuzz_smoke() {
	need_cmd clang || return 0
	# build first: a missing toolchain is a skip, not a failure
	FUZZ_OUT="$TOP/build/fuzz" sh "$TOP/scripts/fuzz.sh" --build >"$T/build.log" 2>&1
	rc=$?
	if [ $rc -eq 2 ]; then
		skip_test "cannot build libFuzzer targets: $(tail -1 "$T/build.log")"
		return 0
	fi
	assertEquals "$(cat "$T/build.log")" 0 $rc
	out=$(SMOKE_TIME=${SMOKE_TIME:-8} sh "$TOP/scripts/fuzz.sh" --smoke 2>&1)
	assertEquals "$out" 0 $?
	assertContains "$out" "fuzz: proto"
	assertContains "$out" "fuzz: options"
	assertContains "$out" "fuzz: pwdb"
	assertContains "$out" "fuzz: fdplace"
	assertContains "$out" "fuzz: audit"
	assertContains "$out" "fuzz: malloc"
}

. shunit2
