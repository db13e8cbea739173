/* sockact.c — socket activation (sd_listen_fds protocol, no libsystemd):
 * LISTEN_PID must be our pid and LISTEN_FDS ≥ 1; the socket is fd 3 and
 * must be a listening AF_UNIX stream socket (dived needs SO_PEERCRED).
 * Only fd 3 is served: extra fds are left to cloexec_all(). */
#include "sockact.h"
#if ENABLED(CONFIG_FEATURE_SOCKET_ACTIVATION)
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

/* LISTEN_PID names the process the service manager exec'd, but dived -s
 * pid forks into a new pid namespace (and becomes pid 1 there) before it
 * takes the socket: compare with the pid we were started with. */
static pid_t start_pid;

static void __attribute__((constructor)) remember_pid(void)
{
	start_pid = getpid();
}

static int sockopt(int opt)
{
	int v = -1;
	socklen_t len = sizeof(v);
	if (getsockopt(3, SOL_SOCKET, opt, &v, &len))
		return -1;
	return v;
}

static int check_env(const char *pid, const char *n)
{
	char num[24];
	unsigned p, k;

	if (!pid || !n)
		return fail("no socket given and no LISTEN_FDS from a service "
			    "manager (try --help)", (char *)0);
	if (parse_uint(pid, 1u << 30, &p) || (pid_t)p != start_pid)
		return fail("LISTEN_PID=", pid, " is not this process (",
			    fmt_u(num, (unsigned)start_pid),
			    "): the socket was meant for another one", (char *)0);
	if (parse_uint(n, 1024, &k) || k < 1)
		return fail("LISTEN_FDS=", n, ": expected a count of at least 1",
			    (char *)0);
	return 0;
}

int sockact_fd(void)
{
	if (check_env(getenv("LISTEN_PID"), getenv("LISTEN_FDS")))
		return -1;
	if (sockopt(SO_TYPE) < 0)
		return fail_errno("LISTEN_FDS: fd 3", (char *)0);
	if (sockopt(SO_DOMAIN) != AF_UNIX || sockopt(SO_TYPE) != SOCK_STREAM ||
	    sockopt(SO_ACCEPTCONN) != 1)
		return fail("LISTEN_FDS: fd 3 is not a listening AF_UNIX "
			    "stream socket", (char *)0);
	/* the programs we start must not believe they were activated */
	unsetenv("LISTEN_PID");
	unsetenv("LISTEN_FDS");
	unsetenv("LISTEN_FDNAMES");
	return 3;
}
#endif
