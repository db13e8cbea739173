/* target.h — --target PID: entering a running container (CONFIG_FEATURE_TARGET). */
#ifndef DIVEBOX_TARGET_H
#define DIVEBOX_TARGET_H
#include "util.h"
#include <sys/types.h>

/* target.c: --target (CONFIG_FEATURE_TARGET). prepare in our own view
 * (step 0), enter at the start of step 1. Without the feature target_pid
 * is always 0 and these are never called. */
/* The largest pid (the kernel's PID_MAX_LIMIT on 64-bit). */
#define TARGET_PID_MAX (1u << 22)

#if ENABLED(CONFIG_FEATURE_TARGET)
int target_prepare(pid_t pid, unsigned long long start); /* 0: any */
unsigned long long target_start_time(pid_t pid); /* 0: unknown */
int target_enter(void);
int target_root(void);        /* O_PATH fd of its root, until entered */
int target_joins_userns(void);
int target_uid(uid_t host, uid_t *inside); /* -1: no mapping */
int target_gid(gid_t host, gid_t *inside);
int target_take_cwd(void); /* its cwd's O_PATH fd, now the caller's */
#else
static inline int target_prepare(pid_t pid, unsigned long long start)
{ (void)pid; (void)start; return -1; }
static inline unsigned long long target_start_time(pid_t pid)
{ (void)pid; return 0; }
static inline int target_enter(void) { return -1; }
static inline int target_root(void) { return -1; }
static inline int target_uid(uid_t h, uid_t *i) { *i = h; return 0; }
static inline int target_gid(gid_t h, gid_t *i) { *i = h; return 0; }
static inline int target_take_cwd(void) { return -1; }
#endif

#endif
