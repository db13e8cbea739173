/* ptyclient.c — placeholder until pty mode lands (issue 6) */
#include "util.h"
#include "ptyclient.h"
#if ENABLED(CONFIG_FEATURE_PTY)
int pty_client(int sock, int master, int sfd, unsigned waitmode)
{
	die(EX_NOEXEC, "pty mode not implemented yet", (char *)0);
}
#endif
