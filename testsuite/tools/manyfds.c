/* manyfds.c — benchmark helper: open N extra fds, then exec a command.
 *
 *   manyfds N PROGRAM [ARGS...]
 *
 * fds 10 .. 10+N-1 become copies of /dev/null (without FD_CLOEXEC), so
 * the command starts with N more open fds than usual. scripts/bench.sh
 * runs both "manyfds 200 dive SOCK /bin/true" and "manyfds 200 /bin/true"
 * to measure what passing many fds costs dive and dived. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char *end;
	long n = argc > 2 ? strtol(argv[1], &end, 10) : -1;
	if (n < 0 || n > 100000 || *end) {
		fprintf(stderr, "usage: manyfds N PROGRAM [ARGS...]\n");
		return 2;
	}
	int fd = open("/dev/null", O_RDWR);
	if (fd < 0) {
		perror("manyfds: /dev/null");
		return 1;
	}
	for (long i = 0; i < n; i++)
		if (dup2(fd, (int)(10 + i)) < 0) {
			perror("manyfds: dup2");
			return 1;
		}
	if (fd < 10 || fd >= 10 + n)
		close(fd);
	execvp(argv[2], argv + 2);
	perror(argv[2]);
	return 127;
}
