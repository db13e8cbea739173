#!/usr/bin/env python3
"""holdconns.py SOCKET N [--reconnect] — the flooding client of
43-dived-limits: N silent connections to dived (nothing is ever sent).
Each refusal that dived sends is collected; once the answers stop (or
after 5 s at most), prints "ready held=H refused=R" and one "reason:
TEXT (COUNT)" line per distinct refusal, then holds the connections until
stdin reaches EOF. With
--reconnect every connection that dived refused or closed is opened
again at once, for as long as it holds."""
import os
import re
import select
import socket
import sys
import time


def connect(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    s.setblocking(False)
    return s


def reason(data):
    m = re.search(rb"refused: [ -~]*", data)
    return m.group(0).decode() if m else None


def main():
    path, n = sys.argv[1], int(sys.argv[2])
    reconnect = "--reconnect" in sys.argv[3:]
    conns = [connect(path) for _ in range(n)]
    reasons = {}
    refused = 0
    deadline = time.time() + 5  # safety only: the test does not time it
    quiet = 0
    while time.time() < deadline:
        r, _, _ = select.select(conns, [], [], 0.2)
        if not r:
            quiet += 1
            if quiet >= 5 and refused:  # answers came and stopped
                break
            continue
        quiet = 0
        for s in r:
            try:
                data = s.recv(4096)
            except OSError:
                data = b""
            why = reason(data)
            if why:
                reasons[why] = reasons.get(why, 0) + 1
            refused += 1
            conns.remove(s)
            s.close()
            if reconnect:
                conns.append(connect(path))
    print("ready held=%d refused=%d" % (len(conns), refused), flush=True)
    for why, count in sorted(reasons.items()):
        print("reason: %s (%d)" % (why, count), flush=True)
    while True:
        r, _, _ = select.select([sys.stdin] + conns, [], [])
        if sys.stdin in r:
            if not os.read(sys.stdin.fileno(), 1):
                return 0
        for s in r:
            if s is sys.stdin:
                continue
            try:
                s.recv(4096)
            except OSError:
                pass
            conns.remove(s)
            s.close()
            if reconnect:
                try:
                    conns.append(connect(path))
                except OSError:
                    pass


if __name__ == "__main__":
    sys.exit(main())
