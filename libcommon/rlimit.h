/* rlimit.h — -l resource limits (CONFIG_FEATURE_RLIMITS). */
#ifndef DIVEBOX_RLIMIT_H
#define DIVEBOX_RLIMIT_H
#include "plan.h"

#if ENABLED(CONFIG_FEATURE_RLIMITS)
int rlimit_parse(struct plan *p, const char *list); /* -1: bad, g_err set */
int rlimit_apply(const struct plan *p);
#else
/* Compiled out, the parser refuses -l (opts.c): no plan has limits. */
static inline int rlimit_parse(struct plan *p, const char *list)
{ (void)p; (void)list; return fail("not in this build", (char *)0); }
static inline int rlimit_apply(const struct plan *p) { (void)p; return 0; }
#endif

#endif
