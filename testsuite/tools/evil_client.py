#!/usr/bin/env python3
"""evil_client.py — a hostile dive client for testsuite/40-hostile.sh.

Builds requests exactly as libcommon/proto.h describes them, then breaks
them on purpose, and checks what a live dived does with each:

    evil_client.py SOCKET CASESET     (truncate, fields, fds, garbage,
                                       hangup, version)
    evil_client.py SOCKET idle N      hold N silent connections until
                                       dived drops them (--timeout)
    evil_client.py SOCKET hold N      connect N times, print "held", then
                                       stay silent until stdin closes
    evil_client.py SOCKET valid       one correct request (program: true)

Every case must end with dived closing the connection (after at most
--timeout: the suite runs dived with --timeout 1) and must never start the
program; a reply, if any, must be a well-formed refusal. Violations are
printed and make the exit status 1. Cases run in parallel.
"""
import os
import socket
import struct
import sys
from concurrent.futures import ThreadPoolExecutor

# the wire is in the byte order of the binary under test (lib.sh reads
# its ELF header: a big-endian s390x divebox under qemu-user on this host)
BO = {"little": "<", "big": ">"}[os.environ.get("DIVEBOX_BYTEORDER", sys.byteorder)]
HDR = struct.Struct(BO + "IHHIIIIIHHI")   # struct req_header, 36 bytes
REP = struct.Struct(BO + "IHHiI")         # struct reply, 16 bytes
REQ_MAGIC, REP_MAGIC = 0x71564944, 0x72564944
VERSION = 1
RP_PID, RP_EXIT, RP_ERROR = 1, 2, 3
EF_VERSION = 1
RQ_CWD, RQ_ROOT, RQ_TTY, RQ_WAITFD, RQ_PTY = 16, 32, 64, 128, 256
MAX_REQUEST, MAX_FDS, MAX_FDNUM, MAX_ARGS = 4 << 20, 4096, 1 << 20, 65536
FD_BATCH = 252         # PROTO_FD_BATCH
WAIT_START_ONLY = 1     # DIVE_WAITMODE=1: no wait pipe needed
DEADLINE = 8.0          # seconds a case may take (dived --timeout is 1)

FIELDS = ["magic", "version", "flags", "length", "nfds", "argc", "envc",
          "umask", "ws_row", "ws_col", "reserved"]
MAXIMA = {"length": MAX_REQUEST, "nfds": MAX_FDS, "argc": MAX_ARGS,
          "envc": MAX_ARGS, "umask": 0o777, "flags": 511,
          "version": VERSION, "ws_row": 0xFFFF, "ws_col": 0xFFFF,
          "reserved": 0, "magic": REQ_MAGIC}
U16 = {"version", "flags", "ws_row", "ws_col"}


def request(argv=(b"true",), env=(b"A=1",), fdnums=(0, 1, 2),
            flags=RQ_CWD | WAIT_START_ONLY, **over):
    """A request as dive builds it; keyword arguments override header
    fields after the length was computed (to lie about it)."""
    body = b"".join(struct.pack(BO + "I", n) for n in fdnums)
    body += b"".join(s + b"\0" for s in argv) + b"".join(s + b"\0" for s in env)
    h = dict(magic=REQ_MAGIC, version=VERSION, flags=flags,
             length=HDR.size + len(body), nfds=len(fdnums), argc=len(argv),
             envc=len(env), umask=0o22, ws_row=0, ws_col=0, reserved=0)
    h.update(over)
    return HDR.pack(*(h[f] for f in FIELDS)) + body


def nfds_for(flags, nfds):
    return nfds + sum(1 for b in (RQ_CWD, RQ_ROOT, RQ_TTY, RQ_WAITFD)
                      if flags & b)


def connect(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    # blocking connect: a full backlog makes us wait, not fail
    s.connect("\0" + path[1:] if path.startswith("@") else path)
    s.settimeout(DEADLINE)
    return s


def send_fds(s, data, fds):
    """data with fds in SCM_RIGHTS batches, like fdpass_send()."""
    first = fds[:FD_BATCH]
    if first:
        socket.send_fds(s, [data], first)
    elif data:
        s.sendall(data)
    for i in range(FD_BATCH, len(fds), FD_BATCH):
        socket.send_fds(s, [b"F"], fds[i:i + FD_BATCH])


def read_until_eof(s):
    """All replies until dived closes: [(type, value, flags, text)].
    Raises on a malformed reply or if dived keeps the connection open."""
    data = b""
    while True:
        try:
            chunk = s.recv(65536)
        except ConnectionResetError:
            break
        if not chunk:
            break
        data += chunk
    out = []
    while data:
        if len(data) < REP.size:
            raise ValueError("truncated reply %r" % data)
        magic, typ, ln, value, flags = REP.unpack_from(data)
        if magic != REP_MAGIC or typ not in (RP_PID, RP_EXIT, RP_ERROR):
            raise ValueError("bad reply %r" % data[:16])
        out.append((typ, value, flags, data[16:16 + ln].decode(errors="replace")))
        data = data[16 + ln:]
    return out


class Fds:
    """Throwaway fds to pass: /dev/null, and last a directory (where a
    valid request has its RQ_CWD fd)."""
    def __init__(self):
        self.fd = os.open("/dev/null", os.O_RDWR)
        self.dir = os.open("/", os.O_RDONLY | os.O_DIRECTORY)

    def get(self, n):
        return [self.fd] * (n - 1) + [self.dir] if n else []


FDS = None


def run_case(path, name, data, nfds, shutdown=True, expect="refused",
             then=None):
    """Send data (+ nfds fds) and the (data, nfds) messages in then,
    half-close, collect replies. Returns an error string or None."""
    try:
        s = connect(path)
        try:
            try:
                send_fds(s, data, FDS.get(nfds))
                for d, n in then or ():
                    send_fds(s, d, FDS.get(n))
                if shutdown:
                    s.shutdown(socket.SHUT_WR)
            except (BrokenPipeError, ConnectionResetError):
                pass  # dived refused before reading everything: fine
            replies = read_until_eof(s)
        finally:
            s.close()
    except socket.timeout:
        return "%s: dived kept the connection open for %ss" % (name, DEADLINE)
    except (OSError, ValueError) as e:
        return "%s: %s" % (name, e)
    types = [r[0] for r in replies]
    if expect == "refused" and RP_PID in types:
        return "%s: dived started the program: %r" % (name, replies)
    if expect == "refused" and replies and replies[0][0] != RP_ERROR:
        return "%s: first reply is not a refusal: %r" % (name, replies)
    if expect == "version" and not (replies and replies[0][0] == RP_ERROR
                                    and replies[0][2] & EF_VERSION):
        return "%s: no RP_ERROR with EF_VERSION: %r" % (name, replies)
    if expect == "started" and RP_PID not in types:
        return "%s: program not started: %r" % (name, replies)
    return None


def cases_truncate():
    """The valid request cut at every byte offset."""
    full = request()
    for k in range(len(full)):
        yield "truncated at %d" % k, full[:k], 4 if k else 0, {}


def field_values(f):
    top = 0xFFFF if f in U16 else 0xFFFFFFFF
    m = MAXIMA[f]
    return sorted({0, m, min(m + 1, top), top})


def cases_fields():
    """Each length/count field at 0, max, max+1 and all ones; fdnum
    entries likewise. The rest of the request stays valid."""
    for f in FIELDS:
        for v in field_values(f):
            data = request(**{f: v})
            if data == request():
                continue  # the valid value itself: not a hostile case
            exp = {"version": "version", "umask": "any", "ws_row": "any",
                   "ws_col": "any"}.get(f, "refused")
            yield "%s=%#x" % (f, v), data, 4, {"expect": exp}
    for v in (0, MAX_FDNUM - 1, MAX_FDNUM, 0xFFFFFFFF):
        yield "fdnum[2]=%#x" % v, request(fdnums=(0, 1, v)), 4, \
            {"expect": "any"}
    yield "fdnum not increasing", request(fdnums=(0, 2, 1)), 4, {}
    yield "fdnum repeated", request(fdnums=(1, 1, 2)), 4, {}


def cases_fds():
    """Strings, fd counts and batches that lie."""
    yield "fewer fds than declared", request(), 2, {}
    yield "no fds at all", request(), 0, {}
    yield "more fds than declared", request(), 9, {}
    yield "max fds + 1", request(), MAX_FDS + 5, {}
    yield "one fd more than a batch in one message", \
        request(fdnums=tuple(range(10, 10 + 300))), FD_BATCH + 1, {}
    big = request(fdnums=tuple(range(10, 10 + 300)))
    yield "second batch missing", big, FD_BATCH, {}
    yield "batch byte not F", big, FD_BATCH, {"then": [(b"X", 48)]}
    yield "empty fd batch", big, FD_BATCH, {"then": [(b"F", 0)]}
    yield "argv without NUL", request()[:-1] + b"X", 4, {}
    yield "env without NUL", request(env=(b"A=1",))[:-1] + b"=", 4, {}
    yield "argc beyond strings", request(argc=3), 4, {}
    yield "trailing bytes", request(length=len(request()) + 4) + b"\0\0\0\0", 4, {}
    yield "unknown flags", request(flags=RQ_CWD | 1 << 12), 4, {}
    yield "wait mode 3", request(flags=RQ_CWD | 3), 4, {}
    yield "sigfw mode 3", request(flags=RQ_CWD | 12), 4, {}
    yield "declares every extra fd, sends none", \
        request(flags=RQ_CWD | RQ_ROOT | RQ_TTY | RQ_WAITFD), 3, {}
    yield "tty that is /dev/null", request(flags=RQ_CWD | RQ_TTY |
                                           WAIT_START_ONLY), 5, \
        {"expect": "any"}


def cases_garbage():
    import random
    rnd = random.Random(5)
    for i in range(40):
        n = rnd.choice([1, 8, 35, 36, 37, 100, 4096])
        yield "garbage %d (%d bytes)" % (i, n), \
            bytes(rnd.getrandbits(8) for _ in range(n)), 0, {}
    yield "HTTP", b"GET / HTTP/1.0\r\n\r\n" + b"x" * 40, 0, {}
    yield "reply magic", REP.pack(REP_MAGIC, 1, 0, 0, 0) * 3, 0, {}


def cases_hangup():
    """Hang up in each phase: before anything, inside the header, after
    the header, inside the body, before the second fd batch."""
    full = request()
    big = request(fdnums=tuple(range(10, 10 + 300)))
    yield "hangup at once", b"", 0, {}
    yield "hangup in header", full[:20], 4, {}
    yield "hangup after header", full[:HDR.size], 4, {}
    yield "hangup in body", full[:-3], 4, {}
    yield "hangup before 2nd fd batch", big, FD_BATCH, {}
    yield "stall after header (timeout)", full[:HDR.size], 4, \
        {"shutdown": False}
    yield "stall in body (timeout)", full[:-1], 4, {"shutdown": False}
    yield "stall before 2nd batch (timeout)", big, FD_BATCH, \
        {"shutdown": False}


def cases_version():
    for v in (0, 2, 0xFFFF):
        yield "version %d" % v, request(version=v), 4, {"expect": "version"}
    yield "bad magic", request(magic=0x12345678), 4, {}
    yield "old magic byte order", request(magic=0x44495671), 4, {}


SETS = {"truncate": cases_truncate, "fields": cases_fields,
        "fds": cases_fds, "garbage": cases_garbage,
        "hangup": cases_hangup, "version": cases_version}


def run_set(path, name):
    cases = list(SETS[name]())
    with ThreadPoolExecutor(max_workers=32) as ex:
        errs = list(ex.map(lambda c: run_case(path, c[0], c[1], c[2],
                                              **c[3]), cases))
    errs = [e for e in errs if e]
    for e in errs:
        print("FAIL", e)
    print("%s: %d cases, %d failures" % (name, len(cases), len(errs)))
    return 1 if errs else 0


def idle(path, n):
    """n silent connections: each must be dropped with a reason."""
    socks = [connect(path) for _ in range(n)]
    bad = 0
    for s in socks:
        try:
            replies = read_until_eof(s)
            if not replies or replies[0][0] != RP_ERROR:
                bad += 1
        except (OSError, ValueError):
            bad += 1
        s.close()
    print("idle: %d connections, %d not dropped with a reason" % (n, bad))
    return 1 if bad else 0


def hold(path, n):
    socks = [connect(path) for _ in range(n)]
    print("held", flush=True)
    sys.stdin.read()
    for s in socks:
        s.close()
    return 0


def main():
    global FDS
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    path, what = sys.argv[1], sys.argv[2]
    FDS = Fds()
    if what == "idle":
        return idle(path, int(sys.argv[3]))
    if what == "hold":
        return hold(path, int(sys.argv[3]))
    if what == "valid":
        err = run_case(path, "valid", request(), 4, expect="started")
        print(err or "valid: started")
        return 1 if err else 0
    if what == "all":
        return max(run_set(path, n) for n in SETS)
    return run_set(path, what)


if __name__ == "__main__":
    sys.exit(main())
