#define _GNU_SOURCE
/* ttytool — small probes for the terminal and confinement attack tests
 * (testsuite/27-boundary.sh):
 *   ttytool sti FD TEXT     push TEXT into the input of terminal FD with
 *                           TIOCSTI: prints "injected" or "refused: ERR"
 *   ttytool ctty            prints "ctty" if /dev/tty opens, else "none"
 *   ttytool opath PATH FD CMD...  exec CMD with an O_PATH fd of PATH at FD */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc >= 4 && !strcmp(argv[1], "sti")) {
		int fd = atoi(argv[2]);
		for (const char *p = argv[3]; *p; p++)
			if (ioctl(fd, TIOCSTI, p)) {
				printf("refused: %s\n", strerror(errno));
				return 1;
			}
		printf("injected\n");
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "ctty")) {
		int fd = open("/dev/tty", O_RDWR | O_NOCTTY);
		printf("%s\n", fd >= 0 ? "ctty" : "none");
		return 0;
	}
	if (argc >= 5 && !strcmp(argv[1], "opath")) {
		int fd = open(argv[2], O_PATH);
		if (fd < 0 || dup2(fd, atoi(argv[3])) < 0) {
			perror(argv[2]);
			return 2;
		}
		execvp(argv[4], argv + 4);
		perror(argv[4]);
		return 127;
	}
	fprintf(stderr, "usage: ttytool sti FD TEXT | ctty | opath PATH FD CMD...\n");
	return 2;
}
