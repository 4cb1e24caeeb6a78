"""httpc -- http.client's API over the httpc C library.

`import httpc` and use it where `http.client` is used: HTTPConnection,
HTTPSConnection, HTTPResponse, HTTPMessage, the constants and the exception
classes keep http.client's names, signatures and ancestry.  TLS contexts
come from httpc.ssl.  The HTTP rules (framing, parsing, state machine) are
all in C; this module converts arguments and turns error codes into
exceptions built from the library's own error tree.
"""
import builtins as _builtins
import collections.abc as _abc
import http as _http
import http.client as _stdclient
import io as _io
import socket as _socket
import sys as _sys

from . import httpc_core as _core

# The extension's flat functions, called directly on the hot paths: the SWIG
# proxy methods add a Python frame per call.
_C = _core._httpc_core
_c_request = _C.httpc_conn_request
_c_getresponse = _C.httpc_conn_getresponse
_c_read = _C.httpc_py_read
_c_head = _C.httpc_py_head
_c_getheader = _C.httpc_response_getheader
_BODY_BYTES = _core.BODY_BYTES
_BODY_NONE = _core.BODY_NONE

__version__ = _core.version()
_VERSION = __version__

HTTP_PORT = 80
HTTPS_PORT = 443

# http.client exports the HTTPStatus members by name (httpc.OK == 200).
globals().update(_http.HTTPStatus.__members__)
responses = {v: v.phrase for v in _http.HTTPStatus.__members__.values()}

_MAXLINE = 65536

# ---------------------------------------------------------------------------
# Exceptions, built from the C library's tree (httpc_code_name/parent), so no
# copy of the hierarchy lives here.  Names that are Python builtins ARE the
# builtins; the constructors of the http.client classes keep their
# signatures.


class _HTTPExceptionInit:
    """Constructors http.client gives some of its exception classes."""

    @staticmethod
    def IncompleteRead(self, partial, expected=None):
        self.args = (partial,)
        self.partial = partial
        self.expected = expected

    @staticmethod
    def IncompleteRead__repr__(self):
        e = ', %i more expected' % self.expected if self.expected is not None else ''
        return '%s(%i bytes read%s)' % (self.__class__.__name__, len(self.partial), e)

    @staticmethod
    def BadStatusLine(self, line):
        if not line:
            line = repr(line)
        self.args = (line,)
        self.line = line

    @staticmethod
    def UnknownProtocol(self, version):
        self.args = (version,)
        self.version = version

    @staticmethod
    def LineTooLong(self, line_type):
        Exception.__init__(self, "got more than %d bytes when reading %s" % (_MAXLINE, line_type))

    @staticmethod
    def RemoteDisconnected(self, *pos, **kw):
        _classes_by_name['BadStatusLine'].__init__(self, "")
        ConnectionResetError.__init__(self, *pos, **kw)


# Beyond the tree: what Python's own modules make these classes.
_EXTRA_BASES = {
    'SSLCertVerificationError': (ValueError,),   # as ssl.SSLCertVerificationError
    'NameResolutionError': (_socket.gaierror,),  # getaddrinfo failures
}

_classes_by_code = {}
_classes_by_name = {}


def _make_class(code):
    if code in _classes_by_code:
        return _classes_by_code[code]
    name = _core.code_name(code)
    builtin = getattr(_builtins, name, None)
    if isinstance(builtin, type) and issubclass(builtin, BaseException):
        cls = builtin
    else:
        parents = [_make_class(p) for p in (_core.code_parent(code, 0), _core.code_parent(code, 1)) if p]
        # OS-side bases first, as http.client's RemoteDisconnected does.
        parents.sort(key=lambda c: 0 if issubclass(c, OSError) else 1)
        extra = [b for b in _EXTRA_BASES.get(name, ()) if not any(issubclass(p, b) for p in parents)]
        bases = list(parents) + extra
        bases = [b for b in bases if not any(o is not b and issubclass(o, b) for o in bases)]
        ns = {'__module__': __name__, '__doc__': 'httpc error class %s (code %d)' % (name, code)}
        init = getattr(_HTTPExceptionInit, name, None)
        if init is not None:
            ns['__init__'] = init
        rep = getattr(_HTTPExceptionInit, name + '__repr__', None)
        if rep is not None:
            ns['__repr__'] = rep
            ns['__str__'] = object.__str__
        cls = type(name, tuple(bases) or (Exception,), ns)
    _classes_by_code[code] = cls
    _classes_by_name[name] = cls
    return cls


for _code in range(_core.E_HTTPEXCEPTION, _core.E_LAST + 1):
    _make_class(_code)
for _name, _cls in _classes_by_name.items():
    if _cls.__module__ == __name__:
        globals()[_name] = _cls
del _code, _name, _cls

error = HTTPException  # noqa: F821 -- http.client's alias


def _exception(info):
    """The exception for an error copy (httpc_errinfo) from the library."""
    code = info.code()
    cls = _classes_by_code.get(code, HTTPException)  # noqa: F821
    msg = info.message()
    name = cls.__name__
    if name == 'IncompleteRead':
        expected = info.expected()
        exc = cls(info.partial(), None if expected < 0 else expected)
    elif name in ('BadStatusLine', 'UnknownProtocol'):
        exc = cls(info.line().decode('latin-1') or msg)
    elif name == 'LineTooLong':
        exc = cls(info.what() or 'header line')
    elif issubclass(cls, OSError):
        errno = info.errno()
        # OSError(errno, msg) becomes FileNotFoundError etc. by itself.
        exc = cls(errno, msg) if errno else cls(msg)
        if name == 'RemoteDisconnected' and not errno:
            exc = cls(msg)
    else:
        exc = cls(msg)
    try:
        exc.httpc_code = code
        reason = info.reason()
        if reason:
            exc.reason = reason
    except AttributeError:
        pass
    return exc


def _raise_for(handle):
    info = handle.error()
    if info is None:
        raise MemoryError("httpc: out of memory while reporting an error")
    raise _exception(info)


# ---------------------------------------------------------------------------
# Conversions (as http.client's)

def _ascii(s, what):
    if isinstance(s, str):
        return s.encode('ascii')
    if isinstance(s, (bytes, bytearray, memoryview)):
        return bytes(s)
    raise TypeError('%s must be str or bytes, not %s' % (what, type(s).__name__))


def _header_value(v):
    if hasattr(v, 'encode'):
        return v.encode('latin-1')
    if isinstance(v, int):
        return str(v).encode('ascii')
    if isinstance(v, (bytes, bytearray, memoryview)):
        return bytes(v)
    raise TypeError('header value must be str, bytes or int, not %s' % type(v).__name__)


def _is_text_file(f):
    if isinstance(f, _io.TextIOBase):
        return True
    mode = getattr(f, 'mode', None)
    return isinstance(mode, str) and 'b' not in mode


def _pieces(body, blocksize):
    """Bytes pieces of a streamed body: a file read in blocksize pieces
    (text encoded as ISO-8859-1), or an iterable's items."""
    if hasattr(body, 'read'):
        text = _is_text_file(body)
        while True:
            data = body.read(blocksize)
            if not data:
                return
            yield data.encode('iso-8859-1') if text else data
    else:
        for data in body:
            if isinstance(data, str):
                data = data.encode('iso-8859-1')
            yield data


def _is_buffer(body):
    try:
        memoryview(body)
    except TypeError:
        return False
    return True


# ---------------------------------------------------------------------------
# HTTPMessage: http.client's own class (an email.message.Message) filled
# with the fields the C parser kept, in arrival order.

class HTTPMessage(_stdclient.HTTPMessage):
    pass


def _message(resp):
    msg = HTTPMessage()
    for i in range(resp.header_count()):
        rc, name, value = resp.header_at(i)
        if rc == 0:
            msg[name.decode('latin-1')] = value.decode('latin-1')
    return msg


# ---------------------------------------------------------------------------

class HTTPResponse(_io.BufferedIOBase):
    """http.client.HTTPResponse over an httpc response handle."""

    def __init__(self, handle, method=None, url=None, conn=None):
        self._r = handle
        self._method = method
        self._conn = conn
        self.url = url
        # the HTTPMessage is built on first use (most callers never touch it)
        self._msg = None
        # body bytes a failed read() gathered (a timeout may be retried):
        # served before anything the library still holds
        self._stash = None
        # True once a read may have left bytes in the library's own buffer
        # (a failed read(amt)/readline keeps them for the next call): read()
        # then goes through httpc_response_read, which returns them first
        self._slow = False
        (self.status, self.reason, self.version, self.debuglevel,
         self.chunked, self.will_close) = _c_head(handle)
        self.code = self.status

    @property
    def msg(self):
        if self._msg is None:
            self._msg = _message(self._r)
        return self._msg

    @msg.setter
    def msg(self, value):
        self._msg = value

    headers = msg

    def _flush_debug(self):
        if self.debuglevel > 0 and self._conn is not None:
            self._conn._flush_debug()

    def _check(self, result):
        """result is [rc, outputs...] (or rc alone)."""
        rc = result[0] if isinstance(result, list) else result
        self._flush_debug()
        if rc != 0:
            self._slow = True
            _raise_for(self._r)
        return result

    @property
    def length(self):
        n = self._r.length()
        return None if n < 0 else n

    @property
    def closed(self):
        return bool(self._r.closed())

    def isclosed(self):
        return bool(self._r.closed())

    def close(self):
        self._r.close()

    def readable(self):
        return True

    def flush(self):
        pass

    def read(self, amt=None):
        if amt is None or amt < 0:
            amt = -1
        if not self._slow:
            data = _c_read(self._r, amt)
            if self.debuglevel > 0:
                self._flush_debug()
            if data.__class__ is bytes:
                return data
            return self._read_failed(data[1])
        return self._read_slow(amt)

    def _read_failed(self, gathered):
        """The fast read failed after gathering some bytes: IncompleteRead
        carries them all (as http.client's); any other error keeps them for
        the next read, as the library does with its own buffer."""
        info = self._r.error()
        if info is None:
            raise MemoryError("httpc: out of memory while reporting an error")
        exc = _exception(info)
        if isinstance(exc, IncompleteRead):  # noqa: F821
            if gathered or exc.partial:
                exc.args = (gathered + exc.partial,)
                exc.partial = exc.args[0]
        elif gathered:
            self._stash = gathered
            self._slow = True
        raise exc

    def _take_stash(self, n):
        """Up to n (< 0: all) bytes of the stash."""
        st = self._stash
        if n < 0 or n >= len(st):
            self._stash = None
            return st
        self._stash = st[n:]
        return st[:n]

    def _read_slow(self, amt):
        head = b''
        if self._stash is not None:
            head = self._take_stash(amt)
            if amt >= 0:
                amt -= len(head)
                if amt == 0:
                    return head
        try:
            return head + self._check(self._r.read(amt))[1]
        except IncompleteRead as e:  # noqa: F821
            if head:
                e.args = (head + e.partial,)
                e.partial = e.args[0]
            raise
        except BaseException:
            if head:
                self._stash = head + (self._stash or b'')
            raise

    def read1(self, n=-1):
        n = -1 if n is None else n
        if self._stash is not None:
            return self._take_stash(n)
        return self._check(self._r.read1(n))[1]

    def peek(self, n=-1):
        if self._stash is not None:
            return self._stash
        return self._check(self._r.peek(-1 if n is None else n))[1]

    def readline(self, limit=-1):
        limit = -1 if limit is None else limit
        head = b''
        if self._stash is not None:
            st = self._stash
            end = st.find(b'\n') + 1
            if 0 < end and (limit < 0 or end <= limit):
                return self._take_stash(end)
            head = self._take_stash(limit)
            if limit >= 0:
                limit -= len(head)
                if limit == 0:
                    return head
        try:
            return head + self._check(self._r.readline(limit))[1]
        except BaseException:
            if head:
                self._stash = head + (self._stash or b'')
            raise

    def readinto(self, b):
        if self._stash is not None:
            view = memoryview(b).cast('B')
            data = self._take_stash(len(view))
            view[:len(data)] = data
            if len(data) == len(view):
                return len(data)
            try:
                return len(data) + self._check(self._r.readinto(view[len(data):]))[1]
            except BaseException:
                self._stash = data + (self._stash or b'')
                raise
        return self._check(self._r.readinto(b))[1]

    def readinto1(self, b):
        data = self.read1(len(memoryview(b)))
        memoryview(b).cast('B')[:len(data)] = data
        return len(data)

    def __iter__(self):
        return self

    def __next__(self):
        line = self.readline()
        if not line:
            raise StopIteration
        return line

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def fileno(self):
        return self._r.fileno()

    def getheader(self, name, default=None):
        if self._msg is None and name.__class__ is str and name.isascii():
            rc, value = _c_getheader(self._r, name)
            if rc == 1:
                return value.decode('latin-1')
            headers = default
        else:
            headers = self.headers.get_all(name) or default
        if isinstance(headers, str) or not hasattr(headers, '__iter__'):
            return headers
        return ', '.join(headers)

    def getheaders(self):
        return list(self.headers.items())

    def info(self):
        return self.headers

    def geturl(self):
        return self.url

    def getcode(self):
        return self.status

    def __del__(self):
        # the handle frees itself when collected; nothing to flush
        pass


class HTTPConnection:
    """http.client.HTTPConnection over an httpc connection handle."""

    default_port = HTTP_PORT
    response_class = HTTPResponse
    auto_open = 1
    debuglevel = 0

    def __init__(self, host, port=None, timeout=_socket._GLOBAL_DEFAULT_TIMEOUT,
                 source_address=None, blocksize=8192, *, deadline=None):
        self._init(host, port, timeout, source_address, blocksize, None)
        self.deadline = deadline

    def _init(self, host, port, timeout, source_address, blocksize, tls):
        if not isinstance(host, str):
            raise TypeError('host must be str, not %s' % type(host).__name__)
        c = _core.conn_new(host.encode('idna') if not host.isascii() else host,
                           -1 if port is None else int(port),
                           tls)
        if c is None:
            raise MemoryError("httpc: out of memory")
        self._c = c
        if c.error().code() != 0:
            _raise_for(c)
        self.host = c.host()
        self.port = c.port()
        self.blocksize = blocksize
        c.set_blocksize(blocksize)
        c.set_debug_sink_buffer()
        self.timeout = timeout
        self.source_address = source_address
        if source_address is not None:
            shost, sport = source_address
            self._check(c.set_source_address(shost or '', int(sport or 0)))
        self._method = None
        self._url = None

    @property
    def timeout(self):
        return self._timeout

    @timeout.setter
    def timeout(self, value):
        self._timeout = value
        if value is _socket._GLOBAL_DEFAULT_TIMEOUT:
            value = _socket.getdefaulttimeout()
        self._c.set_timeout(-1.0 if value is None else float(value))

    @property
    def deadline(self):
        """An httpc extension: seconds that bound a whole exchange (from
        the request until the response head, and each read), where timeout
        bounds each receive; None for no deadline."""
        return self._deadline

    @deadline.setter
    def deadline(self, value):
        self._deadline = value
        self._c.set_deadline(-1.0 if value is None else float(value))

    @property
    def sock(self):
        return None if self._c.fileno() < 0 else self._c.fileno()

    def _flush_debug(self):
        if self.debuglevel > 0:
            text = self._c.debug_take()
            if text:
                for line in text.decode('latin-1').splitlines():
                    print(line)

    def _check(self, rc):
        self._flush_debug()
        if rc != 0:
            _raise_for(self._c)

    def set_debuglevel(self, level):
        self.debuglevel = level
        self._c.set_debuglevel(level)

    def set_tunnel(self, host, port=None, headers=None):
        self._check(self._c.set_tunnel(host, -1 if port is None else int(port)))
        for name, value in (headers or {}).items():
            self._check(self._c.add_tunnel_header(_ascii(name, 'header name'), _header_value(value)))

    def connect(self):
        self._check(self._c.connect())

    def close(self):
        self._c.close()

    def _stream(self, body):
        for piece in _pieces(body, self.blocksize):
            self._check(self._c.body_write(piece))

    def request(self, method, url, body=None, headers={}, *, encode_chunked=False):
        # The common call -- str method and URL, no headers, no body or a
        # bytes body -- is one call into the library (which validates them).
        # Non-ASCII text goes the long way, to fail as http.client does.
        if (not headers and not encode_chunked and method.__class__ is str and
                url.__class__ is str and method.isascii() and url.isascii()):
            if body is None:
                rc = _c_request(self._c, method, url, None, _BODY_NONE)
            elif body.__class__ is bytes:
                rc = _c_request(self._c, method, url, body, _BODY_BYTES)
            else:
                rc = None
            if rc is not None:
                if self.debuglevel > 0:
                    self._flush_debug()
                if rc != 0:
                    _raise_for(self._c)
                self._method = method
                self._url = url
                return
        c = self._c
        for name, value in headers.items():
            self._check(c.request_header(_ascii(name, 'header name'), _header_value(value)))
        flags = _core.ENCODE_CHUNKED if encode_chunked else 0
        data = None
        stream = None
        if body is None:
            flags |= _core.BODY_NONE
        elif isinstance(body, str):
            data = body.encode('iso-8859-1')
            flags |= _core.BODY_BYTES
        elif _is_buffer(body):
            data = body
            flags |= _core.BODY_BYTES
        elif hasattr(body, 'read') or isinstance(body, _abc.Iterable):
            stream = body
            flags |= _core.BODY_STREAM
        else:
            raise TypeError('body must be str, bytes-like, a file or an iterable, not %s'
                            % type(body).__name__)
        m = _ascii(method, 'method')
        u = _ascii(url, 'url')
        self._check(c.request(m, u, data, flags))
        self._method, self._url = method, url
        if stream is not None:
            self._stream(stream)
            self._check(c.body_end())

    def putrequest(self, method, url, skip_host=False, skip_accept_encoding=False):
        self._check(self._c.putrequest(_ascii(method, 'method'), _ascii(url, 'url'),
                                       1 if skip_host else 0, 1 if skip_accept_encoding else 0))
        self._method, self._url = method, url

    def putheader(self, header, *values):
        name = _ascii(header, 'header name')
        values = [_header_value(v) for v in values]
        self._check(self._c.putheader(name, values[0] if values else b''))
        for v in values[1:]:
            self._check(self._c.putheader_continue(v))

    def endheaders(self, message_body=None, *, encode_chunked=False):
        flags = _core.ENCODE_CHUNKED if encode_chunked else 0
        if message_body is None or isinstance(message_body, str) or _is_buffer(message_body):
            if isinstance(message_body, str):
                message_body = message_body.encode('iso-8859-1')
            self._check(self._c.endheaders(message_body, flags))
            if encode_chunked and message_body is not None:
                self._check(self._c.body_end())
        else:
            self._check(self._c.endheaders(None, flags))
            self._stream(message_body)
            self._check(self._c.body_end())

    def send(self, data):
        if hasattr(data, 'read'):
            for piece in _pieces(data, self.blocksize):
                self._check(self._c.send(piece))
        elif isinstance(data, str):
            self._check(self._c.send(data.encode('iso-8859-1')))
        elif _is_buffer(data):
            self._check(self._c.send(data))
        elif isinstance(data, _abc.Iterable):
            for d in data:
                self._check(self._c.send(d.encode('iso-8859-1') if isinstance(d, str) else d))
        else:
            raise TypeError("data should be a bytes-like object or an iterable, got %r" % type(data))

    def getresponse(self):
        rc, r = _c_getresponse(self._c)
        if self.debuglevel > 0:
            self._flush_debug()
        if rc != 0:
            _raise_for(self._c)
        return self.response_class(r, self._method, self._url, self)


class HTTPSConnection(HTTPConnection):
    """http.client.HTTPSConnection; contexts come from httpc.ssl."""

    default_port = HTTPS_PORT

    def __init__(self, host, port=None, key_file=None, cert_file=None,
                 timeout=_socket._GLOBAL_DEFAULT_TIMEOUT, source_address=None, *,
                 context=None, check_hostname=None, blocksize=8192, deadline=None):
        from . import ssl as _ssl
        if context is None:
            context = _ssl.create_default_context()
        if check_hostname is not None:
            context.check_hostname = check_hostname
        if key_file or cert_file:
            context.load_cert_chain(cert_file, key_file)
        self.key_file = key_file
        self.cert_file = cert_file
        self._context = context
        self._init(host, port, timeout, source_address, blocksize, context._ctx)
        self.deadline = deadline


from . import ssl  # noqa: E402,F401  (httpc.ssl is part of the package API)

__all__ = ['HTTPResponse', 'HTTPConnection', 'HTTPSConnection', 'HTTPMessage',
           'HTTP_PORT', 'HTTPS_PORT', 'responses', 'error', 'ssl'] + \
          [n for n, c in _classes_by_name.items() if c.__module__ == __name__]
