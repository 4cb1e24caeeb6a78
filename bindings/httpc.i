/* httpc.i -- the one SWIG interface every binding is generated from.
 *
 * This part is language-neutral: the opaque handle stubs, methods that map
 * body-less onto the C ABI (httpc_<type>_<method>(self, ...)), and the
 * constants taken from httpc.h itself.  Typemaps, the freed-handle guard and
 * anything else a language needs live in <lang>/httpc_<lang>.i, which is
 * included first because typemaps declared after the struct stubs are not
 * applied to %extend methods (SWIG 4.1).
 *
 * The parameter names below are the typemap hooks each fragment implements:
 *   (const char *BYTES, size_t LEN)        bytes in (binary-safe)
 *   (const char *OPTBYTES, size_t OPTLEN)  bytes in, or nothing -> (NULL, 0)
 *   (const char **OUT, size_t *OUT_LEN)    bytes out (an extra result)
 *   httpc_lstr f(size_t *LSTR_LEN)         a returned (pointer, length) pair
 *   size_t *OUT_N                          a count out
 *   httpc_response **OUT_RESP              a new, owned response out
 *   (void *BUF, size_t LEN)                a caller's writable buffer
 * and every fragment defines HTTPC_METHOD_GUARD (what a method on a freed
 * handle does instead of touching it) and HTTPC_FREE_SELF (how free()
 * leaves the wrapper inert).
 */
%module(package="httpc") httpc_core

%{
#include <stdlib.h>
#include <string.h>
#include "httpc.h"

/* A pointer + length the C ABI returns as its value (the length comes back
 * through an out parameter); a distinct name so it gets its own typemap. */
typedef const char *httpc_lstr;

/* The error a binding hands out is a copy, not the handle's borrowed
 * httpc_error: it stays valid after the handle is collected or freed, in
 * whatever order a garbage collector picks. */
typedef struct httpc_errinfo {
    int code;
    int err_no;
    int64_t expected;
    char *message, *partial, *line, *what, *reason;
    size_t partial_len, line_len;
} httpc_errinfo;

static void httpc_errinfo_free(httpc_errinfo *e) {
    if (!e) return;
    free(e->message);
    free(e->partial);
    free(e->line);
    free(e->what);
    free(e->reason);
    free(e);
}

static char *httpc_errinfo_dup(const char *p, size_t n, int *failed) {
    char *s = malloc(n + 1);
    if (!s) {
        *failed = 1;
        return NULL;
    }
    if (n) memcpy(s, p, n);
    s[n] = '\0';
    return s;
}

/* A copy of e; e == NULL stands for a handle that was freed.  NULL only
 * when out of memory. */
static httpc_errinfo *httpc_errinfo_snap(const httpc_error *e) {
    httpc_errinfo *x = calloc(1, sizeof *x);
    if (!x) return NULL;
    int failed = 0;
    if (!e) {
        static const char freed[] = "operation on a freed handle";
        x->code = HTTPC_E_NOTCONNECTED;
        x->expected = -1;
        x->message = httpc_errinfo_dup(freed, sizeof freed - 1, &failed);
        x->partial = httpc_errinfo_dup("", 0, &failed);
        x->line = httpc_errinfo_dup("", 0, &failed);
        x->reason = httpc_errinfo_dup("", 0, &failed);
    } else {
        size_t n = 0;
        const char *p;
        x->code = httpc_error_code(e);
        x->err_no = httpc_error_errno(e);
        x->expected = httpc_error_expected(e);
        p = httpc_error_message(e);
        x->message = httpc_errinfo_dup(p, strlen(p), &failed);
        p = httpc_error_partial(e, &n);
        x->partial = httpc_errinfo_dup(p ? p : "", p ? n : 0, &failed);
        x->partial_len = p ? n : 0;
        n = 0;
        p = httpc_error_line(e, &n);
        x->line = httpc_errinfo_dup(p ? p : "", p ? n : 0, &failed);
        x->line_len = p ? n : 0;
        p = httpc_error_what(e);
        if (p) x->what = httpc_errinfo_dup(p, strlen(p), &failed);
        p = httpc_error_reason(e);
        x->reason = httpc_errinfo_dup(p ? p : "", p ? strlen(p) : 0, &failed);
    }
    if (failed) {
        httpc_errinfo_free(x);
        return NULL;
    }
    return x;
}

static int httpc_errinfo_code(const httpc_errinfo *e) { return e->code; }
static const char *httpc_errinfo_message(const httpc_errinfo *e) { return e->message; }
static httpc_lstr httpc_errinfo_partial(const httpc_errinfo *e, size_t *len) {
    *len = e->partial_len;
    return e->partial;
}
static int64_t httpc_errinfo_expected(const httpc_errinfo *e) { return e->expected; }
static int httpc_errinfo_errno(const httpc_errinfo *e) { return e->err_no; }
static httpc_lstr httpc_errinfo_line(const httpc_errinfo *e, size_t *len) {
    *len = e->line_len;
    return e->line;
}
static const char *httpc_errinfo_what(const httpc_errinfo *e) { return e->what; }
static const char *httpc_errinfo_reason(const httpc_errinfo *e) { return e->reason; }

static httpc_errinfo *httpc_conn_last_error(httpc_conn *c) {
    return httpc_errinfo_snap(c ? httpc_conn_error(c) : NULL);
}
static httpc_errinfo *httpc_response_last_error(httpc_response *r) {
    return httpc_errinfo_snap(r ? httpc_response_error(r) : NULL);
}
static httpc_errinfo *httpc_tls_ctx_last_error(httpc_tls_ctx *t) {
    return httpc_errinfo_snap(t ? httpc_tls_ctx_error(t) : NULL);
}

/* Kept-lines debug mode: bindings collect the trace with debug_take and
 * print it where their language prints (Python's sys.stdout, ...). */
static void httpc_conn_set_debug_sink_buffer(httpc_conn *c) {
    httpc_conn_set_debug_sink(c, NULL, NULL);
}
%}

%include <stdint.i>
typedef const char *httpc_lstr;

#if defined(SWIGLUA)
%include "lua/httpc_lua.i"
#elif defined(SWIGPYTHON)
%include "python/httpc_python.i"
#elif defined(SWIGPERL)
%include "perl/httpc_perl.i"
#elif defined(SWIGTCL)
%include "tcl/httpc_tcl.i"
#elif defined(SWIGRUBY)
%include "ruby/httpc_ruby.i"
#else
#error "httpc.i: no fragment for this target language yet (add <lang>/httpc_<lang>.i)"
#endif

/* ---- constants and module functions, straight from the header ---- */
/* Every enum item becomes a constant without its HTTPC_ prefix
 * (E_INCOMPLETEREAD, BODY_STREAM, TLS1_2, ...); functions are wrapped only
 * where listed below, the rest are methods of the handle objects. */
%rename("%(strip:[HTTPC_])s", %$isenumitem) "";
%rename("%(strip:[httpc_])s") httpc_version;
%rename("%(strip:[httpc_])s") httpc_abi_version;
%rename("%(strip:[httpc_])s") httpc_code_name;
%rename("%(strip:[httpc_])s") httpc_code_parent;
%rename("%(strip:[httpc_])s") httpc_code_is;
%rename("%(strip:[httpc_])s") httpc_code_from_name;
%rename("%(strip:[httpc_])s") httpc_conn_new;
%rename("%(strip:[httpc_])s") httpc_tls_ctx_new;
%rename("$ignore", %$isfunction, regextarget=1) "^httpc_(conn|response|tls_ctx|error)_";
%rename("$ignore") httpc_free;
%newobject httpc_conn_new;
%newobject httpc_tls_ctx_new;
/* The names of (pointer, length) pairs and outputs in the methods below. */
%apply (const char *BYTES, size_t LEN) {
    (const char *host, size_t host_len),
    (const char *name, size_t name_len), (const char *value, size_t value_len),
    (const char *method, size_t method_len), (const char *url, size_t url_len),
    (const char *data, size_t len), (const char *pem, size_t pem_len)
};
%apply (const char *OPTBYTES, size_t OPTLEN) { (const char *body, size_t body_len) };


/* ---- opaque handles (after the fragment's typemaps, see above) ---- */
/* Only the library makes handles: no constructor from the binding. */
%nodefaultctor;
typedef struct httpc_conn {} httpc_conn;
typedef struct httpc_response {} httpc_response;
typedef struct httpc_tls_ctx {} httpc_tls_ctx;
typedef struct httpc_errinfo {} httpc_errinfo;

%include "httpc.h"
%clearnodefaultctor;

%newobject httpc_conn::last_error;
%newobject httpc_response::last_error;
%newobject httpc_tls_ctx::last_error;
%rename(error) last_error;

HTTPC_METHOD_GUARD
/* Getting the error of a freed handle is answered (NotConnected), not
 * refused, so "rc ~= 0 -> obj:error()" always works. */
%noexception last_error;


%extend httpc_conn {
    ~httpc_conn() { httpc_conn_free($self); }
    void free();
    httpc_errinfo *last_error();
    const char *host();
    int port();
    int is_tls();
    void set_timeout(double seconds);
    double get_timeout();
    void set_deadline(double seconds);
    int set_source_address(const char *host, size_t host_len, int port);
    void set_blocksize(size_t blocksize);
    size_t get_blocksize();
    void set_debuglevel(int level);
    int get_debuglevel();
    void set_debug_sink_buffer();
    httpc_lstr debug_take(size_t *LSTR_LEN);
    int set_tunnel(const char *host, size_t host_len, int port);
    int add_tunnel_header(const char *name, size_t name_len, const char *value,
                          size_t value_len);
    int connect();
    void close();
    int fileno();
    const char *state();
    int request_header(const char *name, size_t name_len, const char *value,
                       size_t value_len);
    int request(const char *method, size_t method_len, const char *url, size_t url_len,
                const char *body, size_t body_len, int flags);
    int putrequest(const char *method, size_t method_len, const char *url, size_t url_len,
                   int skip_host, int skip_accept_encoding);
    int putheader(const char *name, size_t name_len, const char *value, size_t value_len);
    int putheader_continue(const char *value, size_t value_len);
    int endheaders(const char *body, size_t body_len, int flags);
    int send(const char *data, size_t len);
    int body_write(const char *data, size_t len);
    int body_write_fd(int fd);
    int body_end();
    int getresponse(httpc_response **OUT_RESP);
    int set_driven(int on);
    httpc_lstr output(size_t *LSTR_LEN);
    void consume(size_t n);
    int feed(const char *data, size_t len);
    void feed_eof();
    int wants_close();
}

%extend httpc_response {
    ~httpc_response() { httpc_response_free($self); }
    void free();
    httpc_errinfo *last_error();
    int status();
    httpc_lstr reason(size_t *LSTR_LEN);
    int version();
    int will_close();
    int chunked();
    int64_t length();
    int closed();
    int fileno();
    int debuglevel();
    void close();
    size_t header_count();
    int header_at(size_t i, const char **OUT, size_t *OUT_LEN, const char **OUT,
                  size_t *OUT_LEN);
    int getheader(const char *name, size_t name_len, const char **OUT, size_t *OUT_LEN);
    int readinto(void *BUF, size_t LEN, size_t *OUT_N);
    int read(int64_t amt, const char **OUT, size_t *OUT_LEN);
    int read1(int64_t n, const char **OUT, size_t *OUT_LEN);
    int readline(int64_t limit, const char **OUT, size_t *OUT_LEN);
    int peek(int64_t n, const char **OUT, size_t *OUT_LEN);
}

%extend httpc_tls_ctx {
    ~httpc_tls_ctx() { httpc_tls_ctx_free($self); }
    void free();
    httpc_errinfo *last_error();
    int load_verify_locations(const char *cafile, const char *capath);
    int load_verify_data(const char *pem, size_t pem_len);
    int load_cert_chain(const char *certfile, const char *keyfile, const char *password);
    int set_check_hostname(int on);
    int get_check_hostname();
    int set_verify_mode(int mode);
    int get_verify_mode();
    int set_minimum_version(int version);
    int get_minimum_version();
}

%exception;

%extend httpc_errinfo {
    ~httpc_errinfo() { httpc_errinfo_free($self); }
    int code();
    const char *message();
    httpc_lstr partial(size_t *LSTR_LEN);
    int64_t expected();
    int errno();
    httpc_lstr line(size_t *LSTR_LEN);
    const char *what();
    const char *reason();
}
