/* fdplace.h — step 3's fd placement: the fds received from a client go to
 * the numbers it asked for, and none of dived's own fds (nor one received
 * fd) is overwritten on the way. Self-contained, so that it can be fuzzed
 * (fuzz/fuzz_fdplace.c). */
#ifndef DIVEBOX_FDPLACE_H
#define DIVEBOX_FDPLACE_H
#include <stdint.h>

/* Put fds[i] at want[i] (i < n; want strictly ascending), inheritable.
 * First every *mine[k] (k < nmine; -1 entries are skipped) that sits on a
 * wanted number is moved aside (close-on-exec, updated in place), then
 * every received fd that does. fds[] is scratch afterwards. 0, or -1 with
 * g_err. */
int fdplace(int *fds, const uint32_t *want, unsigned n, int *const *mine,
	    unsigned nmine);
/* Move *fd above `above` (close-on-exec) if it is at or below it. */
int fd_move_high(int *fd, int above);

#endif
