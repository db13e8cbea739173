# testsuite/tools/container.sh — test containers for the deployment suites
# (51-sockact, 57-deploy), sourced after lib.sh; made as in 28-containers:
# unshare and a busybox-static root, sleep as the container's pid 1.

# usage: ct_make_root DIR — a container root: busybox, dive, /proc and its
# own passwd/group (ctuser 1000 exists only in there); 1 if no static
# busybox here
ct_make_root() {
	__bb=$(command -v busybox) || return 1
	file -L "$__bb" | grep -q 'statically linked' || return 1
	mkdir -p "$1/bin" "$1/proc" "$1/etc" "$1/tmp" "$1/home" || return 1
	cp "$__bb" "$1/bin/busybox" && cp "$DIVEBOX" "$1/bin/divebox" || return 1
	for __a in sh ls cat pwd echo ps hostname id sleep grep readlink touch env ip; do
		ln -sf busybox "$1/bin/$__a"
	done
	ln -sf divebox "$1/bin/dive"
	printf 'root:x:0:0::/root:/bin/sh\nctuser:x:1000:1000::/home:/bin/sh\n' >"$1/etc/passwd"
	printf 'root:x:0:\nctgrp:x:1000:\n' >"$1/etc/group"
}

# usage: ct_start DIR [-U] [RUNAS...] — a container in DIR (new pid, mnt,
# uts, ipc, net namespaces, hostname ctname; -U: a user namespace too, a
# rootless container when RUNAS is e.g. setpriv as an unprivileged user)
# running sleep as its pid 1; its host pid in $CT, both tracked
ct_start() {
	__dir=$1
	shift
	__userns=
	[ "$1" = -U ] && __userns="-U -r" && shift
	# CT_BOUND=LIST (e.g. -sys_admin): the container's bounding set less
	# LIST, dropped once its namespaces and /proc are made (as a runtime
	# does: a rootful container without cap_sys_admin)
	__bound=${CT_BOUND:+setpriv --bounding-set=$CT_BOUND}
	# shellcheck disable=SC2086
	"$@" unshare $__userns -fpmuin sh -c '
		hostname ctname && mount --bind "$1" "$1" && mount -t proc proc "$1/proc" &&
		exec $2 chroot "$1" /bin/sh -c "exec sleep 600"' \
		_ "$__dir" "$__bound" >>"$T/ct.log" 2>&1 &
	track_pid $!
	CT=
	__n=0
	while [ $__n -lt 250 ]; do
		read -r __c _ </proc/$!/task/$!/children 2>/dev/null
		# the container's pid 1 once it has exec'd its sleep
		if [ -n "$__c" ] && grep -q '^sleep' "/proc/$__c/cmdline" 2>/dev/null &&
			[ "$(readlink "/proc/$__c/exe")" != "$(readlink /proc/self/exe)" ]; then
			CT=$__c
			break
		fi
		__n=$((__n + 1))
		sleep 0.02
	done
	[ -n "$CT" ] || { echo "container did not start: $(cat "$T/ct.log")"; return 1; }
	track_pid "$CT"
}

# usage: ct_capbnd_within PID — the CapBnd of the program that runs this
# (read from stdin: "CapBnd:\tHEX") has no bit that PID's lacks
ct_capbnd_within() {
	__mine=$(sed -n 's/^CapBnd:[[:space:]]*//p')
	__its=$(sed -n 's/^CapBnd:[[:space:]]*//p' "/proc/$1/status")
	[ -n "$__mine" ] && [ -n "$__its" ] &&
		[ $((0x$__mine & ~0x$__its)) -eq 0 ]
}
