#!/bin/bash
# Cross build: configs/defconfig with CONFIG_CROSS_COMPILER_PREFIX=
# "aarch64-linux-musl-" (Debian's musl-dev:arm64 wrapper) in
# build/cfg-aarch64-musl gives a static, stripped aarch64 musl divebox
# with capabilities (libcap-ng cross-built from Debian's source package,
# build/libcap-ng-aarch64). It runs under qemu-aarch64-static: applets,
# justexec's setup, capabilities, and dive/dived sessions, also across
# architectures (the wire format has fixed widths). Every architecture
# with its suites: make check-arch (scripts/check-arch.sh).
. "$TOP/testsuite/lib.sh"

CROSS=aarch64-linux-musl-
BINUTILS=aarch64-linux-gnu-
OUT=$TOP/build/cfg-aarch64-musl
XBIN=$OUT/divebox
QEMU=qemu-aarch64-static

# usage: build_cross — incremental; "" in $BUILD_ERR on success
build_cross() {
	mkdir -p "$OUT"
	# defconfig with the cross prefix remembered, so that a plain
	# "make O=build/cfg-aarch64-musl" builds for aarch64 too
	cp "$TOP/configs/defconfig" "$OUT/aarch64.defconfig.new"
	echo "CONFIG_CROSS_COMPILER_PREFIX=\"$CROSS\"" >>"$OUT/aarch64.defconfig.new"
	if ! cmp -s "$OUT/aarch64.defconfig.new" "$OUT/aarch64.defconfig" ||
		[ ! -f "$OUT/.config" ]; then
		mv "$OUT/aarch64.defconfig.new" "$OUT/aarch64.defconfig"
		KCONFIG_CONFIG=$OUT/.config kconfig-conf -s \
			--defconfig="$OUT/aarch64.defconfig" "$TOP/Config.in" >/dev/null
	fi
	rm -f "$OUT/aarch64.defconfig.new"
	make -s -C "$TOP" O="$OUT" CROSS_COMPILE=$CROSS >"$OUT/make.log" 2>&1 ||
		BUILD_ERR=$(tail -20 "$OUT/make.log")
}

suite_setup() {
	BUILD_ERR="not built"
	command -v ${CROSS}gcc >/dev/null 2>&1 || return 0
	BUILD_ERR=""
	build_cross
}

test_setup() {
	need_cmd ${CROSS}gcc || return 0
	[ -z "$BUILD_ERR" ] || fail "cross build failed: $BUILD_ERR"
}

# usage: need_qemu || return 0
need_qemu() {
	[ -n "$__skip_reason" ] && return 1
	need_cmd $QEMU || return 1
	[ -x "$XBIN" ] || { fail "no $XBIN"; return 1; }
}

test_binary_is_static_aarch64_with_caps() {
	[ -n "$__skip_reason" ] && return 0
	out=$(file -L "$XBIN")
	assertContains "$out" "ARM aarch64"
	assertContains "$out" "statically linked"
	assertContains "$out" ", stripped"
	assertContains "caps in this config" "$(cat "$OUT/.config")" "CONFIG_FEATURE_CAPS=y"
}

test_plain_make_remembers_cross_prefix() {
	[ -n "$__skip_reason" ] && return 0
	# CONFIG_CROSS_COMPILER_PREFIX in .config: a plain make (no
	# CROSS_COMPILE=) compiles and links with the cross compiler too, the
	# target's kernel headers and libcap-ng, and strips with the target's
	# binutils (the musl wrapper has no strip of its own)
	out=$(make -n -C "$TOP" O="$OUT" V=1 -W "$TOP/libcommon/util.c" 2>&1)
	assertContains "$out" "${CROSS}gcc "
	assertContains "$out" "${BINUTILS}strip "
	assertContains "$out" "musl-kheaders-aarch64"
	assertContains "$out" "libcap-ng-aarch64/lib/libcap-ng.a"
	assertNotContains "no -lcap-ng from nowhere" "$out" "-lcap-ng"
}

test_list_under_qemu() {
	need_qemu || return 0
	assertEquals "dive dived justexec" "$($QEMU "$XBIN" --list | tr '\n' ' ' | sed 's/ $//')"
	assertContains "$($QEMU "$XBIN" dived --version)" "dived (divebox)"
}

test_justexec_under_qemu() {
	need_qemu || return 0
	$QEMU "$XBIN" justexec -- /bin/true
	assertEquals 0 $?
	# setup done by aarch64 code: rlimit and chdir, then the exit status
	out=$($QEMU "$XBIN" justexec -l nofile=64 -h / -- /bin/sh -c 'ulimit -n; pwd; exit 5')
	assertEquals 5 $?
	assertEquals "64 /" "$(echo $out)"
	$QEMU "$XBIN" justexec --rlimit cpu= -- /bin/true 2>/dev/null
	assertEquals "usage error" 4 $?
}

test_capabilities_under_qemu() {
	need_qemu || return 0
	need_root || return 0
	# libcap-ng's aarch64 code at work: an empty bounding set, and a
	# capability named in text
	out=$($QEMU "$XBIN" justexec -B '' -- grep CapBnd /proc/self/status)
	assertEquals "CapBnd:	0000000000000000" "$out"
	out=$($QEMU "$XBIN" justexec -B net_raw -- grep CapBnd /proc/self/status)
	assertEquals "CapBnd:	0000000000002000" "$out"
}

test_dive_dived_under_qemu() {
	need_qemu || return 0
	rm -f "$T/a.sock"
	$QEMU "$XBIN" dived "$T/a.sock" >>"$T/dived.log" 2>&1 &
	track_pid $!
	wait_socket "$T/a.sock" || { cat "$T/dived.log"; fail "no socket"; return; }
	echo "fd seven" >"$T/f"
	n=0
	until out=$($QEMU "$XBIN" dive "$T/a.sock" sh -c 'cat <&7; exit 3' 7<"$T/f"); [ $? = 3 ]; do
		n=$((n + 1))
		[ $n -lt 100 ] || break
		sleep 0.05
	done
	assertEquals "aarch64 dive to aarch64 dived" "fd seven" "$out"
	# across architectures: the host's dive to the aarch64 dived...
	out=$(dive "$T/a.sock" sh -c 'echo native; exit 4')
	assertEquals 4 $?
	assertEquals "native" "$out"
	# ...and the aarch64 dive to the host's dived
	start_dived "$T/h.sock" || return
	out=$($QEMU "$XBIN" dive "$T/h.sock" sh -c 'echo from arm; exit 6')
	assertEquals 6 $?
	assertEquals "from arm" "$out"
}

. shunit2
