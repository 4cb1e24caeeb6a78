/* httpc through its public C API: httpc_conn_request, getresponse, then
 * httpc_response_read (whole body) or httpc_response_readinto (pieces). */
#include "client.h"

#include <httpc.h>

typedef struct hc {
    httpc_conn *c;
    char *buf;
} hc;

static void fail(httpc_conn *c, httpc_response *r, const char *what) {
    const httpc_error *e = r ? httpc_response_error(r) : httpc_conn_error(c);
    bench_die(what, httpc_error_message(e));
}

static size_t one(bench_args *a, void *ud) {
    hc *h = ud;
    httpc_response *r;
    if (httpc_conn_request(h->c, a->method, strlen(a->method), a->path, strlen(a->path), a->body,
                           a->body ? a->body_size : 0, a->body ? HTTPC_BODY_BYTES : HTTPC_BODY_NONE))
        fail(h->c, NULL, "request");
    if (httpc_conn_getresponse(h->c, &r)) fail(h->c, NULL, "getresponse");
    size_t total = 0;
    if (a->piece == 0) {
        const char *data;
        if (httpc_response_read(r, -1, &data, &total)) fail(h->c, r, "read");
    } else {
        size_t n;
        do {
            if (httpc_response_readinto(r, h->buf, a->piece, &n)) fail(h->c, r, "readinto");
            total += n;
        } while (n);
    }
    httpc_response_free(r);
    return total;
}

int main(int argc, char **argv) {
    bench_args a;
    bench_parse(argc, argv, &a);
    httpc_tls_ctx *tls = NULL;
    if (a.tls && !(tls = httpc_tls_ctx_new(HTTPC_TLS_UNVERIFIED))) bench_die("tls", "context");
    hc h = {.c = httpc_conn_new(a.host, strlen(a.host), a.port, tls)};
    if (!h.c) bench_die("conn", "out of memory");
    httpc_tls_ctx_free(tls);
    h.buf = malloc(a.piece ? a.piece : 1);
    if (!h.buf) bench_die("malloc", "buffer");
    bench_run(&a, one, &h);
    httpc_conn_free(h.c);
    return 0;
}
