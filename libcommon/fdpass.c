/* fdpass.c — see fdpass.h */
#include "fdpass.h"
#include "proto.h"
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#define BATCH_CMSG CMSG_SPACE(PROTO_FD_BATCH * sizeof(int))

static int send_batch(int sock, const void *buf, size_t len, const int *fds,
		      size_t n)
{
	union {
		struct cmsghdr h;
		char buf[BATCH_CMSG];
	} cm;
	struct iovec iov = { (void *)buf, len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	if (n) {
		mh.msg_control = cm.buf;
		mh.msg_controllen = CMSG_SPACE(n * sizeof(int));
		/* the padding after the fds goes to the kernel too */
		memset(cm.buf + CMSG_LEN(n * sizeof(int)), 0,
		       mh.msg_controllen - CMSG_LEN(n * sizeof(int)));
		cm.h.cmsg_level = SOL_SOCKET;
		cm.h.cmsg_type = SCM_RIGHTS;
		cm.h.cmsg_len = CMSG_LEN(n * sizeof(int));
		memcpy(CMSG_DATA(&cm.h), fds, n * sizeof(int));
	}
	while (len) {
		ssize_t r = sendmsg(sock, &mh, MSG_NOSIGNAL);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		/* the fds went with the first chunk; send the rest plainly */
		mh.msg_control = NULL;
		mh.msg_controllen = 0;
		iov.iov_base = (char *)iov.iov_base + r;
		iov.iov_len = len -= (size_t)r;
	}
	return 0;
}

int fdpass_send(int sock, const void *buf, size_t len, const int *fds,
		size_t n)
{
	size_t first = n < PROTO_FD_BATCH ? n : PROTO_FD_BATCH;
	if (send_batch(sock, buf, len, fds, first))
		return -1;
	for (size_t i = first; i < n; i += PROTO_FD_BATCH) {
		size_t k = n - i < PROTO_FD_BATCH ? n - i : PROTO_FD_BATCH;
		if (send_batch(sock, "F", 1, fds + i, k))
			return -1;
	}
	return 0;
}

int fdpass_take(struct msghdr *mh, int *fds, size_t *n, size_t max,
		pid_t *pid)
{
	int lost = !!(mh->msg_flags & MSG_CTRUNC);
	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level != SOL_SOCKET)
			continue;
		if (c->cmsg_type == SCM_CREDENTIALS && pid) {
			struct ucred uc;
			memcpy(&uc, CMSG_DATA(c), sizeof(uc));
			*pid = uc.pid;
		}
		if (c->cmsg_type != SCM_RIGHTS)
			continue;
		size_t k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < k; i++) {
			int fd;
			memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
			if (*n < max)
				fds[(*n)++] = fd;
			else {
				close(fd);
				lost = 1;
			}
		}
	}
	return lost;
}

int fdpass_wait(int sock, long long by)
{
	for (;;) {
		long long left = by - monotonic_ms();
		if (left <= 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		struct pollfd p = { sock, POLLIN, 0 };
		int r = poll(&p, 1, left > INT_MAX ? INT_MAX : (int)left);
		if (r > 0)
			return 0;
		if (r < 0 && errno != EINTR)
			return -1;
	}
}

int fdpass_recv(int sock, void *buf, size_t len, int *fds, size_t *n,
		size_t max, long long deadline)
{
	union {
		struct cmsghdr h;
		char buf[BATCH_CMSG];
	} cm;
	char *p = buf;
	while (len) {
		struct iovec iov = { p, len };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
				     .msg_control = cm.buf,
				     .msg_controllen = sizeof(cm.buf) };
		if (deadline && fdpass_wait(sock, deadline))
			return errno == ETIMEDOUT
				       ? fail("no complete request within"
					      " --timeout", (char *)0)
				       : fail_errno("receiving request",
						    (char *)0);
		ssize_t r = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return fail_errno("receiving request", (char *)0);
		if (fdpass_take(&mh, fds, n, max, NULL))
			return fail("client sent more fds than it declared",
				    (char *)0);
		if (r == 0)
			return fail("client hung up mid-request", (char *)0);
		p += r;
		len -= (size_t)r;
	}
	return 0;
}
