#!/bin/bash
# Boot proof (scripts/initramfs-test.sh, also `make check-initramfs`): an
# initramfs of busybox + divebox booted with the distribution's kernel in
# qemu (TCG, about 6 s); /init runs dived -s net -d and dive sessions and
# the console must show their results. Skips without qemu-system-x86_64,
# a kernel in /boot or a static busybox.
. "$TOP/testsuite/lib.sh"

test_boot_initramfs() {
	out=$(DIVEBOX=$DIVEBOX sh "$TOP/scripts/initramfs-test.sh" 2>&1)
	rc=$?
	if [ $rc = 2 ]; then
		skip_test "$(echo "$out" | sed -n 's/.*SKIP: //p')"
		return 0
	fi
	[ $rc = 0 ] || echo "$out"
	assertEquals "initramfs-test.sh exit" 0 $rc
	assertContains "$out" "all checks passed"
}

. shunit2
