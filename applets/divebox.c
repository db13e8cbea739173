/* divebox.c — multi-call entry point: dispatch on basename(argv[0]) or on
 * "divebox APPLET ...", plus --list, --help, --version, --install. */
#include "applets.h"
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct applet {
	const char *name;
	int (*main)(int, char **);
} applets[] = {
#if ENABLED(CONFIG_DIVE)
	{ "dive", dive_main },
#endif
#if ENABLED(CONFIG_DIVED)
	{ "dived", dived_main },
#endif
#if ENABLED(CONFIG_JUSTEXEC)
	{ "justexec", justexec_main },
#endif
};

static const char *base(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

static void list(int fd, const char *sep)
{
	for (unsigned i = 0; i < ARRAY_SIZE(applets); i++) {
		out_str(fd, applets[i].name);
		out_str(fd, sep);
	}
}

static int usage(int fd, int code)
{
	out_str(fd, "divebox " DIVEBOX_VERSION
		" — start programs in other namespaces, users and chroots\n"
		"Usage: divebox APPLET [ARGS...]   or   APPLET [ARGS...] via a link\n"
		"       divebox --list | --install [-s] DIR | --version | --help\n"
		"Applets in this build: ");
	list(fd, " ");
	out_str(fd, "\n");
	return code;
}

/* May DIR/NAME (path) become a link to self? Yes if it does not exist,
 * or if it already is this divebox (a hard link to the same inode, or a
 * symlink to it): --install is re-run after an upgrade, but must never
 * unlink an unrelated file that happens to have an applet's name. */
static int replaceable(const char *path, const struct stat *me, int *exists)
{
	struct stat st;

	*exists = 0;
	if (lstat(path, &st))
		return errno == ENOENT ? 1 : (say_errno("--install: ", path,
							(char *)0), 0);
	*exists = 1;
	if (!stat(path, &st) && st.st_dev == me->st_dev &&
	    st.st_ino == me->st_ino)
		return 1;
	say("--install: ", path, " exists and is not this divebox: "
	    "not replaced (remove it first)", (char *)0);
	return 0;
}

/* Create DIR/NAME for every applet: symlinks to divebox with -s, else hard
 * links to /proc/self/exe's file. */
static int install(int argc, char **argv)
{
	int symbolic = argc > 2 && !strcmp(argv[2], "-s");
	const char *dir = argv[2 + symbolic];
	char self[PATH_MAX], path[PATH_MAX];
	struct stat me;
	ssize_t n;
	int rc = 0, exists;

	if (argc != 3 + symbolic)
		die(EC_USAGE, "usage: divebox --install [-s] DIR", (char *)0);
	n = readlink("/proc/self/exe", self, sizeof(self));
	if (n < 0 || stat("/proc/self/exe", &me))
		die_errno(1, "--install: cannot find myself: /proc/self/exe",
			  (char *)0);
	if (n == sizeof(self))
		die(1, "--install: my own path is too long", (char *)0);
	self[n] = 0;
	for (unsigned i = 0; i < ARRAY_SIZE(applets); i++) {
		if (pathjoin(path, sizeof(path), dir, "/", applets[i].name,
			     (char *)0)) {
			say("--install: ", g_err, (char *)0);
			rc = 1;
			continue;
		}
		if (!replaceable(path, &me, &exists)) {
			rc = 1;
			continue;
		}
		if ((exists && unlink(path)) ||
		    (symbolic ? symlink(self, path) : link(self, path))) {
			say_errno("--install: ", path, (char *)0);
			rc = 1;
		}
	}
	return rc;
}

static const struct applet *find(const char *name)
{
	for (unsigned i = 0; i < ARRAY_SIZE(applets); i++)
		if (!strcmp(name, applets[i].name))
			return &applets[i];
	return NULL;
}

/* Any name beginning with "divebox" is the multi-call binary itself, as
 * busybox does for "busybox*": release files (divebox-armhf,
 * divebox.static) work as they are; but "divebox-APPLET" is that applet
 * (the Debian package's divebox-dive, see NOTICE). Any other name is an
 * applet's. */
int main(int argc, char **argv)
{
	const char *name = base(argc > 0 ? argv[0] : "divebox");
	const struct applet *a;

	if (startswith(name, "divebox-") && find(name + 8)) {
		name += 8;
	} else if (startswith(name, "divebox")) {
		if (argc < 2 || !strcmp(argv[1], "--help") ||
		    !strcmp(argv[1], "-h"))
			return usage(1, argc < 2 ? EC_USAGE : 0);
		if (!strcmp(argv[1], "--list")) {
			list(1, "\n");
			return 0;
		}
		if (!strcmp(argv[1], "--version")) {
			print_version();
			return 0;
		}
		if (!strcmp(argv[1], "--install"))
			return install(argc, argv);
		if (argv[1][0] == '-') {
			say("unknown option '", argv[1], "'", (char *)0);
			return usage(2, EC_USAGE);
		}
		argc--;
		argv++;
		name = base(argv[0]);
	}
	a = find(name);
	if (!a)
		die(127, name, ": applet not found", (char *)0);
	applet_name = a->name;
	return a->main(argc, argv);
}
