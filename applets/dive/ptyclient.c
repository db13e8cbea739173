/* ptyclient.c — dive's side of pty mode: relay stdin → pty master →
 * stdout with bounded buffers, keep the local terminal raw meanwhile and
 * always put it back, pass window size changes on. Keys like Ctrl+C are
 * plain bytes in raw mode: the remote line discipline turns them into
 * signals for the remote foreground job. See docs/interactive.md. */
#include "util.h"
#include "ptyclient.h"
#include "reply.h"
#if ENABLED(CONFIG_FEATURE_PTY)
#include "exitlike.h"
#include "proto.h"
#include "sig.h"
#include <errno.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#define RELAY_BUF 4096
/* after RP_EXIT: what the pty can still hold (n_tty + flip buffers) */
#define DRAIN_MAX (256u * 1024)

struct buf {
	char b[RELAY_BUF];
	size_t off, end; /* pending bytes are b[off..end) */
};

struct relay {
	const struct pty_link *l;
	int sfd;             /* l->sfd, or ours with DIVE_SIGFWMODE=0 */
	struct buf in, out;  /* stdin → master, master → stdout */
	int in_open;         /* stdin may still give bytes */
	int send_eof;        /* stdin ended: the pty's EOF char is due */
	int master_open;     /* no EIO (slave side closed) yet */
	int sock_open;
	int exited, killed, code; /* RP_EXIT seen, and the status */
	size_t drained;      /* bytes read from the master after RP_EXIT */
	char last;           /* last byte written to the master */
};

static struct termios saved; /* the caller's settings */
static int raw;              /* saved must be put back */

/* Raw mode on our stdin if it is a terminal. Also after SIGCONT: the
 * caller's shell restores its own settings when it sees us stopped. In the
 * background this stops us with SIGTTOU until we are foreground again. */
static void enter_raw(void)
{
	struct termios t;
	if (!raw && tcgetattr(0, &saved))
		return; /* not a terminal: nothing to do, nothing to restore */
	t = saved;
	cfmakeraw(&t);
	if (!tcsetattr(0, TCSADRAIN, &t))
		raw = 1;
}

/* Only from the foreground: if the caller's shell took the terminal back
 * (we were stopped), it already put its own settings there. */
static void restore(void)
{
	if (!raw)
		return;
	pid_t fg = tcgetpgrp(0); /* -1: not our controlling tty, or hung up */
	if ((fg < 0 || fg == getpgrp()) &&
	    tcsetattr(0, TCSADRAIN, &saved) && errno != EIO)
		say_errno("cannot restore the terminal (try: stty sane)",
			  (char *)0);
	raw = 0;
}

static __attribute__((noreturn)) void bail(int code, const char *why,
					  int with_errno)
{
	int e = errno;
	restore();
	errno = e;
	if (with_errno)
		die_errno(code, why, (char *)0);
	die(code, why, (char *)0);
}

static __attribute__((noreturn)) void finish(const struct relay *r)
{
	restore();
	if (!r->exited)
		exit(0); /* dived -w or fd waiting: no status to tell */
	exit_like(r->killed, r->code);
}

/* Our window size to the pty; the kernel sends SIGWINCH to the remote
 * foreground job when it changes. Not a terminal: nothing to pass on. */
static void sync_size(int master)
{
	struct winsize ws;
	if (ioctl(0, TIOCGWINSZ, &ws))
		return;
	if (ioctl(master, TIOCSWINSZ, &ws))
		return; /* slave side gone: the size no longer matters */
}

static void on_signals(struct relay *r)
{
	struct signalfd_siginfo si;
	int own = r->sfd != r->l->sfd; /* DIVE_SIGFWMODE=0 */
	while (read(r->sfd, &si, sizeof(si)) == sizeof(si)) {
		int sig = (int)si.ssi_signo;
		if (sig == SIGWINCH) {
			sync_size(r->l->master);
			continue;
		}
		if (!own)
			r->l->forward(r->l->ctx, sig);
		if (sig == SIGCONT) {
			enter_raw();
			sync_size(r->l->master);
			continue;
		}
		/* like ssh: asked to end, we end (the program got the signal,
		 * and the hangup of its terminal when our master closes) */
		if (sig == SIGTERM || sig == SIGHUP || own) {
			restore();
			exit_like(1, sig);
		}
	}
}

/* EOF on the connection: fine once the status came, or when none will
 * (dived -w, fd waiting: the end of the pty tells then). */
static void hung_up(struct relay *r)
{
	r->sock_open = 0;
	if (!r->exited && r->l->waitmode != 2 && !(r->l->pidflags & PF_NOWAIT))
		bail(EC_NOEXEC, "dived dropped the connection", 0);
}

static void on_reply(struct relay *r)
{
	char text[PROTO_MAX_TEXT + 1];
	struct reply rp;
	int type = reply_read(r->l->sock, &rp, text, NULL, NULL);
	if (type < 0)
		bail(EC_PROTO, g_err, 0);
	if (type == 0) {
		hung_up(r);
		return;
	}
	if (rp.type == RP_ERROR)
		bail(rp.flags & EF_VERSION ? EC_PROTO : EC_NOEXEC, text, 0);
	if (rp.type == RP_EXIT) {
		r->exited = 1;
		r->code = proto_exit_code(&rp, &r->killed);
	}
}

static int empty(const struct buf *b)
{
	return b->off == b->end;
}

static ssize_t fill(int fd, struct buf *b)
{
	ssize_t n = read(fd, b->b, sizeof(b->b));
	b->off = 0;
	b->end = n > 0 ? (size_t)n : 0;
	return n;
}

static ssize_t flush(int fd, struct buf *b)
{
	ssize_t n = write(fd, b->b + b->off, b->end - b->off);
	if (n > 0)
		b->off += (size_t)n;
	if (empty(b))
		b->off = b->end = 0;
	return n;
}

static int transient(void)
{
	return errno == EINTR || errno == EAGAIN;
}

/* stdin ended (a pipe or file, or a hung-up terminal): the pty's EOF
 * char ends the remote read, as Ctrl+D would. A pending partial line
 * takes a first one to be pushed out. Without ICANON no byte means
 * end of file: then the remote side just sees no more input. */
static void queue_eof(struct relay *r)
{
	struct termios t;
	r->send_eof = 0;
	if (tcgetattr(r->l->master, &t) || !(t.c_lflag & ICANON) ||
	    t.c_cc[VEOF] == _POSIX_VDISABLE)
		return;
	r->in.off = 0;
	r->in.end = r->last == '\n' ? 1 : 2;
	r->in.b[0] = r->in.b[1] = (char)t.c_cc[VEOF];
}

static void from_stdin(struct relay *r)
{
	ssize_t n = fill(0, &r->in);
	if (n < 0 && transient())
		return;
	if (n <= 0) {
		r->in_open = 0;
		r->send_eof = 1;
	}
}

/* The slave side is closed: nobody will read our input any more. */
static void stop_input(struct relay *r)
{
	r->in.off = r->in.end = 0;
	r->in_open = r->send_eof = 0;
}

static void to_master(struct relay *r)
{
	const char *start = r->in.b + r->in.off;
	ssize_t n = flush(r->l->master, &r->in);
	if (n > 0)
		r->last = start[n - 1]; /* flush moves indices, not bytes */
	if (n < 0 && !transient())
		stop_input(r);
}

/* After RP_EXIT (not fd waiting) the master is only drained of what the
 * program left: EAGAIN ends it, so background jobs still holding the
 * terminal do not keep dive alive (they get a hangup when we go). */
static void from_master(struct relay *r)
{
	int draining = r->exited && r->l->waitmode != 2;
	ssize_t n = fill(r->l->master, &r->out);
	if (n > 0 && draining && (r->drained += (size_t)n) > DRAIN_MAX)
		r->master_open = 0;
	if (n < 0 && errno == EINTR)
		return;
	if (n == 0 || (n < 0 && (errno != EAGAIN || draining)))
		r->master_open = 0; /* EIO: every slave fd is closed */
}

static void to_stdout(struct relay *r)
{
	if (flush(1, &r->out) >= 0 || transient())
		return;
	if (errno == EPIPE) { /* as if the program wrote to a dead pipe */
		restore();
		exit_like(1, SIGPIPE);
	}
	bail(EC_NOEXEC, "writing to stdout", 1);
}

static int done(const struct relay *r)
{
	return empty(&r->out) && !r->master_open &&
	       (r->exited || !r->sock_open);
}

static void relay_once(struct relay *r)
{
	const struct pty_link *l = r->l;
	int drain_now = r->exited && l->waitmode != 2 && r->master_open &&
			empty(&r->out);
	int want_in = r->in_open && empty(&r->in) && r->master_open &&
		      !(r->exited && l->waitmode != 2);
	if (drain_now) { /* no poll: EAGAIN is the answer we wait for */
		from_master(r);
		return;
	}
	if (r->send_eof && empty(&r->in))
		queue_eof(r);
	struct pollfd p[5] = {
		{ r->sfd, POLLIN, 0 },
		{ r->sock_open ? l->sock : -1, POLLIN, 0 },
		{ want_in ? 0 : -1, POLLIN, 0 },
		{ -1, (short)((empty(&r->out) ? POLLIN : 0) |
			      (empty(&r->in) ? 0 : POLLOUT)), 0 },
		{ empty(&r->out) ? -1 : 1, POLLOUT, 0 },
	};
	/* the master only when there is something to do with it: its
	 * POLLHUP would wake us for nothing while stdout is busy */
	if (r->master_open && p[3].events)
		p[3].fd = l->master;
	if (poll(p, 5, -1) < 0) {
		if (errno == EINTR)
			return;
		bail(EC_NOEXEC, "poll", 1);
	}
	if (p[0].revents)
		on_signals(r);
	if (p[1].revents)
		on_reply(r);
	if (p[2].revents)
		from_stdin(r);
	if (p[3].revents & (POLLHUP | POLLERR)) /* else it wakes us again */
		stop_input(r);
	if (p[3].revents & POLLOUT && !empty(&r->in))
		to_master(r);
	if (p[3].revents & (POLLIN | POLLHUP | POLLERR) && empty(&r->out))
		from_master(r);
	if (p[4].revents)
		to_stdout(r);
}

/* DIVE_SIGFWMODE=0 leaves dive without a signalfd: signals then do to
 * dive what they do to any process, but the terminal is restored first,
 * and window size changes still reach the pty. */
static int own_signals(void)
{
	static const unsigned char sigs[] = {
		SIGWINCH, SIGCONT, SIGHUP, SIGINT, SIGQUIT, SIGTERM,
	};
	return sigfd_block(sigs, sizeof(sigs));
}

void pty_client(const struct pty_link *l)
{
	static struct relay r;
	r.l = l;
	r.sfd = l->sfd >= 0 ? l->sfd : own_signals();
	r.in_open = r.master_open = r.sock_open = 1;
	r.last = '\n';
	if (l->master < 0)
		die(EC_NOEXEC, "dived sent no pty", (char *)0);
	/* EPIPE instead, so that the terminal is restored before we go */
	if (r.sfd < 0 || signal(SIGPIPE, SIG_IGN) == SIG_ERR ||
	    fcntl(l->master, F_SETFL, O_NONBLOCK))
		die_errno(EC_NOEXEC, "setting up the pty relay", (char *)0);
	enter_raw();
	sync_size(l->master); /* it may have changed since the request */
	while (!done(&r))
		relay_once(&r);
	finish(&r);
}
#endif
