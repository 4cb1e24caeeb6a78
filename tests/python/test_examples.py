"""The examples of the http.client documentation (reference/http.client.rst,
"Examples"), with http.client replaced by httpc, against the test nginx."""
import contextlib
import io
import os
import unittest
import urllib.parse

import httpc
import httpc.ssl

PORT = int(os.environ['HTTPC_TEST_NGINX_PORT'])
TLS_PORT = int(os.environ['HTTPC_TEST_TLS_PORT'])
DOCROOT = os.environ['HTTPC_TEST_DOCROOT']


def docfile(name):
    with open(os.path.join(DOCROOT, name), 'rb') as f:
        return f.read()


class DocExamples(unittest.TestCase):
    def test_get_then_chunks_then_404(self):
        conn = httpc.HTTPConnection('127.0.0.1', PORT)
        conn.request("GET", "/")
        r1 = conn.getresponse()
        self.assertEqual((r1.status, r1.reason), (200, 'OK'))
        data1 = r1.read()
        self.assertEqual(data1, docfile('index.html'))
        conn.request("GET", "/")
        r1 = conn.getresponse()
        chunks = []
        while not r1.closed:
            chunks.append(r1.read(200))
        self.assertEqual(b''.join(chunks), data1)
        self.assertTrue(all(len(c) <= 200 for c in chunks))
        conn.request("GET", "/parrot.spam")
        r2 = conn.getresponse()
        self.assertEqual((r2.status, r2.reason), (404, 'Not Found'))
        data2 = r2.read()
        self.assertIn(b'404', data2)
        conn.close()

    def test_head(self):
        conn = httpc.HTTPConnection('127.0.0.1', PORT)
        conn.request("HEAD", "/")
        res = conn.getresponse()
        self.assertEqual((res.status, res.reason), (200, 'OK'))
        data = res.read()
        self.assertEqual(len(data), 0)
        self.assertTrue(data == b'')

    def test_post_form(self):
        params = urllib.parse.urlencode({'@number': 12524, '@type': 'issue', '@action': 'show'})
        headers = {"Content-type": "application/x-www-form-urlencoded",
                   "Accept": "text/plain"}
        conn = httpc.HTTPConnection('127.0.0.1:%d' % PORT)
        conn.request("POST", "/form", params, headers)
        response = conn.getresponse()
        self.assertEqual((response.status, response.reason), (302, 'Found'))
        data = response.read()
        self.assertEqual(data, b'Redirecting to <a href="/landing">/landing</a>')
        conn.close()

    def test_put(self):
        BODY = "***filecontents***"
        conn = httpc.HTTPConnection("127.0.0.1", PORT)
        conn.request("PUT", "/file", BODY)
        response = conn.getresponse()
        self.assertEqual((response.status, response.reason), (200, 'OK'))
        self.assertEqual(response.read(), b'stored 18 bytes\n')

    def test_https_with_our_ca(self):
        ctx = httpc.ssl.create_default_context(cafile=os.environ['HTTPC_TEST_CA'])
        self.assertTrue(ctx.check_hostname)
        self.assertEqual(ctx.verify_mode, httpc.ssl.CERT_REQUIRED)
        conn = httpc.HTTPSConnection("localhost", TLS_PORT, context=ctx)
        conn.request("GET", "/1m")
        r = conn.getresponse()
        self.assertEqual(r.status, 200)
        self.assertEqual(r.read(), docfile('1m'))

    def test_https_unknown_ca_fails_verification(self):
        conn = httpc.HTTPSConnection("localhost", TLS_PORT)  # system CAs only
        with self.assertRaises(httpc.ssl.SSLCertVerificationError) as cm:
            conn.request("GET", "/")
        self.assertIsInstance(cm.exception, OSError)
        self.assertIsInstance(cm.exception, ValueError)
        self.assertIsInstance(cm.exception, httpc.ssl.SSLError)

    def test_https_unverified_context(self):
        conn = httpc.HTTPSConnection("127.0.0.1", TLS_PORT,
                                     context=httpc.ssl._create_unverified_context())
        conn.request("GET", "/100b")
        self.assertEqual(conn.getresponse().read(), b'x' * 99 + b'\n')

    def test_debuglevel_prints_to_sys_stdout(self):
        conn = httpc.HTTPConnection('127.0.0.1', PORT)
        conn.set_debuglevel(1)
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            conn.request("GET", "/100b")
            conn.getresponse().read()
        text = out.getvalue()
        self.assertIn("send: b'GET /100b HTTP/1.1\\r\\n", text)
        self.assertIn("reply: 'HTTP/1.1 200 OK\\r\\n'", text)
        self.assertIn("header: Content-Length: 100", text)


if __name__ == '__main__':
    unittest.main()
