/* leanlibc.h — the musl build's replacements for parts of the C library
 * (-DDIVEBOX_LEAN_LIBC, set by the Makefile for musl-gcc): calls that
 * would link in code divebox does not need become the bare system calls.
 * Every build includes the same headers here, so that a file that
 * compiles in one build compiles in the other; only the #defines differ.
 * Also selected by DIVEBOX_LEAN_LIBC elsewhere: malloc.c (a tiny
 * allocator), kstat.c (the stat family through statx) and pwdb.c (the
 * passwd/group parser as the lookup, instead of NSS). */
#ifndef DIVEBOX_LEANLIBC_H
#define DIVEBOX_LEANLIBC_H
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* musl's fork() runs the atfork machinery, which links its own malloc back
 * in (~15 KB) for locks we never hold: divebox is single-threaded and has
 * its own allocator (malloc.c), so the bare fork is enough. */
#ifdef DIVEBOX_LEAN_LIBC
#define fork _Fork
/* Likewise musl's setrlimit() broadcasts to threads (__synccall and its
 * timed waits: ~2.5 KB); prlimit() on ourselves is the bare system call. */
#define setrlimit(res, lim) prlimit(0, res, lim, NULL)
#define getrlimit(res, lim) prlimit(0, res, NULL, lim)
/* musl's fcntl() (~400 bytes) and stat family (~700) carry fallbacks for
 * kernels older than any divebox supports; the system calls do the same.
 * The stat family is statx(2) (kstat.c): its struct is the same on every
 * architecture, where the kernel's struct stat is not musl's (32-bit
 * time64 ABIs, MIPS). fcntl: divebox only passes ints (no struct flock). */
#define fcntl(...) syscall(SYS_fcntl, __VA_ARGS__)
int db_fstatat(int fd, const char *path, struct stat *st, int flags);
#define stat(path, st) db_fstatat(AT_FDCWD, path, st, 0)
#define lstat(path, st) db_fstatat(AT_FDCWD, path, st, AT_SYMLINK_NOFOLLOW)
#define fstat(fd, st) db_fstatat(fd, "", st, AT_EMPTY_PATH)
#define fstatat(fd, path, st, flags) db_fstatat(fd, path, st, flags)
#endif

#endif
