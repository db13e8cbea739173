/* auth.h — the authentication hook (CONFIG_FEATURE_AUTH). */
#ifndef DIVEBOX_AUTH_H
#define DIVEBOX_AUTH_H
#include "plan.h"

#if ENABLED(CONFIG_FEATURE_AUTH)
int auth_run(const struct plan *p, const struct client *c);
#else
/* Compiled out, the parser refuses -a (opts.c), so no plan has a hook to
 * run (plan_auth never calls this); were one there, nobody is admitted. */
static inline int auth_run(const struct plan *p, const struct client *c)
{ (void)p; (void)c; return -1; }
#endif

#endif
