/* session.h — serving one client: the per-client steps of the launch plan
 * (SPEC §3), in the handler dived forks for it. */
#ifndef DIVEBOX_SESSION_H
#define DIVEBOX_SESSION_H
#include "server.h"

/* One client being served. */
struct session {
	int conn;
	struct client cl;
	struct request req;
	char *buf;           /* the request bytes */
	int cwd_fd, root_fd, tty_fd, wait_fd; /* extras, or -1 */
	int pty_master;      /* pty mode: sent to dive with RP_PID */
	int devnull;         /* /dev/null, opened before any chroot, or -1 */
	int target_cwd;      /* --target's cwd, for a client cwd outside it */
	unsigned client_ctty;/* the client's controlling tty (tty_nr), 0 none */
	struct ident id;     /* who the program runs as (plan_identity) */
};

/* Steps 1-4 (SPEC §3): enter namespaces/chroot, peer credentials, receive
 * the request and fds (placed at their numbers), authentication hook.
 * 0, or -1 after the client was sent the reason (RP_ERROR). */
int session_begin(struct session *s, const struct server *sv, int conn);
/* Steps 5-10: umask, client root/cwd, session and terminal, identity,
 * capabilities, argv/env, RP_PID (with pidflags), exec. On failure the
 * client gets RP_ERROR and the process exits 127. */
void session_exec(struct session *s, const struct server *sv,
		  unsigned pidflags) __attribute__((noreturn));
/* Send a refusal "refused: WHY" (or WHY as is if raw). */
void session_refuse(int conn, const char *why);
/* Serve one client and stay to wait for its program: RP_EXIT, and signal
 * delivery with -n. Used by -F, -i, -D and -n. Returns the wait status. */
int session_serve_waiting(const struct server *sv, int conn);

/* Set by dived when it keeps a controlling terminal (a session leader):
 * each handler then lets go of it. */
extern int session_ctty_kept;
/* Remember which signals are ignored now (once, at start, after dived set
 * its own): each program gets those back at their default. */
void session_note_ignored(void);
/* RP_PID flags for this server's options. */
unsigned session_pidflags(const struct server *sv);
/* Read one signal message from conn and deliver it to pid (or its group):
 * 0, or -1 when the client hung up or sent garbage (stop listening). */
int session_deliver_signal(int group, int conn, pid_t pid);
/* In a handler of the plain loop: flags[slot] (shared with dived) and a
 * byte on wake_fd tell dived that the request is read and the connection
 * is now its to read signals from (session.c). */
void session_signal_slot(volatile unsigned char *flags, int wake_fd,
			 unsigned slot);

#endif
