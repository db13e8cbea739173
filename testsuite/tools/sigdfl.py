#!/usr/bin/env python3
"""sigdfl.py CMD [ARGS...] — reset every ignored signal (1-64) to its
default with the raw rt_sigaction system call, then exec CMD.

Why: GNU make starts its commands with signals 32 and 33 ignored (glibc's
internal ones, which glibc's sigaction() refuses to touch). A native dived
resets them for its programs; an emulated one under qemu-user cannot (qemu
keeps the host's 32/33 for itself), so check-arch runs the foreign
architectures' suites from a clean start: the suites then set up the
ignored signals they test themselves. On an x86_64 host (the syscall
number and kernel struct are the host's); elsewhere it only execs."""
import ctypes
import os
import platform
import sys

NR = {"x86_64": 13}.get(platform.machine())
if len(sys.argv) < 2:
    sys.exit(__doc__)
if NR is not None:
    libc = ctypes.CDLL(None, use_errno=True)
    act = ctypes.create_string_buffer(64)  # all zero: SIG_DFL, no flags, no mask
    with open("/proc/self/status") as f:
        ign = int([l.split()[1] for l in f if l.startswith("SigIgn:")][0], 16)
    for sig in range(1, 65):
        if ign & (1 << (sig - 1)):
            libc.syscall(NR, sig, act, None, 8)
os.execvp(sys.argv[1], sys.argv[1:])
