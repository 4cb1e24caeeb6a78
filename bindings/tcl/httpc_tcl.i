/* httpc_tcl.i -- the Tcl 8.6 side of httpc.i.  Build with
 * `swig -tcl8 -namespace`: commands httpc_core::httpc_conn_request $c ...
 * over SWIG pointer strings.  The object layer with TclOO objects and
 * -errorcode errors is bindings/tcl/httpc.tcl; it owns every handle.
 *
 * Bytes cross as byte arrays.  A value that is not already a byte array is
 * taken char by char as bytes, as `binary format a*` would, but a char
 * above \u00ff is refused instead of being cut to its low byte (use
 * `encoding convertto utf-8` for text).  Outputs are byte arrays. */

%{
/* Bytes of a Tcl value; NULL with an error in interp when a character
 * does not fit in a byte. */
static const char *httpc_tcl_bytes(Tcl_Interp *interp, Tcl_Obj *o, size_t *len) {
    static const Tcl_ObjType *bytearray;
    int n = 0;
    if (!bytearray) bytearray = Tcl_GetObjType("bytearray");
    if (o->typePtr != bytearray || !bytearray) {
        int ulen = 0;
        const Tcl_UniChar *u = Tcl_GetUnicodeFromObj(o, &ulen);
        for (int i = 0; i < ulen; i++) {
            if (u[i] > 0xff) {
                Tcl_SetObjResult(interp, Tcl_ObjPrintf(
                    "httpc: character U+%04X at index %d is not a byte "
                    "(use encoding convertto)", (unsigned)u[i], i));
                Tcl_SetErrorCode(interp, "HTTPC", "ValueError", NULL);
                return NULL;
            }
        }
    }
    const unsigned char *p = Tcl_GetByteArrayFromObj(o, &n);
    *len = (size_t)n;
    return (const char *)p;
}
%}

%typemap(in) (const char *BYTES, size_t LEN) {
    size_t n_ = 0;
    $1 = ($1_ltype)httpc_tcl_bytes(interp, $input, &n_);
    if (!$1) SWIG_fail;
    $2 = n_;
}
/* Bytes in, or "" for none (Tcl has no null; an empty body is no body). */
%typemap(in) (const char *OPTBYTES, size_t OPTLEN) {
    size_t n_ = 0;
    $1 = ($1_ltype)httpc_tcl_bytes(interp, $input, &n_);
    if (!$1) SWIG_fail;
    $2 = n_;
    if (n_ == 0) $1 = NULL;
}
/* A C string argument (file names, passwords): "" is NULL. */
%typemap(in) const char * {
    $1 = ($1_ltype)Tcl_GetString($input);
    if (!*$1) $1 = NULL;
}
%typemap(freearg) const char * "";

/* Bytes out: appended to the result list as a byte array element. */
%typemap(in, numinputs=0) (const char **OUT, size_t *OUT_LEN) (const char *p = NULL, size_t n = 0) {
    $1 = ($1_ltype)&p;
    $2 = &n;
}
%typemap(argout) (const char **OUT, size_t *OUT_LEN) {
    if (*$2 > INT_MAX) {
        Tcl_SetObjResult(interp, Tcl_NewStringObj("httpc: result too large for Tcl", -1));
        SWIG_fail;
    }
    %append_output(Tcl_NewByteArrayObj((const unsigned char *)(*$1 ? *$1 : ""),
                                       *$1 ? (int)*$2 : 0));
}

/* A returned (pointer, length): the byte array is the whole result. */
%typemap(out) httpc_lstr "";
%typemap(in, numinputs=0) size_t *LSTR_LEN (size_t n = 0) {
    $1 = &n;
}
%typemap(argout) size_t *LSTR_LEN {
    if (*$1 > INT_MAX) {
        Tcl_SetObjResult(interp, Tcl_NewStringObj("httpc: result too large for Tcl", -1));
        SWIG_fail;
    }
    %set_output(Tcl_NewByteArrayObj((const unsigned char *)(result ? result : ""),
                                    result ? (int)*$1 : 0));
}

%typemap(in, numinputs=0) size_t *OUT_N (size_t n = 0) {
    $1 = &n;
}
%typemap(argout) size_t *OUT_N {
    %append_output(Tcl_NewWideIntObj((Tcl_WideInt)*$1));
}

%typemap(in, numinputs=0) httpc_response **OUT_RESP (httpc_response *r = NULL) {
    $1 = &r;
}
%typemap(argout) httpc_response **OUT_RESP {
    /* a plain pointer string: httpc.tcl wraps it in an object and frees it */
    %append_output(SWIG_NewPointerObj(*$1, $*1_descriptor, 0));
}

/* readinto varName: fills the byte array held in the variable (sized by
 * the caller, e.g. [binary format x8192]) and stores it back. */
%typemap(in) (void *BUF, size_t LEN) (Tcl_Obj *bufobj = NULL, Tcl_Obj *bufvar = NULL) {
    int n_ = 0;
    Tcl_Obj *v_ = Tcl_ObjGetVar2(interp, $input, NULL, TCL_LEAVE_ERR_MSG);
    if (!v_) SWIG_fail;
    bufobj = Tcl_IsShared(v_) ? Tcl_DuplicateObj(v_) : v_;
    Tcl_IncrRefCount(bufobj);
    bufvar = $input;
    $1 = Tcl_GetByteArrayFromObj(bufobj, &n_);
    $2 = (size_t)n_;
}
%typemap(argout) (void *BUF, size_t LEN) {
    Tcl_InvalidateStringRep(bufobj$argnum);
    if (!Tcl_ObjSetVar2(interp, bufvar$argnum, NULL, bufobj$argnum, TCL_LEAVE_ERR_MSG)) SWIG_fail;
}
%typemap(freearg) (void *BUF, size_t LEN) {
    if (bufobj$argnum) Tcl_DecrRefCount(bufobj$argnum);
}

/* A negative size would wrap to a huge size_t. */
%typemap(in) size_t {
    Tcl_WideInt v_ = 0;
    if (Tcl_GetWideIntFromObj(interp, $input, &v_) != TCL_OK) SWIG_fail;
    if (v_ < 0) {
        Tcl_SetObjResult(interp, Tcl_NewStringObj("httpc: a size must not be negative", -1));
        SWIG_fail;
    }
    $1 = ($1_ltype)v_;
}

/* A method on a freed handle (the pointer NULL) errors instead of
 * touching it. */
%define HTTPC_METHOD_GUARD
%exception %{
    if (!arg1) {
        Tcl_SetObjResult(interp, Tcl_NewStringObj("httpc: operation on a freed handle", -1));
        Tcl_SetErrorCode(interp, "HTTPC", "HTTPException", "NotConnected", NULL);
        SWIG_fail;
    }
    $action
%}
%enddef
%define HTTPC_FREE_SELF
%enddef
