/* pwdb.h — /etc/passwd and /etc/group.
 *
 * The parser below is always compiled: it is bounded (DB_MAX bytes, fixed
 * field sizes), never blocks (files are opened O_NONBLOCK, regular files
 * only) and runs no code but ours, so it is the only reader used on a
 * file that someone else controls (a container's tree) and the one the
 * static musl build uses for the host's files too (musl knows only these
 * files; its stdio reader costs ~9 KB). fuzz/fuzz_pwdb.c drives it.
 *
 * The host lookups (pwdb_user_*, pwdb_group_name, pwdb_grouplist) use the
 * C library in other builds, so glibc's NSS (LDAP, sssd...) keeps working
 * there. dived calls them only in its own filesystem view, before any
 * setns, chroot, pivot_root or client root (SPEC §8). */
#ifndef DIVEBOX_PWDB_H
#define DIVEBOX_PWDB_H
#include <sys/types.h>

struct pwent {
	uid_t uid;
	gid_t gid;
	char name[64];
	char home[256];  /* "" if too long */
	char shell[256];
};

/* The parser, on a whole NUL-terminated file text (modified in place).
 * name NULL: look the user up by uid. 0 if found (out filled), -1 if
 * not. grouplist: the groups initgroups(3) would give USER with primary
 * GID: gid first, then every group listing user, without repeats; *n:
 * room in, count out; -1 if there were more. */
int pwdb_parse_user(char *text, const char *name, uid_t uid,
		    struct pwent *out);
int pwdb_parse_group(char *text, const char *name, gid_t *gid);
int pwdb_parse_grouplist(char *text, const char *user, gid_t gid,
			 gid_t *list, int *n);

/* A database file read whole, NUL-terminated (free() it), or NULL with
 * g_err: not a regular file, larger than DB_MAX, unreadable. root: an
 * O_PATH directory fd the path is resolved beneath (links cannot leave
 * it: openat2 RESOLVE_IN_ROOT), or -1 for our own "/". */
char *pwdb_read(int root, const char *path);

/* Host lookups: 0 if found (out filled), -1 if not. */
int pwdb_user_name(const char *name, struct pwent *out);
int pwdb_user_uid(uid_t uid, struct pwent *out);
int pwdb_group_name(const char *name, gid_t *gid);
int pwdb_grouplist(const char *user, gid_t gid, gid_t *list, int *n);

#endif
