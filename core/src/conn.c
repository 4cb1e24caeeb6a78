/* HTTPConnection: the Idle -> Request-started -> Request-sent state
 * machine, request() framing rules, connect/tunnel/reconnect, and the
 * caller-driven mode.  Bytes are built by write_request.c and moved by the
 * stream; nothing here parses a response. */
#include "handles.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *state_names[] = {"Idle", "Request-started", "Request-sent"};

/* A connection whose host was refused keeps failing with that error; a
 * NULL handle is the caller's mistake, answered, never dereferenced. */
static int check_usable(const httpc_conn *c) { return c ? c->invalid : HTTPC_E_VALUE; }
#define RETURN_IF_UNUSABLE(c)                                                 \
    do {                                                                      \
        int unusable_ = check_usable(c);                                      \
        if (unusable_) return unusable_;                                      \
    } while (0)

static char *dup_n(const char *p, size_t n) {
    char *d = malloc(n + 1);
    if (!d) return NULL;
    memcpy(d, p, n);
    d[n] = '\0';
    return d;
}

/* host[:port] as http.client's _get_hostport: the port follows the last
 * ':' unless that is inside [] brackets. */
static int split_hostport(httpc_conn *c, const char *host, size_t len, int port) {
    int rc = validate_host(host, len, &c->err);
    if (rc) return rc;
    size_t hlen = len;
    if (port < 0) {
        const char *colon = NULL, *bracket = NULL;
        for (size_t i = 0; i < len; i++) {
            if (host[i] == ':') colon = host + i;
            if (host[i] == ']') bracket = host + i;
        }
        port = c->default_port;
        if (colon && colon > (bracket ? bracket : host - 1)) {
            size_t plen = len - (size_t)(colon + 1 - host);
            hlen = (size_t)(colon - host);
            if (plen == 0) {
                /* stricter than http.client, which reads "host:" as the
                 * default port: an empty port is a malformed address */
                return err_set(&c->err, HTTPC_E_INVALIDURL, "nonnumeric port: ''");
            } else {
                long v = 0;
                for (size_t i = 0; i < plen; i++) {
                    char ch = colon[1 + i];
                    if (ch < '0' || ch > '9' || v > 65535) {
                        return err_set(&c->err, HTTPC_E_INVALIDURL, "nonnumeric port: '%.*s'",
                                       (int)plen, colon + 1);
                    }
                    v = v * 10 + (ch - '0');
                }
                if (v > 65535)
                    return err_set(&c->err, HTTPC_E_INVALIDURL, "port out of range: '%.*s'",
                                   (int)plen, colon + 1);
                port = (int)v;
            }
        }
    }
    if (port > 65535)
        return err_set(&c->err, HTTPC_E_INVALIDURL, "port out of range: %d", port);
    if (hlen >= 2 && host[0] == '[' && host[hlen - 1] == ']') {
        host++;
        hlen -= 2;
    }
    free(c->host);
    c->host = dup_n(host, hlen);
    if (!c->host) return err_nomem(&c->err);
    c->port = port;
    return 0;
}

httpc_conn *httpc_conn_new(const char *host, size_t host_len, int port, httpc_tls_ctx *tls) {
    httpc_conn *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->refs = 1;
    err_init(&c->err);
    c->timeout = -1;
    c->deadline = -1;
    c->blocksize = 8192;
    c->tls = tls ? tls_ctx_ref(tls) : NULL;
    c->default_port = tls ? 443 : 80;
    if (!host) host = "", host_len = 0;
    int rc = split_hostport(c, host, host_len, port);
    if (rc) {
        c->invalid = rc;
        if (!c->host) c->host = dup_n("", 0);
        if (!c->host) {
            httpc_conn_free(c);
            return NULL;
        }
    }
    return c;
}

void conn_drop_stream(httpc_conn *c) {
    if (c->s) {
        stream_close(c->s);
        stream_unref(c->s);
        c->s = NULL;
    }
}

static void conn_destroy(httpc_conn *c) {
    conn_drop_stream(c);
    stream_unref(c->driven_s);
    httpc_tls_ctx_free(c->tls);
    err_clear(&c->err);
    free(c->host);
    free(c->src_host);
    free(c->tunnel_host);
    hbuf_free(&c->tunnel_headers);
    hbuf_free(&c->out);
    hbuf_free(&c->staged);
    debug_free(&c->dbg);
    free(c);
}

void conn_unref(httpc_conn *c) {
    if (--c->refs == 0) conn_destroy(c);
}

void httpc_conn_free(httpc_conn *c) {
    if (!c || c->freed) return;
    c->freed = true;
    /* An attached keep-alive response still reads through our stream;
     * it keeps it (and us) alive until it is done. */
    if (!c->resp) conn_drop_stream(c);
    conn_unref(c);
}

const httpc_error *httpc_conn_error(const httpc_conn *c) { return c ? &c->err : NULL; }
const char *httpc_conn_host(const httpc_conn *c) { return c && c->host ? c->host : ""; }
int httpc_conn_port(const httpc_conn *c) { return c ? c->port : 0; }
int httpc_conn_is_tls(const httpc_conn *c) { return c && c->tls; }
const char *httpc_conn_state(const httpc_conn *c) { return c ? state_names[c->state] : ""; }

void httpc_conn_set_timeout(httpc_conn *c, double seconds) {
    if (!c) return;
    c->timeout = seconds < 0 ? -1 : seconds;
    if (c->s) c->s->timeout = c->timeout;
}
double httpc_conn_get_timeout(const httpc_conn *c) { return c ? c->timeout : -1; }
void httpc_conn_set_deadline(httpc_conn *c, double seconds) {
    if (!c) return;
    c->deadline = seconds < 0 ? -1 : seconds;
    if (c->s && c->deadline < 0) c->s->deadline = 0;
}

int httpc_conn_set_source_address(httpc_conn *c, const char *host, size_t host_len, int port) {
    RETURN_IF_UNUSABLE(c);
    if (validate_host(host, host_len, &c->err)) return c->err.code;
    char *h = dup_n(host ? host : "", host ? host_len : 0);
    if (!h) return err_nomem(&c->err);
    free(c->src_host);
    c->src_host = h;
    c->src_port = port < 0 ? 0 : port;
    c->has_source = true;
    return 0;
}

void httpc_conn_set_blocksize(httpc_conn *c, size_t blocksize) {
    if (!c) return;
    c->blocksize = blocksize ? blocksize : 8192;
}
size_t httpc_conn_get_blocksize(const httpc_conn *c) { return c ? c->blocksize : 0; }

void httpc_conn_set_debuglevel(httpc_conn *c, int level) {
    if (c) c->dbg.level = level;
}
int httpc_conn_get_debuglevel(const httpc_conn *c) { return c ? c->dbg.level : 0; }
void httpc_conn_set_debug_sink(httpc_conn *c, httpc_debug_fn sink, void *ud) {
    if (!c) return;
    c->dbg.fn = sink;
    c->dbg.ud = ud;
    c->dbg.set = true;
}
const char *httpc_conn_debug_take(httpc_conn *c, size_t *len) {
    if (!c) return *len = 0, "";
    /* what was taken last time is dropped now */
    if (c->dbg.kept.off == c->dbg.kept.len) hbuf_reset(&c->dbg.kept);
    *len = hbuf_avail(&c->dbg.kept);
    const char *p = hbuf_data(&c->dbg.kept);
    c->dbg.kept.off = c->dbg.kept.len;
    return *len ? p : "";
}

int httpc_conn_fileno(const httpc_conn *c) { return c && c->s ? c->s->fd : -1; }



int httpc_conn_set_tunnel(httpc_conn *c, const char *host, size_t host_len, int port) {
    RETURN_IF_UNUSABLE(c);
    if (c->s) return err_set(&c->err, HTTPC_E_RUNTIME, "Can't set up tunnel for established connection");
    /* parse with the connection's own rules, then put its address back */
    char *saved_host = c->host;
    int saved_port = c->port;
    c->host = NULL;
    int rc = split_hostport(c, host, host_len, port);
    char *th = c->host;
    int tp = c->port;
    c->host = saved_host;
    c->port = saved_port;
    if (rc) {
        free(th);
        return rc;
    }
    free(c->tunnel_host);
    c->tunnel_host = th;
    c->tunnel_port = tp;
    hbuf_reset(&c->tunnel_headers);
    return 0;
}

int httpc_conn_add_tunnel_header(httpc_conn *c, const char *name, size_t name_len,
                                 const char *value, size_t value_len) {
    RETURN_IF_UNUSABLE(c);
    if (validate_header_name(name, name_len, &c->err) ||
        validate_header_value(value, value_len, &c->err))
        return c->err.code;
    if (write_header(&c->tunnel_headers, name, name_len, value, value_len) < 0)
        return err_nomem(&c->err);
    return 0;
}

static void debug_send(httpc_conn *c, const char *p, size_t n) {
    if (c->dbg.level <= 0) return;
    hbuf r = {0};
    if (debug_repr_bytes(&r, p, n) == 0 && hbuf_append(&r, "", 1) == 0)
        debug_line(&c->dbg, "send: %s", r.p);
    hbuf_free(&r);
}

/* CONNECT host:port through the proxy we are connected to. */
static int tunnel(httpc_conn *c) {
    stream *s = c->s;
    hbuf req = {0};
    int rc = 0;
    if (hbuf_appendf(&req, "CONNECT %s%s%s:%d HTTP/1.0\r\n",
                     strchr(c->tunnel_host, ':') ? "[" : "", c->tunnel_host,
                     strchr(c->tunnel_host, ':') ? "]" : "", c->tunnel_port) < 0 ||
        hbuf_append(&req, hbuf_data(&c->tunnel_headers), hbuf_avail(&c->tunnel_headers)) < 0 ||
        hbuf_append(&req, "\r\n", 2) < 0) {
        hbuf_free(&req);
        return err_nomem(&c->err);
    }
    debug_send(c, req.p, req.len);
    rc = stream_write(s, req.p, req.len, &c->err);
    hbuf_free(&req);
    if (rc < 0) return -rc;
    head h = {0};
    head_scan scan = {0};
    long n;
    for (;;) {
        n = parse_head(hbuf_data(&s->in), hbuf_avail(&s->in), &scan, s->eof, &h, &c->err);
        if (n != 0) break;
        if (s->eof) {
            n = -err_set(&c->err, HTTPC_E_REMOTEDISCONNECTED,
                         "Remote end closed connection without response");
            break;
        }
        long f = stream_fill(s, 0, &c->err);
        if (f < 0) {
            n = f;
            break;
        }
    }
    if (n < 0) {
        head_free(&h);
        return (int)-n;
    }
    if (h.status != 200) {
        rc = err_set(&c->err, HTTPC_E_OSERROR, "Tunnel connection failed: %d %.*s", h.status,
                     (int)h.reason_len, h.reason);
        head_free(&h);
        return rc;
    }
    for (size_t i = 0; i < h.nfields; i++)
        debug_line(&c->dbg, "header: %.*s: %.*s", (int)h.fields[i].name_len, h.fields[i].name,
                   (int)h.fields[i].value_len, h.fields[i].value);
    head_free(&h);
    hbuf_consume(&s->in, (size_t)n);
    return 0;
}

int httpc_conn_connect(httpc_conn *c) {
    RETURN_IF_UNUSABLE(c);
    if (c->s) return 0;
    stream *s = stream_new();
    if (!s) return err_nomem(&c->err);
    s->timeout = c->timeout;
    if (c->driven) {
        /* the caller opened its transport; TLS, if any, is its business */
        s->driven = true;
        c->s = s;
        stream_unref(c->driven_s);
        c->driven_s = stream_ref(s);
        return 0;
    }
    if (c->deadline >= 0) s->deadline = monotonic_now() + c->deadline;
    int rc = -tcp_connect(s, c->host, c->port, c->has_source ? c->src_host : NULL,
                          c->has_source ? c->src_port : 0, &c->err);
    c->s = s;
    if (rc == 0 && c->tunnel_host) rc = tunnel(c);
    if (rc == 0 && c->tls)
        rc = -tls_start(s, c->tls, c->tunnel_host ? c->tunnel_host : c->host, &c->err);
    else if (rc == 0)
        rc = -tcp_go_blocking(s, &c->err);
    if (rc) {
        conn_drop_stream(c);
        return rc;
    }
    return 0;
}

void httpc_conn_close(httpc_conn *c) {
    if (!c) return;
    c->state = CS_IDLE;
    hbuf_reset(&c->out);
    hbuf_reset(&c->staged);
    c->st_host = c->st_ae = c->st_cl = c->st_te = false;
    if (c->resp) response_end(c->resp);
    conn_drop_stream(c);
}

/* Sends bytes, opening the connection first (http.client's auto_open).
 * A failed send leaves the transport unusable: it is closed and the next
 * request reconnects. */
static int conn_write(httpc_conn *c, const char *p, size_t n) {
    if (!c->s) {
        if (c->driven) return HTTPC_WANT_CONNECT;
        int rc = httpc_conn_connect(c);
        if (rc) return rc;
    }
    debug_send(c, p, n);
    int rc = -stream_write(c->s, p, n, &c->err);
    if (rc) {
        conn_drop_stream(c);
        c->state = CS_IDLE;
    }
    return rc;
}

static void forget_finished_response(httpc_conn *c) {
    if (c->resp && c->resp->closed) response_detach(c->resp);
}

/* The Host value from an absolute URL's authority, if it has one. */
static bool url_netloc(const char *u, size_t ulen, const char **h, size_t *hlen) {
    size_t skip = 0;
    if (ulen >= 7 && ascii_ieq(u, 7, "http://", 7)) skip = 7;
    else if (ulen >= 8 && ascii_ieq(u, 8, "https://", 8)) skip = 8;
    else return false;
    size_t end = skip;
    while (end < ulen && u[end] != '/' && u[end] != '?' && u[end] != '#') end++;
    *h = u + skip;
    *hlen = end - skip;
    return *hlen > 0;
}

int httpc_conn_putrequest(httpc_conn *c, const char *method, size_t method_len,
                          const char *url, size_t url_len, int skip_host,
                          int skip_accept_encoding) {
    RETURN_IF_UNUSABLE(c);
    forget_finished_response(c);
    if (c->driven && !c->s) return HTTPC_WANT_CONNECT;
    if (c->state != CS_IDLE)
        return err_set(&c->err, HTTPC_E_CANNOTSENDREQUEST, "%s", state_names[c->state]);
    if (validate_method(method, method_len, &c->err) || validate_url(url, url_len, &c->err))
        return c->err.code;
    hbuf_reset(&c->out);
    if (write_request_line(&c->out, method, method_len, url, url_len) < 0)
        return err_nomem(&c->err);
    if (!skip_host) {
        const char *nl;
        size_t nll;
        int rc;
        if (url_netloc(url, url_len, &nl, &nll)) {
            /* an IPv6 zone id ("[fe80::1%eth0]") is local to this host */
            hbuf v = {0};
            const char *pct = memchr(nl, '%', nll);
            const char *rb = pct ? memchr(pct, ']', nll - (size_t)(pct - nl)) : NULL;
            if (pct && rb && memchr(nl, '[', (size_t)(pct - nl)))
                rc = hbuf_append(&v, nl, (size_t)(pct - nl)) < 0 ||
                     hbuf_append(&v, rb, nll - (size_t)(rb - nl)) < 0;
            else
                rc = hbuf_append(&v, nl, nll) < 0;
            rc = rc || write_header(&c->out, "Host", 4, v.p, v.len) < 0;
            hbuf_free(&v);
        } else if (c->tunnel_host) {
            rc = write_host_header(&c->out, c->tunnel_host, c->tunnel_port, c->default_port) < 0;
        } else {
            rc = write_host_header(&c->out, c->host, c->port, c->default_port) < 0;
        }
        if (rc) return err_nomem(&c->err);
    }
    if (!skip_accept_encoding && write_header(&c->out, "Accept-Encoding", 15, "identity", 8) < 0)
        return err_nomem(&c->err);
    c->is_head = method_len == 4 && memcmp(method, "HEAD", 4) == 0;
    c->state = CS_REQ_STARTED;
    c->last_was_header = !skip_host || !skip_accept_encoding;
    c->chunked_req = false;
    if (c->deadline >= 0 && c->s) c->s->deadline = monotonic_now() + c->deadline;
    return 0;
}

int httpc_conn_putheader(httpc_conn *c, const char *name, size_t name_len, const char *value,
                         size_t value_len) {
    RETURN_IF_UNUSABLE(c);
    if (c->state != CS_REQ_STARTED) return err_set(&c->err, HTTPC_E_CANNOTSENDHEADER, "%s", "");
    if (validate_header_name(name, name_len, &c->err) ||
        validate_header_value(value, value_len, &c->err))
        return c->err.code;
    if (write_header(&c->out, name, name_len, value, value_len) < 0) return err_nomem(&c->err);
    c->last_was_header = true;
    return 0;
}

int httpc_conn_putheader_continue(httpc_conn *c, const char *value, size_t value_len) {
    RETURN_IF_UNUSABLE(c);
    if (c->state != CS_REQ_STARTED || !c->last_was_header)
        return err_set(&c->err, HTTPC_E_CANNOTSENDHEADER, "%s", "");
    if (validate_header_value(value, value_len, &c->err)) return c->err.code;
    if (write_header_continue(&c->out, value, value_len) < 0) return err_nomem(&c->err);
    return 0;
}

/* Bodies up to this size travel in the head's write (one send). */
#define COALESCE_MAX (64 * 1024)

int httpc_conn_endheaders(httpc_conn *c, const char *body, size_t body_len, int flags) {
    RETURN_IF_UNUSABLE(c);
    if (c->state != CS_REQ_STARTED) return err_set(&c->err, HTTPC_E_CANNOTSENDHEADER, "%s", "");
    if (c->driven && !c->s) return HTTPC_WANT_CONNECT;
    bool chunked = (flags & HTTPC_ENCODE_CHUNKED) != 0;
    if (hbuf_append(&c->out, "\r\n", 2) < 0) return err_nomem(&c->err);
    bool separate = false;
    if (body) {
        if (chunked) {
            if (body_len && write_chunk(&c->out, body, body_len) < 0) return err_nomem(&c->err);
            if (write_last_chunk(&c->out) < 0) return err_nomem(&c->err);
        } else if (body_len <= COALESCE_MAX) {
            if (hbuf_append(&c->out, body, body_len) < 0) return err_nomem(&c->err);
        } else {
            separate = true;
        }
    }
    c->state = CS_REQ_SENT;
    c->chunked_req = chunked && !body;
    int rc = conn_write(c, hbuf_data(&c->out), hbuf_avail(&c->out));
    hbuf_reset(&c->out);
    hbuf_shrink(&c->out, 64 * 1024);
    if (rc == 0 && separate) rc = conn_write(c, body, body_len);
    return rc;
}

int httpc_conn_send(httpc_conn *c, const char *data, size_t len) {
    RETURN_IF_UNUSABLE(c);
    return conn_write(c, data, len);
}

int httpc_conn_body_write(httpc_conn *c, const char *data, size_t len) {
    RETURN_IF_UNUSABLE(c);
    if (!c->chunked_req) return conn_write(c, data, len);
    if (len == 0) {
        debug_line(&c->dbg, "Zero length chunk ignored");
        return 0;
    }
    if (len > COALESCE_MAX) {
        char line[32];
        int n = snprintf(line, sizeof line, "%zX\r\n", len);
        int rc = conn_write(c, line, (size_t)n);
        if (rc == 0) rc = conn_write(c, data, len);
        if (rc == 0) rc = conn_write(c, "\r\n", 2);
        return rc;
    }
    hbuf_reset(&c->out);
    if (write_chunk(&c->out, data, len) < 0) return err_nomem(&c->err);
    int rc = conn_write(c, hbuf_data(&c->out), hbuf_avail(&c->out));
    hbuf_reset(&c->out);
    return rc;
}

int httpc_conn_body_write_fd(httpc_conn *c, int fd) {
    RETURN_IF_UNUSABLE(c);
    char *buf = malloc(c->blocksize);
    if (!buf) return err_nomem(&c->err);
    int rc = 0;
    for (;;) {
        ssize_t n = read(fd, buf, c->blocksize);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            rc = err_os(&c->err, errno, "read");
            break;
        }
        if (n == 0) break;
        rc = httpc_conn_body_write(c, buf, (size_t)n);
        if (rc) break;
    }
    free(buf);
    return rc;
}

int httpc_conn_body_end(httpc_conn *c) {
    RETURN_IF_UNUSABLE(c);
    if (!c->chunked_req) return 0;
    c->chunked_req = false;
    return conn_write(c, "0\r\n\r\n", 5);
}

/* ---- request(): staged headers, then http.client's framing rules ---- */

int httpc_conn_request_header(httpc_conn *c, const char *name, size_t name_len,
                              const char *value, size_t value_len) {
    RETURN_IF_UNUSABLE(c);
    if (validate_header_name(name, name_len, &c->err) ||
        validate_header_value(value, value_len, &c->err)) {
        hbuf_reset(&c->staged);
        c->st_host = c->st_ae = c->st_cl = c->st_te = false;
        return c->err.code;
    }
    size_t rec[2] = {name_len, value_len};
    if (hbuf_append(&c->staged, rec, sizeof rec) < 0 ||
        hbuf_append(&c->staged, name, name_len) < 0 ||
        hbuf_append(&c->staged, value, value_len) < 0)
        return err_nomem(&c->err);
    c->st_host |= ascii_ieq(name, name_len, "host", 4);
    c->st_ae |= ascii_ieq(name, name_len, "accept-encoding", 15);
    c->st_cl |= ascii_ieq(name, name_len, "content-length", 14);
    c->st_te |= ascii_ieq(name, name_len, "transfer-encoding", 17);
    return 0;
}

static bool expects_body(const char *m, size_t n) {
    return ascii_ieq(m, n, "POST", 4) || ascii_ieq(m, n, "PUT", 3) || ascii_ieq(m, n, "PATCH", 5);
}

int httpc_conn_request(httpc_conn *c, const char *method, size_t method_len, const char *url,
                       size_t url_len, const char *body, size_t body_len, int flags) {
    RETURN_IF_UNUSABLE(c);
    int kind = flags & 3;
    bool encode_chunked = (flags & HTTPC_ENCODE_CHUNKED) != 0;
    int rc = httpc_conn_putrequest(c, method, method_len, url, url_len, c->st_host, c->st_ae);
    if (rc) {
        if (rc != HTTPC_WANT_CONNECT) {
            hbuf_reset(&c->staged);
            c->st_host = c->st_ae = c->st_cl = c->st_te = false;
        }
        return rc;
    }
    if (!c->st_cl) {
        if (!c->st_te) {
            encode_chunked = false;
            if (kind == HTTPC_BODY_BYTES) {
                char n[24];
                int l = snprintf(n, sizeof n, "%zu", body_len);
                rc = write_header(&c->out, "Content-Length", 14, n, (size_t)l);
            } else if (kind == HTTPC_BODY_STREAM) {
                debug_line(&c->dbg, "Unable to determine size of body");
                encode_chunked = true;
                rc = write_header(&c->out, "Transfer-Encoding", 17, "chunked", 7);
            } else if (expects_body(method, method_len)) {
                rc = write_header(&c->out, "Content-Length", 14, "0", 1);
            }
        }
    } else {
        encode_chunked = false;
    }
    for (size_t off = c->staged.off; rc == 0 && off < c->staged.len;) {
        size_t rec[2];
        memcpy(rec, c->staged.p + off, sizeof rec);
        const char *n = c->staged.p + off + sizeof rec;
        rc = write_header(&c->out, n, rec[0], n + rec[0], rec[1]);
        off += sizeof rec + rec[0] + rec[1];
    }
    hbuf_reset(&c->staged);
    c->st_host = c->st_ae = c->st_cl = c->st_te = false;
    if (rc) {
        c->state = CS_IDLE;
        return err_nomem(&c->err);
    }
    c->last_was_header = true;
    if (kind == HTTPC_BODY_BYTES)
        return httpc_conn_endheaders(c, body ? body : "", body_len,
                                     encode_chunked ? HTTPC_ENCODE_CHUNKED : 0);
    rc = httpc_conn_endheaders(c, NULL, 0, encode_chunked ? HTTPC_ENCODE_CHUNKED : 0);
    return rc;
}

int httpc_conn_getresponse(httpc_conn *c, httpc_response **out) {
    if (out) *out = NULL;
    if (!out) return HTTPC_E_VALUE;
    RETURN_IF_UNUSABLE(c);
    forget_finished_response(c);
    if (c->state != CS_REQ_SENT || c->resp)
        return err_set(&c->err, HTTPC_E_RESPONSENOTREADY, "%s", state_names[c->state]);
    if (!c->s) return err_set(&c->err, HTTPC_E_NOTCONNECTED, "the connection is closed");
    if (c->driven && hbuf_avail(&c->s->out)) return HTTPC_WANT_WRITE;
    return response_begin(c, out);
}

/* ---- caller-driven transport ---------------------------------------- */

int httpc_conn_set_driven(httpc_conn *c, int on) {
    RETURN_IF_UNUSABLE(c);
    if (c->s && !c->s->driven != !on)
        return err_set(&c->err, HTTPC_E_RUNTIME, "can't change the transport of an open connection");
    c->driven = on != 0;
    return 0;
}

const char *httpc_conn_output(const httpc_conn *c, size_t *len) {
    stream *s = c ? c->driven_s : NULL;
    *len = s ? hbuf_avail(&s->out) : 0;
    return *len ? hbuf_data(&s->out) : "";
}

void httpc_conn_consume(httpc_conn *c, size_t n) {
    stream *s = c ? c->driven_s : NULL;
    if (!s) return;
    if (n > hbuf_avail(&s->out)) n = hbuf_avail(&s->out);
    hbuf_consume(&s->out, n);
}

int httpc_conn_feed(httpc_conn *c, const char *data, size_t len) {
    if (!c) return HTTPC_E_VALUE;
    stream *s = c->driven_s;
    if (!s || s->closed) return err_set(&c->err, HTTPC_E_NOTCONNECTED, "the connection is closed");
    if (hbuf_append(&s->in, data, len) < 0) return err_nomem(&c->err);
    return 0;
}

void httpc_conn_feed_eof(httpc_conn *c) {
    if (c && c->driven_s) c->driven_s->eof = true;
}

int httpc_conn_wants_close(const httpc_conn *c) {
    stream *s = c ? c->driven_s : NULL;
    return s && s->closed;
}
