/* reply.h — reading dived's replies: dive's and its pty relay's one reader. */
#ifndef DIVEBOX_REPLY_H
#define DIVEBOX_REPLY_H
#include "proto.h"
#include <sys/types.h>

/* A reply is one sendmsg of at most a few hundred bytes: once its first
 * bytes are here, the rest comes at once. A server that sends part of one
 * and then nothing (hostile, or wedged) gets this long, not forever. */
#define REPLY_REST_MS 5000

/* Read one reply and its text (NUL-terminated, PROTO_MAX_TEXT + 1 bytes)
 * from sock: its type; 0 if the connection ends before it; -1 with g_err
 * if what came is not a whole divebox reply (garbage, an upstream dive
 * 1.x dived, a reply cut off or left unfinished for REPLY_REST_MS). An fd
 * passed with it lands in *fd (else -1), the sender's pid in *pid (-1: no
 * credentials; 0: not visible from our pid namespace); fd and pid may be
 * NULL. */
int reply_read(int sock, struct reply *rp, char *text, int *fd, pid_t *pid);

#endif
