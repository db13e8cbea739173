/* exec.c — apply a plan to this process and exec (justexec, dived -J). */
#include "exec.h"
#include "pidns.h"
#include <sched.h>
#include <unistd.h>

/* After -s pid, or -N of a pid namespace, only our first child is in the
 * new namespace: fork, and let this process wait and pass the status on
 * (pidns.c). */
static int enter_pidns(int needed)
{
	if (needed && pidns_fork(NULL) < 0)
		return -1;
	return 0;
}

int plan_exec_self(struct plan *p, char **argv, int keep_identity_default)
{
	static struct ident id;
	struct client self;

	/* Pid files first, with our pid, i.e. the one our caller knows ($!).
	 * With -s pid that is the waiter, which forwards signals and takes
	 * the program down with it. Writing after the pid fork could not work
	 * for cgroup.procs: the kernel reads the number in the writer's pid
	 * namespace, where the program is 1 and the outer pid means nothing. */
	if (plan_pidfiles(p, getpid()) || plan_unshare(p) ||
	    enter_pidns(p->unshare_flags & CLONE_NEWPID))
		goto fail;
	/* ids after the unshare: with -s user -tt we are root in there */
	self.uid = getuid();
	self.gid = getgid();
	self.pid = getpid();
	/* every lookup before -N/-R/-V: the caller's own passwd and group */
	client_lookup_user(&self);
	/* entering a --target container: the caller is translated into it
	 * like a client */
	if (plan_identity(p, keep_identity_default && !p->target_pid
				     ? NULL : &self, &id) ||
	    plan_enter(p))
		goto fail;
	if (enter_pidns(ns_joined_pidns))
		goto fail;
	self.pid = getpid();
	if (plan_auth(p, &self) || plan_drop(p, &id))
		goto fail;
	execvp(argv[0], argv);
	die_errno(EC_NOEXEC, "cannot execute ", argv[0], (char *)0);
fail:
	die(EC_NOEXEC, g_err, (char *)0);
}
