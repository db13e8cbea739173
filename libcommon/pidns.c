/* pidns.c — fork into a new pid namespace and stay behind as a waiter that
 * forwards signals and hands the child's exit status on, so that callers
 * see one process with the program's status (like unshare --fork). */
#include "plan.h"
#if ENABLED(CONFIG_FEATURE_NAMESPACES)
#include "pidns.h"
#include "exitlike.h"
#include "sig.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

/* We pass on sig_fwd, every signal dive forwards (dived sends them to
 * us, the waiter, when a handler entered a pid namespace). */
static volatile pid_t fwd_pid; /* 0 once the child is about to be reaped */

/* Signals from the terminal (SI_KERNEL: ^C, ^\, ^Z, window size, hangup)
 * went to the child's process group, which is ours, already: forwarding
 * them too would deliver them twice. PIDNS_TO_GROUP (sigqueue) asks for
 * the child's process group. A TSTP stops us too, as it would have
 * without the handler, so that a shell's job control sees the stop. */
static void forward(int sig, siginfo_t *si, void *uc)
{
	int e = errno;
	pid_t to = fwd_pid;
	(void)uc;
	if (si->si_code == SI_QUEUE && si->si_value.sival_int == PIDNS_TO_GROUP &&
	    to > 1 && getpgid(to) == to)
		to = -to;
	if (si->si_code != SI_KERNEL && to)
		kill(to, sig);
	if (sig == SIGTSTP)
		raise(SIGSTOP);
	errno = e;
}

static void __attribute__((noreturn))
waiter(pid_t child, int ready_rd, const sigset_t *old)
{
	struct sigaction sa = { .sa_sigaction = forward,
				.sa_flags = SA_SIGINFO };
	int status;
	char c;
	ssize_t n;

	fwd_pid = child;
	for (unsigned i = 0; i < SIG_FWD_COUNT; i++)
		sigaction(sig_fwd[i], &sa, NULL); /* cannot fail: valid sigs */
	sigprocmask(SIG_SETMASK, old, NULL);
	if (ready_rd >= 0) {
		/* one byte: the child detached; EOF: it exec'd or died */
		while ((n = read(ready_rd, &c, 1)) < 0 && errno == EINTR)
			;
		if (n == 1)
			_exit(0);
		close(ready_rd);
	}
	/* wait without reaping, then stop forwarding, then reap: no signal
	 * can go to the child's pid once it may be someone else's */
	siginfo_t si;
	sigset_t fwd;
	while (waitid(P_PID, (id_t)child, &si, WEXITED | WNOWAIT) < 0)
		if (errno != EINTR)
			die_errno(EC_NOEXEC, "wait", (char *)0);
	sig_set_of(&fwd, sig_fwd, SIG_FWD_COUNT);
	sigprocmask(SIG_BLOCK, &fwd, NULL);
	fwd_pid = 0;
	while (waitpid(child, &status, 0) < 0)
		if (errno != EINTR)
			die_errno(EC_NOEXEC, "wait", (char *)0);
	exit_like(WIFSIGNALED(status),
		  WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
}

/* The child learns its outer pid from the parent through pidp; the parent
 * keeps its end open for life, so a hang-up after PR_SET_PDEATHSIG means
 * the parent died before the death signal was armed. */
static pid_t child_setup(int pidp[2], const sigset_t *old,
			 const struct sigaction *chld)
{
	struct pollfd pf = { .fd = pidp[0] };
	pid_t outer;
	ssize_t n;

	close(pidp[1]);
	sigaction(SIGCHLD, chld, NULL); /* what we were given: exec keeps it */
	sigprocmask(SIG_SETMASK, old, NULL);
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0))
		die_errno(EC_NOEXEC, "PR_SET_PDEATHSIG", (char *)0);
	while ((n = read(pidp[0], &outer, sizeof(outer))) < 0 && errno == EINTR)
		;
	if (n != sizeof(outer) || poll(&pf, 1, 0))
		_exit(EC_NOEXEC);
	close(pidp[0]);
	return outer;
}

static pid_t fork_failed(const char *what, int pidp[2], int ready[2])
{
	fail_errno(what, (char *)0);
	for (int i = 0; i < 2; i++) {
		close(pidp[i]);
		if (ready[i] >= 0)
			close(ready[i]);
	}
	return -1;
}

pid_t pidns_fork(int *ready_fd)
{
	int pidp[2], ready[2] = { -1, -1 };
	struct sigaction dfl = { .sa_handler = SIG_DFL }, chld;
	sigset_t fwd, old;
	pid_t pid;

	if (pipe2(pidp, O_CLOEXEC))
		return fail_errno("pipe", (char *)0);
	if (ready_fd && pipe2(ready, O_CLOEXEC))
		return fork_failed("pipe", pidp, ready);
	/* held until the handlers are in place: no signal gets lost */
	sig_set_of(&fwd, sig_fwd, SIG_FWD_COUNT);
	sigprocmask(SIG_BLOCK, &fwd, &old);
	/* an inherited SIG_IGN would reap the child and lose its status */
	sigaction(SIGCHLD, &dfl, &chld);
	pid = fork();
	if (pid < 0) {
		sigaction(SIGCHLD, &chld, NULL);
		sigprocmask(SIG_SETMASK, &old, NULL);
		return fork_failed("fork", pidp, ready);
	}
	if (!pid) {
		/* the one child of ours that may have our pid (in its own pid
		 * namespace): dived's socket is not its to remove */
		die_hook = NULL;
		if (ready_fd) {
			close(ready[0]);
			*ready_fd = ready[1];
		}
		return child_setup(pidp, &old, &chld);
	}
	close(pidp[0]);
	if (ready_fd)
		close(ready[1]);
	if (write_all(pidp[1], &pid, sizeof(pid)))
		kill(pid, SIGKILL); /* it would not know its pid: no go */
	waiter(pid, ready[0], &old);
}

void pidns_detached(int ready_fd)
{
	char c = 0;
	/* order matters: the parent exits as soon as it reads the byte */
	if (prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0))
		say_errno("PR_SET_PDEATHSIG", (char *)0);
	if (write_all(ready_fd, &c, 1))
		say_errno("detach", (char *)0);
	close(ready_fd);
}
#endif
