/* sig.c — see sig.h */
#include "sig.h"
#include <signal.h>
#include <sys/signalfd.h>

int sigfd_block(const unsigned char *sigs, size_t n)
{
	sigset_t set;
	sigemptyset(&set);
	for (size_t i = 0; i < n; i++)
		sigaddset(&set, sigs[i]);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return -1;
	return signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
}
