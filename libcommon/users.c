/* users.c — user/group names and the identity step (groups, gid, uid).
 *
 * Each change is made only when it differs from what the process already
 * has: a non-root dived serving its own user then works, while any change
 * it is not allowed to make fails closed (the client is refused). */
#include "users.h"
#include "target.h"
#include <errno.h>
#include <grp.h> /* setgroups (glibc) */
#include "pwdb.h"
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int users_parse_user(const char *s, uid_t *uid, gid_t *gid, const char **name)
{
	unsigned v;
	if (!parse_uint(s, 0xfffffffeu, &v)) {
		*uid = v;
		if (gid)
			*gid = (gid_t)-1; /* looked up when applied */
		if (name)
			*name = NULL;
		return 0;
	}
	struct pwent pw;
	if (pwdb_user_name(s, &pw))
		return -1;
	*uid = pw.uid;
	if (gid)
		*gid = pw.gid;
	if (name)
		*name = s;
	return 0;
}

int users_parse_group(const char *s, gid_t *gid)
{
	unsigned v;
	if (!parse_uint(s, 0xfffffffeu, &v)) {
		*gid = v;
		return 0;
	}
	return pwdb_group_name(s, gid);
}

static int find_grouplist(int root, const char *user, gid_t gid,
			  gid_t *list, int *n);

/* The groups initgroups(3) would set, without setting them. */
static int user_groups(int root, const char *name, gid_t gid, gid_t *list,
		       int *n)
{
	if (!name) {
		list[0] = gid;
		*n = 1;
		return 0;
	}
	if (find_grouplist(root, name, gid, list, n))
		return fail("user ", name, ": too many groups", (char *)0);
	return 0;
}

static int has(const gid_t *list, int n, gid_t g)
{
	for (int i = 0; i < n; i++)
		if (list[i] == g)
			return 1;
	return 0;
}

/* The same set of groups (a list may repeat one: -g G,G). */
static int same_groups(const gid_t *list, int n)
{
	gid_t cur[PLAN_MAX_GROUPS];
	int m = getgroups(PLAN_MAX_GROUPS, cur);
	if (m < 0)
		return 0;
	for (int i = 0; i < n; i++)
		if (!has(cur, m, list[i]))
			return 0;
	for (int j = 0; j < m; j++)
		if (!has(list, n, cur[j]))
			return 0;
	return 1;
}

#ifdef DIVEBOX_LEAN_LIBC
/* musl's set*id() broadcast to every thread (__synccall, ~1.5 KB and a
 * few µs); divebox is single-threaded, so the system calls are enough. */
#include <sys/syscall.h>
#ifdef SYS_setgroups32 /* 32-bit ids on i386 and arm */
#define SYS_SETGROUPS SYS_setgroups32
#define SYS_SETRESGID SYS_setresgid32
#define SYS_SETRESUID SYS_setresuid32
#else
#define SYS_SETGROUPS SYS_setgroups
#define SYS_SETRESGID SYS_setresgid
#define SYS_SETRESUID SYS_setresuid
#endif
#define setgroups(n, l) syscall(SYS_SETGROUPS, n, l)
#define setresgid(r, e, s) syscall(SYS_SETRESGID, r, e, s)
#define setresuid(r, e, s) syscall(SYS_SETRESUID, r, e, s)
#endif

/* An unprivileged dived serving its own user cannot set groups: the
 * program then keeps dived's, which that user's processes have anyway.
 * Nor can anyone in a user namespace whose setgroups is "deny" (a
 * rootless container): --target cleared the groups before joining it,
 * and no groups at all is less, never more. */
static int already(uid_t uid, uid_t euid, gid_t gid)
{
	uid_t r, e, s;
	gid_t rg, eg, sg;
	return !getresuid(&r, &e, &s) && r == uid && e == euid && s == euid &&
	       !getresgid(&rg, &eg, &sg) && rg == gid && eg == gid && sg == gid;
}

static int set_ids(const gid_t *groups, int n, gid_t gid, uid_t uid,
		   uid_t euid)
{
	uid_t r, e, s;
	gid_t rg, eg, sg;
	char num[24];

	if (n >= 0 && !same_groups(groups, n) && setgroups((size_t)n, groups) &&
	    !(errno == EPERM && (already(uid, euid, gid) ||
				 getgroups(0, NULL) == 0)))
		return fail_errno("setgroups", (char *)0);
	if (getresgid(&rg, &eg, &sg) ||
	    ((rg != gid || eg != gid || sg != gid) &&
	     setresgid(gid, gid, gid)))
		return fail_errno("setgid ", fmt_u(num, gid), (char *)0);
	if (getresuid(&r, &e, &s) ||
	    ((r != uid || e != euid || s != euid) &&
	     setresuid(uid, euid, euid)))
		return fail_errno("setuid ", fmt_u(num, uid), (char *)0);
	/* paranoia: never run the program under an identity we did not ask */
	if (getresuid(&r, &e, &s) || r != uid || e != euid || s != euid ||
	    getresgid(&rg, &eg, &sg) || rg != gid || eg != gid)
		return fail("identity change did not stick", (char *)0);
	return 0;
}

/* The databases: dived's own (root -1: the C library's lookups, NSS
 * with glibc) or a --target container's files, through the bounded
 * parser only, beneath its root. 0 if found. */
static int find_user(int root, const char *name, uid_t uid, struct pwent *pw)
{
	if (root < 0)
		return name ? pwdb_user_name(name, pw) : pwdb_user_uid(uid, pw);
	char *db = pwdb_read(root, "/etc/passwd");
	int r = db ? pwdb_parse_user(db, name, uid, pw) : -1;
	free(db);
	return r;
}

static int find_group(int root, const char *name, gid_t *gid)
{
	unsigned v;
	if (!parse_uint(name, 0xfffffffeu, &v)) {
		*gid = v;
		return 0;
	}
	if (root < 0)
		return pwdb_group_name(name, gid);
	char *db = pwdb_read(root, "/etc/group");
	int r = db ? pwdb_parse_group(db, name, gid) : -1;
	free(db);
	return r;
}

static int find_grouplist(int root, const char *user, gid_t gid,
			  gid_t *list, int *n)
{
	if (root < 0)
		return pwdb_grouplist(user, gid, list, n);
	char *db = pwdb_read(root, "/etc/group");
	int r = db ? pwdb_parse_grouplist(db, user, gid, list, n) : -1;
	if (!db) { /* no group file in there: the primary group alone */
		list[0] = gid;
		*n = 1;
		r = 0;
	}
	free(db);
	return r;
}

/* USER: a number, or a name in the databases of root */
static int find_id(int root, const char *s, uid_t *uid, gid_t *gid,
		   const char **name)
{
	static struct pwent pw; /* the name outlives the call */
	unsigned v;
	if (!parse_uint(s, 0xfffffffeu, &v)) {
		*uid = v;
		*gid = (gid_t)-1;
		*name = NULL;
		return 0;
	}
	if (find_user(root, s, 0, &pw))
		return fail("unknown user '", s, "'", root >= 0 ?
			    " in the target's /etc/passwd" : "", (char *)0);
	*uid = pw.uid;
	*gid = pw.gid;
	*name = pw.name;
	return 0;
}

/* The target's passwd entry: by -u's name if given (it decides the
 * groups), else by uid. Missing is not an error here. */
static void target_entry(struct ident *id, int root, const char *name)
{
	id->have_pw = !find_user(root, name, id->uid, &id->pw) &&
		      id->pw.uid == id->uid;
}

struct target_groups {
	struct ident *id;
	int root;
	int named; /* the item was refused, not the list */
};

static int target_group(const char *name, void *arg)
{
	struct target_groups *t = arg;
	t->named = 1;
	if (t->id->ngroups >= PLAN_MAX_GROUPS)
		return fail("too many groups", (char *)0);
	if (find_group(t->root, name, &t->id->groups[t->id->ngroups]))
		return fail("unknown group '", name,
			    "' in the target's /etc/group", (char *)0);
	t->id->ngroups++;
	t->named = 0;
	return 0;
}

/* -g with --target is looked up per client in the target's files; at
 * start only dived's were tried. The list fails closed as split_list has
 * it: "-g ''" or "-g a," is refused, not a gid or a group fewer. */
static int groups_of(struct ident *id, int root, const struct plan *p,
		     const char *name)
{
	if (!(p->flags & PL_HAVE_GROUPS))
		return id->ngroups >= 0 &&
		       user_groups(root, name, id->gid, id->groups, &id->ngroups);
	if (root < 0) { /* resolved at start */
		memcpy(id->groups, p->groups, p->ngroups * sizeof(gid_t));
		id->ngroups = (int)p->ngroups;
	} else {
		struct target_groups t = { id, root, 0 };
		id->ngroups = 0;
		if (split_list(p->groups_arg, target_group, &t))
			return t.named ? -1 : fail("--groups: bad list",
						   (char *)0);
	}
	id->gid = id->groups[0];
	return 0;
}

/* --target with the client's own identity: its uid, gid and (dived's
 * idea of its) groups as the target's user namespace maps them; a group
 * without a mapping is left out, a uid or gid without one is refused. */
static int translate(struct ident *id)
{
	char num[24];
	int k = 0;
	if (target_uid(id->uid, &id->uid))
		return fail("uid ", fmt_u(num, id->uid), " has no mapping in"
			    " the target's user namespace (dived --user names"
			    " one inside)", (char *)0);
	if (target_gid(id->gid, &id->gid))
		return fail("gid ", fmt_u(num, id->gid), " has no mapping in"
			    " the target's user namespace", (char *)0);
	for (int i = 0; i < id->ngroups; i++)
		if (!target_gid(id->groups[i], &id->groups[k]))
			k++;
	id->ngroups = k;
	if (!k || id->groups[0] != id->gid) { /* the primary one first */
		memmove(id->groups + 1, id->groups,
			(size_t)(k < PLAN_MAX_GROUPS ? k : k - 1) * sizeof(gid_t));
		id->groups[0] = id->gid;
		id->ngroups = k < PLAN_MAX_GROUPS ? k + 1 : k;
	}
	return 0;
}

int users_resolve(const struct plan *p, const struct client *c,
		  struct ident *id)
{
	const char *name = NULL;
	char num[24];
	int root = -1;

	if (p->target_pid)
		root = target_root();
	memset(id, 0, sizeof(*id));
	id->ngroups = PLAN_MAX_GROUPS;
	id->change = !(p->flags & PL_NO_SETUID) &&
		     (c || (p->flags & (PL_HAVE_USER | PL_HAVE_GROUPS |
					PL_HAVE_EUSER)));
	if (!id->change) {
		id->uid = id->euid = geteuid();
		id->gid = getegid();
		target_entry(id, -1, NULL);
		return 0;
	}
	if (p->flags & PL_HAVE_USER) {
		id->uid = p->uid;
		id->gid = p->gid;
		name = p->user_name;
		if (root >= 0 &&
		    find_id(root, p->user_arg, &id->uid, &id->gid, &name))
			return -1;
	} else if (c) {
		id->uid = c->uid;
		id->gid = c->gid;
		name = c->user[0] ? c->user : NULL;
	} else {
		id->uid = getuid();
		id->gid = getgid();
		id->ngroups = -1; /* only -e: keep the groups */
	}
	if (root >= 0 && !(p->flags & PL_HAVE_USER)) {
		/* the client's groups from dived's databases, then mapped */
		if (user_groups(-1, name, id->gid, id->groups, &id->ngroups) ||
		    translate(id))
			return -1;
		name = NULL;
		target_entry(id, root, NULL);
	} else if (root < 0 && !(p->flags & PL_HAVE_USER) && c && c->have_pw) {
		/* the client's own entry, read a moment ago in this session */
		id->pw = c->pw;
		id->have_pw = 1;
	} else {
		target_entry(id, root, name);
	}
	if (id->gid == (gid_t)-1 && !(p->flags & PL_HAVE_GROUPS)) {
		if (!id->have_pw)
			return fail("uid ", fmt_u(num, id->uid),
				    ": no passwd entry; give its groups"
				    " with --groups", (char *)0);
		id->gid = id->pw.gid;
	}
	if (!name && id->have_pw)
		name = id->pw.name;
	id->euid = id->uid;
	if (p->flags & PL_HAVE_EUSER) {
		gid_t ignored;
		const char *n2;
		id->euid = p->euid;
		if (root >= 0 &&
		    find_id(root, p->euser_arg, &id->euid, &ignored, &n2))
			return -1;
	}
	if (root >= 0 && !(p->flags & PL_HAVE_USER) &&
	    !(p->flags & PL_HAVE_GROUPS))
		return 0; /* the translated groups */
	return groups_of(id, root, p, name);
}

int users_apply(const struct ident *id)
{
	if (!id->change)
		return 0;
	return set_ids(id->groups, id->ngroups, id->gid, id->uid, id->euid);
}
