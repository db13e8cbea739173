/* ptyserver.c — placeholder until pty mode lands (issue 6) */
#include "server.h"
#if ENABLED(CONFIG_FEATURE_PTY)
int pty_server_setup(struct session *s)
{
	return fail("pty mode not implemented yet", (char *)0);
}
#endif
