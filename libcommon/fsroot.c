/* fsroot.c — placeholder (chdir only) until the chroot/pivot_root module lands */
#include "plan.h"
#include <unistd.h>
int fsroot_enter(const struct plan *p)
{
	if (p->chdir_dir && chdir(p->chdir_dir))
		return fail_errno("chdir ", p->chdir_dir, (char *)0);
	return 0;
}
