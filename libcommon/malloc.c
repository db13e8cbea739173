/* malloc.c — a tiny allocator that replaces musl's in the static build.
 *
 * Why it is enough: every divebox process is short-lived (dive, justexec,
 * a dived child that execs) or allocates only at start (dived's accept
 * loop allocates nothing per client). So memory comes from mmap'd chunks
 * and is given back only when the most recent block is freed or resized.
 * It saves ~8 KB of mallocng in every binary. Compiled only with musl
 * (DIVEBOX_LEAN_LIBC): sanitizer and glibc builds keep the real one. */
#ifdef DIVEBOX_LEAN_LIBC
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#define ALIGN 16
#define CHUNK (64 * 1024)

static char *cur, *end, *last;

static size_t *hdr(void *p)
{
	return (size_t *)p - 2; /* one 16-byte header keeps alignment */
}

void *malloc(size_t n)
{
	if (n > SIZE_MAX / 2) {
		errno = ENOMEM;
		return NULL;
	}
	size_t need = ((n + ALIGN - 1) & ~(size_t)(ALIGN - 1)) + ALIGN;
	if (!cur || need > (size_t)(end - cur)) {
		size_t len = need > CHUNK ? (need + 4095) & ~(size_t)4095 : CHUNK;
		char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) {
			errno = ENOMEM;
			return NULL;
		}
		cur = p;
		end = p + len;
	}
	last = cur + ALIGN;
	*hdr(last) = need - ALIGN;
	cur += need;
	return last;
}

void free(void *p)
{
	if (p && p == last) { /* the common malloc/free pair costs nothing */
		cur = (char *)p - ALIGN;
		last = NULL;
	}
}

void *calloc(size_t m, size_t n)
{
	if (n && m > SIZE_MAX / n) {
		errno = ENOMEM;
		return NULL;
	}
	void *p = malloc(m * n);
	return p ? memset(p, 0, m * n) : NULL; /* mmap'd is zero, reuse not */
}

void *realloc(void *p, size_t n)
{
	if (!p)
		return malloc(n);
	size_t old = *hdr(p);
	if (p == last && (size_t)(end - (char *)p) >= n) {
		size_t need = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
		*hdr(p) = need;
		cur = (char *)p + need;
		return p;
	}
	if (n <= old)
		return p;
	void *q = malloc(n);
	if (q)
		memcpy(q, p, old);
	return q;
}

/* musl calls these names internally (the aliases need not repeat the
 * attributes libc.h gives the originals) */
#pragma GCC diagnostic ignored "-Wmissing-attributes"
void *__libc_malloc(size_t n) __attribute__((alias("malloc")));
void *__libc_calloc(size_t m, size_t n) __attribute__((alias("calloc")));
void *__libc_realloc(void *p, size_t n) __attribute__((alias("realloc")));
void __libc_free(void *p) __attribute__((alias("free")));
#endif
