/* secbits.c — -L (locked securebits) and -X (no_new_privs): plain prctl,
 * no library needed, so they are in every build. */
#include "secbits.h"
#include <sys/prctl.h>

#ifndef PR_SET_NO_NEW_PRIVS
#define PR_SET_NO_NEW_PRIVS 38
#endif
#ifndef PR_SET_SECUREBITS
#define PR_SET_SECUREBITS 28
#endif
/* linux/securebits.h: bit 0 NOROOT, 1 its lock, 2 NO_SETUID_FIXUP, 3 lock */
#define SECBITS_NOROOT_NOFIXUP_LOCKED 0x0f

int secbits_lock(void)
{
	if (prctl(PR_SET_SECUREBITS, SECBITS_NOROOT_NOFIXUP_LOCKED, 0, 0, 0))
		return fail_errno("lock securebits", (char *)0);
	return 0;
}

int no_new_privs(void)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return fail_errno("no_new_privs", (char *)0);
	return 0;
}

#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

int caps_any_permitted(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2] = { { 0, 0, 0 }, { 0, 0, 0 } };
	if (syscall(SYS_capget, &h, d))
		return 1; /* cannot tell: assume it has some */
	return d[0].permitted || d[1].permitted;
}
