#!/bin/sh
# usage: build-config.sh NAME [DEFCONFIG] — build configs/NAME_defconfig
# (or defconfig for "default", or the file DEFCONFIG) out of tree in
# $TOP/build/cfg-NAME, print the binary path. Incremental: a second call
# only relinks what changed.
set -e
: "${TOP:=$(cd "$(dirname "$0")/.." && pwd)}"
name=$1
out=$TOP/build/cfg-$name
cfg=$TOP/configs/${name}_defconfig
[ "$name" = default ] && cfg=$TOP/configs/defconfig
[ -n "${2:-}" ] && cfg=$2
mkdir -p "$out"
if [ ! -f "$out/.config" ] || [ "$cfg" -nt "$out/.config" ]; then
	KCONFIG_CONFIG=$out/.config kconfig-conf -s --defconfig="$cfg" \
		"$TOP/Config.in" >/dev/null
fi
make -s -C "$TOP" O="$out" ${CC:+CC="$CC"} >"$out/make.log" 2>&1 || {
	cat "$out/make.log" >&2; exit 1; }
echo "$out/divebox"
