/* target.c — --target PID (CONFIG_FEATURE_TARGET): start the program
 * inside the container of a running process, the way docker exec,
 * lxc-attach and nsenter -a do: every namespace of PID that differs from
 * ours, its root and cwd, its cgroup (v2), its bounding set and
 * no_new_privs; the pid namespace takes a fork (pidns.c).
 *
 * Two steps per client (or per justexec): target_prepare() in our own view
 * reads all there is to know about PID through a pidfd and /proc, and
 * target_enter() joins. Everything is re-resolved for each client: the
 * container may have restarted. */
#include "target.h"
#include "secbits.h"
#if ENABLED(CONFIG_FEATURE_TARGET)
#include "ns.h"
#include "pidns.h"
#include <errno.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <sched.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif
#define CGROUP2_MAGIC 0x63677270
#define MAP_TEXT 1024 /* a few lines of "inside outside count" */

static struct {
	pid_t pid;
	int pidfd, root, cwd;
	int ns[NS_KINDS];          /* the ones to join, else -1 */
	int flags;                 /* CLONE_NEW* to join */
	uint64_t capbnd;
	int nnp;
	char cgroup[512];          /* v2 path, "" if none */
	char uid_map[MAP_TEXT], gid_map[MAP_TEXT];
} tg; /* bss: the fds are set before any use */

/* a decimal number after blanks: end of it, or NULL */
static const char *number(const char *p, unsigned long long *v)
{
	const char *start;
	while (*p == ' ' || *p == '\t')
		p++;
	for (start = p, *v = 0; *p >= '0' && *p <= '9' && *v < 1ULL << 33; p++)
		*v = *v * 10 + (unsigned)(*p - '0');
	return p == start ? NULL : p;
}

/* /proc/PID/NAME read whole into buf (NUL-terminated), 0 or -1 */
static int proc_read(const char *name, char *buf, size_t size)
{
	char path[64], num[24];
	ssize_t n = -1;
	pathjoin(path, sizeof(path), "/proc/", fmt_u(num, (unsigned)tg.pid),
		 "/", name, (char *)0);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, buf, size - 1);
		close(fd);
	}
	if (n < 0)
		return fail_errno("--target: ", path, (char *)0);
	buf[n] = 0;
	return 0;
}

static int proc_open(const char *name, int flags)
{
	char path[64], num[24];
	pathjoin(path, sizeof(path), "/proc/", fmt_u(num, (unsigned)tg.pid),
		 "/", name, (char *)0);
	int fd = open(path, flags | O_CLOEXEC);
	if (fd < 0)
		fail_errno("--target: ", path, (char *)0);
	return fd;
}

/* The value after "Key:" in a /proc status text, or NULL */
static const char *status_field(const char *text, const char *key)
{
	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : p)
		if (startswith(p, key))
			return p + strlen(key);
	return NULL;
}

static int read_status(void)
{
	static char buf[4096];
	unsigned long long bnd;
	char hex[24];
	if (proc_read("status", buf, sizeof(buf)))
		return -1;
	const char *b = status_field(buf, "CapBnd:\t");
	const char *n = status_field(buf, "NoNewPrivs:\t");
	size_t len = b ? strcspn(b, "\n") : 0;
	if (!b || len >= sizeof(hex))
		return fail("--target: no CapBnd in its status", (char *)0);
	memcpy(hex, b, len);
	hex[len] = 0;
	if (parse_ull(hex, 16, ~0ULL, &bnd))
		return fail("--target: bad CapBnd '", hex, "'", (char *)0);
	tg.capbnd = bnd;
	tg.nnp = n && *n == '1';
	return 0;
}

/* The v2 line "0::/path" of /proc/PID/cgroup (our cgroup namespace's
 * view, which is the one /sys/fs/cgroup shows us). */
static int read_cgroup(void)
{
	char buf[2048];
	tg.cgroup[0] = 0;
	if (proc_read("cgroup", buf, sizeof(buf)))
		return -1;
	for (char *l = buf; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : l)
		if (startswith(l, "0::")) {
			size_t len = strcspn(l + 3, "\n");
			if (len >= sizeof(tg.cgroup))
				return fail("--target: cgroup path too long",
					    (char *)0);
			memcpy(tg.cgroup, l + 3, len);
			tg.cgroup[len] = 0;
		}
	return 0;
}

/* Which namespaces differ from ours: their fds, for the joins. */
static int open_namespaces(void)
{
	char mine[32];
	tg.flags = 0;
	for (unsigned i = 0; i < NS_KINDS; i++) {
		struct stat a, b;
		tg.ns[i] = -1;
		pathjoin(mine, sizeof(mine), "/proc/self/ns/", ns_kinds[i].name,
			 (char *)0);
		if (stat(mine, &a))
			continue; /* a kind this kernel does not have */
		pathjoin(mine, sizeof(mine), "ns/", ns_kinds[i].name, (char *)0);
		int fd = proc_open(mine, O_RDONLY);
		if (fd < 0)
			return -1;
		if (fstat(fd, &b) || (a.st_dev == b.st_dev && a.st_ino == b.st_ino)) {
			close(fd);
			continue;
		}
		tg.ns[i] = fd;
		tg.flags |= ns_kinds[i].flag;
	}
	return 0;
}

/* Field 22 of /proc/PID/stat: when PID started (clock ticks after
 * boot); 0 if it cannot be read. With the pid it names one process. */
unsigned long long target_start_time(pid_t pid)
{
	char buf[1024];
	unsigned long long v = 0;
	tg.pid = pid;
	if (proc_read("stat", buf, sizeof(buf)))
		return 0;
	const char *p = strrchr(buf, ')'); /* comm may hold anything */
	for (int field = 2; p && field < 22; field++)
		p = strchr(p + 1, ' ');
	if (p)
		number(p + 1, &v);
	return v;
}

int target_prepare(pid_t pid, unsigned long long start)
{
	char num[24];
	tg.pid = pid;
	tg.pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (tg.pidfd < 0)
		return fail_errno("--target ", fmt_u(num, (unsigned)pid),
				  (char *)0);
	fcntl(tg.pidfd, F_SETFD, FD_CLOEXEC);
	/* the container ended and its pid went to another process: never
	 * enter that one */
	if (start && target_start_time(pid) != start)
		return fail("--target ", fmt_u(num, (unsigned)pid), ": not the"
			    " process dived started with (it ended: restart"
			    " dived for the new one)", (char *)0);
	if (open_namespaces() || read_status() || read_cgroup() ||
	    proc_read("uid_map", tg.uid_map, sizeof(tg.uid_map)) ||
	    proc_read("gid_map", tg.gid_map, sizeof(tg.gid_map)) ||
	    (tg.root = proc_open("root", O_PATH | O_DIRECTORY)) < 0 ||
	    (tg.cwd = proc_open("cwd", O_PATH | O_DIRECTORY)) < 0)
		return -1;
	/* all of the above was the process of the pidfd only if it still
	 * lives: a pid reused in between would have failed the pidfd_open */
	if (syscall(SYS_pidfd_send_signal, tg.pidfd, 0, NULL, 0))
		return fail_errno("--target ", fmt_u(num, (unsigned)pid),
				  " ended", (char *)0);
	return 0;
}

int target_root(void)
{
	return tg.root;
}

int target_joins_userns(void)
{
	return !!(tg.flags & CLONE_NEWUSER);
}

/* "inside outside count" lines: the inside id of a host id, 0 or -1 */
static int map_id(const char *map, unsigned host, unsigned *inside)
{
	for (const char *l = map; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : l) {
		unsigned long long in, out, cnt;
		const char *e = number(l, &in);
		if (!e || !(e = number(e, &out)) || !number(e, &cnt))
			return -1;
		if (host >= out && host - out < cnt) {
			*inside = (unsigned)(in + (host - out));
			return 0;
		}
	}
	return -1;
}

/* a host id as the target's user namespace sees it (itself if we share
 * that namespace); -1 without a mapping */
static int inside_id(const char *map, unsigned host, unsigned *inside)
{
	if (!target_joins_userns()) {
		*inside = host;
		return 0;
	}
	return map_id(map, host, inside);
}

int target_uid(uid_t host, uid_t *inside)
{
	return inside_id(tg.uid_map, host, inside);
}

int target_gid(gid_t host, gid_t *inside)
{
	return inside_id(tg.gid_map, host, inside);
}

/* Our pid into the target's cgroup: its limits (memory, pids) apply. */
static int join_cgroup(void)
{
	static const char *const mounts[] = { "/sys/fs/cgroup",
					      "/sys/fs/cgroup/unified" };
	char path[700];
	struct statfs sf;
	if (!tg.cgroup[0])
		return 0;
	for (unsigned i = 0; i < ARRAY_SIZE(mounts); i++) {
		if (statfs(mounts[i], &sf) || sf.f_type != CGROUP2_MAGIC)
			continue;
		if (pathjoin(path, sizeof(path), mounts[i], tg.cgroup,
			     "/cgroup.procs", (char *)0) ||
		    write_file(path, "0"))
			return fail_errno("--target: joining its cgroup ",
					  tg.cgroup, (char *)0);
		return 0;
	}
	return 0; /* no cgroup v2 here: nothing to join */
}

static int join_namespaces(void)
{
	if (!tg.flags)
		return 0;
	/* host groups (root's 0) must not follow into a user namespace
	 * where they would be unmapped but still count */
	if ((tg.flags & CLONE_NEWUSER) && syscall(SYS_setgroups, 0, NULL) &&
	    errno != EPERM)
		return fail_errno("--target: setgroups", (char *)0);
	if (!setns(tg.pidfd, tg.flags))
		return 0;
	if (errno != EINVAL) /* else: a kernel before 5.8, one by one */
		return fail_errno("--target: setns", (char *)0);
	for (unsigned i = 0; i < NS_KINDS; i++)
		if (tg.ns[i] >= 0 && setns(tg.ns[i], ns_kinds[i].flag))
			return fail_errno("--target: setns ", ns_kinds[i].name,
					  (char *)0);
	return 0;
}

/* Nothing the target's bounding set lacks stays in ours. */
static int bound_caps(void)
{
	for (int cap = 0; cap < (int)(8 * sizeof(tg.capbnd)); cap++)
		if (!(tg.capbnd >> cap & 1) &&
		    prctl(PR_CAPBSET_READ, cap, 0, 0, 0) == 1 &&
		    prctl(PR_CAPBSET_DROP, cap, 0, 0, 0))
			return fail_errno("--target: bounding set", (char *)0);
	return 0;
}

int target_enter(void)
{
	if (join_cgroup() || join_namespaces())
		return -1;
	if (fchdir(tg.root) || chroot("."))
		return fail_errno("--target: its root directory", (char *)0);
	if (fchdir(tg.cwd))
		return fail_errno("--target: its current directory", (char *)0);
	if (bound_caps() || (tg.nnp && no_new_privs()))
		return -1;
	for (unsigned i = 0; i < NS_KINDS; i++)
		if (tg.ns[i] >= 0)
			close(tg.ns[i]);
	close(tg.pidfd);
	close(tg.root);
	tg.root = -1;
	if (tg.flags & CLONE_NEWPID)
		ns_joined_pidns = 1;
	return 0;
}

int target_take_cwd(void)
{
	int fd = tg.cwd;
	tg.cwd = -1;
	return fd;
}
#endif
