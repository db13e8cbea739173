/* sig.h — signal set-ups more than one applet makes. */
#ifndef DIVEBOX_SIG_H
#define DIVEBOX_SIG_H
#include <stddef.h>

/* Block sigs[0..n) and return a close-on-exec, non-blocking signalfd that
 * reads them (what dive forwards, what dived reaps by), or -1 with errno.
 * Blocked first: one that comes before the signalfd exists waits in it. */
int sigfd_block(const unsigned char *sigs, size_t n);

#endif
