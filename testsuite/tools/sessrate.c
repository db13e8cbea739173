/* sessrate.c — benchmark helper: sessions per second at a concurrency.
 *
 *   sessrate WORKERS TOTAL PROGRAM [ARGS...]
 *
 * Forks WORKERS processes; together they run PROGRAM TOTAL times (each
 * run: fork, execv, waitpid, one after the other within a worker). Prints
 * one line "TOTAL SECONDS FAILED" where SECONDS is the wall time from the
 * first fork to the last worker reaped and FAILED counts runs that did not
 * exit 0. PROGRAM gets stdin and stdout from /dev/null, so a terminal does
 * not change what is measured. Exit status 1 if any run failed. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One worker: run the program n times; exit status = failed runs (≤ 255) */
static int worker(long n, char **argv)
{
	long failed = 0;
	for (long i = 0; i < n; i++) {
		int st;
		pid_t pid = fork();
		if (pid < 0) {
			perror("sessrate: fork");
			failed++;
			continue;
		}
		if (pid == 0) {
			execv(argv[0], argv);
			_exit(127);
		}
		if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) ||
		    WEXITSTATUS(st))
			failed++;
	}
	return failed > 255 ? 255 : (int)failed;
}

int main(int argc, char **argv)
{
	long workers = argc > 3 ? atol(argv[1]) : 0;
	long total = argc > 3 ? atol(argv[2]) : 0;
	long failed = 0;
	if (workers < 1 || total < workers) {
		fprintf(stderr, "usage: sessrate WORKERS TOTAL PROGRAM [ARGS...]\n");
		return 2;
	}
	double t0 = now();
	for (long w = 0; w < workers; w++) {
		long n = total / workers + (w < total % workers);
		pid_t pid = fork();
		if (pid < 0) {
			perror("sessrate: fork");
			return 2;
		}
		if (pid == 0) {
			int null = open("/dev/null", O_RDWR);
			if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0)
				_exit(255);
			if (null > 2)
				close(null);
			_exit(worker(n, argv + 3));
		}
	}
	for (long w = 0; w < workers; w++) {
		int st;
		if (wait(&st) < 0)
			break;
		failed += WIFEXITED(st) ? WEXITSTATUS(st) : total;
	}
	printf("%ld %.6f %ld\n", total, now() - t0, failed);
	return failed != 0;
}
