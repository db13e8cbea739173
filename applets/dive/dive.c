/* dive.c — the client: hand every open fd, argv, environment, cwd, root,
 * umask and terminal to dived in one request, then behave like the
 * program: forward signals, and exit with its status (or die of its
 * signal). No stdio: this applet is also built alone for containers. */
#include "applets.h"
#if ENABLED(CONFIG_DIVE)
#include "exitlike.h"
#include "fdpass.h"
#include "proto.h"
#include "ptyclient.h"
#include "reply.h"
#include "sig.h"
#include "unaddr.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

extern char **environ;

/* how the terminal is handled (-t, -T, DIVE_PTY, or automatically) */
enum { PTY_OFF, PTY_ON, PTY_AUTO };

struct dive {
	unsigned waitmode, sigfwmode, pty;
	unsigned keep;    /* bit N: fd N (< 3) stays open here once sent */
	int sock, waitfd;
	int fds[PROTO_MAX_FDS + PROTO_EXTRA_FDS]; /* client fds, then extras */
	unsigned nfds, nextra;
	unsigned flags;
	pid_t pid;        /* the program as seen from here: 0 invisible,
			     -1 not told by the kernel */
	unsigned pidflags;
	int exit_status;  /* -1 until RP_EXIT */
	int killed;       /* ... by signal exit_status */
	unsigned char held[4]; /* before RP_PID: stop, cont, winch, urg */
	unsigned nheld;
	unsigned fwd_failed; /* signals dive could not pass on */
};

static void __attribute__((noreturn)) usage(int fd, int code)
{
	out_str(fd, "Usage: dive [OPTIONS] [--] SOCKET [PROGRAM [ARGS...]]\n"
#if ENABLED(CONFIG_FEATURE_HELP)
		"Start PROGRAM through the dived listening on SOCKET (a path, or\n"
		"@NAME for an abstract socket) as if it was exec'd here: all fds,\n"
		"argv, environment, cwd, umask, terminal and the exit status travel.\n"
#if ENABLED(CONFIG_FEATURE_PTY)
		"  -t   pty mode: dived allocates a pseudo-terminal (DIVE_PTY=1)\n"
		"  -T   classic mode: the program gets this terminal (DIVE_PTY=0)\n"
		"  Default: pty mode if fds 0-2 are one terminal and dived allows it\n"
#endif
		"Environment: DIVE_CURDIR DIVE_ROOTDIR DIVE_TERMINAL (path, @N, empty)\n"
		"  DIVE_WAITMODE (0 wait, 1 start only, 2 wait for fds to close)\n"
		"  DIVE_SIGFWMODE (0 none, 1 to pid, 2 to process group)\n"
		"Exit: the program's status; 1 no socket or fds, 2 connect, 3 protocol,\n"
		"  4 usage, 12 bad DIVE_* setting, 127 refused or not executable\n"
#endif
		);
	exit(code);
}

/* DIVE_X as 0..max, default def; anything else is exit 12. */
static unsigned env_mode(const char *name, unsigned max, unsigned def)
{
	const char *v = getenv(name);
	unsigned n;
	if (!v)
		return def;
	if (parse_uint(v, max, &n))
		die(EC_DIVE_ENV, name, "=", v, ": expected 0 to ",
		    max == 1 ? "1" : "2", (char *)0);
	return n;
}

static void add_fd(struct dive *d, int fd)
{
	if (d->nfds >= PROTO_MAX_FDS)
		die(1, "too many open fds to send", (char *)0);
	d->fds[d->nfds++] = fd;
}

/* Linux >= 6.2 gives the number of open fds as the size of /proc/self/fd;
 * poll() without events then marks every closed one POLLNVAL, 256
 * numbers a call. Reading the directory instead costs procfs an entry per
 * fd: ~1 ms with 200 fds. Returns 0 if the kernel does not tell. */
static int poll_fds(struct dive *d, unsigned long max)
{
	struct pollfd p[256];
	struct stat st;
	unsigned long seen = 0, count;
	if (stat("/proc/self/fd", &st) || st.st_size <= 0)
		return 0;
	count = (unsigned long)st.st_size;
	for (unsigned long base = 0; base < max && seen < count; base += 256) {
		unsigned n = max - base < 256 ? (unsigned)(max - base) : 256;
		for (unsigned i = 0; i < n; i++)
			p[i] = (struct pollfd){ (int)(base + i), 0, 0 };
		if (poll(p, n, 0) < 0)
			return 0;
		for (unsigned i = 0; i < n; i++)
			if (!(p[i].revents & POLLNVAL)) {
				add_fd(d, p[i].fd);
				seen++;
			}
	}
	return 1;
}

/* getdents64's records (the kernel's struct linux_dirent64, which no libc
 * header declares); without /proc, fcntl() probes fd numbers up to
 * FD_PROBE_MAX only (64 Ki syscalls at most). */
struct dirent64_head {
	uint64_t ino;
	int64_t off;
	unsigned short reclen;
	unsigned char type;
	char name[];
};
_Static_assert(offsetof(struct dirent64_head, name) == 19, "dirent64 layout");
#define FD_PROBE_MAX 65536

/* Every open fd below our soft limit (above it: not ours to pass on —
 * valgrind keeps its own fds there), before dive opens any of its own. */
static void list_fds(struct dive *d)
{
	char buf[4096];
	struct rlimit rl;
	getrlimit(RLIMIT_NOFILE, &rl);
	if (rl.rlim_cur > PROTO_MAX_FDNUM)
		rl.rlim_cur = PROTO_MAX_FDNUM;
	if (poll_fds(d, rl.rlim_cur))
		return;
	d->nfds = 0; /* poll failed half-way: start again */
	int dir = open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0) {
		int max = rl.rlim_cur > FD_PROBE_MAX ? FD_PROBE_MAX
						     : (int)rl.rlim_cur;
		for (int fd = 0; fd < max; fd++)
			if (fcntl(fd, F_GETFD) >= 0)
				add_fd(d, fd);
		return;
	}
	for (;;) {
		long n = syscall(SYS_getdents64, dir, buf, sizeof(buf));
		if (n <= 0)
			break;
		for (long off = 0; off < n;) {
			unsigned short reclen;
			memcpy(&reclen, buf + off +
			       offsetof(struct dirent64_head, reclen), 2);
			unsigned v;
			const char *name = buf + off +
				offsetof(struct dirent64_head, name);
			if (!parse_uint(name, PROTO_MAX_FDNUM - 1, &v) &&
			    (int)v != dir && v < rl.rlim_cur)
				add_fd(d, (int)v);
			off += reclen;
		}
	}
	close(dir);
	/* the kernel lists them in order, but do not rely on it */
	for (unsigned i = 1; i < d->nfds; i++)
		for (unsigned j = i; j && d->fds[j - 1] > d->fds[j]; j--) {
			int t = d->fds[j];
			d->fds[j] = d->fds[j - 1];
			d->fds[j - 1] = t;
		}
}

static void drop_std_fds(struct dive *d)
{
	unsigned k = 0; /* pty mode: 0-2 stay here, the pty replaces them */
	for (unsigned i = 0; i < d->nfds; i++)
		if (d->fds[i] > 2)
			d->fds[k++] = d->fds[i];
	d->nfds = k;
}

static int connect_to(const char *path)
{
	struct sockaddr_un sa;
	socklen_t len = unaddr(&sa, path);
	int one = 1;
	if (!len)
		die(EC_CONNECT, g_err, (char *)0);
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		die_errno(EC_SOCKET, "socket", (char *)0);
	/* the pid in RP_PID's credentials is translated into our pid
	 * namespace by the kernel: that is the pid we can signal */
	setsockopt(s, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one));
	if (connect(s, (struct sockaddr *)&sa, len)) {
		struct stat st; /* the kernel says "Connection refused" */
		if (path[0] != '@' && !stat(path, &st) && !S_ISSOCK(st.st_mode))
			die(EC_CONNECT, "connect ", path, ": not a socket",
			    (char *)0);
		die_errno(EC_CONNECT, "connect ", path, (char *)0);
	}
	return s;
}

static void add_extra(struct dive *d, int fd, unsigned flag)
{
	d->fds[d->nfds + d->nextra++] = fd;
	d->flags |= flag;
}

/* A directory for dived: var's, else def (NULL: none). An empty var
 * sends none. Whoever holds such an fd reaches everything below it (and
 * above it, through ".."): see docs/interactive.md. */
static void add_dir(struct dive *d, const char *var, const char *def,
		    unsigned flag)
{
	const char *path = getenv(var);
	if (path && !*path)
		return;
	if (!path && !(path = def))
		return;
	int fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0)
		add_extra(d, fd, flag);
	else if (path != def)
		die_errno(EC_DIVE_ENV, var, "=", path, (char *)0);
	else /* out of fds: the program would silently run elsewhere */
		die_errno(EC_SOCKET, "cannot open ", def, (char *)0);
}

static void add_terminal(struct dive *d)
{
	const char *t = getenv("DIVE_TERMINAL");
	unsigned n;
	if (!t)
		t = "@0";
	if (!*t || !strcmp(t, "@-1"))
		return;
	if (t[0] == '@') {
		if (parse_uint(t + 1, PROTO_MAX_FDNUM - 1, &n))
			die(EC_DIVE_ENV, "DIVE_TERMINAL=", t,
			    ": expected a path, @N, @-1 or empty", (char *)0);
		if (isatty((int)n)) /* not a terminal: nothing to control */
			add_extra(d, (int)n, RQ_TTY);
		return;
	}
	int fd = open(t, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		die_errno(EC_DIVE_ENV, "DIVE_TERMINAL=", t, (char *)0);
	if (!isatty(fd)) /* named explicitly: a mistake worth saying */
		die(EC_DIVE_ENV, "DIVE_TERMINAL=", t, ": not a terminal",
		    (char *)0);
	add_extra(d, fd, RQ_TTY);
}

static int kept(const struct dive *d, int fd)
{
	return fd < 3 && (d->keep >> fd & 1);
}

/* As if exec'd: our copies must not keep pipes open (stderr stays for
 * our own messages, and in the automatic pty mode stdin and stdout until
 * dived says whether it made a pty). The client fds ascend: close runs
 * of consecutive numbers with one close_range each (one call for 200). */
static void close_sent(struct dive *d)
{
	for (unsigned i = 0; i < d->nfds;) {
		unsigned j = i;
		if (kept(d, d->fds[i])) {
			i++;
			continue;
		}
		while (j + 1 < d->nfds && d->fds[j + 1] == d->fds[j] + 1 &&
		       !kept(d, d->fds[j + 1]))
			j++;
		if (syscall(SYS_close_range, d->fds[i], d->fds[j], 0) != 0)
			for (int fd = d->fds[i]; fd <= d->fds[j]; fd++)
				close(fd); /* kernel < 5.9 */
		i = j + 1;
	}
	for (unsigned i = d->nfds; i < d->nfds + d->nextra; i++)
		if (!kept(d, d->fds[i]))
			close(d->fds[i]);
}

static void send_request(struct dive *d, char **argv)
{
	struct req_header h = {
		.magic = PROTO_REQ_MAGIC, .version = PROTO_VERSION,
		.nfds = d->nfds,
	};
	struct winsize ws;
	unsigned argc = 0, envc = 0;
	while (argv[argc])
		argc++;
	while (environ[envc])
		envc++;
	if (d->waitmode != 1) {
		int p[2];
		if (pipe2(p, O_CLOEXEC))
			die_errno(EC_SOCKET, "pipe", (char *)0);
		d->waitfd = p[0];
		add_extra(d, p[1], RQ_WAITFD);
	}
	h.flags = (uint16_t)(d->flags | d->waitmode |
			     d->sigfwmode << RQ_SIGFW_SHIFT);
	h.argc = argc;
	h.envc = envc;
	h.umask = umask(022);
	umask((mode_t)h.umask);
	if (d->pty != PTY_OFF && !ioctl(0, TIOCGWINSZ, &ws)) {
		h.ws_row = ws.ws_row;
		h.ws_col = ws.ws_col;
	}
	size_t len = proto_request_size(d->nfds, argv, environ);
	if (len > PROTO_MAX_REQUEST)
		die(EC_NOEXEC, "arguments and environment too large", (char *)0);
	h.length = (uint32_t)len;
	char *buf = malloc(len);
	if (!buf)
		die(EC_NOEXEC, "out of memory", (char *)0);
	proto_encode(buf, &h, d->fds, argv, environ);
	/* EPIPE: dived refused us before reading it all (--max-clients,
	 * --allow-user); its reason waits in our queue for first_reply() */
	if (fdpass_send(d->sock, buf, len, d->fds, d->nfds + d->nextra) &&
	    errno != EPIPE && errno != ECONNRESET)
		die_errno(EC_NOEXEC, "sending the request", (char *)0);
	free(buf);
	close_sent(d);
}

/* One reply, or exit 3 if what came is not one (reply.h). */
static int read_reply(int sock, struct reply *rp, char *text, int *fd,
		      pid_t *pid)
{
	int type = reply_read(sock, rp, text, fd, pid);
	if (type < 0)
		die(EC_PROTO, g_err, (char *)0);
	return type;
}

static void forward(void *ctx, int sig)
{
	struct dive *d = ctx;
	if (ENABLED(CONFIG_FEATURE_SIGNALS) && (d->pidflags & PF_SIGNALS)) {
		struct sigmsg m = { PROTO_SIG_MAGIC, proto_sig_to_wire(sig) };
		send(d->sock, &m, sizeof(m), MSG_NOSIGNAL);
		return;
	}
	if (d->pid > 0) {
		/* (not for pid 1: kill(-1) is every process we may signal) */
		if (d->sigfwmode == 2 && d->pid > 1 && !kill(-d->pid, sig))
			return;
		if (!kill(d->pid, sig) || errno == ESRCH) /* ESRCH: it ended */
			return;
	}
	/* another user's program (EPERM), or one out of our sight: said
	 * once, not at every signal */
	if (d->fwd_failed++)
		return;
	if (d->pid > 0)
		say_errno("cannot pass signals on to the program", (char *)0);
	else
		say("cannot pass signals on to the program: its pid is not "
		    "visible here", (char *)0);
}

/* DIVE_SIGFWMODE=0: dive does nothing special with signals, so they do
 * to it what they do to any process (and the program is left alone). */
static int setup_signals(unsigned sigfwmode)
{
	if (!sigfwmode)
		return -1;
	int fd = sigfd_block(sig_fwd, SIG_FWD_COUNT);
	if (fd < 0) /* blocked and never read: signals would be lost */
		die_errno(EC_SOCKET, "signalfd", (char *)0);
	return fd;
}

static void handle_reply(struct dive *d, int type, struct reply *rp,
			 const char *text)
{
	if (type == 0) {
		if (d->waitmode == 2 && d->waitfd >= 0)
			return; /* fd waiting: the pipe tells */
		die(EC_NOEXEC, "dived dropped the connection", (char *)0);
	}
	if (type == RP_ERROR)
		die(rp->flags & EF_VERSION ? EC_PROTO : EC_NOEXEC, text,
		    (char *)0);
	if (type == RP_EXIT) {
		d->exit_status = proto_exit_code(rp, &d->killed);
		if (d->waitmode != 2)
			exit_like(d->killed, d->exit_status);
	}
}

static void wait_loop(struct dive *d, int sfd)
{
	char text[PROTO_MAX_TEXT + 1];
	int sock_open = 1;
	for (;;) {
		struct pollfd p[3] = {
			{ sfd, POLLIN, 0 },
			{ sock_open ? d->sock : -1, POLLIN, 0 },
			{ d->waitmode == 2 ? d->waitfd : -1, POLLIN, 0 },
		};
		if (poll(p, 3, -1) < 0 && errno != EINTR)
			die_errno(EC_NOEXEC, "poll", (char *)0);
		if (p[0].revents) {
			struct signalfd_siginfo si;
			while (read(sfd, &si, sizeof(si)) == sizeof(si))
				forward(d, (int)si.ssi_signo);
		}
		if (p[1].revents) {
			struct reply rp;
			pid_t pid;
			int fd, type = read_reply(d->sock, &rp, text, &fd, &pid);
			if (fd >= 0)
				close(fd);
			if (!type)
				sock_open = 0;
			handle_reply(d, type, &rp, text);
		}
		if (p[2].revents) {
			char b[64];
			if (read(d->waitfd, b, sizeof(b)) <= 0)
				exit_like(d->killed, d->exit_status < 0
							     ? 0 : d->exit_status);
		}
	}
}

/* dive [OPTIONS] [--] SOCKET [PROGRAM [ARGS...]]: options only before
 * SOCKET, everything after it is the program's. *pty: -t PTY_ON, -T
 * PTY_OFF, else -1. */
static char **parse_args(int argc, char **argv, int *pty)
{
	int i = 1;
	*pty = -1;
	if (argc < 2)
		usage(2, EC_USAGE);
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		if ((a[1] == 't' || a[1] == 'T') && !a[2])
			*pty = a[1] == 't'; /* PTY_ON, PTY_OFF */
		else if (!strcmp(a, "--help") || !strcmp(a, "-?"))
			usage(1, 0);
		else if (!strcmp(a, "--version")) {
			print_version();
			exit(0);
		} else
			die(EC_USAGE, "unknown option '", a, "' (try --help)",
			    (char *)0);
	}
	if (i >= argc)
		die(EC_USAGE, "no SOCKET given (try --help)", (char *)0);
	return argv + i;
}

#if ENABLED(CONFIG_FEATURE_PTY)
/* Like sudo's use_pty: fds 0, 1 and 2 are one terminal, and we are its
 * foreground job (in the background, raw mode would stop us with
 * SIGTTOU). Output to a file or a pipe never goes through a pty. */
static int one_terminal(void)
{
	struct stat st[3];
	for (int fd = 0; fd < 3; fd++)
		if (fstat(fd, &st[fd]) || !S_ISCHR(st[fd].st_mode) ||
		    st[fd].st_rdev != st[0].st_rdev || !isatty(fd))
			return 0;
	return tcgetpgrp(0) == getpgrp();
}
#endif

/* -t or -T, else DIVE_PTY, else automatic where it helps: a program
 * started with DIVE_WAITMODE=1 outlives dive, which cannot relay then. */
static unsigned pty_mode(int opt, unsigned waitmode)
{
	unsigned m = opt >= 0 ? (unsigned)opt : env_mode("DIVE_PTY", 1, 2);
	if (m == PTY_ON && !ENABLED(CONFIG_FEATURE_PTY))
		die(EC_USAGE, "pty mode not in this build (CONFIG_FEATURE_PTY)",
		    (char *)0);
#if ENABLED(CONFIG_FEATURE_PTY)
	if (m == PTY_AUTO && (waitmode == 1 || !one_terminal()))
		m = PTY_OFF;
#else
	if (m == PTY_AUTO)
		m = PTY_OFF;
#endif
	return m;
}

/* The first reply must be RP_PID: the program is about to be exec'd. Its
 * pid for kill() is the one the kernel gave with the message (translated
 * into our pid namespace; 0 if invisible from here), else dived's word. */
static int first_reply(struct dive *d)
{
	char text[PROTO_MAX_TEXT + 1];
	struct reply rp;
	pid_t pid;
	int fd, type = read_reply(d->sock, &rp, text, &fd, &pid);
	if (type != RP_PID) {
		if (fd >= 0)
			close(fd);
		/* RP_EXIT first: the handler died before it could say why
		 * (its status is not the program's: nothing ran) */
		if (type == 0 || type == RP_EXIT)
			die(EC_NOEXEC, "dived dropped the connection", (char *)0);
		handle_reply(d, type, &rp, text);
		die(EC_PROTO, "unexpected reply from dived", (char *)0);
	}
	d->pidflags = rp.flags;
	d->pid = pid >= 0 ? pid : rp.value;
	return fd;
}

/* Before RP_PID nothing runs yet, as if dive were still in execve(): a
 * signal that would end the program ends dive (dived then sees the
 * hangup and runs nothing), so a silent dived cannot leave an unkillable
 * dive behind. Stop/continue/winch/urg are held for the program, in the
 * order they came (a stop then a continue is not a continue then a stop),
 * each once: the latest of a kind counts, as with pending signals. */
static void hold(struct dive *d, int sig)
{
	unsigned k = 0;
	for (unsigned i = 0; i < d->nheld; i++)
		if (d->held[i] != sig)
			d->held[k++] = d->held[i];
	d->held[k] = (unsigned char)sig;
	d->nheld = k + 1;
}

static void await_first_reply(struct dive *d, int sfd)
{
	struct pollfd p[2] = { { d->sock, POLLIN, 0 }, { sfd, POLLIN, 0 } };
	struct signalfd_siginfo si;
	while (sfd >= 0 && !p[0].revents) {
		if (poll(p, 2, -1) < 0 && errno != EINTR)
			return;
		if (p[0].revents) /* RP_PID may be there: forward them */
			return;
		while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
			int sig = (int)si.ssi_signo;
			if (sig != SIGCONT && sig != SIGTSTP && sig != SIGWINCH &&
			    sig != SIGURG)
				exit_like(1, sig);
			hold(d, sig);
		}
	}
}

/* Once RP_PID came: what the program missed, as the loop that follows
 * would have passed it on. The pty relay sets the pty's window size as
 * it starts: a SIGWINCH for that is not forwarded (nor later). */
static void release_held(struct dive *d, int pty)
{
	for (unsigned i = 0; i < d->nheld; i++)
		if (!pty || d->held[i] != SIGWINCH)
			forward(d, d->held[i]);
}

#if ENABLED(CONFIG_FEATURE_PTY)
static void relay_pty(struct dive *d, int master, int sfd)
{
	struct pty_link l = { d->sock, master, sfd, d->waitmode, d->pidflags,
			      forward, d };
	pty_client(&l);
}
#endif

int dive_main(int argc, char **argv)
{
	static struct dive d;
	int opt;

	argv = parse_args(argc, argv, &opt);
	d.waitmode = env_mode("DIVE_WAITMODE", 2, 0);
	d.sigfwmode = env_mode("DIVE_SIGFWMODE", 2, 1);
	d.pty = pty_mode(opt, d.waitmode);
	d.exit_status = -1;
	d.waitfd = -1;
	d.keep = 1 << 2;
	list_fds(&d);
	if (d.pty == PTY_ON) {
		drop_std_fds(&d);
		d.flags |= RQ_PTY;
	}
	/* dived may serve the automatic mode classically: send what that
	 * needs, keep what the relay needs until RP_PID tells */
	if (d.pty == PTY_AUTO) {
		d.flags |= RQ_PTY | RQ_PTY_AUTO;
		d.keep = 7;
	}
	/* the extras go in the order proto.h gives: cwd, root, tty, wait.
	 * The root directory only when asked: it is the key to the whole
	 * filesystem for a dived that may not be trusted with it */
	add_dir(&d, "DIVE_CURDIR", ".", RQ_CWD);
	add_dir(&d, "DIVE_ROOTDIR", NULL, RQ_ROOT);
	if (d.pty != PTY_ON)
		add_terminal(&d);
	int sfd = setup_signals(d.sigfwmode);
	d.sock = connect_to(argv[0]);
	send_request(&d, argv + 1);
	await_first_reply(&d, sfd);
	int fd = first_reply(&d);
	int pty = fd >= 0 && (d.pidflags & PF_PTY);
	release_held(&d, pty);
#if ENABLED(CONFIG_FEATURE_PTY)
	if (pty)
		relay_pty(&d, fd, sfd);
	if (d.pty == PTY_AUTO) { /* served classically: as if exec'd */
		close(0);
		close(1);
	}
#endif
	if (fd >= 0)
		close(fd);
	if (d.waitmode == 1)
		return 0;
	if (d.waitmode == 0 && (d.pidflags & PF_NOWAIT)) {
		say("dived runs with --no-wait: waiting for the program's fds "
		    "to close instead (DIVE_WAITMODE=2)", (char *)0);
		d.waitmode = 2;
	}
	wait_loop(&d, sfd);
	return 0;
}
#endif
