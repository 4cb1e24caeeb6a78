/* End to end through the public API: the fuzzed bytes are the server's
 * side of a caller-driven connection (the mode nginx cosockets use),
 * fed in fuzzer-chosen pieces, and each response's body is read with a
 * fuzzer-chosen mix of read, read(n), read1, readline, peek and readinto.
 * Keep-alive responses are followed by further requests on the same
 * connection, so leftover bytes become the next response. */
#include "httpc.h"
#include "fuzz_split.h"

#include <stdbool.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct feeder {
    const uint8_t *data;
    size_t size, off;
    fsplit *sp;
} feeder;

/* One more piece, or EOF once the input is used up; false when even EOF
 * was already fed. */
static bool feed_more(httpc_conn *c, feeder *f, bool *eof_fed) {
    if (f->off < f->size) {
        size_t n = fsplit_next(f->sp, f->size - f->off);
        if (httpc_conn_feed(c, (const char *)f->data + f->off, n) != 0) return false;
        f->off += n;
        return true;
    }
    if (*eof_fed) return false;
    httpc_conn_feed_eof(c);
    *eof_fed = true;
    return true;
}

static void drain_output(httpc_conn *c) {
    size_t n;
    httpc_conn_output(c, &n);
    httpc_conn_consume(c, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fsplit sp;
    fsplit_init(&sp, &data, &size);
    /* the first byte picks HEAD for the first request and the read mix */
    uint8_t mode = size ? data[0] : 0;
    if (size) data++, size--;
    feeder f = {data, size, 0, &sp};
    bool eof_fed = false;

    httpc_conn *c = httpc_conn_new("fuzz.example", 12, 80, NULL);
    if (!c || httpc_conn_set_driven(c, 1) != 0) abort();
    size_t delivered = 0;
    uint8_t buf[300];
    for (int req = 0; req < 4; req++) {
        const char *method = (req == 0 && (mode & 0x80)) ? "HEAD" : "GET";
        int rc;
        while ((rc = httpc_conn_request(c, method, strlen(method), "/", 1, NULL, 0, 0)) ==
               HTTPC_WANT_CONNECT) {
            /* a new transport: what is left of the input is its byte
             * stream, and it has not ended yet */
            if (httpc_conn_connect(c) != 0) abort();
            eof_fed = false;
        }
        if (rc == HTTPC_E_CANNOTSENDREQUEST) break; /* state kept after a bad head */
        if (rc != 0) {
            fprintf(stderr, "request %d: %s: %s\n", req, httpc_code_name(rc),
                    httpc_error_message(httpc_conn_error(c)));
            abort();
        }
        drain_output(c);
        httpc_response *r = NULL;
        int guard = 0;
        while ((rc = httpc_conn_getresponse(c, &r)) == HTTPC_WANT_READ || rc == HTTPC_WANT_WRITE) {
            if (rc == HTTPC_WANT_WRITE) drain_output(c);
            else if (!feed_more(c, &f, &eof_fed)) break;
            if (++guard > 100000) abort();
        }
        if (rc == HTTPC_WANT_READ) break; /* nothing more to feed */
        if (rc != 0) {
            if (rc < HTTPC_E_HTTPEXCEPTION || !httpc_code_name(rc)) abort();
            if (httpc_error_code(httpc_conn_error(c)) != rc) {
                fprintf(stderr, "getresponse %d: %s, kept %s\n", req, httpc_code_name(rc),
                        httpc_code_name(httpc_error_code(httpc_conn_error(c))));
                abort();
            }
            break;
        }
        /* the head's accessors on whatever came */
        size_t rl;
        (void)httpc_response_reason(r, &rl);
        for (size_t i = 0; i < httpc_response_header_count(r); i++) {
            const char *n, *v;
            size_t nl, vl;
            if (httpc_response_header_at(r, i, &n, &nl, &v, &vl) != 0) abort();
            (void)httpc_response_getheader(r, n, nl, &v, &vl);
        }
        int status = httpc_response_status(r);
        if (status < 100 || status > 999) abort();
        guard = 0;
        unsigned step = mode;
        for (;;) {
            const char *d = NULL;
            size_t n = 0;
            step = step * 33 + 7;
            switch (step % 6) {
            case 0: rc = httpc_response_read(r, -1, &d, &n); break;
            case 1: rc = httpc_response_read(r, (int64_t)(step % 97), &d, &n); break;
            case 2: rc = httpc_response_read1(r, (int64_t)(step % 50) - 1, &d, &n); break;
            case 3: rc = httpc_response_readline(r, (int64_t)(step % 40) - 1, &d, &n); break;
            case 4:
                rc = httpc_response_peek(r, 10, &d, &n);
                n = 0; /* peeked bytes are not consumed */
                break;
            default: rc = httpc_response_readinto(r, buf, 1 + step % sizeof buf, &n); break;
            }
            if (rc == HTTPC_WANT_READ) {
                if (!feed_more(c, &f, &eof_fed)) break;
            } else if (rc != 0) {
                if (rc < HTTPC_E_HTTPEXCEPTION || !httpc_code_name(rc)) abort();
                break;
            } else {
                delivered += n;
                if (httpc_response_closed(r)) break;
                if (n == 0 && step % 6 != 4) break;
            }
            if (++guard > 200000) abort();
        }
        /* a body never holds more bytes than arrived */
        if (delivered > size) abort();
        int again = !httpc_response_will_close(r) && httpc_response_closed(r);
        httpc_response_free(r);
        if (!again) break;
    }
    httpc_conn_free(c);
    return 0;
}
