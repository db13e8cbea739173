/* sockact.h — socket activation (CONFIG_FEATURE_SOCKET_ACTIVATION). */
#ifndef DIVEBOX_SOCKACT_H
#define DIVEBOX_SOCKACT_H
#include "util.h"

/* sockact.c: the socket passed by a service manager (LISTEN_FDS), or -1. */
int sockact_fd(void);

#endif
