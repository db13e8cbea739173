/* sockact.c — socket activation (sd_listen_fds protocol, no libsystemd):
 * LISTEN_PID must be our pid and LISTEN_FDS ≥ 1; the socket is fd 3. */
#include "server.h"
#if ENABLED(CONFIG_FEATURE_SOCKET_ACTIVATION)
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

int sockact_fd(void)
{
	const char *pid = getenv("LISTEN_PID"), *n = getenv("LISTEN_FDS");
	unsigned p, k;
	int type;
	socklen_t len = sizeof(type);

	if (!pid || !n)
		return fail("no socket given and no LISTEN_FDS from a service "
			    "manager (try --help)", (char *)0);
	if (parse_uint(pid, 1u << 30, &p) || (pid_t)p != getpid() ||
	    parse_uint(n, 1024, &k) || k < 1)
		return fail("LISTEN_PID/LISTEN_FDS are not for this process",
			    (char *)0);
	if (getsockopt(3, SOL_SOCKET, SO_TYPE, &type, &len) ||
	    type != SOCK_STREAM)
		return fail("LISTEN_FDS: fd 3 is not a stream socket", (char *)0);
	/* the programs we start must not believe they were activated */
	unsetenv("LISTEN_PID");
	unsetenv("LISTEN_FDS");
	unsetenv("LISTEN_FDNAMES");
	return 3;
}
#endif
