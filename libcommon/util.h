/* util.h — tiny output, error and number helpers shared by every applet.
 * No stdio: messages are assembled in a stack buffer and written with one
 * write(2), so they never interleave and cost no buffering code. */
#ifndef DIVEBOX_UTIL_H
#define DIVEBOX_UTIL_H
#include "config.h"
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* ENABLED(CONFIG_X): 1 if the Kconfig symbol is set (=y), else 0, usable
 * in #if and in C expressions (the Linux kconfig.h trick). */
#define DB_PLACEHOLDER_1 0,
#define DB_SECOND(ignored, val, ...) val
#define DB_ISDEF3(arg) DB_SECOND(arg 1, 0, 0)
#define DB_ISDEF2(val) DB_ISDEF3(DB_PLACEHOLDER_##val)
#define ENABLED(opt) DB_ISDEF2(opt)

#include "leanlibc.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Exit codes shared by the applets (see SPEC §2, §3). */
enum {
	EC_SOCKET = 1,   /* dive: cannot create the socket */
	EC_CONNECT = 2,  /* dive: cannot connect */
	EC_PROTO = 3,    /* dive: not a dived, or wrong protocol version */
	EC_USAGE = 4,    /* usage / bad option */
	EC_DIVE_ENV = 12,/* dive: bad DIVE_* setting */
	EC_NOEXEC = 127, /* refused, dropped, or program not executable */
};

extern const char *applet_name;

struct timespec;
/* clock_gettime(clock) as the bare system call (zero if it fails). */
void clock_now(int clock, struct timespec *ts);
/* CLOCK_MONOTONIC in milliseconds: for deadlines. */
long long monotonic_ms(void);

/* "NAME (divebox) VERSION, protocol N\n" on stdout, for --version. */
void print_version(void);

/* Write "applet: a b c...\n" (NULL-terminated list of strings) to fd 2. */
void say(const char *s, ...) __attribute__((sentinel));
/* Same, then ": strerror(errno)". */
void say_errno(const char *s, ...) __attribute__((sentinel));
/* say() then exit(code). */
/* die_hook, if set, runs before die()'s _exit (dived removes its socket) */
extern void (*die_hook)(void);
void die(int code, const char *s, ...) __attribute__((sentinel, noreturn));
void die_errno(int code, const char *s, ...) __attribute__((sentinel, noreturn));

/* Last error of a setup step, one line, for refusals and messages. */
extern char g_err[256];
/* Fill g_err with the strings (NULL-terminated), optionally + ": strerror".
 * Both return -1 so that "return fail(...)" reads naturally. */
int fail(const char *s, ...) __attribute__((sentinel));
int fail_errno(const char *s, ...) __attribute__((sentinel));
/* errno e's text (buf: 32 bytes, for an unknown e) */
const char *errtext(int e, char *buf);

/* Concatenate NULL-terminated strings into buf (always terminated);
 * returns the length. A text that does not fit is cut and ends in "...":
 * for messages. Names and paths use pathjoin, which refuses instead. */
size_t strjoin(char *buf, size_t size, ...) __attribute__((sentinel));
/* Same, but 0 if it all fitted, else -1 with errno ENAMETOOLONG and g_err
 * "name too long: ..." (buf then holds the cut text). */
int pathjoin(char *buf, size_t size, ...) __attribute__((sentinel));

/* Full write / read, retrying on EINTR and short counts. */
int write_all(int fd, const void *buf, size_t len);
void out_str(int fd, const char *s);
/* Write text to file (created if missing) in one write, without O_TRUNC:
 * /proc and cgroup files must see one plain write. No final symlink is
 * followed (ELOOP), a FIFO is not waited for (O_NONBLOCK: ENXIO without a
 * reader), only regular files or files on proc, sysfs or cgroupfs are
 * written (others: EOPNOTSUPP), and only a regular file that has data is
 * truncated first, as "echo -n TEXT > FILE" would. 0, or -1 with errno. */
int write_file(const char *file, const char *text);

/* Decimal formatting; returns buf. buf needs 21 bytes. */
char *fmt_u(char *buf, unsigned long long v);

/* Strict number parsing: whole string, no sign, no overflow. base 8/10,
 * 0 = C-style. Return 0 on success, -1 otherwise. */
int parse_ull(const char *s, int base, unsigned long long max,
	      unsigned long long *out);
int parse_uint(const char *s, unsigned max, unsigned *out);

/* The one splitter of every comma list (-g, -N lists, capabilities,
 * rlimits, access lists): fn(item, arg) for each item, a NUL-terminated
 * copy. Fails closed: an empty list or item (",", "a,,b", "a,") or one
 * over 255 bytes is -1 with g_err naming the list. Returns 0, -1, or the
 * first non-zero value fn returned (fn sets g_err then). */
int split_list(const char *list, int (*fn)(const char *item, void *arg),
	       void *arg);

/* Return 1 if s starts with prefix. */
int startswith(const char *s, const char *prefix);

#endif
