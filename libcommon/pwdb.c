/* pwdb.c — see pwdb.h */
#include "pwdb.h"
#include "util.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define DB_MAX (8u << 20) /* a larger /etc/group is not a local one */

#ifndef SYS_openat2
#define SYS_openat2 437
#endif
#define PW_RESOLVE_IN_ROOT 0x10 /* linux/openat2.h */

struct open_how_v0 {
	uint64_t flags, mode, resolve;
};

static int open_db(int root, const char *path)
{
	int flags = O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;
	if (root < 0)
		return open(path, flags);
	struct open_how_v0 how = { (uint64_t)flags, 0, PW_RESOLVE_IN_ROOT };
	return (int)syscall(SYS_openat2, root, path, &how, sizeof(how));
}

/* Read fd whole into a growing buffer, at most DB_MAX bytes. */
static char *slurp(int fd)
{
	size_t len = 0, cap = 16384;
	char *buf = NULL;
	for (;;) {
		if (!buf || len + 1 >= cap) {
			if (buf && (cap *= 2) > DB_MAX + 1) {
				errno = EFBIG;
				goto bad;
			}
			char *nb = realloc(buf, cap);
			if (!nb)
				goto bad;
			buf = nb;
		}
		ssize_t r = read(fd, buf + len, cap - 1 - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			goto bad;
		if (r == 0)
			break;
		len += (size_t)r;
	}
	buf[len] = 0;
	return buf;
bad:
	free(buf);
	return NULL;
}

char *pwdb_read(int root, const char *path)
{
	struct stat st;
	char *db = NULL;
	int fd = open_db(root, path);
	if (fd < 0) {
		fail_errno(path, (char *)0);
		return NULL;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		errno = EINVAL;
		fail(path, ": not a regular file", (char *)0);
	} else if (!(db = slurp(fd))) {
		fail_errno(path, (char *)0);
	}
	close(fd);
	return db;
}

/* Split line into at most max ':'-separated fields (in place). */
static int fields(char *line, char **f, int max)
{
	int n = 0;
	f[n++] = line;
	for (char *p = line; *p && n < max; p++)
		if (*p == ':') {
			*p = 0;
			f[n++] = p + 1;
		}
	return n;
}

/* Call match(fields, arg) for each well-formed line (want fields) until
 * it returns non-zero; returns that value, or 0. */
static int scan(char *db, int want, int (*match)(char **f, void *arg),
		void *arg)
{
	int r = 0;
	for (char *line = db, *next; !r && line && *line; line = next) {
		char *f[7];
		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		if (line[0] != '#' && fields(line, f, want) == want)
			r = match(f, arg);
	}
	return r;
}

static int id_of(const char *s, unsigned *v)
{
	return parse_uint(s, 0xfffffffeu, v);
}

/* A field that does not fit is left empty rather than cut: a cut home
 * or shell would name another file. */
static void copy_field(char *dst, size_t size, const char *src)
{
	if (pathjoin(dst, size, src, (char *)0))
		dst[0] = 0;
}

struct pwq {
	const char *name;
	uid_t uid;
	struct pwent *out;
};

static int pw_match(char **f, void *arg)
{
	struct pwq *q = arg;
	unsigned uid, gid;
	if (id_of(f[2], &uid) || id_of(f[3], &gid))
		return 0;
	if (q->name ? strcmp(f[0], q->name) : uid != q->uid)
		return 0;
	if (strlen(f[0]) >= sizeof(q->out->name))
		return 0; /* a name we could not give back whole */
	q->out->uid = uid;
	q->out->gid = gid;
	copy_field(q->out->name, sizeof(q->out->name), f[0]);
	copy_field(q->out->home, sizeof(q->out->home), f[5]);
	copy_field(q->out->shell, sizeof(q->out->shell), f[6]);
	return 1;
}

int pwdb_parse_user(char *text, const char *name, uid_t uid,
		    struct pwent *out)
{
	struct pwq q = { name, uid, out };
	return scan(text, 7, pw_match, &q) ? 0 : -1;
}

struct grq {
	const char *name;
	gid_t gid;
};

static int gr_match(char **f, void *arg)
{
	struct grq *q = arg;
	unsigned gid;
	if (strcmp(f[0], q->name) || id_of(f[2], &gid))
		return 0;
	q->gid = gid;
	return 1;
}

int pwdb_parse_group(char *text, const char *name, gid_t *gid)
{
	struct grq q = { name, 0 };
	if (!scan(text, 4, gr_match, &q))
		return -1;
	*gid = q.gid;
	return 0;
}

struct glq {
	const char *user;
	gid_t *list;
	int n, max, overflow;
};

/* Not split_list: a group file's member list is a file format, where an
 * empty list or item ("wheel:x:10:", "a,,b") is legal and means no one,
 * and a member is compared in place, never copied. */
static int listed_in(const char *members, const char *user)
{
	size_t ulen = strlen(user);
	for (const char *m = members; *m;) {
		size_t len = strcspn(m, ",");
		if (len == ulen && !memcmp(m, user, len))
			return 1;
		m += len + !!m[len];
	}
	return 0;
}

static int gl_match(char **f, void *arg)
{
	struct glq *q = arg;
	unsigned gid;
	if (id_of(f[2], &gid) || !listed_in(f[3], q->user))
		return 0;
	for (int i = 0; i < q->n; i++)
		if (q->list[i] == gid)
			return 0;
	if (q->n >= q->max)
		return q->overflow = 1;
	q->list[q->n++] = gid;
	return 0;
}

int pwdb_parse_grouplist(char *text, const char *user, gid_t gid,
			 gid_t *list, int *n)
{
	struct glq q = { user, list, 1, *n, 0 };
	if (*n < 1)
		return -1;
	list[0] = gid;
	scan(text, 4, gl_match, &q);
	*n = q.n;
	return q.overflow ? -1 : 0;
}

#ifdef DIVEBOX_LEAN_LIBC
/* The host's files through the parser. A missing or unreadable file
 * finds nothing. */
static int host_user(const char *name, uid_t uid, struct pwent *out)
{
	char *db = pwdb_read(-1, "/etc/passwd");
	int r = db ? pwdb_parse_user(db, name, uid, out) : -1;
	free(db);
	return r;
}

int pwdb_user_name(const char *name, struct pwent *out)
{
	return host_user(name, 0, out);
}

int pwdb_user_uid(uid_t uid, struct pwent *out)
{
	return host_user(NULL, uid, out);
}

int pwdb_group_name(const char *name, gid_t *gid)
{
	char *db = pwdb_read(-1, "/etc/group");
	int r = db ? pwdb_parse_group(db, name, gid) : -1;
	free(db);
	return r;
}

int pwdb_grouplist(const char *user, gid_t gid, gid_t *list, int *n)
{
	char *db = pwdb_read(-1, "/etc/group");
	if (!db) {
		if (*n < 1)
			return -1;
		list[0] = gid;
		*n = 1;
		return 0;
	}
	int r = pwdb_parse_grouplist(db, user, gid, list, n);
	free(db);
	return r;
}

#else /* the C library's lookups (NSS with glibc) */
#include <grp.h>
#include <pwd.h>

static int fill(struct passwd *pw, struct pwent *out)
{
	if (!pw || strlen(pw->pw_name) >= sizeof(out->name))
		return -1;
	out->uid = pw->pw_uid;
	out->gid = pw->pw_gid;
	copy_field(out->name, sizeof(out->name), pw->pw_name);
	copy_field(out->home, sizeof(out->home), pw->pw_dir ? pw->pw_dir : "");
	copy_field(out->shell, sizeof(out->shell),
		   pw->pw_shell ? pw->pw_shell : "");
	return 0;
}

int pwdb_user_name(const char *name, struct pwent *out)
{
	return fill(getpwnam(name), out);
}

int pwdb_user_uid(uid_t uid, struct pwent *out)
{
	return fill(getpwuid(uid), out);
}

int pwdb_group_name(const char *name, gid_t *gid)
{
	struct group *gr = getgrnam(name);
	if (!gr)
		return -1;
	*gid = gr->gr_gid;
	return 0;
}

int pwdb_grouplist(const char *user, gid_t gid, gid_t *list, int *n)
{
	return getgrouplist(user, gid, list, n) < 0 ? -1 : 0;
}
#endif
