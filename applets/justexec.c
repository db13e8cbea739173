/* justexec.c — justexec [SETUP OPTIONS] [--] PROGRAM [ARGS...]: apply the
 * process setup options of dived to this process, then exec (SPEC §4). */
#include "applets.h"
#if ENABLED(CONFIG_JUSTEXEC)
#include "exec.h"
#include <string.h>
#include <unistd.h>

static void __attribute__((noreturn)) usage(int fd, int code)
{
	out_str(fd, "Usage: justexec [OPTIONS] [--] PROGRAM [ARGS...]\n");
	if (ENABLED(CONFIG_FEATURE_HELP))
		out_str(fd, "Set up this process (namespaces, root, user, "
			"limits, capabilities...),\nthen exec PROGRAM.\n"
			"Options:\n");
	opt_help(fd, OPTS_SETUP);
	_exit(code);
}

/* --help, -? and --version are not setup options: only where an option
 * may stand, so that they still work as values and program arguments. */
static void early_opts(const char *a)
{
	if (!strcmp(a, "--help") || !strcmp(a, "-?"))
		usage(1, 0);
	if (!strcmp(a, "--version")) {
		print_version();
		_exit(0);
	}
}

int justexec_main(int argc, char **argv)
{
	static struct plan plan;
	struct optstate st;
	int id;

	if (argc < 2)
		usage(2, EC_USAGE);
	opt_init(&st, argc, argv, OPTS_SETUP);
	for (;;) {
		if (st.i < argc)
			early_opts(argv[st.i]);
		id = opt_next(&st);
		if (id == OPT_DONE)
			break;
		if (id == OPT_ARG) {
			st.i--; /* the program itself */
			break;
		}
		if (!plan_option(&plan, &st, id))
			opt_bad(&st, "not an option of justexec", NULL);
	}
	plan_check(&plan); /* a bad option value first, then this */
	if (st.i >= argc)
		die(EC_USAGE, "no program given (try --help)", (char *)0);
	/* like dived -j: no setsid, no terminal, no uid change unless asked */
	return plan_exec_self(&plan, argv + st.i, 1);
}
#endif
