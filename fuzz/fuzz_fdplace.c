/* fuzz_fdplace.c — libFuzzer target for step 3's fd placement, fdplace()
 * (applets/dived/fdplace.c): the client chooses the numbers, dived's own
 * fds must survive wherever they sit.
 *
 * The input chooses n received fds (at most MAXN) at numbers of its
 * choice, close-on-exec or not, a strictly ascending want[] list, and up
 * to MAXMINE of "dived's own" fds (close-on-exec, as dived's are; or -1).
 * Every one is a dup of its own memfd, made once, so that fstat's inode
 * tells which file an fd is. After fdplace() the contract is checked:
 * want[i] is the file fds[i] was and inheritable; every *mine is still
 * its file, close-on-exec and on no wanted number; and over the range
 * scanned no fd is open but those and the ones open before (no leak, no
 * fd lost). abort() on a violation; then everything is closed again.
 *
 * Numbers come from the ones free when the target starts (libFuzzer's
 * own fds are never offered) plus 0-2, which a client may want: stdio is
 * saved high and put back after each input. A report written while 0-2
 * are taken may be lost; the crash artifact is still written. */
#include "fdplace.h"
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAXN 24
#define MAXMINE 6
#define RANGE 200  /* numbers offered: below this */
#define SCAN 320   /* checked for leaks: moved-aside fds land below this */
#define HIGH 1000  /* the memfds and saved stdio live here */

static int usable[RANGE], nusable;
static unsigned char base[SCAN]; /* open when the target started */
static ino_t ino[MAXN + MAXMINE];
static dev_t dev[MAXN + MAXMINE];
static int tmpl[MAXN + MAXMINE], saved[3];

static int is_open(int fd)
{
	return fcntl(fd, F_GETFD) >= 0;
}

static void init(void)
{
	for (int fd = 0; fd < SCAN; fd++)
		base[fd] = (unsigned char)is_open(fd);
	for (int fd = 0; fd < RANGE; fd++)
		if (fd < 3 || !base[fd])
			usable[nusable++] = fd;
	for (int k = 0; k < 3; k++)
		if ((saved[k] = fcntl(k, F_DUPFD_CLOEXEC, HIGH + 100)) < 0)
			abort();
	for (int j = 0; j < MAXN + MAXMINE; j++) {
		struct stat st;
		int fd = memfd_create("fdplace", MFD_CLOEXEC);
		if (fd < 0 || (tmpl[j] = fcntl(fd, F_DUPFD_CLOEXEC, HIGH)) < 0 ||
		    fstat(tmpl[j], &st))
			abort();
		close(fd);
		ino[j] = st.st_ino;
		dev[j] = st.st_dev;
	}
}

struct input {
	const uint8_t *p, *end;
};

static unsigned byte(struct input *in)
{
	return in->p < in->end ? *in->p++ : 0;
}

/* A free number of usable[] (b chooses; taken ones are stepped over). */
static int pick(unsigned b, const unsigned char *taken)
{
	for (int k = 0; k < nusable; k++) {
		int fd = usable[(b + (unsigned)k) % (unsigned)nusable];
		if (!taken[fd])
			return fd;
	}
	abort(); /* never: MAXN + MAXMINE < nusable */
}

static int same_file(int fd, int j)
{
	struct stat st;
	return fstat(fd, &st) == 0 && st.st_ino == ino[j] && st.st_dev == dev[j];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct input in = { data, data + size };
	unsigned char taken[RANGE] = { 0 }, expect[SCAN];
	int fds[MAXN], orig[MAXN], minev[MAXMINE], *mine[MAXMINE];
	uint32_t want[MAXN];

	if (!ready) {
		init();
		ready = 1;
	}
	unsigned n = byte(&in) % (MAXN + 1), nmine = byte(&in) % (MAXMINE + 1);
	unsigned cloexec = byte(&in) | byte(&in) << 8 | byte(&in) << 16;
	for (unsigned i = 0; i < n; i++)
		taken[orig[i] = pick(byte(&in), taken)] = 1;
	for (unsigned k = 0; k < nmine; k++) {
		unsigned b = byte(&in);
		minev[k] = b == 0xff ? -1 : pick(b, taken);
		if (minev[k] >= 0)
			taken[minev[k]] = 1;
		mine[k] = &minev[k];
	}
	/* want: ascending indexes into usable[], each step 1 + a byte */
	unsigned idx = 0;
	for (unsigned i = 0; i < n; i++) {
		idx += byte(&in) + (i > 0);
		if (idx >= (unsigned)nusable) {
			n = i; /* ran off the range: fewer fds */
			break;
		}
		want[i] = (uint32_t)usable[idx];
	}

	/* place them: every number is free (or 0-2, replaced) */
	for (unsigned i = 0; i < n; i++)
		if (dup3(tmpl[i], fds[i] = orig[i],
			 (cloexec >> i & 1) ? O_CLOEXEC : 0) < 0)
			abort();
	for (unsigned k = 0; k < nmine; k++)
		if (minev[k] >= 0 && dup3(tmpl[MAXN + k], minev[k], O_CLOEXEC) < 0)
			abort();
	int initial[MAXMINE];
	memcpy(initial, minev, sizeof(initial));

	if (fdplace(fds, want, n, mine, nmine))
		abort(); /* nothing here can fail: fds are far below the limit */

	memcpy(expect, base, sizeof(expect));
	for (unsigned i = 0; i < n; i++)
		expect[orig[i]] = 0;
	for (unsigned k = 0; k < nmine; k++)
		if (initial[k] >= 0)
			expect[initial[k]] = 0;
	for (unsigned i = 0; i < n; i++) {
		if (!same_file((int)want[i], (int)i))
			abort(); /* want[i] is not the file the client sent */
		if (fcntl((int)want[i], F_GETFD) != 0)
			abort(); /* not inheritable */
		expect[want[i]] = 1;
	}
	for (unsigned k = 0; k < nmine; k++) {
		int fd = minev[k];
		if (initial[k] < 0) {
			if (fd != -1)
				abort(); /* a -1 entry was touched */
			continue;
		}
		if (fd < 0 || fd >= SCAN || !same_file(fd, MAXN + (int)k))
			abort(); /* dived's own fd lost or replaced */
		if (!(fcntl(fd, F_GETFD) & FD_CLOEXEC))
			abort(); /* it would reach the program */
		for (unsigned i = 0; i < n; i++)
			if (want[i] == (uint32_t)fd)
				abort(); /* on a number the client wants */
		expect[fd] = 1;
	}
	for (int fd = 0; fd < SCAN; fd++)
		if (is_open(fd) != expect[fd])
			abort(); /* leaked, or closed what it must not */

	for (unsigned i = 0; i < n; i++)
		close((int)want[i]);
	for (unsigned k = 0; k < nmine; k++)
		if (minev[k] >= 0)
			close(minev[k]);
	for (int k = 0; k < 3; k++)
		if (dup2(saved[k], k) < 0)
			abort();
	return 0;
}
