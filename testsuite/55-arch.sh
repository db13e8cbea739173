#!/bin/bash
# The binary as it is shipped: under any name beginning with "divebox"
# (release files are divebox-ARCH), `divebox --install` that neither
# truncates a long path nor replaces a file that is not divebox, `make
# install` that never runs the (maybe foreign) binary, and the shape of the
# binaries make check-arch / make release build (static, stripped, the
# right machine, no build paths inside).
. "$TOP/testsuite/lib.sh"

test_renamed_binary_is_divebox() {
	for n in divebox-armhf divebox.static divebox-0.1.0-x86_64; do
		cp "$DIVEBOX" "$T/$n"
		assertEquals "$n --list" "$("$DIVEBOX" --list)" "$("$T/$n" --list)"
		assertEquals "$n justexec" "ran" "$("$T/$n" justexec -- /bin/echo ran)"
		assertContains "$n --version" "$("$T/$n" --version)" "(divebox)"
	done
	# an applet's name is still that applet, any other name is not one
	ln -s "$T/divebox-armhf" "$T/justexec"
	assertEquals "ran" "$("$T/justexec" -- /bin/echo ran)"
	ln -s "$T/divebox-armhf" "$T/frob"
	assertContains "$("$T/frob" 2>&1)" "frob: applet not found"
	# divebox-APPLET is that applet (the Debian package's divebox-dive)
	ln -s "$T/divebox-armhf" "$T/divebox-justexec"
	assertEquals "ran" "$("$T/divebox-justexec" -- /bin/echo ran)"
	ln -s "$T/divebox-armhf" "$T/divebox-dive"
	assertContains "$("$T/divebox-dive" --version)" "dive (divebox)"
}

# Attack (issue 11): a file that has an applet's name but is not divebox
# (here a secret, elsewhere a user's script) was unlinked and replaced.
test_install_refuses_unrelated_file() {
	mkdir "$T/d"
	echo secret >"$T/d/dived"
	ln -s /etc/passwd "$T/d/justexec"
	out=$("$DIVEBOX" --install "$T/d" 2>&1); rc=$?
	assertNotEquals "refused: exit status" 0 $rc
	assertContains "$out" "$T/d/dived exists and is not this divebox"
	assertContains "$out" "$T/d/justexec exists and is not this divebox"
	assertEquals "the file is untouched" secret "$(cat "$T/d/dived")"
	assertEquals "the symlink is untouched" /etc/passwd "$(readlink "$T/d/justexec")"
	# the free name was still installed
	assertTrue "dive installed" "[ $T/d/dive -ef $DIVEBOX ]"
	out=$("$DIVEBOX" --install -s "$T/d" 2>&1)
	assertNotEquals "-s refused too" 0 $?
	assertEquals "secret" "$(cat "$T/d/dived")"
}

test_install_replaces_its_own_links() {
	mkdir "$T/own"
	cp "$DIVEBOX" "$T/own/divebox"
	mkdir "$T/own/d"
	ln "$T/own/divebox" "$T/own/d/dive"           # a hard link to it
	ln -s "$T/own/divebox" "$T/own/d/dived"       # a symlink to it
	"$T/own/divebox" --install -s "$T/own/d" || fail "install -s over its own links"
	for a in dive dived justexec; do
		assertEquals "$a" "$T/own/divebox" "$(readlink "$T/own/d/$a")"
	done
	"$T/own/divebox" --install "$T/own/d" || fail "install over its own symlinks"
	for a in dive dived justexec; do
		assertTrue "$a is a hard link" "[ ! -L $T/own/d/$a ] && [ $T/own/d/$a -ef $T/own/divebox ]"
	done
}

# Attack (issue 11): a DIR near PATH_MAX made "DIR/dive" silently cut to
# another name, and that name was unlinked and linked.
test_install_long_path_fails_whole() {
	long=$T
	while [ ${#long} -lt 4000 ]; do long=$long/$(printf '%0200d' 0); done
	# DIR/ plus 3 bytes fits in PATH_MAX (4096 with the NUL), "dive" not
	pad=$((4096 - 1 - ${#long} - 1 - 1 - 3))
	long=$long/$(printf "%0${pad}d" 0)
	mkdir -p "$long" || { fail "cannot make the long directory"; return; }
	out=$("$DIVEBOX" --install "$long" 2>&1); rc=$?
	assertNotEquals "exit status" 0 $rc
	assertContains "$out" "name too long"
	assertEquals "nothing created" "" "$(ls -A "$long")"
	assertEquals "nothing created above" 1 "$(ls -A "$(dirname "$long")" | wc -l)"
}

# make install of a cross build must not run the binary (it may be for
# another machine): a stand-in "binary" that records being run
test_make_install_does_not_run_the_binary() {
	need_cmd make || return 0
	mkdir -p "$T/o"
	printf '#!/bin/sh\ntouch %s/ran\n' "$T" >"$T/o/divebox"
	chmod 755 "$T/o/divebox"
	cp "$TOP/configs/defconfig" "$T/o/.config"
	make -s -C "$TOP" O="$T/o" -o "$T/o/divebox" install DESTDIR="$T/root" \
		PREFIX=/usr >"$T/install.log" 2>&1 ||
		{ cat "$T/install.log"; fail "make install failed"; return; }
	assertFalse "the binary was run" "[ -e $T/ran ]"
	for a in dive dived justexec; do
		assertTrue "$a linked" "[ $T/root/usr/bin/$a -ef $T/root/usr/bin/divebox ]"
	done
}

# usage: check_shape FILE MACHINE — a release-shaped binary
check_shape() {
	out=$(file -L "$1")
	assertContains "$1" "$out" "$2"
	assertContains "$1" "$out" "statically linked"
	assertContains "$1" "$out" ", stripped"
	# no build directory, source directory or date inside
	assertFalse "$1 holds a build path" "grep -aq -e '$TOP' -e /tmp/ -e /work/ '$1'"
}

test_built_architectures_are_release_shaped() {
	n=0
	for a in $(sh "$TOP/scripts/arch.sh" list); do
		f=$TOP/build/arch-$a/divebox
		[ -f "$f" ] || f=$TOP/build/release/divebox-$a
		[ -f "$f" ] || continue
		case $a in
		x86_64) m="x86-64" ;; i386) m="Intel 80386" ;; armhf) m="ARM, EABI5" ;;
		aarch64) m="ARM aarch64" ;; mipsel) m="MIPS32" ;; s390x) m="IBM S/390" ;;
		ppc64el) m="64-bit PowerPC" ;;
		esac
		check_shape "$f" "$m"
		n=$((n + 1))
	done
	[ $n -gt 0 ] || skip_test "no cross build here (make check-arch or make release)"
}

. shunit2
