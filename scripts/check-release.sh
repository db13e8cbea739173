#!/bin/sh
# check-release.sh — the release is reproducible (make check-release):
# `make release` and `make deb` here, then the same commit cloned into
# another directory (another path, another length, its own build/ caches:
# libcap-ng is built again there) released again; every file listed in
# SHA256SUMS must be byte for byte the same. Only the downloaded Debian
# source package of libcap-ng (an input, checked by its .dsc) is copied
# over instead of fetched again. Needs a git tree without uncommitted
# changes (the clone has only what is committed).
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
me=check-release
die() { echo "$me: error: $*" >&2; exit 1; }

git -C "$TOP" rev-parse --git-dir >/dev/null 2>&1 || die "not a git tree"
[ -z "$(git -C "$TOP" status --porcelain --untracked-files=no)" ] ||
	die "uncommitted changes: commit them first (the second build is a clone)"

start=$(date +%s)
make -s -C "$TOP" release
make -s -C "$TOP" deb
W=$(mktemp -d "${TMPDIR:-/tmp}/divebox-check-release.XXXXXX")
trap 'rm -rf "$W"' EXIT
C=$W/another/place/to/build/divebox
git clone -q "$TOP" "$C"
mkdir -p "$C/build"
bash "$TOP/scripts/build-libcap-ng.sh" --source-only "$TOP/build" >/dev/null
cp -r "$TOP/build/libcap-ng-src" "$C/build/"
make -s -C "$C" release
make -s -C "$C" deb
if ! diff "$TOP/build/release/SHA256SUMS" "$C/build/release/SHA256SUMS"; then
	die "the release differs between $TOP and $C (see above)"
fi
echo "$me: reproducible: $(wc -l <"$TOP/build/release/SHA256SUMS") files identical in two trees ($(( $(date +%s) - start ))s)"
