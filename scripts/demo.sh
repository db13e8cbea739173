#!/bin/sh
# demo.sh — `make demo`: dive into a fresh network namespace.
#
# Starts dived inside `unshare -n` on a temporary socket, then runs
# programs there with dive: they see only the namespace's loopback
# interface, yet get the caller's fds and hand back their exit status.
# Needs root (for the namespace). DIVEBOX=path/to/divebox, else it builds.
set -u

TOP=$(cd "$(dirname "$0")/.." && pwd)
if [ "$(id -u)" != 0 ]; then
	echo "demo: needs root to create a network namespace (try: sudo make demo)" >&2
	exit 1
fi
for cmd in unshare ip; do
	command -v $cmd >/dev/null 2>&1 ||
		{ echo "demo: needs $cmd (util-linux, iproute2)" >&2; exit 1; }
done
if [ -z "${DIVEBOX:-}" ]; then
	make -s -C "$TOP" >&2 || exit 1
	DIVEBOX=$TOP/divebox
fi

D=$(mktemp -d "${TMPDIR:-/tmp}/divebox-demo.XXXXXX") || exit 1
DIVED=
cleanup() {
	if [ -n "$DIVED" ]; then
		kill "$DIVED" 2>/dev/null
		wait "$DIVED" 2>/dev/null
	fi
	rm -rf "$D"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir "$D/bin" && ln -s "$DIVEBOX" "$D/bin/dive" && ln -s "$DIVEBOX" "$D/bin/dived" || exit 1
PATH=$D/bin:$PATH
cd "$D" || exit 1
SOCK=netless.sock

if [ -t 1 ]; then B=$(printf '\033[1m') N=$(printf '\033[0m'); else B= N=; fi
# a comment line, then the command as typed, then what it prints
step() { printf '\n%s# %s%s\n' "$B" "$*" "$N"; }
run() { printf '$ %s\n' "$*"; eval "$*"; }

step "The host's network interfaces"
run ip -br link

step "Start dived in a fresh network namespace, listening on a temporary socket"
printf '$ unshare -n dived %s &\n' "$SOCK"
unshare -n dived "$SOCK" &
DIVED=$!
n=0
until [ -S "$SOCK" ]; do
	n=$((n + 1))
	if [ $n -gt 250 ] || ! kill -0 $DIVED 2>/dev/null; then
		echo "demo: dived did not start" >&2
		exit 1
	fi
	sleep 0.02
done

step "dive runs a program in there, as if exec'd here: only 'lo' exists"
run dive "$SOCK" ip -br link

step "Your file descriptors travel too: fd 7 is a file opened here"
echo "hello from the host's fd 7" >"$D/note"
exec 7<"$D/note"
run dive "$SOCK" sh -c "'cat <&7'"
exec 7<&-

step "And the program's exit status comes back"
run dive "$SOCK" sh -c "'exit 42'"
echo "exit status: $?"

step "Clean up: stop dived, remove the socket"
printf '$ kill %s\n' "$DIVED"
cleanup
DIVED=
echo "done."
