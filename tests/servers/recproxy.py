#!/usr/bin/env python3
"""Recording proxy for httpc tests (python3 stdlib only).

Usage: recproxy.py PORT LOGFILE [PIDFILE] [--deny]

Appends every request head it receives (the raw bytes, up to and including
the blank line) to LOGFILE, then:
  * CONNECT host:port  -> "HTTP/1.1 200 Connection established", then tunnels
    bytes both ways;
  * absolute-URI requests (GET http://host:port/path) -> forwards the request
    in origin form and then relays bytes both ways;
  * with --deny: answers every request with "HTTP/1.1 403 Forbidden".
Only loopback targets (127.0.0.1, ::1, localhost) are ever contacted; others
get 403.
"""
import os
import select
import signal
import socket
import sys
import threading

LOCK = threading.Lock()
LOOPBACK = {"127.0.0.1", "::1", "localhost", "[::1]"}


def log_head(path, head):
    with LOCK:
        with open(path, "ab") as f:
            f.write(head)
            f.flush()


def read_head(sock):
    buf = b""
    while True:
        i = buf.find(b"\r\n\r\n")
        j = buf.find(b"\n\n")
        if i >= 0 or j >= 0:
            end = i + 4 if i >= 0 and (j < 0 or i < j) else j + 2
            return buf[:end], buf[end:]
        if len(buf) > 1 << 20:
            return None, b""
        d = sock.recv(65536)
        if not d:
            return None, b""
        buf += d


def split_hostport(hp, default):
    if hp.startswith("["):
        host, _, rest = hp[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else ""
    elif hp.count(":") == 1:
        host, _, port = hp.partition(":")
    else:
        host, port = hp, ""
    return host, int(port) if port else default


def relay(a, b):
    socks = [a, b]
    try:
        while True:
            r, _, _ = select.select(socks, [], [], 120)
            if not r:
                return
            for s in r:
                d = s.recv(65536)
                other = b if s is a else a
                if not d:
                    try:
                        other.shutdown(socket.SHUT_WR)
                    except OSError:
                        pass
                    socks.remove(s)
                    if not socks:
                        return
                    continue
                other.sendall(d)
    except OSError:
        return


def reply(sock, status, reason, body=b""):
    sock.sendall(b"HTTP/1.1 %d %s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
                 % (status, reason, len(body)) + body)


def handle(sock, logfile, deny):
    up = None
    try:
        sock.settimeout(60)
        head, rest = read_head(sock)
        if head is None:
            return
        log_head(logfile, head)
        line = head.split(b"\n", 1)[0].decode("latin-1").strip()
        parts = line.split(" ")
        if len(parts) != 3:
            reply(sock, 400, b"Bad Request")
            return
        method, target, version = parts
        if deny:
            reply(sock, 403, b"Forbidden", b"CONNECT denied\n")
            return
        if method == "CONNECT":
            host, port = split_hostport(target, 443)
        elif "://" in target:
            scheme, _, after = target.partition("://")
            hp, slash, path = after.partition("/")
            host, port = split_hostport(hp, 443 if scheme == "https" else 80)
            lines = head.split(b"\n")
            lines[0] = ("%s /%s %s\r" % (method, path, version)).encode("latin-1")
            rest = b"\n".join(lines) + rest
        else:
            reply(sock, 400, b"Bad Request")
            return
        if host not in LOOPBACK:
            reply(sock, 403, b"Forbidden", b"only loopback targets\n")
            return
        if host in ("localhost", "[::1]"):
            host = "127.0.0.1" if host == "localhost" else "::1"
        try:
            up = socket.create_connection((host, port), timeout=10)
        except OSError:
            reply(sock, 502, b"Bad Gateway")
            return
        up.settimeout(None)
        sock.settimeout(None)
        if method == "CONNECT":
            sock.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        if rest:
            up.sendall(rest)
        relay(sock, up)
    except OSError:
        pass
    finally:
        for s in (sock, up):
            if s is not None:
                try:
                    s.close()
                except OSError:
                    pass


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    deny = "--deny" in sys.argv
    port, logfile = int(args[0]), args[1]
    pidfile = args[2] if len(args) > 2 else None
    open(logfile, "ab").close()
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", port))
    ls.listen(128)
    if pidfile:
        with open(pidfile, "w") as f:
            f.write("%d\n" % os.getpid())
    signal.signal(signal.SIGTERM, lambda *a: os._exit(0))
    signal.signal(signal.SIGINT, lambda *a: os._exit(0))
    while True:
        try:
            s, _ = ls.accept()
        except OSError:
            continue
        threading.Thread(target=handle, args=(s, logfile, deny), daemon=True).start()


if __name__ == "__main__":
    main()
