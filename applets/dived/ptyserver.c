/* ptyserver.c — dived's side of pty mode (step 6 with RQ_PTY): a fresh
 * pseudo-terminal becomes the program's controlling terminal and its fds
 * 0-2; the master goes back to dive, which relays it (ptyclient.c).
 *
 * The pty comes from the /dev/ptmx and /dev/pts of the mount namespace
 * and root the handler is in at this step (after -N, -R, -V and -r). */
#include "ptyserver.h"
#include "fdplace.h"
#if ENABLED(CONFIG_FEATURE_PTY)
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

/* The slave without a path lookup when the kernel can (Linux 4.13+): a
 * /dev/pts that is not the instance behind /dev/ptmx cannot hand us
 * someone else's terminal. Else by name, as ptsname_r would (whose
 * snprintf would cost this static binary the whole of printf). */
static int open_slave(int master)
{
	char name[40], num[24];
	unsigned n;
	int fd = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd >= 0 || (errno != EINVAL && errno != ENOTTY))
		return fd;
	if (ioctl(master, TIOCGPTN, &n))
		return -1;
	strjoin(name, sizeof(name), "/dev/pts/", fmt_u(num, n), (char *)0);
	return open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
}

/* The pty belongs to the program's user (-u bob: bob's, as with sudo's
 * use_pty), so that programs which reopen their terminal by name (tty,
 * screen, mesg, pinentry) work. Only root can give it away; otherwise the
 * slave keeps dived's uid, which is then the program's anyway. */
static int own_slave(int slave, uid_t uid)
{
	if (geteuid() != 0 || uid == 0)
		return 0;
	/* EPERM/EINVAL: a user namespace root, or an unmapped uid: the
	 * program still has its fds, only reopening by name fails */
	if (fchown(slave, uid, (gid_t)-1) && errno != EPERM && errno != EINVAL)
		return fail_errno("chown of the pty", (char *)0);
	return 0;
}

static int set_size(int slave, const struct req_header *h)
{
	struct winsize ws = { .ws_row = h->ws_row, .ws_col = h->ws_col };
	if (!ws.ws_row && !ws.ws_col)
		return 0; /* the client's stdin is not a terminal */
	return ioctl(slave, TIOCSWINSZ, &ws) ? fail_errno("TIOCSWINSZ", (char *)0)
					     : 0;
}

/* New session, slave as controlling terminal on 0, 1 and 2. The client
 * did not send 0-2, so those numbers are free for us to take. */
static int attach_slave(int slave)
{
	if (setsid() < 0 && getsid(0) != getpid())
		return fail_errno("setsid", (char *)0);
	if (ioctl(slave, TIOCSCTTY, 0))
		return fail_errno("TIOCSCTTY on the pty", (char *)0);
	for (int fd = 0; fd < 3; fd++)
		if (dup2(slave, fd) < 0)
			return fail_errno("dup2 of the pty", (char *)0);
	return 0;
}

/* Master and slave, both above 2 so that the dup2s cannot hit them
 * (dived may run with 0-2 closed). */
static int open_pty(int *m, int *sl)
{
	if ((*m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0)
		return fail_errno("no pty (/dev/ptmx)", (char *)0);
	if (fd_move_high(m, 2))
		return -1;
	if (grantpt(*m) || unlockpt(*m))
		return fail_errno("unlocking the pty", (char *)0);
	if ((*sl = open_slave(*m)) < 0)
		return fail_errno("opening the pty slave (/dev/pts)", (char *)0);
	return fd_move_high(sl, 2);
}

int pty_server_setup(struct session *s)
{
	int m = -1, sl = -1;
	int r = open_pty(&m, &sl) ? -2 : 0; /* -2: nothing changed yet */
	uid_t owner = s->id.change ? s->id.uid : geteuid();
	if (!r && (own_slave(sl, owner) || set_size(sl, &s->req.h) ||
		   attach_slave(sl)))
		r = -1;
	if (sl >= 0)
		close(sl); /* 0-2 hold it now */
	if (!r)
		s->pty_master = m;
	else if (m >= 0)
		close(m);
	return r;
}
#endif
