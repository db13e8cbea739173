/* users.c — user/group names and the identity step (groups, gid, uid).
 *
 * Each change is made only when it differs from what the process already
 * has: a non-root dived serving its own user then works, while any change
 * it is not allowed to make fails closed (the client is refused). */
#include "plan.h"
#include <errno.h>
#include <grp.h> /* setgroups (glibc) */
#include "pwdb.h"
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

/* The groups initgroups(3) would set, without setting them. */
static int user_groups(const char *name, gid_t gid, gid_t *list, int *n)
{
	if (!name) {
		list[0] = gid;
		*n = 1;
		return 0;
	}
	if (pwdb_grouplist(name, gid, list, n))
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

#ifdef DIVEBOX_TINY_MALLOC
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
 * program then keeps dived's, which that user's processes have anyway. */
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
	    !(errno == EPERM && already(uid, euid, gid)))
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

/* The target's passwd entry: by -u's name if given (it decides the
 * groups), else by uid. Missing is not an error here. */
static void target_entry(struct ident *id, const char *name)
{
	id->have_pw = !(name ? pwdb_user_name(name, &id->pw)
			     : pwdb_user_uid(id->uid, &id->pw)) &&
		      id->pw.uid == id->uid;
}

int users_resolve(const struct plan *p, const struct client *c,
		  struct ident *id)
{
	const char *name = NULL;
	char num[24];

	memset(id, 0, sizeof(*id));
	id->ngroups = PLAN_MAX_GROUPS;
	id->change = !(p->flags & PL_NO_SETUID) &&
		     (c || (p->flags & (PL_HAVE_USER | PL_HAVE_GROUPS |
					PL_HAVE_EUSER)));
	if (!id->change) {
		id->uid = id->euid = geteuid();
		id->gid = getegid();
		target_entry(id, NULL);
		return 0;
	}
	if (p->flags & PL_HAVE_USER) {
		id->uid = p->uid;
		id->gid = p->gid;
		name = p->user_name;
	} else if (c) {
		id->uid = c->uid;
		id->gid = c->gid;
		name = c->user[0] ? c->user : NULL;
	} else {
		id->uid = getuid();
		id->gid = getgid();
		id->ngroups = -1; /* only -e: keep the groups */
	}
	target_entry(id, name);
	if (id->gid == (gid_t)-1 && !(p->flags & PL_HAVE_GROUPS)) {
		if (!id->have_pw)
			return fail("uid ", fmt_u(num, id->uid),
				    ": no passwd entry; give its groups"
				    " with --groups", (char *)0);
		id->gid = id->pw.gid;
	}
	if (!name && id->have_pw)
		name = id->pw.name;
	id->euid = (p->flags & PL_HAVE_EUSER) ? p->euid : id->uid;
	if (p->flags & PL_HAVE_GROUPS) {
		memcpy(id->groups, p->groups, p->ngroups * sizeof(gid_t));
		id->ngroups = (int)p->ngroups;
		id->gid = p->groups[0];
	} else if (id->ngroups >= 0 &&
		   user_groups(name, id->gid, id->groups, &id->ngroups)) {
		return -1;
	}
	return 0;
}

int users_apply(const struct ident *id)
{
	if (!id->change)
		return 0;
	return set_ids(id->groups, id->ngroups, id->gid, id->uid, id->euid);
}
