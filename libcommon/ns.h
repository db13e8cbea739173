/* ns.h — namespaces: -s (unshare at start), -N (setns per client), -t
 * (write files) (CONFIG_FEATURE_NAMESPACES). */
#ifndef DIVEBOX_NS_H
#define DIVEBOX_NS_H
#include "plan.h"

/* ns.c: CONFIG_FEATURE_NAMESPACES */
int ns_parse_list(const char *list, int *flags);
int ns_unshare(struct plan *p);
int ns_setns_all(const struct plan *p);
void ns_check_files(struct plan *p); /* at start: exit 4 on a bad -N */
int ns_write_contents(const struct plan *p);

#endif
