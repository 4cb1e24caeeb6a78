/*
 * httpc.h -- the public C ABI of httpc, an HTTP/1.1 client with the
 * semantics of Python's http.client.
 *
 * Conventions (see CONTRACT.md §2):
 *  - Every object is an opaque handle; no struct layout is part of the ABI.
 *    Every call accepts a NULL handle: *_free does nothing, other calls
 *    return HTTPC_E_VALUE or a neutral value (0, "", -1).
 *  - Bytes cross the ABI as pointer + length; only host names, file names and
 *    the library's own messages are C strings.
 *  - A call that fails returns a nonzero httpc code (HTTPC_E_*); the handle it
 *    was made on keeps the error (httpc_conn_error(), httpc_response_error(),
 *    httpc_tls_ctx_error()) until the next failing call on that handle.
 *  - Pointers the library returns stay valid until the next call on the same
 *    handle, unless a function says otherwise.
 *  - There is no global mutable state: different threads may use different
 *    handles at the same time.
 *
 * The block between "cdef:begin" and "cdef:end" holds no preprocessor lines,
 * so LuaJIT's ffi.cdef can read it unchanged (lua/httpc/cdef.lua is a copy,
 * and a test compares the two).
 */
#ifndef HTTPC_H
#define HTTPC_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#pragma GCC visibility push(default)
#endif

/* cdef:begin */

/* ---------------------------------------------------------------------
 * Versions
 * ------------------------------------------------------------------- */

/* The ABI number; it is also the SONAME major (libhttpc.so.1).  It changes
 * only when a signature or a meaning changes incompatibly. */
enum { HTTPC_ABI_VERSION = 1 };

/* The library version, e.g. "1.0.0". */
const char *httpc_version(void);
/* The ABI number the library was built with (HTTPC_ABI_VERSION). */
int httpc_abi_version(void);

/* ---------------------------------------------------------------------
 * Status and error codes
 *
 * HTTPC_OK and the HTTPC_WANT_* codes are not errors.  Every HTTPC_E_* code
 * is one class of the error tree of CONTRACT.md §4; the tree itself (names
 * and parents) is exported below so no binding keeps its own copy.
 * ------------------------------------------------------------------- */
typedef enum httpc_code {
    HTTPC_OK = 0,
    /* caller-driven connections only: move bytes, then call again */
    HTTPC_WANT_READ = 1,     /* feed received bytes (httpc_conn_feed)      */
    HTTPC_WANT_WRITE = 2,    /* send httpc_conn_output() bytes first       */
    HTTPC_WANT_CONNECT = 3,  /* open the transport, then httpc_conn_connect */

    HTTPC_E_HTTPEXCEPTION = 10,
    HTTPC_E_NOTCONNECTED,
    HTTPC_E_INVALIDURL,
    HTTPC_E_UNKNOWNPROTOCOL,
    HTTPC_E_UNKNOWNTRANSFERENCODING,
    HTTPC_E_UNIMPLEMENTEDFILEMODE,
    HTTPC_E_INCOMPLETEREAD,
    HTTPC_E_IMPROPERCONNECTIONSTATE,
    HTTPC_E_CANNOTSENDREQUEST,
    HTTPC_E_CANNOTSENDHEADER,
    HTTPC_E_RESPONSENOTREADY,
    HTTPC_E_BADSTATUSLINE,
    HTTPC_E_REMOTEDISCONNECTED,
    HTTPC_E_LINETOOLONG,
    HTTPC_E_OSERROR,
    HTTPC_E_CONNECTIONERROR,
    HTTPC_E_CONNECTIONREFUSED,
    HTTPC_E_CONNECTIONRESET,
    HTTPC_E_CONNECTIONABORTED,
    HTTPC_E_BROKENPIPE,
    HTTPC_E_TIMEOUT,
    HTTPC_E_NAMERESOLUTION,
    HTTPC_E_SSL,
    HTTPC_E_SSLCERTVERIFICATION,
    HTTPC_E_VALUE,
    HTTPC_E_RUNTIME,
    HTTPC_E_MEMORY,
    HTTPC_E_LAST = HTTPC_E_MEMORY
} httpc_code;

/* Class name of a code ("IncompleteRead", "OSError", ...); "OK",
 * "WantRead", ... for the non-error codes; NULL for unknown numbers. */
const char *httpc_code_name(int code);
/* The n-th direct parent of a code (n from 0), or 0 when there is none.
 * RemoteDisconnected has two: BadStatusLine and ConnectionResetError. */
int httpc_code_parent(int code, int n);
/* 1 when `code` is `ancestor` or descends from it, else 0. */
int httpc_code_is(int code, int ancestor);
/* The code whose class is named `name`, or 0. */
int httpc_code_from_name(const char *name);

/* An error as kept by a handle.  Owned by the handle. */
typedef struct httpc_error httpc_error;

int httpc_error_code(const httpc_error *e);         /* HTTPC_OK when none  */
const char *httpc_error_message(const httpc_error *e); /* never NULL      */
/* IncompleteRead: the bytes that did arrive (may hold NUL). */
const char *httpc_error_partial(const httpc_error *e, size_t *len);
/* IncompleteRead: the number of bytes still expected, or -1 if unknown. */
int64_t httpc_error_expected(const httpc_error *e);
/* OS errors: the errno value, or 0. */
int httpc_error_errno(const httpc_error *e);
/* BadStatusLine / UnknownProtocol: the offending line or version. */
const char *httpc_error_line(const httpc_error *e, size_t *len);
/* LineTooLong: "status line", "header line", "chunk size", "trailer line". */
const char *httpc_error_what(const httpc_error *e);
/* SSL errors: OpenSSL's reason string (e.g. "certificate has expired"),
 * or "" when there is none. */
const char *httpc_error_reason(const httpc_error *e);

/* Frees memory the library handed to the caller. */
void httpc_free(void *p);

/* ---------------------------------------------------------------------
 * TLS contexts (http.client's ssl.SSLContext subset)
 *
 * A context is reference counted: a connection made with it keeps it alive.
 * ------------------------------------------------------------------- */
typedef struct httpc_tls_ctx httpc_tls_ctx;

enum {
    HTTPC_TLS_DEFAULT = 0,    /* system CAs, CERT_REQUIRED, check_hostname  */
    HTTPC_TLS_UNVERIFIED = 1, /* CERT_NONE, no hostname check               */
    HTTPC_TLS_VERIFY = 2,     /* as DEFAULT, but trusts only what the caller
                                 loads (create_default_context(cafile=...)) */

    HTTPC_CERT_NONE = 0,
    HTTPC_CERT_OPTIONAL = 1,
    HTTPC_CERT_REQUIRED = 2,

    HTTPC_TLS1_0 = 0x0301,
    HTTPC_TLS1_1 = 0x0302,
    HTTPC_TLS1_2 = 0x0303,
    HTTPC_TLS1_3 = 0x0304
};

/* A new context of the given kind (HTTPC_TLS_DEFAULT, HTTPC_TLS_VERIFY or
 * HTTPC_TLS_UNVERIFIED); NULL when out of memory or OpenSSL fails. The
 * default context has TLS 1.2 as minimum version and offers ALPN http/1.1. */
httpc_tls_ctx *httpc_tls_ctx_new(int kind);
void httpc_tls_ctx_free(httpc_tls_ctx *ctx);
const httpc_error *httpc_tls_ctx_error(const httpc_tls_ctx *ctx);

/* Trust anchors: a PEM file and/or a hashed directory (either may be NULL,
 * not both), or PEM text in memory. */
int httpc_tls_ctx_load_verify_locations(httpc_tls_ctx *ctx, const char *cafile,
                                        const char *capath);
int httpc_tls_ctx_load_verify_data(httpc_tls_ctx *ctx, const char *pem, size_t len);
/* Client certificate: certfile (PEM, may also hold the key), keyfile (or
 * NULL), password for an encrypted key (or NULL). */
int httpc_tls_ctx_load_cert_chain(httpc_tls_ctx *ctx, const char *certfile,
                                  const char *keyfile, const char *password);
/* As Python's ssl: enabling check_hostname while verify_mode is CERT_NONE
 * makes it CERT_REQUIRED; setting CERT_NONE while check_hostname is on
 * fails with ValueError. */
int httpc_tls_ctx_set_check_hostname(httpc_tls_ctx *ctx, int on);
int httpc_tls_ctx_get_check_hostname(const httpc_tls_ctx *ctx);
int httpc_tls_ctx_set_verify_mode(httpc_tls_ctx *ctx, int mode);
int httpc_tls_ctx_get_verify_mode(const httpc_tls_ctx *ctx);
/* One of HTTPC_TLS1_*. */
int httpc_tls_ctx_set_minimum_version(httpc_tls_ctx *ctx, int version);
int httpc_tls_ctx_get_minimum_version(const httpc_tls_ctx *ctx);

/* ---------------------------------------------------------------------
 * Connections (http.client.HTTPConnection / HTTPSConnection)
 *
 * State machine as http.client: Idle -> Request-started (putrequest) ->
 * Request-sent (endheaders) -> Idle (getresponse).  A request on a closed
 * connection opens it again.
 * ------------------------------------------------------------------- */
typedef struct httpc_conn httpc_conn;
typedef struct httpc_response httpc_response;

/* A connection to host (pointer + length: "example.com", "h:8080",
 * "[::1]:8080", "::1").  port < 0 means: the port in `host`, else 80, or
 * 443 with a TLS context.  tls == NULL makes a plain HTTP connection;
 * otherwise the connection keeps a reference to the context.
 *
 * Returns NULL only when out of memory.  A host that cannot be used (an
 * empty or non-numeric port, a control character) still returns a
 * handle, in error: httpc_error_code(httpc_conn_error(c)) is
 * HTTPC_E_INVALIDURL and every call on it fails the same way. */
httpc_conn *httpc_conn_new(const char *host, size_t host_len, int port,
                           httpc_tls_ctx *tls);
/* Releases the caller's reference; open responses keep the connection
 * alive until they are freed. */
void httpc_conn_free(httpc_conn *c);
const httpc_error *httpc_conn_error(const httpc_conn *c);

/* The host (without brackets, NUL-terminated) and port in use. */
const char *httpc_conn_host(const httpc_conn *c);
int httpc_conn_port(const httpc_conn *c);
int httpc_conn_is_tls(const httpc_conn *c);

/* Seconds for connect, each send and each receive; < 0: no timeout
 * (the default).  Applies from the next I/O on. */
void httpc_conn_set_timeout(httpc_conn *c, double seconds);
double httpc_conn_get_timeout(const httpc_conn *c);
/* An optional bound on a whole exchange: from request (or putrequest)
 * until the response's head has arrived, and again for each read call.
 * < 0 disables it (the default). */
void httpc_conn_set_deadline(httpc_conn *c, double seconds);
/* Local address to bind before connecting (host may be "" for any,
 * port 0 for any). */
int httpc_conn_set_source_address(httpc_conn *c, const char *host, size_t host_len,
                                  int port);
/* Bytes read from a file descriptor body per send (default 8192). */
void httpc_conn_set_blocksize(httpc_conn *c, size_t blocksize);
size_t httpc_conn_get_blocksize(const httpc_conn *c);

/* Debug trace in the shape of http.client's (send: b'...', reply: '...',
 * header: ...).  level > 0 turns it on.  Lines go to the sink; the default
 * sink writes to stdout.  With sink == NULL the lines are kept in the
 * connection until httpc_conn_debug_take() collects them. */
typedef void (*httpc_debug_fn)(void *ud, const char *line, size_t len);
void httpc_conn_set_debuglevel(httpc_conn *c, int level);
int httpc_conn_get_debuglevel(const httpc_conn *c);
void httpc_conn_set_debug_sink(httpc_conn *c, httpc_debug_fn sink, void *ud);
/* Takes the kept debug text (lines end with "\n"); *len 0 when none.
 * Valid until the next call on the connection. */
const char *httpc_conn_debug_take(httpc_conn *c, size_t *len);

/* CONNECT through the connection's host (a proxy) to host:port (port < 0:
 * from host, else the default port).  Fails with RuntimeError once
 * connected.  Headers added with httpc_conn_add_tunnel_header go with the
 * CONNECT request. */
int httpc_conn_set_tunnel(httpc_conn *c, const char *host, size_t host_len, int port);
int httpc_conn_add_tunnel_header(httpc_conn *c, const char *name, size_t name_len,
                                 const char *value, size_t value_len);

/* Opens the transport (and the tunnel and TLS), unless already open. */
int httpc_conn_connect(httpc_conn *c);
/* Closes the transport and returns to Idle.  Responses already returned
 * stay readable where their bytes were read; never fails. */
void httpc_conn_close(httpc_conn *c);
/* The socket descriptor, or -1. */
int httpc_conn_fileno(const httpc_conn *c);
/* "Idle", "Request-started" or "Request-sent". */
const char *httpc_conn_state(const httpc_conn *c);

/* request(): headers are staged first with httpc_conn_request_header (each
 * validated at once: ValueError; a failure drops what was staged), then
 * httpc_conn_request sends the request as http.client does:
 *   - Host and Accept-Encoding unless the staged headers have them;
 *   - with neither Content-Length nor Transfer-Encoding staged:
 *       body given (HTTPC_BODY_BYTES)     -> Content-Length: body_len
 *       body streamed (HTTPC_BODY_STREAM) -> Transfer-Encoding: chunked
 *       no body                           -> Content-Length: 0 for
 *                                            POST/PUT/PATCH only;
 *   - HTTPC_ENCODE_CHUNKED: frame the body as chunks (the caller set
 *     Transfer-Encoding itself).
 * With HTTPC_BODY_STREAM the body follows with httpc_conn_body_write /
 * httpc_conn_body_write_fd and httpc_conn_body_end.  An invalid method, URL
 * or header fails before anything is sent and leaves the state as it was. */
enum {
    HTTPC_BODY_NONE = 0,
    HTTPC_BODY_BYTES = 1,
    HTTPC_BODY_STREAM = 2,
    HTTPC_ENCODE_CHUNKED = 0x100
};
int httpc_conn_request_header(httpc_conn *c, const char *name, size_t name_len,
                              const char *value, size_t value_len);
int httpc_conn_request(httpc_conn *c, const char *method, size_t method_len,
                       const char *url, size_t url_len, const char *body,
                       size_t body_len, int flags);

/* The lower-level interface. */
int httpc_conn_putrequest(httpc_conn *c, const char *method, size_t method_len,
                          const char *url, size_t url_len, int skip_host,
                          int skip_accept_encoding);
/* One header line.  httpc_conn_putheader_continue adds a further value to
 * the header just put, as a continuation line ("\r\n\t" value), which is
 * what http.client's putheader(name, v1, v2, ...) sends. */
int httpc_conn_putheader(httpc_conn *c, const char *name, size_t name_len,
                         const char *value, size_t value_len);
int httpc_conn_putheader_continue(httpc_conn *c, const char *value, size_t value_len);
/* Ends the head and sends it, with message_body (may be NULL) in the same
 * write.  HTTPC_ENCODE_CHUNKED in flags frames message_body and what
 * follows through httpc_conn_body_write as chunks. */
int httpc_conn_endheaders(httpc_conn *c, const char *body, size_t body_len, int flags);
/* Raw bytes to the server (http.client's send()). */
int httpc_conn_send(httpc_conn *c, const char *data, size_t len);
/* A piece of a streamed body: framed as a chunk when the request is
 * chunked (empty pieces are skipped), sent as is otherwise. */
int httpc_conn_body_write(httpc_conn *c, const char *data, size_t len);
/* Reads fd to its end in blocksize pieces and writes each as above. */
int httpc_conn_body_write_fd(httpc_conn *c, int fd);
/* Ends a streamed body ("0\r\n\r\n" when chunked). */
int httpc_conn_body_end(httpc_conn *c);

/* Waits for and parses the response head.  On success *out is a new
 * response handle (free it with httpc_response_free). */
int httpc_conn_getresponse(httpc_conn *c, httpc_response **out);

/* ---------------------------------------------------------------------
 * Caller-driven transport
 *
 * A connection made driven never touches a socket: the caller owns the
 * transport (an nginx cosocket, a test harness, ...).  Calls that would
 * do I/O return:
 *   HTTPC_WANT_CONNECT  open the transport, then call httpc_conn_connect;
 *   HTTPC_WANT_WRITE    send httpc_conn_output() and httpc_conn_consume();
 *   HTTPC_WANT_READ     pass received bytes to httpc_conn_feed (or
 *                       httpc_conn_feed_eof);
 * then repeat the same call with the same arguments.  Requests never
 * block: their bytes queue in the output until the caller sends them.
 * When httpc_conn_wants_close() is 1 the caller closes its transport.
 * A driven connection made with a TLS context carries plain HTTP bytes:
 * the caller's transport does the TLS (the context only sets the default
 * port, 443, and says what the caller should verify).
 * ------------------------------------------------------------------- */
int httpc_conn_set_driven(httpc_conn *c, int on);
const char *httpc_conn_output(const httpc_conn *c, size_t *len);
void httpc_conn_consume(httpc_conn *c, size_t n);
int httpc_conn_feed(httpc_conn *c, const char *data, size_t len);
void httpc_conn_feed_eof(httpc_conn *c);
int httpc_conn_wants_close(const httpc_conn *c);

/* ---------------------------------------------------------------------
 * Responses (http.client.HTTPResponse)
 * ------------------------------------------------------------------- */
void httpc_response_free(httpc_response *r);
const httpc_error *httpc_response_error(const httpc_response *r);

int httpc_response_status(const httpc_response *r);
const char *httpc_response_reason(const httpc_response *r, size_t *len);
int httpc_response_version(const httpc_response *r);    /* 10 or 11 */
int httpc_response_will_close(const httpc_response *r);
int httpc_response_chunked(const httpc_response *r);
/* Body bytes still expected when known (http.client's `length`), or -1. */
int64_t httpc_response_length(const httpc_response *r);
/* 1 once the body has been read to its end, or after close (isclosed()). */
int httpc_response_closed(const httpc_response *r);
int httpc_response_fileno(const httpc_response *r);
int httpc_response_debuglevel(const httpc_response *r);
void httpc_response_close(httpc_response *r);

/* Headers in arrival order; names as received, values without trailing
 * whitespace. */
size_t httpc_response_header_count(const httpc_response *r);
int httpc_response_header_at(const httpc_response *r, size_t i, const char **name,
                             size_t *name_len, const char **value, size_t *value_len);
/* Every value of a header (case-insensitive) joined with ", " as
 * http.client's getheader; returns 1 when present, 0 when not. */
int httpc_response_getheader(httpc_response *r, const char *name, size_t name_len,
                             const char **value, size_t *value_len);

/* The primitive read: fills buf with up to len body bytes, waiting until
 * len bytes or the end of the body.  *n is 0 at the end of the body.  A
 * body cut short yields the bytes that did arrive first; the next call
 * then fails with IncompleteRead (partial "", expected = bytes missing,
 * or -1 for chunked).  In a driven connection it returns what is
 * available, or HTTPC_WANT_READ when nothing is. */
int httpc_response_readinto(httpc_response *r, void *buf, size_t len, size_t *n);
/* read(amt): amt < 0 reads to the end.  On IncompleteRead the error's
 * partial holds every byte this call gathered.  *data stays valid until
 * the next call on the response. */
int httpc_response_read(httpc_response *r, int64_t amt, const char **data, size_t *len);
/* read1(n): at most one receive; buffered bytes first.  n < 0: any size. */
int httpc_response_read1(httpc_response *r, int64_t n, const char **data, size_t *len);
/* readline(limit): up to and including "\n", at most limit bytes when
 * limit >= 0. */
int httpc_response_readline(httpc_response *r, int64_t limit, const char **data,
                            size_t *len);
/* peek(n): body bytes without consuming them (at least one unless at the
 * end; possibly more or fewer than n). */
int httpc_response_peek(httpc_response *r, int64_t n, const char **data, size_t *len);

/* cdef:end */

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#ifdef __cplusplus
}
#endif

#endif /* HTTPC_H */
