#!/bin/bash
# Interop across architectures: the wire format has fixed widths (no int,
# long or pointer on the wire), so a 32-bit dive talks to a 64-bit dived
# and back (the upstream tool broke there). i386 dive <-> x86_64 dived
# both ways (natively), armhf, aarch64 and mipsel dive -> x86_64 dived
# (qemu-user, binfmt_misc: scripts/qemu-binfmt.sh). Each checks what
# crosses the wire: fds at their numbers (and 300 of them: two batches),
# argv, a large environment, cwd, umask, exit code, death by signal, a
# forwarded signal, a refusal's reason.
# The binaries: $DIVEBOX where it is that architecture, else
# build/arch-NAME/divebox (make check-arch builds them; built here if the
# cross toolchain is there and they are missing).
. "$TOP/testsuite/lib.sh"

# usage: machine_of FILE — our architecture name of an ELF file
machine_of() {
	case $(file -L "$1") in
	*x86-64*) echo x86_64 ;; *"Intel 80386"*) echo i386 ;;
	*"ARM aarch64"*) echo aarch64 ;; *ARM*) echo armhf ;;
	*MIPS*) echo mipsel ;; *"S/390"*) echo s390x ;; *PowerPC*) echo ppc64el ;;
	esac
}

# usage: arch_bin NAME — print the binary for NAME, or fail with why
arch_bin() {
	if [ "$(machine_of "$DIVEBOX")" = "$1" ]; then
		echo "$DIVEBOX"
		return 0
	fi
	out=$TOP/build/arch-$1
	if [ ! -x "$out/divebox" ] || [ -n "$(find "$TOP/libcommon" "$TOP/applets" -newer "$out/divebox" -name '*.[ch]' | head -1)" ]; then
		cc=$(sh "$TOP/scripts/arch.sh" "$1" cross)gcc
		[ "$1" = x86_64 ] && cc=musl-gcc
		command -v "$cc" >/dev/null 2>&1 || { echo "no $cc"; return 1; }
		make -s -C "$TOP" O="$out" ARCH="$1" >"$out.log" 2>&1 ||
			{ echo "build for $1 failed: $(tail -3 "$out.log")"; return 1; }
	fi
	"$out/divebox" --list >/dev/null 2>&1 || { echo "cannot run $1 binaries here (scripts/qemu-binfmt.sh $1)"; return 1; }
	echo "$out/divebox"
}

# usage: need_arch NAME VAR — VAR=binary, or skip the test
need_arch() {
	[ -n "$__skip_reason" ] && return 1
	__b=$(arch_bin "$1") || { skip_test "$1: $__b"; return 1; }
	eval "$2=\$__b"
}

# usage: serve BINARY SOCK [OPTIONS] — that dived on SOCK in the background
serve() {
	__bin=$1 __s=$2
	shift 2
	rm -f "$__s"
	"$__bin" dived "$__s" "$@" >>"$T/dived.log" 2>&1 &
	track_pid $!
	wait_socket "$__s" || { cat "$T/dived.log"; fail "dived did not start"; return 1; }
}

# usage: sessions CLIENT SOCK WHAT — CLIENT's dive against the dived on SOCK
sessions() {
	c=$1 s=$2 what=$3
	echo "fd seven" >"$T/f"
	out=$("$c" dive "$s" sh -c 'cat <&7; exit 5' 7<"$T/f")
	assertEquals "$what: exit code" 5 $?
	assertEquals "$what: fd 7" "fd seven" "$out"
	out=$("$c" dive "$s" printf '[%s]' "a b" "" "c" </dev/null)
	assertEquals "$what: argv" "[a b][][c]" "$out"
	big=$(head -c 100000 /dev/zero | tr '\0' x)
	out=$(cd "$T" && umask 027 && BIG=$big "$c" dive "$s" sh -c \
		'echo ${#BIG} $(pwd) $(umask)' </dev/null)
	assertEquals "$what: env, cwd, umask" "100000 $T 0027" "$out"
	n=$(bash -c 'for i in $(seq 1000 1299); do eval "exec $i</dev/null"; done
		exec "$@"' _ "$c" dive "$s" sh -c 'ls /proc/$$/fd | grep -c "^1[0-2][0-9][0-9]$"' </dev/null)
	assertEquals "$what: 300 fds in two batches" 300 "$n"
	"$c" dive "$s" sh -c 'kill -TERM $$' </dev/null
	assertEquals "$what: died of SIGTERM" 143 $?
	# a signal dive receives reaches the program (the fifo says when the
	# program is ready: no timing)
	rm -f "$T/ready" && mkfifo "$T/ready"
	"$c" dive "$s" sh -c 'trap "exit 9" USR1; echo >'"$T/ready"'; while :; do sleep 1; done' </dev/null &
	p=$!
	read -r _ <"$T/ready"
	kill -USR1 $p
	wait $p
	assertEquals "$what: forwarded SIGUSR1" 9 $?
}

# usage: refusal CLIENT SERVER — a reason crosses too
refusal() {
	serve "$2" "$T/r.sock" --allow-user 4242424 || return
	out=$("$1" dive "$T/r.sock" true 2>&1 </dev/null)
	assertEquals "refused: exit" 127 $?
	assertContains "$out" "refused"
}

test_i386_dive_to_x86_64_dived() {
	need_arch i386 C || return 0
	need_arch x86_64 S || return 0
	serve "$S" "$T/a.sock" || return
	sessions "$C" "$T/a.sock" "i386 -> x86_64"
	refusal "$C" "$S"
}

test_x86_64_dive_to_i386_dived() {
	need_arch x86_64 C || return 0
	need_arch i386 S || return 0
	serve "$S" "$T/b.sock" || return
	sessions "$C" "$T/b.sock" "x86_64 -> i386"
	refusal "$C" "$S"
}

test_armhf_dive_to_x86_64_dived() {
	need_arch armhf C || return 0
	need_arch x86_64 S || return 0
	serve "$S" "$T/c.sock" || return
	sessions "$C" "$T/c.sock" "armhf -> x86_64"
	refusal "$C" "$S"
}

test_aarch64_dive_to_x86_64_dived() {
	need_arch aarch64 C || return 0
	need_arch x86_64 S || return 0
	serve "$S" "$T/d.sock" || return
	sessions "$C" "$T/d.sock" "aarch64 -> x86_64"
	refusal "$C" "$S"
}

test_mipsel_dive_to_x86_64_dived() {
	need_arch mipsel C || return 0
	need_arch x86_64 S || return 0
	serve "$S" "$T/e.sock" || return
	sessions "$C" "$T/e.sock" "mipsel -> x86_64"
	refusal "$C" "$S"
}

. shunit2
