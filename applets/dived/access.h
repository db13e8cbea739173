/* access.h — --allow-user / --allow-group (CONFIG_FEATURE_ACCESS). */
#ifndef DIVEBOX_ACCESS_H
#define DIVEBOX_ACCESS_H
#include "server.h"

/* access.c (CONFIG_FEATURE_ACCESS): --allow-user/--allow-group for the
 * client on conn; 0 = admitted, else -1 and the reason in g_err. */
#if ENABLED(CONFIG_FEATURE_ACCESS)
int access_check(const struct server *sv, const struct client *cl, int conn);
/* Is a number of the "Key:" line of a /proc/PID/status text in ids[]?
 * For access.c and its fuzzer. */
int access_status_line(const char *text, const char *key,
		       const unsigned *ids, unsigned n);
#else
static inline int access_check(const struct server *sv,
			       const struct client *cl, int conn)
{
	(void)sv; (void)cl; (void)conn;
	return 0;
}
#endif

#endif
