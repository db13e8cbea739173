/* server.h — dived's configuration and the per-client session steps. */
#ifndef DIVEBOX_SERVER_H
#define DIVEBOX_SERVER_H
#include "plan.h"
#include "proto.h"

enum server_flags {
	SV_NO_ARGV = 1 << 0,      /* -A */
	SV_NO_ENV = 1 << 1,       /* -E */
	SV_NO_CHDIR = 1 << 2,     /* -H */
	SV_NO_FDS = 1 << 3,       /* -O */
	SV_NO_UMASK = 1 << 4,     /* -M */
	SV_CLIENT_CHROOT = 1 << 5,/* -r */
	SV_ROOT_TO_CUR = 1 << 6,  /* -W */
	SV_NO_WAIT = 1 << 7,      /* -w */
	SV_SIGNALS = 1 << 8,      /* -n */
	SV_SIGNALS_PGID = 1 << 9, /* --signals-pgid */
	SV_NO_PTY = 1 << 10,      /* --no-pty */
	SV_LOG = 1 << 11,         /* --log */
	SV_SYSLOG = 1 << 12,      /* --syslog */
	SV_DETACH = 1 << 13,      /* -d */
	SV_NO_FORK = 1 << 14,     /* -F */
	SV_INETD = 1 << 15,       /* -i */
	SV_CHILD_DAEMON = 1 << 16,/* -D */
	SV_JUST_EXEC = 1 << 17,   /* -J, -j */
	SV_LISTEN_FDS = 1 << 18,  /* --listen-fds */
	SV_JUST_EXEC2 = 1 << 19,  /* -j: identity kept unless -u/-g/-e */
};

#define SERVER_MAX_ALLOW 64

struct server {
	struct plan plan;
	unsigned flags;
	char **forced_argv;  /* after "--" */
	unsigned nforced;
	unsigned timeout;    /* seconds for a client to complete its request */
	unsigned max_clients;
	unsigned max_per_user; /* --max-per-user: live sessions per peer uid */
	const char *sock_path;
	int chmod_mode;      /* -1: none */
	uid_t chown_uid;
	gid_t chown_gid;
	int do_chown;
	uid_t allow_uids[SERVER_MAX_ALLOW];
	gid_t allow_gids[SERVER_MAX_ALLOW];
	unsigned nallow_uids, nallow_gids;
	int log_fd;          /* dived's stderr, kept for audit lines, or -1 */
	int syslog_fd;       /* --syslog: datagram socket to /dev/log, or -1 */
};

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

/* access.c (CONFIG_FEATURE_ACCESS): --allow-user/--allow-group for the
 * client on conn; 0 = admitted, else -1 and the reason in g_err. */
#if ENABLED(CONFIG_FEATURE_ACCESS)
int access_check(const struct server *sv, const struct client *cl, int conn);
/* Is a number of the "Key:" line of a /proc/PID/status text in ids[]?
 * (all numbers, or only the first). For access.c and its fuzzer. */
int access_status_line(const char *text, const char *key, int all,
		       const unsigned *ids, unsigned n);
#else
static inline int access_check(const struct server *sv,
			       const struct client *cl, int conn)
{
	(void)sv; (void)cl; (void)conn;
	return 0;
}
#endif
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
/* sockact.c: the socket passed by a service manager (LISTEN_FDS), or -1. */
int sockact_fd(void);
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
/* Move *fd out of the way of the client's fd numbers (and above 2). */
int session_move_high(int *fd, int above);

#endif
