/* ns.h — namespaces: -s (unshare at start), -N (setns per client), -t
 * (write files) (CONFIG_FEATURE_NAMESPACES). */
#ifndef DIVEBOX_NS_H
#define DIVEBOX_NS_H
#include "plan.h"

#if ENABLED(CONFIG_FEATURE_NAMESPACES)
#define NS_KINDS 8
struct ns_kind {
	char name[7]; /* in /proc/PID/ns */
	int flag;     /* CLONE_NEW* */
};
extern const struct ns_kind ns_kinds[NS_KINDS]; /* user first, mnt last */

int ns_parse_list(const char *list, int *flags);
int ns_unshare(struct plan *p);
int ns_setns_all(const struct plan *p);
void ns_check_files(struct plan *p); /* at start: exit 4 on a bad -N */
int ns_write_contents(const struct plan *p);
#else
/* Compiled out, the parser refuses -s, -N, -t and -tt (naming the
 * CONFIG_ symbol, opts.c): a plan never holds any, so there is nothing to
 * apply; a list that reached the parser anyway is refused. */
static inline int ns_parse_list(const char *list, int *flags)
{ (void)list; (void)flags; return fail("not in this build", (char *)0); }
static inline int ns_unshare(struct plan *p) { (void)p; return 0; }
static inline int ns_setns_all(const struct plan *p) { (void)p; return 0; }
static inline void ns_check_files(struct plan *p) { (void)p; }
static inline int ns_write_contents(const struct plan *p)
{ (void)p; return 0; }
#endif

#endif
