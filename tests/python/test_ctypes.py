"""The C ABI used straight from Python's ctypes -- no binding involved.

Loads libhttpc.so.1 ($HTTPC_LIB, else $BUILD/libhttpc.so.1, else build/),
declares the argtypes/restype of what it calls, and talks to the shared test
servers (tests/servers/README.md).  The test_* functions suit pytest; run as
a script it prints ok/not ok lines and "N passed, N failed, N skipped".
"""
import ctypes as C
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def _libpath():
    if os.environ.get("HTTPC_LIB"):
        return os.environ["HTTPC_LIB"]
    build = os.environ.get("BUILD", "build")
    return os.path.join(build if os.path.isabs(build) else os.path.join(ROOT, build),
                        "libhttpc.so.1")


lib = C.CDLL(_libpath())

c_conn_p = C.c_void_p
c_resp_p = C.c_void_p
c_ctx_p = C.c_void_p
c_err_p = C.c_void_p
SZ = C.c_size_t
STR = C.c_char_p          # NUL-terminated (host and file names, messages)
BYTES = C.c_void_p        # pointer half of a pointer + length pair
OUTP = C.POINTER(C.c_void_p)
OUTN = C.POINTER(SZ)

for name, res, args in [
    ("httpc_version", STR, []),
    ("httpc_abi_version", C.c_int, []),
    ("httpc_code_name", STR, [C.c_int]),
    ("httpc_code_parent", C.c_int, [C.c_int, C.c_int]),
    ("httpc_code_is", C.c_int, [C.c_int, C.c_int]),
    ("httpc_code_from_name", C.c_int, [STR]),
    ("httpc_error_code", C.c_int, [c_err_p]),
    ("httpc_error_message", STR, [c_err_p]),
    ("httpc_error_partial", BYTES, [c_err_p, OUTN]),
    ("httpc_error_expected", C.c_int64, [c_err_p]),
    ("httpc_tls_ctx_new", c_ctx_p, [C.c_int]),
    ("httpc_tls_ctx_free", None, [c_ctx_p]),
    ("httpc_tls_ctx_load_verify_locations", C.c_int, [c_ctx_p, STR, STR]),
    ("httpc_conn_new", c_conn_p, [C.c_char_p, SZ, C.c_int, c_ctx_p]),
    ("httpc_conn_free", None, [c_conn_p]),
    ("httpc_conn_error", c_err_p, [c_conn_p]),
    ("httpc_conn_set_timeout", None, [c_conn_p, C.c_double]),
    ("httpc_conn_request_header", C.c_int, [c_conn_p, C.c_char_p, SZ, C.c_char_p, SZ]),
    ("httpc_conn_request", C.c_int,
     [c_conn_p, C.c_char_p, SZ, C.c_char_p, SZ, C.c_char_p, SZ, C.c_int]),
    ("httpc_conn_getresponse", C.c_int, [c_conn_p, C.POINTER(c_resp_p)]),
    ("httpc_response_free", None, [c_resp_p]),
    ("httpc_response_error", c_err_p, [c_resp_p]),
    ("httpc_response_status", C.c_int, [c_resp_p]),
    ("httpc_response_reason", BYTES, [c_resp_p, OUTN]),
    ("httpc_response_getheader", C.c_int, [c_resp_p, C.c_char_p, SZ, OUTP, OUTN]),
    ("httpc_response_readinto", C.c_int, [c_resp_p, C.c_void_p, SZ, OUTN]),
    ("httpc_response_read", C.c_int, [c_resp_p, C.c_int64, OUTP, OUTN]),
    ("httpc_response_closed", C.c_int, [c_resp_p]),
]:
    f = getattr(lib, name)
    f.restype = res
    f.argtypes = args

HOST = os.environ.get("HTTPC_TEST_HOST", "127.0.0.1")


def port(var):
    return int(os.environ[var])


def code(name):
    c = lib.httpc_code_from_name(name.encode())
    assert c != 0, name
    return c


def err_of(handle_err):
    """(name, message, code) of a handle's error."""
    c = lib.httpc_error_code(handle_err)
    return lib.httpc_code_name(c).decode(), lib.httpc_error_message(handle_err).decode(), c


def get(conn, url, headers=()):
    for n, v in headers:
        assert lib.httpc_conn_request_header(conn, n, len(n), v, len(v)) == 0
    rc = lib.httpc_conn_request(conn, b"GET", 3, url, len(url), None, 0, 0)
    assert rc == 0, err_of(lib.httpc_conn_error(conn))
    resp = c_resp_p()
    rc = lib.httpc_conn_getresponse(conn, C.byref(resp))
    assert rc == 0, err_of(lib.httpc_conn_error(conn))
    return resp


def test_version():
    assert lib.httpc_version().decode().count(".") == 2
    assert lib.httpc_abi_version() == 1


def test_get_binary_body_with_readinto():
    h = HOST.encode()
    conn = lib.httpc_conn_new(h, len(h), port("HTTPC_TEST_NGINX_PORT"), None)
    try:
        resp = get(conn, b"/1m")
        try:
            assert lib.httpc_response_status(resp) == 200
            n = SZ()
            p = lib.httpc_response_reason(resp, C.byref(n))
            assert C.string_at(p, n.value) == b"OK"
            v = C.c_void_p()
            assert lib.httpc_response_getheader(resp, b"content-length", 14, C.byref(v), C.byref(n)) == 1
            assert C.string_at(v, n.value) == b"1048576"
            buf = C.create_string_buffer(65536)
            parts = []
            while True:
                assert lib.httpc_response_readinto(resp, buf, len(buf), C.byref(n)) == 0
                if n.value == 0:
                    break
                parts.append(buf.raw[:n.value])
            body = b"".join(parts)
            with open(os.path.join(os.environ["HTTPC_TEST_DOCROOT"], "1m"), "rb") as f:
                assert body == f.read()
            assert b"\0" in body
            assert lib.httpc_response_closed(resp) == 1
        finally:
            lib.httpc_response_free(resp)
        # the same connection again (keep-alive), whole body with read(-1)
        resp = get(conn, b"/100b")
        p, n = C.c_void_p(), SZ()
        assert lib.httpc_response_read(resp, -1, C.byref(p), C.byref(n)) == 0
        assert C.string_at(p, n.value) == b"x" * 99 + b"\n"
        lib.httpc_response_free(resp)
    finally:
        lib.httpc_conn_free(conn)


def test_incomplete_read_from_the_error_tree():
    h = HOST.encode()
    conn = lib.httpc_conn_new(h, len(h), port("HTTPC_TEST_RAW_PORT"), None)
    resp = get(conn, b"/truncated-cl")
    p, n = C.c_void_p(), SZ()
    rc = lib.httpc_response_read(resp, -1, C.byref(p), C.byref(n))
    e = lib.httpc_response_error(resp)
    name, msg, c = err_of(e)
    assert rc == c == code("IncompleteRead"), (rc, name, msg)
    assert name == "IncompleteRead"
    assert C.string_at(lib.httpc_error_partial(e, C.byref(n)), n.value) == b"0123456789"
    assert lib.httpc_error_expected(e) == 90
    assert lib.httpc_code_is(c, code("HTTPException")) == 1
    assert lib.httpc_code_is(c, code("OSError")) == 0
    lib.httpc_response_free(resp)
    lib.httpc_conn_free(conn)
    # the tree: RemoteDisconnected has two parents
    rd = code("RemoteDisconnected")
    parents = {lib.httpc_code_name(lib.httpc_code_parent(rd, i)).decode() for i in (0, 1)}
    assert parents == {"BadStatusLine", "ConnectionResetError"}
    assert lib.httpc_code_parent(rd, 2) == 0


def test_timeout_and_invalid_url():
    h = HOST.encode()
    conn = lib.httpc_conn_new(h, len(h), port("HTTPC_TEST_RAW_PORT"), None)
    lib.httpc_conn_set_timeout(conn, 0.2)
    assert lib.httpc_conn_request(conn, b"GET", 3, b"/silence", 8, None, 0, 0) == 0
    resp = c_resp_p()
    rc = lib.httpc_conn_getresponse(conn, C.byref(resp))
    name, msg, c = err_of(lib.httpc_conn_error(conn))
    assert rc == c and name == "TimeoutError" and lib.httpc_code_is(c, code("OSError")) == 1, msg
    lib.httpc_conn_free(conn)
    bad = lib.httpc_conn_new(b"h:abc", 5, -1, None)
    assert err_of(lib.httpc_conn_error(bad))[0] == "InvalidURL"
    lib.httpc_conn_free(bad)


def test_https_with_our_ca():
    ctx = lib.httpc_tls_ctx_new(0)
    assert ctx
    assert lib.httpc_tls_ctx_load_verify_locations(ctx, os.environ["HTTPC_TEST_CA"].encode(), None) == 0
    conn = lib.httpc_conn_new(b"localhost", 9, port("HTTPC_TEST_TLS_PORT"), ctx)
    lib.httpc_tls_ctx_free(ctx)  # the connection keeps its own reference
    resp = get(conn, b"/chunked")
    p, n = C.c_void_p(), SZ()
    assert lib.httpc_response_read(resp, -1, C.byref(p), C.byref(n)) == 0
    assert C.string_at(p, n.value) == b"chunk1\nchunk2\nchunk3\n"
    lib.httpc_conn_free(conn)      # the response keeps the connection alive
    lib.httpc_response_free(resp)


if __name__ == "__main__":
    passed = failed = 0
    for name, fn in list(globals().items()):
        if name.startswith("test_") and callable(fn):
            try:
                fn()
                print("ok - " + name)
                passed += 1
            except Exception as e:  # report every failure, keep going
                print("not ok - %s: %s: %s" % (name, type(e).__name__, e))
                failed += 1
    print("%d passed, %d failed, 0 skipped" % (passed, failed))
    sys.exit(1 if failed else 0)
