# release-common.sh — sourced by release.sh and mkdeb.sh (set $me first):
# their messages, the release directory, VERSION from the Makefile and
# SOURCE_DATE_EPOCH (the commit's date, so that the files are
# reproducible), exported.
TOP=$(cd "$(dirname "$0")/.." && pwd)
REL=$TOP/build/release
say() { echo "$me: $*"; }
die() { echo "$me: error: $*" >&2; exit 1; }

VERSION=$(sed -n 's/^VERSION *:= *//p' "$TOP/Makefile")
[ -n "$VERSION" ] || die "no VERSION in Makefile"
if git -C "$TOP" rev-parse --git-dir >/dev/null 2>&1; then
	SOURCE_DATE_EPOCH=$(git -C "$TOP" log -1 --format=%ct)
else
	: "${SOURCE_DATE_EPOCH:?not a git tree: set SOURCE_DATE_EPOCH}"
fi
export SOURCE_DATE_EPOCH
