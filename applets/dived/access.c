/* access.c — dived --allow-user / --allow-group (CONFIG_FEATURE_ACCESS).
 *
 * Called right after SO_PEERCRED, before a single byte of the request is
 * read: a client that is not admitted never reaches the request parser.
 * A client is admitted if its uid, its gid, or any of its supplementary
 * groups is listed; with no list at all, everyone is.
 *
 * The groups come from SO_PEERGROUPS: the kernel's snapshot taken at
 * connect(), like SO_PEERCRED. /proc/PID/status is only the fallback for
 * kernels without it (< 4.13): it describes the process as it is now (the
 * pid may even have been reused), and after -R/-N/-V our /proc may be
 * another pid namespace's or absent. Whatever cannot be read admits no
 * one by group (fails closed). */
#include "access.h"
#if ENABLED(CONFIG_FEATURE_ACCESS)
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_PEER_GROUPS 65536 /* NGROUPS_MAX */

static int listed(const unsigned *ids, unsigned n, unsigned id)
{
	for (unsigned i = 0; i < n; i++)
		if (ids[i] == id)
			return 1;
	return 0;
}

/* Is one of the numbers of the "Key:\t1\t2 3..." line of a
 * /proc/PID/status text listed? */
int access_status_line(const char *text, const char *key,
		       const unsigned *ids, unsigned n)
{
	const char *p = text;
	while (*p && !startswith(p, key)) { /* the line that starts with key */
		const char *nl = strchr(p, '\n');
		p = nl ? nl + 1 : "";
	}
	if (!*p)
		return 0;
	for (p += strlen(key); *p && *p != '\n';) {
		unsigned long long v = 0;
		int digits = 0;
		while (*p == ' ' || *p == '\t')
			p++;
		for (; *p >= '0' && *p <= '9' && v <= 0xffffffffu; p++, digits++)
			v = v * 10 + (unsigned)(*p - '0');
		if (!digits || v > 0xffffffffu)
			return 0;
		if (listed(ids, n, (unsigned)v))
			return 1;
	}
	return 0;
}

/* Fallback: the groups of /proc/PID/status, read once into a bounded
 * buffer (groups past its end are ignored: fail closed). Not its "Gid:"
 * line: the real gid there admits on no kernel with SO_PEERGROUPS, where
 * SO_PEERCRED's gid (the effective one) and the groups decide. */
static int proc_groups_allowed(const struct server *sv, pid_t pid)
{
	static char buf[16384];
	char path[40], num[24];
	ssize_t n = -1;
	strjoin(path, sizeof(path), "/proc/", fmt_u(num, (unsigned)pid),
		"/status", (char *)0);
	int fd = pid > 0 ? open(path, O_RDONLY | O_CLOEXEC) : -1;
	if (fd >= 0) {
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
	}
	if (n <= 0)
		return 0;
	buf[n] = 0;
	return access_status_line(buf, "Groups:", sv->allow_gids,
				  sv->nallow_gids);
}

static int groups_allowed(const struct server *sv, const struct client *cl,
			  int conn)
{
	static gid_t g[MAX_PEER_GROUPS];
	socklen_t len = sizeof(g);
	if (listed(sv->allow_gids, sv->nallow_gids, cl->gid))
		return 1;
	if (getsockopt(conn, SOL_SOCKET, SO_PEERGROUPS, g, &len) < 0)
		return errno == ENOPROTOOPT && proc_groups_allowed(sv, cl->pid);
	for (size_t i = 0; i < len / sizeof(gid_t); i++)
		if (listed(sv->allow_gids, sv->nallow_gids, g[i]))
			return 1;
	return 0;
}

int access_check(const struct server *sv, const struct client *cl, int conn)
{
	char num[24];
	if (!sv->nallow_uids && !sv->nallow_gids)
		return 0;
	if (listed(sv->allow_uids, sv->nallow_uids, cl->uid) ||
	    (sv->nallow_gids && groups_allowed(sv, cl, conn)))
		return 0;
	return fail("uid ", fmt_u(num, cl->uid), cl->user[0] ? " (" : "",
		    cl->user, cl->user[0] ? ")" : "",
		    " is not allowed by --allow-user/--allow-group", (char *)0);
}
#endif
