/* coverage.h — for `make coverage` (scripts/coverage.sh) only: its build
 * force-includes this file into every source (-include); no other build
 * sees it, and no source includes it.
 *
 * gcov writes its counters from an exit() handler, but divebox's
 * processes rarely get there: forked children end with _exit(), others
 * exec, exit_like() re-raises a signal, and the test suites SIGKILL the
 * dived (and dives) they started. So the counters are written first
 * before each of those, and whenever a process is about to block (the
 * suites kill processes while they wait). Counters written before a wait
 * or a raise are then reset, so the next write adds only what came after
 * (the counts on file are merged, never overwritten); before an exit or
 * exec they stay marked as written (see cov_flush). Not counted: the
 * lines of the same block after an exec that failed (gcov derives them
 * from counters that gcc's exec wrapper reset); a function called there
 * is. */
#ifndef DIVEBOX_COVERAGE_H
#define DIVEBOX_COVERAGE_H
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* pipe2 (the build defines it; a test program may not) */
#endif
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

void __gcov_dump(void);
void __gcov_reset(void);

/* COV_PROBE (from scripts/coverage.sh): a counter file. A process in
 * another root or mount namespace cannot reach it, and gcov would make
 * the directories of its files in that root and complain on the
 * program's stderr. So there gcov writes under a prefix no path can have
 * (longer than PATH_MAX: nothing is made), into a pipe for its messages;
 * it stays marked as written, so exit() does not try again. A file size
 * limit (justexec -l fsize=) would cut the files short (and SIGXFSZ kill
 * the writer): lifted meanwhile up to the hard limit, and if even that
 * is not unlimited, the counters go nowhere too. */
static inline int cov_reachable(void)
{
#ifdef COV_PROBE
	return access(COV_PROBE, W_OK) == 0;
#else
	return 1;
#endif
}

static inline void cov_dump_nowhere(void)
{
	static char nowhere[4200];
	const char *old = getenv("GCOV_PREFIX");
	char *keep = old ? strdup(old) : NULL;
	int p[2], err = fcntl(2, F_DUPFD_CLOEXEC, 3);
	int quiet = pipe2(p, O_CLOEXEC | O_NONBLOCK) == 0;
	if (!nowhere[0])
		memset(nowhere, 'x', sizeof(nowhere) - 1);
	setenv("GCOV_PREFIX", nowhere, 1);
	if (quiet)
		dup2(p[1], 2);
	__gcov_dump();
	if (err >= 0)
		dup2(err, 2);
	else if (quiet)
		close(2);
	if (quiet) {
		close(p[0]);
		close(p[1]);
	}
	if (err >= 0)
		close(err);
	if (keep)
		setenv("GCOV_PREFIX", keep, 1);
	else
		unsetenv("GCOV_PREFIX");
	free(keep);
}

/* reset 0 (before an exec or exit): the counters stay marked as
 * written, so that gcc's own wrapper of the exec (-fprofile-arcs makes
 * execvp() __gcov_execvp(), which writes, execs, and resets if the exec
 * failed) or exit()'s handler writes nothing more, under a file size
 * limit that is back in force by then. */
static inline void cov_flush(int reset)
{
	/* no signal meanwhile: a handler that ends the process (dived's
	 * end_by_signal) would flush again and wait forever on gcov's lock */
	sigset_t all, mask;
	sigfillset(&all);
	sigdelset(&all, SIGXFSZ); /* ignored below: a blocked one would wait */
	sigprocmask(SIG_SETMASK, &all, &mask);
	int saved_errno = errno;
	void (*xfsz)(int) = signal(SIGXFSZ, SIG_IGN);
	struct rlimit fsize, lifted;
	int limited = getrlimit(RLIMIT_FSIZE, &fsize) == 0 &&
		fsize.rlim_cur != RLIM_INFINITY;
	if (limited) {
		lifted = fsize;
		lifted.rlim_cur = RLIM_INFINITY;
		if (fsize.rlim_max != RLIM_INFINITY || setrlimit(RLIMIT_FSIZE, &lifted) != 0)
			limited = 2; /* cannot lift it */
	}
	if (limited != 2 && cov_reachable()) {
		__gcov_dump();
		if (reset)
			__gcov_reset();
	} else {
		cov_dump_nowhere();
	}
	if (limited == 1)
		setrlimit(RLIMIT_FSIZE, &fsize);
	signal(SIGXFSZ, xfsz);
	errno = saved_errno;
	sigprocmask(SIG_SETMASK, &mask, NULL);
}

/* Flush only when the poll would really block: none ready yet. */
static inline int cov_poll(struct pollfd *p, nfds_t n, int timeout)
{
	int r = poll(p, n, 0);
	if (r != 0 || timeout == 0)
		return r;
	cov_flush(1);
	return poll(p, n, timeout);
}

static inline pid_t cov_waitpid(pid_t pid, int *st, int options)
{
	if (!(options & WNOHANG))
		cov_flush(1);
	return waitpid(pid, st, options);
}

/* A function-like macro does not expand inside its own replacement, so
 * these still call the libc functions. */
#define _exit(code) (cov_flush(0), _exit(code))
#define _Exit(code) (cov_flush(0), _Exit(code))
#define execl(...) (cov_flush(0), execl(__VA_ARGS__))
#define execlp(...) (cov_flush(0), execlp(__VA_ARGS__))
#define execle(...) (cov_flush(0), execle(__VA_ARGS__))
#define execv(path, argv) (cov_flush(0), execv(path, argv))
#define execvp(file, argv) (cov_flush(0), execvp(file, argv))
#define execve(path, argv, envp) (cov_flush(0), execve(path, argv, envp))
#define fexecve(fd, argv, envp) (cov_flush(0), fexecve(fd, argv, envp))
#define raise(sig) (cov_flush(1), raise(sig))
#define abort() (cov_flush(0), abort())
#define exit(code) (cov_flush(0), exit(code)) /* its own write: none */
#define poll(p, n, timeout) cov_poll(p, n, timeout)
#define waitpid(pid, st, options) cov_waitpid(pid, st, options)
#define accept4(fd, addr, len, flags) (cov_flush(1), accept4(fd, addr, len, flags))
#endif
