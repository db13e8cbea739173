/* dive.c — placeholder until the applet lands */
#include "applets.h"
#if ENABLED(CONFIG_DIVE)
int dive_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	die(1, "not implemented yet", (char *)0);
}
#endif
