/* util.c — see util.h */
#include "util.h"
#include "proto.h"
#include <sys/syscall.h>
#include <time.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

const char *applet_name = "divebox";

#ifdef DIVEBOX_LEAN_LIBC
/* musl's strerror() carries every message and a locale lookup (~2.5 KB);
 * these are the errors divebox can meet, any other prints as "error N". */
static const unsigned short err_codes[] /* EDQUOT is 1133 on MIPS */ = {
	EPERM, ENOENT, ESRCH, EINTR, EIO, ENXIO, E2BIG, ENOEXEC, EBADF,
	ECHILD, EAGAIN, ENOMEM, EACCES, EFAULT, EBUSY, EEXIST, EXDEV, ENODEV,
	ENOTDIR, EISDIR, EINVAL, ENFILE, EMFILE, ENOTTY, ETXTBSY, EFBIG,
	ENOSPC, EROFS, EMLINK, EPIPE, ERANGE, ENAMETOOLONG, ENOSYS, ENOTEMPTY,
	ELOOP, EUSERS, ENOTSOCK, EPROTONOSUPPORT, EOPNOTSUPP, EADDRINUSE,
	ECONNRESET, ENOBUFS, ENOTCONN, ETIMEDOUT, ECONNREFUSED, EDQUOT,
	EOVERFLOW, EPROTO
};
static const char err_texts[] =
	"Operation not permitted\0"
	"No such file or directory\0"
	"No such process\0"
	"Interrupted system call\0"
	"I/O error\0"
	"No such device or address\0"
	"Argument list too long\0"
	"Exec format error\0"
	"Bad file descriptor\0"
	"No child process\0"
	"Resource temporarily unavailable\0"
	"Out of memory\0"
	"Permission denied\0"
	"Bad address\0"
	"Resource busy\0"
	"File exists\0"
	"Cross-device link\0"
	"No such device\0"
	"Not a directory\0"
	"Is a directory\0"
	"Invalid argument\0"
	"Too many open files in system\0"
	"No file descriptors available\0"
	"Not a tty\0"
	"Text file busy\0"
	"File too large\0"
	"No space left on device\0"
	"Read-only file system\0"
	"Too many links\0"
	"Broken pipe\0"
	"Result not representable\0"
	"Filename too long\0"
	"Function not implemented\0"
	"Directory not empty\0"
	"Symbolic link loop\0"
	"Too many users\0"
	"Not a socket\0"
	"Protocol not supported\0"
	"Not supported\0"
	"Address in use\0"
	"Connection reset by peer\0"
	"No buffer space available\0"
	"Socket not connected\0"
	"Operation timed out\0"
	"Connection refused\0"
	"Quota exceeded\0"
	"Value too large for data type\0"
	"Protocol error\0";

const char *errtext(int e, char *buf)
{
	const char *t = err_texts;
	char num[24];
	for (unsigned i = 0; i < ARRAY_SIZE(err_codes); i++, t += strlen(t) + 1)
		if (err_codes[i] == e)
			return t;
	strjoin(buf, 32, "error ", fmt_u(num, (unsigned)e), (char *)0);
	return buf;
}
#else
const char *errtext(int e, char *buf)
{
	(void)buf;
	return strerror(e);
}
#endif
char g_err[256];

/* Append the strings to buf[0..len); *cut set if they did not all fit. */
static size_t vjoin(char *buf, size_t size, size_t len, const char *s,
		    va_list ap, int *cut)
{
	for (; s; s = va_arg(ap, const char *)) {
		size_t n = strlen(s);
		if (n > size - 1 - len) {
			n = size - 1 - len;
			*cut = 1;
		}
		memcpy(buf + len, s, n);
		len += n;
	}
	buf[len] = 0;
	return len;
}

/* A text that had to be cut says so: it ends in "..." */
static size_t mark_cut(char *buf, size_t len, int cut)
{
	if (cut && len >= 3)
		memcpy(buf + len - 3, "...", 3);
	return len;
}

size_t strjoin(char *buf, size_t size, ...)
{
	va_list ap;
	int cut = 0;
	va_start(ap, size);
	/* the first string is fetched before ap is passed on: in one call
	 * the order of evaluation would decide (i386 copies ap first) */
	const char *first = va_arg(ap, const char *);
	size_t n = vjoin(buf, size, 0, first, ap, &cut);
	va_end(ap);
	return mark_cut(buf, n, cut);
}

int pathjoin(char *buf, size_t size, ...)
{
	va_list ap;
	int cut = 0;
	va_start(ap, size);
	const char *first = va_arg(ap, const char *);
	vjoin(buf, size, 0, first, ap, &cut);
	va_end(ap);
	if (!cut)
		return 0;
	fail("name too long: ", buf, (char *)0);
	errno = ENAMETOOLONG;
	return -1;
}

int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

void out_str(int fd, const char *s)
{
	write_all(fd, s, strlen(s));
}

/* One message line: "applet: " + parts [+ ": " + strerror(err)] + "\n". */
static void vsay(int err, const char *s, va_list ap)
{
	char buf[1024], num[32];
	size_t len = strjoin(buf, sizeof(buf) - 2, applet_name, ": ", (char *)0);
	int cut = 0;
	/* two statements: the order of a call's arguments is unspecified,
	 * and cut is only known once vjoin returns */
	len = vjoin(buf, sizeof(buf) - 2, len, s, ap, &cut);
	len = mark_cut(buf, len, cut);
	if (err)
		len = strjoin(buf + len, sizeof(buf) - 2 - len, ": ",
			      errtext(err, num), (char *)0) + len;
	buf[len++] = '\n';
	write_all(2, buf, len);
}

void say(const char *s, ...)
{
	va_list ap;
	va_start(ap, s);
	vsay(0, s, ap);
	va_end(ap);
}

void say_errno(const char *s, ...)
{
	int err = errno;
	va_list ap;
	va_start(ap, s);
	vsay(err, s, ap);
	va_end(ap);
	errno = err;
}

void (*die_hook)(void);

void die(int code, const char *s, ...)
{
	va_list ap;
	va_start(ap, s);
	vsay(0, s, ap);
	va_end(ap);
	if (ENABLED(CONFIG_DIVED) && die_hook)
		die_hook();
	_exit(code);
}

void die_errno(int code, const char *s, ...)
{
	int err = errno;
	va_list ap;
	va_start(ap, s);
	vsay(err, s, ap);
	va_end(ap);
	if (ENABLED(CONFIG_DIVED) && die_hook)
		die_hook();
	_exit(code);
}

static int vfail(int err, const char *s, va_list ap)
{
	char num[32];
	int cut = 0;
	size_t len = vjoin(g_err, sizeof(g_err), 0, s, ap, &cut);
	len = mark_cut(g_err, len, cut); /* cut is known only now */
	if (err)
		strjoin(g_err + len, sizeof(g_err) - len, ": ",
			errtext(err, num), (char *)0);
	errno = err;
	return -1;
}

int fail(const char *s, ...)
{
	va_list ap;
	va_start(ap, s);
	vfail(0, s, ap);
	va_end(ap);
	return -1;
}

int fail_errno(const char *s, ...)
{
	int err = errno;
	va_list ap;
	va_start(ap, s);
	vfail(err, s, ap);
	va_end(ap);
	return -1;
}

char *fmt_u(char *buf, unsigned long long v)
{
	char tmp[21];
	int i = 0, j = 0;
	do
		tmp[i++] = (char)('0' + v % 10);
	while ((v /= 10));
	while (i)
		buf[j++] = tmp[--i];
	buf[j] = 0;
	return buf;
}

int parse_ull(const char *s, int base, unsigned long long max,
	      unsigned long long *out)
{
	unsigned long long v = 0;
	if (!s || !*s)
		return -1;
	if (base == 0) {
		base = 10;
		if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && s[2]) {
			base = 16;
			s += 2;
		} else if (s[0] == '0' && s[1]) {
			base = 8;
		}
	}
	for (; *s; s++) {
		unsigned d;
		if (*s >= '0' && *s <= '9')
			d = (unsigned)(*s - '0');
		else if ((*s | 32) >= 'a' && (*s | 32) <= 'f')
			d = (unsigned)((*s | 32) - 'a' + 10);
		else
			return -1;
		if (d >= (unsigned)base)
			return -1;
		if (d > max || v > (max - d) / (unsigned)base)
			return -1;
		v = v * (unsigned)base + d;
	}
	*out = v;
	return 0;
}

int parse_uint(const char *s, unsigned max, unsigned *out)
{
	unsigned long long v;
	if (parse_ull(s, 10, max, &v))
		return -1;
	*out = (unsigned)v;
	return 0;
}

int startswith(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

#include <sys/vfs.h>
#include <linux/magic.h>

/* The pseudo filesystems whose files -t and pid files are meant for
 * (/proc/self/uid_map, cgroup.procs, /sys knobs): written as they are. */
static int pseudo_fs(int fd)
{
	struct statfs fs;
	if (fstatfs(fd, &fs))
		return 0;
	return fs.f_type == PROC_SUPER_MAGIC || fs.f_type == SYSFS_MAGIC ||
	       fs.f_type == CGROUP_SUPER_MAGIC ||
	       fs.f_type == CGROUP2_SUPER_MAGIC;
}

/* Root writes where an untrusted user may have been first: a final
 * symlink is not followed (ELOOP), a FIFO without reader does not block
 * (ENXIO, O_NONBLOCK), and anything but a regular file or a file of a
 * pseudo filesystem (a FIFO with a reader, a device, a socket) is refused
 * with EOPNOTSUPP before a byte is written. */
int write_file(const char *file, const char *text)
{
	struct stat st;
	int fd = open(file, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOCTTY |
		      O_NOFOLLOW | O_NONBLOCK, 0644);
	if (fd < 0)
		return -1;
	int r = fstat(fd, &st), pseudo = !r && pseudo_fs(fd);
	if (!r && !S_ISREG(st.st_mode) && !pseudo) {
		errno = EOPNOTSUPP;
		r = -1;
	}
	if (!r && S_ISREG(st.st_mode) && !pseudo && st.st_size > 0)
		r = ftruncate(fd, 0);
	if (!r)
		r = write_all(fd, text, strlen(text));
	int err = errno;
	if (close(fd) && !r)
		return -1;
	errno = err;
	return r;
}

int split_list(const char *list, int (*fn)(const char *item, void *arg),
	       void *arg)
{
	char item[256];
	const char *s = list;
	for (;;) {
		size_t len = strcspn(s, ",");
		if (!len)
			return fail("empty item in list '", list, "'", (char *)0);
		if (len >= sizeof(item))
			return fail("item too long in list '", list, "'",
				    (char *)0);
		memcpy(item, s, len);
		item[len] = 0;
		int r = fn(item, arg);
		if (r)
			return r;
		if (!s[len])
			return 0;
		s += len + 1;
	}
}

void print_version(void)
{
	char num[24];
	char line[128];
	size_t n = strjoin(line, sizeof(line), applet_name, " (divebox) ",
			   DIVEBOX_VERSION, ", protocol ",
			   fmt_u(num, PROTO_VERSION), "\n", (char *)0);
	write_all(1, line, n);
}

void clock_now(int clock, struct timespec *ts)
{
	/* the raw syscall: musl's vDSO lookup costs 1 KB for a few calls per
	 * session. 32-bit time64 ABIs (musl >= 1.2 on i386, arm...) only have
	 * the 64-bit one, whose struct is musl's struct timespec. */
	ts->tv_sec = ts->tv_nsec = 0;
#ifdef SYS_clock_gettime
	syscall(SYS_clock_gettime, clock, ts);
#else
	syscall(SYS_clock_gettime64, clock, ts);
#endif
}

long long monotonic_ms(void)
{
	struct timespec ts;
	clock_now(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
