# testsuite/tools/doc-examples.sh — the command examples of the documents,
# as tests run them (59-doc-examples), sourced after lib.sh.
#
# Markdown (README.md, docs/*.md): every fenced block has, on the line just
# before its opening fence, "<!-- example: NAME -->" (run by a test) or
# "<!-- not run: REASON -->". Man pages: every .EX/.EE block has, on the
# line just before .EX, the roff comment '.\" example: NAME' or
# '.\" not run: REASON'; its text is turned back into shell (\- \e \(aq
# \(dq \&). NAME: [a-z0-9-]+, unique in its file.
#
# A block whose first line starts with a prompt, "# " (root) or "$ " (a
# user), holds commands (the prompted lines and the lines that continue
# them after a trailing backslash) and their output (every other line).
# Without a prompt on its first line every line is a command.

# usage: doc_unmarked FILE — one line per block without a marker
doc_unmarked() {
	case $1 in
	*.md)
		awk -v f="${1#"$TOP"/}" '
		/^```/ {
			if (!inside && prev !~ /^<!-- (example: [a-z0-9-]+|not run: .+) -->$/)
				print f ":" NR ": a block without <!-- example: NAME --> or <!-- not run: REASON -->"
			inside = !inside
		}
		!inside && /^    [^ ]/ && prev == "" { print f ":" NR ": an indented code block: fence and mark it" }
		{ if ($0 != "" || !inside) prev = $0 }' "$1" ;;
	*)
		awk -v f="${1#"$TOP"/}" '
		/^\.EX/ && prev !~ /^\.\\" (example: [a-z0-9-]+|not run: .+)$/ {
			print f ":" NR ": a .EX block without .\\\" example: NAME or .\\\" not run: REASON"
		}
		{ prev = $0 }' "$1" ;;
	esac
}

# usage: doc_names FILE — the names of its examples, one a line
doc_names() {
	case $1 in
	*.md) sed -n 's/^<!-- example: \([a-z0-9-]*\) -->$/\1/p' "$1" ;;
	*) sed -n 's/^\.\\" example: \([a-z0-9-]*\)$/\1/p' "$1" ;;
	esac
}

# usage: doc_block FILE NAME — the text of the block marked NAME
doc_block() {
	case $1 in
	*.md)
		awk -v name="$2" '
		$0 == "<!-- example: " name " -->" { want = 1; next }
		want && /^```/ { if (inside) exit; inside = 1; next }
		inside { print }' "$1" ;;
	*)
		awk -v name="$2" '
		$0 == ".\\\" example: " name { want = 1; next }
		want && /^\.EX/ { inside = 1; next }
		inside && /^\.EE/ { exit }
		inside { print }' "$1" |
			sed -e "s/\\\\(aq/'/g" -e 's/\\(dq/"/g' -e 's/\\-/-/g' -e 's/\\&//g' \
				-e 's/\\e/\\/g' ;;
	esac
}

# usage: doc_commands FILE NAME — the block's commands as a shell script:
# "# " lines as they are, "$ " lines run as $DOC_USER (a command prefix,
# e.g. setpriv ...; as they are when empty), output lines left out
doc_commands() {
	doc_block "$1" "$2" | awk -v user="$DOC_USER" '
	NR == 1 { prompted = /^[#$] / }
	!prompted { print; next }
	cont { cmd = cmd "\n" $0; cont = /\\$/; if (!cont) emit(); next }
	/^[#$] / { who = substr($0, 1, 1); cmd = substr($0, 3); cont = /\\$/; if (!cont) emit() }
	function emit() {
		if (who == "$" && user != "") {
			gsub(/\047/, "\047\\\047\047", cmd)
			print user " sh -c \047" cmd "\047"
		} else
			print cmd
	}'
}

# usage: doc_output FILE NAME — the output lines a prompted block shows
doc_output() {
	doc_block "$1" "$2" | awk '
	NR == 1 { prompted = /^[#$] / }
	!prompted { exit }
	cont { cont = /\\$/; next }
	/^[#$] / { cont = /\\$/; next }
	{ print }'
}

# usage: doc_script FILE NAME... — the commands of the blocks, moved into
# the test's scratch places: /run/, /srv/ and /tmp/ under $T, abstract
# names @NAME to @$DOC_UNIQ-NAME; $DOC_SED: more sed expressions (for the
# placeholders an example names: a pid, a user)
doc_script() {
	__f=$1
	shift
	for __e in "$@"; do
		__text=$(doc_commands "$__f" "$__e")
		[ -n "$__text" ] || { echo "false no example '$__e' in $__f"; continue; }
		printf '%s\n' "$__text"
	done | doc_localize
}

# usage: doc_localize <TEXT — the places of doc_script moved (a filter)
doc_localize() {
	sed -E -e "s#(^|[^A-Za-z0-9_.~/-])/(run|srv|tmp)([/[:space:]\"';)]|\$)#\\1$T/\\2\\3#g" \
		-e "s#(^|[[:space:]])@([A-Za-z0-9_-]+)#\\1@$DOC_UNIQ-\\2#g" \
		${DOC_SED:+-e "$DOC_SED"}
}

# usage: doc_run FILE NAME... — run the blocks as one script with sh, in
# $DOC_DIR (default $T/work), stdin /dev/null, under $DOC_WRAP (a command
# prefix, e.g. unshare -n) if set; output (stdout and stderr) in $OUT,
# status in $rc. FILE is relative to $TOP.
__doc_runs=0
doc_run() {
	__doc_runs=$((__doc_runs + 1))
	__s=$T/doc.$__doc_runs.sh
	doc_script "$TOP/$1" "$@" >"$__s" || return 1
	shift
	# shellcheck disable=SC2086
	(cd "${DOC_DIR:-$T/work}" && $DOC_WRAP sh "$__s" </dev/null) >"$T/doc.$__doc_runs.out" 2>&1
	rc=$?
	OUT=$(tr -d '\0' <"$T/doc.$__doc_runs.out")
}

# usage: doc_bg FILE NAME... — as doc_run, in the background (pid tracked
# in $DOC_PID, output in the file $DOC_LOG)
doc_bg() {
	__doc_runs=$((__doc_runs + 1))
	__s=$T/doc.$__doc_runs.sh
	DOC_LOG=$T/doc.$__doc_runs.out
	doc_script "$TOP/$1" "$@" >"$__s" || return 1
	# shellcheck disable=SC2086
	(cd "${DOC_DIR:-$T/work}" && exec $DOC_WRAP sh "$__s" </dev/null >"$DOC_LOG" 2>&1) &
	DOC_PID=$!
	track_pid $DOC_PID
}

# Daemons an example started (dived -d, socat): every process whose
# arguments or cwd name $T, or whose arguments an abstract name of ours,
# killed by pid (not ours, nor the tracked ones: lib.sh kills those)
doc_kill_leftovers() {
	for __p in /proc/[0-9]*; do
		__pid=${__p#/proc/}
		case " $$ $__pids " in *" $__pid "*) continue ;; esac
		__args=$({ tr '\0' ' ' <"$__p/cmdline"; } 2>/dev/null) || continue
		__cwd=$(readlink "$__p/cwd" 2>/dev/null)
		case "$__args/$__cwd/" in
		*"$T/"* | *"@$DOC_UNIQ-"*) kill -KILL "$__pid" 2>/dev/null ;;
		esac
	done
}

# Inline examples (`...` spans in Markdown): a span that is a command of
# an applet (optional VAR=value, exec or "echo ... |" first, then dive,
# dived, justexec or divebox with at least one argument that is not an
# option) is an example too. doc_inline_spans FILE lists them.
doc_inline_spans() {
	grep -o '`[^`]*`' "$1" | sed 's/^`//; s/`$//' |
		grep -E '^(exec |[A-Z_]+=[^ ]* |echo [^|]*\| *)*(dive|dived|justexec|divebox) ' |
		awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^(dive|dived|justexec|divebox)$/) break
			for (i++; i <= NF; i++) if ($i !~ /^-/) { print; next } }' | sort -u
}

# usage: doc_inline FILE TEXT — TEXT, if FILE (relative to $TOP) has it
# as an inline example (else a failure and nothing)
doc_inline() {
	if grep -qF "\`$2\`" "$TOP/$1"; then
		printf '%s\n' "$2"
	else
		fail "no inline example \`$2\` in $1"
	fi
}
