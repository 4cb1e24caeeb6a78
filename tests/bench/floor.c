/* The floor: the least a client can do per request on one keep-alive
 * connection -- one write of a prebuilt request, then reads until the
 * response is complete (find the end of the head, take Content-Length).
 * No validation at all; it only works against the bench's own nginx. */
#include "client.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

typedef struct floor_conn {
    int fd;
    SSL *ssl;
    char req[4096];
    size_t req_len;
    char *buf;      /* receive buffer */
    size_t cap;
} floor_conn;

static long rd(floor_conn *c, char *p, size_t n) {
    if (c->ssl) {
        int k = SSL_read(c->ssl, p, n > 0x7fffffff ? 0x7fffffff : (int)n);
        return k > 0 ? k : -1;
    }
    ssize_t k = read(c->fd, p, n);
    return k > 0 ? k : -1;
}

static void wr(floor_conn *c, const char *p, size_t n) {
    while (n) {
        long k;
        if (c->ssl) {
            int s = SSL_write(c->ssl, p, n > 0x7fffffff ? 0x7fffffff : (int)n);
            k = s > 0 ? s : -1;
        } else {
            k = write(c->fd, p, n);
        }
        if (k <= 0) bench_die("write", "failed");
        p += k;
        n -= (size_t)k;
    }
}

static size_t one(bench_args *a, void *ud) {
    floor_conn *c = ud;
    wr(c, c->req, c->req_len);
    if (a->body) wr(c, a->body, a->body_size);
    size_t have = 0;
    char *end = NULL;
    for (;;) {
        long k = rd(c, c->buf + have, c->cap - have);
        if (k < 0) bench_die("read", "head");
        have += (size_t)k;
        end = memmem(c->buf, have, "\r\n\r\n", 4);
        if (end) break;
        if (have == c->cap) bench_die("read", "head too big");
    }
    size_t head = (size_t)(end + 4 - c->buf);
    size_t len = 0;
    char *cl = memmem(c->buf, head, "Content-Length: ", 16);
    if (cl) len = (size_t)strtoull(cl + 16, NULL, 10);
    size_t got = have - head; /* body bytes already here */
    if (got > len) bench_die("read", "pipelined bytes");
    if (a->piece == 0) {
        /* a fresh buffer per body, as a read() that hands the body to its
         * caller has (reusing one would skip the page faults) */
        char *whole = malloc(len ? len : 1);
        if (!whole) bench_die("malloc", "body");
        memcpy(whole, c->buf + head, got);
        while (got < len) {
            long k = rd(c, whole + got, len - got);
            if (k < 0) bench_die("read", "body");
            got += (size_t)k;
        }
        free(whole);
    } else {
        while (got < len) {
            size_t want = len - got < a->piece ? len - got : a->piece;
            if (want > c->cap) want = c->cap;
            long k = rd(c, c->buf, want);
            if (k < 0) bench_die("read", "body");
            got += (size_t)k;
        }
    }
    return len;
}

int main(int argc, char **argv) {
    bench_args a;
    bench_parse(argc, argv, &a);
    floor_conn c = {0};
    c.cap = a.piece > 65536 ? a.piece : 65536;
    c.buf = malloc(c.cap);
    if (!c.buf) bench_die("malloc", "buffer");
    c.fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)a.port)};
    inet_pton(AF_INET, a.host, &sa.sin_addr);
    if (connect(c.fd, (struct sockaddr *)&sa, sizeof sa) < 0) bench_die("connect", a.host);
    int one_ = 1;
    setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one_, sizeof one_);
    if (a.tls) {
        SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
        c.ssl = SSL_new(ctx);
        SSL_set_fd(c.ssl, c.fd);
        if (SSL_connect(c.ssl) != 1) bench_die("tls", "handshake");
    }
    int n = snprintf(c.req, sizeof c.req, "%s %s HTTP/1.1\r\nHost: %s:%d\r\n", a.method, a.path,
                     a.host, a.port);
    if (a.body)
        n += snprintf(c.req + n, sizeof c.req - (size_t)n, "Content-Length: %zu\r\n", a.body_size);
    n += snprintf(c.req + n, sizeof c.req - (size_t)n, "\r\n");
    c.req_len = (size_t)n;
    bench_run(&a, one, &c);
    return 0;
}
