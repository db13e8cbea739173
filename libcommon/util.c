/* util.c — see util.h */
#include "util.h"
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *applet_name = "divebox";
char g_err[256];

static size_t vjoin(char *buf, size_t size, size_t len, const char *s,
		    va_list ap)
{
	for (; s; s = va_arg(ap, const char *)) {
		size_t n = strlen(s);
		if (n > size - 1 - len)
			n = size - 1 - len;
		memcpy(buf + len, s, n);
		len += n;
	}
	buf[len] = 0;
	return len;
}

size_t strjoin(char *buf, size_t size, ...)
{
	va_list ap;
	va_start(ap, size);
	size_t n = vjoin(buf, size, 0, va_arg(ap, const char *), ap);
	va_end(ap);
	return n;
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
	char buf[1024];
	size_t len = strjoin(buf, sizeof(buf) - 2, applet_name, ": ", (char *)0);
	len = vjoin(buf, sizeof(buf) - 2, len, s, ap);
	if (err)
		len = strjoin(buf + len, sizeof(buf) - 2 - len, ": ",
			      strerror(err), (char *)0) + len;
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

void die(int code, const char *s, ...)
{
	va_list ap;
	va_start(ap, s);
	vsay(0, s, ap);
	va_end(ap);
	_exit(code);
}

void die_errno(int code, const char *s, ...)
{
	int err = errno;
	va_list ap;
	va_start(ap, s);
	vsay(err, s, ap);
	va_end(ap);
	_exit(code);
}

static int vfail(int err, const char *s, va_list ap)
{
	size_t len = vjoin(g_err, sizeof(g_err), 0, s, ap);
	if (err)
		strjoin(g_err + len, sizeof(g_err) - len, ": ", strerror(err),
			(char *)0);
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

char *fmt_i(char *buf, long long v)
{
	if (v >= 0)
		return fmt_u(buf, (unsigned long long)v);
	buf[0] = '-';
	fmt_u(buf + 1, 0 - (unsigned long long)v);
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
