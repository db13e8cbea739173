/* ptyserver.h — dived's side of pty mode (CONFIG_FEATURE_PTY). */
#ifndef DIVEBOX_PTYSERVER_H
#define DIVEBOX_PTYSERVER_H
#include "session.h"

/* ptyserver.c (CONFIG_FEATURE_PTY): pty mode, step 6 — new session, a
 * fresh pty as controlling terminal on fds 0-2, window size from the
 * request; the master goes to s->pty_master. -2 (g_err set) if no pty
 * could be had (no /dev/ptmx there): nothing was changed then. */
#if ENABLED(CONFIG_FEATURE_PTY)
int pty_server_setup(struct session *s);
#else
static inline int pty_server_setup(struct session *s)
{
	(void)s;
	fail("pty mode is not in this build (CONFIG_FEATURE_PTY)", (char *)0);
	return -2;
}
#endif

#endif
