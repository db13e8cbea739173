/* auth.h — the authentication hook (CONFIG_FEATURE_AUTH). */
#ifndef DIVEBOX_AUTH_H
#define DIVEBOX_AUTH_H
#include "plan.h"

/* auth.c: CONFIG_FEATURE_AUTH */
int auth_run(const struct plan *p, const struct client *c);

#endif
