/* session.c — serving one dive client (SPEC §3 "Order of setup"). */
#include "session.h"
#include "access.h"
#include "audit.h"
#include "fdpass.h"
#include "fdplace.h"
#include "fsroot.h"
#include "ptyserver.h"
#include "secbits.h"
#include "secenv.h"
#include "sig.h"
#include "target.h"
#include "pidns.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* see session_signal_slot() */
static volatile unsigned char *ready_flags;
static int ready_wake = -1;
static unsigned ready_slot;

void session_refuse(int conn, const char *why)
{
	char msg[PROTO_MAX_TEXT];
	strjoin(msg, sizeof(msg), "refused: ", why, (char *)0);
	audit_outcome("", msg);
	proto_send_reply(conn, RP_ERROR, 0, 0, msg, -1);
}

/* Put the client's fds at their numbers (step 3). dived's own 0-2 must
 * not reach the program unless the client sent them (or -O); no internal
 * fd may sit on a number the client wants. */
static int place_fds(struct session *s, const struct server *sv, int *fds)
{
	unsigned n = s->req.h.nfds;
	if (sv->flags & SV_NO_FDS) {
		for (unsigned i = 0; i < n; i++)
			close(fds[i]);
		return 0;
	}
	for (int fd = 0; fd < 3; fd++)
		fcntl(fd, F_SETFD, FD_CLOEXEC);
	int *logs = audit_fds();
	int *mine[] = { &s->conn, &s->cwd_fd, &s->root_fd, &s->tty_fd,
			&s->wait_fd, &s->devnull, &s->target_cwd,
			&ready_wake, &logs[0], &logs[1] };
	return fdplace(fds, s->req.fdnum, n, mine, ARRAY_SIZE(mine));
}

/* Read the request and its fds (step 3), within --timeout of its start. */
static int receive_request(struct session *s, const struct server *sv)
{
	static int fds[PROTO_MAX_FDS + PROTO_EXTRA_FDS];
	size_t got = 0, total;
	struct req_header h;
	int vm;
	long long by = sv->timeout ? monotonic_ms() + sv->timeout * 1000LL : 0;

	if (fdpass_recv(s->conn, &h, sizeof(h), fds, &got, PROTO_FD_BATCH, by))
		goto bad;
	if (proto_check_header(&h, &vm)) {
		if (!vm)
			goto bad; /* refused with the reason */
		audit_outcome("refused: ", g_err);
		proto_send_reply(s->conn, RP_ERROR, 0, EF_VERSION, g_err, -1);
		goto bad_quiet;
	}
	total = h.nfds + proto_extra_fds(h.flags);
	if (got > total) {
		fail("client sent more fds than it declared", (char *)0);
		goto bad;
	}
	if (!(s->buf = malloc(h.length))) {
		fail("out of memory", (char *)0);
		goto bad;
	}
	memcpy(s->buf, &h, sizeof(h));
	if (fdpass_recv(s->conn, s->buf + sizeof(h), h.length - sizeof(h),
			fds, &got, total, by))
		goto bad;
	while (got < total) {
		char b;
		size_t before = got;
		if (fdpass_recv(s->conn, &b, 1, fds, &got, total, by))
			goto bad;
		if (b != 'F' || got == before) {
			fail("bad fd batch", (char *)0);
			goto bad;
		}
	}
	if (proto_decode(&s->req, s->buf, h.length))
		goto bad;
	int *x = fds + h.nfds;
	s->cwd_fd = (h.flags & RQ_CWD) ? *x++ : -1;
	s->root_fd = (h.flags & RQ_ROOT) ? *x++ : -1;
	s->tty_fd = (h.flags & RQ_TTY) ? *x++ : -1;
	s->wait_fd = (h.flags & RQ_WAITFD) ? *x++ : -1;
	if (place_fds(s, sv, fds) == 0)
		return 0;
	session_refuse(s->conn, g_err);
	return -1;
bad:
	session_refuse(s->conn, g_err);
bad_quiet:
	for (size_t i = 0; i < got; i++)
		close(fds[i]);
	return -1;
}

/* The client may have more fds, or higher numbers, than our soft
 * RLIMIT_NOFILE allows (its own limit allowed them): lift ours to the
 * hard limit while they are received and placed, then put it back (fds
 * above a limit stay valid), so the program gets dived's limit. */
static int receive(struct session *s, const struct server *sv)
{
	struct rlimit old, up;
	int lifted = !getrlimit(RLIMIT_NOFILE, &old) &&
		     old.rlim_cur < old.rlim_max;
	if (lifted) {
		up = old;
		up.rlim_cur = old.rlim_max;
		lifted = !setrlimit(RLIMIT_NOFILE, &up);
	}
	int r = receive_request(s, sv);
	if (lifted && setrlimit(RLIMIT_NOFILE, &old) && !r) {
		fail_errno("RLIMIT_NOFILE", (char *)0);
		session_refuse(s->conn, g_err);
		return -1;
	}
	return r;
}

static int peer_credentials(struct session *s)
{
	struct ucred uc;
	socklen_t len = sizeof(uc);
	if (getsockopt(s->conn, SOL_SOCKET, SO_PEERCRED, &uc, &len))
		return fail_errno("SO_PEERCRED", (char *)0);
	s->cl.pid = uc.pid;
	s->cl.uid = uc.uid;
	s->cl.gid = uc.gid;
	client_lookup_user(&s->cl);
	return 0;
}

/* The client's controlling terminal as /proc/PID/stat's tty_nr, read in
 * dived's own view before anything else: 0 if none or if the entry is not
 * the client's (the pid was reused, or /proc is another namespace's). */
static unsigned client_ctty(const struct client *c)
{
	char path[40], num[24], buf[512];
	struct stat st;
	unsigned v = 0;
	if (pathjoin(path, sizeof(path), "/proc/", fmt_u(num, (unsigned)c->pid),
		     "/stat", (char *)0))
		return 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = fstat(fd, &st) || st.st_uid != c->uid
			    ? -1 : read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	/* "pid (comm) state ppid pgrp session tty_nr ...": comm may hold
	 * anything, so count from the last ')' */
	char *p = strrchr(buf, ')');
	for (int field = 0; p && field < 5; field++)
		p = strchr(p + 1, ' ');
	for (p = p ? p + 1 : ""; *p >= '0' && *p <= '9' && v < 1u << 28; p++)
		v = v * 10 + (unsigned)(*p - '0');
	return v;
}

/* A handler must never hand dived's own controlling terminal on (-S keeps
 * dived's session): let go of it. Only where dived could not let go of it
 * itself (a session leader: dived.c), and not as a session leader (dived
 * -F/-i), where that would hang up the terminal's foreground jobs. */
int session_ctty_kept;

static void drop_own_ctty(void)
{
	if (!session_ctty_kept || getsid(0) == getpid())
		return;
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd >= 0) {
		ioctl(fd, TIOCNOTTY);
		close(fd);
	}
}

/* Step 0, in dived's own view (no setns, chroot or client root yet): the
 * identity with its lookups, the client's terminal, /dev/null. */
static int prepare(struct session *s, const struct server *sv)
{
	drop_own_ctty();
	if (s->cl.uid != 0) /* root may take any terminal anyway */
		s->client_ctty = client_ctty(&s->cl);
	s->devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	return plan_identity(&sv->plan, &s->cl, &s->id);
}

/* dived imposes a root (-R, -V): no fd from the client may reach outside
 * it, and a directory (or O_PATH) fd is a way out (fchdir, openat). */
static int confined(const struct server *sv)
{
	return sv->plan.chroot_dir || sv->plan.pivot_new || sv->plan.target_pid;
}

static int refuse_dir_fds(const struct session *s)
{
	char num[24];
	for (uint32_t i = 0; i < s->req.h.nfds; i++) {
		int fd = (int)s->req.fdnum[i];
		struct stat st;
		int fl = fcntl(fd, F_GETFL);
		if (fl < 0 || (fl & O_PATH) || fstat(fd, &st) ||
		    S_ISDIR(st.st_mode))
			return fail("fd ", fmt_u(num, (unsigned)fd),
				    " is a directory or O_PATH: not accepted"
				    " by a dived that confines its programs"
				    " (-R/-V)", (char *)0);
	}
	return 0;
}

/* A -N pid namespace (or --target's) takes only our children: the
 * program's process forks off here, before anything of the client's is
 * received, and this one stays as its waiter (pidns.c), whose exit
 * status dived reports as the program's. */
static int enter_pidns(void)
{
	if (ns_joined_pidns && pidns_fork(NULL) < 0)
		return -1;
	return 0;
}

int session_begin(struct session *s, const struct server *sv, int conn)
{
	memset(s, 0, sizeof(*s));
	s->conn = conn;
	s->cwd_fd = s->root_fd = s->tty_fd = s->wait_fd = s->pty_master = -1;
	s->devnull = s->target_cwd = -1;
	if (peer_credentials(s)) {
		session_refuse(conn, g_err);
		return -1;
	}
	audit_client(&s->cl);
	/* before any per-client work (-t, setns...), and before reading */
	if (access_check(sv, &s->cl, conn) || prepare(s, sv) ||
	    plan_enter(&sv->plan) || enter_pidns()) {
		session_refuse(conn, g_err);
		return -1;
	}
	if (sv->plan.target_pid)
		s->target_cwd = target_take_cwd();
	if (receive(s, sv))
		return -1;
	if ((!(sv->flags & SV_NO_FDS) && confined(sv) && refuse_dir_fds(s)) ||
	    plan_auth(&sv->plan, &s->cl)) {
		session_refuse(conn, g_err);
		return -1;
	}
	return 0;
}

static int outside(const char *what)
{
	return fail(what, " is outside the program's root (-R/-V): use"
		    " dived -H or DIVE_CURDIR=, or let dived"
		    " --allow-outside-cwd", (char *)0);
}

/* Step 5: umask, the client's root (-r) and current directory. A program
 * that dived confines (-R, -V) never starts in a directory outside its
 * root (a way out) unless the administrator allows it; with -r too, the
 * client's root must lie inside dived's. (-r alone is the client's own
 * choice: its cwd and its fds are its own.) */
static int client_dirs(struct session *s, const struct server *sv)
{
	int jailed = confined(sv);
	if (!(sv->flags & SV_NO_UMASK))
		umask(s->req.h.umask);
	if (sv->flags & SV_CLIENT_CHROOT) {
		if (s->root_fd < 0)
			return fail("client sent no root directory (set"
				    " DIVE_ROOTDIR)", (char *)0);
		if (fchdir(s->root_fd))
			return fail_errno("client chroot", (char *)0);
		if (jailed && !fsroot_cwd_inside())
			return outside("the client's root directory");
		if (chroot("."))
			return fail_errno("client chroot", (char *)0);
	}
	if (sv->flags & SV_ROOT_TO_CUR)
		return chdir("/") ? fail_errno("chdir /", (char *)0) : 0;
	if ((sv->flags & SV_NO_CHDIR) || s->cwd_fd < 0)
		return 0;
	if (fchdir(s->cwd_fd))
		return fail_errno("client's current directory", (char *)0);
	if (!jailed || (sv->plan.flags & PL_OUTSIDE_CWD) || fsroot_cwd_inside())
		return 0;
	/* as docker exec: a client elsewhere starts where the target is */
	if (s->target_cwd >= 0 && !sv->plan.chroot_dir && !sv->plan.pivot_new)
		return fchdir(s->target_cwd)
			       ? fail_errno("the target's cwd", (char *)0) : 0;
	return outside("your current directory");
}

/* /proc/PID/stat's encoding of a device number */
static unsigned tty_nr(dev_t d)
{
	unsigned ma = major(d), mi = minor(d);
	return (mi & 0xff) | (ma << 8) | ((mi & ~0xffu) << 12);
}

/* The client's terminal becomes the program's controlling terminal only
 * if the program runs as the client, and the client owns the terminal
 * (or is root). It is taken from the session that holds it only if that
 * is the client's own session (or the client is root): never from
 * another one, whose shell could then be typed into (TIOCSTI). */
static void take_terminal(const struct session *s)
{
	struct stat st;
	uid_t uid = s->id.change ? s->id.uid : geteuid();
	uid_t euid = s->id.change ? s->id.euid : geteuid();
	if (uid != s->cl.uid || euid != s->cl.uid ||
	    fstat(s->tty_fd, &st) || !S_ISCHR(st.st_mode) ||
	    (s->cl.uid != 0 && st.st_uid != s->cl.uid))
		return;
	int steal = s->cl.uid == 0 ||
		    (s->client_ctty && tty_nr(st.st_rdev) == s->client_ctty);
	ioctl(s->tty_fd, TIOCSCTTY, steal);
}

/* Step 6: new session and the client's terminal as controlling tty. A
 * terminal that cannot be taken is not fatal: the program still runs, as
 * it would from a shell without job control. */
static int terminal(struct session *s, const struct server *sv)
{
	if (s->req.h.flags & RQ_PTY) {
		int a = !!(s->req.h.flags & RQ_PTY_AUTO);
		/* -T and -S keep the auto mode classic (a pty needs a new
		 * session), but dive -t asked for it */
		int r = -2;
		if (ENABLED(CONFIG_FEATURE_PTY) && !(sv->flags & SV_NO_PTY) &&
		    !(a && (sv->plan.flags & (PL_NO_CSCTTY | PL_NO_SETSID))) &&
		    ((r = pty_server_setup(s)) != -2 || !a))
			return r;
		/* the auto mode falls back to the classic one where no pty
		 * can be had (a container without /dev/ptmx) */
		if (!a)
			return fail("pty mode is not allowed by this dived",
				    (char *)0);
	}
	/* already a session leader (dived -F -w after -d): that is fine */
	if (!(sv->plan.flags & PL_NO_SETSID) && setsid() < 0 &&
	    getsid(0) != getpid())
		return fail_errno("setsid", (char *)0);
	if (!(sv->plan.flags & PL_NO_CSCTTY) && s->tty_fd >= 0 &&
	    getsid(0) == getpid())
		take_terminal(s);
	return 0;
}

static int is_dive_var(const char *e)
{
	return startswith(e, "DIVE_");
}

/* Does the program run with other privileges than its client? (secenv.h) */
static int secure_mode(const struct client *c)
{
	uid_t r, e, x;
	gid_t rg, eg, xg;
	if (getresuid(&r, &e, &x) || getresgid(&rg, &eg, &xg))
		return 1;
	if (r != c->uid || e != c->uid || x != c->uid || rg != c->gid ||
	    eg != c->gid || xg != c->gid)
		return 1;
	return c->uid != 0 && caps_any_permitted();
}

static int keep_var(const char *e, int secure, int from_client)
{
	if (is_dive_var(e))
		return 0;
	if (!secure)
		return 1;
	return !secenv_replaced(e) && !(from_client && secenv_unsafe(e));
}

/* NAME=value in buf, or NULL if value is empty (left out) */
static char *var(char *buf, size_t size, const char *name, const char *v)
{
	if (!*v || pathjoin(buf, size, name, v, (char *)0))
		return NULL;
	return buf;
}

/* Secure mode: the target's identity variables, and PATH for the
 * client's environment (dived's own, with -E, keeps its PATH). */
static size_t secure_vars(char **env, const struct ident *id, int from_client)
{
	static char home[272], user[80], logname[80], shell[272];
	size_t k = 0;
	if (from_client)
		env[k++] = "PATH=" SECENV_PATH;
	if (!id->have_pw)
		return k;
	char *v[] = { var(home, sizeof(home), "HOME=", id->pw.home),
		      var(user, sizeof(user), "USER=", id->pw.name),
		      var(logname, sizeof(logname), "LOGNAME=", id->pw.name),
		      var(shell, sizeof(shell), "SHELL=",
			  *id->pw.shell ? id->pw.shell : "/bin/sh") };
	for (unsigned i = 0; i < ARRAY_SIZE(v); i++)
		if (v[i])
			env[k++] = v[i];
	return k;
}

/* Step 9: client (or dived's) environment minus DIVE_*, plus DIVE_UID,
 * DIVE_GID, DIVE_PID, DIVE_USER; sanitised in secure mode. */
static char **build_env(struct session *s, const struct server *sv,
			int secure)
{
	static char uid[32], gid[32], pid[32], user[80];
	int from_client = !(sv->flags & SV_NO_ENV);
	char **src = from_client ? s->req.envp : environ, **env;
	size_t n = 0, k = 0;
	char num[24];
	while (src[n])
		n++;
	if (!(env = malloc((n + 10) * sizeof(char *))))
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (keep_var(src[i], secure, from_client))
			env[k++] = src[i];
	if (secure)
		k += secure_vars(env + k, &s->id, from_client);
	strjoin(uid, sizeof(uid), "DIVE_UID=", fmt_u(num, s->cl.uid), (char *)0);
	strjoin(gid, sizeof(gid), "DIVE_GID=", fmt_u(num, s->cl.gid), (char *)0);
	strjoin(pid, sizeof(pid), "DIVE_PID=", fmt_u(num, (unsigned)s->cl.pid),
		(char *)0);
	strjoin(user, sizeof(user), "DIVE_USER=", s->cl.user, (char *)0);
	env[k++] = uid;
	env[k++] = gid;
	env[k++] = pid;
	env[k++] = user;
	env[k] = NULL;
	return env;
}

/* Secure mode: fds 0-2 that the program would start without (the client
 * did not send them; dived's own are close-on-exec) are /dev/null, so
 * that a file it opens cannot become its stdin/stdout/stderr. */
static int std_fds_open(const struct session *s)
{
	for (int fd = 0; fd < 3; fd++) {
		int fl = fcntl(fd, F_GETFD);
		if (fl >= 0 && !(fl & FD_CLOEXEC))
			continue;
		if (s->devnull < 0 || dup2(s->devnull, fd) < 0)
			return fail_errno("opening /dev/null for fds 0-2",
					  (char *)0);
	}
	return 0;
}

static char **build_argv(struct session *s, const struct server *sv)
{
	size_t nc = (sv->flags & SV_NO_ARGV) ? 0 : s->req.h.argc;
	char **argv = malloc((sv->nforced + nc + 1) * sizeof(char *));
	if (!argv)
		return NULL;
	memcpy(argv, sv->forced_argv, sv->nforced * sizeof(char *));
	memcpy(argv + sv->nforced, s->req.argv, nc * sizeof(char *));
	argv[sv->nforced + nc] = NULL;
	return argv;
}

/* The wait pipe goes to the program only if nobody else will report the
 * exit (dived -w, or the client asked for fd waiting). */
static int wait_fd_for_program(struct session *s, const struct server *sv)
{
	if (s->wait_fd < 0)
		return 0;
	if ((sv->flags & SV_NO_WAIT) || (s->req.h.flags & RQ_WAIT_MASK) == 2)
		return fcntl(s->wait_fd, F_SETFD, 0) ? -1 : 0;
	close(s->wait_fd);
	s->wait_fd = -1;
	return 0;
}

/* The program starts with default dispositions and nothing blocked,
 * whatever dived inherited (a shell's "cmd &" ignores SIGINT and SIGQUIT)
 * or set for itself (SIGPIPE): the ignored ones
 * are read once at start (sig.c says why that is enough). */
static uint64_t reset_mask;

void session_note_ignored(void)
{
	reset_mask = sig_ignored();
}

/* The plain loop's dived reads a connection only once its handler is
 * done with it (no byte of the request may be taken from under it): the
 * handler marks its slot (1: to the pid, 2: to the group) and wakes dived
 * just before RP_PID. */

void session_signal_slot(volatile unsigned char *flags, int wake_fd,
			 unsigned slot)
{
	ready_flags = flags;
	ready_wake = wake_fd;
	ready_slot = slot;
}

static void signals_ready(const struct session *s, const struct server *sv)
{
	if (!ENABLED(CONFIG_FEATURE_SIGNALS) || !ready_flags)
		return;
	ready_flags[ready_slot] = (sv->flags & SV_SIGNALS_PGID) ||
	    (s->req.h.flags & RQ_SIGFW_MASK) == 2 << RQ_SIGFW_SHIFT ? 2 : 1;
	if (write(ready_wake, "", 1) < 0) {
		/* the pipe is full: dived is awake and rescans anyway */
	}
	close(ready_wake);
}

void session_exec(struct session *s, const struct server *sv,
		  unsigned pidflags)
{
	char **argv, **env;
	int secure;
	if (client_dirs(s, sv) || terminal(s, sv) ||
	    plan_drop(&sv->plan, &s->id))
		goto refuse;
	secure = secure_mode(&s->cl);
	if (secure && std_fds_open(s))
		goto refuse;
	if (!(argv = build_argv(s, sv)) ||
	    !(env = build_env(s, sv, secure))) {
		fail("out of memory", (char *)0);
		goto refuse;
	}
	if (!argv[0]) {
		fail("no program given", (char *)0);
		goto refuse;
	}
	if (wait_fd_for_program(s, sv)) {
		fail_errno("wait fd", (char *)0);
		goto refuse;
	}
	if (s->cwd_fd >= 0)
		close(s->cwd_fd);
	if (s->root_fd >= 0)
		close(s->root_fd);
	if (s->tty_fd >= 0)
		close(s->tty_fd);
	if (s->devnull >= 0)
		close(s->devnull);
	if (s->target_cwd >= 0)
		close(s->target_cwd);
	sig_reset(reset_mask);
	if (s->pty_master >= 0)
		pidflags |= PF_PTY;
	signals_ready(s, sv);
	if (proto_send_reply(s->conn, RP_PID, getpid(), pidflags, NULL,
			     s->pty_master))
		_exit(EC_NOEXEC); /* client gone: run nothing it cannot see */
	if (s->pty_master >= 0)
		close(s->pty_master);
	environ = env;
	audit_exec(argv[0]);
	execvp(argv[0], argv);
	fail_errno("cannot execute ", argv[0], (char *)0);
	audit_outcome("failed: ", g_err);
	proto_send_reply(s->conn, RP_ERROR, 0, 0, g_err, -1);
	_exit(EC_NOEXEC);
refuse:
	session_refuse(s->conn, g_err);
	_exit(EC_NOEXEC);
}

/* Signals, in every mode but -w (and only with CONFIG_FEATURE_SIGNALS:
 * without it dive kill()s the program itself, where it may): dived
 * delivers what dive forwards on the connection, so they reach a program
 * of another user or in another pid namespace too. Only to the program
 * we started (an unreaped child: its pid cannot be anyone else's; in a
 * pid namespace the waiter that is our child passes it on), its group
 * with --signals-pgid or DIVE_SIGFWMODE=2; only the signals dive
 * forwards (sig_fwd). */
int session_deliver_signal(int group, int conn, pid_t pid)
{
	struct sigmsg m;
	/* never wait for the rest of a message: a client that sends half
	 * of one must not keep us from reaping the program */
	ssize_t r = recv(conn, &m, sizeof(m), MSG_DONTWAIT);
	if (r < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (r != (ssize_t)sizeof(m) || m.magic != PROTO_SIG_MAGIC)
		return -1; /* hung up or garbage: stop listening, keep waiting */
	int sig = proto_sig_from_wire(m.signo);
	if (!sig_is_forwarded(sig))
		return 0; /* (no SEGV, ABRT... : a core of another user's program) */
	if (group && getpgid(pid) == pid) {
		kill(-pid, sig);
	} else {
		/* pid may be a pid namespace's waiter (pidns.c): the value
		 * tells it the group was asked for (the raw call: musl's
		 * sigqueue() is 180 bytes of what we need not) */
		siginfo_t si;
		memset(&si, 0, sizeof(si));
		si.si_signo = sig;
		si.si_code = SI_QUEUE;
		si.si_pid = getpid();
		si.si_uid = getuid();
		si.si_value.sival_int = group ? PIDNS_TO_GROUP : 0;
		syscall(SYS_rt_sigqueueinfo, pid, sig, &si);
	}
	return 0;
}

static int wait_program(const struct server *sv, int group, int conn,
			pid_t pid, int sfd)
{
	int st, open = ENABLED(CONFIG_FEATURE_SIGNALS);
	while (sfd >= 0) {
		struct pollfd p[2] = { { sfd, POLLIN, 0 }, { conn, POLLIN, 0 } };
		if (poll(p, open ? 2 : 1, -1) < 0 && errno != EINTR)
			break;
		if (p[0].revents) {
			struct signalfd_siginfo si;
			while (read(sfd, &si, sizeof(si)) > 0)
				;
			if (waitpid(pid, &st, WNOHANG) == pid)
				goto done;
		}
		if (open && (p[1].revents & (POLLIN | POLLHUP | POLLERR)) &&
		    session_deliver_signal(group, conn, pid))
			open = 0;
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
done:
	if (sfd >= 0)
		close(sfd);
	proto_send_exit(conn, st);
	return st;
}

unsigned session_pidflags(const struct server *sv)
{
	if (sv->flags & SV_NO_WAIT)
		return PF_NOWAIT; /* nobody keeps the connection */
	if (!ENABLED(CONFIG_FEATURE_SIGNALS))
		return 0; /* dive signals the program itself */
	return PF_SIGNALS |
	       ((sv->flags & SV_SIGNALS_PGID) ? PF_SIGNALS_PGID : 0);
}

int session_serve_waiting(const struct server *sv, int conn)
{
	struct session s;
	if (session_begin(&s, sv, conn))
		return -1;
	if (sv->flags & SV_NO_WAIT)
		session_exec(&s, sv, session_pidflags(sv));
	/* SIGCHLD blocked and its signalfd made before the fork: a program
	 * that ends at once must not end before we listen (the program gets
	 * its mask cleared before exec, the fd is close-on-exec) */
	static const unsigned char chld[] = { SIGCHLD };
	int sfd = sigfd_block(chld, sizeof(chld));
	pid_t pid = fork();
	if (pid < 0) {
		fail_errno("fork", (char *)0);
		session_refuse(conn, g_err);
		if (sfd >= 0)
			close(sfd);
		return -1;
	}
	if (pid == 0)
		session_exec(&s, sv, session_pidflags(sv));
	/* our copies of the client's fds would hold pipes open: drop them */
	if (!(sv->flags & SV_NO_FDS))
		for (uint32_t i = 0; i < s.req.h.nfds; i++)
			close((int)s.req.fdnum[i]);
	int *x[] = { &s.cwd_fd, &s.root_fd, &s.tty_fd, &s.wait_fd };
	for (unsigned i = 0; i < ARRAY_SIZE(x); i++)
		if (*x[i] >= 0)
			close(*x[i]);
	int group = (sv->flags & SV_SIGNALS_PGID) ||
		    (s.req.h.flags & RQ_SIGFW_MASK) == 2 << RQ_SIGFW_SHIFT;
	return wait_program(sv, group, s.conn, pid, sfd);
}
