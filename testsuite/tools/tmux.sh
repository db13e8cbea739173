# testsuite/tools/tmux.sh — an outer interactive bash in a private tmux
# server, for the terminal suites (17-dive-cli, 30-pty); sourced after
# lib.sh. start_tmux starts dived on $S. Remote shells write their session
# ids to $T/sids, and tmux_teardown kills what is left in those sessions.

TMUX_NAME=divebox-$SUITE-$$

tm() { tmux -L "$TMUX_NAME" -f /dev/null "$@"; }

tmux_teardown() {
	tm kill-server 2>/dev/null
	rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$TMUX_NAME"
	for sid in $(cat "$T/sids" 2>/dev/null); do
		pids=$(ps -o pid= -s "$sid")
		[ -z "$pids" ] || kill -KILL $pids 2>/dev/null
	done
	return 0
}

# usage: start_tmux [DIVED OPTIONS...] — dived on $S, and an outer
# interactive bash (prompt "out$ ") in a 100x30 tmux window; $PANE_TTY
# is its tty. Returns 1 (after a skip or a failure) if it cannot.
start_tmux() {
	need_cmd tmux || return 1
	need_feature CONFIG_FEATURE_PTY || return 1
	start_dived "$S" "$@" || return 1
	tm new-session -d -s main -x 100 -y 30 \
		"env -i PATH=$BIN:/usr/bin:/bin HOME=$T TERM=screen PS1='out$ ' bash --norc --noprofile -i" ||
		{ fail "tmux did not start"; return 1; }
	wait_for 'out$' || return 1
	PANE_TTY=$(tm display -p '#{pane_tty}')
}

# type_line LINE — literal keys, then Enter
type_line() { tm send-keys -t main -l "$1" && tm send-keys -t main Enter; }

pane() { tm capture-pane -p -J -t main -S -100; }

# wait_for TEXT — until the pane shows TEXT (bounded, ~10 s)
wait_for() {
	for _ in $(seq 200); do
		pane | grep -qF -- "$1" && return 0
		sleep 0.05
	done
	fail "pane never showed '$1':"
	pane | grep -v '^$' | sed 's/^/    | /'
	return 1
}

# wait_ps SID PATTERN — until `ps -s SID` shows "STAT COMMAND" matching
wait_ps() {
	for _ in $(seq 200); do
		ps -o stat=,comm= -s "$1" | grep -qE -- "$2" && return 0
		sleep 0.05
	done
	fail "no process '$2' in session $1: $(ps -o stat=,comm= -s "$1" | tr '\n' ' ')"
	return 1
}
