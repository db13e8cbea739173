/* pwdb.c — see pwdb.h */
#include "pwdb.h"
#include "util.h"
#include <string.h>

#ifdef DIVEBOX_TINY_MALLOC
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#define DB_MAX (8u << 20) /* a larger /etc/group is not a local one */

/* The whole file, NUL-terminated, or NULL. */
static char *slurp(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t len = 0, cap = 16384;
	char *buf = NULL;
	if (fd < 0)
		return NULL;
	for (;;) {
		if (!buf || len + 1 >= cap) {
			if (buf && (cap *= 2) > DB_MAX)
				goto bad;
			char *nb = realloc(buf, cap);
			if (!nb)
				goto bad;
			buf = nb;
		}
		ssize_t r = read(fd, buf + len, cap - 1 - len);
		if (r < 0)
			goto bad;
		if (r == 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	buf[len] = 0;
	return buf;
bad:
	close(fd);
	free(buf);
	return NULL;
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
static int scan(const char *path, int want,
		int (*match)(char **f, void *arg), void *arg)
{
	char *db = slurp(path), *line, *next;
	int r = 0;
	if (!db)
		return 0;
	for (line = db; !r && line && *line; line = next) {
		char *f[7];
		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		if (line[0] != '#' && fields(line, f, want) == want)
			r = match(f, arg);
	}
	free(db);
	return r;
}

static int id_of(const char *s, unsigned *v)
{
	return parse_uint(s, 0xfffffffeu, v);
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
	q->out->uid = uid;
	q->out->gid = gid;
	strjoin(q->out->name, sizeof(q->out->name), f[0], (char *)0);
	return 1;
}

int pwdb_user_name(const char *name, struct pwent *out)
{
	struct pwq q = { name, 0, out };
	return scan("/etc/passwd", 7, pw_match, &q) ? 0 : -1;
}

int pwdb_user_uid(uid_t uid, struct pwent *out)
{
	struct pwq q = { NULL, uid, out };
	return scan("/etc/passwd", 7, pw_match, &q) ? 0 : -1;
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

int pwdb_group_name(const char *name, gid_t *gid)
{
	struct grq q = { name, 0 };
	if (!scan("/etc/group", 4, gr_match, &q))
		return -1;
	*gid = q.gid;
	return 0;
}

struct glq {
	const char *user;
	gid_t *list;
	int n, max, overflow;
};

static int gl_match(char **f, void *arg)
{
	struct glq *q = arg;
	unsigned gid;
	if (id_of(f[2], &gid))
		return 0;
	for (char *m = f[3], *save = NULL, *w = strtok_r(m, ",", &save); w;
	     w = strtok_r(NULL, ",", &save)) {
		if (strcmp(w, q->user))
			continue;
		for (int i = 0; i < q->n; i++)
			if (q->list[i] == gid)
				return 0;
		if (q->n >= q->max)
			return q->overflow = 1;
		q->list[q->n++] = gid;
		return 0;
	}
	return 0;
}

int pwdb_grouplist(const char *user, gid_t gid, gid_t *list, int *n)
{
	struct glq q = { user, list, 1, *n, 0 };
	if (*n < 1)
		return -1;
	list[0] = gid;
	scan("/etc/group", 4, gl_match, &q);
	*n = q.n;
	return q.overflow ? -1 : 0;
}

#else /* the C library's lookups (NSS with glibc) */
#include <grp.h>
#include <pwd.h>

static int fill(struct passwd *pw, struct pwent *out)
{
	if (!pw)
		return -1;
	out->uid = pw->pw_uid;
	out->gid = pw->pw_gid;
	strjoin(out->name, sizeof(out->name), pw->pw_name, (char *)0);
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
