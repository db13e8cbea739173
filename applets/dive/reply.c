/* reply.c — see reply.h */
#include "reply.h"
#include "fdpass.h"
#include "util.h"
#if ENABLED(CONFIG_DIVE)
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* dive 1.x's dived speaks first: its protocol version 1100 as a host
 * endian long. Our replies start with a magic that is never that. */
static int upstream_dived(const void *buf)
{
	long v;
	memcpy(&v, buf, sizeof(v));
	return v == 1100;
}

/* The rest of a started reply is due by `by`. */
static int rest_due(int sock, long long by)
{
	if (!fdpass_wait(sock, by))
		return 0;
	if (errno == ETIMEDOUT)
		return fail("dived sent part of a reply, then nothing",
			    (char *)0);
	char num[32]; /* (not fail_errno: the client build has no other user) */
	return fail("reading dived's reply: ", errtext(errno, num), (char *)0);
}

static int read_head(int sock, struct reply *rp, int *fd, pid_t *pid,
		     long long *by)
{
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(struct ucred)) +
			 CMSG_SPACE(4 * sizeof(int))];
	} cm;
	size_t got = 0, nfd = 0; /* the first fd is kept, others closed */
	while (got < sizeof(*rp)) {
		struct iovec iov = { (char *)rp + got, sizeof(*rp) - got };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
				     .msg_control = cm.buf,
				     .msg_controllen = sizeof(cm.buf) };
		if (got && rest_due(sock, *by))
			return -1;
		ssize_t n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return got ? fail(PROTO_BAD_REPLY, (char *)0) : 0;
		if (!got)
			*by = monotonic_ms() + REPLY_REST_MS;
		fdpass_take(&mh, fd, &nfd, 1, pid);
		got += (size_t)n;
		if (got >= sizeof(long) && upstream_dived(rp))
			return fail("the server is an upstream dive 1.x dived "
				    "(protocol 1100), not divebox's", (char *)0);
	}
	return proto_check_reply(rp) ? fail(PROTO_BAD_REPLY, (char *)0) : 1;
}

static int read_text(int sock, char *text, size_t len, long long by)
{
	for (size_t got = 0; got < len;) {
		if (rest_due(sock, by))
			return -1;
		ssize_t n = recv(sock, text + got, len - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return fail(PROTO_BAD_REPLY, (char *)0);
		got += (size_t)n;
	}
	text[len] = 0;
	return 0;
}

int reply_read(int sock, struct reply *rp, char *text, int *fd, pid_t *pid)
{
	int ignored_fd;
	pid_t ignored_pid;
	long long by = 0;
	if (!fd)
		fd = &ignored_fd;
	if (!pid)
		pid = &ignored_pid;
	*fd = -1;
	*pid = -1;
	int r = read_head(sock, rp, fd, pid, &by);
	if (r == 1)
		r = read_text(sock, text, rp->len, by) ? -1 : rp->type;
	if (*fd >= 0 && (fd == &ignored_fd || r < 0)) {
		close(*fd);
		*fd = -1;
	}
	return r;
}
#endif
