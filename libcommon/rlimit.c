/* rlimit.c — -l R=HARD[:SOFT],... (setrlimit). */
#include "rlimit.h"
#if ENABLED(CONFIG_FEATURE_RLIMITS)
#include <string.h>
#include <sys/resource.h>

/* RLIMIT_* numbers differ between architectures: keep them symbolic. */
static const struct {
	char name[11];
	unsigned char res;
} rl_names[] = {
	{ "as", RLIMIT_AS },
	{ "core", RLIMIT_CORE },
	{ "cpu", RLIMIT_CPU },
	{ "data", RLIMIT_DATA },
	{ "fsize", RLIMIT_FSIZE },
	{ "locks", RLIMIT_LOCKS },
	{ "memlock", RLIMIT_MEMLOCK },
	{ "msgqueue", RLIMIT_MSGQUEUE },
	{ "nice", RLIMIT_NICE },
	{ "nofile", RLIMIT_NOFILE },
	{ "nproc", RLIMIT_NPROC },
	{ "rss", RLIMIT_RSS },
	{ "rtprio", RLIMIT_RTPRIO },
	{ "rttime", RLIMIT_RTTIME },
	{ "sigpending", RLIMIT_SIGPENDING },
	{ "stack", RLIMIT_STACK },
};

/* A name or a number below RLIM_NLIMITS; -1 if neither. */
static int res_parse(const char *s)
{
	unsigned v;
	for (unsigned i = 0; i < ARRAY_SIZE(rl_names); i++)
		if (!strcmp(s, rl_names[i].name))
			return rl_names[i].res;
	return parse_uint(s, RLIM_NLIMITS - 1, &v) ? -1 : (int)v;
}

static const char *res_name(int res, char *num)
{
	for (unsigned i = 0; i < ARRAY_SIZE(rl_names); i++)
		if (rl_names[i].res == res)
			return rl_names[i].name;
	return fmt_u(num, (unsigned)res);
}

static int val_parse(const char *s, rlim_t *v)
{
	unsigned long long n;
	if (!*s)
		return fail("missing limit in", (char *)0);
	if (!strcmp(s, "unlimited")) {
		*v = RLIM_INFINITY;
		return 0;
	}
	if (parse_ull(s, 10, RLIM_INFINITY - 1, &n))
		return fail("bad limit '", s, "' in", (char *)0);
	*v = (rlim_t)n;
	return 0;
}

/* item is one "R=HARD[:SOFT]", NUL-terminated and writable. */
static int item_parse(struct rlim_set *r, char *item)
{
	char *hard = strchr(item, '='), *soft;
	if (!hard)
		return fail("'", item, "' is not R=HARD[:SOFT] in", (char *)0);
	*hard++ = 0;
	if (!*item)
		return fail("missing resource name in", (char *)0);
	if ((r->resource = res_parse(item)) < 0)
		return fail("unknown resource '", item, "' in", (char *)0);
	soft = strchr(hard, ':');
	if (soft)
		*soft++ = 0;
	if (val_parse(hard, &r->lim.rlim_max))
		return -1;
	r->lim.rlim_cur = r->lim.rlim_max;
	if (soft && val_parse(soft, &r->lim.rlim_cur))
		return -1;
	if (r->lim.rlim_cur > r->lim.rlim_max)
		return fail("soft limit above hard limit in", (char *)0);
	return 0;
}

static int rlimit_item(const char *item, void *arg)
{
	struct plan *p = arg;
	char buf[256]; /* split_list's items are shorter */
	if (p->nrlimits >= PLAN_MAX_LIST)
		return fail("too many limits in", (char *)0);
	strjoin(buf, sizeof(buf), item, (char *)0);
	if (item_parse(&p->rlimits[p->nrlimits], buf))
		return -1;
	p->nrlimits++;
	return 0;
}

/* Messages end in "in" (split_list's name the list): the caller appends
 * the whole option value. */
int rlimit_parse(struct plan *p, const char *list)
{
	return split_list(list, rlimit_item, p);
}

int rlimit_apply(const struct plan *p)
{
	char num[24];
	for (unsigned i = 0; i < p->nrlimits; i++) {
		const struct rlim_set *r = &p->rlimits[i];
		if (setrlimit(r->resource, &r->lim))
			return fail_errno("setrlimit ",
					  res_name(r->resource, num), (char *)0);
	}
	return 0;
}
#endif
