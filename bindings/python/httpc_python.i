/* httpc_python.i -- the Python side of httpc.i: bytes-like objects in,
 * bytes out, outputs appended to the result tuple, any writable buffer for
 * readinto, the GIL released around every call into the library, and what
 * a freed handle does.  The idiomatic API (http.client's classes and
 * exceptions) is bindings/python/httpc/__init__.py on top of this. */


/* Bytes in: anything with the buffer protocol (bytes, bytearray,
 * memoryview, ...); a str is taken as UTF-8 (host names, file names). */
%typemap(in) (const char *BYTES, size_t LEN) (Py_buffer viewbuf, Py_buffer *view = NULL) {
    if (PyUnicode_Check($input)) {
        Py_ssize_t n_ = 0;
        const char *p_ = PyUnicode_AsUTF8AndSize($input, &n_);
        if (!p_) SWIG_fail;
        $1 = ($1_ltype)p_;
        $2 = (size_t)n_;
    } else {
        if (PyObject_GetBuffer($input, &viewbuf, PyBUF_SIMPLE) < 0) SWIG_fail;
        view = &viewbuf;
        $1 = ($1_ltype)viewbuf.buf;
        $2 = (size_t)viewbuf.len;
    }
}
%typemap(freearg) (const char *BYTES, size_t LEN) {
    if (view$argnum) PyBuffer_Release(view$argnum);
}
%typemap(in) (const char *OPTBYTES, size_t OPTLEN) (Py_buffer viewbuf, Py_buffer *view = NULL) {
    if ($input == Py_None) {
        $1 = NULL;
        $2 = 0;
    } else {
        if (PyObject_GetBuffer($input, &viewbuf, PyBUF_SIMPLE) < 0) SWIG_fail;
        view = &viewbuf;
        $1 = ($1_ltype)viewbuf.buf;
        $2 = (size_t)viewbuf.len;
    }
}
%typemap(freearg) (const char *OPTBYTES, size_t OPTLEN) {
    if (view$argnum) PyBuffer_Release(view$argnum);
}

/* readinto: any writable buffer; the export pins it while the GIL is
 * released (a bytearray cannot be resized meanwhile). */
%typemap(in) (void *BUF, size_t LEN) (Py_buffer viewbuf, Py_buffer *view = NULL) {
    if (PyObject_GetBuffer($input, &viewbuf, PyBUF_WRITABLE) < 0) {
        /* as io's readinto: a read-only buffer is the wrong type */
        PyErr_Format(PyExc_TypeError, "readinto() argument must be read-write bytes-like object, not %.100s",
                     Py_TYPE($input)->tp_name);
        SWIG_fail;
    }
    view = &viewbuf;
    $1 = viewbuf.buf;
    $2 = (size_t)viewbuf.len;
}
%typemap(freearg) (void *BUF, size_t LEN) {
    if (view$argnum) PyBuffer_Release(view$argnum);
}

/* Bytes out: appended to the result as bytes. */
%typemap(in, numinputs=0) (const char **OUT, size_t *OUT_LEN) (const char *p = NULL, size_t n = 0) {
    $1 = ($1_ltype)&p;
    $2 = &n;
}
%typemap(argout) (const char **OUT, size_t *OUT_LEN) {
    PyObject *o_ = PyBytes_FromStringAndSize(*$1 ? *$1 : "", *$1 ? (Py_ssize_t)*$2 : 0);
    if (!o_) SWIG_fail;
    $result = SWIG_Python_AppendOutput($result, o_);
}

/* A returned (pointer, length): the bytes are the result. */
%typemap(out) httpc_lstr "";
%typemap(in, numinputs=0) size_t *LSTR_LEN (size_t n = 0) {
    $1 = &n;
}
%typemap(argout) size_t *LSTR_LEN {
    PyObject *o_ = PyBytes_FromStringAndSize(result ? result : "", result ? (Py_ssize_t)*$1 : 0);
    if (!o_) SWIG_fail;
    $result = SWIG_Python_AppendOutput($result, o_);
}

%typemap(in, numinputs=0) size_t *OUT_N (size_t n = 0) {
    $1 = &n;
}
%typemap(argout) size_t *OUT_N {
    PyObject *o_ = PyLong_FromSize_t(*$1);
    if (!o_) SWIG_fail;
    $result = SWIG_Python_AppendOutput($result, o_);
}

%typemap(in, numinputs=0) httpc_response **OUT_RESP (httpc_response *r = NULL) {
    $1 = &r;
}
%typemap(argout) httpc_response **OUT_RESP {
    PyObject *o_ = *$1 ? SWIG_NewPointerObj(*$1, $*1_descriptor, SWIG_POINTER_OWN) : SWIG_Py_Void();
    if (!o_) SWIG_fail;
    $result = SWIG_Python_AppendOutput($result, o_);
}

%{
/* free(): the proxy stops pointing at the handle, so its destructor and
 * every later method see NULL instead of freed memory. */
static void httpc_py_forget_self(PyObject *self) {
    SwigPyObject *s = SWIG_Python_GetSwigThis(self);
    if (s) {
        s->ptr = NULL;
        s->own = 0;
    }
}
%}

/* A method on a freed handle raises ValueError (as a closed Python file
 * does); every call runs without the GIL, since handles are per
 * connection and the library keeps no global state. */
%define HTTPC_METHOD_GUARD
%exception %{
    if (!arg1) {
        PyErr_SetString(PyExc_ValueError, "operation on a freed httpc handle");
        SWIG_fail;
    }
    Py_BEGIN_ALLOW_THREADS
    $action
    Py_END_ALLOW_THREADS
%}
%exception free %{
    $action
    httpc_py_forget_self(swig_obj[0]);
%}
%enddef

/* ---- Python-only fast paths used by httpc/__init__.py ---- */
%{
/* The first room a read reserves: the whole body when its length is known,
 * up to the core's own one-piece cap (a lying Content-Length must not
 * reserve much before any byte arrived); 64 KiB when it is not. */
#define HTTPC_PY_KNOWN_FIRST (16 * 1024 * 1024)
#define HTTPC_PY_UNKNOWN_FIRST (64 * 1024)

static int httpc_py_freed(const void *h) {
    if (h) return 0;
    PyErr_SetString(PyExc_ValueError, "operation on a freed httpc handle");
    return 1;
}

/* read(amt) (amt < 0: to the end) straight into the bytes object that is
 * returned: httpc_response_read would gather into the response's own
 * buffer and the bytes object would be a second copy (for a 256 MiB body, a
 * second 256 MiB of page faults).  The bytes object is private until it is
 * returned, so readinto may fill it without the GIL; it grows by doubling
 * (a realloc that the allocator turns into mremap for large sizes) and is
 * cut to what arrived.  Returns the bytes, or (code, bytes gathered) when
 * the library failed: the caller raises the handle's error with them. */
static PyObject *httpc_py_read(httpc_response *r, int64_t amt) {
    if (httpc_py_freed(r)) return NULL;
    if (amt == 0) return PyBytes_FromStringAndSize(NULL, 0);
    int64_t known = httpc_response_length(r);
    int64_t limit = amt;
    if (known >= 0 && (limit < 0 || known < limit)) limit = known;
    size_t cap;
    if (known >= 0)
        cap = limit < HTTPC_PY_KNOWN_FIRST ? (size_t)limit : HTTPC_PY_KNOWN_FIRST;
    else
        cap = limit >= 0 && limit < HTTPC_PY_UNKNOWN_FIRST ? (size_t)limit : HTTPC_PY_UNKNOWN_FIRST;
    /* a body of length 0 still takes one readinto: it marks the end */
    if (cap == 0) cap = 1;
    if (cap > (size_t)PY_SSIZE_T_MAX) cap = (size_t)PY_SSIZE_T_MAX;
    PyObject *out = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)cap);
    if (!out) return NULL;
    size_t filled = 0;
    int rc = 0;
    for (;;) {
        if (limit > 0 && (uint64_t)filled >= (uint64_t)limit) break;
        if (filled == cap) {
            size_t ncap = cap <= (size_t)PY_SSIZE_T_MAX / 2 ? cap * 2 : (size_t)PY_SSIZE_T_MAX;
            if (limit >= 0 && (uint64_t)ncap > (uint64_t)limit) ncap = (size_t)limit;
            if (ncap <= cap) break;
            if (_PyBytes_Resize(&out, (Py_ssize_t)ncap) < 0) return NULL;
            cap = ncap;
        }
        char *buf = PyBytes_AS_STRING(out) + filled;
        size_t room = cap - filled, n = 0;
        Py_BEGIN_ALLOW_THREADS
        rc = httpc_response_readinto(r, buf, room, &n);
        Py_END_ALLOW_THREADS
        if (rc || n == 0) break;
        filled += n;
    }
    if (filled != cap && _PyBytes_Resize(&out, (Py_ssize_t)filled) < 0) return NULL;
    if (rc) return Py_BuildValue("(iN)", rc, out);
    return out;
}

/* The response's head attributes in one call:
 * (status, reason, version, debuglevel, chunked, will_close). */
static PyObject *httpc_py_head(httpc_response *r) {
    if (httpc_py_freed(r)) return NULL;
    size_t n = 0;
    const char *reason = httpc_response_reason(r, &n);
    return Py_BuildValue("(iNiiNN)", httpc_response_status(r),
                         PyUnicode_DecodeLatin1(reason, (Py_ssize_t)n, NULL),
                         httpc_response_version(r), httpc_response_debuglevel(r),
                         PyBool_FromLong(httpc_response_chunked(r)),
                         PyBool_FromLong(httpc_response_will_close(r)));
}
%}
PyObject *httpc_py_read(httpc_response *r, int64_t amt);
PyObject *httpc_py_head(httpc_response *r);
