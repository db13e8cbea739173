/* cmdline.c — dived's command line: options into a struct server (the
 * process-setup options go to its plan through plan_option), then the
 * cross-option checks. Usage errors exit EC_USAGE naming the option. */
#include "cmdline.h"
#include "users.h"
#if ENABLED(CONFIG_DIVED)
#include <stdlib.h>
#include <string.h>

static void usage(int fd)
{
	out_str(fd, "Usage: dived {SOCKET|@NAME|-i|-J|-j} [OPTIONS] [-- FORCED ARGV...]\n"
		"Listen on a UNIX socket and start a program for each dive client in\n"
		"this process's context (namespaces, chroot, user, capabilities...).\n");
	opt_help(fd, OPTS_DIVED);
}

static void parse_chown(struct server *sv, struct optstate *st, const char *v)
{
	char buf[256];
	const char *colon = strchr(v, ':');
	if (!colon || colon == v || !colon[1] || strlen(v) >= sizeof(buf))
		opt_bad(st, "expected USER:GROUP, got", v);
	memcpy(buf, v, (size_t)(colon - v));
	buf[colon - v] = 0;
	if (users_parse_user(buf, &sv->chown_uid, NULL, NULL))
		opt_bad(st, "unknown user", buf);
	if (users_parse_group(colon + 1, &sv->chown_gid))
		opt_bad(st, "unknown group", colon + 1);
	sv->do_chown = 1;
}

struct allow_list {
	int groups;
	unsigned *ids, *n;
};

static int allow_item(const char *w, void *arg)
{
	struct allow_list *a = arg;
	uid_t u;
	gid_t g;
	if (*a->n >= SERVER_MAX_ALLOW)
		return fail("too many entries", (char *)0);
	if (a->groups ? users_parse_group(w, &g)
		      : users_parse_user(w, &u, NULL, NULL))
		return fail(a->groups ? "unknown group '" : "unknown user '", w,
			    "'", (char *)0);
	a->ids[(*a->n)++] = a->groups ? g : u;
	return 0;
}

/* --allow-user / --allow-group: comma lists of names or numbers. An
 * empty list or item (",", "a,,b", "a,") is an error: an empty access
 * list would admit everyone. */
static void parse_allow(struct optstate *st, const char *list, int groups,
			unsigned *ids, unsigned *n)
{
	struct allow_list a = { groups, ids, n };
	if (split_list(list, allow_item, &a))
		opt_bad(st, g_err, NULL);
}

static void server_option(struct server *sv, struct optstate *st, int id)
{
	static const struct { unsigned char id; unsigned flag; } simple[] = {
		{ OPT_DETACH, SV_DETACH }, { OPT_INETD, SV_INETD },
		{ OPT_JUST_EXECUTE, SV_JUST_EXEC }, { OPT_NO_FORK, SV_NO_FORK },
		{ OPT_CHILD_DAEMON, SV_CHILD_DAEMON }, { OPT_NO_WAIT, SV_NO_WAIT },
		{ OPT_NO_ARGV, SV_NO_ARGV }, { OPT_NO_ENV, SV_NO_ENV },
		{ OPT_NO_CHDIR, SV_NO_CHDIR }, { OPT_NO_FDS, SV_NO_FDS },
		{ OPT_NO_UMASK, SV_NO_UMASK }, { OPT_CLIENT_CHROOT, SV_CLIENT_CHROOT },
		{ OPT_ROOT_TO_CUR, SV_ROOT_TO_CUR | SV_NO_CHDIR },
		{ OPT_SIGNALS, SV_SIGNALS }, { OPT_SIGNALS_PGID, SV_SIGNALS_PGID },
		{ OPT_NO_PTY, SV_NO_PTY }, { OPT_LOG, SV_LOG },
		{ OPT_SYSLOG, SV_SYSLOG }, { OPT_LISTEN_FDS, SV_LISTEN_FDS },
	};
	unsigned v;
	for (unsigned i = 0; i < ARRAY_SIZE(simple); i++)
		if (simple[i].id == id) {
			sv->flags |= simple[i].flag;
			return;
		}
	if (!opt_valid(id)) /* (drops the cases of compiled-out options) */
		opt_bad(st, "not handled in this build", NULL);
	switch (id) {
	case OPT_JUST_EXECUTE2:
		/* -J -S -T -P, where -P means what justexec does: the
		 * identity changes only if -u, -g or -e ask for it */
		sv->flags |= SV_JUST_EXEC | SV_JUST_EXEC2;
		sv->plan.flags |= PL_NO_SETSID | PL_NO_CSCTTY;
		return;
	case OPT_CHMOD: {
		unsigned long long m;
		if (parse_ull(st->val[0], 8, 07777, &m))
			opt_bad(st, "expected an octal mode, got", st->val[0]);
		sv->chmod_mode = (int)m;
		return;
	}
	case OPT_CHOWN:
		parse_chown(sv, st, st->val[0]);
		return;
	case OPT_TIMEOUT:
		if (parse_uint(st->val[0], DIVED_TIMEOUT_MAX, &v))
			opt_bad(st, "expected seconds, got", st->val[0]);
		sv->timeout = v;
		return;
	case OPT_ALLOW_USER:
		parse_allow(st, st->val[0], 0, sv->allow_uids, &sv->nallow_uids);
		return;
	case OPT_ALLOW_GROUP:
		parse_allow(st, st->val[0], 1, sv->allow_gids, &sv->nallow_gids);
		return;
	case OPT_MAX_CLIENTS:
		if (parse_uint(st->val[0], DIVED_CLIENTS_MAX, &v) || !v)
			opt_bad(st, "expected a positive number, got", st->val[0]);
		sv->max_clients = v;
		return;
	case OPT_MAX_PER_USER:
		if (parse_uint(st->val[0], DIVED_CLIENTS_MAX, &v) || !v)
			opt_bad(st, "expected a positive number, got", st->val[0]);
		sv->max_per_user = v;
		return;
	}
	if (!plan_option(&sv->plan, st, id))
		opt_bad(st, "not handled in this build", NULL);
}

static void parse(struct server *sv, int argc, char **argv)
{
	struct optstate st;
	int id;
	memset(sv, 0, sizeof(*sv));
	sv->chmod_mode = -1;
	sv->timeout = DIVED_TIMEOUT_DEFAULT;
	sv->max_clients = DIVED_MAX_CLIENTS_DEFAULT;
	if (argc < 2) { /* as the original: usage on stderr, exit 4 */
		usage(2);
		exit(EC_USAGE);
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-?")) {
		usage(1);
		exit(0);
	}
	if (!strcmp(argv[1], "--version")) {
		print_version();
		exit(0);
	}
	opt_init(&st, argc, argv, OPTS_DIVED);
	while ((id = opt_next(&st)) != OPT_DONE) {
		if (id == OPT_ARG) {
			if (sv->sock_path)
				die(EC_USAGE, "unexpected argument '", st.val[0],
				    "' (one socket only; forced argv goes after --)",
				    (char *)0);
			sv->sock_path = st.val[0];
			continue;
		}
		server_option(sv, &st, id);
	}
	sv->forced_argv = argv + st.i;
	sv->nforced = (unsigned)(argc - st.i);
	plan_check(&sv->plan);
	/* the default follows a smaller --max-clients; an explicit value
	 * above it would never apply */
	if (!sv->max_per_user)
		sv->max_per_user = sv->max_clients < DIVED_MAX_PER_USER_DEFAULT
				   ? sv->max_clients : DIVED_MAX_PER_USER_DEFAULT;
	else if (sv->max_per_user > sv->max_clients)
		die(EC_USAGE, "--max-per-user: must not exceed --max-clients",
		    (char *)0);
}

static void check_modes(const struct server *sv)
{
	unsigned modes = !!sv->sock_path + !!(sv->flags & SV_INETD) +
			 !!(sv->flags & SV_JUST_EXEC) + !!(sv->flags & SV_LISTEN_FDS);
	if (modes > 1)
		die(EC_USAGE, "choose one of SOCKET, -i, -J/-j, --listen-fds",
		    (char *)0);
	if (!modes && !ENABLED(CONFIG_FEATURE_SOCKET_ACTIVATION))
		die(EC_USAGE, "no socket given (try --help)", (char *)0);
	if ((sv->flags & SV_NO_WAIT) &&
	    (sv->flags & (SV_SIGNALS | SV_SIGNALS_PGID)))
		die(EC_USAGE, "--no-wait cannot deliver signals: drop -n/"
		    "--signals-pgid or -w", (char *)0);
	if ((sv->flags & SV_JUST_EXEC) && !sv->nforced)
		die(EC_USAGE, "-J/-j needs the program after --", (char *)0);
}

void dived_parse(struct server *sv, int argc, char **argv)
{
	parse(sv, argc, argv);
	check_modes(sv);
}
#endif
