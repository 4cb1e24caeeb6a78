/* Internal interfaces shared by the engine, the transports and the handles.
 * Nothing here is exported (-fvisibility=hidden, httpc.map). */
#ifndef HTTPC_INTERNAL_H
#define HTTPC_INTERNAL_H

#include "httpc.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HTTPC_VERSION_STRING "1.0.0"

/* Limits (documented in README "Security"). */
#define HTTPC_MAXLINE 65536          /* status, header, chunk-size, trailer line */
#define HTTPC_MAXHEADERS 100         /* header fields in one head              */
#define HTTPC_MAXHEADBYTES (300 * 1024) /* one head, interim heads included   */
#define HTTPC_MAXINTERIM 100         /* 1xx responses skipped per response     */
#define HTTPC_MAXTRAILERBYTES (64 * 1024)

/* ---- errors.c ---------------------------------------------------------- */
struct httpc_error {
    int code;
    char *msg;
    char *partial;
    size_t partial_len;
    int64_t expected;
    int os_errno;
    char *line;
    size_t line_len;
    const char *what;
    char *reason;
};
void err_init(httpc_error *e);
void err_clear(httpc_error *e);
/* Sets code and a printf-style message; returns code. */
int err_set(httpc_error *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Maps errno to the OSError subclass; message "strerror (context)". */
int err_os(httpc_error *e, int errnum, const char *context);
int err_incomplete(httpc_error *e, const char *partial, size_t len, int64_t expected);
int err_badline(httpc_error *e, int code, const char *line, size_t len);
int err_toolong(httpc_error *e, const char *what);
int err_nomem(httpc_error *e);
/* Copies src (code, message, extras) into dst; returns the code. */
int err_copy(httpc_error *dst, const httpc_error *src);
/* Sets the reason string (SSL errors). */
void err_reason(httpc_error *e, const char *reason);

/* ---- buf.c: a growable byte buffer; data is p[off..len) ---------------- */
typedef struct hbuf {
    char *p;
    size_t off, len, cap;
} hbuf;
static inline size_t hbuf_avail(const hbuf *b) { return b->len - b->off; }
/* An empty buffer may have no memory yet: NULL + 0 is undefined in C. */
static inline const char *hbuf_data(const hbuf *b) { return b->p ? b->p + b->off : ""; }
void hbuf_free(hbuf *b);
void hbuf_reset(hbuf *b);
/* Makes room for n more bytes after len (compacting first); 0 or -1. */
int hbuf_reserve(hbuf *b, size_t n);
int hbuf_append(hbuf *b, const void *data, size_t n);
int hbuf_appendf(hbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int hbuf_vappendf(hbuf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
void hbuf_consume(hbuf *b, size_t n);
/* Releases memory above keep bytes when the buffer is empty. */
void hbuf_shrink(hbuf *b, size_t keep);

/* ---- parse_response.c: response head parser (no I/O) ------------------ */
typedef struct hfield {
    const char *name;
    size_t name_len;
    const char *value;
    size_t value_len;
} hfield;

typedef struct head {
    int status;
    int version;            /* 10 or 11 */
    const char *reason;
    size_t reason_len;
    hfield *fields;
    size_t nfields, cap;
} head;

/* Progress of the terminator search over a growing buffer, so feeding a
 * head byte by byte stays linear. Zero it before the first call. */
typedef struct head_scan {
    size_t pos;             /* start of the first line not yet complete */
    size_t lines;           /* complete lines seen */
} head_scan;

/* Scans buf[0..len) for one complete head.  Returns the head's length when
 * complete (fields point into buf), 0 when more bytes are needed, or
 * -code on error (e set).  With at_eof the bytes so far are taken as the
 * whole head, as http.client does when the peer closes mid-head. */
long parse_head(const char *buf, size_t len, head_scan *scan, bool at_eof, head *h,
                httpc_error *e);
void head_free(head *h);
/* First value of a field, case-insensitive; NULL when absent. */
const hfield *head_find(const head *h, const char *name, size_t *count);

/* ---- chunked.c: chunked body decoder (no I/O) --------------------------- */
typedef struct chunked {
    int state;
    uint64_t left;          /* bytes left in the current chunk */
    size_t linelen;         /* bytes of the current framing line */
    size_t ndigits;
    size_t trailer_bytes;
    int last_cr;
} chunked;
enum { CHUNK_NEED = 0, CHUNK_DATA = 1, CHUNK_DONE = 2 };
void chunked_init(chunked *c);
/* Consumes framing from in[0..len) and stops where chunk data begins.
 * Returns CHUNK_DATA (chunked_left() data bytes follow), CHUNK_NEED when
 * all input was framing, CHUNK_DONE after the last chunk and trailers, or
 * -code on a framing error.  *consumed is set in every case. */
int chunked_frame(chunked *c, const char *in, size_t len, size_t *consumed, httpc_error *e);
/* The last chunk was seen (only trailers may follow). */
bool chunked_data_complete(const chunked *c);
/* Data bytes left in the current chunk (0 outside data). */
uint64_t chunked_left(const chunked *c);
/* The caller took n <= chunked_left() data bytes. */
void chunked_take(chunked *c, uint64_t n);

/* ---- write_request.c: request serialization and validation ------------ */
int validate_method(const char *m, size_t len, httpc_error *e);
int validate_url(const char *u, size_t len, httpc_error *e);
int validate_host(const char *h, size_t len, httpc_error *e);
int validate_header_name(const char *n, size_t len, httpc_error *e);
int validate_header_value(const char *v, size_t len, httpc_error *e);
/* "METHOD URL HTTP/1.1\r\n" */
int write_request_line(hbuf *out, const char *m, size_t mlen, const char *u, size_t ulen);
int write_header(hbuf *out, const char *n, size_t nlen, const char *v, size_t vlen);
/* Turns the last "\r\n" into "\r\n\t" value "\r\n". */
int write_header_continue(hbuf *out, const char *v, size_t vlen);
/* Host header value for host:port ([] around IPv6, port when not default). */
int write_host_header(hbuf *out, const char *host, int port, int default_port);
int write_chunk(hbuf *out, const char *data, size_t len);
int write_last_chunk(hbuf *out);
/* Case-insensitive ASCII compare of n bytes. */
bool ascii_ieq(const char *a, size_t alen, const char *b, size_t blen);

/* ---- stream.c + transport_tcp.c + transport_tls.c ---------------------- */
typedef struct stream stream;
typedef struct stream_ops {
    /* > 0 bytes, 0 at EOF, < 0 an error (-code, e set). */
    long (*recv)(stream *s, char *buf, size_t len, httpc_error *e);
    /* > 0 bytes written, < 0 an error. */
    long (*send)(stream *s, const char *buf, size_t len, httpc_error *e);
    void (*close)(stream *s);
} stream_ops;

struct stream {
    int refs;
    int fd;
    const stream_ops *ops;
    void *tls;             /* SSL* when TLS is on */
    hbuf in;               /* received bytes not consumed yet */
    hbuf out;              /* driven: bytes waiting for the caller */
    double timeout;        /* seconds, < 0: none */
    double deadline;       /* absolute monotonic seconds, 0: none */
    double applied_timeout; /* what SO_RCVTIMEO holds (blocking TCP) */
    bool eof;              /* the peer closed (or driven EOF was fed) */
    bool driven;
    bool closed;
};
stream *stream_new(void);
stream *stream_ref(stream *s);
void stream_unref(stream *s);
void stream_close(stream *s);
/* Receives once into s->in (at least `want` bytes of room): > 0 bytes,
 * 0 EOF, -HTTPC_WANT_READ (driven, nothing fed; negative so a one-byte
 * receive is not taken for it), or -code. */
long stream_fill(stream *s, size_t want, httpc_error *e);
/* Sends all of data (driven: queues it).  0 or -code. */
int stream_write(stream *s, const char *data, size_t len, httpc_error *e);
/* Waits until fd is ready for POLLIN/POLLOUT within the timeout and the
 * deadline.  0, or -HTTPC_E_TIMEOUT (e set). */
int stream_wait(stream *s, int events, httpc_error *e);
double monotonic_now(void);

/* transport_tcp.c */
extern const stream_ops tcp_ops;
/* getaddrinfo + every address in order; sets s->fd non-blocking, TCP_NODELAY. */
int tcp_connect(stream *s, const char *host, int port, const char *src_host,
                int src_port, httpc_error *e);

/* Switches a connected plain-TCP stream to a blocking socket with
 * SO_RCVTIMEO/SO_SNDTIMEO (one syscall per receive). */
int tcp_go_blocking(stream *s, httpc_error *e);
/* The blocking mode without the plain-TCP ops (TLS keeps its own): clears
 * O_NONBLOCK and applies the timeout.  tcp_apply_timeout sets
 * SO_RCVTIMEO/SO_SNDTIMEO from the timeout and deadline before each call;
 * tcp_timed_out is the error for a call those cut short. */
int tcp_make_blocking(stream *s, httpc_error *e);
int tcp_apply_timeout(stream *s, httpc_error *e);
int tcp_timed_out(stream *s, httpc_error *e);

/* transport_tls.c (OpenSSL) */
/* Handshake over s->fd (already connected), SNI and hostname checks for
 * servername; switches s->ops to TLS. */
int tls_start(stream *s, httpc_tls_ctx *ctx, const char *servername, httpc_error *e);
httpc_tls_ctx *tls_ctx_ref(httpc_tls_ctx *ctx);

/* ---- debug.c ----------------------------------------------------------- */
typedef struct debug_sink {
    int level;
    httpc_debug_fn fn;     /* NULL: keep in `kept` */
    void *ud;
    bool set;              /* a sink was chosen; default is stdout */
    hbuf kept;
} debug_sink;
void debug_line(debug_sink *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Python repr() of bytes: b'...' */
int debug_repr_bytes(hbuf *out, const char *p, size_t n);
/* Python repr() of str: '...' */
int debug_repr_str(hbuf *out, const char *p, size_t n);
void debug_free(debug_sink *d);

#endif
