"""httpc's exception classes: the contract's tree as real Python classes,
raised by the scripted raw server's hostile scenarios."""
import http.client
import os
import time
import unittest

import httpc

RAW = int(os.environ['HTTPC_TEST_RAW_PORT'])
PORT = int(os.environ['HTTPC_TEST_NGINX_PORT'])


def get(path, timeout=None, port=RAW):
    conn = httpc.HTTPConnection('127.0.0.1', port, timeout=timeout)
    conn.request('GET', path)
    return conn, conn.getresponse


class Tree(unittest.TestCase):
    def test_same_ancestry_as_http_client(self):
        for name in ('NotConnected', 'InvalidURL', 'UnknownProtocol', 'UnknownTransferEncoding',
                     'UnimplementedFileMode', 'IncompleteRead', 'ImproperConnectionState',
                     'CannotSendRequest', 'CannotSendHeader', 'ResponseNotReady',
                     'BadStatusLine', 'RemoteDisconnected', 'LineTooLong'):
            ours, theirs = getattr(httpc, name), getattr(http.client, name)
            self.assertTrue(issubclass(ours, httpc.HTTPException), name)
            self.assertTrue(issubclass(ours, Exception), name)
            their_bases = [b.__name__ for b in theirs.__mro__]
            our_bases = [b.__name__ for b in ours.__mro__]
            self.assertEqual(our_bases, their_bases, name)
        self.assertIs(httpc.error, httpc.HTTPException)
        self.assertTrue(issubclass(httpc.RemoteDisconnected, ConnectionResetError))
        self.assertTrue(issubclass(httpc.ssl.SSLError, OSError))
        self.assertTrue(issubclass(httpc.ssl.SSLCertVerificationError, ValueError))

    def test_constructors_as_http_client(self):
        e = httpc.IncompleteRead(b'abc', 5)
        self.assertEqual((e.partial, e.expected), (b'abc', 5))
        self.assertEqual(repr(e), 'IncompleteRead(3 bytes read, 5 more expected)')
        self.assertEqual(httpc.BadStatusLine('').line, "''")
        self.assertIn('header line', str(httpc.LineTooLong('header line')))

    def test_constants(self):
        self.assertEqual((httpc.HTTP_PORT, httpc.HTTPS_PORT), (80, 443))
        self.assertEqual(httpc.OK, 200)
        self.assertEqual(httpc.NOT_FOUND, 404)
        self.assertEqual(httpc.IM_A_TEAPOT, 418)
        self.assertEqual(httpc.responses[404], 'Not Found')
        import http as h
        for name, member in h.HTTPStatus.__members__.items():
            self.assertEqual(getattr(httpc, name), int(member), name)


class Raised(unittest.TestCase):
    def test_incomplete_read(self):
        conn, getresponse = get('/truncated-cl')
        r = getresponse()
        with self.assertRaises(httpc.IncompleteRead) as cm:
            r.read()
        self.assertEqual(cm.exception.partial, b'0123456789')
        self.assertEqual(cm.exception.expected, 90)
        self.assertIsInstance(cm.exception, httpc.HTTPException)

    def test_remote_disconnected(self):
        conn, getresponse = get('/close-no-response')
        with self.assertRaises(httpc.RemoteDisconnected) as cm:
            getresponse()
        for cls in (ConnectionResetError, ConnectionError, OSError, httpc.BadStatusLine,
                    httpc.HTTPException):
            self.assertIsInstance(cm.exception, cls)

    def test_line_too_long(self):
        conn, getresponse = get('/long-header')
        with self.assertRaises(httpc.LineTooLong) as cm:
            getresponse()
        self.assertIn('header line', str(cm.exception))

    def test_long_status_line(self):
        conn, getresponse = get('/long-status')
        with self.assertRaises(httpc.LineTooLong):
            getresponse()

    def test_many_headers(self):
        conn, getresponse = get('/many-headers')
        with self.assertRaises(httpc.HTTPException) as cm:
            getresponse()
        self.assertIs(type(cm.exception), httpc.HTTPException)
        self.assertIn('100', str(cm.exception))

    def test_bad_status(self):
        conn, getresponse = get('/bad-status')
        with self.assertRaises(httpc.BadStatusLine) as cm:
            getresponse()
        self.assertIn('ICY', cm.exception.line)

    def test_unknown_protocol(self):
        conn, getresponse = get('/http2')
        with self.assertRaises(httpc.UnknownProtocol):
            getresponse()

    def test_timeout(self):
        conn, getresponse = get('/silence', timeout=0.5)
        with self.assertRaises(TimeoutError) as cm:
            getresponse()
        self.assertIsInstance(cm.exception, OSError)

    def test_deadline(self):
        # one byte every 0.25 s: no receive waits past the 2 s timeout, but
        # the 1 s deadline bounds the whole exchange
        conn = httpc.HTTPConnection('127.0.0.1', RAW, timeout=2, deadline=1.0)
        self.assertEqual(conn.deadline, 1.0)
        conn.request('GET', '/slow-drip')
        start = time.monotonic()
        with self.assertRaises(TimeoutError):
            conn.getresponse()
        self.assertLess(time.monotonic() - start, 1.6)
        conn.close()

    def test_connection_refused(self):
        conn = httpc.HTTPConnection('127.0.0.1', 1)
        with self.assertRaises(ConnectionRefusedError) as cm:
            conn.connect()
        self.assertEqual(cm.exception.errno, 111)

    def test_crlf_injection(self):
        conn = httpc.HTTPConnection('127.0.0.1', PORT)
        with self.assertRaises((ValueError, httpc.InvalidURL)):
            conn.request('GET', '/a\r\nX-Injected: 1')
        with self.assertRaises(ValueError):
            conn.request('GET', '/', headers={'X-A': 'v\r\nX-Injected: 1'})
        with self.assertRaises(ValueError):
            conn.request('GE T', '/')
        # the connection is still usable (CONTRACT §6)
        conn.request('GET', '/100b')
        self.assertEqual(len(conn.getresponse().read()), 100)

    def test_invalid_url_at_construction(self):
        with self.assertRaises(httpc.InvalidURL):
            httpc.HTTPConnection('127.0.0.1:abc')

    def test_state_machine(self):
        conn = httpc.HTTPConnection('127.0.0.1', PORT)
        with self.assertRaises(httpc.ResponseNotReady):
            conn.getresponse()
        conn.request('GET', '/100b')
        with self.assertRaises(httpc.CannotSendRequest):
            conn.request('GET', '/100b')
        r = conn.getresponse()
        with self.assertRaises(httpc.ResponseNotReady) as cm:
            conn.getresponse()
        self.assertIsInstance(cm.exception, httpc.ImproperConnectionState)
        self.assertEqual(len(r.read()), 100)
        conn.putrequest('GET', '/100b')
        conn.endheaders()
        with self.assertRaises(httpc.CannotSendHeader):
            conn.putheader('X-Late', '1')
        self.assertEqual(conn.getresponse().read(), b'x' * 99 + b'\n')

    def test_set_tunnel_after_connect(self):
        conn = httpc.HTTPConnection('127.0.0.1', PORT)
        conn.connect()
        with self.assertRaises(RuntimeError):
            conn.set_tunnel('example.com')

    def test_freed_handle_raises_not_crashes(self):
        conn = httpc.HTTPConnection('127.0.0.1', PORT)
        conn._c.free()
        conn._c.free()
        with self.assertRaises(ValueError):
            conn.request('GET', '/')
        self.assertEqual(conn._c.error().code(), httpc.httpc_core.E_NOTCONNECTED)


if __name__ == '__main__':
    unittest.main()
