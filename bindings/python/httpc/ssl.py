"""httpc.ssl -- the subset of Python's ssl module httpc connections use.

OpenSSL state cannot be shared with Python's own ssl module, so contexts for
httpc.HTTPSConnection are made here; they follow ssl.SSLContext's rules
(check_hostname / verify_mode interplay, minimum_version).
"""
import enum as _enum
import os as _os

from . import httpc_core as _core


class VerifyMode(_enum.IntEnum):
    CERT_NONE = _core.CERT_NONE
    CERT_OPTIONAL = _core.CERT_OPTIONAL
    CERT_REQUIRED = _core.CERT_REQUIRED


CERT_NONE = VerifyMode.CERT_NONE
CERT_OPTIONAL = VerifyMode.CERT_OPTIONAL
CERT_REQUIRED = VerifyMode.CERT_REQUIRED


class TLSVersion(_enum.IntEnum):
    # the protocol numbers, as Python's ssl.TLSVersion
    TLSv1 = _core.TLS1_0
    TLSv1_1 = _core.TLS1_1
    TLSv1_2 = _core.TLS1_2
    TLSv1_3 = _core.TLS1_3


def _raise_for(ctx):
    from . import _raise_for as raise_for
    raise_for(ctx)


def _path(p):
    return None if p is None else _os.fsencode(p).decode('utf-8', 'surrogateescape')


class SSLContext:
    """A TLS context: verification, trust anchors, client certificate."""

    def __init__(self, protocol=None, *, _kind=_core.TLS_DEFAULT):
        ctx = _core.tls_ctx_new(_kind)
        if ctx is None:
            raise MemoryError("httpc.ssl: could not create an OpenSSL context")
        self._ctx = ctx
        self.protocol = protocol

    def _check(self, rc):
        if rc != 0:
            _raise_for(self._ctx)

    def load_verify_locations(self, cafile=None, capath=None, cadata=None):
        if cafile is None and capath is None and cadata is None:
            raise TypeError("cafile, capath and cadata cannot be all omitted")
        if cafile is not None or capath is not None:
            self._check(self._ctx.load_verify_locations(_path(cafile), _path(capath)))
        if cadata is not None:
            if isinstance(cadata, str):
                cadata = cadata.encode('ascii')
            self._check(self._ctx.load_verify_data(cadata))

    def load_cert_chain(self, certfile, keyfile=None, password=None):
        if callable(password):
            password = password()
        if isinstance(password, (bytes, bytearray)):
            password = bytes(password).decode('utf-8')
        self._check(self._ctx.load_cert_chain(_path(certfile), _path(keyfile), password))

    @property
    def check_hostname(self):
        return bool(self._ctx.get_check_hostname())

    @check_hostname.setter
    def check_hostname(self, on):
        self._check(self._ctx.set_check_hostname(1 if on else 0))

    @property
    def verify_mode(self):
        return VerifyMode(self._ctx.get_verify_mode())

    @verify_mode.setter
    def verify_mode(self, mode):
        self._check(self._ctx.set_verify_mode(int(mode)))

    @property
    def minimum_version(self):
        return TLSVersion(self._ctx.get_minimum_version())

    @minimum_version.setter
    def minimum_version(self, version):
        self._check(self._ctx.set_minimum_version(int(version)))


def create_default_context(purpose=None, *, cafile=None, capath=None, cadata=None):
    """Verification and hostname checking on; the system CAs, or only the
    given ones when cafile, capath or cadata is passed (as ssl's)."""
    own = cafile is not None or capath is not None or cadata is not None
    ctx = SSLContext(_kind=_core.TLS_VERIFY if own else _core.TLS_DEFAULT)
    if cafile is not None or capath is not None or cadata is not None:
        ctx.load_verify_locations(cafile, capath, cadata)
    return ctx


def _create_unverified_context(protocol=None, *, cert_reqs=CERT_NONE, check_hostname=False,
                               purpose=None, certfile=None, keyfile=None, cafile=None,
                               capath=None, cadata=None):
    """No certificate or hostname verification (as ssl's)."""
    ctx = SSLContext(protocol, _kind=_core.TLS_UNVERIFIED)
    ctx.check_hostname = check_hostname
    ctx.verify_mode = cert_reqs
    if certfile or keyfile:
        ctx.load_cert_chain(certfile, keyfile)
    if cafile is not None or capath is not None or cadata is not None:
        ctx.load_verify_locations(cafile, capath, cadata)
    return ctx


create_unverified_context = _create_unverified_context

from . import _classes_by_name as _tree  # noqa: E402
SSLError = _tree['SSLError']
SSLCertVerificationError = _tree['SSLCertVerificationError']
