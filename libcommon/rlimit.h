/* rlimit.h — -l resource limits (CONFIG_FEATURE_RLIMITS). */
#ifndef DIVEBOX_RLIMIT_H
#define DIVEBOX_RLIMIT_H
#include "plan.h"

/* rlimit.c: CONFIG_FEATURE_RLIMITS */
int rlimit_parse(struct plan *p, const char *list); /* -1: bad, g_err set */
int rlimit_apply(const struct plan *p);

#endif
