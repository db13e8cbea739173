/* ns.c — namespaces: -s (unshare), -tt (uid/gid maps), -N (setns) and
 * -t (write a text to a file once the namespaces are set up). */
#include "plan.h"
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

static const struct {
	char name[7];
	int flag;
} ns_names[] = {
	{ "ipc", CLONE_NEWIPC },   { "net", CLONE_NEWNET },
	{ "fs", CLONE_NEWNS },     { "mnt", CLONE_NEWNS },
	{ "pid", CLONE_NEWPID },   { "uts", CLONE_NEWUTS },
	{ "user", CLONE_NEWUSER }, { "cgroup", CLONE_NEWCGROUP },
};

/* Each comma separated name must be known; an empty item is an error too
 * (a stray comma is more likely a typo than a wish). */
int ns_parse_list(const char *list, int *flags)
{
	const char *s = list;
	for (;;) {
		size_t len = strcspn(s, ",");
		unsigned i = 0;
		while (i < ARRAY_SIZE(ns_names) &&
		       (strlen(ns_names[i].name) != len ||
			memcmp(ns_names[i].name, s, len)))
			i++;
		if (i == ARRAY_SIZE(ns_names)) {
			char name[16]; /* the bad item alone, maybe cut */
			strjoin(name, len < sizeof(name) ? len + 1 : sizeof(name),
				s, (char *)0);
			return fail("unknown namespace '", name, "' in",
				    (char *)0);
		}
		*flags |= ns_names[i].flag;
		if (!s[len])
			return 0;
		s += len + 1;
	}
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

/* Re-opened on every call: the file may name a namespace that was
 * recreated since the last client. NS_GET_NSTYPE (Linux 4.11) tells a pid
 * namespace, which only our children can enter. */
int ns_setns_all(const struct plan *p)
{
	for (unsigned i = 0; i < p->nsetns; i++) {
		int fd = open(p->setns_files[i], O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return fail_errno("setns ", p->setns_files[i], (char *)0);
		if (setns(fd, 0)) {
			fail_errno("setns ", p->setns_files[i], (char *)0);
			close(fd);
			return -1;
		}
		if (ioctl(fd, NS_GET_NSTYPE) == CLONE_NEWPID)
			ns_joined_pidns = 1;
		close(fd); /* read-only: close cannot lose data */
	}
	return 0;
}

int ns_write_contents(const struct plan *p)
{
	for (unsigned i = 0; i < p->nwrites; i++)
		if (put(p->writes[i].file, p->writes[i].text))
			return -1;
	return 0;
}
#endif
