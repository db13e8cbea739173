/* audit.c — dived --log / --syslog, one line per session; the scheme (who
 * writes the line, and why it is only one) is explained in audit.h.
 *
 *   dived: 2025-01-31T12:00:00Z uid=1000 pid=4242 user=alice argv0=sh
 *          started pid 4243, exit 0
 *
 * (one line). Outcome: "started pid N, exit N" / "started pid N, killed
 * by signal N" / "refused: WHY" / "failed: WHY" (exec failed) / "dropped:
 * handler ..." (the handler died before it could say why). */
#include "audit.h"
#if ENABLED(CONFIG_FEATURE_LOG)
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct audit_rec {
	uint32_t uid, pid;  /* SO_PEERCRED; pid 0: unknown */
	uint32_t prog;      /* program pid, 0 until the exec */
	char user[33];
	char argv0[64];
	char outcome[200];  /* "" until the child refuses or fails */
};

static struct audit_rec *slots;   /* dived: one per client slot */
static struct audit_rec *cur;     /* where this process records */
static const struct server *self; /* waiting handler: it writes the line */
/* where lines go: [0] dived's stderr, kept (--log), [1] a datagram
 * socket to /dev/log (--syslog); -1 when not asked for */
static int fds[2] = { -1, -1 };

static void *shared(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

static int logging(const struct server *sv)
{
	return !!(sv->flags & (SV_LOG | SV_SYSLOG));
}

static const struct sockaddr_un devlog = { AF_UNIX, "/dev/log" };

static void syslog_connect(int fd)
{
	connect(fd, (const struct sockaddr *)&devlog, sizeof(devlog));
}

void audit_open(const struct server *sv)
{
	if (sv->flags & SV_LOG)
		fds[0] = fcntl(2, F_DUPFD_CLOEXEC, 3);
	if (!(sv->flags & SV_SYSLOG))
		return;
	fds[1] = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fds[1] < 0)
		die_errno(1, "--syslog: socket", (char *)0);
	syslog_connect(fds[1]); /* no syslogd yet: retried per line */
}

int *audit_fds(void)
{
	return fds;
}

void audit_slots(const struct server *sv, unsigned n)
{
	if (logging(sv) && !(slots = shared(n * sizeof(*slots))))
		die_errno(1, "--log: mmap", (char *)0);
}

static void peer(struct audit_rec *r, int conn)
{
	struct ucred uc;
	socklen_t len = sizeof(uc);
	memset(r, 0, sizeof(*r));
	r->uid = (uint32_t)-1;
	if (getsockopt(conn, SOL_SOCKET, SO_PEERCRED, &uc, &len) == 0) {
		r->uid = uc.uid;
		r->pid = (uint32_t)uc.pid;
	}
}

void audit_accepted(unsigned i, int conn)
{
	if (slots)
		peer(&slots[i], conn);
}

void audit_select(unsigned i)
{
	cur = slots ? &slots[i] : NULL;
}

void audit_private(const struct server *sv, int conn)
{
	if (!logging(sv) || !(cur = shared(sizeof(*cur))))
		return; /* no record: no line, the session still runs */
	self = sv;
	peer(cur, conn);
}

void audit_client(const struct client *cl)
{
	if (cur)
		strjoin(cur->user, sizeof(cur->user), cl->user, (char *)0);
}

void audit_outcome(const char *prefix, const char *why)
{
	if (cur && !cur->outcome[0])
		strjoin(cur->outcome, sizeof(cur->outcome), prefix, why,
			(char *)0);
}

/* The length of the UTF-8 sequence at s if it may reach the log, else 0:
 * not valid UTF-8 (a stray or cut byte, an overlong form, a surrogate,
 * past U+10FFFF), or a character that can make a line read as another:
 * a C1 control (U+0085 is a newline to some readers, U+009B a CSI to
 * some terminals), ALM, LRM/RLM, the line and paragraph separators, the bidi
 * embeddings, overrides and isolates ("Trojan Source"). */
static size_t utf8_ok(const unsigned char *s)
{
	static const unsigned bad[][2] = { { 0x80, 0x9f }, { 0x61c, 0x61c },
					   { 0x200e, 0x200f },
					   { 0x2028, 0x202e }, { 0x2066, 0x2069 } };
	static const unsigned least[] = { 0, 0, 0x80, 0x800, 0x10000 };
	unsigned c = s[0];
	size_t n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
	if (c < 0xc2 || c > 0xf4)
		return 0;
	unsigned cp = c & (0x3fu >> (n - 1));
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80) /* (the NUL at the end too) */
			return 0;
		cp = cp << 6 | (s[i] & 0x3fu);
	}
	if (cp < least[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		if (cp >= bad[i][0] && cp <= bad[i][1])
			return 0;
	return n;
}

/* Client-chosen text must not split or forge lines or fields: control
 * characters become '?', and so does each byte of a sequence utf8_ok()
 * refuses (other UTF-8, a user name "josé", stays); so do spaces in
 * every field but the outcome, and '=' in the outcome, which keeps its
 * spaces to stay readable: a reason or argv like "x uid=0 pid=1" shows
 * as "x uid?0 pid?1", never as a key=value field (no fixed outcome text
 * has an '='). */
void audit_escape(char *str, int outcome)
{
	unsigned char *s = (unsigned char *)str;
	while (*s) {
		size_t n = *s < 0x80 ? 1 : utf8_ok(s);
		if (!n || (n == 1 && (*s < 0x20 + !outcome || *s == 0x7f ||
				      (outcome && *s == '=')))) {
			*s = '?';
			n = 1;
		}
		s += n;
	}
}

/* ISO-8601 UTC without gmtime(): days to civil date (H. Hinnant's
 * algorithm, for times after 1970). buf: 21 bytes. */
#define SECS_PER_DAY 86400
#define DAYS_0000_03_TO_1970 719468 /* 0000-03-01 to 1970-01-01 */
static char *iso_time(char *buf)
{
	struct timespec ts;
	clock_now(CLOCK_REALTIME, &ts);
	unsigned long long t = (unsigned long long)ts.tv_sec;
	unsigned long z = (unsigned long)(t / SECS_PER_DAY) + DAYS_0000_03_TO_1970;
	unsigned long era = z / 146097, doe = z % 146097;
	unsigned long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned long mp = (5 * doy + 2) / 153, m = mp < 10 ? mp + 3 : mp - 9;
	unsigned long v[6] = { yoe + era * 400 + (m <= 2), m,
			       doy - (153 * mp + 2) / 5 + 1, t / 3600 % 24,
			       t / 60 % 60, t % 60 };
	static const char sep[] = "--T::Z";
	char *p = buf;
	for (int i = 0; i < 6; i++) {
		int w = i ? 2 : 4;
		for (int k = w - 1; k >= 0; k--, v[i] /= 10)
			p[k] = (char)('0' + v[i] % 10);
		p += w;
		*p++ = sep[i];
	}
	*p = 0;
	return buf;
}

static void status_text(char *buf, size_t size, const char *what, int st)
{
	char n[24];
	if (WIFSIGNALED(st))
		strjoin(buf, size, what, "killed by signal ",
			fmt_u(n, (unsigned)WTERMSIG(st)), (char *)0);
	else
		strjoin(buf, size, what, "exit ",
			fmt_u(n, (unsigned)WEXITSTATUS(st)), (char *)0);
}

/* The outcome of a record: its reason, or what became of the program
 * (st: its wait status; -1: none), or of the handler that said nothing. */
static void outcome(const struct audit_rec *r, int st, int handler_st,
		    char *buf, size_t size)
{
	char head[48], n[24];
	if (r->outcome[0])
		strjoin(buf, size, r->outcome, (char *)0);
	else if (r->prog && st == -1)
		strjoin(buf, size, "started pid ", fmt_u(n, r->prog),
			", not waited for (-w)", (char *)0);
	else if (r->prog) {
		strjoin(head, sizeof(head), "started pid ", fmt_u(n, r->prog),
			", ", (char *)0);
		status_text(buf, size, head, st);
	} else if (handler_st != -1)
		status_text(buf, size, "dropped: handler ", handler_st);
	else
		strjoin(buf, size, "dropped", (char *)0);
}

static void emit(const char *body)
{
	char line[512], pid[24];
	size_t n;
	if (fds[0] >= 0) {
		n = strjoin(line, sizeof(line) - 1, "dived: ", body, (char *)0);
		line[n++] = '\n';
		write_all(fds[0], line, n);
	}
	if (fds[1] >= 0) {
		/* LOG_AUTHPRIV | LOG_INFO; syslogd adds its own time stamp */
		n = strjoin(line, sizeof(line), "<86>dived[",
			    fmt_u(pid, (unsigned)getpid()), "]: ", body,
			    (char *)0);
		if (send(fds[1], line, n, MSG_DONTWAIT | MSG_NOSIGNAL) < 0) {
			syslog_connect(fds[1]); /* syslogd restarted? */
			send(fds[1], line, n, MSG_DONTWAIT | MSG_NOSIGNAL);
		}
	}
}

static void write_line(struct audit_rec *r, int st, int handler_st)
{
	char body[400], t[24], u[24], p[24], out[sizeof(r->outcome) + 40];
	r->user[sizeof(r->user) - 1] = 0; /* written by a child: re-terminate */
	r->argv0[sizeof(r->argv0) - 1] = 0;
	r->outcome[sizeof(r->outcome) - 1] = 0;
	audit_escape(r->user, 0);
	audit_escape(r->argv0, 0);
	outcome(r, st, handler_st, out, sizeof(out));
	audit_escape(out, 1);
	strjoin(body, sizeof(body), iso_time(t), " uid=",
		r->uid == (uint32_t)-1 ? "?" : fmt_u(u, r->uid), " pid=",
		fmt_u(p, r->pid), " user=", r->user[0] ? r->user : "?",
		" argv0=", r->argv0[0] ? r->argv0 : "?", " ", out, (char *)0);
	emit(body);
}

void audit_exec(const char *argv0)
{
	if (!cur)
		return;
	strjoin(cur->argv0, sizeof(cur->argv0), argv0, (char *)0);
	cur->prog = (uint32_t)getpid();
	if (self && (self->flags & SV_NO_WAIT))
		write_line(cur, -1, -1); /* nobody reaps it: now */
}

void audit_reaped(const struct server *sv, unsigned i, int status)
{
	if (!slots)
		return;
	struct audit_rec *r = &slots[i];
	write_line(r, r->prog ? status : -1, status);
	memset(r, 0, sizeof(*r));
}

void audit_finish(const struct server *sv, int status)
{
	if (cur && self)
		write_line(cur, status, -1);
}

void audit_refused_now(const struct server *sv, int conn, const char *why)
{
	struct audit_rec r;
	if (!logging(sv))
		return;
	peer(&r, conn);
	strjoin(r.outcome, sizeof(r.outcome), "refused: ", why, (char *)0);
	write_line(&r, -1, -1);
}
#endif
