#!/bin/bash
# configs/nocreep_defconfig (SPEC §5): no auth hook, pivot_root, rlimits or
# capabilities; their options are refused naming the Kconfig switch, the
# rest of the process setup works, and libcap-ng is not linked in.
. "$TOP/testsuite/lib.sh"

suite_setup() {
	NC=$(sh "$TOP/testsuite/build-config.sh" nocreep) || NC=
	NC_UNSTRIPPED=$(dirname "$NC")/build/obj/divebox.unstripped
}

# usage: pre || return 0
pre() {
	[ -n "$NC" ] && return 0
	fail "nocreep build failed"
	return 1
}

nj() { "$NC" justexec "$@"; }

test_compiled_out_options_are_refused_naming_the_switch() {
	pre || return 0
	for args in "-a true:CONFIG_FEATURE_AUTH" \
		"--authenticate true:CONFIG_FEATURE_AUTH" \
		"-V /a /b:CONFIG_FEATURE_PIVOT_ROOT" \
		"-l cpu=1:CONFIG_FEATURE_RLIMITS" \
		"--rlimit=cpu=1:CONFIG_FEATURE_RLIMITS" \
		"-B chown:CONFIG_FEATURE_CAPS" "-b chown:CONFIG_FEATURE_CAPS" \
		"-c chown+p:CONFIG_FEATURE_CAPS" "-m chown:CONFIG_FEATURE_CAPS"; do
		opts=${args%%:*}
		out=$(nj $opts true 2>&1); rc=$?
		assertEquals "$opts" 4 $rc
		assertEquals "justexec: ${opts%%[ =]*}: not in this build (${args#*:})" "$out"
	done
}

test_help_does_not_offer_them() {
	pre || return 0
	out=$(nj --help)
	for o in --authenticate --pivot-root --rlimit --retain-capabilities \
		--remove-capabilities --set-capabilities --ambient-capabilities; do
		assertNotContains "$o" "$out" "$o"
	done
	assertContains "$out" "--unshare"
	assertContains "$out" "--chroot"
}

test_the_rest_still_works() {
	pre || return 0
	assertEquals "ok" "$(nj -P echo ok)"
	assertEquals "1" "$(nj -X awk '/^NoNewPrivs/ { print $2 }' /proc/self/status)"
	need_root || return 0
	assertEquals "lo" "$(nj -s net cat /proc/net/dev | sed 1,2d | cut -d: -f1 | tr -d ' ')"
	assertEquals "1" "$(nj -s pid sh -c 'echo $$')"
	assertEquals "$T" "$(nj -R / -h "$T" pwd)"
	assertEquals "65534" "$(nj -u nobody id -u)"
	assertEquals "0000000000000000" \
		"$(nj -L awk '/^CapEff/ { print $2 }' /proc/self/status)"
}

test_static_and_without_libcap_ng() {
	pre || return 0
	assertContains "$(file -L "$NC")" "statically linked"
	# libcap-ng's name table ("checkpoint_restore"...) and symbols
	assertEquals 0 "$(strings "$NC" | grep -c -e checkpoint_restore -e capng)"
	if [ -f "$NC_UNSTRIPPED" ]; then
		assertEquals 0 "$(nm "$NC_UNSTRIPPED" | grep -c -i capng)"
	fi
	if grep -q '^CONFIG_FEATURE_CAPS=y' "$DIVEBOX_CONFIG" 2>/dev/null; then
		# control: the full build has the name table
		assertNotEquals 0 "$(strings "$DIVEBOX" | grep -c checkpoint_restore)"
	fi
}

. shunit2
