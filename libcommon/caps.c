/* caps.c — capabilities: -B/-b (bounding set), -c (process sets), -m
 * (ambient set). Plain prctl/capset calls; libcap-ng (the only user of
 * it) reads the names, so they follow the library the binary was built
 * with. Messages name capabilities too, and libcap-ng's number-to-name
 * call would pull in asprintf, i.e. all of printf (~8 KB): they use the
 * short table below, which only ever prints. */
#include "caps.h"
#if ENABLED(CONFIG_FEATURE_CAPS)
#include <cap-ng.h>
#include <ctype.h>
#include <linux/capability.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define CAP_SETS (PL_CAPS_SET | PL_CAPS_AMBIENT)

/* For messages only: the kernel's names without "cap_", by number
 * (linux/capability.h), NUL-separated: 41 pointers would cost more. */
static const char cap_names[] =
	"chown\0dac_override\0dac_read_search\0fowner\0fsetid\0kill\0"
	"setgid\0setuid\0setpcap\0linux_immutable\0net_bind_service\0"
	"net_broadcast\0net_admin\0net_raw\0ipc_lock\0ipc_owner\0"
	"sys_module\0sys_rawio\0sys_chroot\0sys_ptrace\0sys_pacct\0"
	"sys_admin\0sys_boot\0sys_nice\0sys_resource\0sys_time\0"
	"sys_tty_config\0mknod\0lease\0audit_write\0audit_control\0"
	"setfcap\0mac_override\0mac_admin\0syslog\0wake_alarm\0"
	"block_suspend\0audit_read\0perfmon\0bpf\0checkpoint_restore\0";
#define NAMED_CAPS 41u
/* numbers also reach capabilities of headers newer than this table */
#define LAST_CAP (CAP_LAST_CAP > NAMED_CAPS - 1 ? CAP_LAST_CAP : NAMED_CAPS - 1)

/* "cap_net_raw", or "capability 41" past the table; buf of 32 bytes. */
static const char *cap_name(unsigned c, char buf[32])
{
	const char *n = cap_names;
	char num[24];
	if (c >= NAMED_CAPS) {
		strjoin(buf, 32, "capability ", fmt_u(num, c), (char *)0);
		return buf;
	}
	while (c--)
		n += strlen(n) + 1;
	strjoin(buf, 32, "cap_", n, (char *)0);
	return buf;
}

/* One capability: a name with or without "cap_", any case, or a number.
 * -1 if unknown. */
static int cap_parse(const char *item)
{
	char name[32];
	size_t i;
	unsigned v;
	for (i = 0; item[i] && i < sizeof(name) - 1; i++)
		name[i] = (char)tolower((unsigned char)item[i]);
	name[i] = 0;
	if (item[i])
		return -1;
	if (!parse_uint(name, LAST_CAP, &v))
		return (int)v;
	/* libcap-ng knows the bare lowercase names only */
	int c = capng_name_to_capability(name + 4 * startswith(name, "cap_"));
	return c >= 0 && c <= (int)LAST_CAP ? c : -1;
}

struct caplist {
	uint64_t *mask;
	const char *whole; /* the option's value, if this list is all of it */
};

static int cap_item(const char *item, void *arg)
{
	struct caplist *l = arg;
	int c = cap_parse(item);
	if (c >= 0) {
		*l->mask |= 1ULL << c;
		return 0;
	}
	/* opt_bad appends the option's value: do not say it twice */
	if (l->whole && !strcmp(item, l->whole))
		return fail("unknown capability", (char *)0);
	return fail("unknown capability '", item, "' in", (char *)0);
}

static int parse_list(const char *list, uint64_t *mask, const char *whole)
{
	struct caplist l = { mask, whole };
	if (!*list)
		return 0; /* "" is the empty set: -B '' drops all */
	return split_list(list, cap_item, &l) ? -1 : 0;
}

/* Messages end in "in" (or name nothing): the caller appends the whole
 * option value. */
int caps_parse_list(const char *list, uint64_t *mask)
{
	return parse_list(list, mask, list);
}

/* The "+eip" parts after the caps of one clause: = sets exactly these
 * flags, + adds, - removes. */
static int clause_ops(struct plan *p, char *op, uint64_t caps)
{
	static const char flags[] = "eip";
	uint64_t *sets[3] = { &p->caps_eff, &p->caps_inh, &p->caps_prm };
	while (*op) {
		char o = *op++;
		unsigned fl = 0;
		for (; *op && !strchr("=+-", *op); op++) {
			const char *f = strchr(flags, *op);
			if (!f)
				return fail("bad flag (not e, i or p) in",
					    (char *)0);
			fl |= 1u << (f - flags);
		}
		if (o != '=' && !fl)
			return fail("'", (char[]){ o, 0 }, "' without flags in",
				    (char *)0);
		for (int i = 0; i < 3; i++) {
			unsigned on = fl >> i & 1;
			if (o == '=' || (o == '-' && on))
				*sets[i] &= ~caps;
			if (o != '-' && on)
				*sets[i] |= caps;
		}
	}
	return 0;
}

/* The bounding set now. "all" in -c means these: no process here can have
 * any other, so "=ep" works in a container that lacks some. */
static uint64_t bounding_set(void)
{
	uint64_t m = 0;
	for (unsigned c = 0; c < PLAN_CAPS; c++) {
		int r = prctl(PR_CAPBSET_READ, c, 0, 0, 0);
		if (r < 0)
			break; /* past the kernel's last capability */
		m |= (uint64_t)(r > 0) << c;
	}
	return m;
}

/* "CAPS OPS": CAPS a list, or "" / "all" for every capability. */
static int clause(struct plan *p, char *cl)
{
	char *op = cl + strcspn(cl, "=+-");
	uint64_t caps = 0;
	char o = *op;
	if (!o)
		return fail("'", cl, "' has no =, + or - in", (char *)0);
	*op = 0;
	if (!*cl || !strcasecmp(cl, "all"))
		caps = bounding_set();
	else if (parse_list(cl, &caps, NULL))
		return -1;
	*op = o;
	return clause_ops(p, op, caps);
}

/* Like cap_from_text(3): the sets start empty (a later -c replaces an
 * earlier one), clauses apply in order. The kernel keeps effective within
 * permitted, so text that asks otherwise could never be applied. */
int caps_parse_text(struct plan *p, const char *text)
{
	char buf[1024], *save = NULL;
	if (strlen(text) >= sizeof(buf))
		return fail("too long:", (char *)0);
	strcpy(buf, text);
	p->caps_eff = p->caps_prm = p->caps_inh = 0;
	for (char *cl = strtok_r(buf, " \t\n", &save); cl;
	     cl = strtok_r(NULL, " \t\n", &save))
		if (clause(p, cl))
			return -1;
	if (p->caps_eff & ~p->caps_prm)
		return fail("effective capabilities must be permitted too (+ep)"
			    " in", (char *)0);
	return 0;
}

/* -B keeps only caps_bnd, -b drops it. Capabilities already out of the
 * bounding set are left alone, so dropping them needs no privilege. */
static int drop_bounding(const struct plan *p)
{
	char name[32];
	uint64_t now = bounding_set(), drop = now & p->caps_bnd;
	if (p->flags & PL_CAPS_RETAIN)
		drop = now & ~p->caps_bnd;
	for (unsigned c = 0; c < PLAN_CAPS; c++)
		if ((drop >> c & 1) && prctl(PR_CAPBSET_DROP, c, 0, 0, 0))
			return fail_errno("drop ", cap_name(c, name),
					  " from the bounding set", (char *)0);
	return 0;
}

/* Step 7, before the identity change. */
int caps_bounding(const struct plan *p)
{
	if ((p->flags & (PL_CAPS_RETAIN | PL_CAPS_REMOVE)) &&
	    drop_bounding(p))
		return -1;
	/* setuid from root to another user empties the permitted set; -c and
	 * -m need it until caps_apply has set what the program keeps */
	if ((p->flags & CAP_SETS) && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0))
		return fail_errno("PR_SET_KEEPCAPS", (char *)0);
	return 0;
}

/* Exactly the parsed sets, like cap_set_proc(3). */
static int set_caps(const struct plan *p)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	for (int i = 0; i < 2; i++) {
		d[i].effective = (uint32_t)(p->caps_eff >> 32 * i);
		d[i].permitted = (uint32_t)(p->caps_prm >> 32 * i);
		d[i].inheritable = (uint32_t)(p->caps_inh >> 32 * i);
	}
	if (syscall(SYS_capset, &h, d))
		return fail_errno("set capabilities", (char *)0);
	return 0;
}

/* Step 8, after the identity change. */
int caps_apply(const struct plan *p)
{
	char name[32];
	if ((p->flags & PL_CAPS_SET) && set_caps(p))
		return -1;
	for (unsigned c = 0; c < PLAN_CAPS; c++)
		if ((p->caps_amb >> c & 1) &&
		    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, c, 0, 0))
			return fail_errno("raise ", cap_name(c, name),
					  " in the ambient set (it must be "
					  "permitted and inheritable: see -c)",
					  (char *)0);
	if ((p->flags & CAP_SETS) && prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0))
		return fail_errno("PR_SET_KEEPCAPS", (char *)0);
	return 0;
}
#endif
