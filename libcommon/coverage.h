/* coverage.h — for `make coverage` (scripts/coverage.sh) only: its build
 * force-includes this file into every source (-include); no other build
 * sees it, and no source includes it.
 *
 * gcov writes its counters from an exit() handler, but divebox's
 * processes rarely get there: forked children end with _exit(), others
 * exec, exit_like() re-raises a signal, and the test suites SIGKILL the
 * dived (and dives) they started. So the counters are written first
 * before each of those, and whenever a process is about to block (the
 * suites kill processes while they wait). Written counters are then reset:
 * if the exec fails or the wait returns, the next write adds only what
 * came after (the counts on file are merged, never overwritten). */
#ifndef DIVEBOX_COVERAGE_H
#define DIVEBOX_COVERAGE_H
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

void __gcov_dump(void);
void __gcov_reset(void);

static inline void cov_flush(void)
{
	__gcov_dump();
	__gcov_reset();
}

/* Flush only when the poll would really block: none ready yet. */
static inline int cov_poll(struct pollfd *p, nfds_t n, int timeout)
{
	int r = poll(p, n, 0);
	if (r != 0 || timeout == 0)
		return r;
	cov_flush();
	return poll(p, n, timeout);
}

static inline pid_t cov_waitpid(pid_t pid, int *st, int options)
{
	if (!(options & WNOHANG))
		cov_flush();
	return waitpid(pid, st, options);
}

/* A function-like macro does not expand inside its own replacement, so
 * these still call the libc functions. */
#define _exit(code) (cov_flush(), _exit(code))
#define _Exit(code) (cov_flush(), _Exit(code))
#define execl(...) (cov_flush(), execl(__VA_ARGS__))
#define execlp(...) (cov_flush(), execlp(__VA_ARGS__))
#define execle(...) (cov_flush(), execle(__VA_ARGS__))
#define execv(path, argv) (cov_flush(), execv(path, argv))
#define execvp(file, argv) (cov_flush(), execvp(file, argv))
#define execve(path, argv, envp) (cov_flush(), execve(path, argv, envp))
#define fexecve(fd, argv, envp) (cov_flush(), fexecve(fd, argv, envp))
#define raise(sig) (cov_flush(), raise(sig))
#define abort() (cov_flush(), abort())
#define poll(p, n, timeout) cov_poll(p, n, timeout)
#define waitpid(pid, st, options) cov_waitpid(pid, st, options)
#define accept4(fd, addr, len, flags) (cov_flush(), accept4(fd, addr, len, flags))
#endif
