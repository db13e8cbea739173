/* pwdb.h — /etc/passwd and /etc/group lookups.
 *
 * In the static musl build these are read directly (musl itself knows only
 * these files and nscd; its stdio-based reader costs ~9 KB). Other builds
 * use the C library, so glibc's NSS (LDAP, sssd...) keeps working. */
#ifndef DIVEBOX_PWDB_H
#define DIVEBOX_PWDB_H
#include <sys/types.h>

struct pwent {
	uid_t uid;
	gid_t gid;
	char name[64];
};

/* 0 if found (out filled), -1 if not. */
int pwdb_user_name(const char *name, struct pwent *out);
int pwdb_user_uid(uid_t uid, struct pwent *out);
int pwdb_group_name(const char *name, gid_t *gid);
/* The groups initgroups(3) would give USER with primary GID: gid first,
 * then every group listing user. *n: room in, count out; -1 if too many. */
int pwdb_grouplist(const char *user, gid_t gid, gid_t *list, int *n);

#endif
