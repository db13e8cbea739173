#!/bin/sh
# check-valgrind.sh — run the dive/dived session suites (testsuite/1*.sh)
# with every dive and dived under valgrind's memcheck, and fail on any
# error, in dived's forked handlers too.
#
#   sh scripts/check-valgrind.sh [SUITE...]     (make check-valgrind)
#
# The binary is a glibc build with symbols (build/valgrind, gcc -O1 -g):
# with the static musl binary memcheck cannot see heap blocks (no malloc
# to replace). A wrapper named divebox stands in for it: the applet links
# the suites make point to it, and it runs `valgrind ... divebox APPLET`
# for dive and dived (applets dispatch on argv[0], so the applet name is
# passed as an argument), and the others natively. --trace-children=no:
# the programs dived execs are not ours; forked handlers are followed.
# --vgdb=no: the gdb server's /tmp/vgdb-pipe-*-PID files outlive a killed
# valgrind, and once pids wrap, a dived run as nobody could not create its
# own over root's stale one (EACCES, fs.protected_regular) and failed.
# Each process logs to build/valgrind/logs/vg.PID; any log with an error
# fails the run (a handler that execs never gets to exit 99).
set -e
TOP=$(cd "$(dirname "$0")/.." && pwd)
OUT=$TOP/build/valgrind
command -v valgrind >/dev/null 2>&1 || { echo "check-valgrind: valgrind not found" >&2; exit 1; }

mkdir -p "$OUT"
if [ ! -f "$OUT/.config" ] || [ "$TOP/configs/defconfig" -nt "$OUT/.config" ]; then
	KCONFIG_CONFIG=$OUT/.config kconfig-conf -s \
		--defconfig="$TOP/configs/defconfig" "$TOP/Config.in" >/dev/null
fi
CFLAGS="-O1 -g" LDFLAGS="-no-pie" make -s -C "$TOP" O="$OUT" CC="${VG_CC:-gcc}" >"$OUT/make.log" 2>&1 ||
	{ cat "$OUT/make.log"; exit 1; }

LOGS=$OUT/logs
rm -rf "$LOGS" "$OUT/wrap"
mkdir -p "$LOGS" "$OUT/wrap" "$OUT/real"
chmod 1777 "$LOGS" # some dives run as nobody
# the unstripped binary, under the name "divebox" (dispatch on argv[0])
ln -sf ../build/obj/divebox.unstripped "$OUT/real/divebox"
# valgrind 3.19 leaves a --log-file open at a low fd, not close-on-exec:
# dive would send it, dived's programs would inherit it. So the wrapper
# opens the log itself: for dive above its soft limit (lowered a little;
# dive never sends fds at or above it), for dived inside its range, where
# dived's own close-on-exec sweep keeps it from the programs.
cat >"$OUT/wrap/divebox" <<EOF
#!/bin/bash
real=$OUT/real/divebox
name=\${0##*/}
case \$name in
dive|dived)
	lim=\$(ulimit -Sn)
	fd=\$((lim - 1))
	[ \$name = dived ] && fd=\$((lim - 40))
	eval "exec \$fd>>$LOGS/vg.\$\$"
	[ \$name = dive ] && ulimit -Sn \$((lim - 16))
	exec valgrind -q --error-exitcode=99 --trace-children=no --vgdb=no \\
		--log-fd=\$fd "\$real" "\$name" "\$@" ;;
divebox) exec "\$real" "\$@" ;;
*) exec "\$real" "\$name" "\$@" ;;
esac
EOF
chmod 755 "$OUT/wrap/divebox"

# Tests that cannot work under valgrind, whatever the code does:
#  - valgrind puts LD_PRELOAD and VALGRIND_LAUNCHER in dive's environment,
#    and dive passes its environment on, as it must;
#  - the binary (here this wrapper script) is copied into a chroot;
#  - exact fd limits: valgrind keeps fds for itself at the top of the soft
#    limit and will not let a process raise it;
#  - a dive without /proc: valgrind itself cannot start there.
SKIP="test_environment_travels_whole test_client_chroot
test_cannot_create_socket_or_fds_is_1 test_too_many_fds_for_one_request
test_fds_handed_over_without_proc"

rc=0
suites=$*
[ -n "$suites" ] || suites=$(ls "$TOP"/testsuite/1[0-9]*.sh)
SKIP_TESTS=$SKIP DIVEBOX=$OUT/wrap/divebox DIVEBOX_CONFIG=$OUT/.config \
	DIVEBOX_DYNAMIC=1 TOP=$TOP \
	sh "$TOP/testsuite/run" \
	$suites || rc=1
# valgrind 3.19 does not know TIOCGPTPEER (0x5441, pty mode's slave): its
# three-line note is not an error of ours. Any other line is.
for f in "$LOGS"/vg.*; do
	[ -f "$f" ] && sed -i '/unhandled ioctl 0x5441 /,+2d' "$f"
done
for f in $(find "$LOGS" -type f -size +0); do
	echo "==== errors reported in $f"
	head -40 "$f"
	rc=1
done
[ $rc -eq 0 ] && echo "check-valgrind: clean"
exit $rc
