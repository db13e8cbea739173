#!/bin/sh
# gen-man.sh - build the man pages from their templates (man/*.[1-8].in),
# so that the OPTIONS sections can never drift from libcommon/options.def.
#
# usage: sh scripts/gen-man.sh [OUTDIR]     (default: man/, i.e. in place)
#
# In a template:
#   @VERSION@              the version from the Makefile
#   @OPTIONS D@            every dived option (grouped as in options.def)
#   @OPTIONS S@            the process setup options (justexec)
# Each option gets its one-line help from options.def, then the longer
# text of its "@ID" block in man/options.roff (if any), then the Kconfig
# switch it needs. The generated pages are committed; testsuite/52-man.sh
# regenerates them and fails on any difference.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:-$TOP/man}
DEF=$TOP/libcommon/options.def
DETAILS=$TOP/man/options.roff
VERSION=$(sed -n 's/^VERSION *:= *//p' "$TOP/Makefile")
[ -n "$VERSION" ] || { echo "gen-man: no VERSION in Makefile" >&2; exit 1; }

# options.def as tab separated records: "G<TAB>heading" for a one-line
# comment, "O<TAB>id<TAB>short<TAB>long<TAB>nargs<TAB>applets<TAB>feature
# <TAB>argname<TAB>help" for an option. Any OPT line that does not parse
# is an error, never silently dropped.
records() {
	awk '
	/^OPT\(/ {
		if (!match($0, /^OPT\([A-Z_0-9]+, *"[^"]*", *"[^"]*", *[0-9], *[DS], *[A-Z_]+, *"[^"]*", *".*"\)$/)) {
			print "gen-man: cannot parse: " $0 > "/dev/stderr"; exit 1
		}
		s = substr($0, 5, length($0) - 5)
		n = 0
		while (s != "") {
			sub(/^ */, "", s)
			if (substr(s, 1, 1) == "\"") {
				e = index(substr(s, 2), "\"")
				f[++n] = substr(s, 2, e - 1)
				s = substr(s, e + 2)
			} else {
				e = index(s, ",")
				if (!e) e = length(s) + 1
				f[++n] = substr(s, 1, e - 1)
				s = substr(s, e)
			}
			sub(/^ *,?/, "", s)
		}
		if (n != 8) { print "gen-man: " n " fields: " $0 > "/dev/stderr"; exit 1 }
		printf "O\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8]
		next
	}
	/^\/\* [^*]* \*\/$/ { h = $0; sub(/^\/\* /, "", h); sub(/ \*\/$/, "", h); print "G\t" h }
	' "$DEF"
}

# The OPTIONS block for one mask: D = every dived option, S = setup ones.
options() {
	printf '%s\n' "$RECS" | awk -F '\t' -v mask="$1" -v details="$DETAILS" '
	function esc(s) { gsub(/\\/, "\\e", s); gsub(/-/, "\\-", s); return s }
	BEGIN {
		id = ""
		while ((getline line < details) > 0) {
			if (line ~ /^@[A-Z_0-9]+$/) { id = substr(line, 2); text[id] = ""; continue }
			if (id == "") continue
			text[id] = text[id] line "\n"
		}
	}
	$1 == "G" { heading = $2; next }
	{
		isopt[$2] = 1
		if (mask == "S" && $6 != "S") next
		if (mask == "D" && heading != "") {
			printf ".SS %s\n", toupper(substr(heading, 1, 1)) substr(heading, 2)
			heading = ""
		}
		tag = ""
		if ($3 != "") tag = "\\fB\\-" esc($3) "\\fR, "
		tag = tag "\\fB\\-\\-" esc($4) "\\fR"
		if ($8 != "") {
			n = split($8, a, " ")
			for (i = 1; i <= n; i++) tag = tag " \\fI" esc(a[i]) "\\fR"
		}
		help = esc($9)
		printf ".TP\n%s\n%s.\n", tag, help
		if ($2 in text) printf "%s", text[$2]
		if ($7 != "ALWAYS") printf "(Build switch \\fB\\%%%s\\fR.)\n", $7
	}
	END {
		for (id in text) if (!(id in isopt)) {
			print "gen-man: " details ": @" id " is not an option" > "/dev/stderr"; exit 1
		}
	}'
}

RECS=$(records)
OPTS_D=$(options D)
OPTS_S=$(options S)
mkdir -p "$OUT"
for t in "$TOP"/man/*.[1-8].in; do
	name=$(basename "$t" .in)
	# ENVIRON, not -v: awk would interpret the backslashes of roff
	V=$VERSION D=$OPTS_D S=$OPTS_S awk '
	$0 == "@OPTIONS D@" { print ENVIRON["D"]; next }
	$0 == "@OPTIONS S@" { print ENVIRON["S"]; next }
	{ gsub(/@VERSION@/, ENVIRON["V"]); print }' "$t" >"$OUT/$name.tmp"
	mv "$OUT/$name.tmp" "$OUT/$name"
done
