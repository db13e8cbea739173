/* dived.c — placeholder until the applet lands */
#include "applets.h"
#if ENABLED(CONFIG_DIVED)
int dived_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	die(1, "not implemented yet", (char *)0);
}
#endif
