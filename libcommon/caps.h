/* caps.h — capabilities: -B/-b bounding set, -c sets, -m ambient
 * (CONFIG_FEATURE_CAPS, libcap-ng). */
#ifndef DIVEBOX_CAPS_H
#define DIVEBOX_CAPS_H
#include "plan.h"
#include <stdint.h>

#if ENABLED(CONFIG_FEATURE_CAPS)
int caps_parse_list(const char *list, uint64_t *mask);   /* "" = empty */
int caps_parse_text(struct plan *p, const char *text);
int caps_bounding(const struct plan *p);
int caps_apply(const struct plan *p);   /* sets + ambient */
#else
/* Compiled out, the parser refuses -B, -b, -c and -m (opts.c): no plan
 * changes a capability set, so there is nothing to apply. */
static inline int caps_parse_list(const char *list, uint64_t *mask)
{ (void)list; (void)mask; return fail("not in this build", (char *)0); }
static inline int caps_parse_text(struct plan *p, const char *text)
{ (void)p; (void)text; return fail("not in this build", (char *)0); }
static inline int caps_bounding(const struct plan *p) { (void)p; return 0; }
static inline int caps_apply(const struct plan *p) { (void)p; return 0; }
#endif

#endif
