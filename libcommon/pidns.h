/* pidns.h — the fork that a new pid namespace needs (CONFIG_FEATURE_NAMESPACES).
 *
 * After unshare(CLONE_NEWPID) the caller itself stays outside; only its
 * first child becomes pid 1 of the new namespace. */
#ifndef DIVEBOX_PIDNS_H
#define DIVEBOX_PIDNS_H
#include "util.h"
#include <sys/types.h>

/* Fork. Returns only in the child (pid 1 inside) with its pid as seen from
 * the caller's namespace, which a pid file needs once the parent is gone
 * (after pidns_detached); -1 with g_err if the fork failed. Careful:
 * cgroup.procs/tasks read a pid in the writer's pid namespace, where this
 * number means nothing. The child is killed if the parent dies.
 * The parent forwards SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2
 * and SIGWINCH sent by processes (not those from the terminal: they reach
 * the child's process group anyway), waits, then exits with the child's
 * status or dies of the same signal.
 * ready_fd != NULL: the child gets in *ready_fd the write end (O_CLOEXEC)
 * of a pipe; pidns_detached() on it makes the parent exit 0 at once. */
/* sigqueue() value that asks the waiter for the child's process group */
#define PIDNS_TO_GROUP 0x44495647 /* "DIVG" */
#if ENABLED(CONFIG_FEATURE_NAMESPACES)
pid_t pidns_fork(int *ready_fd);
/* In the child: outlive the parent from now on and let it exit 0. */
void pidns_detached(int ready_fd);
/* Set by ns_setns_all() when a -N file was a pid namespace: as after
 * -s pid, only a child of ours will be in it (nsenter forks then too). */
extern int ns_joined_pidns;
#else
/* Compiled out, no -s pid and no -N: never a pid namespace to enter. */
static inline pid_t pidns_fork(int *ready_fd)
{ (void)ready_fd; return fail("not in this build", (char *)0); }
static inline void pidns_detached(int ready_fd) { (void)ready_fd; }
#define ns_joined_pidns 0
#endif

#endif
