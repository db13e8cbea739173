/* exitlike.h — dive ends the way its remote program ended. */
#ifndef DIVEBOX_EXITLIKE_H
#define DIVEBOX_EXITLIKE_H

/* exit(code), or if killed: die of signal `code` itself (no core dump
 * of ours), so the caller's shell sees exactly what the program did;
 * 128+code for a signal that does not kill. */
void exit_like(int killed, int code) __attribute__((noreturn));

#endif
