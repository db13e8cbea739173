/* secbits.h — -L securebits lock and -X no_new_privs (always compiled). */
#ifndef DIVEBOX_SECBITS_H
#define DIVEBOX_SECBITS_H
#include "util.h"

/* secbits.c (always): -L and -X */
int secbits_lock(void);
int no_new_privs(void);
/* 1 if this process has any permitted capability (or cannot tell). */
int caps_any_permitted(void);

#endif
