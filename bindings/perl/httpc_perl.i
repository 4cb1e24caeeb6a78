/* httpc_perl.i -- the Perl 5 side of httpc.i.  Build with
 * `swig -perl5 -noproxy`: the module httpc_core is flat functions over
 * blessed pointers (httpc_core::httpc_conn_request($c, ...)), and the
 * object layer with exceptions is the hand-written httpc.pm, which owns
 * every handle and frees it exactly once from DESTROY.
 *
 * Bytes cross as byte strings: SvPVbyte downgrades a UTF-8 flagged string
 * and croaks "Wide character" when it cannot, as syswrite does, so no
 * character is silently mangled; results are plain byte strings. */

/* Bytes in (binary-safe). */
%typemap(in) (const char *BYTES, size_t LEN) {
    STRLEN n_ = 0;
    $1 = ($1_ltype)SvPVbyte($input, n_);
    $2 = (size_t)n_;
}
/* Bytes in, or undef for none. */
%typemap(in) (const char *OPTBYTES, size_t OPTLEN) {
    if (!SvOK($input)) {
        $1 = NULL;
        $2 = 0;
    } else {
        STRLEN n_ = 0;
        $1 = ($1_ltype)SvPVbyte($input, n_);
        $2 = (size_t)n_;
    }
}
/* A C string argument (file names, passwords): undef is NULL. */
%typemap(in) const char * {
    $1 = SvOK($input) ? ($1_ltype)SvPVbyte_nolen($input) : NULL;
}
%typemap(freearg) const char * "";

/* Bytes out: one more result. */
%typemap(in, numinputs=0) (const char **OUT, size_t *OUT_LEN) (const char *p = NULL, size_t n = 0) {
    $1 = ($1_ltype)&p;
    $2 = &n;
}
%typemap(argout) (const char **OUT, size_t *OUT_LEN) {
    if (argvi >= items) EXTEND(sp, 1);
    $result = sv_2mortal(newSVpvn(*$1 ? *$1 : "", *$1 ? (STRLEN)*$2 : 0));
    argvi++;
}

/* A returned (pointer, length): the byte string is the result. */
%typemap(out) httpc_lstr "";
%typemap(in, numinputs=0) size_t *LSTR_LEN (size_t n = 0) {
    $1 = &n;
}
%typemap(argout) size_t *LSTR_LEN {
    if (argvi >= items) EXTEND(sp, 1);
    $result = sv_2mortal(newSVpvn(result ? result : "", result ? (STRLEN)*$1 : 0));
    argvi++;
}

%typemap(in, numinputs=0) size_t *OUT_N (size_t n = 0) {
    $1 = &n;
}
%typemap(argout) size_t *OUT_N {
    if (argvi >= items) EXTEND(sp, 1);
    $result = sv_2mortal(newSVuv((UV)*$1));
    argvi++;
}

/* The new response is owned by whoever receives it (httpc.pm frees it). */
%typemap(in, numinputs=0) httpc_response **OUT_RESP (httpc_response *r = NULL) {
    $1 = &r;
}
%typemap(argout) httpc_response **OUT_RESP {
    if (argvi >= items) EXTEND(sp, 1);
    if (*$1) {
        $result = sv_newmortal();
        SWIG_MakePtr($result, *$1, $*1_descriptor, 0);
    } else {
        $result = &PL_sv_undef;
    }
    argvi++;
}

/* readinto($buf): fills the scalar's existing bytes in place (size it
 * first, e.g. "\0" x 8192), as Python's readinto fills a bytearray. */
%typemap(in) (void *BUF, size_t LEN) {
    STRLEN n_ = 0;
    if (SvREADONLY($input)) SWIG_croak("readinto: the buffer is read-only");
    $1 = (void *)SvPVbyte_force($input, n_);
    $2 = (size_t)n_;
}
%typemap(argout) (void *BUF, size_t LEN) {
    SvSETMAGIC($input);
}

/* A negative size would wrap to a huge size_t. */
%typemap(in) size_t {
    IV v_ = SvIV($input);
    if (v_ < 0) SWIG_croak("$symname: a size must not be negative");
    $1 = ($1_ltype)v_;
}

/* A method on a freed handle (undef is NULL to SWIG) dies instead of
 * touching it; httpc.pm turns that into httpc::NotConnected. */
%define HTTPC_METHOD_GUARD
%exception %{
    if (!arg1) SWIG_croak("httpc: operation on a freed handle");
    $action
%}
%enddef
%define HTTPC_FREE_SELF
%enddef
