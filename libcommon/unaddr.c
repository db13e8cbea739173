/* unaddr.c — see unaddr.h */
#include "unaddr.h"
#include "util.h"
#include <stddef.h>
#include <string.h>

socklen_t unaddr(struct sockaddr_un *sa, const char *name)
{
	size_t len = strlen(name);
	sa->sun_family = AF_UNIX;
	if (len >= sizeof(sa->sun_path) || !len || (len == 1 && *name == '@')) {
		fail("socket name too long or empty: ", name, (char *)0);
		return 0;
	}
	/* with its NUL, though the kernel reads len bytes only: valgrind
	 * reads a path up to its NUL */
	memcpy(sa->sun_path, name, len + 1);
	if (name[0] == '@')
		sa->sun_path[0] = 0;
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len);
}
