#!/usr/bin/env python3
"""peek_dived.py — a server that looks at what dive hands over, for the
tests of what a (possibly hostile) dived receives.

    peek_dived.py SOCKET upstream [close]
    peek_dived.py SOCKET peek [JAIL SECRET]

upstream: greet like an upstream dive 1.x dived (its protocol version
1100 as a host-endian C long, sent first), then wait for dive to hang up
(or close at once with "close").

peek: read ONE request with its fds and print one line per fact:
  flags cwd=0|1 root=0|1 tty=0|1
  fd N -> TARGET          every directory fd received (readlink)
then refuse the client ("inspected"), so that dive exits 127.
With JAIL and SECRET (an absolute path outside JAIL), it behaves as a
hostile dived confined to JAIL: after binding it chroots into JAIL and
becomes nobody, then tries to read SECRET through every directory fd it
received (SECRET relative to the fd, as if it were the client's root)
and prints "read: CONTENT" or "read: nothing".

Prints "ready" once it listens.
"""
import os
import socket
import struct
import sys

HDR = struct.Struct("=IHHIIIIIHHI")
REP = struct.Struct("=IHHiI")
REP_MAGIC = 0x72564944
RQ_CWD, RQ_ROOT, RQ_TTY = 1 << 4, 1 << 5, 1 << 6


def read_request(c):
    data, fds = b"", []
    space = socket.CMSG_SPACE(253 * 4)
    while len(data) < HDR.size or len(data) < HDR.unpack_from(data)[3]:
        msg, anc, _, _ = c.recvmsg(1 << 16, space)
        if not msg:
            break
        data += msg
        for level, typ, cdata in anc:
            if level == socket.SOL_SOCKET and typ == socket.SCM_RIGHTS:
                n = len(cdata) // 4
                fds += list(struct.unpack("%di" % n, cdata[:n * 4]))
    return HDR.unpack_from(data) if len(data) >= HDR.size else None, fds


def confine(jail):
    os.chroot(jail)
    os.chdir("/")
    os.setgroups([])
    os.setgid(65534)
    os.setuid(65534)


def peek(c, secret):
    hdr, fds = read_request(c)
    flags = hdr[2] if hdr else 0
    print("flags cwd=%d root=%d tty=%d" % (bool(flags & RQ_CWD),
          bool(flags & RQ_ROOT), bool(flags & RQ_TTY)), flush=True)
    dirs = []
    for fd in fds:
        try:
            st = os.fstat(fd)
        except OSError:
            continue
        if (st.st_mode & 0o170000) == 0o040000:
            dirs.append(fd)
            try:
                target = os.readlink("/proc/self/fd/%d" % fd)
            except OSError:
                target = "?"  # no /proc in the jail
            print("fd %d -> %s" % (fd, target), flush=True)
    if secret is not None:
        got = "nothing"
        for fd in dirs:
            try:
                f = os.open(secret.lstrip("/"), os.O_RDONLY, dir_fd=fd)
                got = os.read(f, 100).decode().strip()
                os.close(f)
            except OSError:
                pass
        print("read: " + got, flush=True)
    text = b"inspected"
    c.sendall(REP.pack(REP_MAGIC, 3, len(text), 0, 0) + text)


def main():
    path, mode = sys.argv[1], sys.argv[2]
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(path)
    os.chmod(path, 0o777)
    s.listen(1)
    secret = None
    if mode == "peek" and len(sys.argv) > 4:
        confine(sys.argv[3])
        secret = sys.argv[4]
    print("ready", flush=True)
    c, _ = s.accept()
    if mode == "upstream":
        c.sendall(struct.pack("l", 1100))  # native long
        if sys.argv[3:] == ["close"]:
            c.close()
            return
        while c.recv(65536):
            pass
        return
    peek(c, secret)
    c.close()


if __name__ == "__main__":
    main()
