/* dived.c — the server: parse options, set up the listening socket, then
 * serve each client with ONE fork: the child receives the request, sets
 * itself up and execs the program; dived keeps the connection and reports
 * the exit status when it reaps the child. (-n, -D, -F and -i use a
 * waiting handler instead: session_serve_waiting.) */
#include "applets.h"
#include "audit.h"
#include "cmdline.h"
#include "server.h"
#include "session.h"
#include "sig.h"
#include "sockact.h"
#include "unaddr.h"
#if ENABLED(CONFIG_DIVED)
#include "exec.h"
#include "pidns.h"
#include <linux/close_range.h>
#include <linux/nsfs.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h> /* renameat() only: no stdio code is linked */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* A socket file that a server still listens on is not stale. */
static int in_use(const struct sockaddr_un *sa, socklen_t len)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int r = fd >= 0 && !connect(fd, (const struct sockaddr *)sa, len);
	if (fd >= 0)
		close(fd);
	return r;
}

/* A filesystem socket is made where nobody else can touch it: bound
 * inside a fresh directory of our own beside SOCKET (0700, ours),
 * its mode set by the umask at bind, its owner through the directory's fd
 * without following anything, made to listen, then renamed into place
 * (rename replaces a stale socket, or a symlink, instead of following
 * it). A user who can write SOCKET's directory may rename or replace the
 * names there, but after mkdir every call goes through our fd of the
 * private directory, which is checked to be ours: nothing she swaps in
 * is ever chmod'ed or chown'ed. A client never finds the socket before
 * it listens or with another mode. */
#define PRIVATE_NAME ".dived-0123456789abcdef"

/* mkdir, not mkdtemp: that would bring musl's clock code in. A name
 * someone took first (EEXIST) just means another random one. */
static void make_private(char *tmpl, char *name, const char *path)
{
	for (int tries = 0; tries < 16; tries++) {
		uint64_t r = (uint64_t)getpid() << 32 ^ (uint64_t)tries;
		syscall(SYS_getrandom, &r, sizeof(r), 0);
		for (int k = 0; k < 16; k++, r >>= 4)
			name[7 + k] = "0123456789abcdef"[r & 15];
		if (!mkdir(tmpl, 0700))
			return;
		if (errno != EEXIST)
			break;
	}
	die_errno(1, "cannot make a directory beside ", path, (char *)0);
}

static int private_dir(const char *path, char *tmpl, size_t size)
{
	const char *slash = strrchr(path, '/');
	size_t dlen = slash ? (size_t)(slash - path) + 1 : 0;
	struct stat sb;
	if (dlen + sizeof(PRIVATE_NAME) > size)
		die(EC_USAGE, "socket path too long: ", path, (char *)0);
	memcpy(tmpl, path, dlen);
	memcpy(tmpl + dlen, PRIVATE_NAME, sizeof(PRIVATE_NAME));
	make_private(tmpl, tmpl + dlen, path);
	int dfd = open(tmpl, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0 || fstat(dfd, &sb) || sb.st_uid != geteuid() ||
	    (sb.st_mode & 077))
		die(1, tmpl, ": replaced by someone else while dived made it",
		    (char *)0);
	return dfd;
}

/* The socket dived put in place, for its removal at the end (see
 * remove_bound): the directory it went into, held open (what is renamed
 * later does not move it), its name there and the inode it had in our
 * private directory, where nobody else could have put another. */
static struct {
	int dir;
	const char *base;
	dev_t dev;
	ino_t ino;
	pid_t pid;
} bound = { -1, NULL, 0, 0, 0 };

/* into the directory the private one is in, and noted in bound */
static int put_in_place(int dfd, const char *path)
{
	const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
	struct stat st;
	/* (the bare call: musl's openat is 150 bytes, not linked elsewhere) */
	int pfd = (int)syscall(SYS_openat, dfd, "..",
			       O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (pfd < 0 || fstatat(dfd, "s", &st, AT_SYMLINK_NOFOLLOW) ||
	    renameat(dfd, "s", pfd, base)) {
		int err = errno;
		if (pfd >= 0)
			close(pfd);
		errno = err;
		return -1;
	}
	bound.dir = pfd;
	bound.base = base;
	bound.dev = st.st_dev;
	bound.ino = st.st_ino;
	return 0;
}

static void bind_in_place(struct server *sv, int fd)
{
	const char *path = sv->sock_path;
	struct sockaddr_un sa;
	char tmpl[sizeof(sa.sun_path) + sizeof(PRIVATE_NAME)];
	socklen_t len = unaddr(&sa, "s");
	int dfd = private_dir(path, tmpl, sizeof(tmpl));
	int cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	mode_t mask = umask(sv->chmod_mode >= 0 ? ~sv->chmod_mode & 0777 : 077);
	if (sv->chmod_mode < 0)
		umask(mask); /* no -C: the umask dived was started with */
	int r = cwd < 0 || fchdir(dfd) ? -1 :
		bind(fd, (struct sockaddr *)&sa, len);
	int err = errno;
	umask(mask);
	if (cwd < 0 || fchdir(cwd))
		die_errno(1, "back to the current directory", (char *)0);
	close(cwd);
	errno = err;
	if (r)
		die_errno(1, "bind ", path, (char *)0);
	/* bits above 0777: bind's umask cannot give them; "s" is ours */
	if (sv->chmod_mode > 0777 && /* (the bare call: musl's is 400 bytes) */
	    syscall(SYS_fchmodat, dfd, "s", (mode_t)sv->chmod_mode))
		die_errno(1, "chmod ", path, (char *)0);
	if (sv->do_chown && fchownat(dfd, "s", sv->chown_uid, sv->chown_gid,
				     AT_SYMLINK_NOFOLLOW))
		die_errno(1, "chown ", path, (char *)0);
	if (listen(fd, SOMAXCONN))
		die_errno(1, "listen", (char *)0);
	r = put_in_place(dfd, path);
	err = errno;
	if (r)
		unlinkat(dfd, "s", 0);
	close(dfd);
	rmdir(tmpl); /* empty; if renamed meanwhile: whatever is there */
	errno = err;
	if (r)
		die_errno(1, "cannot put the socket at ", path, (char *)0);
}

static int make_socket(struct server *sv)
{
	struct sockaddr_un sa;
	const char *path = sv->sock_path;
	socklen_t len = unaddr(&sa, path);
	struct stat sb;
	int fd;

	if (!len)
		die(EC_USAGE, g_err, (char *)0);
	if (path[0] != '@' && lstat(path, &sb) == 0) {
		if (!S_ISSOCK(sb.st_mode))
			die(1, path, ": exists and is not a socket", (char *)0);
		if (in_use(&sa, len))
			die(1, path, ": in use (a server listens on it)", (char *)0);
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		die_errno(1, "socket", (char *)0);
	if (path[0] != '@') {
		bind_in_place(sv, fd); /* replaces a stale one */
		return fd;
	}
	if (bind(fd, (struct sockaddr *)&sa, len))
		die_errno(1, "bind ", path, (char *)0);
	if (listen(fd, SOMAXCONN))
		die_errno(1, "listen", (char *)0);
	return fd;
}

/* Children must never inherit anything dived was started with. */
static void cloexec_all(void)
{
	if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
		return;
	for (int fd = 3; fd < 1024; fd++)
		fcntl(fd, F_SETFD, FD_CLOEXEC);
}

/* The pid as the pidfile's readers see it (the proc mount's namespace,
 * which is the host's even after unshare -s pid). */
static pid_t outer_pid(void)
{
	char buf[24];
	ssize_t n = readlink("/proc/self", buf, sizeof(buf) - 1);
	unsigned v;
	if (n > 0) {
		buf[n] = 0;
		if (!parse_uint(buf, 1u << 30, &v))
			return (pid_t)v;
	}
	return getpid();
}

static void detach_stdio(void)
{
	int fd = open("/dev/null", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
}

/* fds 0-2 closed at start would be taken by our sockets, then clobbered
 * by -d's /dev/null, or handed to a program as if they were its own. */
static void open_std_fds(void)
{
	int fd;
	while ((fd = open("/dev/null", O_RDWR)) >= 0 && fd < 3)
		;
	if (fd > 2)
		close(fd);
}

/* -d moves dived to "/", so every relative path it or a handler uses
 * later becomes absolute first, against the directory it was started in,
 * exactly where it would have been resolved: pid files (written by
 * dived), -N files (joined before any mount namespace), and -t files,
 * -R, -h, -V, unless a -N mount namespace puts the handler at that
 * namespace's root first (then they stay relative to it, as before). -h
 * with -V is relative to the new root: it stays. -a's command runs in
 * dived's cwd, "/" from now on. The socket path is used before that. */
static const char *absolute(const char *cwd, const char *path)
{
	if (!path || path[0] == '/')
		return path;
	size_t n = strlen(cwd) + strlen(path) + 2;
	char *abs = malloc(n);
	if (!abs || pathjoin(abs, n, cwd, cwd[1] ? "/" : "", path, (char *)0))
		die(1, "-d: cannot make ", path, " absolute", (char *)0);
	return abs;
}

static int joins_mount_ns(const struct plan *p)
{
	if (!ENABLED(CONFIG_FEATURE_NAMESPACES))
		return 0;
	for (unsigned i = 0; i < p->nsetns; i++) {
		int fd = open(p->setns_files[i], O_RDONLY | O_CLOEXEC);
		int mnt = fd >= 0 && ioctl(fd, NS_GET_NSTYPE) == CLONE_NEWNS;
		if (fd >= 0)
			close(fd);
		if (mnt)
			return 1;
	}
	return 0;
}

static void absolute_paths(struct plan *p)
{
	char cwd[4096];
	if (syscall(SYS_getcwd, cwd, sizeof(cwd)) <= 0 || cwd[0] != '/')
		die_errno(1, "-d: current directory", (char *)0);
	int mnt = joins_mount_ns(p);
	for (unsigned i = 0; i < p->npidfiles; i++)
		p->pidfiles[i] = absolute(cwd, p->pidfiles[i]);
	for (unsigned i = 0; i < p->nsetns; i++)
		p->setns_files[i] = absolute(cwd, p->setns_files[i]);
	if (mnt)
		return;
	for (unsigned i = 0; i < p->nwrites; i++)
		p->writes[i].file = absolute(cwd, p->writes[i].file);
	p->chroot_dir = absolute(cwd, p->chroot_dir);
	p->pivot_new = absolute(cwd, p->pivot_new);
	p->pivot_old = absolute(cwd, p->pivot_old);
	if (!p->pivot_new)
		p->chdir_dir = absolute(cwd, p->chdir_dir);
}

/* -d: no fd dived was started with stays open (a pipe it would hold
 * open, a filesystem it would pin): only 0-2 and keep[] remain. */
static void close_range_of(unsigned lo, unsigned hi)
{
	if (lo > hi || syscall(SYS_close_range, lo, hi, 0U) == 0)
		return;
	for (unsigned fd = lo; fd <= hi && fd < 1024; fd++)
		close((int)fd);
}

static void close_inherited(int *keep, unsigned n)
{
	unsigned lo = 3;
	for (unsigned i = 1; i < n; i++) /* sort: n is 5 */
		for (unsigned j = i; j > 0 && keep[j - 1] > keep[j]; j--) {
			int t = keep[j];
			keep[j] = keep[j - 1];
			keep[j - 1] = t;
		}
	for (unsigned i = 0; i < n; i++)
		if (keep[i] >= (int)lo) {
			close_range_of(lo, (unsigned)keep[i] - 1);
			lo = (unsigned)keep[i] + 1;
		}
	close_range_of(lo, ~0U);
}

/* A dived that ends removes its socket file if the name still is the
 * socket it bound (same inode): on SIGTERM, SIGINT, SIGHUP, SIGQUIT it
 * then dies of the signal, and a failed start after the bind (-d with a
 * bad pid file, -s pid that cannot fork) leaves nothing behind either,
 * nor does -F once it has its one client.
 * Only the process that owns the socket (bound.pid: the daemon after -d,
 * pid 1 after -s pid) removes it; handlers, forked and not yet exec'd,
 * leave it alone. As pid 1 of its own pid namespace (-s pid, or a
 * container's init) dived gets no signal it has no handler for, not even
 * SIGTERM from outside: there it exits 128+N, which ends the namespace. */

static void remove_bound(void)
{
	struct stat st;
	if (die_hook && bound.dir >= 0 && getpid() == bound.pid &&
	    !fstatat(bound.dir, bound.base, &st, AT_SYMLINK_NOFOLLOW) &&
	    st.st_dev == bound.dev && st.st_ino == bound.ino)
		unlinkat(bound.dir, bound.base, 0);
}

/* This process owns the socket now (dived, the daemon after -d, pid 1
 * after -s pid). Other children have other pids, but one in another pid
 * namespace may have ours: pidns_fork() clears die_hook in its child. */
static void own_socket(void)
{
	bound.pid = getpid();
	die_hook = remove_bound;
}

/* -F with its one client: nobody else can connect, the name would only
 * mislead; and there is nothing left to remove if dived dies later */
static void give_up_socket(void)
{
	remove_bound();
	if (bound.dir >= 0)
		close(bound.dir);
	bound.dir = -1;
	die_hook = NULL;
}

static void end_by_signal(int sig)
{
	remove_bound();
	if (getpid() == 1)
		_exit(128 + sig);
	signal(sig, SIG_DFL);
	raise(sig);
	_exit(128 + sig);
}

static const unsigned char sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT };

static void ending_signals(void)
{
	for (unsigned i = 0; i < sizeof(sigs); i++) {
		struct sigaction old;
		/* an ignored one stays ignored (nohup dived ...) */
		if (!sigaction(sigs[i], NULL, &old) && old.sa_handler == SIG_IGN &&
		    getpid() != 1)
			continue;
		signal(sigs[i], end_by_signal);
	}
}

/* -d: fork (unless -s pid did), and let the caller go only when the
 * socket listens and the pid files hold the daemon's pid, so that it can
 * be used and killed at once; its exit status says whether that worked.
 * The daemon follows the conventions: its own session, cwd "/", fds 0-2
 * on /dev/null, nothing inherited kept open. */
static void detach(const struct server *sv, int lsock, int ready)
{
	int own = ready < 0;
	if (own) {
		int p[2];
		char c;
		pid_t pid;
		if (pipe2(p, O_CLOEXEC) || (pid = fork()) < 0)
			die_errno(1, "detaching", (char *)0);
		if (pid) {
			close(p[1]);
			_exit(read(p[0], &c, 1) == 1 ? 0 : 1);
		}
		close(p[0]);
		ready = p[1];
		own_socket(); /* the daemon */
	}
	setsid();
	if (chdir("/"))
		die_errno(1, "chdir /", (char *)0);
	int keep[] = { lsock, audit_fds()[0], audit_fds()[1], ready,
		       bound.dir };
	close_inherited(keep, ARRAY_SIZE(keep));
	if (plan_pidfiles(&sv->plan, outer_pid()))
		die(1, g_err, (char *)0);
	if (!own) {
		pidns_detached(ready);
	} else {
		if (write_all(ready, "", 1))
			die_errno(1, "detaching", (char *)0);
		close(ready);
	}
	detach_stdio();
}

/* No program may get dived's own controlling terminal (with -S a handler
 * stays in dived's session): dived lets go of it at start. A session
 * leader cannot (TIOCNOTTY would hang up the terminal's foreground
 * group), but then its handlers, which are not leaders, let go of it
 * themselves (session.c); only where dived serves in itself (-F, -i)
 * with -S would the program keep it: refused. -d makes a new session. */
static void drop_ctty(const struct server *sv)
{
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return; /* none (ENXIO) */
	if (getsid(0) != getpid())
		ioctl(fd, TIOCNOTTY);
	else if (!(sv->flags & SV_DETACH) && (sv->plan.flags & PL_NO_SETSID) &&
		 (sv->flags & (SV_NO_FORK | SV_INETD)))
		die(1, "this dived leads a session with a controlling terminal, "
		    "which -S would give its program: use -d, or start it under "
		    "setsid(1)", (char *)0);
	else
		session_ctty_kept = !(sv->flags & SV_DETACH);
	close(fd);
}

/* ---- the accept loop: one child per client ---------------------------- */

/* Limits, so that one user cannot starve the others: at most
 * --max-clients live sessions, at most --max-per-user of them for one
 * peer uid (SO_PEERCRED, read by dived in the loop: nothing of the
 * client's is read). A session holds at most one request of
 * PROTO_MAX_REQUEST (4 MiB) while it is unfinished, so one uid holds at
 * most max_per_user * 4 MiB of handler memory (128 MiB by default), all
 * clients at most max_clients * 4 MiB. -D handlers count too: see
 * serve_child. */
struct slot {
	pid_t pid;  /* 0: free */
	int conn;   /* -1: nothing to report to */
	uid_t uid;  /* the peer's */
	int deaf;   /* the client hung up or sent garbage: no more signals */
};

/* Signals in the plain loop (session_signal_slot): ready[i] is set by
 * slot i's handler (shared memory) once its request is read, and a byte
 * on the wake pipe makes dived look. */
static volatile unsigned char *sig_ready;
static int wake[2] = { -1, -1 };

static void signals_setup(unsigned n)
{
	if (!ENABLED(CONFIG_FEATURE_SIGNALS))
		return; /* no wake pipe: poll skips fd -1 */
	void *m = mmap(NULL, n, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED || pipe2(wake, O_CLOEXEC | O_NONBLOCK))
		die_errno(1, "setting up signal delivery", (char *)0);
	sig_ready = m;
}

/* dived's poll set: the listening socket, SIGCHLD, the wake pipe, then
 * every connection that is dived's to read. */
static nfds_t poll_set(const struct server *sv, struct pollfd *p,
		       unsigned *idx, const struct slot *slots)
{
	nfds_t n = 3;
	if (!ENABLED(CONFIG_FEATURE_SIGNALS))
		return n;
	for (unsigned i = 0; i < sv->max_clients; i++)
		if (slots[i].pid && slots[i].conn >= 0 && sig_ready[i] &&
		    !slots[i].deaf) {
			p[n] = (struct pollfd){ slots[i].conn, POLLIN, 0 };
			idx[n++] = i;
		}
	return n;
}

static void deliver(struct slot *slots, const struct pollfd *p,
		    const unsigned *idx, nfds_t n)
{
	if (!ENABLED(CONFIG_FEATURE_SIGNALS))
		return;
	for (nfds_t k = 3; k < n; k++) {
		struct slot *sl = &slots[idx[k]];
		if (p[k].revents && sl->pid &&
		    session_deliver_signal(sig_ready[idx[k]] == 2, sl->conn, sl->pid))
			sl->deaf = 1;
	}
}

/* The fd limit dived was started with: raised for dived itself (it keeps
 * a connection per client), given back to each handler and program. And
 * one fd held in reserve to refuse a client when dived has no other. */
static struct rlimit nofile_start;
static int reserve_fd = -1;

static void raise_nofile(void)
{
	struct rlimit r;
	if (getrlimit(RLIMIT_NOFILE, &nofile_start))
		return;
	r = nofile_start;
	r.rlim_cur = r.rlim_max;
	setrlimit(RLIMIT_NOFILE, &r);
}

static void take_reserve(void)
{
	if (reserve_fd < 0)
		reserve_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
}

/* A waiting handler reaps the program itself, so it logs the session. */
static int serve_waiting(struct server *sv, int conn)
{
	audit_private(sv, conn);
	int st = session_serve_waiting(sv, conn);
	audit_finish(sv, st);
	return st;
}

/* -D: the handler is nobody's child, so it waits for the program
 * itself (and delivers the signals). */
static int waiting_handler(const struct server *sv)
{
	return !!(sv->flags & SV_CHILD_DAEMON);
}

/* -D: the handler leaves dived (its own session, not dived's child), but
 * dived's child stays as its keeper: it only waits for the handler and
 * ends with it, so that dived reaps the keeper exactly when the session
 * is over and counts it until then. Nothing can leak: no fd, no counter,
 * the kernel ends the wait even if the handler is killed. */
static void child_daemon(int conn)
{
	pid_t p = fork();
	if (p < 0)
		_exit(1);
	if (p == 0) {
		setsid();
		return;
	}
	close(conn);
	while (waitpid(p, NULL, 0) < 0 && errno == EINTR)
		;
	_exit(0);
}

static void serve_child(struct server *sv, int conn)
{
	struct session s;
	setrlimit(RLIMIT_NOFILE, &nofile_start);
	if (sv->flags & SV_CHILD_DAEMON)
		child_daemon(conn);
	if (waiting_handler(sv))
		_exit(serve_waiting(sv, conn) < 0 ? EC_NOEXEC : 0);
	if (session_begin(&s, sv, conn))
		_exit(EC_NOEXEC);
	session_exec(&s, sv, session_pidflags(sv));
}

static void report_exits(const struct server *sv, struct slot *slots,
			 unsigned *live, unsigned max)
{
	int st;
	pid_t pid;
	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		for (unsigned i = 0; i < max; i++) {
			if (slots[i].pid != pid)
				continue;
			audit_reaped(sv, i, st);
			if (slots[i].conn >= 0) {
				proto_send_exit(slots[i].conn, st);
				close(slots[i].conn);
			}
			slots[i].pid = 0;
			slots[i].conn = -1;
			--*live;
			break;
		}
	}
}

static int keeps_conn(const struct server *sv)
{
	return !(sv->flags & (SV_NO_WAIT | SV_CHILD_DAEMON));
}

static void refuse_now(const struct server *sv, int conn, const char *why)
{
	session_refuse(conn, why);
	audit_refused_now(sv, conn, why);
	close(conn);
}

/* Out of fds (EMFILE, ENFILE): the client must not wait in the backlog
 * without an answer; the reserve fd makes room to accept and refuse it. */
static int accept_conn(const struct server *sv, int lsock)
{
	int conn = accept4(lsock, NULL, NULL, SOCK_CLOEXEC);
	if (conn >= 0 || (errno != EMFILE && errno != ENFILE))
		return conn;
	if (reserve_fd >= 0) {
		close(reserve_fd);
		reserve_fd = -1;
		conn = accept4(lsock, NULL, NULL, SOCK_CLOEXEC);
		if (conn >= 0)
			refuse_now(sv, conn, "dived is out of file descriptors");
		take_reserve();
		if (conn >= 0)
			return -1;
	}
	poll(NULL, 0, 50); /* no reserve either: do not spin */
	return -1;
}

/* Why this peer may not have one more session, or NULL. */
static const char *over_limit(const struct server *sv,
			      const struct slot *slots, unsigned live,
			      uid_t uid, char *why, size_t size)
{
	char num[24], n2[24];
	unsigned mine = 0;
	for (unsigned i = 0; i < sv->max_clients; i++)
		mine += slots[i].pid && slots[i].uid == uid;
	if (live >= sv->max_clients) {
		strjoin(why, size, "too many clients (--max-clients ",
			fmt_u(num, sv->max_clients), ")", (char *)0);
		return why;
	}
	if (mine >= sv->max_per_user) {
		strjoin(why, size, "too many clients of uid ", fmt_u(num, uid),
			" (--max-per-user ", fmt_u(n2, sv->max_per_user), ")",
			(char *)0);
		return why;
	}
	return NULL;
}

static void accept_one(struct server *sv, int lsock, int sfd,
		       struct slot *slots, unsigned *live)
{
	struct ucred uc = { 0, (uid_t)-1, (gid_t)-1 };
	socklen_t len = sizeof(uc);
	char why[96];
	int conn = accept_conn(sv, lsock);
	if (conn < 0)
		return;
	getsockopt(conn, SOL_SOCKET, SO_PEERCRED, &uc, &len);
	if (over_limit(sv, slots, *live, uc.uid, why, sizeof(why))) {
		refuse_now(sv, conn, why);
		return;
	}
	unsigned i = 0;
	while (slots[i].pid)
		i++;
	audit_accepted(i, conn);
	if (ENABLED(CONFIG_FEATURE_SIGNALS))
		sig_ready[i] = 0;
	slots[i].deaf = 0;
	pid_t pid = fork();
	if (pid == 0) {
		if (ENABLED(CONFIG_FEATURE_SIGNALS)) {
			close(wake[0]);
			session_signal_slot(sig_ready, wake[1], i);
		}
		/* nothing of dived's other clients stays in a handler */
		for (unsigned k = 0; k < sv->max_clients; k++)
			if (slots[k].conn >= 0)
				close(slots[k].conn);
		close(lsock);
		close(sfd);
		close(reserve_fd);
		audit_select(i);
		serve_child(sv, conn);
	}
	if (pid < 0) {
		refuse_now(sv, conn, "dived cannot fork");
		return;
	}
	slots[i].pid = pid;
	slots[i].uid = uc.uid;
	slots[i].conn = keeps_conn(sv) ? conn : -1;
	if (slots[i].conn < 0)
		close(conn);
	++*live;
}

static void serve_forever(struct server *sv, int lsock)
{
	struct slot *slots = calloc(sv->max_clients, sizeof(*slots));
	unsigned live = 0;
	static const unsigned char chld[] = { SIGCHLD }; /* blocked since main */
	int sfd = sigfd_block(chld, sizeof(chld));
	if (!slots || sfd < 0)
		die_errno(1, "setting up the accept loop", (char *)0);
	for (unsigned i = 0; i < sv->max_clients; i++)
		slots[i].conn = -1;
	raise_nofile();
	take_reserve();
	if (!waiting_handler(sv)) /* else each handler logs its session */
		audit_slots(sv, sv->max_clients);
	struct pollfd *p = calloc(sv->max_clients + 3, sizeof(*p));
	unsigned *idx = calloc(sv->max_clients + 3, sizeof(*idx));
	if (!p || !idx)
		die_errno(1, "setting up the accept loop", (char *)0);
	signals_setup(sv->max_clients);
	for (;;) {
		p[0] = (struct pollfd){ lsock, POLLIN, 0 };
		p[1] = (struct pollfd){ sfd, POLLIN, 0 };
		p[2] = (struct pollfd){ wake[0], POLLIN, 0 };
		nfds_t n = poll_set(sv, p, idx, slots);
		if (poll(p, n, -1) < 0) {
			if (errno == EINTR)
				continue;
			die_errno(1, "poll", (char *)0);
		}
		/* one read drains each: poll is level-triggered, so what
		 * comes after it wakes the next poll; one SIGCHLD stands for
		 * any number of exits (report_exits reaps them all) */
		if (p[2].revents) { /* a handler is ready: rescan */
			char b[64];
			if (read(wake[0], b, sizeof(b)) < 0) {
				/* EAGAIN: another wake-up took it */
			}
		}
		deliver(slots, p, idx, n); /* before any slot is reused */
		if (p[1].revents) {
			struct signalfd_siginfo si;
			if (read(sfd, &si, sizeof(si)) < 0) {
				/* EAGAIN: nothing more pending */
			}
			report_exits(sv, slots, &live, sv->max_clients);
		}
		if (p[0].revents)
			accept_one(sv, lsock, sfd, slots, &live);
	}
}

/* -F and -i: one client, served by dived itself. The exit status of the
 * program becomes dived's. */
static int serve_once(struct server *sv, int conn)
{
	int st = serve_waiting(sv, conn);
	if (st < 0)
		return EC_NOEXEC;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static int listen_socket(struct server *sv)
{
#if ENABLED(CONFIG_FEATURE_SOCKET_ACTIVATION)
	if (!sv->sock_path) {
		int fd = sockact_fd();
		if (fd < 0)
			die(EC_USAGE, g_err, (char *)0);
		return fd;
	}
#endif
	return make_socket(sv);
}

int dived_main(int argc, char **argv)
{
	static struct server sv;
	int lsock = -1, ready = -1;
	sigset_t chld;

	dived_parse(&sv, argc, argv);
	if (sv.flags & SV_JUST_EXEC) {
		/* step 6 without a client: a new session unless -S (-j);
		 * EPERM (already a group leader) leaves things as they are */
		if (!(sv.plan.flags & PL_NO_SETSID))
			setsid();
		return plan_exec_self(&sv.plan, sv.forced_argv,
				      !!(sv.flags & SV_JUST_EXEC2));
	}
	open_std_fds();
	cloexec_all();
	drop_ctty(&sv);
	if (sv.flags & SV_DETACH)
		absolute_paths(&sv.plan);
	signal(SIGPIPE, SIG_IGN);
	session_note_ignored();
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	/* the socket first, then -s (as the original): it stays reachable
	 * from where dived was started, abstract or not */
	if (!(sv.flags & SV_INETD)) {
		/* held from before the bind until the handlers are in place:
		 * a TERM at any moment after it removes the socket */
		sigset_t ending, old;
		sig_set_of(&ending, sigs, sizeof(sigs));
		sigprocmask(SIG_BLOCK, &ending, &old);
		lsock = listen_socket(&sv);
		own_socket();
		ending_signals();
		sigprocmask(SIG_SETMASK, &old, NULL);
	}
	if (plan_unshare(&sv.plan))
		die(1, g_err, (char *)0);
	if ((sv.plan.unshare_flags & CLONE_NEWPID) &&
	    pidns_fork((sv.flags & SV_DETACH) ? &ready : NULL) < 0)
		die(1, g_err, (char *)0);
	if (!(sv.flags & SV_INETD))
		own_socket(); /* pid 1 of the new namespace after -s pid */
	audit_open(&sv);
	if (sv.flags & SV_DETACH)
		detach(&sv, lsock, ready);
	else if (plan_pidfiles(&sv.plan, outer_pid()))
		die(1, g_err, (char *)0);
	ending_signals(); /* again: pid 1 of -s pid takes even ignored ones */
	if (sv.flags & SV_INETD) {
		int conn = fcntl(0, F_DUPFD_CLOEXEC, 3);
		if (conn < 0)
			die_errno(1, "-i: fd 0", (char *)0);
		return serve_once(&sv, conn);
	}
	if (sv.flags & SV_NO_FORK) {
		int conn;
		while ((conn = accept4(lsock, NULL, NULL, SOCK_CLOEXEC)) < 0)
			if (errno != EINTR)
				die_errno(1, "accept", (char *)0);
		close(lsock);
		give_up_socket();
		return serve_once(&sv, conn);
	}
	serve_forever(&sv, lsock);
	return 1;
}
#endif
