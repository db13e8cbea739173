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

# defconfig without CONFIG_FEATURE_SIGNALS (written only when it changes,
# so that the build stays incremental)
nosignals_build() {
	__d=$TOP/build/nosignals_defconfig
	mkdir -p "$TOP/build"
	sed 's/^CONFIG_FEATURE_SIGNALS=y$/# CONFIG_FEATURE_SIGNALS is not set/' \
		"$TOP/configs/defconfig" >"$T/nosig"
	cmp -s "$T/nosig" "$__d" || cp "$T/nosig" "$__d"
	sh "$TOP/testsuite/build-config.sh" nosignals "$__d"
}

# Without CONFIG_FEATURE_SIGNALS dived delivers nothing (its code is not
# in the binary) and has no -n; dive signals its program itself, which
# works where kill() may: same user, same pid namespace.
test_without_signal_forwarding() {
	need_root || return 0
	NS=$(nosignals_build) || { fail "nosignals build failed"; return 0; }
	out=$("$NS" dived "$T/s" -n 2>&1); rc=$?
	assertEquals 4 $rc
	assertContains "$out" "CONFIG_FEATURE_SIGNALS"
	u=$(dirname "$NS")/build/obj/divebox.unstripped
	if [ -f "$u" ]; then
		assertEquals "delivery code left" 0 \
			"$(nm "$u" | grep -c -e session_deliver_signal -e session_signal_slot)"
	fi
	"$NS" dived "$T/s" -C 777 -u root >>"$T/dived.log" 2>&1 &
	dp=$!
	track_pid $dp
	wait_socket "$T/s" || { fail "dived did not start"; return 0; }
	prog='trap "echo got TERM >$1; exit 0" TERM; echo $$ >$2; while :; do sleep 0.05; done'
	for who in root nobody; do
		rm -f "$T/got" "$T/up"
		setpriv --reuid=$who --regid=$(id -g $who) --clear-groups \
			"$NS" dive "$T/s" sh -c "$prog" sh "$T/got" "$T/up" 2>"$T/err" &
		cp=$!
		track_pid $cp
		n=0; until [ -s "$T/up" ] || [ $n -gt 500 ]; do n=$((n + 1)); sleep 0.02; done
		kill -TERM $cp
		n=0; until [ -s "$T/got" ] || [ $n -gt 50 ]; do n=$((n + 1)); sleep 0.02; done
		if [ $who = root ]; then
			assertEquals "dive's kill() reaches it" "got TERM" "$(cat "$T/got" 2>/dev/null)"
			assertEquals "root's dive says nothing" "" "$(cat "$T/err")"
		else
			assertFalse "nobody's dive cannot reach root's program" "[ -s '$T/got' ]"
			# ... and says so, once: all it said is there once
			# the program is gone and dive has ended
			kill -HUP $cp
			n=0; until grep -q . "$T/err" || [ $n -gt 100 ]; do n=$((n + 1)); sleep 0.02; done
			kill -KILL "$(cat "$T/up")"
			wait $cp
			assertEquals "dive: cannot pass signals on to the program: Operation not permitted" \
				"$(cat "$T/err")"
		fi
		kill -KILL "$(cat "$T/up")" $cp 2>/dev/null
		wait $cp 2>/dev/null
	done
	# a dive in a pid namespace of its own cannot see the program's pid
	rm -f "$T/got" "$T/up"
	unshare -pf --kill-child sh -c '"$1" dive "$2" sh -c "$3" sh "$4" "$5" 2>"$6" & wait' \
		sh "$NS" "$T/s" "$prog" "$T/got" "$T/up" "$T/err" 2>/dev/null &
	up=$!
	track_pid $up
	n=0; until [ -s "$T/up" ] || [ $n -gt 500 ]; do n=$((n + 1)); sleep 0.02; done
	inner=$(child_of $up) && cp=$(child_of $inner) || { fail "no dive"; return; }
	kill -TERM $cp
	n=0; until grep -q . "$T/err" || [ $n -gt 100 ]; do n=$((n + 1)); sleep 0.02; done
	kill -KILL "$(cat "$T/up")"
	wait $up
	assertFalse "the program was not reached" "[ -s '$T/got' ]"
	assertEquals "dive: cannot pass signals on to the program: its pid is not visible here" \
		"$(cat "$T/err")"
	kill $dp; wait $dp 2>/dev/null || :
}

. shunit2
