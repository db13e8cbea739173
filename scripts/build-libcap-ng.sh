#!/bin/bash
# build-libcap-ng.sh - build libcap-ng as a static musl library from Debian's
# source package (cached: runs once per BUILDDIR).
#
# usage: scripts/build-libcap-ng.sh [--arch NAME] BUILDDIR
#        scripts/build-libcap-ng.sh [--arch NAME] --kheaders-only BUILDDIR
#        scripts/build-libcap-ng.sh --source-only BUILDDIR
#
# --arch NAME (a name of scripts/arch.sh: i386, armhf, aarch64, ...)
# builds it with that architecture's musl cross wrapper (Debian's
# musl-dev:ARCH) into BUILDDIR/musl-kheaders-NAME and BUILDDIR/libcap-ng-NAME
# (the kernel headers from /usr/GNU-TRIPLET/include, linux-libc-dev-ARCH-
# cross, or from the multiarch linux-libc-dev:ARCH). The Debian source
# package is downloaded once into BUILDDIR/libcap-ng-src/ for every
# architecture (--source-only: just that; releases ship it, see NOTICE).
#
# Produces (without --arch):
#   BUILDDIR/musl-kheaders/{linux,asm,asm-generic}  symlinks to the system's
#       kernel UAPI headers (musl-gcc's include path lacks them); use with
#       musl-gcc -isystem BUILDDIR/musl-kheaders
#   BUILDDIR/musl-kheaders/.stamp           (mtime = the kernel headers')
#   BUILDDIR/libcap-ng/include/cap-ng.h
#   BUILDDIR/libcap-ng/lib/libcap-ng.a      (-Os -ffunction-sections -fdata-sections)
#   BUILDDIR/libcap-ng/.stamp               (present => nothing to do)
#   BUILDDIR/libcap-ng/build.log
# To force a rebuild: rm -rf BUILDDIR/libcap-ng
set -eu

PKG=libcap-ng
CFLAGS_LIB="-Os -ffunction-sections -fdata-sections"
HERE=$(cd "$(dirname "$0")" && pwd)

me=build-libcap-ng
say() { echo "$me: $*"; }
die() { echo "$me: error: $*" >&2; exit 1; }
usage() { die "usage: $0 [--kheaders-only] BUILDDIR"; }

kheaders_only=0
source_only=0
arch=
while [ $# -gt 1 ]; do
	case $1 in
	--kheaders-only) kheaders_only=1; shift ;;
	--source-only) source_only=1; shift ;;
	--arch) arch=$2; shift 2 ;;
	*) break ;;
	esac
done
case ${1:-} in
-h|--help) sed -n '2,28s/^# \{0,1\}//p' "$0"; exit 0 ;;
-*) usage ;;
esac
[ $# -eq 1 ] && [ -n "$1" ] || usage

mkdir -p "$1"
B=$(cd "$1" && pwd)
SRC=$B/libcap-ng-src
if [ -n "$arch" ]; then
	CROSS=$(sh "$HERE/arch.sh" "$arch" cross) || die "unknown architecture '$arch' (see scripts/arch.sh list)"
	GNU=$(sh "$HERE/arch.sh" "$arch" gnu)
	QEMU=qemu-$(sh "$HERE/arch.sh" "$arch" qemu)-static
	DEB=$(sh "$HERE/arch.sh" "$arch" deb)
	arch=$(sh "$HERE/arch.sh" "$arch" name)
	KH=$B/musl-kheaders-$arch
	OUT=$B/libcap-ng-$arch
	MUSLCC=${CROSS}gcc
else
	KH=$B/musl-kheaders
	OUT=$B/libcap-ng
	MUSLCC=musl-gcc
fi
STAMP=$OUT/.stamp

# --- step 1: kernel headers for musl-gcc (idempotent, silent) -------------
# kheaders_link LINUX ASM GENERIC: the three links of $KH, and the stamp
kheaders_link() {
	mkdir -p "$KH"
	[ "$(readlink "$KH/linux" 2>/dev/null)" = "$1" ] || ln -sfn "$1" "$KH/linux"
	[ "$(readlink "$KH/asm" 2>/dev/null)" = "$2" ] || ln -sfn "$2" "$KH/asm"
	[ "$(readlink "$KH/asm-generic" 2>/dev/null)" = "$3" ] ||
		ln -sfn "$3" "$KH/asm-generic"
	local ref=$1/version.h
	if [ -f "$ref" ]; then
		[ "$(stat -c %Y "$KH/.stamp" 2>/dev/null)" = "$(stat -c %Y "$ref")" ] ||
			touch -r "$ref" "$KH/.stamp"
	else
		[ -e "$KH/.stamp" ] || touch "$KH/.stamp"
	fi
}

# The target's kernel headers: the cross ones (linux-libc-dev-DEB-cross,
# /usr/GNU/include) or the multiarch ones (linux-libc-dev:DEB).
kheaders_cross() {
	local d=/usr/$GNU/include
	if [ -d "$d/asm" ] && [ -d "$d/linux" ] && [ -d "$d/asm-generic" ]; then
		kheaders_link "$d/linux" "$d/asm" "$d/asm-generic"
	elif [ -d "/usr/include/$GNU/asm" ] && [ -d /usr/include/linux ]; then
		kheaders_link /usr/include/linux "/usr/include/$GNU/asm" /usr/include/asm-generic
	else
		die "kernel headers for $arch not found ($d/asm or /usr/include/$GNU/asm); install linux-libc-dev-$DEB-cross (scripts/bootstrap.sh --arch $arch)"
	fi
}

kheaders() {
	local multiarch asmdir
	multiarch=$(gcc -print-multiarch 2>/dev/null || true)
	[ -n "$multiarch" ] ||
		multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || true)
	asmdir=/usr/include/$multiarch/asm
	[ -n "$multiarch" ] && [ -d "$asmdir" ] || asmdir=/usr/include/asm
	[ -d /usr/include/linux ] && [ -d "$asmdir" ] && [ -d /usr/include/asm-generic ] ||
		die "kernel headers not found (/usr/include/linux, $asmdir, /usr/include/asm-generic); install linux-libc-dev"
	mkdir -p "$KH"
	[ "$(readlink "$KH/linux" 2>/dev/null)" = /usr/include/linux ] ||
		ln -sfn /usr/include/linux "$KH/linux"
	[ "$(readlink "$KH/asm" 2>/dev/null)" = "$asmdir" ] ||
		ln -sfn "$asmdir" "$KH/asm"
	[ "$(readlink "$KH/asm-generic" 2>/dev/null)" = /usr/include/asm-generic ] ||
		ln -sfn /usr/include/asm-generic "$KH/asm-generic"
	# Stamp for make; its mtime is that of the installed kernel headers, so
	# it only ever moves (and triggers rebuilds) when linux-libc-dev changes.
	local ref=/usr/include/linux/version.h
	if [ -f $ref ]; then
		[ "$(stat -c %Y "$KH/.stamp" 2>/dev/null)" = "$(stat -c %Y $ref)" ] ||
			touch -r $ref "$KH/.stamp"
	else
		[ -e "$KH/.stamp" ] || touch "$KH/.stamp"
	fi
}

WORK=
LOG=/dev/null
fail() {
	echo "$me: error: $* (log: $LOG${WORK:+, sources kept in $WORK})" >&2
	echo "---- last 30 lines of $LOG ----" >&2
	tail -n 30 "$LOG" >&2
	exit 1
}
# run CMD...: append its output to the log, fail with the log tail.
run() {
	echo "+ $*" >>"$LOG"
	"$@" >>"$LOG" 2>&1 || fail "'$*' failed"
}

# Write deb-src twins of the system's deb entries (Debian 12 deb822 file and
# classic one-line sources.list).
add_deb_src() {
	local d=/etc/apt/sources.list.d
	if [ -f $d/debian.sources ]; then
		awk '
		function flush(  i) {
			if (n && isdeb) {
				if (out++) print ""
				print "Types: deb-src"
				for (i = 1; i <= n; i++) print L[i]
			}
			n = 0; isdeb = 0; intypes = 0
		}
		/^[ \t]*$/ { flush(); next }
		/^#/       { next }
		/^[Tt]ypes:/ { intypes = 1; if ($0 ~ /[: \t]deb([ \t]|$)/) isdeb = 1; next }
		/^[ \t]/   { if (!intypes) L[++n] = $0; next }
		           { intypes = 0; L[++n] = $0 }
		END        { flush() }
		' $d/debian.sources >$d/divebox-src.sources.new
		if [ -s $d/divebox-src.sources.new ]; then
			mv $d/divebox-src.sources.new $d/divebox-src.sources
			echo "added $d/divebox-src.sources" >>"$LOG"
		else
			rm -f $d/divebox-src.sources.new
		fi
	fi
	if [ -f /etc/apt/sources.list ] &&
	   grep -Eq '^[[:space:]]*deb[[:space:]]' /etc/apt/sources.list; then
		sed -n 's/^[[:space:]]*deb\([[:space:]]\)/deb-src\1/p' /etc/apt/sources.list \
			>$d/divebox-src.list
		echo "added $d/divebox-src.list" >>"$LOG"
	fi
}

fetch_source() {
	(cd "$SRC" && apt-get -q -o APT::Sandbox::User=root source --download-only $PKG) >>"$LOG" 2>&1
}

# --- the source package, once for every architecture -------------------
fetch_source_once() {
	[ -e "$SRC/.stamp" ] && return 0
	mkdir -p "$SRC"
	exec 8>"$SRC/.lock"
	flock 8
	if [ ! -e "$SRC/.stamp" ]; then
		rm -f "$SRC"/*.dsc "$SRC"/*.tar.* "$SRC"/*.diff.gz
		LOG=$SRC/fetch.log
		: >"$LOG"
		say "fetching Debian source package $PKG"
		echo "+ apt-get source --download-only $PKG" >>"$LOG"
		if ! fetch_source; then
			if [ "$(id -u)" != 0 ]; then
				echo "$me: cannot download the $PKG source package (no usable deb-src entry in apt's sources); run once as root: scripts/$me.sh $B" >&2
				exit 1
			fi
			if ! apt-get indextargets 'Created-By: Sources' 2>/dev/null | grep -q .; then
				add_deb_src
			fi
			run apt-get -q update
			fetch_source || fail "apt-get source --download-only $PKG failed"
		fi
		ls "$SRC"/*.dsc >/dev/null 2>&1 || fail "no .dsc downloaded"
		touch "$SRC/.stamp"
	fi
	exec 8>&-
}

if [ $source_only = 1 ]; then
	fetch_source_once
	say "ok: $SRC"
	exit 0
fi
if [ -n "$arch" ]; then
	kheaders_cross
else
	kheaders
fi
[ $kheaders_only = 0 ] || exit 0
# Bump when the way the library is built changes: an older cache is rebuilt.
RECIPE=3
if [ -e "$STAMP" ] && grep -qx "recipe=$RECIPE" "$STAMP"; then
	# keep make's view consistent: the stamp depends on the kheaders one
	# and on this script
	touch "$STAMP"
	exit 0
fi
rm -f "$STAMP"

# --- step 2: build libcap-ng once ---------------------------------------
mkdir -p "$OUT"
# Serialise concurrent invocations (e.g. make -j); re-check after locking.
exec 9>"$OUT/.lock"
flock 9
[ ! -e "$STAMP" ] || exit 0

command -v $MUSLCC >/dev/null || die "$MUSLCC not found; run scripts/bootstrap.sh${arch:+ --arch $arch} (package ${arch:+musl-dev:$DEB}${arch:-musl-tools})"
command -v dpkg-source >/dev/null || die "dpkg-source not found; run scripts/bootstrap.sh (package dpkg-dev)"
command -v make >/dev/null || die "make not found; run scripts/bootstrap.sh"

fetch_source_once
LOG=$OUT/build.log
: >"$LOG"
WORK=$(mktemp -d "$OUT/tmp.XXXXXX")
ok=0
cleanup() { if [ $ok = 1 ]; then rm -rf "$WORK"; else rmdir "$WORK" 2>/dev/null || true; fi; }
trap cleanup EXIT
dsc=$(ls "$SRC"/*.dsc 2>/dev/null | head -n 1)
[ -n "$dsc" ] || fail "no .dsc in $SRC"
run dpkg-source --no-check -x "$dsc" "$WORK/src"
version=$(sed -n 's/^Version: *//p' "$dsc" | head -n 1)

say "building $PKG $version ($MUSLCC, static)"
cd "$WORK/src"
# No constructor: as a static library, libcap-ng initialises itself from
# every call that needs its state (init() -> init_lib()), so the
# constructor only made every applet (dive too) read
# /proc/sys/kernel/cap_last_cap at start and linked stdio in.
sed -i 's/^static void init_lib(void) __attribute__ ((constructor));$/static void init_lib(void);/' src/cap-ng.c
grep -q 'init_lib(void) __attribute__ ((constructor))' src/cap-ng.c &&
	fail "could not drop libcap-ng's constructor (source changed?)"
# ACLOCAL etc. = true: never try to regenerate the autotools files.
# -ffile-prefix-map: no build directory in the objects (reproducible
# releases: the same bytes whatever directory builds them)
run env CC="$MUSLCC -isystem $KH" CFLAGS="$CFLAGS_LIB -ffile-prefix-map=$WORK/src=." \
	./configure --disable-shared --enable-static --without-python \
	--without-python3 --prefix="$OUT" ${arch:+--host=$GNU}
run make -C src ACLOCAL=true AUTOCONF=true AUTOMAKE=true AUTOHEADER=true libcap-ng.la
[ -f src/.libs/libcap-ng.a ] || fail "src/.libs/libcap-ng.a not produced"

rm -rf "$OUT/include" "$OUT/lib"
mkdir -p "$OUT/include" "$OUT/lib"
cp src/cap-ng.h "$OUT/include/"
cp src/.libs/libcap-ng.a "$OUT/lib/"
cp COPYING.LIB "$OUT/" 2>/dev/null || true

# --- step 3: verify a static musl program links and runs -----------------
cat >"$WORK/t.c" <<'EOF'
#include <cap-ng.h>
#include <stdio.h>
int main(void)
{
	int r = capng_get_caps_process();
	int c = capng_name_to_capability("net_raw");
	printf("capng_get_caps_process=%d net_raw=%d have_net_raw=%d\n", r, c,
	       capng_have_capability(CAPNG_EFFECTIVE, CAP_NET_RAW));
	return (r == 0 && c == CAP_NET_RAW) ? 0 : 1;
}
EOF
run $MUSLCC -static -Os -isystem "$KH" -I"$OUT/include" -o "$WORK/t" "$WORK/t.c" \
	-L"$OUT/lib" -lcap-ng -Wl,--gc-sections
if [ -z "$arch" ] || "$WORK/t" >/dev/null 2>&1; then
	run "$WORK/t"
elif command -v "$QEMU" >/dev/null 2>&1; then
	run "$QEMU" "$WORK/t"
else
	echo "(not run: cannot execute $arch binaries here, no $QEMU)" >>"$LOG"
fi

{
	echo "package=$PKG"
	echo "version=$version"
	echo "built=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "cflags=$CFLAGS_LIB"
	echo "cc=$MUSLCC"
	echo "recipe=$RECIPE"
} >"$STAMP"
ok=1
say "ok: $OUT/lib/libcap-ng.a, $OUT/include/cap-ng.h"
