#!/bin/bash
# build-libcap-ng.sh - build libcap-ng as a static musl library from Debian's
# source package (cached: runs once per BUILDDIR).
#
# usage: scripts/build-libcap-ng.sh BUILDDIR
#        scripts/build-libcap-ng.sh --kheaders-only BUILDDIR
#
# Produces:
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

me=build-libcap-ng
say() { echo "$me: $*"; }
die() { echo "$me: error: $*" >&2; exit 1; }
usage() { die "usage: $0 [--kheaders-only] BUILDDIR"; }

kheaders_only=0
case ${1:-} in
--kheaders-only) kheaders_only=1; shift ;;
-h|--help) sed -n '2,18s/^# \{0,1\}//p' "$0"; exit 0 ;;
-*) usage ;;
esac
[ $# -eq 1 ] && [ -n "$1" ] || usage

mkdir -p "$1"
B=$(cd "$1" && pwd)
KH=$B/musl-kheaders
OUT=$B/libcap-ng
STAMP=$OUT/.stamp

# --- step 1: kernel headers for musl-gcc (idempotent, silent) -------------
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

kheaders
[ $kheaders_only = 0 ] || exit 0
# Bump when the way the library is built changes: an older cache is rebuilt.
RECIPE=2
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

command -v musl-gcc >/dev/null || die "musl-gcc not found; run scripts/bootstrap.sh (package musl-tools)"
command -v dpkg-source >/dev/null || die "dpkg-source not found; run scripts/bootstrap.sh (package dpkg-dev)"
command -v make >/dev/null || die "make not found; run scripts/bootstrap.sh"

LOG=$OUT/build.log
: >"$LOG"
WORK=$(mktemp -d "$OUT/tmp.XXXXXX")
ok=0
cleanup() { if [ $ok = 1 ]; then rm -rf "$WORK"; else rmdir "$WORK" 2>/dev/null || true; fi; }
trap cleanup EXIT

fail() {
	echo "$me: error: $* (log: $LOG, sources kept in $WORK)" >&2
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
	(cd "$WORK" && apt-get -q -o APT::Sandbox::User=root source --download-only $PKG) >>"$LOG" 2>&1
}

say "fetching Debian source package $PKG"
echo "+ apt-get source --download-only $PKG" >>"$LOG"
if ! fetch_source; then
	if [ "$(id -u)" != 0 ]; then
		echo "$me: cannot download the $PKG source package (no usable deb-src entry in apt's sources); run once as root: scripts/$me.sh $1" >&2
		exit 1
	fi
	if ! apt-get indextargets 'Created-By: Sources' 2>/dev/null | grep -q .; then
		add_deb_src
	fi
	run apt-get -q update
	fetch_source || fail "apt-get source --download-only $PKG failed"
fi

dsc=$(ls "$WORK"/*.dsc 2>/dev/null | head -n 1)
[ -n "$dsc" ] || fail "no .dsc downloaded"
run dpkg-source --no-check -x "$dsc" "$WORK/src"
version=$(sed -n 's/^Version: *//p' "$dsc" | head -n 1)

say "building $PKG $version (musl-gcc, static)"
cd "$WORK/src"
# No constructor: as a static library, libcap-ng initialises itself from
# every call that needs its state (init() -> init_lib()), so the
# constructor only made every applet (dive too) read
# /proc/sys/kernel/cap_last_cap at start and linked stdio in.
sed -i 's/^static void init_lib(void) __attribute__ ((constructor));$/static void init_lib(void);/' src/cap-ng.c
grep -q 'init_lib(void) __attribute__ ((constructor))' src/cap-ng.c &&
	fail "could not drop libcap-ng's constructor (source changed?)"
# ACLOCAL etc. = true: never try to regenerate the autotools files.
run env CC="musl-gcc -isystem $KH" CFLAGS="$CFLAGS_LIB" \
	./configure --disable-shared --enable-static --without-python \
	--without-python3 --prefix="$OUT"
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
run musl-gcc -static -Os -isystem "$KH" -I"$OUT/include" -o "$WORK/t" "$WORK/t.c" \
	-L"$OUT/lib" -lcap-ng -Wl,--gc-sections
run "$WORK/t"

{
	echo "package=$PKG"
	echo "version=$version"
	echo "built=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "cflags=$CFLAGS_LIB"
	echo "recipe=$RECIPE"
} >"$STAMP"
ok=1
say "ok: $OUT/lib/libcap-ng.a, $OUT/include/cap-ng.h"
