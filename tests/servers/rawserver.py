#!/usr/bin/env python3
"""Scripted raw HTTP server for httpc tests (python3 stdlib only).

Usage: rawserver.py PORT [PIDFILE]

Listens on 127.0.0.1:PORT and [::1]:PORT.  For every connection it reads a
request (head, then a body framed by Content-Length or chunked), picks a
scenario by the first path segment (/<name>, query ignored for the choice)
and writes scripted bytes.  A scenario returns True to keep the connection
alive for the next request, False to close it.

Add scenarios to SCENARIOS below: a function taking a Ctx and returning
True/False, or static(b"bytes", close=False).
"""
import os
import select
import signal
import socket
import sys
import threading
import time

SILENCE_MAX = 30.0  # seconds any "silence" scenario keeps a socket open
MAX_HEAD = 1 << 20


class ClientGone(Exception):
    pass


class Request:
    def __init__(self):
        self.method = ""
        self.target = ""
        self.version = ""
        self.headers = []  # [(name, value)] in arrival order
        self.body = b""    # decoded body
        self.raw = b""     # raw bytes received (head + body as sent)
        self.path = ""
        self.query = ""
        self.scenario = ""

    def header(self, name, default=None):
        name = name.lower()
        for k, v in self.headers:
            if k.lower() == name:
                return v
        return default

    def arg(self, name, default=None):
        for part in self.query.split("&"):
            k, _, v = part.partition("=")
            if k == name:
                return v
        return default


class Conn:
    """Buffered reader over a socket."""

    def __init__(self, sock):
        self.sock = sock
        self.buf = b""
        self.raw = bytearray()

    def _fill(self):
        data = self.sock.recv(65536)
        if not data:
            raise ClientGone()
        self.buf += data

    def readuntil(self, sep, limit):
        while True:
            i = self.buf.find(sep)
            if i >= 0:
                i += len(sep)
                out, self.buf = self.buf[:i], self.buf[i:]
                self.raw += out
                return out
            if len(self.buf) > limit:
                raise ClientGone()
            self._fill()

    def readexact(self, n):
        while len(self.buf) < n:
            self._fill()
        out, self.buf = self.buf[:n], self.buf[n:]
        self.raw += out
        return out

    def read_request(self):
        self.raw = bytearray()
        # skip stray empty lines between requests (RFC 9112 2.2)
        while True:
            line = self.readuntil(b"\n", MAX_HEAD)
            if line.strip():
                break
            self.raw = bytearray()
        head = line
        while True:
            l = self.readuntil(b"\n", MAX_HEAD)
            head += l
            if len(head) > MAX_HEAD:
                raise ClientGone()
            if not l.strip(b"\r\n"):
                break
        req = Request()
        lines = head.decode("latin-1").split("\n")
        parts = lines[0].rstrip("\r").split(" ")
        if len(parts) != 3:
            raise ClientGone()
        req.method, req.target, req.version = parts
        for l in lines[1:]:
            l = l.rstrip("\r")
            if not l:
                continue
            k, _, v = l.partition(":")
            req.headers.append((k.strip(), v.strip()))
        te = (req.header("transfer-encoding") or "").lower()
        body = b""
        if "chunked" in te:
            while True:
                sz = self.readuntil(b"\n", 65536)
                n = int(sz.split(b";")[0].strip() or b"0", 16)
                if n == 0:
                    # trailers until empty line
                    while self.readuntil(b"\n", 65536).strip():
                        pass
                    break
                body += self.readexact(n)
                self.readuntil(b"\n", 65536)
        else:
            cl = req.header("content-length")
            if cl is not None:
                body = self.readexact(int(cl))
        req.body = body
        req.raw = bytes(self.raw)
        target = req.target
        if "://" in target:  # absolute form (sent through a proxy)
            target = "/" + target.split("://", 1)[1].partition("/")[2]
        req.path, _, req.query = target.partition("?")
        req.scenario = req.path.lstrip("/").split("/")[0]
        return req


class Ctx:
    def __init__(self, sock, conn, req, count):
        self.sock = sock
        self.conn = conn
        self.req = req
        self.count = count  # requests seen on this connection, this one included

    def send(self, data):
        if isinstance(data, str):
            data = data.encode("latin-1")
        try:
            self.sock.sendall(data)
        except OSError:
            raise ClientGone()

    def wait_peer_close(self, timeout=SILENCE_MAX):
        """Sleep until the peer closes or `timeout` seconds pass."""
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return
            r, _, _ = select.select([self.sock], [], [], left)
            if r:
                try:
                    if not self.sock.recv(65536):
                        return
                except OSError:
                    return


def response(status, headers=(), body=b"", reason=None):
    reasons = {200: "OK", 201: "Created", 404: "Not Found", 302: "Found"}
    if reason is None:
        reason = reasons.get(status, "Unknown")
    head = "HTTP/1.1 %d %s\r\n" % (status, reason)
    for k, v in headers:
        head += "%s: %s\r\n" % (k, v)
    return head.encode("latin-1") + b"\r\n", body


def static(data, close=False, head_len=None):
    """Scenario sending fixed bytes.  For HEAD requests the body (everything
    after the first blank line) is left out."""
    def sc(ctx):
        out = data
        if ctx.req.method == "HEAD":
            i = out.find(b"\r\n\r\n")
            if i >= 0:
                out = out[:i + 4]
        ctx.send(out)
        return not close
    return sc


# ---------------------------------------------------------------- scenarios

def sc_echo(ctx):
    body = ctx.req.raw
    ctx.send(b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
             b"Content-Length: %d\r\n\r\n" % len(body))
    if ctx.req.method != "HEAD":
        ctx.send(body)
    return True


def sc_truncated_cl(ctx):
    ctx.send(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789")
    return False


def sc_truncated_chunked(ctx):
    ctx.send(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n")
    return False


def sc_close_no_response(ctx):
    return False


def sc_reset(ctx):
    import struct
    ctx.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    return False


def sc_silence(ctx):
    ctx.wait_peer_close()
    return False


def sc_silence_after_headers(ctx):
    ctx.send(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n")
    ctx.wait_peer_close()
    return False


def sc_slow(ctx):
    # one byte per second (?interval=SECONDS overrides)
    try:
        interval = float(ctx.req.arg("interval", "1"))
    except ValueError:
        interval = 1.0
    interval = min(max(interval, 0.0), 5.0)
    data = b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nslow"
    for i in range(len(data)):
        ctx.send(data[i:i + 1])
        if i + 1 < len(data):
            time.sleep(interval)
    return True


def sc_long_status(ctx):
    line = b"HTTP/1.1 200 " + b"O" * (70000 - len(b"HTTP/1.1 200 ") - 2) + b"\r\n"
    assert len(line) == 70000
    ctx.send(line + b"Content-Length: 0\r\n\r\n")
    return False


def sc_long_header(ctx):
    line = b"X-Long: " + b"a" * (70000 - len(b"X-Long: ") - 2) + b"\r\n"
    assert len(line) == 70000
    ctx.send(b"HTTP/1.1 200 OK\r\n" + line + b"Content-Length: 0\r\n\r\n")
    return False


def sc_many_headers(ctx):
    hs = b"".join(b"X-Header-%d: %d\r\n" % (i, i) for i in range(101))
    ctx.send(b"HTTP/1.1 200 OK\r\n" + hs + b"Content-Length: 0\r\n\r\n")
    return False


def sc_keepalive_count(ctx):
    body = str(ctx.count).encode()
    ctx.send(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body))
    if ctx.req.method != "HEAD":
        ctx.send(body)
    return True


def sc_not_found(ctx):
    body = b"no such scenario: " + ctx.req.scenario.encode("latin-1") + b"\n"
    ctx.send(b"HTTP/1.1 404 Not Found\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
    return True


SCENARIOS = {
    "ok": static(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"),
    "echo": sc_echo,
    "truncated-cl": sc_truncated_cl,
    "truncated-chunked": sc_truncated_chunked,
    "close-no-response": sc_close_no_response,
    "reset": sc_reset,
    "silence": sc_silence,
    "silence-after-headers": sc_silence_after_headers,
    "slow": sc_slow,
    "long-status": sc_long_status,
    "long-header": sc_long_header,
    "many-headers": sc_many_headers,
    "http10": static(b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil close", close=True),
    "interim": static(
        b"HTTP/1.1 100 Continue\r\n\r\n"
        b"HTTP/1.1 102 Processing\r\n\r\n"
        b"HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload; as=style\r\n\r\n"
        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"),
    "chunked-trailers": static(
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Trailer\r\n\r\n"
        b"5;a=b\r\nhello\r\n"
        b"6;c=\"d e\";f\r\n world\r\n"
        b"0;last=1\r\nX-Trailer: yes\r\nX-Checksum: abc\r\n\r\n"),
    "bad-status": static(b"ICY 200 OK\r\n\r\n", close=True),
    "http2": static(b"HTTP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n", close=True),
    "repeated": static(
        b"HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nX-Multi: one\r\n"
        b"Set-Cookie: b=2; Path=/\r\nX-Multi: two\r\nContent-Length: 0\r\n\r\n"),
    "head-body": lambda ctx: (ctx.send(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"), True)[1],
    "keepalive-count": sc_keepalive_count,
    "connection-close": static(
        b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 3\r\n\r\nbye", close=True),
    # extras
    "form": static(b"HTTP/1.1 302 Found\r\nLocation: /landing\r\nContent-Type: text/html\r\n"
                   b"Content-Length: 46\r\n\r\nRedirecting to <a href=\"/landing\">/landing</a>"),
    "no-length": static(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil close", close=True),
    "bad-chunk-size": static(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
                             close=True),
    "no-reason": static(b"HTTP/1.1 200\r\nContent-Length: 2\r\n\r\nok"),
    "lf-only": static(b"HTTP/1.1 200 OK\nContent-Length: 2\nX-Lf: yes\n\nok"),
    "empty-response": static(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
    "nul-body": static(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\na\x00b\x00c"),
}



# ------------------------------------------------- hostile-server catalog
# Scenarios for tests/c/test_hostile.c (docs/SECURITY.md): each breaks one
# rule of RFC 9112 the way a broken or malicious server would.

def _head(*lines):
    return b"".join(l + b"\r\n" for l in lines) + b"\r\n"


# /cl-value/<name>: a Content-Length whose value is not 1*DIGIT.
CL_VALUES = {
    "plus": b"+5", "underscore": b"5_0", "hex": b"0x5", "empty": b"",
    "over63": b"9223372036854775808", "twenty": b"99999999999999999999",
    "negative": b"-1", "space-inside": b"5 0",
}


def sc_cl_value(ctx):
    name = (ctx.req.path.split("/") + ["", "", ""])[2]
    v = CL_VALUES.get(name, b"5")
    ctx.send(_head(b"HTTP/1.1 200 OK", b"Content-Length: " + v) + b"hello")
    return False


# /chunk-size/<name>: a chunked body whose second size line is malformed,
# after a good chunk "hello" (the partial bytes a reader keeps).
CHUNK_SIZES = {
    "sign": b"+5\r\n", "0x": b"0x5\r\n", "junk": b"5z\r\n",
    "17digits": b"00000000000000005\r\n", "bare-cr": b"5\rworld\r\n",
    "neg": b"-5\r\n", "empty": b"\r\n",
}


def sc_chunk_size(ctx):
    name = (ctx.req.path.split("/") + ["", "", ""])[2]
    bad = CHUNK_SIZES.get(name, b"5\r\n")
    ctx.send(_head(b"HTTP/1.1 200 OK", b"Transfer-Encoding: chunked") +
             b"5\r\nhello\r\n" + bad + b"world\r\n0\r\n\r\n")
    return False


def sc_chunk_ext_long(ctx):
    ctx.send(_head(b"HTTP/1.1 200 OK", b"Transfer-Encoding: chunked") +
             b"5;" + b"x" * 70000 + b"\r\nhello\r\n0\r\n\r\n")
    return False


def sc_endless_interim(ctx):
    # bounded: 1000 interim heads, then the socket closes
    for _ in range(10):
        ctx.send(b"HTTP/1.1 100 Continue\r\n\r\n" * 100)
    return False


def sc_endless_trailers(ctx):
    ctx.send(_head(b"HTTP/1.1 200 OK", b"Transfer-Encoding: chunked") +
             b"5\r\nhello\r\n0\r\n")
    for i in range(2000):  # ~100 KiB of trailers, bounded
        ctx.send(b"X-Trailer-%d: %s\r\n" % (i, b"t" * 40))
    return False


def sc_giant_cl(ctx):
    ctx.send(_head(b"HTTP/1.1 200 OK", b"Content-Length: 9000000000000000000") +
             b"z" * 1000)
    return False


def sc_huge_head(ctx):
    # 99 headers of 4000 bytes: under the header count, over 300 KiB
    hs = [b"X-Big-%d: %s" % (i, b"h" * 3985) for i in range(99)]
    ctx.send(_head(b"HTTP/1.1 200 OK", *hs))
    return False


def sc_slow_drip(ctx):
    # a status line and headers one byte every ?interval s (default 0.25),
    # so no single receive waits long but the whole exchange does
    try:
        interval = min(max(float(ctx.req.arg("interval", "0.25")), 0.0), 5.0)
    except ValueError:
        interval = 0.25
    data = _head(b"HTTP/1.1 200 OK", b"X-Slow: " + b"d" * 200, b"Content-Length: 4") + b"drip"
    for i in range(len(data)):
        ctx.send(data[i:i + 1])
        time.sleep(interval)
    return False


SCENARIOS.update({
    # framing
    "cl-and-te": static(_head(b"HTTP/1.1 200 OK", b"Content-Length: 100",
                              b"Transfer-Encoding: chunked") + b"5\r\nhello\r\n0\r\n\r\n"),
    "cl-twice": static(_head(b"HTTP/1.1 200 OK", b"Content-Length: 5",
                             b"Content-Length: 6") + b"hello!", close=True),
    "cl-list": static(_head(b"HTTP/1.1 200 OK", b"Content-Length: 5, 6") + b"hello!",
                      close=True),
    "cl-list-same": static(_head(b"HTTP/1.1 200 OK", b"Content-Length: 5, 5") + b"hello"),
    "cl-value": sc_cl_value,
    "te-gzip": static(_head(b"HTTP/1.1 200 OK", b"Transfer-Encoding: gzip",
                            b"Content-Length: 3") + b"not-chunked body", close=True),
    "te-chunked-gzip": static(_head(b"HTTP/1.1 200 OK", b"Transfer-Encoding: chunked, gzip")
                              + b"5\r\nhello\r\n0\r\n\r\n", close=True),
    "chunk-size": sc_chunk_size,
    "chunk-ext-long": sc_chunk_ext_long,
    "chunk-data-cr": static(_head(b"HTTP/1.1 200 OK", b"Transfer-Encoding: chunked") +
                            b"5\r\nhello\r0\r\n\r\n", close=True),
    "chunk-data-long": static(_head(b"HTTP/1.1 200 OK", b"Transfer-Encoding: chunked") +
                              b"5\r\nhelloEXTRA\r\n0\r\n\r\n", close=True),
    "204-body": static(_head(b"HTTP/1.1 204 No Content") + b"JUNK /smuggled\r\n"),
    "304-body": static(_head(b"HTTP/1.1 304 Not Modified", b"Content-Length: 5") +
                       b"JUNK /smuggled\r\n"),
    # a server that answers HEAD with a body anyway
    "head-with-body": lambda ctx: (ctx.send(
        _head(b"HTTP/1.1 200 OK", b"Content-Length: 16") + b"JUNK /smuggled\r\n"), True)[1],
    # headers
    "hdr-nul": static(_head(b"HTTP/1.1 200 OK", b"X-A: a\x00b", b"Content-Length: 0"),
                      close=True),
    "hdr-ctl": static(_head(b"HTTP/1.1 200 OK", b"X-A: a\x01b", b"Content-Length: 0"),
                      close=True),
    "hdr-del": static(_head(b"HTTP/1.1 200 OK", b"X-A: a\x7fb", b"Content-Length: 0"),
                      close=True),
    "hdr-bare-cr": static(_head(b"HTTP/1.1 200 OK", b"X-A: a\rX-B: b", b"Content-Length: 0"),
                          close=True),
    "hdr-space-colon": static(_head(b"HTTP/1.1 200 OK", b"Content-Length : 0"), close=True),
    "hdr-obs-fold": static(_head(b"HTTP/1.1 200 OK", b"X-A: a", b" folded", b"Content-Length: 0"),
                           close=True),
    "hdr-no-colon": static(_head(b"HTTP/1.1 200 OK", b"X-A a", b"Content-Length: 0"), close=True),
    "huge-head": sc_huge_head,
    "endless-interim": sc_endless_interim,
    "endless-trailers": sc_endless_trailers,
    # status lines
    "status-1digit": static(_head(b"HTTP/1.1 2 OK", b"Content-Length: 0"), close=True),
    "status-4digit": static(_head(b"HTTP/1.1 1000 OK", b"Content-Length: 0"), close=True),
    "status-099": static(_head(b"HTTP/1.1 099 Low", b"Content-Length: 0"), close=True),
    "http09": static(b"<html><body>HTTP/0.9 had no status line</body></html>\n", close=True),
    # sizes and time
    "giant-cl": sc_giant_cl,
    "slow-drip": sc_slow_drip,
})

# ------------------------------------------------------------------ server

def handle(sock):
    conn = Conn(sock)
    count = 0
    try:
        sock.settimeout(SILENCE_MAX + 5)
        while True:
            try:
                req = conn.read_request()
            except (ClientGone, OSError, ValueError):
                return
            count += 1
            sc = SCENARIOS.get(req.scenario, sc_not_found)
            try:
                keep = sc(Ctx(sock, conn, req, count))
            except ClientGone:
                return
            if not keep:
                return
    finally:
        try:
            sock.close()
        except OSError:
            pass


def serve(lsock):
    while True:
        try:
            s, _ = lsock.accept()
        except OSError:
            continue
        t = threading.Thread(target=handle, args=(s,), daemon=True)
        t.start()


def main():
    port = int(sys.argv[1])
    pidfile = sys.argv[2] if len(sys.argv) > 2 else None
    socks = []
    for fam, addr in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
        try:
            s = socket.socket(fam, socket.SOCK_STREAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if fam == socket.AF_INET6:
                s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            s.bind((addr, port))
            s.listen(128)
            socks.append(s)
        except OSError as e:
            if fam == socket.AF_INET:
                raise
            sys.stderr.write("rawserver: no IPv6: %s\n" % e)
    if pidfile:
        with open(pidfile, "w") as f:
            f.write("%d\n" % os.getpid())
    signal.signal(signal.SIGTERM, lambda *a: os._exit(0))
    signal.signal(signal.SIGINT, lambda *a: os._exit(0))
    for s in socks[1:]:
        threading.Thread(target=serve, args=(s,), daemon=True).start()
    serve(socks[0])


if __name__ == "__main__":
    main()
