/* server.h — dived's configuration, filled by its option parser once at
 * start (dived_opts.c) and read by every session. */
#ifndef DIVEBOX_SERVER_H
#define DIVEBOX_SERVER_H
#include "plan.h"
#include "proto.h"

/* The flag of an option that is not in this build is 0 (nothing can set
 * it): every test of it is constant, and the code behind drops out without
 * an #if (session.c's -r/-W, the signal group choice...). */
#define SV_OPT(opt, bit) (OPT_IN(opt) ? 1 << (bit) : 0)

enum server_flags {
	SV_NO_ARGV = 1 << 0,      /* -A */
	SV_NO_ENV = 1 << 1,       /* -E */
	SV_NO_CHDIR = 1 << 2,     /* -H */
	SV_NO_FDS = 1 << 3,       /* -O */
	SV_NO_UMASK = 1 << 4,     /* -M */
	SV_CLIENT_CHROOT = SV_OPT(CLIENT_CHROOT, 5),/* -r */
	SV_ROOT_TO_CUR = SV_OPT(ROOT_TO_CUR, 6),  /* -W */
	SV_NO_WAIT = 1 << 7,      /* -w */
	SV_SIGNALS = SV_OPT(SIGNALS, 8),      /* -n */
	SV_SIGNALS_PGID = SV_OPT(SIGNALS_PGID, 9), /* --signals-pgid */
	SV_NO_PTY = SV_OPT(NO_PTY, 10),      /* --no-pty */
	SV_LOG = SV_OPT(LOG, 11),         /* --log */
	SV_SYSLOG = SV_OPT(SYSLOG, 12),      /* --syslog */
	SV_DETACH = 1 << 13,      /* -d */
	SV_NO_FORK = 1 << 14,     /* -F */
	SV_INETD = 1 << 15,       /* -i */
	SV_CHILD_DAEMON = 1 << 16,/* -D */
	SV_JUST_EXEC = 1 << 17,   /* -J, -j */
	SV_LISTEN_FDS = SV_OPT(LISTEN_FDS, 18),  /* --listen-fds */
	SV_JUST_EXEC2 = 1 << 19,  /* -j: identity kept unless -u/-g/-e */
};

#define SERVER_MAX_ALLOW 64

/* The client limits: defaults (in every build, also without
 * CONFIG_FEATURE_CLIENT_LIMITS) and the largest values the options take.
 * options.def's help texts and man/options.roff state the defaults too:
 * testsuite/52-man.sh checks that they say these. */
#define DIVED_TIMEOUT_DEFAULT 10        /* --timeout, seconds (0 = never) */
#define DIVED_TIMEOUT_MAX (86400 * 365) /* a year */
#define DIVED_MAX_CLIENTS_DEFAULT 256   /* --max-clients */
#define DIVED_MAX_PER_USER_DEFAULT 32   /* --max-per-user, or --max-clients
					   if that is smaller */
#define DIVED_CLIENTS_MAX (1 << 20)     /* --max-clients, --max-per-user */

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
};

#endif
