/* fdplace.c — putting a client's fds at their numbers (see fdplace.h). */
#include "fdplace.h"
#include "util.h"
#include <fcntl.h>
#include <unistd.h>

/* Is fd one of want[0..n)? (ascending: bisect). Also asked of the
 * received fds, through a cast: they are >= 0, so as unsigned (which may
 * alias int) they sort the same. */
static int among(const uint32_t *want, unsigned n, int fd)
{
	unsigned lo = 0, hi = n;
	if (fd < 0)
		return 0;
	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;
		if (want[mid] == (uint32_t)fd)
			return 1;
		if (want[mid] < (uint32_t)fd)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

int fd_move_high(int *fd, int above)
{
	if (*fd < 0 || *fd > above)
		return 0;
	int nfd = fcntl(*fd, F_DUPFD_CLOEXEC, above + 1);
	if (nfd < 0)
		return fail_errno("moving an fd", (char *)0);
	close(*fd);
	*fd = nfd;
	return 0;
}

/* Where fds are put out of the way: the lowest numbers no client fd
 * wants (not above the highest wanted: that may be the last number
 * RLIMIT_NOFILE allows). `from` only grows, so all the moves of one
 * request cost O(fds): every wanted number is stepped over at most once. */
struct aside {
	const uint32_t *want;
	unsigned n;
	int from;
};

static int move_aside(struct aside *a, int *fd)
{
	for (;;) {
		int nfd = fcntl(*fd, F_DUPFD_CLOEXEC, a->from);
		if (nfd < 0)
			return fail_errno("moving an fd", (char *)0);
		a->from = nfd + 1;
		if (!among(a->want, a->n, nfd)) {
			close(*fd);
			*fd = nfd;
			return 0;
		}
		close(nfd);
	}
}

/* Move a received fd to its number, inheritable. */
static int put_fd(int fd, int want)
{
	if (fd == want)
		return fcntl(want, F_SETFD, 0) ? fail_errno("fd flags", (char *)0)
					       : 0;
	if (dup2(fd, want) < 0)
		return fail_errno("placing fds", (char *)0);
	close(fd);
	return 0;
}

static int ascending(const int *fds, unsigned n)
{
	for (unsigned i = 1; i < n; i++)
		if (fds[i] <= fds[i - 1])
			return 0;
	return 1;
}

/* The usual case: the kernel gave us the fds in ascending order. Placed
 * from the last one down, an fd only has to wait for a slot still held
 * by an fd not yet placed — which in practice never happens — so most
 * requests cost one dup2 and one close per fd and nothing is moved aside.
 * Returns how many fds (from the front) are left for the general way. */
static unsigned place_descending(int *fds, const uint32_t *want, unsigned n)
{
	if (!ascending(fds, n))
		return n;
	const uint32_t *got = (const uint32_t *)fds;
	while (n > 0 && !among(got, n - 1, (int)want[n - 1])) {
		if (put_fd(fds[n - 1], (int)want[n - 1]))
			break;
		n--;
	}
	return n;
}

int fdplace(int *fds, const uint32_t *want, unsigned n, int *const *mine,
	    unsigned nmine)
{
	struct aside a = { want, n, 3 };
	for (unsigned i = 0; i < nmine; i++)
		if (among(want, n, *mine[i]) && move_aside(&a, mine[i]))
			return -1;
	unsigned left = place_descending(fds, want, n);
	/* nor may a received fd sit on another one's number */
	for (unsigned i = 0; i < left; i++)
		if (fds[i] != (int)want[i] && among(want, n, fds[i]) &&
		    move_aside(&a, &fds[i]))
			return -1;
	for (unsigned i = 0; i < left; i++)
		if (put_fd(fds[i], (int)want[i]))
			return -1;
	return 0;
}
