/* sig.c — see sig.h */
#include "sig.h"
#include <errno.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <unistd.h>

const unsigned char sig_fwd[SIG_FWD_COUNT] = {
	SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGTERM,
	SIGCONT, SIGTSTP, SIGWINCH, SIGURG, SIGPWR, SIGXCPU, SIGVTALRM,
	SIGPROF,
};

int sig_is_forwarded(int sig)
{
	for (unsigned i = 0; i < SIG_FWD_COUNT; i++)
		if (sig_fwd[i] == sig)
			return 1;
	return 0;
}

void sig_set_of(sigset_t *set, const unsigned char *sigs, size_t n)
{
	sigemptyset(set);
	for (size_t i = 0; i < n; i++)
		sigaddset(set, sigs[i]);
}

int sigfd_block(const unsigned char *sigs, size_t n)
{
	sigset_t set;
	sig_set_of(&set, sigs, n);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return -1;
	return signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
}

/* Handlers do not survive exec, ignored signals do: those are the only
 * dispositions a program could inherit from us, and the C library's own
 * (EINVAL: 32-34 with musl, 32-33 with glibc), which it cannot even read.
 * The reset talks to the kernel directly, which needs no knowledge of
 * its struct sigaction's layout (it differs per architecture): all zeroes
 * is SIG_DFL, no flags, empty mask everywhere, and the kernel's sigset is
 * _NSIG / 8 bytes (8; 16 on MIPS, where _NSIG is 128 while it is 65
 * elsewhere). */
#define SIG_MASK_BITS 64 /* a uint64_t mask: signals 1-64 */
#define SIG_LAST (_NSIG - 1 < SIG_MASK_BITS ? _NSIG - 1 : SIG_MASK_BITS)

uint64_t sig_ignored(void)
{
	uint64_t mask = 0;
	for (int sig = 1; sig <= SIG_LAST; sig++) {
		struct sigaction old;
		if (sigaction(sig, NULL, &old) ? errno == EINVAL
					       : old.sa_handler == SIG_IGN)
			mask |= 1ULL << (sig - 1);
	}
	return mask & ~(1ULL << (SIGKILL - 1) | 1ULL << (SIGSTOP - 1));
}

void sig_reset(uint64_t mask)
{
	static const uint64_t dfl[8]; /* larger than any kernel sigaction */
	sigset_t none;
	mask &= ~(1ULL << (SIGKILL - 1) | 1ULL << (SIGSTOP - 1));
	for (int sig = 1; sig <= SIG_LAST; sig++)
		if (mask & 1ULL << (sig - 1))
			syscall(SYS_rt_sigaction, sig, dfl, NULL,
				(size_t)_NSIG / 8);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}
