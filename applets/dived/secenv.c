/* secenv.c — see secenv.h. The list: glibc's secure-mode variables
 * (unsecvars.h), the loader's LD_*, and what sudo's env_reset removes for
 * shells and interpreters. Prefixes end in '_', whole names in '='. */
#include "secenv.h"
#include "util.h"
#include <string.h>

static const char unsafe[] =
	"LD_\0MALLOC_\0BASH_FUNC_\0"
	"GCONV_PATH=\0GETCONF_DIR=\0GLIBC_TUNABLES=\0HOSTALIASES=\0"
	"LOCALDOMAIN=\0LOCPATH=\0NIS_PATH=\0NLSPATH=\0RESOLV_HOST_CONF=\0"
	"RES_OPTIONS=\0TMPDIR=\0TZDIR=\0"
	"IFS=\0CDPATH=\0ENV=\0BASH_ENV=\0SHELLOPTS=\0BASHOPTS=\0PS4=\0"
	"GLOBIGNORE=\0FPATH=\0ZDOTDIR=\0"
	"PERL5LIB=\0PERLLIB=\0PERL5OPT=\0PERL5DB=\0PERLIO_DEBUG=\0"
	"PYTHONPATH=\0PYTHONHOME=\0PYTHONSTARTUP=\0PYTHONINSPECT=\0"
	"PYTHONUSERBASE=\0RUBYLIB=\0RUBYOPT=\0JAVA_TOOL_OPTIONS=\0"
	"NODE_OPTIONS=\0TERMINFO=\0TERMINFO_DIRS=\0TERMCAP=\0TERMPATH=\0";

static const char replaced[] = "PATH=\0HOME=\0USER=\0LOGNAME=\0SHELL=\0";

static int listed(const char *list, const char *var)
{
	for (const char *p = list; *p; p += strlen(p) + 1)
		if (startswith(var, p))
			return 1;
	return 0;
}

int secenv_unsafe(const char *var)
{
	return listed(unsafe, var);
}

int secenv_replaced(const char *var)
{
	return listed(replaced, var);
}
