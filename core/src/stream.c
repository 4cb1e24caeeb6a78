/* A stream is one transport plus its receive buffer, shared (reference
 * counted) by a connection and the responses read from it, so a response
 * can outlive its connection's close or free, as in http.client. */
#include "internal.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* At least one TLS record (16 KiB) per receive. */
#define STREAM_READ_MIN 16384

double monotonic_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

stream *stream_new(void) {
    stream *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->refs = 1;
    s->fd = -1;
    s->timeout = -1;
    return s;
}

stream *stream_ref(stream *s) {
    if (s) s->refs++;
    return s;
}

void stream_close(stream *s) {
    if (!s || s->closed) return;
    s->closed = true;
    if (s->ops && s->ops->close) s->ops->close(s);
    s->ops = NULL;
}

void stream_unref(stream *s) {
    if (!s || --s->refs > 0) return;
    stream_close(s);
    hbuf_free(&s->in);
    hbuf_free(&s->out);
    free(s);
}

int stream_wait(stream *s, int events, httpc_error *e) {
    for (;;) {
        int ms = -1;
        if (s->timeout >= 0) ms = (int)(s->timeout * 1000.0 + 0.999);
        if (s->deadline > 0) {
            double left = s->deadline - monotonic_now();
            if (left <= 0) return -err_set(e, HTTPC_E_TIMEOUT, "timed out (request deadline)");
            int dms = (int)(left * 1000.0 + 0.999);
            if (ms < 0 || dms < ms) ms = dms;
        }
        struct pollfd p = {.fd = s->fd, .events = (short)events};
        int n = poll(&p, 1, ms);
        if (n > 0) return 0;
        if (n == 0) {
            if (s->deadline > 0 && monotonic_now() >= s->deadline)
                return -err_set(e, HTTPC_E_TIMEOUT, "timed out (request deadline)");
            return -err_set(e, HTTPC_E_TIMEOUT, "timed out");
        }
        if (errno != EINTR) return -err_os(e, errno, "poll");
    }
}

long stream_fill(stream *s, size_t want, httpc_error *e) {
    if (s->eof) return 0;
    if (s->closed || !s->ops) {
        if (s->driven && !s->closed) return -HTTPC_WANT_READ;
        return -err_set(e, HTTPC_E_NOTCONNECTED, "the connection is closed");
    }
    if (want < STREAM_READ_MIN) want = STREAM_READ_MIN;
    if (hbuf_reserve(&s->in, want) < 0) return -err_nomem(e);
    long n = s->ops->recv(s, s->in.p + s->in.len, s->in.cap - s->in.len, e);
    if (n > 0) s->in.len += (size_t)n;
    else if (n == 0) s->eof = true;
    return n;
}

int stream_write(stream *s, const char *data, size_t len, httpc_error *e) {
    if (s->driven) {
        if (s->closed) return -err_set(e, HTTPC_E_NOTCONNECTED, "the connection is closed");
        return hbuf_append(&s->out, data, len) < 0 ? -err_nomem(e) : 0;
    }
    if (s->closed || !s->ops) return -err_set(e, HTTPC_E_NOTCONNECTED, "the connection is closed");
    while (len) {
        long n = s->ops->send(s, data, len, e);
        if (n < 0) return (int)n;
        data += n;
        len -= (size_t)n;
    }
    return 0;
}
