/* The caller-driven transport: a whole exchange with no socket at all.
 * The test plays the network: it takes what the connection wants sent and
 * feeds the server's bytes in small pieces. */
#include "check.h"
#include "httpc.h"

#include <string.h>

static int feed_pieces(httpc_conn *c, const char *s, size_t n, size_t step) {
    for (size_t i = 0; i < n; i += step) {
        size_t k = n - i < step ? n - i : step;
        if (httpc_conn_feed(c, s + i, k)) return -1;
    }
    return 0;
}

static bool output_is(httpc_conn *c, const char *want) {
    size_t n;
    const char *p = httpc_conn_output(c, &n);
    bool ok = n == strlen(want) && memcmp(p, want, n) == 0;
    if (!ok) printf("#   output: %.*s\n", (int)n, p);
    httpc_conn_consume(c, n);
    return ok;
}

int main(void) {
    GROUP("driven");
    httpc_conn *c = httpc_conn_new("example.test", 12, -1, NULL);
    CHECK_EQ_INT(httpc_conn_set_driven(c, 1), HTTPC_OK, "set_driven");
    CHECK_EQ_INT(httpc_conn_request(c, "GET", 3, "/a", 2, NULL, 0, 0), HTTPC_WANT_CONNECT,
                 "a request before the caller connects asks for a connection");
    CHECK_EQ_INT(strcmp(httpc_conn_state(c), "Idle"), 0, "and leaves the state Idle");
    CHECK_EQ_INT(httpc_conn_connect(c), HTTPC_OK, "connect marks the caller's transport open");
    CHECK_EQ_INT(httpc_conn_request(c, "GET", 3, "/a", 2, NULL, 0, 0), HTTPC_OK,
                 "the request queues without blocking");
    httpc_response *r = NULL;
    CHECK_EQ_INT(httpc_conn_getresponse(c, &r), HTTPC_WANT_WRITE,
                 "getresponse first wants the request sent");
    CHECK(output_is(c, "GET /a HTTP/1.1\r\nHost: example.test\r\nAccept-Encoding: identity\r\n\r\n"),
          "the request bytes are exactly http.client's");
    CHECK_EQ_INT(httpc_conn_getresponse(c, &r), HTTPC_WANT_READ, "then it wants bytes");
    const char *resp1 = "HTTP/1.1 200 OK\r\nContent-Length: 11\r\nX-A: 1\r\n\r\nhello";
    feed_pieces(c, resp1, strlen(resp1), 3);
    CHECK_EQ_INT(httpc_conn_getresponse(c, &r), HTTPC_OK, "the head parses from fed bytes");
    CHECK(r && httpc_response_status(r) == 200, "status 200");
    const char *d;
    size_t n;
    CHECK_EQ_INT(httpc_response_read(r, -1, &d, &n), HTTPC_WANT_READ,
                 "read() of a body not all here wants more");
    feed_pieces(c, " world", 6, 1);
    CHECK(httpc_response_read(r, -1, &d, &n) == HTTPC_OK && n == 11 &&
              memcmp(d, "hello world", 11) == 0,
          "the repeated read() returns the whole body, nothing lost between calls");
    CHECK(httpc_response_closed(r), "the response is closed at its end");
    CHECK(!httpc_conn_wants_close(c), "keep-alive: the caller keeps its transport");
    httpc_response_free(r);

    /* a chunked response on the same connection, read with readinto */
    CHECK_EQ_INT(httpc_conn_request(c, "POST", 4, "/b", 2, "xyz", 3, HTTPC_BODY_BYTES), HTTPC_OK,
                 "second request with a body");
    CHECK(output_is(c, "POST /b HTTP/1.1\r\nHost: example.test\r\nAccept-Encoding: identity\r\n"
                       "Content-Length: 3\r\n\r\nxyz"),
          "head and body leave together, with Content-Length");
    const char *resp2 = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n"
                        "4;ext=1\r\nabcd\r\n3\r\nefg\r\n0\r\nTrailer: x\r\n\r\n";
    feed_pieces(c, resp2, strlen(resp2), 1);
    r = NULL;
    CHECK(httpc_conn_getresponse(c, &r) == HTTPC_OK && httpc_response_status(r) == 201,
          "the 100 interim response is skipped");
    char buf[64];
    size_t total = 0, got = 0;
    int rc;
    while ((rc = httpc_response_readinto(r, buf + total, sizeof buf - total, &got)) == HTTPC_OK && got)
        total += got;
    CHECK(rc == HTTPC_OK && total == 7 && memcmp(buf, "abcdefg", 7) == 0,
          "readinto decodes the chunks");
    CHECK(httpc_response_closed(r), "closed after the last chunk and trailers");
    httpc_response_free(r);

    /* Connection: close hands the transport to the response */
    httpc_conn_request(c, "GET", 3, "/c", 2, NULL, 0, 0);
    output_is(c, "GET /c HTTP/1.1\r\nHost: example.test\r\nAccept-Encoding: identity\r\n\r\n");
    const char *resp3 = "HTTP/1.0 200 OK\r\n\r\nuntil close";
    feed_pieces(c, resp3, strlen(resp3), 7);
    r = NULL;
    CHECK_EQ_INT(httpc_conn_getresponse(c, &r), HTTPC_OK, "HTTP/1.0 response");
    CHECK(httpc_response_will_close(r), "no length, HTTP/1.0: will_close");
    CHECK_EQ_INT(httpc_response_read(r, -1, &d, &n), HTTPC_WANT_READ, "body runs until EOF");
    httpc_conn_feed_eof(c);
    CHECK(httpc_response_read(r, -1, &d, &n) == HTTPC_OK && n == 11 &&
              memcmp(d, "until close", 11) == 0,
          "EOF ends the body");
    CHECK(httpc_conn_wants_close(c), "the caller is told to close its transport");
    httpc_response_free(r);
    CHECK_EQ_INT(httpc_conn_request(c, "GET", 3, "/d", 2, NULL, 0, 0), HTTPC_WANT_CONNECT,
                 "the next request asks for a new transport");

    /* a truncated body: IncompleteRead with what arrived */
    httpc_conn_connect(c);
    httpc_conn_request(c, "GET", 3, "/d", 2, NULL, 0, 0);
    output_is(c, "GET /d HTTP/1.1\r\nHost: example.test\r\nAccept-Encoding: identity\r\n\r\n");
    const char *resp4 = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123";
    feed_pieces(c, resp4, strlen(resp4), 100);
    r = NULL;
    httpc_conn_getresponse(c, &r);
    CHECK_EQ_INT(httpc_response_read(r, -1, &d, &n), HTTPC_WANT_READ, "waiting for 6 more bytes");
    httpc_conn_feed_eof(c);
    rc = httpc_response_read(r, -1, &d, &n);
    size_t plen;
    const char *partial = httpc_error_partial(httpc_response_error(r), &plen);
    CHECK(rc == HTTPC_E_INCOMPLETEREAD && plen == 4 && memcmp(partial, "0123", 4) == 0 &&
              httpc_error_expected(httpc_response_error(r)) == 6,
          "IncompleteRead carries the 4 bytes that came and the 6 missing");
    httpc_response_free(r);

    /* with a TLS context, TLS belongs to the caller's transport: the
     * connection still knows it is HTTPS (default port 443) */
    httpc_tls_ctx *ctx = httpc_tls_ctx_new(HTTPC_TLS_DEFAULT);
    httpc_conn *t = httpc_conn_new("example.test", 12, -1, ctx);
    CHECK_EQ_INT(httpc_conn_set_driven(t, 1), HTTPC_OK, "a TLS connection can be driven");
    httpc_conn_connect(t);
    httpc_conn_request(t, "GET", 3, "/", 1, NULL, 0, 0);
    CHECK(output_is(t, "GET / HTTP/1.1\r\nHost: example.test\r\nAccept-Encoding: identity\r\n\r\n"),
          "plain HTTP bytes for the caller's TLS, Host without :443");
    httpc_conn_free(t);
    httpc_tls_ctx_free(ctx);
    httpc_conn_free(c);
    return check_done();
}
