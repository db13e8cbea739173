#!/bin/sh
# arch.sh — the one table of the architectures divebox is released for.
#
#   sh scripts/arch.sh list                  the release names, one a line
#   sh scripts/arch.sh NAME FIELD            one field of NAME's row
#   sh scripts/arch.sh --triplet TRIPLET FIELD   the same, found by the
#                                            GNU triplet (gcc -dumpmachine)
#
# FIELD: name (release name: build/release/divebox-NAME), deb (Debian
# architecture: musl-dev:DEB), cross (the musl wrapper's prefix: Debian's
# musl-dev:DEB installs CROSSgcc), gnu (the GNU triplet: binutils-GNU,
# /usr/GNU/include), qemu (qemu-QEMU-static).
# Exit 1 (and nothing printed) for a name or triplet not in the table.
set -eu

table() {
	cat <<'EOF'
x86_64  amd64   x86_64-linux-musl-       x86_64-linux-gnu       x86_64
i386    i386    i386-linux-musl-         i686-linux-gnu         i386
armhf   armhf   arm-linux-musleabihf-    arm-linux-gnueabihf    arm
aarch64 arm64   aarch64-linux-musl-      aarch64-linux-gnu      aarch64
mipsel  mipsel  mipsel-linux-musl-       mipsel-linux-gnu       mipsel
s390x   s390x   s390x-linux-musl-        s390x-linux-gnu        s390x
ppc64el ppc64el powerpc64le-linux-musl-  powerpc64le-linux-gnu  ppc64le
EOF
}

col() {
	case $1 in
	name) echo 1 ;; deb) echo 2 ;; cross) echo 3 ;; gnu) echo 4 ;; qemu) echo 5 ;;
	*) echo "arch.sh: unknown field '$1'" >&2; exit 2 ;;
	esac
}

case ${1:-} in
list) table | awk '{ print $1 }' ;;
--triplet)
	[ $# -eq 3 ] || { echo "usage: arch.sh --triplet TRIPLET FIELD" >&2; exit 2; }
	c=$(col "$3")
	out=$(table | awk -v t="$2" -v c="$c" '$4 == t { print $c }')
	[ -n "$out" ] || exit 1
	echo "$out" ;;
''|-h|--help) sed -n '2,14s/^# \{0,1\}//p' "$0" ;;
*)
	[ $# -eq 2 ] || { echo "usage: arch.sh NAME FIELD" >&2; exit 2; }
	c=$(col "$2")
	out=$(table | awk -v n="$1" -v c="$c" '$1 == n || $2 == n { print $c }')
	[ -n "$out" ] || exit 1
	echo "$out" ;;
esac
