/* opts.c — table driven option parser, see opts.h */
#include "opts.h"
#include <string.h>

#define D OPTS_DIVED
#define S (OPTS_DIVED | OPTS_SETUP)

/* One string per option, fields separated by NULs (16 bytes an entry
 * instead of 48 with a pointer per field):
 *   short \0 long \0 argname \0 help       — option in this build
 *   short \0 long \0 \0 CONFIG_FEATURE_X    — compiled out: only the name
 *                                           its refusal message needs
 * (the constant condition keeps the other string out of the binary);
 * without CONFIG_FEATURE_LONG_OPTIONS every long name is "". */
struct optdesc {
	const char *text;
	unsigned char nargs, mask, on;
};

#if ENABLED(CONFIG_FEATURE_HELP)
#define HELPTXT(arg, help) arg "\0" help
#else
#define HELPTXT(arg, help) ""
#endif

#if ENABLED(CONFIG_FEATURE_LONG_OPTIONS)
#define LONGNAME(l) l
#else
#define LONGNAME(l) ""
#endif

#define OPT(id, s, l, n, a, f, arg, help) \
	{ OPT_ON(s, f) ? s "\0" LONGNAME(l) "\0" HELPTXT(arg, help) \
		       : s "\0" LONGNAME(l) "\0\0" #f, n, a, OPT_ON(s, f) },
static const struct optdesc opts[] = {
#include "options.def"
};
#undef OPT

/* Field k (0 short, 1 long, 2 argname, 3 help or feature) of an entry. */
static const char *field(const struct optdesc *o, int k)
{
	const char *t = o->text;
	while (k--)
		t += strlen(t) + 1;
	return t;
}

void opt_init(struct optstate *st, int argc, char **argv, unsigned mask)
{
	memset(st, 0, sizeof(*st));
	st->argc = argc;
	st->argv = argv;
	st->i = 1;
	st->mask = mask;
}

void opt_bad(const struct optstate *st, const char *why, const char *value)
{
	/* a reason from g_err may quote the value already (split_list's
	 * "empty item in list 'a,,b'"), perhaps cut to the message's size:
	 * say it once. A long value is looked for by its first 97 bytes. */
	if (value) {
		char q[100];
		size_t n = strlen(value), cut = n > sizeof(q) - 3;
		if (cut)
			n = sizeof(q) - 3;
		q[0] = '\'';
		memcpy(q + 1, value, n);
		q[1 + n] = cut ? 0 : '\'';
		q[2 + n] = 0;
		if (strstr(why, q))
			value = NULL;
	}
	if (value)
		die(EC_USAGE, st->name, ": ", why, " '", value, "'", (char *)0);
	die(EC_USAGE, st->name, ": ", why, (char *)0);
}

static int lookup(const char *name, int islong, size_t len)
{
	for (unsigned i = 0; i < ARRAY_SIZE(opts); i++) {
		const char *n = field(&opts[i], islong);
		if (strlen(n) == len && !memcmp(n, name, len) && *n)
			return (int)i;
	}
	return -1;
}

int opt_next(struct optstate *st)
{
	if (st->i >= st->argc)
		return OPT_DONE;
	char *a = st->argv[st->i++];
	if (a[0] != '-' || !a[1]) {
		st->val[0] = a;
		return OPT_ARG;
	}
	if (!strcmp(a, "--"))
		return OPT_DONE;
	int islong = a[1] == '-';
	const char *name = a + 1 + islong, *eq = NULL;
	size_t len = strlen(name);
	if (islong && (eq = strchr(name, '=')))
		len = (size_t)(eq - name);
	/* (no long name in the table without long options: refused below) */
	int id = lookup(name, ENABLED(CONFIG_FEATURE_LONG_OPTIONS) && islong, len);
	strjoin(st->namebuf, sizeof(st->namebuf), a, (char *)0);
	if (eq && (size_t)(eq - a) < sizeof(st->namebuf)) /* else truncated */
		st->namebuf[eq - a] = 0;
	st->name = st->namebuf;
	if (islong && !ENABLED(CONFIG_FEATURE_LONG_OPTIONS))
		die(EC_USAGE, st->name, ": long options not in this build "
		    "(CONFIG_FEATURE_LONG_OPTIONS)", (char *)0);
	if (id < 0)
		die(EC_USAGE, "unknown option '", st->name, "' (try --help)",
		    (char *)0);
	const struct optdesc *o = &opts[id];
	if (!(o->mask & st->mask))
		die(EC_USAGE, st->name, ": not an option of ", applet_name,
		    (char *)0);
	if (!o->on)
		die(EC_USAGE, st->name, ": not in this build (", field(o, 3),
		    ")", (char *)0);
	st->val[0] = st->val[1] = NULL;
	if (eq) {
		if (o->nargs != 1)
			opt_bad(st, "takes no '=VALUE' form", NULL);
		st->val[0] = eq + 1;
		return id;
	}
	for (unsigned k = 0; k < o->nargs; k++) {
		if (st->i >= st->argc)
			opt_bad(st, "missing value", NULL);
		st->val[k] = st->argv[st->i++];
	}
	return id;
}

#if ENABLED(CONFIG_FEATURE_HELP)
#define HELP_COL 34   /* where the help texts start */
#define HELP_WIDTH 79 /* and where they end: within 80 columns */

/* line holds the n bytes of an option's names; the help text goes on
 * after them (or on the next line if they are too long), wrapped at
 * spaces, continuation lines indented. */
static void help_entry(int fd, char *line, size_t n, const char *h)
{
	if (n >= HELP_COL) {
		line[n++] = '\n';
		write_all(fd, line, n);
		n = 0;
	}
	for (;;) {
		size_t room = HELP_WIDTH - HELP_COL, cut = strlen(h);
		memset(line + n, ' ', HELP_COL - n);
		n = HELP_COL;
		if (cut > room) {
			for (cut = room; cut && h[cut] != ' '; cut--)
				;
			if (!cut) /* one word wider than the room */
				cut = room;
		}
		memcpy(line + n, h, cut);
		n += cut;
		line[n++] = '\n';
		write_all(fd, line, n);
		for (h += cut; *h == ' '; h++)
			;
		if (!*h)
			return;
		n = 0;
	}
}
#endif

void opt_help(int fd, unsigned mask)
{
#if ENABLED(CONFIG_FEATURE_HELP)
	for (unsigned i = 0; i < ARRAY_SIZE(opts); i++) {
		const struct optdesc *o = &opts[i];
		const char *sh = field(o, 0), *arg = field(o, 2);
		char line[HELP_WIDTH + 2];
		size_t n;
		if (!o->on || !(o->mask & mask))
			continue;
		n = strjoin(line, sizeof(line), "  ", *sh ? "-" : "  ", sh,
			    (char *)0);
		if (ENABLED(CONFIG_FEATURE_LONG_OPTIONS))
			n += strjoin(line + n, sizeof(line) - n,
				     *sh ? ", --" : "  --", field(o, 1),
				     (char *)0);
		if (*arg)
			n += strjoin(line + n, sizeof(line) - n, " ", arg,
				     (char *)0);
		help_entry(fd, line, n, field(o, 3));
	}
#else
	(void)fd;
	(void)mask;
#endif
}
