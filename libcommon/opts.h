/* opts.h — the option parser shared by dived and justexec.
 *
 * Syntax (SPEC §3): every option is its own argument, its value(s) the next
 * argument(s); "--name=value" also works for one-value long options; no
 * combined short flags; "--" ends options. Options of features compiled out
 * are still recognised so that they can be refused with the CONFIG_ name. */
#ifndef DIVEBOX_OPTS_H
#define DIVEBOX_OPTS_H
#include "util.h"

enum opt_id {
#define OPT(id, s, l, n, a, f, arg, help) OPT_##id,
#include "options.def"
#undef OPT
	OPT_COUNT
};

enum { OPT_DONE = -1, OPT_ARG = -2 };
/* applet masks */
enum { OPTS_DIVED = 1, OPTS_SETUP = 2 };

struct optstate {
	int argc;
	char **argv;
	int i;            /* next argument index */
	unsigned mask;    /* OPTS_DIVED | OPTS_SETUP */
	const char *name; /* the option as the user wrote it, for messages */
	const char *val[2];
	char namebuf[48];
};

void opt_init(struct optstate *st, int argc, char **argv, unsigned mask);
/* Next option id, OPT_ARG (positional in val[0]) or OPT_DONE (end or
 * after "--": st->i then indexes the first argument after it).
 * Usage errors print a message and exit EC_USAGE. */
int opt_next(struct optstate *st);
/* "applet: NAME: WHY 'VALUE'" then exit EC_USAGE. */
void opt_bad(const struct optstate *st, const char *why, const char *value)
	__attribute__((noreturn));
/* Print the option list for the given mask (help texts if compiled in). */
void opt_help(int fd, unsigned mask);

#endif
