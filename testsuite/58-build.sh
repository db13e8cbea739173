#!/bin/bash
# The build's own interface (issues 14, 15): `make help` names every target
# and each of them exists; menuconfig's closing hint ("try 'make help'")
# holds; the bootstrap line is printed once; the coverage build's header
# (libcommon/coverage.h) counts what forked children run before they
# _exit, exec or raise a signal. Everything runs out of tree in $T, with
# make -n where a target would build or install.
. "$TOP/testsuite/lib.sh"

# (as a top-level make: make check's own MAKELEVEL would skip the bootstrap)
mk() {
	env -u MAKELEVEL -u MAKEFLAGS -u MFLAGS \
		make --no-print-directory -C "$TOP" O="$T/o" "$@"
}

# The target names `make help` lists: "  NAME  text" lines up to Variables:
help_targets() {
	mk -s help | sed -n '/^Variables:/q; s/^  \([a-z_A-Z-]*\) .*/\1/p'
}

test_help_lists_every_target_and_each_exists() {
	out=$(mk -s help); rc=$?
	assertEquals "make help: $out" 0 $rc
	targets=$(help_targets)
	assertNotNull "targets listed" "$targets"
	for t in $targets; do
		case $t in NAME_defconfig) t=nocreep_defconfig ;; esac
		err=$(mk -n -s "$t" 2>&1 >/dev/null) ||
			fail "make help lists '$t', but make -n $t fails: $err"
	done
	# and the other way: every phony target of the Makefile is listed
	phony=$(sed -n '/^\.PHONY:/,/[^\\]$/p' "$TOP/Makefile" |
		sed 's/^\.PHONY://; s/\\$//' | tr -s ' \t' '\n' | awk NF)
	for t in $phony; do
		echo "$targets" | grep -qx -- "$t" || fail "make help does not list '$t'"
	done
	long=$(echo "$out" | awk 'length > 80')
	assertEquals "help lines within 80 columns" "" "$long"
}

test_help_writes_nothing() {
	env -u MAKELEVEL -u MAKEFLAGS make -s -C "$TOP" O="$T/h" help >/dev/null
	assertFalse "make help created O=" "[ -e '$T/h' ]"
}

# kconfig-mconf's closing text is fixed in its binary: it sends the user
# to `make help`, which must then be there (it was not).
test_menuconfig_hint_is_true() {
	need_cmd tmux || return 0
	name=divebox-58-build-$$
	tm() { tmux -L "$name" -f /dev/null "$@"; }
	tm new-session -d -s main -x 100 -y 40 \
		"sh -c 'env -u MAKELEVEL -u MAKEFLAGS make -s -C $TOP O=$T/o menuconfig; echo menuconfig-rc-\$?; read x'" ||
		{ fail "tmux did not start"; return 0; }
	# the main menu, then Esc Esc: leave (saving a new .config)
	n=0
	until tm capture-pane -p -t main | grep -q 'Build options'; do
		n=$((n + 1)); [ $n -lt 200 ] || break; sleep 0.05
	done
	tm send-keys -t main Escape Escape
	n=0
	until tm capture-pane -p -t main | grep -q 'menuconfig-rc-'; do
		n=$((n + 1)); [ $n -lt 200 ] || break; sleep 0.05
	done
	pane=$(tm capture-pane -p -J -t main)
	tm kill-server 2>/dev/null
	rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$name"
	assertContains "$pane" "menuconfig-rc-0"
	assertContains "$pane" "try 'make help'"
	assertTrue "menuconfig wrote the .config" "[ -s '$T/o/.config' ]"
	out=$(mk -s help); rc=$?
	assertEquals 0 $rc
	assertContains "$out" "menuconfig"
}

# bootstrap.sh runs while make reads the Makefile; make reads it again
# after writing a missing .config, which printed the line a second time.
# (make -n: nothing is built; bootstrap itself installs only what is
# missing, nothing where make check runs.)
test_bootstrap_says_it_once() {
	for goal in demo check; do
		rm -rf "$T/o"
		n=$(mk -n -s $goal 2>&1 | grep -c '^bootstrap:')
		assertEquals "make $goal, no .config yet" 1 "$n"
		n=$(mk -n -s $goal 2>&1 | grep -c '^bootstrap:')
		assertEquals "make $goal, with a .config" 1 "$n"
	done
}

# The makes the suites run (a copy of the tree's `make install`, the
# nocreep builds) must not inherit O= (nor ARCH=) from `make O=DIR check`
# or coverage: they built into DIR with another tree's sources.
test_O_and_ARCH_not_passed_to_the_suites_makes() {
	printf 'show-makeflags:\n\t@echo "MAKEFLAGS=$$MAKEFLAGS"\n' >"$T/show.mk"
	out=$(env -u MAKELEVEL -u MAKEFLAGS -u MFLAGS make -s -C "$TOP" \
		-f Makefile -f "$T/show.mk" O="$T/o" V=1 show-makeflags)
	assertContains "$out" "MAKEFLAGS="
	assertContains "other variables still are" "$out" "V=1"
	assertNotContains "$out" "O="
}

# A program that forks children ending in each way divebox's do. Without
# coverage.h their lines count 0 (gcov writes only from exit()).
cov_prog() {
	mkdir -p "$T/cov$1"
	cat >"$T/cov$1/prog.c" <<'EOF'
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
/* (a call: the lines of the caller's block after a failed exec are not
 * counted, see coverage.h) */
static void __attribute__((noinline)) after_failed_exec(void)
{
	write(1, "", 0); /* MARK_after_failed_exec */
}
static void child(int how)
{
	if (how == 0) {
		write(1, "", 0); /* MARK_exit */
		_exit(3);
	}
	if (how == 1) {
		write(1, "", 0); /* MARK_exec */
		execl("/bin/true", "true", (char *)0);
		_exit(127);
	}
	if (how == 2) {
		write(1, "", 0); /* MARK_failed_exec */
		execl("/nonexistent", "x", (char *)0);
		after_failed_exec();
		_exit(127);
	}
	if (how == 3) {
		write(1, "", 0); /* MARK_raise */
		raise(SIGKILL);
	}
	/* a file size limit (justexec -l fsize=): no SIGXFSZ, no cut file */
	struct rlimit one = { 1, RLIM_INFINITY };
	setrlimit(RLIMIT_FSIZE, &one);
	write(1, "", 0); /* MARK_fsize */
	execl("/bin/sh", "sh", "-c", "exit 7", (char *)0);
	_exit(127);
}
int main(void)
{
	int st;
	for (int how = 0; how < 5; how++) {
		pid_t p = fork();
		if (p == 0)
			child(how);
		waitpid(p, &st, 0);
	}
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 7)
		write(1, "fsize child died\n", 17);
	_exit(0); /* MARK_parent */
}
EOF
	(cd "$T/cov$1" && gcc -O0 --coverage $2 -c prog.c && gcc --coverage -o prog prog.o) ||
		{ fail "cannot build the coverage test program"; return 1; }
	"$T/cov$1/prog" >"$T/cov$1/stdout" 2>&1
	(cd "$T/cov$1" && gcov -t prog.c 2>/dev/null) >"$T/cov$1/out"
}

# count MARK — the execution count gcov shows for that line (0: never)
count() {
	awk -v m="/* $2 */" 'index($0, m) { c = $1; sub(":$", "", c); sub("\\*$", "", c)
		print (c ~ /^[0-9]+$/ ? c : 0); exit }' "$T/cov$1/out"
}

test_coverage_counts_children_that_exit_exec_or_raise() {
	need_cmd gcov || return 0
	cov_prog 1 "-include $TOP/libcommon/coverage.h" || return 0
	for m in MARK_exit MARK_exec MARK_failed_exec MARK_after_failed_exec \
		MARK_raise MARK_fsize MARK_parent; do
		assertEquals "$m counted once" 1 "$(count 1 $m)"
	done
	assertEquals "the program's output" "" "$(cat "$T/cov1/stdout")"
	# the control: the same program without the header loses them
	cov_prog 2 "" || return 0
	assertEquals "without coverage.h, _exit loses the child's counts" 0 \
		"$(count 2 MARK_exit)"
	assertEquals "without coverage.h, a file size limit kills at exec" \
		"fsize child died" "$(cat "$T/cov2/stdout")"
}

# A child in another root cannot reach the counter files: nothing may
# appear in that root (gcov makes the directories of its files) and
# nothing on its stderr; the parent still counts.
test_coverage_leaves_another_root_alone() {
	need_root || return 0
	need_cmd gcov || return 0
	d=$T/cov3
	mkdir -p "$d/root"
	cat >"$d/prog.c" <<'EOF'
#include <sys/wait.h>
#include <unistd.h>
int main(void)
{
	pid_t p = fork();
	if (p == 0) {
		if (chroot(ROOT) != 0)
			_exit(1);
		_exit(0);
	}
	waitpid(p, NULL, 0);
	write(1, "", 0); /* MARK_back */
	return 0;
}
EOF
	(cd "$d" && gcc -O0 --coverage -include "$TOP/libcommon/coverage.h" \
		-DROOT="\"$d/root\"" -DCOV_PROBE="\"$d/prog.c\"" -c prog.c &&
		gcc --coverage -o prog prog.o) || { fail "cannot build"; return 0; }
	err=$("$d/prog" 2>&1 >/dev/null)
	assertEquals "nothing on stderr" "" "$err"
	assertEquals "nothing made in the other root" "" "$(ls -A "$d/root")"
	(cd "$d" && gcov -t prog.c 2>/dev/null) >"$d/out"
	assertEquals "the parent still counted" 1 "$(count 3 MARK_back)"
}

. shunit2
