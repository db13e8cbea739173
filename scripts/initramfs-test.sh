#!/bin/sh
# initramfs-test.sh — boot divebox in a real (virtual) machine: an initramfs
# holding only busybox (static) and divebox, whose /init mounts proc, sys
# and dev, starts dived in a new network namespace (-s net -d), dives into
# it, prints what it saw between markers on the serial console and powers
# off. Booted with the distribution's kernel in qemu; the console output is
# checked here.
#
# usage: DIVEBOX=path/to/divebox sh scripts/initramfs-test.sh [-v]
#   -v          show the whole console output
# env: KERNEL (default: newest /boot/vmlinuz-*), BUSYBOX (/bin/busybox),
#      QEMU (qemu-system-x86_64), BOOT_TIMEOUT (seconds, default 60),
#      KVM=1 to try KVM first (TCG by default: nested KVM can hang)
# exit: 0 all checks passed, 1 a check failed, 2 cannot run here (missing
#       qemu, kernel or static busybox: says which)
set -u
: "${DIVEBOX:?DIVEBOX must point at a static divebox}"
: "${BUSYBOX:=/bin/busybox}"
: "${QEMU:=qemu-system-x86_64}"
: "${BOOT_TIMEOUT:=60}"
VERBOSE=${1:-}

me=initramfs-test
cannot() { echo "$me: SKIP: $*"; exit 2; }
failed=0
check() { # usage: check WHAT EXPECTED-LINE — the console must have it
	if grep -qxF "$2" "$W/console.txt"; then
		echo "$me: ok   $1"
	else
		echo "$me: FAIL $1: no line '$2' on the console"
		failed=1
	fi
}

command -v "$QEMU" >/dev/null 2>&1 || cannot "$QEMU not found (apt-get install qemu-system-x86)"
[ -n "${KERNEL:-}" ] || KERNEL=$(ls -v /boot/vmlinuz-* 2>/dev/null | tail -1)
[ -n "$KERNEL" ] && [ -r "$KERNEL" ] ||
	cannot "no readable kernel in /boot (apt-get install linux-image-amd64) or KERNEL="
file -L "$BUSYBOX" 2>/dev/null | grep -q 'statically linked' ||
	cannot "$BUSYBOX is not a static busybox (apt-get install busybox-static)"
file -L "$DIVEBOX" | grep -q 'statically linked' || cannot "$DIVEBOX is not static"
file -L "$DIVEBOX" | grep -q 'x86-64' || cannot "$DIVEBOX is not an x86-64 binary"
for c in cpio gzip timeout; do
	command -v $c >/dev/null 2>&1 || cannot "$c not found"
done

W=$(mktemp -d "${TMPDIR:-/tmp}/divebox-initramfs.XXXXXX")
trap 'rm -rf "$W"' EXIT INT TERM
R=$W/root
mkdir -p "$R/bin" "$R/proc" "$R/sys" "$R/dev" "$R/run" "$R/tmp"
cp "$BUSYBOX" "$R/bin/busybox"
cp "$DIVEBOX" "$R/bin/divebox"
for a in dive dived justexec; do ln -s divebox "$R/bin/$a"; done
# the kernel opens /dev/console for init before anything is mounted
[ "$(id -u)" = 0 ] && mknod -m 600 "$R/dev/console" c 5 1

cat >"$R/init" <<'EOF'
#!/bin/busybox sh
# /init: everything below prints "DIVEBOX name=value" lines for the host
/bin/busybox mount -t devtmpfs dev /dev
exec </dev/console >/dev/console 2>&1
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sys /sys
/bin/busybox --install -s /bin
export PATH=/bin
S=/run/d.sock
echo
echo "DIVEBOX start"
echo "DIVEBOX applets=$(divebox --list | tr '\n' ' ')"
dived $S -s net -d
echo "DIVEBOX dived-rc=$?"
# from the console: the terminal travels, becomes the controlling one
t=$(dive $S sh -c 'tty; exit 3')
echo "DIVEBOX tty=$t/$?"
# field 7 of stat: the controlling terminal, 0 if none
echo "DIVEBOX ctty=$(dive $S sh -c 'set -- $(cat /proc/$$/stat); [ "$7" != 0 ] && echo yes')"
# the rest runs without a terminal (stdin is /dev/null)
exec </dev/null
# the session runs in dived's network namespace: only lo there
echo "DIVEBOX links=$(dive $S cat /proc/net/dev | sed -n '3,$s/:.*//p' | tr -d ' \n')"
host=$(readlink /proc/self/ns/net)
inner=$(dive $S readlink /proc/self/ns/net)
[ -n "$inner" ] && [ "$inner" != "$host" ] && echo "DIVEBOX netns=different"
# an fd of init, read by the program on the other side
echo "travelled on fd 7" >/tmp/f
echo "DIVEBOX fd7=$(dive $S sh -c 'cat <&7' 7</tmp/f)"
dive $S sh -c 'exit 42'
echo "DIVEBOX exit=$?"
echo "DIVEBOX pipe=$(echo through a pipe | dive $S tr a-z A-Z)"
echo "DIVEBOX justexec=$(justexec -s uts -- sh -c 'hostname inner; hostname')/$(hostname)"
echo "DIVEBOX done"
poweroff -f
EOF
chmod 755 "$R/init"
(cd "$R" && find . | cpio -o -H newc -R 0:0 --quiet | gzip -1) >"$W/initramfs.gz" ||
	{ echo "$me: cannot build the initramfs"; exit 1; }

# KVM when we may use it, else TCG (slower, still a few seconds)
accel="-accel tcg"
[ -w /dev/kvm ] && [ -n "${KVM:-}" ] && accel="-accel kvm -accel tcg"
echo "$me: booting $(basename "$KERNEL") with busybox + $(basename "$DIVEBOX") ($(stat -c %s "$W/initramfs.gz") bytes of initramfs)"
# shellcheck disable=SC2086 # $accel is two options
timeout "$BOOT_TIMEOUT" "$QEMU" $accel -nographic -no-reboot -m 256 \
	-nic none -kernel "$KERNEL" -initrd "$W/initramfs.gz" \
	-append 'console=ttyS0 panic=-1 quiet' </dev/null >"$W/console.raw" 2>&1
rc=$?
tr -d '\r' <"$W/console.raw" >"$W/console.txt"
[ "$VERBOSE" = -v ] && cat "$W/console.txt"
[ $rc = 124 ] && echo "$me: FAIL the machine did not power off within ${BOOT_TIMEOUT}s"

check "init ran" "DIVEBOX start"
check "applets" "DIVEBOX applets=dive dived justexec "
check "dived -s net -d" "DIVEBOX dived-rc=0"
check "the console travels as terminal" "DIVEBOX tty=/dev/console/3"
check "it is the controlling terminal" "DIVEBOX ctty=yes"
check "only lo in dived's network namespace" "DIVEBOX links=lo"
check "another network namespace" "DIVEBOX netns=different"
check "fd 7 travelled" "DIVEBOX fd7=travelled on fd 7"
check "exit status travelled" "DIVEBOX exit=42"
check "pipe" "DIVEBOX pipe=THROUGH A PIPE"
check "justexec -s uts" "DIVEBOX justexec=inner/(none)"
check "powered off" "DIVEBOX done"
if [ $failed = 1 ] || [ $rc != 0 ]; then
	[ "$VERBOSE" = -v ] || { echo "$me: console:"; sed 's/^/  | /' "$W/console.txt" | tail -40; }
	echo "$me: FAILED (qemu exit $rc)"
	exit 1
fi
echo "$me: all checks passed"
