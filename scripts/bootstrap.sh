#!/bin/bash
# bootstrap.sh - install everything divebox's build and tests need on a
# fresh Debian 12 machine.  Idempotent: only missing packages are installed.
#
# usage: bash scripts/bootstrap.sh [--minimal] [--cross]
#   --minimal   only the packages needed to build (ESSENTIAL below)
#   --cross     also the cross toolchains of every release architecture
#               (scripts/arch.sh): Debian multiarch musl-dev:ARCH (which
#               brings gcc-TRIPLET and binutils), the target's kernel
#               headers (linux-libc-dev-ARCH-cross), qemu-user-static,
#               lintian; adds the foreign architectures to dpkg first
#
# To add a package: append it to PACKAGES.  If the build/tests can live
# without it, also add it (or a glob matching it) to OPTIONAL.
set -eu

PACKAGES="musl-tools kconfig-frontends-nox shunit2 make gcc libc6-dev file
busybox-static socat tmux util-linux procps iproute2 strace valgrind clang
libcap-ng-dev dpkg-dev hyperfine python3 groff-base man-db qemu-system-x86
linux-image-amd64 qemu-user-static gcc-aarch64-linux-gnu libc6-dev-arm64-cross
libclang-rt-14-dev lintian iputils-ping dnsmasq-base"
# (libclang-rt-14-dev: ASan/UBSan/libFuzzer runtimes, only "recommended"
# by clang, so --no-install-recommends would leave them out)

# Packages (shell globs) whose absence from the archive is only a warning.
OPTIONAL="qemu-* linux-image-amd64 gcc-aarch64-linux-gnu libc6-dev-arm64-cross
hyperfine valgrind clang libclang-rt-* lintian iputils-ping dnsmasq-base"

# What --minimal installs (make demo: the build, plus unshare and ip).
ESSENTIAL="musl-tools kconfig-frontends-nox shunit2 make gcc libc6-dev file dpkg-dev
util-linux iproute2"

say()  { echo "bootstrap: $*"; }
warn() { echo "bootstrap: warning: $*" >&2; }
die()  { echo "bootstrap: error: $*" >&2; exit 1; }

want=$PACKAGES
cross=0
for arg in "$@"; do
	case $arg in
	--minimal) want=$ESSENTIAL ;;
	--cross) cross=1 ;;
	-h|--help) sed -n '2,15s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) die "unknown argument: $arg (usage: $0 [--minimal] [--cross])" ;;
	esac
done

# --cross: every release architecture's toolchain (not this machine's own)
force_update=0
if [ $cross = 1 ]; then
	here=$(dirname "$0")
	host=$(dpkg --print-architecture)
	for a in $(sh "$here/arch.sh" list); do
		deb=$(sh "$here/arch.sh" "$a" deb)
		[ "$deb" != "$host" ] || continue
		if ! dpkg --print-foreign-architectures | grep -qx "$deb"; then
			[ "$(id -u)" = 0 ] || die "architecture $deb not added to dpkg; run as root: dpkg --add-architecture $deb"
			dpkg --add-architecture "$deb"
			force_update=1
		fi
		want="$want musl-dev:$deb linux-libc-dev-$deb-cross"
	done
	want="$want qemu-user-static lintian"
fi

is_optional() {
	local pat
	for pat in $OPTIONAL; do
		# shellcheck disable=SC2254
		case $1 in $pat) return 0 ;; esac
	done
	return 1
}

is_installed() {
	[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}

missing=""
for p in $want; do
	is_installed "$p" || missing="$missing $p"
done
missing=${missing# }

if [ -z "$missing" ] && [ $force_update = 0 ]; then
	say "all $(echo $want | wc -w) packages present"
	exit 0
fi

if [ "$(id -u)" != 0 ]; then
	# Only optional packages missing: not fatal for an unprivileged user.
	fatal=0
	for p in $missing; do is_optional "$p" || fatal=1; done
	if [ $fatal = 0 ]; then
		warn "missing optional packages: $missing; run as root: apt-get install $missing"
		exit 0
	fi
	echo "bootstrap: missing packages: $missing; run as root: apt-get install $missing" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# Wait for a concurrently running apt/dpkg instead of failing on the lock.
APT="apt-get -o DPkg::Lock::Timeout=600 -o APT::Get::Show-Versions=false"
log=$(mktemp /tmp/bootstrap-apt.XXXXXX)
trap 'rm -f "$log"' EXIT

# Run an apt command quietly; on failure show its errors and the log tail.
run_apt() {
	if ! "$@" >"$log" 2>&1; then
		echo "bootstrap: '$*' failed:" >&2
		tail -n 40 "$log" >&2
		return 1
	fi
	# surface apt warnings/errors even on success
	grep -E '^(E|W): ' "$log" >&2 || true
}

say "missing:$(printf ' %s' $missing); running apt-get update"
run_apt $APT -q update || die "apt-get update failed"

install=""
for p in $missing; do
	cand=$(apt-cache policy "$p" 2>/dev/null | sed -n 's/^ *Candidate: *//p')
	if [ -z "$cand" ] || [ "$cand" = "(none)" ]; then
		if is_optional "$p"; then
			warn "optional package '$p' not in the archive; skipping"
			continue
		fi
		die "essential package '$p' not in the archive"
	fi
	install="$install $p"
done
install=${install# }

if [ -n "$install" ]; then
	say "installing:$(printf ' %s' $install)"
	run_apt $APT -q -y --no-install-recommends install $install ||
		die "apt-get install failed"
fi

# Final check: essentials must really be there now.
still=""
for p in $install; do
	is_installed "$p" || still="$still $p"
done
[ -z "$still" ] || die "still missing after install:$still"
say "done"
