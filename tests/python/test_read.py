"""read() fills the bytes object it returns straight from the library
(httpc_py_read): every body framing, the growth past the first room, the
end-of-body bookkeeping, and what a failed read keeps for the next call."""
import hashlib
import os
import socket
import threading
import time
import unittest

import httpc

PORT = int(os.environ['HTTPC_TEST_NGINX_PORT'])
RAW = int(os.environ['HTTPC_TEST_RAW_PORT'])
DOCROOT = os.environ['HTTPC_TEST_DOCROOT']


def resp(path, port=PORT, method='GET', timeout=None):
    conn = httpc.HTTPConnection('127.0.0.1', port, timeout=timeout)
    conn.request(method, path)
    return conn, conn.getresponse()


class OneShotServer:
    """Answers one request with `parts` (bytes, or a number: seconds to wait
    before the next part), then closes."""

    def __init__(self, parts):
        self.parts = parts
        self.sock = socket.socket()
        self.sock.bind(('127.0.0.1', 0))
        self.sock.listen(1)
        self.port = self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        c, _ = self.sock.accept()
        with c:
            req = b''
            while b'\r\n\r\n' not in req:
                d = c.recv(4096)
                if not d:
                    return
                req += d
            for p in self.parts:
                if isinstance(p, (int, float)):
                    time.sleep(p)
                else:
                    c.sendall(p)
            time.sleep(0.2)
        self.sock.close()


class Framings(unittest.TestCase):
    def test_known_length_past_the_first_room(self):
        # 64 MiB: the bytes object starts at 16 MiB and doubles twice
        with open(os.path.join(DOCROOT, '64m'), 'rb') as f:
            want = hashlib.sha256(f.read()).hexdigest()
        conn, r = resp('/64m')
        data = r.read()
        self.assertEqual(len(data), 64 << 20)
        self.assertEqual(hashlib.sha256(data).hexdigest(), want)
        self.assertTrue(r.isclosed())
        self.assertEqual(r.read(), b'')
        # the connection is reusable: the body ended exactly
        conn.request('GET', '/100b')
        self.assertEqual(conn.getresponse().read(), b'x' * 99 + b'\n')

    def test_chunked_grows_from_64k(self):
        body = bytes(range(256)) * 1200  # 300 KiB
        chunks = b''.join(b'%x\r\n%s\r\n' % (len(body[i:i + 70000]), body[i:i + 70000])
                          for i in range(0, len(body), 70000))
        srv = OneShotServer([b'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n',
                             chunks, b'0\r\n\r\n'])
        conn, r = resp('/', srv.port)
        self.assertEqual(r.read(), body)
        self.assertTrue(r.isclosed())

    def test_until_close_and_empty(self):
        conn, r = resp('/http10', RAW)
        self.assertEqual(r.read(), b'until close')
        self.assertTrue(r.isclosed())
        conn, r = resp('/empty-response', RAW)
        self.assertFalse(r.isclosed())
        self.assertEqual(r.read(), b'')
        self.assertTrue(r.isclosed())
        conn, r = resp('/head-body', RAW, 'HEAD')
        self.assertEqual(r.read(), b'')
        self.assertTrue(r.isclosed())

    def test_amounts(self):
        conn, r = resp('/100b')
        self.assertEqual(r.read(0), b'')
        self.assertEqual(r.read(1), b'x')
        self.assertEqual(len(r.read(50)), 50)
        self.assertEqual(r.read(500), b'x' * 48 + b'\n')
        self.assertTrue(r.isclosed())
        self.assertEqual(r.read(10), b'')
        conn, r = resp('/chunked')
        self.assertEqual(r.read(3), b'chu')
        self.assertEqual(r.read(), b'nk1\nchunk2\nchunk3\n')

    def test_truncated_chunked(self):
        conn, r = resp('/truncated-chunked', RAW)
        with self.assertRaises(httpc.IncompleteRead) as cm:
            r.read()
        self.assertEqual(cm.exception.partial, b'hello')
        self.assertIsNone(cm.exception.expected)

    def test_freed_handle(self):
        conn, r = resp('/100b')
        r._r.free()
        with self.assertRaises(ValueError):
            r.read()


class AfterATimeout(unittest.TestCase):
    """A timeout keeps the socket and what arrived: the next read starts
    with the bytes the failed one gathered (the core does the same with its
    own buffer)."""

    def stalled(self):
        srv = OneShotServer([b'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n01234', 0.8,
                             b'56789'])
        return resp('/', srv.port, timeout=0.3)[1]

    def timed_out_read(self, r):
        with self.assertRaises(TimeoutError):
            r.read()
        time.sleep(1.0)  # the rest has arrived by now

    def test_read_again(self):
        r = self.stalled()
        self.timed_out_read(r)
        self.assertEqual(r.read(), b'0123456789')
        self.assertTrue(r.isclosed())

    def test_pieces_after(self):
        r = self.stalled()
        self.timed_out_read(r)
        self.assertEqual(r.peek(), b'01234')
        self.assertEqual(r.read(2), b'01')
        self.assertEqual(r.read1(), b'234')
        self.assertEqual(r.readline(), b'56789')

    def test_readinto_after(self):
        r = self.stalled()
        self.timed_out_read(r)
        b = bytearray(3)
        self.assertEqual(r.readinto(b), 3)
        self.assertEqual(b, b'012')
        b = bytearray(7)
        self.assertEqual(r.readinto(b), 7)
        self.assertEqual(b, b'3456789')

    def test_timeouts_on_both_buffers(self):
        # 'ab' is gathered by the first read (kept in Python), 'cd' by a
        # later one (kept in the library's buffer): retrying until the body
        # is complete returns every byte once, in order
        srv = OneShotServer([b'HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nab', 1.0, b'cd',
                             1.0, b'ef'])
        r = resp('/', srv.port, timeout=0.4)[1]
        timeouts = 0
        while True:
            try:
                data = r.read()
                break
            except TimeoutError:
                timeouts += 1
                self.assertLess(timeouts, 20)
        self.assertEqual(data, b'abcdef')
        self.assertGreaterEqual(timeouts, 3)

if __name__ == '__main__':
    unittest.main()
