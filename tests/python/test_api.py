"""Request bodies, the response API and handle lifetimes of httpc (Python)."""
import array
import gc
import io
import os
import tempfile
import threading
import unittest

import httpc

PORT = int(os.environ['HTTPC_TEST_NGINX_PORT'])
RAW = int(os.environ['HTTPC_TEST_RAW_PORT'])


def echo(body=None, headers={}, **kw):
    conn = httpc.HTTPConnection('127.0.0.1', PORT)
    conn.request('POST', '/echo', body, headers, **kw)
    return conn.getresponse().read()


class Bodies(unittest.TestCase):
    def test_bytes_like_get_content_length(self):
        for body in (b'a\0b', bytearray(b'a\0b'), memoryview(b'a\0b'), 'a\xe9b'):
            raw = echo(body)
            self.assertIn(b'Content-Length: 3\r\n', raw)
        self.assertTrue(echo('a\xe9b').endswith(b'a\xe9b'))

    def test_binary_file_is_chunked_in_blocksize_pieces(self):
        with tempfile.TemporaryFile() as f:
            f.write(b'z' * 20000)
            f.seek(0)
            raw = echo(f)
        self.assertIn(b'Transfer-Encoding: chunked\r\n', raw)
        self.assertTrue(raw.endswith(b'z' * 20000))

    def test_text_file_encoded_latin1(self):
        raw = echo(io.StringIO('caf\xe9'))
        self.assertTrue(raw.endswith(b'caf\xe9'))

    def test_iterable_chunked_and_explicit_length(self):
        raw = echo(iter([b'ab', b'', 'cd']))
        self.assertIn(b'Transfer-Encoding: chunked\r\n', raw)
        self.assertTrue(raw.endswith(b'abcd'))
        raw = echo(iter([b'ab', b'cd']), {'Content-Length': '4'})
        self.assertIn(b'Content-Length: 4\r\n', raw)
        self.assertNotIn(b'Transfer-Encoding', raw)
        self.assertTrue(raw.endswith(b'abcd'))

    def test_encode_chunked_with_own_header(self):
        raw = echo([b'hello'], {'Transfer-Encoding': 'chunked'}, encode_chunked=True)
        self.assertIn(b'Transfer-Encoding: chunked\r\n', raw)
        self.assertTrue(raw.endswith(b'hello'))

    def test_putheader_multiple_values(self):
        conn = httpc.HTTPConnection('127.0.0.1', RAW)
        conn.putrequest('POST', '/echo')
        conn.putheader('X-Multi', 'one', b'two', 3)
        conn.putheader('Content-Length', '2')
        conn.endheaders(b'hi')
        raw = conn.getresponse().read()
        self.assertIn(b'X-Multi: one\r\n\ttwo\r\n\t3\r\n', raw)
        self.assertTrue(raw.endswith(b'\r\n\r\nhi'))


class Response(unittest.TestCase):
    def resp(self, path, port=PORT, method='GET'):
        conn = httpc.HTTPConnection('127.0.0.1', port)
        conn.request(method, path)
        return conn.getresponse()

    def test_attributes_and_headers(self):
        r = self.resp('/100b')
        self.assertEqual((r.status, r.reason, r.version), (200, 'OK', 11))
        self.assertEqual(r.getcode(), 200)
        self.assertEqual(r.length, 100)
        self.assertFalse(r.chunked)
        self.assertFalse(r.will_close)
        self.assertEqual(r.debuglevel, 0)
        self.assertIs(r.info(), r.msg)
        self.assertIs(r.headers, r.msg)
        self.assertEqual(r.msg['content-LENGTH'], '100')
        self.assertEqual(r.msg.get('content-length'), '100')
        self.assertIn('Content-Length', r.msg.keys())
        self.assertIn(('Content-Length', '100'), r.msg.items())
        self.assertIn('Server', list(r.msg))
        self.assertGreater(r.fileno(), 2)
        self.assertFalse(r.isclosed())
        r.read()
        self.assertTrue(r.isclosed())
        self.assertTrue(r.closed)

    def test_getheader_semantics(self):
        r = self.resp('/repeated', RAW)
        self.assertEqual(r.getheader('x-multi'), 'one, two')
        self.assertEqual(r.msg.get_all('Set-Cookie'), ['a=1', 'b=2; Path=/'])
        self.assertIsNone(r.getheader('nope'))
        self.assertEqual(r.getheader('nope', 'dflt'), 'dflt')
        self.assertEqual(r.getheader('nope', ['a', 'b']), 'a, b')
        self.assertEqual(r.getheader('nope', 5), 5)
        self.assertEqual(r.getheaders()[0], ('Set-Cookie', 'a=1'))

    def test_readinto_any_writable_buffer(self):
        want = b'x' * 99 + b'\n'
        r = self.resp('/100b')
        ba = bytearray(10)
        self.assertEqual(r.readinto(ba), 10)
        mv = memoryview(bytearray(30))
        self.assertEqual(r.readinto(mv[5:25]), 20)
        arr = array.array('b', bytes(70))
        self.assertEqual(r.readinto(arr), 70)
        got = bytes(ba) + bytes(mv[5:25]) + arr.tobytes()
        self.assertEqual(got, want)
        self.assertEqual(r.readinto(bytearray(5)), 0)
        with self.assertRaises(TypeError):
            r.readinto(b'readonly')

    def test_lines_peek_read1_with(self):
        with self.resp('/chunked') as r:
            self.assertTrue(r.chunked)
            self.assertTrue(r.peek(1).startswith(b'c'))
            self.assertEqual(list(r), [b'chunk1\n', b'chunk2\n', b'chunk3\n'])
        self.assertTrue(r.isclosed())
        r = self.resp('/100b')
        d = r.read1()
        self.assertTrue(1 <= len(d) <= 100)
        self.assertEqual(r.readline(5), b'xxxxx'[:min(5, 100 - len(d))] if len(d) < 100 else b'')

    def test_binary_body_exact(self):
        with open(os.path.join(os.environ['HTTPC_TEST_DOCROOT'], '1m'), 'rb') as f:
            want = f.read()
        self.assertEqual(self.resp('/1m').read(), want)


class Lifetime(unittest.TestCase):
    def test_response_outlives_connection(self):
        conn = httpc.HTTPConnection('127.0.0.1', PORT)
        conn.request('GET', '/1m')
        r = conn.getresponse()
        del conn
        gc.collect()
        self.assertEqual(len(r.read()), 1 << 20)

    def test_threads_run_in_parallel(self):
        # the GIL is released while waiting: 4 x 300 ms delays take < 1.1 s
        import time
        def one():
            conn = httpc.HTTPConnection('127.0.0.1', PORT)
            conn.request('GET', '/delay?ms=300')
            conn.getresponse().read()
        ts = [threading.Thread(target=one) for _ in range(4)]
        t0 = time.monotonic()
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        self.assertLess(time.monotonic() - t0, 1.1)


if __name__ == '__main__':
    unittest.main()
