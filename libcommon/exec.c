/* exec.c — apply a plan to this process and exec (justexec, dived -J). */
#include "exec.h"
#include "pidns.h"
#include <sched.h>
#include <unistd.h>

/* With -s pid only our first child is in the new namespace: fork, and let
 * this process wait and pass the status on (pidns.c). */
static int enter_pidns(const struct plan *p)
{
#if ENABLED(CONFIG_FEATURE_NAMESPACES)
	if ((p->unshare_flags & CLONE_NEWPID) && pidns_fork(NULL) < 0)
		return -1;
#endif
	(void)p;
	return 0;
}

int plan_exec_self(struct plan *p, char **argv, int keep_identity_default)
{
	struct client self;

	/* Pid files first, with our pid, i.e. the one our caller knows ($!).
	 * With -s pid that is the waiter, which forwards signals and takes
	 * the program down with it. Writing after the pid fork could not work
	 * for cgroup.procs: the kernel reads the number in the writer's pid
	 * namespace, where the program is 1 and the outer pid means nothing. */
	if (plan_pidfiles(p, getpid()) || plan_unshare(p) || enter_pidns(p))
		goto fail;
	/* ids after the unshare: with -s user -tt we are root in there */
	self.pid = getpid();
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
