#!/bin/sh
# release.sh — release files in build/release/ (make release, make dist,
# make deb).
#
#   sh scripts/release.sh          every architecture's binary, the sources,
#                                  SHA256SUMS (make release)
#   sh scripts/release.sh --dist   divebox-VERSION.tar.gz only (make dist)
#   sh scripts/release.sh --deb [DEBARCH...]   divebox_VERSION_DEBARCH.deb
#                                  (default: this machine's; make deb)
#   ARCHS="x86_64 i386 ..."        the architectures (default: all of
#                                  scripts/arch.sh list)
#
# Release binaries: configs/defconfig (capabilities included), static
# musl, stripped, built out of tree in build/release/obj-ARCH, copied to
# build/release/divebox-ARCH. Reproducible: the same commit built in
# another directory gives the same bytes (no paths: -ffile-prefix-map; no
# dates; SOURCE_DATE_EPOCH, from the commit, dates the tarball and the
# package; scripts/check-release.sh proves it). With the binaries go the
# complete sources the LGPL asks for (NOTICE): divebox's (git archive of
# HEAD) and Debian's libcap-ng source package.
# On a fresh Debian 12 machine, as root, it first installs the cross
# toolchains (scripts/bootstrap.sh --cross).
set -eu
me=release
. "$(dirname "$0")/release-common.sh"
[ -z "$(git -C "$TOP" status --porcelain --untracked-files=no 2>/dev/null)" ] ||
	echo "$me: warning: uncommitted changes: the binaries have them, the source tarball (HEAD) does not" >&2
mkdir -p "$REL"

dist() {
	git -C "$TOP" rev-parse --git-dir >/dev/null 2>&1 ||
		die "make dist needs a git tree (git archive)"
	# git archive: the commit's files, with the commit's time; gzip -n:
	# no name or time of its own
	git -C "$TOP" archive --format=tar --prefix="divebox-$VERSION/" HEAD |
		gzip -9n >"$REL/divebox-$VERSION.tar.gz.tmp"
	mv "$REL/divebox-$VERSION.tar.gz.tmp" "$REL/divebox-$VERSION.tar.gz"
	say "$REL/divebox-$VERSION.tar.gz"
}

# usage: binary NAME — build/release/divebox-NAME
binary() {
	o=$REL/obj-$1
	mkdir -p "$o"
	KCONFIG_CONFIG=$o/.config.new kconfig-conf -s \
		--defconfig="$TOP/configs/defconfig" "$TOP/Config.in" >/dev/null
	rm -f "$o/.config.new.old"
	if cmp -s "$o/.config.new" "$o/.config"; then
		rm -f "$o/.config.new"
	else
		mv "$o/.config.new" "$o/.config"
	fi
	make -s -C "$TOP" O="$o" ARCH="$1" >"$o.log" 2>&1 ||
		{ tail -20 "$o.log" >&2; die "build for $1 failed (log: $o.log)"; }
	cp "$o/divebox" "$REL/divebox-$1"
	say "$REL/divebox-$1: $(file -b "$REL/divebox-$1" | cut -d, -f1-2), $(wc -c <"$REL/divebox-$1") bytes"
}

sources() {
	bash "$TOP/scripts/build-libcap-ng.sh" --source-only "$TOP/build" >/dev/null
	for f in "$TOP"/build/libcap-ng-src/*.dsc "$TOP"/build/libcap-ng-src/*.tar.*; do
		cp "$f" "$REL/"
	done
	cp "$TOP/LICENSE" "$TOP/NOTICE" "$REL/"
}

sums() {
	(cd "$REL" && find . -maxdepth 1 -type f ! -name SHA256SUMS ! -name '*.log' \
		! -name '*.tmp' | sed 's|^\./||' | LC_ALL=C sort | xargs sha256sum) \
		>"$REL/SHA256SUMS.tmp"
	mv "$REL/SHA256SUMS.tmp" "$REL/SHA256SUMS"
	say "$REL/SHA256SUMS ($(wc -l <"$REL/SHA256SUMS") files)"
}

case ${1:-} in
--dist) dist; exit 0 ;;
--deb)
	shift
	sh "$TOP/scripts/mkdeb.sh" "$@"
	sums
	exit 0 ;;
'') ;;
*) sed -n '2,24s/^# \{0,1\}//p' "$0"; exit 4 ;;
esac

archs=${ARCHS:-$(sh "$TOP/scripts/arch.sh" list)}
if [ "$(id -u)" = 0 ]; then
	bash "$TOP/scripts/bootstrap.sh" --cross >&2 || die "bootstrap failed"
fi
for a in $archs; do
	binary "$a"
done
sources
dist
sums
