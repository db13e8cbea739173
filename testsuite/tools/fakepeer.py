#!/usr/bin/env python3
"""fakepeer.py — a wrong or hostile peer for the dive/dived protocol tests.

  fakepeer.py server SOCK MODE   accept one dive, read its request, answer:
      garbage   an HTTP line (not a dived reply)
      short     3 bytes, then hang up (a cut reply)
      version   RP_ERROR with the version flag (a dived of another version)
      refuse    RP_ERROR "refused: go away"
      drop      hang up without a word
  fakepeer.py client SOCK MODE   talk to a real dived, print what comes back:
      version   a request header of protocol version 2
      garbage   36 bytes that are not a request
      silent    say nothing (dived's --timeout must drop us)
      morefds   declare 1 fd, send 3
      badstring an argument without its NUL
      hangup    half a header, then hang up
      halfsig   run `sleep 1`, then send half a signal message (dived -n)
      segvusr1  run a shell that exits 11 on SEGV, 10 on USR1 (else 0
                after 20 s); 1.5 s later send a SEGV message, then USR1
SOCK is a path or @name. Output: one line per reply, "eof" at the end.
"""
import os
import socket
import struct
import sys
import time

REQ_MAGIC, REP_MAGIC = 0x71564944, 0x72564944
# the wire is in the byte order of the binary under test (lib.sh reads
# its ELF header: a big-endian s390x divebox under qemu-user on this host)
BO = {"little": "<", "big": ">"}[os.environ.get("DIVEBOX_BYTEORDER", sys.byteorder)]
HDR = struct.Struct(BO + "IHHIIIIIHHI")   # proto.h struct req_header, 36 bytes
REP = struct.Struct(BO + "IHHiI")         # struct reply, 16 bytes
RP_ERROR, EF_VERSION = 3, 1


def addr(name):
    return "\0" + name[1:] if name.startswith("@") else name


def header(version=1, nfds=0, argc=0, envc=0, length=None, flags=0):
    body = 4 * nfds
    return HDR.pack(REQ_MAGIC, version, flags, length or HDR.size + body,
                    nfds, argc, envc, 0o22, 0, 0, 0)


def request(args, flags=0, nfds=0, fdnums=()):
    strings = b"".join(a + b"\0" for a in args)
    nums = b"".join(struct.pack(BO + "I", n) for n in fdnums)
    h = header(nfds=nfds, argc=len(args), flags=flags,
               length=HDR.size + len(nums) + len(strings))
    return h + nums + strings


def reply(rtype, value=0, flags=0, text=b""):
    return REP.pack(REP_MAGIC, rtype, len(text), value, flags) + text


def serve(path, mode):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    if path.startswith("@"):
        s.bind(addr(path))
        s.listen(1)
    else:  # the file appears only once we listen: no race for waiters
        if os.path.exists(path):
            os.unlink(path)
        s.bind(path + ".tmp")
        s.listen(1)
        os.rename(path + ".tmp", path)
    c, _ = s.accept()
    c.settimeout(10)
    _, fds, _, _ = socket.recv_fds(c, 1 << 16, 300)
    for fd in fds:
        os.close(fd)
    answers = {
        "garbage": b"HTTP/1.0 400 Bad Request\r\n\r\n",
        "short": b"DIV",
        "version": reply(RP_ERROR, 0, EF_VERSION,
                         b"protocol version 1 not supported (dived speaks 2)"),
        "refuse": reply(RP_ERROR, 0, 0, b"refused: go away"),
        "drop": b"",
    }
    c.sendall(answers[mode])
    c.close()
    s.close()


def read_replies(c):
    buf = b""
    while True:
        try:
            data = c.recv(4096)
        except ConnectionResetError:
            data = b""
        if not data:
            break
        buf += data
    while len(buf) >= REP.size:
        magic, rtype, tlen, value, flags = REP.unpack_from(buf)
        text = buf[REP.size:REP.size + tlen].decode(errors="replace")
        print("reply magic_ok=%d type=%d value=%d flags=%d text=%s"
              % (magic == REP_MAGIC, rtype, value, flags, text))
        buf = buf[REP.size + tlen:]
    if buf:
        print("trailing %d bytes" % len(buf))
    print("eof")


def client(path, mode):
    c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    c.connect(addr(path))
    c.settimeout(20)
    if mode == "version":
        c.sendall(header(version=2))
    elif mode == "garbage":
        c.sendall(b"GET / HTTP/1.0\r\n\r\n".ljust(HDR.size, b"x"))
    elif mode == "morefds":
        fds = [os.open("/dev/null", os.O_RDONLY) for _ in range(3)]
        socket.send_fds(c, [request([b"true"], nfds=1, fdnums=[0])], fds)
    elif mode == "badstring":
        r = request([b"true"])
        c.sendall(r[:-1] + b"x")
    elif mode == "hangup":
        c.sendall(header()[:10])
        c.close()
        print("eof")
        return
    elif mode == "halfsig":
        c.sendall(request([b"sleep", b"1"]))
        magic, rtype, tlen, value, flags = REP.unpack(c.recv(REP.size))
        print("reply magic_ok=%d type=%d flags=%d"
              % (magic == REP_MAGIC, rtype, flags))
        c.sendall(b"DIVs")
    elif mode == "segvusr1":
        c.sendall(request([b"sh", b"-c", b"trap 'exit 11' SEGV; "
                           b"trap 'exit 10' USR1; sleep 20 & wait; exit 0"]))
        magic, rtype, tlen, value, flags = REP.unpack(c.recv(REP.size))
        print("reply magic_ok=%d type=%d" % (magic == REP_MAGIC, rtype))
        time.sleep(1.5)  # the shell has set its traps
        # the wire's numbers are the generic ones: SEGV 11, USR1 10
        for signo in (11, 10):
            c.sendall(struct.pack(BO + "II", 0x73564944, signo))
            time.sleep(0.5)
    elif mode != "silent":
        sys.exit("unknown mode " + mode)
    read_replies(c)


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in ("server", "client"):
        sys.exit(__doc__)
    (serve if sys.argv[1] == "server" else client)(sys.argv[2], sys.argv[3])
