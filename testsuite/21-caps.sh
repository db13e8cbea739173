#!/bin/bash
# Capabilities (SPEC §3): -B/-b bounding set, -c process sets, -m ambient
# set, as the started program sees them in /proc/self/status.
. "$TOP/testsuite/lib.sh"

# "Inh Prm Eff Bnd Amb" of a program started with these options.
caps() {
	justexec "$@" -- awk '/^Cap/ { printf "%s ", $2 }' /proc/self/status |
		sed 's/ $//'
}

hex() { printf '%016x' $(($1)); }

# The bounding set we run with (some hosts already lack some capabilities).
suite_setup() {
	HOST_BND=$((0x$(awk '/^CapBnd/ { print $2 }' /proc/self/status)))
}

# usage: pre || return 0
pre() { need_feature CONFIG_FEATURE_CAPS && need_root; }

test_retain_nothing_drops_all() {
	pre || return 0
	z=0000000000000000
	assertEquals "$z $z $z $z $z" "$(caps -B '')"
}

test_retain_list_names_any_case_and_prefix() {
	pre || return 0
	b=$(hex "(1 << 13 | 1 << 0) & HOST_BND") # net_raw, chown
	z=0000000000000000
	# root: the exec gives it everything the bounding set still allows
	assertEquals "$z $b $b $b $z" "$(caps -B net_raw,CAP_CHOWN)"
	assertEquals "$z $b $b $b $z" "$(caps --retain-capabilities Cap_Net_Raw,0)"
	assertEquals "$z $b $b $b $z" "$(caps --retain-capabilities=13,chown)"
}

test_remove_list() {
	pre || return 0
	assertEquals "$(hex "HOST_BND & ~(1 << 13)")" \
		"$(caps -b net_raw | cut -d' ' -f4)"
	assertEquals "$(hex "HOST_BND & ~(1 << 13 | 1 << 21)")" \
		"$(caps -b cap_net_raw,CAP_SYS_ADMIN | cut -d' ' -f4)"
	# dropping what is not there is no error
	assertEquals "$(hex "HOST_BND & ~(1 << 13)")" \
		"$(justexec -b net_raw justexec -b net_raw awk '/^CapBnd/ { print $2 }' /proc/self/status)"
}

test_set_capabilities_exactly() {
	pre || return 0
	bnd=$(hex HOST_BND)
	z=0000000000000000
	# as nobody only the inheritable set survives the exec
	assertEquals "$(hex '1 << 13') $z $z $bnd $z" \
		"$(caps -u nobody -c 'cap_net_raw+eip cap_chown+p')"
	assertEquals "$(hex '1 << 11') $z $z $bnd $z" "$(caps -u nobody -c '11+i')"
	assertEquals "$(hex '1 << 0 | 1 << 13') $z $z $bnd $z" \
		"$(caps -u nobody -c 'cap_chown,cap_net_raw,cap_kill+eip cap_kill-i')"
	# "=" sets exactly the given flags
	assertEquals "$(hex '1 << 13') $z $z $bnd $z" \
		"$(caps -u nobody -c 'net_raw,chown+i chown=p')"
	# "all" or nothing before the operator: every capability there is
	assertEquals "$bnd $z $z $bnd $z" "$(caps -u nobody -c '=i')"
	assertEquals "$(hex "HOST_BND & ~(1 << 13)") $z $z $bnd $z" \
		"$(caps -u nobody -c 'all+eip net_raw-i')"
	# a later -c replaces an earlier one
	assertEquals "$(hex '1 << 0') $z $z $bnd $z" \
		"$(caps -u nobody -c 'net_raw+i' -c 'chown+i')"
}

test_effective_must_be_permitted() {
	need_feature CONFIG_FEATURE_CAPS || return 0
	out=$(justexec -c 'cap_net_raw+ei cap_chown+p' true 2>&1); rc=$?
	assertEquals 4 $rc
	assertContains "$out" "-c: effective capabilities must be permitted"
}

test_ambient_with_user_switch() {
	pre || return 0
	n=$(hex '1 << 13')
	assertEquals "$n $n $n $(hex HOST_BND) $n" \
		"$(caps -u nobody -c 'cap_net_raw+eip' -m cap_net_raw)"
	# locked NOROOT: root's own exec gains nothing but the ambient set
	assertEquals "$n $n $n $(hex HOST_BND) $n" \
		"$(caps -L -c 'cap_net_raw+eip' -m net_raw)"
}

test_ambient_capability_really_works() {
	pre || return 0
	touch "$T/f"
	chown nobody "$T/f"
	justexec -u nobody chown root "$T/f" 2>/dev/null
	assertNotEquals "no CAP_CHOWN: chown fails" 0 $?
	justexec -u nobody -c 'chown+eip' -m chown chown root "$T/f"
	assertEquals 0 $?
	assertEquals root "$(stat -c %U "$T/f")"
}

test_ambient_needs_inheritable() {
	pre || return 0
	out=$(justexec -u nobody -m net_raw true 2>&1); rc=$?
	assertEquals 127 $rc
	assertContains "$out" "permitted and inheritable"
}

test_retain_and_remove_are_incompatible() {
	need_feature CONFIG_FEATURE_CAPS || return 0
	out=$(justexec -B chown -b net_raw true 2>&1); rc=$?
	assertEquals 4 $rc
	assertContains "$out" "incompatible"
}

test_bad_capabilities_exit_4() {
	need_feature CONFIG_FEATURE_CAPS || return 0
	for args in "-B bogus" "-b cap_" "-B chown,,net_raw" "-B chown," \
		"-m 99" "-m 41x" "-c foo+e" "-c net_raw+x" "-c net_raw" \
		"-c net_raw+" "--set-capabilities=bogus+p"; do
		out=$(justexec $args true 2>&1); rc=$?
		assertEquals "$args" 4 $rc
		opt=${args%% *}
		assertContains "$args: $out" "$out" "${opt%%=*}: "
	done
	assertContains "$(justexec -B bogus true 2>&1)" "unknown capability 'bogus'"
}

. shunit2
