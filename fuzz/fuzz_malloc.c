/* fuzz_malloc.c — libFuzzer harness for the musl build's tiny allocator
 * (libcommon/malloc.c), which cannot replace malloc under ASan: it is
 * included here under other names (tiny_malloc...), its mmap recorded so
 * that every input starts from a fresh allocator, and driven by the input
 * as a sequence of malloc/calloc/realloc/free calls. A shadow copy of
 * every live block checks what ASan cannot see inside the allocator's own
 * chunks: 16-byte alignment, no two live blocks overlapping, contents kept
 * (by free and realloc of other blocks, by realloc of the block itself up
 * to the smaller size), calloc'd memory zero. UBSan watches its size
 * arithmetic. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* the allocator's mmap, recorded (munmap'd when an input is done) */
static struct { void *p; size_t len; } maps[4096];
static unsigned nmaps;
static void *rec_mmap(void *a, size_t len, int prot, int fl, int fd, off_t o)
{
	void *p = mmap(a, len, prot, fl, fd, o);
	if (p != MAP_FAILED && nmaps < sizeof(maps) / sizeof(maps[0]))
		maps[nmaps].p = p, maps[nmaps++].len = len;
	return p;
}

#define DIVEBOX_LEAN_LIBC
#define malloc tiny_malloc
#define calloc tiny_calloc
#define realloc tiny_realloc
#define free tiny_free
#define mmap rec_mmap
#define __attribute__(x) /* its __libc_* aliases become declarations */
#include "../libcommon/malloc.c"
#undef __attribute__
#undef malloc
#undef calloc
#undef realloc
#undef free
#undef mmap

#define LIVE 64
static struct blk { unsigned char *p; size_t n; unsigned char seed; } live[LIVE];
static unsigned nlive;

static void fill(struct blk *b)
{
	for (size_t i = 0; i < b->n; i++)
		b->p[i] = (unsigned char)(b->seed + i * 7);
}

/* every byte of the first and last 256, a sample between (overlaps are
 * found exactly by check_all; this finds writes into a live block) */
static void verify(const struct blk *b, size_t upto)
{
	for (size_t i = 0; i < upto; i += (i < 256 || upto - i <= 256) ? 1 : 97)
		if (b->p[i] != (unsigned char)(b->seed + i * 7))
			abort(); /* a live block was overwritten */
}

static void check_all(void)
{
	for (unsigned i = 0; i < nlive; i++) {
		if ((uintptr_t)live[i].p % 16)
			abort(); /* misaligned */
		verify(&live[i], live[i].n);
		for (unsigned j = i + 1; j < nlive; j++) {
			uintptr_t a = (uintptr_t)live[i].p, b = (uintptr_t)live[j].p;
			if (a < b + live[j].n && b < a + live[i].n &&
			    live[i].n && live[j].n)
				abort(); /* two live blocks overlap */
		}
	}
}

static void reset(void)
{
	for (unsigned i = 0; i < nmaps; i++)
		munmap(maps[i].p, maps[i].len);
	nmaps = 0;
	nlive = 0;
	cur = end = last = NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t size)
{
	size_t i = 0;

	reset();
	while (i + 3 <= size) {
		unsigned op = d[i] & 3, k = d[i] >> 2;
		size_t n = (size_t)d[i + 1] | (size_t)(d[i + 2] & 15) << 8;
		i += 3;
		if (d[i - 1] & 0x80)
			n += CHUNK; /* now and then a block larger than a chunk */
		struct blk *b = nlive ? &live[k % nlive] : NULL;
		switch (op) {
		case 0: /* malloc */
		case 1: /* calloc */
			if (nlive == LIVE)
				break;
			b = &live[nlive];
			b->p = op ? tiny_calloc(1, n) : tiny_malloc(n);
			if (!b->p)
				abort();
			if (op)
				for (size_t j = 0; j < n; j++)
					if (b->p[j])
						abort(); /* calloc not zero */
			b->n = n;
			b->seed = (unsigned char)(i * 31);
			fill(b);
			nlive++;
			break;
		case 2: /* realloc */
			if (!b)
				break;
			{
				unsigned char *q = tiny_realloc(b->p, n);
				if (!q)
					abort();
				b->p = q;
				verify(b, b->n < n ? b->n : n);
				b->n = n;
				fill(b);
			}
			break;
		default: /* free */
			if (!b)
				break;
			tiny_free(b->p);
			*b = live[--nlive];
			break;
		}
		check_all();
	}
	/* the allocator's own bound checks */
	errno = 0;
	if (tiny_malloc(SIZE_MAX) || errno != ENOMEM || tiny_calloc(SIZE_MAX / 2, 3))
		abort();
	reset();
	return 0;
}
