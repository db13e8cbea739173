/* audit.h — dived --log / --syslog: ONE line per session
 * (CONFIG_FEATURE_LOG; compiled out, every call below is an empty inline).
 *
 * One session = one line, written by the process that reaps the program:
 *
 * - plain accept loop: the handler child becomes the program, dived reaps
 *   it. dived keeps one record per client slot in a MAP_SHARED anonymous
 *   mapping made once: at accept it fills the peer's uid/pid (SO_PEERCRED),
 *   the child adds user name, argv[0] and program pid just before exec, or
 *   the reason it refused; at reap dived writes the line and clears the
 *   record. No fd, no pipe, no extra syscall per session in the child.
 * - waiting handlers (-n, --signals-pgid, -D, -F, -i): the waiter reaps the
 *   program, so it writes the line itself from a record of its own (also
 *   MAP_SHARED, so that the program child's exec failure reaches it); dived
 *   then writes nothing for that slot.
 * - a refusal before any fork (--max-clients): dived writes it at once.
 *
 * Client-controlled text (argv[0], reasons) is sanitised: no control
 * character (C0, DEL, C1), no invalid UTF-8, no line separator or bidi
 * control reaches the log, no space a field, no '=' the outcome (the
 * last, free-text part), so neither a line nor a field can be forged. */
#ifndef DIVEBOX_AUDIT_H
#define DIVEBOX_AUDIT_H
#include "server.h"

#if ENABLED(CONFIG_FEATURE_LOG)
/* dived start: keep stderr (--log), open the syslog socket (--syslog). */
void audit_open(const struct server *sv);
/* The two fds audit lines go to ({ log, syslog }, -1 if unused), for
 * dived to keep them and a handler to move them out of the client's way. */
int *audit_fds(void);
/* dived accept loop: n records, one per slot (only when dived reaps the
 * program itself, i.e. not for waiting handlers). */
void audit_slots(const struct server *sv, unsigned n);
/* dived, after accept: peer credentials into slot i's record. */
void audit_accepted(unsigned i, int conn);
/* handler child: record into slot i from now on. */
void audit_select(unsigned i);
/* waiting handler: a private record for this session. */
void audit_private(const struct server *sv, int conn);
/* child: who it is, what runs, or why not (first reason wins). */
void audit_client(const struct client *cl);
void audit_exec(const char *argv0);
void audit_outcome(const char *prefix, const char *why);
/* dived reaped slot i's child: write its line (if it has a record). */
void audit_reaped(const struct server *sv, unsigned i, int status);
/* waiting handler done: status of the program, or -1 (refused). */
void audit_finish(const struct server *sv, int status);
/* dived refused a connection without forking. */
void audit_refused_now(const struct server *sv, int conn, const char *why);
/* The sanitising above, in place: a field (outcome 0) or the outcome
 * (1). For audit.c and its fuzzer. */
void audit_escape(char *s, int outcome);
#else
static inline void audit_open(const struct server *sv) { (void)sv; }
static inline int *audit_fds(void)
{
	static int none[2] = { -1, -1 };
	return none;
}
static inline void audit_slots(const struct server *sv, unsigned n)
{ (void)sv; (void)n; }
static inline void audit_accepted(unsigned i, int conn) { (void)i; (void)conn; }
static inline void audit_select(unsigned i) { (void)i; }
static inline void audit_private(const struct server *sv, int conn)
{ (void)sv; (void)conn; }
static inline void audit_client(const struct client *cl) { (void)cl; }
static inline void audit_exec(const char *argv0) { (void)argv0; }
static inline void audit_outcome(const char *prefix, const char *why)
{ (void)prefix; (void)why; }
static inline void audit_reaped(const struct server *sv, unsigned i,
				int status) { (void)sv; (void)i; (void)status; }
static inline void audit_finish(const struct server *sv, int status)
{ (void)sv; (void)status; }
static inline void audit_refused_now(const struct server *sv, int conn,
				     const char *why)
{ (void)sv; (void)conn; (void)why; }
#endif

#endif
