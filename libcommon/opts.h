/* opts.h — the option parser shared by dived and justexec.
 *
 * Syntax (SPEC §3): every option is its own argument, its value(s) the next
 * argument(s); "--name=value" also works for one-value long options; no
 * combined short flags; "--" ends options. Options of features compiled out
 * are still recognised so that they can be refused with the CONFIG_ name. */
#ifndef DIVEBOX_OPTS_H
#define DIVEBOX_OPTS_H
#include "util.h"

/* core options: ENABLED(ALWAYS) expands to 1 */
#define ALWAYS 1

/* Each option's place in the table (opts.c). */
enum opt_index {
#define OPT(id, s, l, n, a, f, arg, help) OPTI_##id,
#include "options.def"
#undef OPT
	OPT_COUNT
};

/* 1 if an option (short name s, feature f) is in this build: its feature
 * is, and a name to give it by (one with only a long name needs
 * CONFIG_FEATURE_LONG_OPTIONS). */
#define OPT_ON(s, f) (ENABLED(f) && \
	(ENABLED(CONFIG_FEATURE_LONG_OPTIONS) || sizeof(s) > 1))

/* OPT_X: the id opt_next returns for option X, its place in the table.
 * opt_next refuses an option that is not in this build (naming the
 * CONFIG_ symbol), never returns it: its id lies past OPT_COUNT. A switch
 * after opt_valid(id) thus loses the cases of compiled-out options, with
 * their code, and needs no #if around them. */
enum opt_id {
#define OPT(id, s, l, n, a, f, arg, help) \
	OPT_##id = OPT_ON(s, f) ? OPTI_##id : OPT_COUNT + OPTI_##id,
#include "options.def"
#undef OPT
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
/* 1 if id is one opt_next can return: an option compiled in. */
static inline int opt_valid(int id) { return (unsigned)id < OPT_COUNT; }
/* The same for option X, as a constant. */
#define OPT_IN(X) ((int)OPT_##X < (int)OPT_COUNT)
/* "applet: NAME: WHY 'VALUE'" then exit EC_USAGE. */
void opt_bad(const struct optstate *st, const char *why, const char *value)
	__attribute__((noreturn));
/* Print the option list for the given mask (help texts if compiled in). */
void opt_help(int fd, unsigned mask);

#endif
