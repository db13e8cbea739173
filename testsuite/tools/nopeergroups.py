#!/usr/bin/env python3
"""nopeergroups.py CMD [ARGS...] — exec CMD as on a kernel without
SO_PEERGROUPS (Linux < 4.13): a seccomp filter makes every
getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, ...) fail with ENOPROTOOPT, as
such a kernel does; every other system call is left alone. The filter is
inherited by CMD's children (dived's handlers).

It knows the x86_64 and i386 system call numbers (getsockopt is 55 and
365; musl's i386 getsockopt tries 365 first); a program under qemu-user
makes the host's system calls. Before the exec it checks the filter on a
socketpair of its own: exit 77 if it could not be installed or does not
act (the caller skips), so a test never passes with the real
SO_PEERGROUPS in place."""
import ctypes
import errno
import os
import platform
import socket
import struct
import sys

SO_PEERGROUPS = 59
SOL_SOCKET = 1
ARCHES = {0xC000003E: 55, 0x40000003: 365}  # AUDIT_ARCH_X86_64, _I386
RET_ALLOW = 0x7FFF0000
RET_ERRNO = 0x00050000
LD_ABS_W = 0x20
JEQ_K = 0x15
RET_K = 0x06


def program():
    """The filter as (code, jt, jf, k), with jumps to labels resolved."""
    ins = [("ld", 4)]  # seccomp_data.arch
    for arch, nr in ARCHES.items():
        ins += [("jeq", arch, "nr%d" % nr, "next%d" % nr),
                ("label", "nr%d" % nr), ("ld", 0), ("jeq", nr, "args", "allow"),
                ("label", "next%d" % nr)]
    ins += [("ja_allow",),
            ("label", "args"),
            ("ld", 16 + 8 * 1), ("jeq", SOL_SOCKET, "opt", "allow"),  # level
            ("label", "opt"),
            ("ld", 16 + 8 * 2), ("jeq", SO_PEERGROUPS, "deny", "allow"),  # optname
            ("label", "allow"), ("ret", RET_ALLOW),
            ("label", "deny"), ("ret", RET_ERRNO | errno.ENOPROTOOPT)]
    # the low 32 bits of an argument come first on little-endian hosts
    if sys.byteorder != "little":
        sys.exit(77)
    labels, pc = {}, 0
    for i in ins:
        if i[0] == "label":
            labels[i[1]] = pc
        else:
            pc += 1
    out, pc = [], 0
    for i in ins:
        if i[0] == "label":
            continue
        if i[0] == "ld":
            out.append((LD_ABS_W, 0, 0, i[1]))
        elif i[0] == "ret":
            out.append((RET_K, 0, 0, i[1]))
        elif i[0] == "ja_allow":
            out.append((0x05, 0, 0, labels["allow"] - pc - 1))  # BPF_JMP|BPF_JA
        else:
            out.append((JEQ_K, labels[i[2]] - pc - 1, labels[i[3]] - pc - 1, i[1]))
        pc += 1
    return out


def install():
    ins = program()
    buf = b"".join(struct.pack("HBBI", *i) for i in ins)
    filt = ctypes.create_string_buffer(buf, len(buf))

    class Fprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    prog = Fprog(len(ins), ctypes.cast(filt, ctypes.c_void_p))
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p,
                           ctypes.c_ulong, ctypes.c_ulong]
    if os.geteuid() != 0:
        libc.prctl(38, 1, None, 0, 0)  # PR_SET_NO_NEW_PRIVS
    # PR_SET_SECCOMP, SECCOMP_MODE_FILTER
    return libc.prctl(22, 2, ctypes.byref(prog), 0, 0) == 0


def acts():
    a, b = socket.socketpair()
    try:
        a.getsockopt(SOL_SOCKET, SO_PEERGROUPS, 256)
        return False
    except OSError as e:
        return e.errno == errno.ENOPROTOOPT
    finally:
        a.close()
        b.close()


if len(sys.argv) < 2:
    sys.exit(__doc__)
if platform.machine() not in ("x86_64", "i686", "i386") or not install() or not acts():
    sys.stderr.write("nopeergroups: cannot hide SO_PEERGROUPS here\n")
    sys.exit(77)
os.execvp(sys.argv[1], sys.argv[1:])
