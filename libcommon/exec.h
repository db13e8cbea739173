/* exec.h — the "set up this process, then exec" path shared by justexec
 * and dived -J/-j (SPEC §3, §4). */
#ifndef DIVEBOX_EXEC_H
#define DIVEBOX_EXEC_H
#include "plan.h"

/* Apply the whole plan to the calling process and execvp(argv). Never
 * returns (int only so that "return plan_exec_self(...)" reads well):
 * setup failures and exec failures exit EC_NOEXEC (127) with a
 * message. keep_identity_default: 1 (justexec) changes uid/gid/groups only
 * for -u/-g/-e; 0 (dived -J) uses the caller itself as the "client", as if
 * it had connected. */
int plan_exec_self(struct plan *p, char **argv, int keep_identity_default)
	__attribute__((noreturn));

#endif
