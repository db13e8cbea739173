/* proto.h — the dive ⇄ dived wire protocol (version 1).
 *
 * A local AF_UNIX stream socket, so integers are fixed-width in host byte
 * order. Every length and count is checked against the PROTO_MAX_* bounds
 * below before anything is allocated; strings must be NUL-terminated inside
 * the request.
 *
 * 1. Request, client → server: ONE buffer, sent with the first sendmsg:
 *
 *    off size field
 *      0   4  magic    PROTO_REQ_MAGIC ("DIVq")
 *      4   2  version  PROTO_VERSION
 *      6   2  flags    RQ_* below; unknown bits are refused
 *      8   4  length   bytes of the whole request, header included
 *     12   4  nfds     fds to install at their numbers (≤ PROTO_MAX_FDS)
 *     16   4  argc     argument strings (≤ PROTO_MAX_ARGS)
 *     20   4  envc     environment strings (≤ PROTO_MAX_ARGS)
 *     24   4  umask    ≤ 0777
 *     28   2  ws_row   window size for pty mode
 *     30   2  ws_col
 *     32   4  reserved 0
 *     36      u32 fdnum[nfds]: target numbers, strictly increasing,
 *             each < PROTO_MAX_FDNUM
 *     ..      argc then envc strings, each NUL-terminated; they fill the
 *             request exactly up to `length`
 *
 *    File descriptors travel as SCM_RIGHTS in batches of at most
 *    PROTO_FD_BATCH: the first batch rides on the request's sendmsg, each
 *    further batch on a 1-byte message ('F'). Order: the nfds client fds
 *    (in fdnum order), then the extra fds flagged in `flags`, in this
 *    order: RQ_CWD (current directory), RQ_ROOT (root directory), RQ_TTY
 *    (terminal to make controlling), RQ_WAITFD (write end of the client's
 *    wait pipe). The server receives with MSG_CMSG_CLOEXEC and refuses on
 *    MSG_CTRUNC or when the count differs from what the header declares.
 *
 * 2. Replies, server → client: 16-byte messages, optionally followed by
 *    `len` bytes of text (RP_ERROR only, ≤ PROTO_MAX_TEXT):
 *      0  4  magic PROTO_REP_MAGIC ("DIVr")
 *      4  2  type  RP_PID | RP_EXIT | RP_ERROR
 *      6  2  len
 *      8  4  value RP_PID: program pid; RP_EXIT: exit code or signal
 *     12  4  flags RP_PID: PF_*; RP_EXIT: RP_EXIT_KILLED = killed by signal
 *                  `value` (else `value` is the exit code, 0-255);
 *                  RP_ERROR: 1 = protocol version mismatch
 *    RP_PID comes first, just before the exec (in pty mode it carries the
 *    pty master as SCM_RIGHTS). RP_EXIT follows when the program ends
 *    (never with PF_NOWAIT). RP_ERROR may come at any point instead; its
 *    text is the reason the client prints ("refused: ...").
 *
 * 3. Signals, client → server (only when RP_PID had PF_SIGNALS): 8-byte
 *    messages { u32 magic PROTO_SIG_MAGIC ("DIVs"), u32 signo }.
 *    Signal numbers here and in RP_EXIT are Linux's generic numbering
 *    (proto_sig_to_wire), whatever the architecture of either side.
 */
#ifndef DIVEBOX_PROTO_H
#define DIVEBOX_PROTO_H
#include <stddef.h>
#include <stdint.h>
#include "util.h"

#define PROTO_VERSION 1
#define PROTO_REQ_MAGIC 0x71564944u /* "DIVq" */
#define PROTO_REP_MAGIC 0x72564944u /* "DIVr" */
#define PROTO_SIG_MAGIC 0x73564944u /* "DIVs" */

#define PROTO_MAX_REQUEST (4u << 20)  /* bytes: ARG_MAX-sized env + argv */
#define PROTO_MAX_FDS 4096u           /* client fds per request */
#define PROTO_MAX_FDNUM (1u << 20)    /* highest fd number + 1 (nr_open) */
#define PROTO_MAX_ARGS 65536u         /* argc, envc */
#define PROTO_MAX_TEXT 1024u          /* reply text */
/* fds per SCM_RIGHTS message: the kernel takes 253 (SCM_MAX_FD), but
 * musl's sendmsg refuses more than 1024 bytes of control data (ENOMEM),
 * which is CMSG_SPACE(252 * 4) on 64-bit */
#define PROTO_FD_BATCH 252u
#define PROTO_EXTRA_FDS 4u            /* cwd, root, tty, waitfd */

enum {
	RQ_WAIT_MASK = 3,   /* DIVE_WAITMODE 0, 1, 2 */
	RQ_SIGFW_SHIFT = 2, /* DIVE_SIGFWMODE 0, 1, 2 in bits 2-3 */
	RQ_SIGFW_MASK = 3 << 2,
	RQ_CWD = 1 << 4,
	RQ_ROOT = 1 << 5,
	RQ_TTY = 1 << 6,
	RQ_WAITFD = 1 << 7,
	RQ_PTY = 1 << 8,
	/* with RQ_PTY: a pty only if this dived allows one (not --no-pty,
	 * not -T); else the classic mode with the fds and terminal sent */
	RQ_PTY_AUTO = 1 << 9,
	RQ_KNOWN = (1 << 10) - 1,
};

enum { RP_PID = 1, RP_EXIT = 2, RP_ERROR = 3 };
enum {
	PF_NOWAIT = 1,       /* dived -w: no RP_EXIT will come */
	PF_SIGNALS = 2,      /* send signals to dived (every mode but -w) */
	PF_SIGNALS_PGID = 4, /* ... which delivers them to the group */
	PF_PTY = 8,          /* a pty master rides on this message */
};
enum { RP_EXIT_KILLED = 1 }; /* RP_EXIT: value is the killing signal */
enum { EF_VERSION = 1 };

struct req_header {
	uint32_t magic;
	uint16_t version, flags;
	uint32_t length, nfds, argc, envc, umask;
	uint16_t ws_row, ws_col;
	uint32_t reserved;
};

struct reply {
	uint32_t magic;
	uint16_t type, len;
	int32_t value;
	uint32_t flags;
};

#define PROTO_SIG_MAX 64 /* the highest signal number on the wire */
struct sigmsg {
	uint32_t magic, signo;
};

/* A decoded request: pointers into the request buffer. */
struct request {
	struct req_header h;
	const uint32_t *fdnum;
	char **argv; /* argc entries + NULL, allocated by proto_decode */
	char **envp; /* envc entries + NULL */
};

/* Number of extra fds the flags announce. */
unsigned proto_extra_fds(unsigned flags);
/* Check a header alone (magic, version, flags, bounds). 0 or -1 + g_err;
 * *version_mismatch set when the peer speaks another version. */
int proto_check_header(const struct req_header *h, int *version_mismatch);
/* Decode a whole request of h->length bytes in buf (checked header first).
 * Allocates r->argv/r->envp (free with proto_free). 0 or -1 + g_err. */
int proto_decode(struct request *r, char *buf, size_t len);
void proto_free(struct request *r);

/* Client side: size of the request for these parts, and encoding it into
 * a buffer of that size. */
size_t proto_request_size(unsigned nfds, char *const *argv, char *const *envp);
void proto_encode(char *buf, const struct req_header *h, const int *fds,
		  char *const *argv, char *const *envp);

/* Replies: one sendmsg that never blocks (a stuck client must not stall
 * dived) and never raises SIGPIPE. text may be NULL; fd >= 0 rides along. */
int proto_send_reply(int sock, unsigned type, int32_t value, uint32_t flags,
		     const char *text, int fd);

/* RP_EXIT for a wait status (normal exit, or the killing signal). */
int proto_send_exit(int sock, int status);
/* Client side: is this 16-byte reply one a dived sends (magic, known
 * type, text length, an RP_EXIT's code 0-255 or a signal)? 0, or -1:
 * then PROTO_BAD_REPLY is the one message dive gives, exit 3. */
#define PROTO_BAD_REPLY "not a dived, or an incompatible one (bad reply)"
int proto_check_reply(const struct reply *rp);
/* Client side: the status an RP_EXIT carries, *killed set if `value` is
 * the killing signal (returned in this architecture's numbering), else
 * the exit code. */
int proto_exit_code(const struct reply *rp, int *killed);

/* Signal numbers on the wire (signal messages, RP_EXIT's killing signal)
 * are Linux's generic ones (x86, ARM, s390, PowerPC...); where the kernel
 * numbers them otherwise (MIPS: SIGUSR1 is 16) they are translated, so a
 * mipsel dive and an x86_64 dived mean the same signal. 0: none here. */
uint32_t proto_sig_to_wire(int sig);
int proto_sig_from_wire(uint32_t wire);

#endif