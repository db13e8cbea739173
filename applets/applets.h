/* applets.h — the applet table: one entry per compiled-in applet. */
#ifndef DIVEBOX_APPLETS_H
#define DIVEBOX_APPLETS_H
#include "util.h"

int dive_main(int argc, char **argv);
int dived_main(int argc, char **argv);
int justexec_main(int argc, char **argv);

#endif
