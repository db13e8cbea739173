/* kstat.c — the stat family of the musl build as one system call (see
 * util.h): statx(2), whose struct is the same on every architecture, where
 * the kernel's struct stat is not musl's (32-bit time64 ABIs: i386, arm,
 * mips...; MIPS's own layout). musl's fstatat() carries fallbacks for
 * kernels older than statx (4.11), which divebox does not support. */
#include "util.h"
#ifdef DIVEBOX_LEAN_LIBC
#include <errno.h>
#include <sys/sysmacros.h>

/* struct statx of <linux/stat.h> (a fixed ABI; that header's S_IF* macros
 * clash with <sys/stat.h>'s, and musl 1.2.3 does not declare it) */
struct kstatx_ts {
	int64_t sec;
	uint32_t nsec;
	int32_t pad;
};
struct kstatx {
	uint32_t mask, blksize;
	uint64_t attributes;
	uint32_t nlink, uid, gid;
	uint16_t mode, pad1;
	uint64_t ino, size, blocks, attributes_mask;
	struct kstatx_ts atime, btime, ctime, mtime;
	uint32_t rdev_major, rdev_minor, dev_major, dev_minor;
	uint64_t spare[14];
};
#define KSTATX_BASIC_STATS 0x7ffU

int db_fstatat(int fd, const char *path, struct stat *st, int flags)
{
	struct kstatx x;

	if (syscall(SYS_statx, fd, path, flags, KSTATX_BASIC_STATS, &x))
		return -1;
	*st = (struct stat){
		.st_dev = makedev(x.dev_major, x.dev_minor),
		.st_ino = x.ino,
		.st_mode = x.mode,
		.st_nlink = x.nlink,
		.st_uid = x.uid,
		.st_gid = x.gid,
		.st_rdev = makedev(x.rdev_major, x.rdev_minor),
		.st_size = (off_t)x.size,
		.st_blksize = x.blksize,
		.st_blocks = (blkcnt_t)x.blocks,
		.st_atim = { .tv_sec = x.atime.sec, .tv_nsec = x.atime.nsec },
		.st_mtim = { .tv_sec = x.mtime.sec, .tv_nsec = x.mtime.nsec },
		.st_ctim = { .tv_sec = x.ctime.sec, .tv_nsec = x.ctime.nsec },
	};
	return 0;
}
#endif
