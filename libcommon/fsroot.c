/* fsroot.c — the filesystem part of step 1: -h (chdir, always there),
 * -R (chroot, CONFIG_FEATURE_CHROOT), -V (pivot_root,
 * CONFIG_FEATURE_PIVOT_ROOT). plan_check refuses -R with -V. */
#include "plan.h"
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

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
	if (fd >= 0)
		close(fd);
	return r;
}
#endif

#if ENABLED(CONFIG_FEATURE_PIVOT_ROOT)
/* A mount namespace of our own first, with "/" private: in dived the pivot
 * then changes only this client's view and nothing propagates back. -h is
 * relative to the new root. */
static int enter_pivot(const struct plan *p)
{
	if (unshare(CLONE_NEWNS))
		return fail_errno("pivot_root: unshare mount namespace",
				  (char *)0);
	if (mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return fail_errno("pivot_root: make / private", (char *)0);
	if (syscall(SYS_pivot_root, p->pivot_new, p->pivot_old))
		return fail_errno("pivot_root ", p->pivot_new, " ",
				  p->pivot_old, (char *)0);
	if (enter_dir("/"))
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
