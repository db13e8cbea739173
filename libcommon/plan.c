/* plan.c — option glue and the order of the launch plan (SPEC §3). */
#include "plan.h"
#include "auth.h"
#include "caps.h"
#include "fsroot.h"
#include "ns.h"
#include "rlimit.h"
#include "secbits.h"
#include "target.h"
#include "users.h"
#include <errno.h>
#include "pwdb.h"
#include <sched.h>
#include <string.h>
#include <unistd.h>

static void add_str(const struct optstate *st, const char **arr, unsigned *n,
		    const char *v)
{
	if (*n >= PLAN_MAX_LIST)
		opt_bad(st, "given too many times", NULL);
	arr[(*n)++] = v;
}

static int add_group(const char *g, void *arg)
{
	struct plan *p = arg;
	gid_t gid;
	if (users_parse_group(g, &gid))
		return fail("unknown group '", g, "'", (char *)0);
	for (unsigned i = 0; i < p->ngroups; i++)
		if (p->groups[i] == gid)
			return 0; /* -g G,G: once is enough */
	if (p->ngroups >= PLAN_MAX_GROUPS)
		return fail("too many groups", (char *)0);
	p->groups[p->ngroups++] = gid;
	return 0;
}

static int any_item(const char *item, void *arg)
{
	(void)item;
	(void)arg;
	return 0;
}

/* -u, -g, -e in dived's own databases, as they are parsed; a name inside
 * a --target container is looked up per client in its own files (so a
 * name unknown here is an error only without --target: plan_check). */
static void resolve_id(struct plan *p, const struct optstate *st, int id)
{
	const char *v = st->val[0];
	int r;
	if (id == OPT_USER)
		r = users_parse_user(v, &p->uid, &p->gid, &p->user_name);
	else if (id == OPT_EUSER)
		r = users_parse_user(v, &p->euid, NULL, NULL);
	else if (!(r = (p->ngroups = 0, split_list(v, add_group, p))))
		p->gid = p->groups[0];
	if (r && !p->target_pid && !*p->unresolved)
		strjoin(p->unresolved, sizeof(p->unresolved), st->name, ": ",
			id == OPT_GROUPS ? g_err : "unknown user '",
			id == OPT_GROUPS ? "" : v, id == OPT_GROUPS ? "" : "'",
			(char *)0);
}

int plan_option(struct plan *p, struct optstate *st, int id)
{
	const char *v = st->val[0];
	if (!opt_valid(id))
		return 0;
	switch (id) {
	case OPT_USER:
		p->user_arg = v;
		p->flags |= PL_HAVE_USER;
		resolve_id(p, st, id);
		break;
	case OPT_GROUPS:
		/* the list's form is checked here, --target or not: "-g ''"
		 * or "-g a," is refused, never a gid or a group fewer */
		if (split_list(v, any_item, NULL))
			opt_bad(st, g_err, v);
		p->groups_arg = v;
		p->flags |= PL_HAVE_GROUPS;
		resolve_id(p, st, id);
		break;
	case OPT_EUSER:
		p->euser_arg = v;
		p->flags |= PL_HAVE_EUSER;
		resolve_id(p, st, id);
		break;
	case OPT_NO_SETUID: p->flags |= PL_NO_SETUID; break;
	case OPT_NO_SETSID: p->flags |= PL_NO_SETSID; break;
	case OPT_NO_CSCTTY: p->flags |= PL_NO_CSCTTY; break;
	case OPT_LOCK_SECBITS: p->flags |= PL_LOCK_SECBITS; break;
	case OPT_NO_NEW_PRIVS: p->flags |= PL_NO_NEW_PRIVS; break;
	case OPT_CHDIR: p->chdir_dir = v; break;
	case OPT_PIDFILE: add_str(st, p->pidfiles, &p->npidfiles, v); break;
	case OPT_CHROOT: p->chroot_dir = v; break;
	case OPT_OUTSIDE_CWD: p->flags |= PL_OUTSIDE_CWD; break;
	case OPT_PIVOT_ROOT:
		p->pivot_new = v;
		p->pivot_old = st->val[1];
		break;
	case OPT_KEEP_OLD_ROOT: p->flags |= PL_KEEP_OLD_ROOT; break;
	case OPT_UNSHARE:
		if (ns_parse_list(v, &p->unshare_flags))
			opt_bad(st, g_err, v);
		break;
	case OPT_SETNS: add_str(st, p->setns_files, &p->nsetns, v); break;
	case OPT_TARGET: {
		unsigned pid;
		if (parse_uint(v, TARGET_PID_MAX, &pid) || !pid)
			opt_bad(st, "expected a process id, got", v);
		p->target_pid = (pid_t)pid;
		break;
	}
	case OPT_WRITE_CONTENT:
		if (p->nwrites >= PLAN_MAX_LIST)
			opt_bad(st, "given too many times", NULL);
		p->writes[p->nwrites].file = v;
		p->writes[p->nwrites++].text = st->val[1];
		break;
	case OPT_UIDGIDMAP: p->flags |= PL_UIDGIDMAP; break;
	case OPT_RLIMIT:
		if (rlimit_parse(p, v))
			opt_bad(st, g_err, v);
		break;
	case OPT_RETAIN_CAPS:
	case OPT_REMOVE_CAPS:
		if (caps_parse_list(v, &p->caps_bnd))
			opt_bad(st, g_err, v);
		p->flags |= id == OPT_RETAIN_CAPS ? PL_CAPS_RETAIN
						  : PL_CAPS_REMOVE;
		break;
	case OPT_SET_CAPS:
		if (caps_parse_text(p, v))
			opt_bad(st, g_err, v);
		p->flags |= PL_CAPS_SET;
		break;
	case OPT_AMBIENT_CAPS:
		if (caps_parse_list(v, &p->caps_amb))
			opt_bad(st, g_err, v);
		p->flags |= PL_CAPS_AMBIENT;
		break;
	case OPT_AUTH: p->auth_cmd = v; break;
	default:
		return 0;
	}
	return 1;
}

void plan_check(struct plan *p)
{
	if (*p->unresolved && !p->target_pid)
		die(EC_USAGE, p->unresolved, (char *)0);
	/* the process --target names now: a later one with its pid is not it */
	if (p->target_pid && !(p->target_start = target_start_time(p->target_pid))) {
		char num[24];
		die(EC_USAGE, "--target ", fmt_u(num, (unsigned)p->target_pid),
		    ": no such process", (char *)0);
	}
	if ((p->flags & PL_HAVE_GROUPS) && !(p->flags & PL_HAVE_USER))
		die(EC_USAGE, "--groups requires --user", (char *)0);
	if ((p->flags & PL_CAPS_RETAIN) && (p->flags & PL_CAPS_REMOVE))
		die(EC_USAGE, "--retain-capabilities and --remove-capabilities"
		    " are incompatible", (char *)0);
	if (p->chroot_dir && p->pivot_new)
		die(EC_USAGE, "--chroot and --pivot-root are incompatible",
		    (char *)0);
	if ((p->flags & PL_UIDGIDMAP) && !(p->unshare_flags & CLONE_NEWUSER))
		die(EC_USAGE, "--setup-uidgidmap (-tt) needs --unshare user",
		    (char *)0);
	ns_check_files(p);
	if ((p->flags & PL_NO_SETUID) &&
	    (p->flags & (PL_HAVE_USER | PL_HAVE_GROUPS | PL_HAVE_EUSER)))
		die(EC_USAGE, "--no-setuid conflicts with --user, --groups and "
		    "--effective-user", (char *)0);
}

int plan_unshare(struct plan *p)
{
	if (p->unshare_flags || (p->flags & PL_UIDGIDMAP))
		return ns_unshare(p);
	return 0;
}

int plan_enter(const struct plan *p)
{
	if ((p->target_pid && target_enter()) || ns_setns_all(p) ||
	    ns_write_contents(p))
		return -1;
	return fsroot_enter(p);
}

int plan_auth(const struct plan *p, const struct client *c)
{
	return p->auth_cmd ? auth_run(p, c) : 0;
}

int plan_identity(const struct plan *p, const struct client *c,
		  struct ident *id)
{
	if (p->target_pid && target_prepare(p->target_pid, p->target_start))
		return -1;
	return users_resolve(p, c, id);
}

int plan_drop(const struct plan *p, const struct ident *id)
{
	if ((p->flags & PL_LOCK_SECBITS) && secbits_lock())
		return -1;
	if (rlimit_apply(p))
		return -1;
	if (caps_bounding(p))
		return -1;
	if (users_apply(id))
		return -1;
	if (caps_apply(p))
		return -1;
	if ((p->flags & PL_NO_NEW_PRIVS) && no_new_privs())
		return -1;
	return 0;
}

int plan_pidfiles(const struct plan *p, pid_t pid)
{
	char num[24];
	strjoin(num + strlen(fmt_u(num, (unsigned long long)pid)), 2, "\n",
		(char *)0);
	for (unsigned i = 0; i < p->npidfiles; i++) {
		int r = write_file(p->pidfiles[i], num);
		/* cgroup.procs/tasks read the pid in the writer's pid
		 * namespace: inside -s pid ours means nothing there, but
		 * "0" always means "the writer" */
		if (r && errno == ESRCH)
			r = write_file(p->pidfiles[i], "0\n");
		if (r)
			return fail_errno("pidfile ", p->pidfiles[i], (char *)0);
	}
	return 0;
}

void client_lookup_user(struct client *c)
{
	c->user[0] = 0;
	c->have_pw = !pwdb_user_uid(c->uid, &c->pw) && c->pw.uid == c->uid;
	if (c->have_pw)
		strjoin(c->user, sizeof(c->user), c->pw.name, (char *)0);
}
