/* exitlike.c — see exitlike.h (dive.c, ptyclient.c and the pid namespace
 * waiter in pidns.c). */
#include "util.h"
#include "exitlike.h"
#if ENABLED(CONFIG_DIVE) || ENABLED(CONFIG_FEATURE_NAMESPACES)
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

void exit_like(int killed, int code)
{
	if (!killed)
		_exit(code); /* nothing buffered: no stdio in divebox */
	struct rlimit none = { 0, 0 };
	sigset_t all;
	setrlimit(RLIMIT_CORE, &none); /* its core, not ours */
	signal(code, SIG_DFL);
	sigfillset(&all);
	sigprocmask(SIG_UNBLOCK, &all, NULL);
	raise(code);
	_exit(128 + code); /* a signal that does not kill */
}
#endif
