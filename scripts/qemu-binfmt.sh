#!/bin/sh
# qemu-binfmt.sh — let this machine execute other architectures' binaries
# through qemu-user (qemu-user-static), so that a cross-built divebox runs
# like a native one: its applet links, dived exec'ing a dive, the suites.
#
#   sh scripts/qemu-binfmt.sh NAME...    (names of scripts/arch.sh)
#
# Mounts binfmt_misc if needed and registers Debian's entries
# (/usr/lib/binfmt.d/qemu-QEMU.conf) for each NAME that is not this
# machine's own, with flags PF only: F opens the interpreter now, so it
# works inside chroots and mount namespaces too; without Debian's O (open
# the binary for qemu), which leaves qemu's fd of the binary open in every
# program the emulated dived execs (at fd 0 if the client closed it), where
# the suites rightly look for leaked fds. An entry registered with O is
# replaced. Needs root.
# Exit 1 if one cannot be registered (no qemu-user-static, no binfmt_misc).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
say() { echo "qemu-binfmt: $*"; }
die() { echo "qemu-binfmt: error: $*" >&2; exit 1; }

B=/proc/sys/fs/binfmt_misc
if [ ! -e $B/register ]; then
	[ "$(id -u)" = 0 ] || die "binfmt_misc is not mounted; run as root"
	mount -t binfmt_misc binfmt_misc $B 2>/dev/null ||
		die "cannot mount binfmt_misc on $B"
fi
host=$(sh "$HERE/arch.sh" --triplet "$(gcc -dumpmachine)" name 2>/dev/null || true)
rc=0
for a in "$@"; do
	q=$(sh "$HERE/arch.sh" "$a" qemu) || die "unknown architecture '$a'"
	[ "$(sh "$HERE/arch.sh" "$a" name)" != "$host" ] || continue
	# i386 runs natively on an x86_64 kernel (IA32 emulation)
	[ "$q" != i386 ] || [ "$host" != x86_64 ] || continue
	if [ -e "$B/qemu-$q" ]; then
		grep -q '^flags: .*O' "$B/qemu-$q" || continue
		[ "$(id -u)" = 0 ] || die "qemu-$q is registered with flag O; run as root"
		echo -1 >"$B/qemu-$q"
	fi
	conf=/usr/lib/binfmt.d/qemu-$q.conf
	if [ ! -f "$conf" ]; then
		echo "qemu-binfmt: $conf missing (install qemu-user-static)" >&2
		rc=1
		continue
	fi
	[ "$(id -u)" = 0 ] || die "registering qemu-$q needs root"
	if grep -v '^#' "$conf" | head -n 1 | sed 's/:[A-Z]*$/:PF/' >$B/register; then
		say "registered qemu-$q"
	else
		echo "qemu-binfmt: cannot register qemu-$q" >&2
		rc=1
	fi
done
exit $rc
