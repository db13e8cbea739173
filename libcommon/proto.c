/* proto.c — encode/decode of the wire format described in proto.h.
 * The decoder is the first thing hostile bytes meet: every field is
 * bounded before use and every string is proven NUL-terminated. */
#include "proto.h"
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>

unsigned proto_extra_fds(unsigned flags)
{
	return !!(flags & RQ_CWD) + !!(flags & RQ_ROOT) + !!(flags & RQ_TTY) +
	       !!(flags & RQ_WAITFD);
}

int proto_check_header(const struct req_header *h, int *version_mismatch)
{
	char a[24], b[24];
	*version_mismatch = 0;
	if (h->magic != PROTO_REQ_MAGIC)
		return fail("not a dive client (bad magic)", (char *)0);
	if (h->version != PROTO_VERSION) {
		*version_mismatch = 1;
		return fail("protocol version ", fmt_u(a, h->version),
			    " not supported (dived speaks ",
			    fmt_u(b, PROTO_VERSION), ")", (char *)0);
	}
	if (h->flags & ~RQ_KNOWN)
		return fail("unknown request flags", (char *)0);
	if ((h->flags & RQ_WAIT_MASK) == 3 ||
	    (h->flags & RQ_SIGFW_MASK) == RQ_SIGFW_MASK)
		return fail("bad wait or signal mode", (char *)0);
	if (h->length < sizeof(*h) || h->length > PROTO_MAX_REQUEST)
		return fail("bad request length", (char *)0);
	if (h->nfds > PROTO_MAX_FDS)
		return fail("too many fds", (char *)0);
	if (h->argc > PROTO_MAX_ARGS || h->envc > PROTO_MAX_ARGS)
		return fail("too many arguments", (char *)0);
	if (h->umask > 0777 || h->reserved)
		return fail("bad request header", (char *)0);
	/* fd numbers and one NUL per string must fit in the length */
	if ((uint64_t)h->nfds * 4 + h->argc + h->envc >
	    (uint64_t)h->length - sizeof(*h))
		return fail("request too short for its counts", (char *)0);
	return 0;
}

/* Point v[0..n-1] at the next n NUL-terminated strings of [*p, end). */
static int split_strings(char **p, const char *end, char **v, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		char *nul = memchr(*p, 0, (size_t)(end - *p));
		if (!nul)
			return fail("unterminated string in request", (char *)0);
		v[i] = *p;
		*p = nul + 1;
	}
	v[n] = NULL;
	return 0;
}

int proto_decode(struct request *r, char *buf, size_t len)
{
	int vm;
	memset(r, 0, sizeof(*r));
	if (len < sizeof(r->h))
		return fail("short request", (char *)0);
	memcpy(&r->h, buf, sizeof(r->h));
	if (proto_check_header(&r->h, &vm))
		return -1;
	if (r->h.length != len)
		return fail("request length mismatch", (char *)0);
	r->fdnum = (const uint32_t *)(buf + sizeof(r->h));
	for (uint32_t i = 0; i < r->h.nfds; i++)
		if (r->fdnum[i] >= PROTO_MAX_FDNUM ||
		    (i && r->fdnum[i] <= r->fdnum[i - 1]))
			return fail("bad fd numbers in request", (char *)0);
	char *p = buf + sizeof(r->h) + (size_t)r->h.nfds * 4;
	const char *end = buf + len;
	r->argv = malloc(((size_t)r->h.argc + 1) * sizeof(char *));
	r->envp = malloc(((size_t)r->h.envc + 1) * sizeof(char *));
	if (!r->argv || !r->envp) {
		proto_free(r);
		return fail("out of memory", (char *)0);
	}
	if (split_strings(&p, end, r->argv, r->h.argc) ||
	    split_strings(&p, end, r->envp, r->h.envc) ||
	    (p != end && fail("trailing bytes in request", (char *)0))) {
		proto_free(r);
		return -1;
	}
	return 0;
}

void proto_free(struct request *r)
{
	free(r->argv);
	free(r->envp);
	r->argv = r->envp = NULL;
}

static size_t strings_size(char *const *v)
{
	size_t n = 0;
	for (; v && *v; v++)
		n += strlen(*v) + 1;
	return n;
}

size_t proto_request_size(unsigned nfds, char *const *argv, char *const *envp)
{
	return sizeof(struct req_header) + (size_t)nfds * 4 +
	       strings_size(argv) + strings_size(envp);
}

static char *put_strings(char *p, char *const *v)
{
	for (; v && *v; v++) {
		size_t n = strlen(*v) + 1;
		memcpy(p, *v, n);
		p += n;
	}
	return p;
}

void proto_encode(char *buf, const struct req_header *h, const int *fds,
		  char *const *argv, char *const *envp)
{
	char *p = buf + sizeof(*h);
	memcpy(buf, h, sizeof(*h));
	for (uint32_t i = 0; i < h->nfds; i++, p += 4) {
		uint32_t n = (uint32_t)fds[i];
		memcpy(p, &n, 4);
	}
	put_strings(put_strings(p, argv), envp);
}

int proto_send_reply(int sock, unsigned type, int32_t value, uint32_t flags,
		     const char *text, int fd)
{
	size_t tlen = text ? strlen(text) : 0;
	if (tlen > PROTO_MAX_TEXT)
		tlen = PROTO_MAX_TEXT;
	struct reply rp = { PROTO_REP_MAGIC, (uint16_t)type, (uint16_t)tlen,
			    value, flags };
	struct iovec iov[2] = { { &rp, sizeof(rp) }, { (void *)text, tlen } };
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} cm;
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = tlen ? 2 : 1 };
	if (fd >= 0) {
		memset(&cm, 0, sizeof(cm));
		mh.msg_control = cm.buf;
		mh.msg_controllen = sizeof(cm.buf);
		cm.h.cmsg_level = SOL_SOCKET;
		cm.h.cmsg_type = SCM_RIGHTS;
		cm.h.cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(&cm.h), &fd, sizeof(int));
	}
	ssize_t n;
	do
		n = sendmsg(sock, &mh, MSG_NOSIGNAL | MSG_DONTWAIT);
	while (n < 0 && errno == EINTR);
	return n == (ssize_t)(sizeof(rp) + tlen) ? 0 : -1;
}

#ifndef SIGSTKFLT /* not on MIPS */
#define SIGSTKFLT 0
#endif

/* generic number -> this architecture's */
static const unsigned char generic_sig[32] = {
	0, SIGHUP, SIGINT, SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE,
	SIGKILL, SIGUSR1, SIGSEGV, SIGUSR2, SIGPIPE, SIGALRM, SIGTERM,
	SIGSTKFLT, SIGCHLD, SIGCONT, SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU,
	SIGURG, SIGXCPU, SIGXFSZ, SIGVTALRM, SIGPROF, SIGWINCH, SIGIO, SIGPWR,
	SIGSYS,
};

uint32_t proto_sig_to_wire(int sig)
{
	if (sig >= 32) /* the real-time ones start at 32 everywhere */
		return (uint32_t)sig;
	for (uint32_t w = 1; w < 32; w++)
		if (generic_sig[w] == sig)
			return w;
	return 0;
}

int proto_sig_from_wire(uint32_t wire)
{
	if (wire >= 32)
		return wire <= PROTO_SIG_MAX ? (int)wire : 0;
	return generic_sig[wire];
}

int proto_send_exit(int sock, int status)
{
	if (WIFSIGNALED(status))
		return proto_send_reply(sock, RP_EXIT,
					(int32_t)proto_sig_to_wire(WTERMSIG(status)),
					RP_EXIT_KILLED, NULL, -1);
	return proto_send_reply(sock, RP_EXIT, WEXITSTATUS(status), 0, NULL, -1);
}

int proto_check_reply(const struct reply *rp)
{
	if (rp->magic != PROTO_REP_MAGIC || rp->len > PROTO_MAX_TEXT ||
	    rp->type < RP_PID || rp->type > RP_ERROR ||
	    (rp->type == RP_EXIT &&
	     (rp->value < 0 || rp->value > 255 ||
	      ((rp->flags & RP_EXIT_KILLED) && !rp->value))))
		return -1;
	return 0;
}

int proto_exit_code(const struct reply *rp, int *killed)
{
	*killed = !!(rp->flags & RP_EXIT_KILLED);
	return *killed ? proto_sig_from_wire((uint32_t)rp->value) : rp->value;
}
