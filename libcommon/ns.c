/* ns.c — namespaces: -s (unshare), -tt (uid/gid maps), -N (setns) and
 * -t (write a text to a file once the namespaces are set up). */
#include "ns.h"
#if ENABLED(CONFIG_FEATURE_NAMESPACES)
#include "pidns.h"
#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef CLONE_NEWCGROUP
#define CLONE_NEWCGROUP 0x02000000
#endif
#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x80
#endif

/* Every kind, by its name in /proc/PID/ns, in the order of the joins
 * whatever the command line said (nsenter's): the user namespace first
 * (it gives the rights for the others), the mount namespace last (after
 * it our paths mean the target's). */
const struct ns_kind ns_kinds[NS_KINDS] = {
	{ "user", CLONE_NEWUSER }, { "cgroup", CLONE_NEWCGROUP },
	{ "ipc", CLONE_NEWIPC },   { "uts", CLONE_NEWUTS },
	{ "net", CLONE_NEWNET },   { "pid", CLONE_NEWPID },
	{ "time", CLONE_NEWTIME }, { "mnt", CLONE_NEWNS },
};

/* -s takes every kind but time (it would take only children, and -s
 * does not fork for it); unshare(1)'s "fs" too for mnt */
static int ns_item(const char *name, void *arg)
{
	if (!strcmp(name, "fs"))
		name = "mnt";
	for (unsigned i = 0; i < NS_KINDS; i++) {
		if (strcmp(ns_kinds[i].name, name))
			continue;
		if (ns_kinds[i].flag == CLONE_NEWTIME)
			break;
		*(int *)arg |= ns_kinds[i].flag;
		return 0;
	}
	return fail(strcmp(name, "time") ? "unknown namespace '" :
		    "unsupported namespace '", name, "' in", (char *)0);
}

/* Each comma separated name must be known; an empty item is an error too
 * (a stray comma is more likely a typo than a wish): split_list refuses
 * it, and here it is what -s always called it, the unknown namespace ''. */
int ns_parse_list(const char *list, int *flags)
{
	int r = split_list(list, ns_item, flags);
	if (r && startswith(g_err, "empty item"))
		return fail("unknown namespace '' in", (char *)0);
	return r;
}

/* write_file() with the reason in g_err */
static int put(const char *file, const char *text)
{
	return write_file(file, text) ? fail_errno("write ", file, (char *)0)
				      : 0;
}

/* -tt: map root of the new user namespace to who we were before. setgroups
 * must be denied before an unprivileged process may write gid_map; older
 * kernels without the file do not require it. */
static int write_maps(const struct plan *p)
{
	char map[48], num[24];
	strjoin(map, sizeof(map), "0 ", fmt_u(num, p->uid_before_unshare),
		" 1", (char *)0);
	if (put("/proc/self/uid_map", map))
		return -1;
	if (write_file("/proc/self/setgroups", "deny") && errno != ENOENT)
		return fail_errno("write /proc/self/setgroups", (char *)0);
	strjoin(map, sizeof(map), "0 ", fmt_u(num, p->gid_before_unshare),
		" 1", (char *)0);
	return put("/proc/self/gid_map", map);
}

int ns_unshare(struct plan *p)
{
	/* the ids the maps refer to: in the new user namespace they are
	 * unmapped (65534) until the maps are written */
	p->uid_before_unshare = getuid();
	p->gid_before_unshare = getgid();
	if (p->unshare_flags && unshare(p->unshare_flags))
		return fail_errno("unshare", (char *)0);
	if ((p->flags & PL_UIDGIDMAP) && write_maps(p))
		return -1;
	/* like unshare(1): our mounts and unmounts must not propagate back
	 * into the namespace we came from */
	if ((p->unshare_flags & CLONE_NEWNS) &&
	    mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return fail_errno("make / private in the new mount namespace",
				  (char *)0);
	return 0;
}

int ns_joined_pidns;

static unsigned rank(int type)
{
	unsigned i = 0;
	while (i < NS_KINDS && ns_kinds[i].flag != type)
		i++;
	return i;
}

/* At start: every -N file must be a namespace (NS_GET_NSTYPE, Linux
 * 4.11), and they are sorted into ns_kinds' order. A file that is wrong is a
 * usage error now, not a refusal of every client later. */
void ns_check_files(struct plan *p)
{
	int type[PLAN_MAX_LIST];
	for (unsigned i = 0; i < p->nsetns; i++) {
		int fd = open(p->setns_files[i], O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			die_errno(EC_USAGE, "--setns ", p->setns_files[i],
				  (char *)0);
		type[i] = ioctl(fd, NS_GET_NSTYPE);
		close(fd);
		if (type[i] < 0)
			die(EC_USAGE, "--setns ", p->setns_files[i],
			    ": not a namespace file (/proc/PID/ns/...)",
			    (char *)0);
	}
	for (unsigned i = 1; i < p->nsetns; i++) /* stable insertion sort */
		for (unsigned j = i; j && rank(type[j - 1]) > rank(type[j]); j--) {
			int t = type[j];
			const char *f = p->setns_files[j];
			type[j] = type[j - 1];
			p->setns_files[j] = p->setns_files[j - 1];
			type[j - 1] = t;
			p->setns_files[j - 1] = f;
		}
}

/* Re-opened on every call: the file may name a namespace that was
 * recreated since the last client. All are opened before the first join:
 * after a mount namespace the paths would be the target's. A pid
 * namespace only takes our children: ns_joined_pidns tells the caller to
 * fork (pidns.c). */
int ns_setns_all(const struct plan *p)
{
	int fds[PLAN_MAX_LIST], r = 0;
	unsigned n = 0;
	for (; n < p->nsetns; n++)
		if ((fds[n] = open(p->setns_files[n], O_RDONLY | O_CLOEXEC)) < 0) {
			r = fail_errno("setns ", p->setns_files[n], (char *)0);
			break;
		}
	for (unsigned i = 0; !r && i < n; i++) {
		if (setns(fds[i], 0))
			r = fail_errno("setns ", p->setns_files[i], (char *)0);
		else if (ioctl(fds[i], NS_GET_NSTYPE) == CLONE_NEWPID)
			ns_joined_pidns = 1;
	}
	for (unsigned i = 0; i < n; i++)
		close(fds[i]); /* read-only: close cannot lose data */
	return r;
}

int ns_write_contents(const struct plan *p)
{
	for (unsigned i = 0; i < p->nwrites; i++)
		if (put(p->writes[i].file, p->writes[i].text))
			return -1;
	return 0;
}
#endif
