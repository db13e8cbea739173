/* secenv.h — the environment of a program that runs with other privileges
 * than its client (SPEC §8): what is dropped, what is set.
 *
 * Secure mode applies when the program's real, effective or saved uid or
 * gid differs from the client's, or when a non-root client's program
 * holds capabilities. Then, like sudo's env_reset and glibc's secure
 * mode, the variables of secenv_unsafe() are dropped from the client's
 * environment, PATH becomes SECENV_PATH (which also resolves the program
 * name), HOME, USER, LOGNAME and SHELL come from the target's passwd
 * entry (or are left out without one), and fds 0-2 the client left
 * closed are opened on /dev/null. */
#ifndef DIVEBOX_SECENV_H
#define DIVEBOX_SECENV_H

#define SECENV_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* 1 if the variable "NAME=value" may change how the program (its dynamic
 * loader, C library, shell or interpreter) behaves: LD_*, MALLOC_*,
 * BASH_FUNC_*, GCONV_PATH, LOCPATH, TMPDIR, IFS, ... (the list is in
 * secenv.c and docs/security.md). */
int secenv_unsafe(const char *var);
/* 1 for the variables secure mode replaces: PATH HOME USER LOGNAME SHELL */
int secenv_replaced(const char *var);

#endif
