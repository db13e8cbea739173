/* caps.h — capabilities: -B/-b bounding set, -c sets, -m ambient
 * (CONFIG_FEATURE_CAPS, libcap-ng). */
#ifndef DIVEBOX_CAPS_H
#define DIVEBOX_CAPS_H
#include "plan.h"
#include <stdint.h>

/* caps.c: CONFIG_FEATURE_CAPS (libcap-ng) */
int caps_parse_list(const char *list, uint64_t *mask);   /* "" = empty */
int caps_parse_text(struct plan *p, const char *text);
int caps_bounding(const struct plan *p);
int caps_apply(const struct plan *p);   /* sets + ambient */

#endif
