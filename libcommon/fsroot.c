/* fsroot.c — the filesystem part of step 1: -h (chdir, always there),
 * -R (chroot, CONFIG_FEATURE_CHROOT), -V (pivot_root,
 * CONFIG_FEATURE_PIVOT_ROOT). plan_check refuses -R with -V. */
#include "fsroot.h"
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

/* The kernel's getcwd names a directory outside our root
 * "(unreachable)/..." (C libraries hide that): only a path that starts
 * with "/" is inside. Too long to tell counts as outside. */
int fsroot_cwd_inside(void)
{
	char buf[4096];
	long n = syscall(SYS_getcwd, buf, sizeof(buf));
	return n > 0 && buf[0] == '/';
}

static int enter_dir(const char *dir)
{
	if (chdir(dir))
		return fail_errno("chdir ", dir, (char *)0);
	return 0;
}

#if ENABLED(CONFIG_FEATURE_CHROOT)
/* SPEC: with -R, -h's directory is resolved before the chroot (relative to
 * the current directory, outside the new root) and entered after it.
 * Without -h the cwd becomes the new "/": it must never stay outside. */
static int enter_chroot(const struct plan *p)
{
	int fd = -1, r;

	if (p->chdir_dir) {
		fd = open(p->chdir_dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			return fail_errno("chdir ", p->chdir_dir, (char *)0);
	}
	if (chroot(p->chroot_dir))
		r = fail_errno("chroot ", p->chroot_dir, (char *)0);
	else if (fd < 0)
		r = enter_dir("/");
	else if ((r = fchdir(fd)))
		fail_errno("chdir ", p->chdir_dir, (char *)0);
	else if (!(p->flags & PL_OUTSIDE_CWD) && !fsroot_cwd_inside())
		r = fail("chdir ", p->chdir_dir, ": outside the new root (-R);"
			 " --allow-outside-cwd permits it", (char *)0);
	if (fd >= 0)
		close(fd);
	return r;
}
#endif

#if ENABLED(CONFIG_FEATURE_PIVOT_ROOT)
/* dir as an absolute path without links (from the current directory) */
static int abs_dir(const char *dir, int here, char *buf, size_t size)
{
	long n = -1;
	if (!chdir(dir))
		n = syscall(SYS_getcwd, buf, size);
	if (fchdir(here) || n <= 0 || buf[0] != '/')
		return fail_errno("pivot_root: resolving ", dir, (char *)0);
	return 0;
}

/* After the pivot the old root hangs at OLD minus NEW's prefix: detach
 * it, or the program could walk back to the host through it. */
static int detach_old_root(const struct plan *p, const char *newp,
			   const char *oldp)
{
	const char *at = oldp + (strcmp(newp, "/") ? strlen(newp) : 0);
	if (!*at)
		at = "/";
	if (umount2(at, MNT_DETACH))
		return fail_errno("pivot_root: detaching the old root at ",
				  p->pivot_old, " (--keep-old-root keeps it)",
				  (char *)0);
	return 0;
}

/* A mount namespace of our own first, with "/" private: in dived the pivot
 * then changes only this client's view and nothing propagates back. -h is
 * relative to the new root. */
static int enter_pivot(const struct plan *p)
{
	static char newp[4096], oldp[4096];
	int keep = !!(p->flags & PL_KEEP_OLD_ROOT), here = -1;
	if (unshare(CLONE_NEWNS))
		return fail_errno("pivot_root: unshare mount namespace",
				  (char *)0);
	if (mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return fail_errno("pivot_root: make / private", (char *)0);
	if (!keep) {
		here = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
		int r = here < 0 ||
			abs_dir(p->pivot_new, here, newp, sizeof(newp)) ||
			abs_dir(p->pivot_old, here, oldp, sizeof(oldp));
		if (here >= 0)
			close(here);
		if (r)
			return here < 0 ? fail_errno("pivot_root: open .",
						     (char *)0) : -1;
	}
	if (syscall(SYS_pivot_root, p->pivot_new, p->pivot_old))
		return fail_errno("pivot_root ", p->pivot_new, " ",
				  p->pivot_old, (char *)0);
	if (enter_dir("/") || (!keep && detach_old_root(p, newp, oldp)))
		return -1;
	return p->chdir_dir ? enter_dir(p->chdir_dir) : 0;
}
#endif

int fsroot_enter(const struct plan *p)
{
#if ENABLED(CONFIG_FEATURE_PIVOT_ROOT)
	if (p->pivot_new)
		return enter_pivot(p);
#endif
#if ENABLED(CONFIG_FEATURE_CHROOT)
	if (p->chroot_dir)
		return enter_chroot(p);
#endif
	return p->chdir_dir ? enter_dir(p->chdir_dir) : 0;
}
