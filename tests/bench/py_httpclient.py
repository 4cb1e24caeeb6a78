"""CPython's http.client on one keep-alive connection (same command line
and result line as the C clients, see client.h).  With --httpc the same
loop runs over the httpc Python binding instead (build/python)."""
import ssl
import sys
import time


def main(argv):
    use_httpc = argv[:1] == ["--httpc"]
    if use_httpc:
        argv = argv[1:]
        import httpc as client
        ctx = client.ssl.create_unverified_context() if argv[0] == "https" else None
    else:
        import http.client as client
        ctx = ssl._create_unverified_context() if argv[0] == "https" else None
    scheme, host, port, method, path = argv[0], argv[1], int(argv[2]), argv[3], argv[4]
    count, seconds, piece, body_size = int(argv[5]), float(argv[6]), int(argv[7]), int(argv[8])
    body = b"x" * body_size if method == "POST" else None
    if scheme == "https":
        conn = client.HTTPSConnection(host, port, context=ctx)
    else:
        conn = client.HTTPConnection(host, port)

    def one():
        conn.request(method, path, body)
        r = conn.getresponse()
        if piece == 0:
            return len(r.read())
        total = 0
        while True:
            d = r.read(piece)
            if not d:
                return total
            total += len(d)

    one()
    extra = body_size if body is not None else 0
    t0 = time.monotonic()
    n = nbytes = 0
    while n < count:
        nbytes += one() + extra
        n += 1
        if seconds > 0 and (n & 15) == 0 and time.monotonic() - t0 >= seconds:
            break
    t = time.monotonic() - t0
    print("requests=%d seconds=%.6f bytes=%d" % (n, t, nbytes))


main(sys.argv[1:])
