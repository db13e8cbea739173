#!/bin/bash
# Man pages and --help against the single source of truth: every option of
# libcommon/options.def is documented (dived.8, justexec.1), the committed
# pages are what scripts/gen-man.sh makes of it, they render without
# warnings and get installed; --help lists exactly the options compiled in.
. "$TOP/testsuite/lib.sh"

MAN=$TOP/man
PAGES="divebox.1 dive.1 dived.8 justexec.1"

# options.def as "MASK FEATURE SHORT LONG" lines (SHORT "-" if none)
def_options() {
	sed -n -E 's/^OPT\([A-Z_0-9]+, *"([^"]*)", *"([^"]*)", *[0-9], *([DS]), *([A-Z_]+),.*/\3 \4 \1 \2/p' \
		"$TOP/libcommon/options.def" | awk '{ if (NF == 3) { $4 = $3; $3 = "-" } print }'
}

# usage: expected_help MASK CONFIG — "-x" and "--long" of every option the
# build described by CONFIG has, for dived (D) or justexec (S), sorted
expected_help() {
	def_options | while read -r mask feat short long; do
		[ "$1" = S ] && [ "$mask" != S ] && continue
		[ "$feat" = ALWAYS ] || grep -q "^$feat=y" "$2" || continue
		[ "$short" = - ] || printf '%s\n' "-$short"
		printf '%s\n' "--$long"
	done | sort
}

# roff spelling of an option name: every "-" is "\-"
roff() { printf '%s' "$1" | sed 's/-/\\-/g'; }

# the option names at the start of each option line of --help, sorted
help_options() {
	# option lines start within the first 6 columns; a wrapped description
	# continues far right (and may start with "-u)")
	awk '/^  [ ]?[ ]?[ ]?[ ]?-/ { for (i = 1; i <= NF; i++) {
		t = $i; sub(/,$/, "", t)
		if (t == "" || t == ",") continue
		if (t !~ /^-/) break
		print t } }' | sort
}

test_option_table_parses() {
	n=$(grep -c '^OPT(' "$TOP/libcommon/options.def")
	assertEquals "every OPT line parsed" "$n" "$(def_options | wc -l)"
	assertTrue "some options" "[ $n -gt 40 ]"
}

# usage: server_h NAME — the number "#define NAME N" gives in server.h
server_h() {
	sed -n -E "s/^#define $1 +([0-9]+)( .*)?\$/\1/p" "$TOP/applets/dived/server.h"
}

test_defaults_are_server_h() {
	# --help and dived.8 state dived's defaults, server.h applies them
	t=$(server_h DIVED_TIMEOUT_DEFAULT)
	c=$(server_h DIVED_MAX_CLIENTS_DEFAULT)
	u=$(server_h DIVED_MAX_PER_USER_DEFAULT)
	assertTrue "server.h defines the defaults" "[ -n '$t' ] && [ -n '$c' ] && [ -n '$u' ]"
	def=$TOP/libcommon/options.def
	assertContains "--timeout help" "$(grep '^OPT(TIMEOUT,' "$def")" "($t; 0 = never)"
	assertContains "--max-clients help" "$(grep '^OPT(MAX_CLIENTS,' "$def")" "($c)\")"
	assertContains "--max-per-user help" "$(grep '^OPT(MAX_PER_USER,' "$def")" "($u)\")"
	assertContains "dived.8 --max-per-user" "$(cat "$MAN/dived.8")" "the default is $u or"
}

test_pages_render_without_warnings() {
	need_cmd groff || return 0
	need_cmd man || return 0
	for p in $PAGES; do
		assertTrue "$p exists" "[ -s $MAN/$p ]" || continue
		w=$(groff -ww -z -man "$MAN/$p" 2>&1)
		assertEquals "groff warnings in $p" "" "$w"
		w=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$MAN/$p" 2>&1 >/dev/null)
		assertEquals "man warnings in $p" "" "$w"
		out=$(LC_ALL=C.UTF-8 MANWIDTH=80 man -l "$MAN/$p" 2>/dev/null)
		assertContains "$p has a NAME" "$out" "NAME"
		assertContains "$p has EXAMPLES" "$out" "EXAMPLES"
	done
}

test_committed_pages_are_generated() {
	sh "$TOP/scripts/gen-man.sh" "$T/gen" || fail "gen-man.sh failed"
	for p in $PAGES; do
		d=$(diff -u "$MAN/$p" "$T/gen/$p")
		assertEquals "man/$p differs from what scripts/gen-man.sh makes (run it)" "" "$d"
	done
}

test_generator_rejects_unknown_detail() {
	# a block for an option that options.def lost must not go unnoticed
	mkdir -p "$T/tree/man" "$T/tree/libcommon" "$T/tree/scripts"
	cp "$TOP/Makefile" "$T/tree/"
	cp "$TOP/libcommon/options.def" "$T/tree/libcommon/"
	cp "$TOP/scripts/gen-man.sh" "$T/tree/scripts/"
	cp "$MAN"/*.in "$MAN/options.roff" "$T/tree/man/"
	printf '@NO_SUCH_OPTION\ntext\n' >>"$T/tree/man/options.roff"
	out=$(sh "$T/tree/scripts/gen-man.sh" "$T/out" 2>&1)
	assertNotEquals "generator exit" 0 $?
	assertContains "$out" "NO_SUCH_OPTION"
}

test_every_option_in_dived8() {
	def_options | while read -r mask feat short long; do
		grep -qF "\\fB\\-\\-$(roff "$long")\\fR" "$MAN/dived.8" ||
			echo "dived.8 lacks --$long"
		[ "$short" = - ] || grep -qF "\\fB\\-$short\\fR" "$MAN/dived.8" ||
			echo "dived.8 lacks -$short"
		[ "$feat" = ALWAYS ] || grep -qF "$feat" "$MAN/dived.8" ||
			echo "dived.8 does not name $feat"
	done >"$T/missing"
	assertEquals "" "$(cat "$T/missing")"
}

test_setup_options_in_justexec1_and_no_others() {
	def_options | while read -r mask feat short long; do
		if [ "$mask" = S ]; then
			grep -qF "\\fB\\-\\-$(roff "$long")\\fR" "$MAN/justexec.1" ||
				echo "justexec.1 lacks --$long"
		else
			! grep -qF "\\fB\\-\\-$(roff "$long")\\fR" "$MAN/justexec.1" ||
				echo "justexec.1 documents dived-only --$long"
		fi
	done >"$T/missing"
	assertEquals "" "$(cat "$T/missing")"
}

test_dive_page_covers_environment_and_exit_codes() {
	# every DIVE_* variable dive.c reads is documented
	vars=$(grep -oE '"DIVE_[A-Z]+"' "$TOP/applets/dive/dive.c" | tr -d '"' | sort -u)
	assertContains "$vars" "DIVE_WAITMODE"
	for v in $vars; do
		grep -q "^\.B $v\$" "$MAN/dive.1" || fail "dive.1 lacks $v"
	done
	for c in 1 2 3 4 12 127; do
		grep -A1 '^\.TP' "$MAN/dive.1" | grep -qx "\.B $c" ||
			fail "dive.1 lacks exit code $c"
	done
	for v in DIVE_UID DIVE_GID DIVE_PID DIVE_USER LISTEN_PID LISTEN_FDS; do
		grep -q "$v" "$MAN/dived.8" || fail "dived.8 lacks $v"
	done
	for c in 1 4 127; do
		grep -A1 '^\.TP' "$MAN/dived.8" | grep -qx "\.B $c" ||
			fail "dived.8 lacks exit code $c"
	done
}

test_make_install_installs_pages() {
	need_cmd make || return 0
	# a scratch build directory holding only the binary under test and its
	# config, and -o: nothing is built, nothing lands beside the binary
	# (which may be another architecture's: install must not run it)
	mkdir -p "$T/o"
	cp "$DIVEBOX" "$T/o/divebox"
	cp "$DIVEBOX_CONFIG" "$T/o/.config"
	make -s -C "$TOP" O="$T/o" -o "$T/o/divebox" install \
		DESTDIR="$T/root" PREFIX=/usr >"$T/install.log" 2>&1 ||
		{ cat "$T/install.log"; fail "make install failed"; return; }
	for p in $PAGES; do
		s=${p##*.}
		assertTrue "$p installed" "cmp -s $MAN/$p $T/root/usr/share/man/man$s/$p"
	done
	assertTrue "dived link installed" "[ -e $T/root/usr/bin/dived ]"
	assertTrue "dived is the installed divebox" \
		"[ $T/root/usr/bin/dived -ef $T/root/usr/bin/divebox ]"
	out=$(MANPATH=$T/root/usr/share/man MANWIDTH=80 man dived 2>/dev/null)
	assertContains "$out" "socket activation"
}

# usage: check_help BINARY [CONFIG] — dived and justexec --help vs
# options.def (CONFIG: the binary's .config, default the one beside it)
check_help() {
	cfg=${2:-$(dirname "$1")/.config}
	assertTrue "$cfg exists" "[ -f $cfg ]" || return
	"$1" dived --help >"$T/dh" 2>&1
	assertEquals "dived --help exit" 0 $?
	assertEquals "dived --help options ($cfg)" \
		"$(expected_help D "$cfg" | tr '\n' ' ')" \
		"$(help_options <"$T/dh" | tr '\n' ' ')"
	"$1" justexec --help >"$T/jh" 2>&1
	assertEquals "justexec --help exit" 0 $?
	assertEquals "justexec --help options ($cfg)" \
		"$(expected_help S "$cfg" | tr '\n' ' ')" \
		"$(help_options <"$T/jh" | tr '\n' ' ')"
}

test_help_lists_compiled_options_this_build() {
	grep -q '^CONFIG_FEATURE_HELP=y' "$DIVEBOX_CONFIG" 2>/dev/null ||
		{ skip_test "no help texts in this build"; return 0; }
	check_help "$DIVEBOX" "$DIVEBOX_CONFIG"
}

test_help_lists_compiled_options_nocreep() {
	bin=$(sh "$TOP/testsuite/build-config.sh" nocreep) || fail "nocreep build failed"
	check_help "$bin"
	# and a feature that is out is really out of the help
	assertNotContains "$(cat "$T/dh")" "--rlimit"
}

. shunit2
