/* fsroot.h — the program's root and working directory: -R (chroot), -V
 * (pivot_root), -h (chdir). */
#ifndef DIVEBOX_FSROOT_H
#define DIVEBOX_FSROOT_H
#include "plan.h"

/* fsroot.c: CONFIG_FEATURE_CHROOT / CONFIG_FEATURE_PIVOT_ROOT (chdir is
 * always there) */
int fsroot_enter(const struct plan *p);
/* 1 if the current directory is beneath the process's root: a cwd outside
 * it is a way out of a chroot. */
int fsroot_cwd_inside(void);

#endif
