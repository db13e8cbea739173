/* fdpass.h — SCM_RIGHTS in batches (many fds per message). */
#ifndef DIVEBOX_FDPASS_H
#define DIVEBOX_FDPASS_H
#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>

/* Send buf (len bytes) with fds[0..n) attached: the first batch of at most
 * PROTO_FD_BATCH rides on buf, each further batch on one 'F' byte.
 * 0 or -1 (errno). Never raises SIGPIPE. */
int fdpass_send(int sock, const void *buf, size_t len, const int *fds,
		size_t n);

/* The one walk over a received message's control data: every fd of its
 * SCM_RIGHTS is appended to fds[*n], at most max in total (the others are
 * closed), and with pid not NULL the sender's pid of its SCM_CREDENTIALS
 * (as the kernel translated it into our pid namespace) lands in *pid.
 * Returns 1 if an fd was closed or the control data was cut (MSG_CTRUNC),
 * else 0. */
int fdpass_take(struct msghdr *mh, int *fds, size_t *n, size_t max,
		pid_t *pid);

/* Wait until sock is readable, or -1 with errno (ETIMEDOUT once the
 * deadline `by`, in monotonic_ms(), has passed). */
int fdpass_wait(int sock, long long by);

/* Read exactly len bytes into buf, appending every fd that arrives to
 * fds[*n], at most max in total. Received fds are close-on-exec. Fails
 * (-1, g_err set, the fds received so far stay in fds[0..*n) for the
 * caller to close) on EOF, error, MSG_CTRUNC, more fds than max, or when
 * deadline (monotonic_ms(); 0: none) passes first: a timed receive, so
 * that no signal handler has to interrupt it. */
int fdpass_recv(int sock, void *buf, size_t len, int *fds, size_t *n,
		size_t max, long long deadline);

#endif
