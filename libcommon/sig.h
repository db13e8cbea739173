/* sig.h — signal set-ups more than one applet makes. */
#ifndef DIVEBOX_SIG_H
#define DIVEBOX_SIG_H
#include <signal.h>
#include <stddef.h>
#include <stdint.h>

/* *set = the signals sigs[0..n) */
void sig_set_of(sigset_t *set, const unsigned char *sigs, size_t n);

/* Block sigs[0..n) and return a close-on-exec, non-blocking signalfd that
 * reads them (what dive forwards, what dived reaps by), or -1 with errno.
 * Blocked first: one that comes before the signalfd exists waits in it. */
int sigfd_block(const unsigned char *sigs, size_t n);

/* The signals dive forwards to its program, the only ones dived delivers
 * for a client and pidns.c's waiter passes on. */
#define SIG_FWD_COUNT 15
extern const unsigned char sig_fwd[SIG_FWD_COUNT];
int sig_is_forwarded(int sig);

/* Signal sets as bit sig-1 of a mask, signals 1 to 64. */
#define SIG_ALL (~0ULL)
/* The signals ignored now, and those the C library keeps for itself
 * (sigaction() refuses to even read them): what a program could inherit
 * at exec besides the defaults. Never SIGKILL or SIGSTOP. */
uint64_t sig_ignored(void);
/* The clean slate before an exec: each signal of mask at its default,
 * and none blocked. */
void sig_reset(uint64_t mask);

#endif
