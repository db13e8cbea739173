/* ptyclient.h — dive's side of pty mode (CONFIG_FEATURE_PTY). */
#ifndef DIVEBOX_PTYCLIENT_H
#define DIVEBOX_PTYCLIENT_H

/* Relay between our stdin/stdout and the pty master dived sent, keep the
 * local terminal raw meanwhile (always restored), forward window size
 * changes; signals from sfd (a signalfd of the forwarded signals) go to
 * the remote side as usual. Returns only by exiting like the program
 * (its exit code, or death by its signal). */
int pty_client(int sock, int master, int sfd, unsigned waitmode);

#endif
