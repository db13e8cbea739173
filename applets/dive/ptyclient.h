/* ptyclient.h — dive's side of pty mode (CONFIG_FEATURE_PTY). */
#ifndef DIVEBOX_PTYCLIENT_H
#define DIVEBOX_PTYCLIENT_H

struct pty_link {
	int sock;          /* the connection to dived, after RP_PID */
	int master;        /* the pty master that came with RP_PID, or -1 */
	int sfd;           /* signalfd of the signals dive forwards */
	unsigned waitmode; /* DIVE_WAITMODE */
	unsigned pidflags; /* RP_PID's PF_* */
	/* pass a signal on to the program, as in normal mode */
	void (*forward)(void *ctx, int sig);
	void *ctx;
};

/* Relay our stdin to the master and the master to our stdout, keep the
 * local terminal raw meanwhile (always restored), forward window size
 * changes; SIGTERM and SIGHUP are forwarded, then dive dies of them.
 * Never returns: exits like the program (its exit code, or death by its
 * signal); 127 if dived drops the connection. See docs/interactive.md. */
void pty_client(const struct pty_link *l) __attribute__((noreturn));

#endif
