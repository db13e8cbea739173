/* caps.c — capabilities: -B/-b (bounding set), -c (process sets), -m
 * (ambient set). The only user of libcap-ng, and only for its table of
 * capability names; the sets themselves are plain prctl/capset calls.
 * Messages name capabilities by number: capng_capability_to_name would
 * pull in asprintf, i.e. all of printf (~8 KB), for error messages. */
#include "plan.h"
#if ENABLED(CONFIG_FEATURE_CAPS)
#include <cap-ng.h>
#include <ctype.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define CAP_SETS (PL_CAPS_SET | PL_CAPS_AMBIENT)

/* One capability: a name with or without "cap_", any case, or a number.
 * name receives the item (lowercased) for messages. -1 if unknown. */
static int cap_parse(const char *s, size_t len, char name[32])
{
	unsigned v;
	size_t i;
	int c;

	for (i = 0; i < len && i < 31; i++)
		name[i] = (char)tolower((unsigned char)s[i]);
	name[i] = 0;
	if (len > 31)
		return -1;
	if (!parse_uint(name, CAP_LAST_CAP, &v))
		return (int)v;
	/* libcap-ng knows the bare lowercase names only */
	c = capng_name_to_capability(name + 4 * startswith(name, "cap_"));
	return c <= CAP_LAST_CAP ? c : -1;
}

/* Messages end in "in": the caller appends the whole option value. */
int caps_parse_list(const char *list, uint64_t *mask)
{
	char name[32];
	const char *s = list;
	if (!*s)
		return 0; /* "" is the empty set */
	for (;;) {
		size_t len = strcspn(s, ",");
		int c = cap_parse(s, len, name);
		if (c < 0)
			return fail("unknown capability '", name, "' in",
				    (char *)0);
		*mask |= 1ULL << c;
		if (!s[len])
			return 0;
		s += len + 1;
	}
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
	for (unsigned c = 0; c < 64; c++) {
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
	else if (caps_parse_list(cl, &caps))
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
	char num[24];
	uint64_t now = bounding_set(), drop = now & p->caps_bnd;
	if (p->flags & PL_CAPS_RETAIN)
		drop = now & ~p->caps_bnd;
	for (unsigned c = 0; c < 64; c++)
		if ((drop >> c & 1) && prctl(PR_CAPBSET_DROP, c, 0, 0, 0))
			return fail_errno("drop capability ", fmt_u(num, c),
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
	char num[24];
	if ((p->flags & PL_CAPS_SET) && set_caps(p))
		return -1;
	for (unsigned c = 0; c < 64; c++)
		if ((p->caps_amb >> c & 1) &&
		    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, c, 0, 0))
			return fail_errno("raise capability ", fmt_u(num, c),
					  " in the ambient set (it must be "
					  "permitted and inheritable: see -c)",
					  (char *)0);
	if ((p->flags & CAP_SETS) && prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0))
		return fail_errno("PR_SET_KEEPCAPS", (char *)0);
	return 0;
}
#endif
