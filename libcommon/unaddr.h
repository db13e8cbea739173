/* unaddr.h — the AF_UNIX address of a socket name (dive's SOCKET, dived's
 * -s... SOCKET): a filesystem path, or @NAME for the abstract NAME. */
#ifndef DIVEBOX_UNADDR_H
#define DIVEBOX_UNADDR_H
#include <sys/socket.h>
#include <sys/un.h>

/* Fill *sa for name; returns the length to give bind() or connect(), or
 * 0 with g_err "socket name too long or empty: NAME" (an abstract name
 * counts its '@': sun_path[0] is its NUL). */
socklen_t unaddr(struct sockaddr_un *sa, const char *name);

#endif
