/* exitlike.c — see exitlike.h (used by dive.c and ptyclient.c). */
#include "util.h"
#include "exitlike.h"
#if ENABLED(CONFIG_DIVE)
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>

void exit_like(int killed, int code)
{
	if (!killed)
		exit(code);
	struct rlimit none = { 0, 0 };
	sigset_t all;
	setrlimit(RLIMIT_CORE, &none); /* its core, not ours */
	signal(code, SIG_DFL);
	sigfillset(&all);
	sigprocmask(SIG_UNBLOCK, &all, NULL);
	raise(code);
	exit(128 + code); /* a signal that does not kill */
}
#endif
