/* plan.h — the launch plan: the ordered process setup shared by dived (per
 * client, in the forked child), dived -J/-j and justexec (SPEC §3 "Order of
 * setup"). Options fill a struct plan once at start; the steps apply it.
 *
 * Every step returns 0, or -1 with a one-line reason in g_err (util.h) so
 * that dived can refuse the client with it and justexec can print it.
 * Steps 2-3, 5-6, 9-10 that need a client live in session.c. */
#ifndef DIVEBOX_PLAN_H
#define DIVEBOX_PLAN_H
#include "opts.h"
#include "pwdb.h"
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

enum plan_flags {
	PL_NO_SETUID = 1 << 0,   /* -P */
	PL_NO_SETSID = 1 << 1,   /* -S */
	PL_NO_CSCTTY = 1 << 2,   /* -T */
	PL_LOCK_SECBITS = 1 << 3,/* -L */
	PL_NO_NEW_PRIVS = 1 << 4,/* -X */
	PL_UIDGIDMAP = 1 << 5,   /* -tt */
	PL_HAVE_USER = 1 << 6,   /* -u */
	PL_HAVE_GROUPS = 1 << 7, /* -g */
	PL_HAVE_EUSER = 1 << 8,  /* -e */
	PL_CAPS_RETAIN = 1 << 9, /* -B given (bounding = caps_bnd) */
	PL_CAPS_REMOVE = 1 << 10,/* -b given (bounding -= caps_bnd) */
	PL_CAPS_SET = 1 << 11,   /* -c given */
	PL_CAPS_AMBIENT = 1 << 12,/* -m given */
	PL_KEEP_OLD_ROOT = 1 << 13,/* --keep-old-root */
	PL_OUTSIDE_CWD = 1 << 14, /* --allow-outside-cwd */
};

struct rlim_set {
	int resource;
	struct rlimit lim;
};

struct content_write {
	const char *file, *text;
};

#define PLAN_MAX_GROUPS 256
#define PLAN_MAX_LIST 32 /* -N, -t, -p, -l entries */
#define PLAN_CAPS 64     /* capabilities a uint64_t mask holds */

struct plan {
	unsigned flags;
	/* identity: -u, -g, -e as given; resolved in plan_check (dived's
	 * databases) or, with --target, per client in the target's */
	const char *user_arg, *groups_arg, *euser_arg;
	uid_t uid, euid;
	gid_t gid;               /* -u's primary group, or -g's first */
	const char *user_name;   /* -u's passwd name, for initgroups */
	gid_t groups[PLAN_MAX_GROUPS];
	unsigned ngroups;        /* -g list, including the primary one */
	pid_t target_pid;        /* --target, 0 if none */
	unsigned long long target_start; /* its start time, at plan_check */
	char unresolved[160];    /* "-u: unknown user 'x'", for plan_check */
	/* filesystem: -R, -h, -V */
	const char *chroot_dir, *chdir_dir, *pivot_new, *pivot_old;
	/* namespaces: -s, -N, -t, -tt */
	int unshare_flags;       /* CLONE_NEW* */
	uid_t uid_before_unshare;
	gid_t gid_before_unshare;
	const char *setns_files[PLAN_MAX_LIST];
	unsigned nsetns;
	struct content_write writes[PLAN_MAX_LIST];
	unsigned nwrites;
	/* -l */
	struct rlim_set rlimits[PLAN_MAX_LIST];
	unsigned nrlimits;
	/* capabilities: bit n = capability n, for n < PLAN_CAPS */
	uint64_t caps_bnd;       /* -B keep / -b drop */
	uint64_t caps_eff, caps_prm, caps_inh; /* -c */
	uint64_t caps_amb;       /* -m */
	/* -a */
	const char *auth_cmd;
	/* -p */
	const char *pidfiles[PLAN_MAX_LIST];
	unsigned npidfiles;
};

/* Who asked: the SO_PEERCRED of a dive client, or the caller itself. */
struct client {
	pid_t pid;
	uid_t uid;
	gid_t gid;
	char user[64]; /* passwd name of uid, "" if unknown */
	int have_pw;   /* pw is uid's entry (read once per session) */
	struct pwent pw;
};

/* Who the program will run as. Resolved once per client (plan_identity)
 * in dived's own filesystem view, before any setns, chroot, pivot_root or
 * client root, so that no file of a client or container tree decides it;
 * applied at step 7 without a single lookup. */
struct ident {
	int change;     /* 0: uid, gid and groups stay (-P; justexec without
			   -u/-g/-e) */
	uid_t uid, euid;
	gid_t gid;
	int ngroups;    /* -1: keep the groups (justexec -e alone) */
	gid_t groups[PLAN_MAX_GROUPS];
	int have_pw;    /* pw is the passwd entry of the program's uid */
	struct pwent pw;
};

/* Handle a process-setup option (OPT_USER ... OPT_AUTH, OPT_PIDFILE).
 * Returns 1 if handled, 0 if the id is not a setup option. Bad values exit
 * EC_USAGE naming the option. */
int plan_option(struct plan *p, struct optstate *st, int id);
/* Cross-option checks after parsing (-g needs -u, -B with -b...). */
void plan_check(struct plan *p);

/* Once at start (dived, justexec): unshare namespaces, -tt maps. */
int plan_unshare(struct plan *p);
/* Step 1: setns files, write-content files, chdir/chroot/pivot_root. */
int plan_enter(const struct plan *p);
/* Step 4: authentication hook; 0 = admitted. */
int plan_auth(const struct plan *p, const struct client *c);
/* Resolve the identity (the lookups, before plan_enter). c: the client
 * (default identity), or NULL for justexec (identity changes only with
 * -u/-g/-e). */
int plan_identity(const struct plan *p, const struct client *c,
		  struct ident *id);
/* Steps 7-8: securebits, rlimits, bounding set, groups/gid/uid, caps,
 * ambient, no_new_privs. */
int plan_drop(const struct plan *p, const struct ident *id);
/* Write the pid to every -p file. */
int plan_pidfiles(const struct plan *p, pid_t pid);
/* Fill c->user and c->pw from c->uid ("" and have_pw 0 if unknown). */
void client_lookup_user(struct client *c);

#endif
