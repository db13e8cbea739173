#!/bin/sh
# size.sh — stripped size of each shipped config against its target.
#
# usage: sh scripts/size.sh [--tsv] [--strict]
#   Builds configs/defconfig, nocreep_defconfig and client_defconfig out of
#   tree (testsuite/build-config.sh: build/cfg-NAME, incremental) and prints
#   one line per config:  size: NAME BYTES B (KiB KiB), target <= T KiB: OK|OVER
#   --tsv  one line per config for scripts: NAME BYTES TARGET_KIB OK|OVER
#   --strict  exit 1 when a config is over its target (a gate for CI)
# Exit status: 2 if a build failed; else 0 (1 with --strict and OVER).
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/.." && pwd)}
export TOP
tsv=0 strict=0
for a in "$@"; do
	case $a in
	--tsv) tsv=1 ;;
	--strict) strict=1 ;;
	*) echo "usage: $0 [--tsv] [--strict]" >&2; exit 2 ;;
	esac
done

# config name (build-config.sh's), name shown, target in KiB
TARGETS="default:defconfig:96 nocreep:nocreep:40 client:client:20"

rc=0
for t in $TARGETS; do
	cfg=${t%%:*}
	rest=${t#*:}
	name=${rest%%:*}
	kib=${rest#*:}
	if ! bin=$(sh "$TOP/testsuite/build-config.sh" "$cfg"); then
		echo "size: $name: build failed" >&2
		rc=2
		continue
	fi
	bytes=$(wc -c <"$bin" | tr -d ' ')
	verdict=OK
	if [ "$bytes" -gt $((kib * 1024)) ]; then
		verdict=OVER
		[ $rc = 0 ] && [ $strict = 1 ] && rc=1
	fi
	if [ $tsv = 1 ]; then
		echo "$name $bytes $kib $verdict"
	else
		awk -v n="$name" -v b="$bytes" -v k="$kib" -v v="$verdict" 'BEGIN {
			printf "size: %-8s %7d B (%5.1f KiB), target <= %d KiB: %s\n",
			       n, b, b / 1024, k, v }'
	fi
done
exit $rc
