/* users.h — who the program runs as: -u/-g/-e and the client's identity, resolved
 * before any setns or chroot (users_resolve), applied at step 7. */
#ifndef DIVEBOX_USERS_H
#define DIVEBOX_USERS_H
#include "plan.h"

/* users.c (always) */
int users_parse_user(const char *s, uid_t *uid, gid_t *gid, const char **name);
int users_parse_group(const char *s, gid_t *gid);
int users_resolve(const struct plan *p, const struct client *c,
		  struct ident *id);
int users_apply(const struct ident *id);

#endif
