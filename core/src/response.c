/* HTTPResponse: the head (1xx skipped), framing chosen from the headers,
 * and the body read through the stream's buffer.  Everything that reads
 * goes through span() (the next decoded bytes in the buffer) and take(). */
#include "handles.h"

#include <stdlib.h>
#include <string.h>

#define ACC_STEP (64 * 1024)
#define ACC_KEEP (1024 * 1024)
#define ACC_ONESHOT (16 * 1024 * 1024)
#define DIRECT_MIN 16384

/* ---- the head ------------------------------------------------------- */

static bool has_token(const hfield *f, const char *tok) {
    size_t tl = strlen(tok);
    for (size_t i = 0; i + tl <= f->value_len; i++)
        if (ascii_ieq(f->value + i, tl, tok, tl)) return true;
    return false;
}

/* http.client's _check_close. */
static bool check_close(const head *h) {
    const hfield *conn = head_find(h, "connection", NULL);
    if (h->version == 11) return conn && has_token(conn, "close");
    if (head_find(h, "keep-alive", NULL)) return false;
    if (conn && has_token(conn, "keep-alive")) return false;
    const hfield *pconn = head_find(h, "proxy-connection", NULL);
    if (pconn && has_token(pconn, "keep-alive")) return false;
    return true;
}

static void trim(const char **p, size_t *n) {
    while (*n && (**p == ' ' || **p == '\t')) (*p)++, (*n)--;
    while (*n && ((*p)[*n - 1] == ' ' || (*p)[*n - 1] == '\t')) (*n)--;
}

/* Content-Length must be 1*DIGIT; repeated values (headers or list
 * members) must agree.  Returns the length, -1 when absent, -2 when bad. */
static int64_t content_length(const head *h) {
    int64_t len = -1;
    for (size_t i = 0; i < h->nfields; i++) {
        const hfield *f = &h->fields[i];
        if (!ascii_ieq(f->name, f->name_len, "content-length", 14)) continue;
        const char *p = f->value, *end = f->value + f->value_len;
        do {
            const char *comma = memchr(p, ',', (size_t)(end - p));
            const char *tok = p;
            size_t tl = (size_t)((comma ? comma : end) - p);
            trim(&tok, &tl);
            if (tl == 0 || tl > 19) return -2;
            int64_t v = 0;
            for (size_t k = 0; k < tl; k++) {
                if (tok[k] < '0' || tok[k] > '9') return -2;
                if (v > (INT64_MAX - (tok[k] - '0')) / 10) return -2;
                v = v * 10 + (tok[k] - '0');
            }
            if (len >= 0 && v != len) return -2;
            len = v;
            p = comma ? comma + 1 : end;
        } while (p < end);
    }
    return len;
}

/* Transfer-Encoding: 1 when the final coding is chunked, 2 when another
 * coding is final (the body then runs to the close), 0 when absent. */
static int transfer_coding(const head *h) {
    const hfield *last = NULL;
    for (size_t i = 0; i < h->nfields; i++)
        if (ascii_ieq(h->fields[i].name, h->fields[i].name_len, "transfer-encoding", 17))
            last = &h->fields[i];
    if (!last) return 0;
    const char *p = last->value;
    size_t n = last->value_len;
    const char *comma = NULL;
    for (size_t i = 0; i < n; i++)
        if (p[i] == ',') comma = p + i;
    if (comma) {
        n -= (size_t)(comma + 1 - p);
        p = comma + 1;
    }
    trim(&p, &n);
    return ascii_ieq(p, n, "chunked", 7) ? 1 : 2;
}

static void debug_reply(httpc_conn *c, const char *head_bytes, size_t n) {
    if (c->dbg.level <= 0) return;
    const char *nl = memchr(head_bytes, '\n', n);
    size_t l = nl ? (size_t)(nl - head_bytes) + 1 : n;
    hbuf r = {0};
    if (debug_repr_str(&r, head_bytes, l) == 0 && hbuf_append(&r, "", 1) == 0)
        debug_line(&c->dbg, "reply: %s", r.p);
    hbuf_free(&r);
}

static int begin_failed(httpc_conn *c, int code) {
    c->scan = (head_scan){0};
    c->interim = 0;
    c->interim_bytes = 0;
    if (httpc_code_is(code, HTTPC_E_CONNECTIONERROR)) {
        /* as http.client: a connection error closes the connection */
        httpc_error keep;
        err_init(&keep);
        err_copy(&keep, &c->err);
        httpc_conn_close(c);
        err_copy(&c->err, &keep);
        err_clear(&keep);
    } else if (code != HTTPC_E_TIMEOUT) {
        /* the stream's framing is lost; the state stays Request-sent as in
         * http.client, so the caller closes before the next request */
        conn_drop_stream(c);
    }
    return code;
}

int response_begin(httpc_conn *c, httpc_response **out) {
    stream *s = c->s;
    head h = {0};
    long n;
    for (;;) {
        n = parse_head(hbuf_data(&s->in), hbuf_avail(&s->in), &c->scan, s->eof, &h, &c->err);
        if (n < 0) {
            head_free(&h);
            return begin_failed(c, (int)-n);
        }
        if (n == 0) {
            if (s->eof) {
                head_free(&h);
                err_set(&c->err, HTTPC_E_REMOTEDISCONNECTED,
                        "Remote end closed connection without response");
                return begin_failed(c, HTTPC_E_REMOTEDISCONNECTED);
            }
            long f = stream_fill(s, 0, &c->err);
            if (f == -HTTPC_WANT_READ) {
                head_free(&h);
                return HTTPC_WANT_READ;
            }
            if (f < 0) {
                head_free(&h);
                return begin_failed(c, (int)-f);
            }
            continue;
        }
        debug_reply(c, hbuf_data(&s->in), (size_t)n);
        if (h.status >= 100 && h.status < 200 && h.status != 101) {
            /* interim responses are skipped, within the head limits */
            c->interim_bytes += (size_t)n;
            if (++c->interim > HTTPC_MAXINTERIM || c->interim_bytes > HTTPC_MAXHEADBYTES) {
                head_free(&h);
                err_set(&c->err, HTTPC_E_HTTPEXCEPTION, "more than %d interim (1xx) responses",
                        HTTPC_MAXINTERIM);
                return begin_failed(c, HTTPC_E_HTTPEXCEPTION);
            }
            for (size_t i = 0; i < h.nfields; i++)
                debug_line(&c->dbg, "headers: %.*s: %.*s", (int)h.fields[i].name_len,
                           h.fields[i].name, (int)h.fields[i].value_len, h.fields[i].value);
            hbuf_consume(&s->in, (size_t)n);
            c->scan = (head_scan){0};
            continue;
        }
        break;
    }
    c->scan = (head_scan){0};
    c->interim = 0;
    c->interim_bytes = 0;

    httpc_response *r = calloc(1, sizeof *r);
    char *block = r ? malloc((size_t)n) : NULL;
    if (!block) {
        free(r);
        head_free(&h);
        err_nomem(&c->err);
        return begin_failed(c, HTTPC_E_MEMORY);
    }
    /* the head's bytes move out of the stream buffer: rebase the fields */
    const char *base = hbuf_data(&s->in);
    memcpy(block, base, (size_t)n);
    for (size_t i = 0; i < h.nfields; i++) {
        h.fields[i].name = block + (h.fields[i].name - base);
        h.fields[i].value = block + (h.fields[i].value - base);
    }
    h.reason = block + (h.reason - base);
    hbuf_consume(&s->in, (size_t)n);
    r->headblock = block;
    r->h = h;
    err_init(&r->err);
    r->debuglevel = c->dbg.level;
    r->deadline = c->deadline;
    for (size_t i = 0; i < h.nfields; i++)
        debug_line(&c->dbg, "header: %.*s: %.*s", (int)h.fields[i].name_len, h.fields[i].name,
                   (int)h.fields[i].value_len, h.fields[i].value);

    int te = transfer_coding(&r->h);
    int64_t cl = te ? -1 : content_length(&r->h);
    if (cl == -2) {
        httpc_response_free(r);
        err_set(&c->err, HTTPC_E_HTTPEXCEPTION, "invalid or conflicting Content-Length");
        return begin_failed(c, HTTPC_E_HTTPEXCEPTION);
    }
    r->chunked = te == 1;
    r->will_close = check_close(&r->h);
    /* both framings at once: chunked wins and the connection is not
     * trusted for another request */
    if (te && head_find(&r->h, "content-length", NULL)) r->will_close = true;
    r->length = cl;
    if (h.status == 204 || h.status == 304 || h.status < 200 || c->is_head) {
        r->length = 0;
        r->chunked = false;
    }
    if (!r->will_close && !r->chunked && r->length < 0) r->will_close = true;
    chunked_init(&r->dec);

    r->conn = c;
    c->refs++;
    c->state = CS_IDLE;
    if (r->will_close) {
        /* the response takes the transport; the next request reconnects */
        r->s = s;
        c->s = NULL;
    } else {
        r->s = stream_ref(s);
        c->resp = r;
        r->attached = true;
    }
    *out = r;
    return 0;
}

/* ---- the body -------------------------------------------------------- */

void response_detach(httpc_response *r) {
    if (r->attached) {
        r->attached = false;
        if (r->conn->resp == r) r->conn->resp = NULL;
    }
}

static void release_stream(httpc_response *r, bool close_it) {
    if (!r->s) return;
    if (close_it) {
        stream_close(r->s);
        if (r->attached && r->conn->s == r->s) conn_drop_stream(r->conn);
    }
    stream_unref(r->s);
    r->s = NULL;
}

/* The body ended where its framing said. */
static void finish(httpc_response *r) {
    r->finished = r->closed = true;
    release_stream(r, r->will_close);
    response_detach(r);
}

/* The body cannot be continued: its transport is of no further use. */
static void abort_body(httpc_response *r) {
    r->finished = r->closed = true;
    release_stream(r, true);
    response_detach(r);
}

static int incomplete(httpc_response *r, int64_t expected) {
    err_incomplete(&r->err, "", 0, expected);
    abort_body(r);
    return HTTPC_E_INCOMPLETEREAD;
}

/* The next decoded body bytes already in the buffer (filling it when
 * may_fill): OK with *n 0 at the body's end, WANT_READ, or an error. */
static int span(httpc_response *r, bool may_fill, const char **p, size_t *n) {
    *n = 0;
    *p = "";
    if (r->finished || !r->s) return 0;
    stream *s = r->s;
    for (;;) {
        size_t avail = hbuf_avail(&s->in);
        if (r->chunked) {
            size_t used;
            int rc = chunked_frame(&r->dec, hbuf_data(&s->in), avail, &used, &r->err);
            hbuf_consume(&s->in, used);
            avail -= used;
            if (rc < 0) {
                abort_body(r);
                return -rc;
            }
            if (rc == CHUNK_DONE) {
                finish(r);
                return 0;
            }
            if (rc == CHUNK_DATA && avail) {
                uint64_t left = chunked_left(&r->dec);
                *p = hbuf_data(&s->in);
                *n = (uint64_t)avail < left ? avail : (size_t)left;
                return 0;
            }
        } else if (r->length >= 0) {
            if (r->length == 0) {
                finish(r);
                return 0;
            }
            if (avail) {
                *p = hbuf_data(&s->in);
                *n = (uint64_t)avail < (uint64_t)r->length ? avail : (size_t)r->length;
                return 0;
            }
        } else if (avail) {
            *p = hbuf_data(&s->in);
            *n = avail;
            return 0;
        }
        if (!may_fill) return 0;
        long f = stream_fill(s, 0, &r->err);
        if (f == -HTTPC_WANT_READ) return HTTPC_WANT_READ;
        if (f < 0) {
            if (f != -HTTPC_E_TIMEOUT) abort_body(r);
            return (int)-f;
        }
        if (f == 0) {
            if (r->chunked) {
                /* a peer that closes instead of sending the final CRLF
                 * after the last chunk has sent the whole body */
                if (chunked_data_complete(&r->dec)) {
                    finish(r);
                    return 0;
                }
                return incomplete(r, -1);
            }
            if (r->length >= 0) return incomplete(r, r->length);
            finish(r);
            return 0;
        }
    }
}

static void take(httpc_response *r, size_t k) {
    hbuf_consume(&r->s->in, k);
    if (r->chunked) {
        chunked_take(&r->dec, k);
    } else if (r->length >= 0) {
        r->length -= (int64_t)k;
        if (r->length == 0) finish(r);
    }
}

/* Starts a public read call: deferred errors first, then the deadline. */
static int read_start(httpc_response *r) {
    if (r->pending) {
        int rc = r->pending;
        r->pending = 0;
        return rc;
    }
    if (r->deadline >= 0 && r->s) r->s->deadline = monotonic_now() + r->deadline;
    return 0;
}

/* The last read's result is dropped when the next call starts. */
static void acc_start(httpc_response *r) {
    if (r->acc_done) {
        hbuf_reset(&r->acc);
        hbuf_shrink(&r->acc, ACC_KEEP);
        r->acc_done = false;
    }
}

int httpc_response_readinto(httpc_response *r, void *buf, size_t len, size_t *nread) {
    *nread = 0;
    if (!r) return HTTPC_E_VALUE;
    int rc = read_start(r);
    if (rc) return rc;
    char *out = buf;
    size_t got = 0;
    while (got < len && r->s && !r->finished) {
        stream *s = r->s;
        /* large reads of a delimited body skip the buffer */
        if (!r->chunked && !s->driven && !hbuf_avail(&s->in) && !s->eof && s->ops &&
            len - got >= DIRECT_MIN && r->length != 0) {
            size_t want = len - got;
            if (r->length > 0 && (uint64_t)want > (uint64_t)r->length) want = (size_t)r->length;
            long k = s->ops->recv(s, out + got, want, &r->err);
            if (k > 0) {
                got += (size_t)k;
                if (r->length > 0) {
                    r->length -= k;
                    if (r->length == 0) finish(r);
                }
                continue;
            }
            if (k == 0) {
                s->eof = true;
                continue;
            }
            rc = (int)-k;
            if (rc != HTTPC_E_TIMEOUT) abort_body(r);
            if (got) {
                r->pending = rc; /* deliver what arrived first */
                break;
            }
            return rc;
        }
        const char *p;
        size_t k;
        rc = span(r, !(s->driven && got), &p, &k);
        if (rc == HTTPC_WANT_READ) {
            if (got) break;
            return rc;
        }
        if (rc) {
            if (got) {
                r->pending = rc; /* deliver what arrived first */
                break;
            }
            return rc;
        }
        if (k == 0) break;
        if (k > len - got) k = len - got;
        memcpy(out + got, p, k);
        take(r, k);
        got += k;
    }
    *nread = got;
    return 0;
}

/* read() fails with IncompleteRead carrying every byte it gathered. */
static int gathered_failure(httpc_response *r, int rc) {
    if (rc == HTTPC_E_INCOMPLETEREAD) {
        int64_t exp = r->err.expected;
        err_incomplete(&r->err, hbuf_data(&r->acc), hbuf_avail(&r->acc), exp);
        hbuf_reset(&r->acc);
    }
    /* other errors (a timeout) keep what was gathered for the next call */
    return rc;
}

int httpc_response_read(httpc_response *r, int64_t amt, const char **data, size_t *len) {
    *data = "";
    *len = 0;
    if (!r) return HTTPC_E_VALUE;
    acc_start(r);
    for (;;) {
        size_t have = hbuf_avail(&r->acc);
        if (amt >= 0 && have >= (uint64_t)amt) break;
        /* the room grows with what arrived (a small multiple of it at most,
         * never past the announced length): a large body takes a few big
         * receives and reallocations instead of one per ACC_STEP */
        size_t room = have > ACC_STEP ? have : ACC_STEP;
        /* a body of known, moderate length is taken in one piece: no
         * reallocation copies (the cap keeps a lying Content-Length from
         * reserving much memory before any byte arrived) */
        if (!r->chunked && r->length > (int64_t)room && r->length <= ACC_ONESHOT)
            room = (size_t)r->length;
        if (r->s && hbuf_avail(&r->s->in) > room) room = hbuf_avail(&r->s->in);
        if (amt >= 0 && (uint64_t)amt - have < room) room = (size_t)((uint64_t)amt - have);
        if (!r->chunked && r->length > 0 && (uint64_t)r->length < room) room = (size_t)r->length;
        if (room == 0) room = 1;
        if (hbuf_reserve(&r->acc, room) < 0) return err_nomem(&r->err);
        size_t n;
        int rc = httpc_response_readinto(r, r->acc.p + r->acc.len, room, &n);
        r->acc.len += n;
        if (rc == HTTPC_WANT_READ) return rc;
        if (rc) return gathered_failure(r, rc);
        if (n == 0) break;
        if (r->s && r->s->driven && amt < 0 && !r->finished && !hbuf_avail(&r->s->in)) continue;
    }
    r->acc_done = true;
    *data = hbuf_data(&r->acc);
    *len = hbuf_avail(&r->acc);
    return 0;
}

int httpc_response_read1(httpc_response *r, int64_t n, const char **data, size_t *len) {
    *data = "";
    *len = 0;
    if (!r) return HTTPC_E_VALUE;
    acc_start(r);
    int rc = read_start(r);
    if (rc) return rc;
    if (n == 0) return 0;
    const char *p;
    size_t k;
    rc = span(r, true, &p, &k);
    if (rc) return rc;
    if (n > 0 && (uint64_t)k > (uint64_t)n) k = (size_t)n;
    if (hbuf_append(&r->acc, p, k) < 0) return err_nomem(&r->err);
    if (k) take(r, k);
    r->acc_done = true;
    *data = hbuf_data(&r->acc);
    *len = hbuf_avail(&r->acc);
    return 0;
}

int httpc_response_peek(httpc_response *r, int64_t n, const char **data, size_t *len) {
    (void)n;
    *data = "";
    *len = 0;
    if (!r) return HTTPC_E_VALUE;
    int rc = read_start(r);
    if (rc) return rc;
    return span(r, true, data, len);
}

int httpc_response_readline(httpc_response *r, int64_t limit, const char **data, size_t *len) {
    *data = "";
    *len = 0;
    if (!r) return HTTPC_E_VALUE;
    acc_start(r);
    int rc = read_start(r);
    if (rc) return rc;
    for (;;) {
        size_t have = hbuf_avail(&r->acc);
        if (limit >= 0 && have >= (uint64_t)limit) break;
        const char *p;
        size_t k;
        rc = span(r, true, &p, &k);
        if (rc == HTTPC_WANT_READ) return rc;
        if (rc) return gathered_failure(r, rc);
        if (k == 0) break;
        if (limit >= 0 && (uint64_t)k > (uint64_t)limit - have) k = (size_t)((uint64_t)limit - have);
        const char *nl = memchr(p, '\n', k);
        if (nl) k = (size_t)(nl - p) + 1;
        if (hbuf_append(&r->acc, p, k) < 0) return err_nomem(&r->err);
        take(r, k);
        if (nl) break;
    }
    r->acc_done = true;
    *data = hbuf_data(&r->acc);
    *len = hbuf_avail(&r->acc);
    return 0;
}

/* ---- attributes ------------------------------------------------------ */

void response_end(httpc_response *r) {
    if (r->closed) {
        release_stream(r, false);
        response_detach(r);
    } else {
        /* unread body bytes would be taken for the next response's head */
        abort_body(r);
    }
}

void httpc_response_close(httpc_response *r) {
    if (!r) return;
    response_end(r);
    /* The last read's bytes (up to a whole body) go back now, not when the
     * handle is freed: a garbage-collected binding frees it much later, and
     * meanwhile every new response took fresh pages (LuaJIT: +2 MiB of heap
     * per 1 MiB read()). close() is a call on the handle, so the pointer
     * that read returned has expired anyway. */
    hbuf_free(&r->acc);
    r->acc_done = false;
}

void httpc_response_free(httpc_response *r) {
    if (!r) return;
    httpc_response_close(r);
    hbuf_free(&r->acc);
    hbuf_free(&r->scratch);
    head_free(&r->h);
    free(r->headblock);
    err_clear(&r->err);
    if (r->conn) conn_unref(r->conn);
    free(r);
}

const httpc_error *httpc_response_error(const httpc_response *r) { return r ? &r->err : NULL; }
int httpc_response_status(const httpc_response *r) { return r ? r->h.status : 0; }
const char *httpc_response_reason(const httpc_response *r, size_t *len) {
    *len = r ? r->h.reason_len : 0;
    return r && r->h.reason ? r->h.reason : "";
}
int httpc_response_version(const httpc_response *r) { return r ? r->h.version : 0; }
int httpc_response_will_close(const httpc_response *r) { return r ? r->will_close : 1; }
int httpc_response_chunked(const httpc_response *r) { return r ? r->chunked : 0; }
int64_t httpc_response_length(const httpc_response *r) {
    return !r || r->chunked ? -1 : r->length;
}
int httpc_response_closed(const httpc_response *r) { return r ? r->closed : 1; }
int httpc_response_fileno(const httpc_response *r) {
    return r && r->s && !r->s->closed ? r->s->fd : -1;
}
int httpc_response_debuglevel(const httpc_response *r) { return r ? r->debuglevel : 0; }

size_t httpc_response_header_count(const httpc_response *r) { return r ? r->h.nfields : 0; }
int httpc_response_header_at(const httpc_response *r, size_t i, const char **name,
                             size_t *name_len, const char **value, size_t *value_len) {
    if (!r || i >= r->h.nfields) return HTTPC_E_VALUE;
    *name = r->h.fields[i].name;
    *name_len = r->h.fields[i].name_len;
    *value = r->h.fields[i].value;
    *value_len = r->h.fields[i].value_len;
    return 0;
}

int httpc_response_getheader(httpc_response *r, const char *name, size_t name_len,
                             const char **value, size_t *value_len) {
    if (!r) return *value = "", *value_len = 0, 0;
    hbuf_reset(&r->scratch);
    bool found = false;
    for (size_t i = 0; i < r->h.nfields; i++) {
        const hfield *f = &r->h.fields[i];
        if (!ascii_ieq(f->name, f->name_len, name, name_len)) continue;
        if ((found && hbuf_append(&r->scratch, ", ", 2) < 0) ||
            hbuf_append(&r->scratch, f->value, f->value_len) < 0) {
            err_nomem(&r->err);
            *value = "";
            *value_len = 0;
            return 0;
        }
        found = true;
    }
    *value = found ? hbuf_data(&r->scratch) : "";
    *value_len = found ? hbuf_avail(&r->scratch) : 0;
    return found;
}
