/* cmdline.h — dived's option parser (exported for fuzz/fuzz_options.c). */
#ifndef DIVEBOX_CMDLINE_H
#define DIVEBOX_CMDLINE_H
#include "server.h"

/* Fill *sv from dived's argv (all of it zeroed first); --help and
 * --version print and exit 0, a usage error exits EC_USAGE. */
void dived_parse(struct server *sv, int argc, char **argv);

#endif
