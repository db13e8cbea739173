#!/bin/bash
# Multi-call dispatch, --list/--help/--version/--install, static binary,
# per-config applet lists (SPEC §1, §5).
. "$TOP/testsuite/lib.sh"

test_list_default_applets() {
	assertEquals "dive dived justexec" "$("$DIVEBOX" --list | tr '\n' ' ' | sed 's/ $//')"
}

test_help_lists_applets_and_exits_0() {
	out=$("$DIVEBOX" --help); rc=$?
	assertEquals 0 $rc
	assertContains "$out" "Applets in this build: dive dived justexec"
}

test_no_argument_is_usage_error() {
	"$DIVEBOX" >/dev/null 2>&1
	assertEquals 4 $?
}

test_version_everywhere() {
	assertContains "$("$DIVEBOX" --version)" "protocol 1"
	assertContains "$(dive --version)" "dive (divebox)"
	assertContains "$(dived --version)" "dived (divebox)"
	assertContains "$(justexec --version)" "justexec (divebox)"
}

test_dispatch_by_argument_and_by_link_name() {
	# the same applet, reached two ways, prints the same usage
	a=$("$DIVEBOX" dive 2>&1); b=$(dive 2>&1)
	assertEquals "$a" "$b"
	assertContains "$a" "Usage: dive"
	ln -s "$DIVEBOX" "$T/justexec"
	assertEquals "via-link" "$("$T/justexec" -- /bin/echo via-link)"
}

test_unknown_applet() {
	out=$("$DIVEBOX" frobnicate 2>&1); rc=$?
	assertEquals 127 $rc
	assertEquals "divebox: frobnicate: applet not found" "$out"
	ln -s "$DIVEBOX" "$T/nosuch"
	assertContains "$("$T/nosuch" 2>&1)" "nosuch: applet not found"
}

test_unknown_divebox_option() {
	"$DIVEBOX" --frob >/dev/null 2>&1
	assertEquals 4 $?
}

test_install_hard_links() {
	mkdir "$T/hard"
	"$DIVEBOX" --install "$T/hard" || fail "install failed"
	assertEquals "dive dived justexec" "$(ls "$T/hard" | tr '\n' ' ' | sed 's/ $//')"
	assertEquals "$(stat -c %i "$DIVEBOX")" "$(stat -c %i "$T/hard/dived")"
	assertTrue "hard link is not a symlink" "[ ! -L $T/hard/dive ]"
	assertContains "$("$T/hard/dived" --version)" "dived (divebox)"
}

test_install_symlinks_replaces_existing() {
	mkdir "$T/soft"
	ln "$DIVEBOX" "$T/soft/dive" # an older install of this divebox
	"$DIVEBOX" --install -s "$T/soft" || fail "install -s failed"
	assertTrue "dive is a symlink" "[ -L $T/soft/dive ]"
	assertEquals "$DIVEBOX" "$(readlink "$T/soft/dive")"
	assertContains "$("$T/soft/justexec" --version)" "justexec (divebox)"
}

test_install_usage() {
	"$DIVEBOX" --install >/dev/null 2>&1
	assertEquals 4 $?
}

test_binary_is_static_and_stripped() {
	[ -n "$DIVEBOX_DYNAMIC" ] && { skip_test "dynamic build under test"; return 0; }
	out=$(file -L "$DIVEBOX")
	assertContains "$out" "statically linked"
	assertContains "$out" "stripped"
	assertNotContains "$out" "not stripped"
}

test_nocreep_config_list() {
	bin=$(sh "$TOP/testsuite/build-config.sh" nocreep) || fail "nocreep build failed"
	assertEquals "dive dived justexec" "$("$bin" --list | tr '\n' ' ' | sed 's/ $//')"
	assertContains "$(file -L "$bin")" "statically linked"
}

test_client_config_list_and_missing_applets() {
	bin=$(sh "$TOP/testsuite/build-config.sh" client) || fail "client build failed"
	assertEquals "dive" "$("$bin" --list)"
	out=$("$bin" dived 2>&1); rc=$?
	assertEquals 127 $rc
	assertContains "$out" "dived: applet not found"
	mkdir "$T/c" && ln -s "$bin" "$T/c/justexec"
	assertContains "$("$T/c/justexec" 2>&1)" "justexec: applet not found"
}

. shunit2
