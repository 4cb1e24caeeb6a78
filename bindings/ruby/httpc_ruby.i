/* httpc_ruby.i -- the Ruby side of httpc.i.  Build with `swig -ruby`: the
 * extension httpc_core defines Httpc_core with classes over the handles,
 * freed by the garbage collector.  The idiomatic layer with exceptions is
 * bindings/ruby/httpc.rb.
 *
 * Bytes in: any String (its bytes, whatever its encoding); bytes out:
 * ASCII-8BIT (binary) strings. */

%typemap(in) (const char *BYTES, size_t LEN) {
    StringValue($input);
    $1 = ($1_ltype)RSTRING_PTR($input);
    $2 = (size_t)RSTRING_LEN($input);
}
/* Bytes in, or nil for none. */
%typemap(in) (const char *OPTBYTES, size_t OPTLEN) {
    if (NIL_P($input)) {
        $1 = NULL;
        $2 = 0;
    } else {
        StringValue($input);
        $1 = ($1_ltype)RSTRING_PTR($input);
        $2 = (size_t)RSTRING_LEN($input);
    }
}

/* Bytes out: appended to the result (which becomes an array). */
%typemap(in, numinputs=0) (const char **OUT, size_t *OUT_LEN) (const char *p = NULL, size_t n = 0) {
    $1 = ($1_ltype)&p;
    $2 = &n;
}
%typemap(argout) (const char **OUT, size_t *OUT_LEN) {
    $result = SWIG_Ruby_AppendOutput($result, rb_str_new(*$1 ? *$1 : "", *$1 ? (long)*$2 : 0));
}

/* A returned (pointer, length): the string is the result. */
%typemap(out) httpc_lstr "";
%typemap(in, numinputs=0) size_t *LSTR_LEN (size_t n = 0) {
    $1 = &n;
}
%typemap(argout) size_t *LSTR_LEN {
    $result = rb_str_new(result ? result : "", result ? (long)*$1 : 0);
}

%typemap(in, numinputs=0) size_t *OUT_N (size_t n = 0) {
    $1 = &n;
}
%typemap(argout) size_t *OUT_N {
    $result = SWIG_Ruby_AppendOutput($result, SIZET2NUM(*$1));
}

/* The new response is owned by its Ruby object: the GC frees it. */
%typemap(in, numinputs=0) httpc_response **OUT_RESP (httpc_response *r = NULL) {
    $1 = &r;
}
%typemap(argout) httpc_response **OUT_RESP {
    $result = SWIG_Ruby_AppendOutput($result,
        *$1 ? SWIG_NewPointerObj(*$1, $*1_descriptor, SWIG_POINTER_OWN) : Qnil);
}

/* readinto(buf): fills the String's existing bytes in place (size it
 * first, e.g. "\0".b * 8192). */
%typemap(in) (void *BUF, size_t LEN) {
    StringValue($input);
    rb_str_modify($input);
    $1 = (void *)RSTRING_PTR($input);
    $2 = (size_t)RSTRING_LEN($input);
}

/* A negative size would wrap to a huge size_t. */
%typemap(in) size_t {
    long long v_ = NUM2LL($input);
    if (v_ < 0) rb_raise(rb_eArgError, "httpc: a size must not be negative");
    $1 = ($1_ltype)v_;
}

%{
/* free(): the object stops pointing at the handle, so the GC's free and
 * every later method see NULL instead of freed memory. */
static void httpc_rb_forget_self(VALUE self) {
    DATA_PTR(self) = NULL;
}
%}

/* A method on a freed handle raises instead of touching it. */
%define HTTPC_METHOD_GUARD
%exception %{
    if (!arg1) rb_raise(rb_eIOError, "httpc: operation on a freed handle");
    $action
%}
%exception free %{
    $action
    httpc_rb_forget_self(self);
%}
%enddef
%define HTTPC_FREE_SELF
%enddef
