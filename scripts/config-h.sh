#!/bin/sh
# Turn a kconfig .config into a C header: CONFIG_X=y -> #define CONFIG_X 1,
# strings and numbers as they are, "is not set" -> nothing (#if CONFIG_X is 0).
set -e
[ -r "$1" ] || { echo "config-h.sh: cannot read $1" >&2; exit 1; }
echo "/* generated from $1 by scripts/config-h.sh: do not edit */"
sed -n -e 's/^\(CONFIG_[A-Za-z0-9_]*\)=y$/#define \1 1/p' \
       -e 's/^\(CONFIG_[A-Za-z0-9_]*\)=\(".*"\)$/#define \1 \2/p' \
       -e 's/^\(CONFIG_[A-Za-z0-9_]*\)=\([0-9][0-9a-fA-Fx]*\)$/#define \1 \2/p' "$1"
