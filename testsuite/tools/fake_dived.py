#!/usr/bin/env python3
"""fake_dived.py — a lying server, to check that dive copes with one.

    fake_dived.py SOCKET MODE

Listens on SOCKET, prints "ready", accepts ONE dive, reads its request
(header, then `length` bytes; fds are dropped), then misbehaves per MODE
(and prints "sent" once its reply, if any, is sent):

  badmagic    a reply whose magic is wrong
  truncated   8 bytes of a reply, then close
  hugelen     RP_ERROR announcing 65535 bytes of text (> PROTO_MAX_TEXT)
  badtype     a reply of unknown type 9
  close       close without a word
  closeearly  close before reading the request
  version     RP_ERROR with EF_VERSION ("protocol version 9 ...")
  exitfirst   RP_EXIT before any RP_PID
  silent      accept, read, never answer (until killed)
  pidsilent   RP_PID, then never answer (until killed)
  halfsilent  8 bytes of a reply, then silence (until killed)
  pidhalfsilent  RP_PID, 8 bytes of the next reply, then silence
  textsilent  RP_ERROR announcing 40 bytes of text, 5 of them, silence
  pidlate     a slow dived: print "request", wait for the file SOCKET.go,
              then RP_PID (PF_SIGNALS) and RP_EXIT 0 at once; print
              "sig N" for each signal message dive sends until it hangs up
"""
import os
import socket
import struct
import sys
import time

# the wire is in the byte order of the binary under test (lib.sh reads
# its ELF header: a big-endian s390x divebox under qemu-user on this host)
BO = {"little": "<", "big": ">"}[os.environ.get("DIVEBOX_BYTEORDER", sys.byteorder)]
HDR = struct.Struct(BO + "IHHIIIIIHHI")
REP = struct.Struct(BO + "IHHiI")
REP_MAGIC = 0x72564944
SIG = struct.Struct(BO + "II")
SIG_MAGIC = 0x73564944
PF_SIGNALS = 2


def reply(typ, value=0, flags=0, text=b"", magic=REP_MAGIC, ln=None):
    return REP.pack(magic, typ, len(text) if ln is None else ln, value,
                    flags) + text


def read_request(c):
    data = b""
    while len(data) < HDR.size:
        msg, _, _, _ = c.recvmsg(65536, socket.CMSG_SPACE(253 * 4))
        if not msg:
            return
        data += msg
    length = HDR.unpack_from(data)[3]
    while len(data) < length:
        msg, _, _, _ = c.recvmsg(65536, socket.CMSG_SPACE(253 * 4))
        if not msg:
            return
        data += msg


def late_pid(c, go):
    print("request", flush=True)
    while not os.path.exists(go):
        time.sleep(0.02)
    c.sendall(reply(1, os.getpid(), PF_SIGNALS) + reply(2, 0))
    data = b""
    while True:
        msg = c.recv(4096)
        if not msg:
            break
        data += msg
    for off in range(0, len(data) - SIG.size + 1, SIG.size):
        magic, signo = SIG.unpack_from(data, off)
        print("sig %d" % signo if magic == SIG_MAGIC else "garbage",
              flush=True)


def main():
    path, mode = sys.argv[1], sys.argv[2]
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(path)
    s.listen(1)
    print("ready", flush=True)
    c, _ = s.accept()
    if mode == "closeearly":
        c.close()
        return
    read_request(c)
    if mode == "pidlate":
        late_pid(c, path + ".go")
        c.close()
        return
    out = {
        "badmagic": reply(1, 123, magic=0x12345678),
        "truncated": reply(1, 123)[:8],
        "hugelen": reply(3, ln=65535) + b"x" * 100,
        "badtype": reply(9, 1),
        "close": b"",
        "version": reply(3, 0, 1, b"protocol version 9 not supported"),
        "exitfirst": reply(2, 5),
        "silent": b"",
        "pidsilent": reply(1, os.getpid()),
        "halfsilent": reply(1, 123)[:8],
        "pidhalfsilent": reply(1, os.getpid()) + reply(2, 0)[:8],
        "textsilent": reply(3, ln=40) + b"hello",
    }[mode]
    c.sendall(out)
    print("sent", flush=True)
    if mode.endswith("silent"):
        while True:
            time.sleep(60)
    c.close()


if __name__ == "__main__":
    main()
