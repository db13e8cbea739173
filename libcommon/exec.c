/* exec.c — apply a plan to this process and exec (justexec, dived -J). */
#include "exec.h"
#include "pidns.h"
#include <sched.h>
#include <unistd.h>

/* With -s pid only our first child is in the new namespace: fork, and let
 * this process wait and pass the status on. Returns the pid that a pid
 * file should hold: the program's pid as seen from the caller's namespace
 * (inside it is 1, which means nothing to a reader outside). */
static pid_t enter_pidns(const struct plan *p)
{
#if ENABLED(CONFIG_FEATURE_NAMESPACES)
	if (p->unshare_flags & CLONE_NEWPID)
		return pidns_fork(NULL);
#endif
	(void)p;
	return getpid();
}

int plan_exec_self(struct plan *p, char **argv, int keep_identity_default)
{
	struct client self;
	pid_t pid;

	if (plan_unshare(p) || (pid = enter_pidns(p)) < 0 ||
	    plan_pidfiles(p, pid))
		goto fail;
	/* ids after the unshare: with -s user -tt we are root in there */
	self.pid = pid;
	self.uid = getuid();
	self.gid = getgid();
	client_lookup_user(&self); /* before -R: the caller's passwd */
	if (plan_enter(p) || plan_auth(p, &self) ||
	    plan_drop(p, keep_identity_default ? NULL : &self))
		goto fail;
	execvp(argv[0], argv);
	die_errno(EX_NOEXEC, "cannot execute ", argv[0], (char *)0);
fail:
	die(EX_NOEXEC, g_err, (char *)0);
}
