/* auth.c — -a CMD: the authentication hook (SPEC §3 step 4). CMD runs with
 * /bin/sh -c as the server's user with its cwd, umask and environment plus
 * DIVE_UID/GID/PID/USER of the client; exit status 0 admits the client. */
#include "auth.h"
#include "sig.h"
#if ENABLED(CONFIG_FEATURE_AUTH)
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static void __attribute__((noreturn))
auth_child(const struct plan *p, const struct client *c)
{
	char u[24], g[24], pid[24];

	/* a clean slate: ignored signals would survive the exec. All of
	 * them, as nobody noted which are (justexec -a) */
	sig_reset(SIG_ALL);
	if (setenv("DIVE_UID", fmt_u(u, c->uid), 1) ||
	    setenv("DIVE_GID", fmt_u(g, c->gid), 1) ||
	    setenv("DIVE_PID", fmt_u(pid, (unsigned long long)c->pid), 1) ||
	    setenv("DIVE_USER", c->user, 1))
		die_errno(EC_NOEXEC, "authentication: setenv", (char *)0);
	execl("/bin/sh", "sh", "-c", p->auth_cmd, (char *)0);
	die_errno(EC_NOEXEC, "authentication: /bin/sh", (char *)0);
}

/* Fails closed: anything but a clean exit 0 rejects, including a status
 * stolen by someone else's waitpid (ECHILD). */
static int auth_wait(pid_t pid, int *st)
{
	while (waitpid(pid, st, 0) < 0)
		if (errno != EINTR)
			return fail_errno("authentication: wait", (char *)0);
	return 0;
}

int auth_run(const struct plan *p, const struct client *c)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL }, chld;
	char num[24];
	int st, r;
	pid_t pid;

	/* an inherited SIG_IGN for SIGCHLD would reap the hook: no status */
	sigaction(SIGCHLD, &dfl, &chld);
	pid = fork();
	if (!pid)
		auth_child(p, c);
	r = pid < 0 ? fail_errno("authentication: fork", (char *)0)
		    : auth_wait(pid, &st);
	sigaction(SIGCHLD, &chld, NULL);
	if (r)
		return -1;
	if (WIFSIGNALED(st))
		return fail("authentication failed: killed by signal ",
			    fmt_u(num, (unsigned)WTERMSIG(st)), (char *)0);
	if (WEXITSTATUS(st))
		return fail("authentication failed: exit status ",
			    fmt_u(num, (unsigned)WEXITSTATUS(st)), (char *)0);
	return 0;
}
#endif
