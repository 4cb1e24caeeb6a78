/* HTTPConnection / HTTPResponse over real TCP: Debian's nginx, the scripted
 * raw server and tinyproxy, all started by tests/run.sh. */
#include "check.h"
#include "httpc.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int nginx, raw, proxy, deny_proxy;
static const char *docroot;

static httpc_conn *open_conn(int port) {
    return httpc_conn_new("127.0.0.1", 9, port, NULL);
}

static int code_of(httpc_conn *c) { return httpc_error_code(httpc_conn_error(c)); }

static int get(httpc_conn *c, const char *method, const char *path, httpc_response **r) {
    *r = NULL;
    int rc = httpc_conn_request(c, method, strlen(method), path, strlen(path), NULL, 0, 0);
    if (rc) return rc;
    return httpc_conn_getresponse(c, r);
}

static char *slurp(const char *name, size_t *len) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", docroot, name);
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *p = malloc((size_t)n + 1);
    if (p && fread(p, 1, (size_t)n, f) != (size_t)n) {
        free(p);
        p = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return p;
}

static bool body_is(httpc_response *r, const char *want, size_t wlen) {
    const char *d;
    size_t n;
    int rc = httpc_response_read(r, -1, &d, &n);
    if (rc || n != wlen || memcmp(d, want, n) != 0) {
        printf("#   read rc=%d len=%zu: %.*s\n", rc, n, (int)(n > 200 ? 200 : n), d);
        return false;
    }
    return true;
}

static void test_get_and_reads(void) {
    GROUP("GET and reads");
    size_t idx_len, m_len;
    char *idx = slurp("index.html", &idx_len), *m = slurp("1m", &m_len);
    httpc_conn *c = open_conn(nginx);
    httpc_response *r;
    CHECK_EQ_INT(get(c, "GET", "/", &r), HTTPC_OK, "GET /");
    size_t rl;
    const char *reason = httpc_response_reason(r, &rl);
    CHECK(httpc_response_status(r) == 200 && rl == 2 && memcmp(reason, "OK", 2) == 0, "200 OK");
    CHECK_EQ_INT(httpc_response_version(r), 11, "HTTP/1.1");
    CHECK_EQ_INT(httpc_response_length(r), (long long)idx_len, "length from Content-Length");
    const char *v;
    size_t vl;
    CHECK(httpc_response_getheader(r, "content-type", 12, &v, &vl) && vl == 9 &&
              memcmp(v, "text/html", 9) == 0,
          "getheader is case-insensitive");
    CHECK(!httpc_response_getheader(r, "x-missing", 9, &v, &vl), "getheader of a missing header");
    CHECK(httpc_response_header_count(r) >= 4, "headers in arrival order");
    const char *hn;
    size_t hnl;
    httpc_response_header_at(r, 0, &hn, &hnl, &v, &vl);
    CHECK(hnl == 6 && memcmp(hn, "Server", 6) == 0, "first header is nginx's Server");
    CHECK(!httpc_response_closed(r), "not closed before reading");
    int fd1 = httpc_conn_fileno(c);
    CHECK(body_is(r, idx, idx_len), "read() returns index.html");
    CHECK(httpc_response_closed(r), "closed at the end of the body");
    const char *d;
    size_t n;
    CHECK(httpc_response_read(r, -1, &d, &n) == HTTPC_OK && n == 0, "read after the end gives \"\"");
    httpc_response_free(r);

    /* read(200) while not closed, as the documentation's example */
    get(c, "GET", "/", &r);
    size_t total = 0, pieces = 0;
    bool same = true;
    while (!httpc_response_closed(r)) {
        if (httpc_response_read(r, 200, &d, &n) != HTTPC_OK) break;
        same = same && memcmp(d, idx + total, n) == 0 && (n == 200 || total + n == idx_len);
        total += n;
        pieces++;
    }
    CHECK(same && total == idx_len && pieces == (idx_len + 199) / 200,
          "read(200) until closed gives the body in 200-byte pieces");
    CHECK_EQ_INT(httpc_conn_fileno(c), fd1, "keep-alive: the same socket");
    httpc_response_free(r);

    /* 1 MiB binary body with readinto, read1, readline, peek */
    get(c, "GET", "/1m", &r);
    char *buf = malloc(m_len);
    total = 0;
    size_t got;
    int rc;
    while ((rc = httpc_response_readinto(r, buf + total, 65536 < m_len - total ? 65536 : m_len - total, &got)) == 0 && got)
        total += got;
    CHECK(rc == 0 && total == m_len && memcmp(buf, m, m_len) == 0, "readinto: 1 MiB byte-identical");
    httpc_response_free(r);
    get(c, "GET", "/1m", &r);
    total = 0;
    same = true;
    CHECK(httpc_response_peek(r, 10, &d, &n) == 0 && n >= 1 && memcmp(d, m, n < 10 ? n : 10) == 0,
          "peek shows the first bytes");
    while (httpc_response_read1(r, 100000, &d, &n) == 0 && n) {
        same = same && n <= 100000 && memcmp(d, m + total, n) == 0;
        total += n;
    }
    CHECK(same && total == m_len, "read1 pieces add up to the 1 MiB body");
    httpc_response_free(r);
    get(c, "GET", "/", &r);
    total = 0;
    same = true;
    size_t lines = 0;
    while (httpc_response_readline(r, -1, &d, &n) == 0 && n) {
        same = same && memcmp(d, idx + total, n) == 0 && (d[n - 1] == '\n' || total + n == idx_len);
        total += n;
        lines++;
    }
    CHECK(same && total == idx_len && lines > 10, "readline walks the body line by line");
    httpc_response_free(r);
    get(c, "GET", "/", &r);
    CHECK(httpc_response_readline(r, 5, &d, &n) == 0 && n == 5 && memcmp(d, idx, 5) == 0,
          "readline(limit)");
    httpc_conn_close(c);
    CHECK(httpc_response_closed(r) && memcmp(d, idx, 5) == 0,
          "conn.close() closes the unread response; what it returned stays valid");
    httpc_response_close(r);
    CHECK(httpc_response_closed(r), "close() closes");
    CHECK(httpc_response_read(r, -1, &d, &n) == 0 && n == 0, "read after close gives \"\"");
    httpc_response_free(r);
    CHECK_EQ_INT(get(c, "GET", "/100b", &r), HTTPC_OK,
                 "closing an unread response lets the next request reconnect");
    size_t b_len;
    char *b100 = slurp("100b", &b_len);
    CHECK(b100 && body_is(r, b100, b_len), "and reads its body");
    free(b100);
    httpc_response_free(r);

    CHECK_EQ_INT(get(c, "GET", "/parrot.spam", &r), HTTPC_OK, "GET a missing page");
    CHECK_EQ_INT(httpc_response_status(r), 404, "404");
    httpc_response_free(r);
    CHECK_EQ_INT(get(c, "GET", "/chunked", &r), HTTPC_OK, "GET /chunked");
    CHECK(httpc_response_chunked(r) && body_is(r, "chunk1\nchunk2\nchunk3\n", 21), "chunked body");
    httpc_response_free(r);
    CHECK_EQ_INT(get(c, "HEAD", "/", &r), HTTPC_OK, "HEAD /");
    CHECK(httpc_response_length(r) == 0 && !httpc_response_closed(r), "HEAD has no body to read");
    CHECK(httpc_response_read(r, -1, &d, &n) == 0 && n == 0 && httpc_response_closed(r),
          "read() gives \"\" and closes");
    httpc_response_free(r);
    CHECK_EQ_INT(get(c, "GET", "/close", &r), HTTPC_OK, "GET /close");
    CHECK(httpc_response_will_close(r) && httpc_conn_fileno(c) == -1,
          "Connection: close hands the socket to the response");
    CHECK(body_is(r, "bye\n", 4), "which reads its body");
    httpc_response_free(r);
    CHECK_EQ_INT(get(c, "GET", "/100b", &r), HTTPC_OK, "the next request reconnects");
    httpc_response_free(r);
    httpc_conn_free(c);
    free(buf);
    free(idx);
    free(m);
}

static bool echo_has(httpc_response *r, const char *needle) {
    const char *d;
    size_t n;
    if (httpc_response_read(r, -1, &d, &n)) return false;
    bool ok = memmem(d, n, needle, strlen(needle)) != NULL;
    if (!ok) printf("#   echo was: %.*s\n", (int)n, d);
    return ok;
}

static const char *pieces[] = {"abc", "", "defgh", NULL};

static void test_bodies_and_state(void) {
    GROUP("request bodies and states");
    httpc_conn *c = open_conn(nginx);
    httpc_response *r;
    CHECK_EQ_INT(httpc_conn_request(c, "POST", 4, "/echo", 5, "a=1&b=2", 7, HTTPC_BODY_BYTES), 0,
                 "POST a string");
    httpc_conn_getresponse(c, &r);
    CHECK(echo_has(r, "Content-Length: 7\r\n\r\na=1&b=2"), "strings get Content-Length");
    httpc_response_free(r);

    httpc_conn_request_header(c, "X-Order", 7, "1", 1);
    httpc_conn_request(c, "PUT", 3, "/echo", 5, NULL, 0, HTTPC_BODY_STREAM);
    for (int i = 0; pieces[i]; i++) httpc_conn_body_write(c, pieces[i], strlen(pieces[i]));
    httpc_conn_body_end(c);
    httpc_conn_getresponse(c, &r);
    CHECK(echo_has(r, "Transfer-Encoding: chunked\r\nX-Order: 1\r\n\r\nabcdefgh"),
          "a streamed body is chunk-encoded, empty pieces skipped");
    httpc_response_free(r);

    char tmpl[] = "/tmp/httpc-body-XXXXXX";
    int fd = mkstemp(tmpl);
    CHECK(write(fd, "file body", 9) == 9, "temp file");
    lseek(fd, 0, SEEK_SET);
    httpc_conn_set_blocksize(c, 4);
    httpc_conn_request(c, "POST", 4, "/echo", 5, NULL, 0, HTTPC_BODY_STREAM);
    httpc_conn_body_write_fd(c, fd);
    httpc_conn_body_end(c);
    httpc_conn_getresponse(c, &r);
    CHECK(echo_has(r, "\r\n\r\nfile body"), "a file descriptor body in blocksize pieces");
    httpc_response_free(r);
    close(fd);
    unlink(tmpl);

    httpc_conn_request(c, "GET", 3, "/echo", 5, NULL, 0, 0);
    httpc_conn_getresponse(c, &r);
    CHECK(!echo_has(r, "Content-Length"), "GET without body sends no Content-Length");
    httpc_response_free(r);
    httpc_conn_request(c, "POST", 4, "/echo", 5, NULL, 0, 0);
    httpc_conn_getresponse(c, &r);
    CHECK(echo_has(r, "Content-Length: 0\r\n"), "POST without body sends Content-Length: 0");
    httpc_response_free(r);
    httpc_conn_request_header(c, "Transfer-Encoding", 17, "chunked", 7);
    httpc_conn_request(c, "POST", 4, "/echo", 5, "xyz", 3, HTTPC_BODY_BYTES | HTTPC_ENCODE_CHUNKED);
    httpc_conn_getresponse(c, &r);
    CHECK(echo_has(r, "\r\n\r\nxyz"), "encode_chunked with the caller's Transfer-Encoding (nginx decodes)");
    httpc_response_free(r);
    httpc_conn_request_header(c, "Host", 4, "other.example", 13);
    httpc_conn_request_header(c, "Accept-Encoding", 15, "gzip", 4);
    httpc_conn_request(c, "GET", 3, "/echo", 5, NULL, 0, 0);
    httpc_conn_getresponse(c, &r);
    CHECK(echo_has(r, "GET /echo HTTP/1.1\r\nHost: other.example\r\nAccept-Encoding: gzip\r\n\r\n"),
          "the caller's Host and Accept-Encoding replace the defaults");
    httpc_response_free(r);

    /* putrequest / putheader / endheaders / send (to the raw server: nginx
     * refuses continuation lines, as RFC 9112 lets it) */
    httpc_conn_free(c);
    c = open_conn(raw);
    httpc_conn_putrequest(c, "POST", 4, "/echo", 5, 0, 0);
    httpc_conn_putheader(c, "X-Multi", 7, "v1", 2);
    httpc_conn_putheader_continue(c, "v2", 2);
    httpc_conn_putheader(c, "Content-Length", 14, "4", 1);
    httpc_conn_endheaders(c, NULL, 0, 0);
    httpc_conn_send(c, "da", 2);
    httpc_conn_send(c, "ta", 2);
    CHECK_EQ_INT(strcmp(httpc_conn_state(c), "Request-sent"), 0, "Request-sent after endheaders");
    httpc_conn_getresponse(c, &r);
    CHECK(echo_has(r, "X-Multi: v1\r\n\tv2\r\nContent-Length: 4\r\n\r\ndata"),
          "putheader with several values makes continuation lines; send() adds the body");
    httpc_response_free(r);

    CHECK_EQ_INT(httpc_conn_putheader(c, "A", 1, "b", 1), HTTPC_E_CANNOTSENDHEADER,
                 "putheader while Idle: CannotSendHeader");
    CHECK_EQ_INT(httpc_conn_endheaders(c, NULL, 0, 0), HTTPC_E_CANNOTSENDHEADER,
                 "endheaders while Idle: CannotSendHeader");
    httpc_conn_putrequest(c, "GET", 3, "/", 1, 0, 0);
    CHECK_EQ_INT(httpc_conn_putrequest(c, "GET", 3, "/", 1, 0, 0), HTTPC_E_CANNOTSENDREQUEST,
                 "putrequest while Request-started: CannotSendRequest");
    CHECK_EQ_INT(httpc_conn_getresponse(c, &r), HTTPC_E_RESPONSENOTREADY,
                 "getresponse while Request-started: ResponseNotReady");
    CHECK(strcmp(httpc_error_message(httpc_conn_error(c)), "Request-started") == 0,
          "ResponseNotReady names the state, as http.client");
    httpc_conn_endheaders(c, NULL, 0, 0);
    httpc_conn_getresponse(c, &r);
    httpc_conn_request(c, "GET", 3, "/", 1, NULL, 0, 0);
    httpc_response *r2;
    CHECK_EQ_INT(httpc_conn_getresponse(c, &r2), HTTPC_E_RESPONSENOTREADY,
                 "an unread previous response: ResponseNotReady");
    httpc_response_free(r);
    httpc_conn_close(c);
    CHECK_EQ_INT(strcmp(httpc_conn_state(c), "Idle"), 0, "close returns to Idle");

    /* refused input leaves the state as it was */
    CHECK_EQ_INT(httpc_conn_request(c, "GET\r\n", 5, "/", 1, NULL, 0, 0), HTTPC_E_VALUE,
                 "CRLF in the method: ValueError");
    CHECK_EQ_INT(httpc_conn_request(c, "GET", 3, "/ HTTP/1.1\r\nX: y", 16, NULL, 0, 0),
                 HTTPC_E_INVALIDURL, "CRLF in the URL: InvalidURL");
    CHECK_EQ_INT(httpc_conn_request_header(c, "X-A", 3, "a\r\nInjected: 1", 15), HTTPC_E_VALUE,
                 "CRLF in a header value: ValueError");
    CHECK_EQ_INT(httpc_conn_request_header(c, "X\nA", 3, "a", 1), HTTPC_E_VALUE,
                 "LF in a header name: ValueError");
    CHECK_EQ_INT(strcmp(httpc_conn_state(c), "Idle"), 0, "still Idle");
    CHECK_EQ_INT(get(c, "GET", "/ok", &r), HTTPC_OK, "and the next request works");
    httpc_response_free(r);
    httpc_conn_free(c);
}

static void test_raw_errors(void) {
    GROUP("errors from the raw server");
    httpc_conn *c = open_conn(raw);
    httpc_response *r;
    const char *d;
    size_t n, plen;
    get(c, "GET", "/truncated-cl", &r);
    int rc = httpc_response_read(r, -1, &d, &n);
    const char *partial = httpc_error_partial(httpc_response_error(r), &plen);
    CHECK(rc == HTTPC_E_INCOMPLETEREAD && plen == 10 && memcmp(partial, "0123456789", 10) == 0 &&
              httpc_error_expected(httpc_response_error(r)) == 90,
          "truncated Content-Length: IncompleteRead(10 bytes, 90 expected)");
    httpc_response_free(r);
    get(c, "GET", "/truncated-chunked", &r);
    rc = httpc_response_read(r, -1, &d, &n);
    partial = httpc_error_partial(httpc_response_error(r), &plen);
    CHECK(rc == HTTPC_E_INCOMPLETEREAD && plen == 5 && memcmp(partial, "hello", 5) == 0 &&
              httpc_error_expected(httpc_response_error(r)) == -1,
          "truncated chunked: IncompleteRead with the chunk that came");
    httpc_response_free(r);
    get(c, "GET", "/truncated-cl", &r);
    char buf[64];
    size_t got;
    CHECK(httpc_response_readinto(r, buf, sizeof buf, &got) == 0 && got == 10,
          "readinto first delivers the 10 bytes that came");
    CHECK_EQ_INT(httpc_response_readinto(r, buf, sizeof buf, &got), HTTPC_E_INCOMPLETEREAD,
                 "then IncompleteRead");
    httpc_response_free(r);

    rc = get(c, "GET", "/close-no-response", &r);
    CHECK(rc == HTTPC_E_REMOTEDISCONNECTED && httpc_code_is(rc, HTTPC_E_CONNECTIONRESET) &&
              httpc_code_is(rc, HTTPC_E_BADSTATUSLINE),
          "RemoteDisconnected, also a ConnectionResetError and a BadStatusLine");
    CHECK_EQ_INT(strcmp(httpc_conn_state(c), "Idle"), 0, "and the connection is closed");
    rc = get(c, "GET", "/reset", &r);
    CHECK(httpc_code_is(rc, HTTPC_E_CONNECTIONRESET), "a reset: ConnectionResetError (%s)",
          httpc_code_name(rc));
    rc = get(c, "GET", "/long-status", &r);
    CHECK(rc == HTTPC_E_LINETOOLONG && strcmp(httpc_error_what(httpc_conn_error(c)), "status line") == 0,
          "LineTooLong(status line)");
    httpc_conn_close(c);
    rc = get(c, "GET", "/long-header", &r);
    CHECK(rc == HTTPC_E_LINETOOLONG && strcmp(httpc_error_what(httpc_conn_error(c)), "header line") == 0,
          "LineTooLong(header line)");
    httpc_conn_close(c);
    rc = get(c, "GET", "/many-headers", &r);
    CHECK(rc == HTTPC_E_HTTPEXCEPTION &&
              strstr(httpc_error_message(httpc_conn_error(c)), "got more than 100 headers"),
          "HTTPException(got more than 100 headers)");
    httpc_conn_close(c);
    rc = get(c, "GET", "/bad-status", &r);
    size_t ll;
    const char *line = httpc_error_line(httpc_conn_error(c), &ll);
    CHECK(rc == HTTPC_E_BADSTATUSLINE && ll == 12 && memcmp(line, "ICY 200 OK\r\n", 12) == 0,
          "BadStatusLine carries the line");
    CHECK_EQ_INT(get(c, "GET", "/ok", &r), HTTPC_E_CANNOTSENDREQUEST,
                 "as http.client: a protocol error leaves Request-sent until close()");
    httpc_conn_close(c);
    rc = get(c, "GET", "/http2", &r);
    CHECK_EQ_INT(rc, HTTPC_E_UNKNOWNPROTOCOL, "HTTP/2.0: UnknownProtocol");
    httpc_conn_close(c);

    CHECK_EQ_INT(get(c, "GET", "/interim", &r), HTTPC_OK, "interim responses");
    CHECK(httpc_response_status(r) == 200 && body_is(r, "ok", 2), "100/102/103 skipped");
    httpc_response_free(r);
    get(c, "GET", "/repeated", &r);
    const char *v;
    size_t vl;
    CHECK(httpc_response_getheader(r, "set-cookie", 10, &v, &vl) && vl == strlen("a=1, b=2; Path=/") &&
              memcmp(v, "a=1, b=2; Path=/", vl) == 0,
          "repeated headers joined with \", \" (%.*s)", (int)vl, v);
    httpc_response_free(r);
    get(c, "GET", "/chunked-trailers", &r);
    CHECK(body_is(r, "hello world", 11), "chunked with extensions and trailers");
    httpc_response_free(r);
    get(c, "GET", "/http10", &r);
    CHECK(httpc_response_version(r) == 10 && httpc_response_will_close(r) &&
              body_is(r, "until close", 11),
          "HTTP/1.0 body until close");
    httpc_response_free(r);
    get(c, "GET", "/nul-body", &r);
    CHECK(body_is(r, "a\0b\0c", 5), "NUL bytes in a body");
    httpc_response_free(r);

    /* keep-alive reuse and reconnect, counted by the server */
    httpc_conn_close(c);
    get(c, "GET", "/keepalive-count", &r);
    CHECK(body_is(r, "1", 1), "first request on a new connection");
    httpc_response_free(r);
    get(c, "GET", "/keepalive-count", &r);
    CHECK(body_is(r, "2", 1), "second request reuses it");
    httpc_response_free(r);
    httpc_conn_close(c);
    get(c, "GET", "/keepalive-count", &r);
    CHECK(body_is(r, "1", 1), "after close() the next request reconnects");
    httpc_response_free(r);

    /* a response outlives its connection */
    get(c, "GET", "/ok", &r);
    httpc_conn_free(c);
    CHECK(body_is(r, "hello", 5), "a response is readable after its connection is freed");
    httpc_response_free(r);

    /* timeouts */
    c = open_conn(raw);
    httpc_conn_set_timeout(c, 0.3);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    rc = get(c, "GET", "/silence", &r);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double el = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    CHECK(rc == HTTPC_E_TIMEOUT && el >= 0.25 && el < 1.5, "silence: TimeoutError after %.2fs", el);
    httpc_conn_close(c);
    get(c, "GET", "/silence-after-headers", &r);
    rc = r ? httpc_response_read(r, -1, &d, &n) : -1;
    CHECK(rc == HTTPC_E_TIMEOUT && httpc_code_is(rc, HTTPC_E_OSERROR), "silence after the head: TimeoutError");
    httpc_response_free(r);
    httpc_conn_free(c);
}

static void test_addresses(void) {
    GROUP("addresses");
    httpc_conn *c = httpc_conn_new("h:abc", 5, -1, NULL);
    CHECK(c && code_of(c) == HTTPC_E_INVALIDURL &&
              strcmp(httpc_error_message(httpc_conn_error(c)), "nonnumeric port: 'abc'") == 0,
          "nonnumeric port: InvalidURL");
    httpc_response *r;
    CHECK_EQ_INT(get(c, "GET", "/", &r), HTTPC_E_INVALIDURL, "and every call says so");
    httpc_conn_free(c);
    c = httpc_conn_new("h:", 2, -1, NULL);
    CHECK(c && code_of(c) == HTTPC_E_INVALIDURL, "an empty port: InvalidURL");
    httpc_conn_free(c);
    c = httpc_conn_new("h\r\nX:1", 7, 80, NULL);
    CHECK(c && code_of(c) == HTTPC_E_INVALIDURL, "control characters in the host: InvalidURL");
    httpc_conn_free(c);
    char hp[64];
    snprintf(hp, sizeof hp, "[::1]:%d", nginx);
    c = httpc_conn_new(hp, strlen(hp), -1, NULL);
    CHECK(strcmp(httpc_conn_host(c), "::1") == 0 && httpc_conn_port(c) == nginx, "[::1]:port parsed");
    CHECK_EQ_INT(get(c, "GET", "/echo", &r), HTTPC_OK, "IPv6 request");
    char want[64];
    snprintf(want, sizeof want, "Host: [::1]:%d\r\n", nginx);
    CHECK(r && echo_has(r, want), "Host header with brackets and port");
    httpc_response_free(r);
    httpc_conn_free(c);
    c = httpc_conn_new("localhost", 9, nginx, NULL);
    CHECK_EQ_INT(get(c, "GET", "/100b", &r), HTTPC_OK, "localhost resolves (every address tried)");
    httpc_response_free(r);
    httpc_conn_free(c);

    c = open_conn(nginx);
    CHECK_EQ_INT(httpc_conn_set_source_address(c, "127.0.0.1", 9, 0), 0, "source_address");
    CHECK_EQ_INT(httpc_conn_connect(c), 0, "connect from 127.0.0.1");
    struct sockaddr_in sa;
    socklen_t sl = sizeof sa;
    getsockname(httpc_conn_fileno(c), (struct sockaddr *)&sa, &sl);
    CHECK(sa.sin_addr.s_addr == htonl(INADDR_LOOPBACK), "bound to the source address");
    CHECK_EQ_INT(httpc_conn_set_tunnel(c, "x", 1, 80), HTTPC_E_RUNTIME,
                 "set_tunnel after connect: RuntimeError");
    httpc_conn_free(c);

    /* a refused port: bind a socket, learn its port, close it */
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    bind(s, (struct sockaddr *)&a, sizeof a);
    sl = sizeof a;
    getsockname(s, (struct sockaddr *)&a, &sl);
    int dead = ntohs(a.sin_port);
    close(s);
    c = open_conn(dead);
    int rc = httpc_conn_connect(c);
    CHECK(rc == HTTPC_E_CONNECTIONREFUSED && httpc_error_errno(httpc_conn_error(c)) == ECONNREFUSED,
          "ConnectionRefusedError with errno");
    httpc_conn_free(c);
    c = httpc_conn_new("no-such-host.invalid", 20, 80, NULL);
    CHECK_EQ_INT(httpc_conn_connect(c), HTTPC_E_NAMERESOLUTION, "NameResolutionError");
    httpc_conn_free(c);
}

static int hbuf_sink_len;
static char sink_buf[65536];
static void sink(void *ud, const char *line, size_t len) {
    (void)ud;
    if (hbuf_sink_len + len < sizeof sink_buf) {
        memcpy(sink_buf + hbuf_sink_len, line, len);
        hbuf_sink_len += (int)len;
    }
}

static void test_debug_and_tunnel(void) {
    GROUP("debuglevel and tunnel");
    httpc_conn *c = open_conn(raw);
    httpc_conn_set_debuglevel(c, 1);
    httpc_conn_set_debug_sink(c, sink, NULL);
    httpc_response *r;
    get(c, "GET", "/ok", &r);
    body_is(r, "hello", 5);
    httpc_response_free(r);
    sink_buf[hbuf_sink_len] = 0;
    char want[128];
    snprintf(want, sizeof want, "send: b'GET /ok HTTP/1.1\\r\\nHost: 127.0.0.1:%d\\r\\nAccept-Encoding: identity\\r\\n\\r\\n'\n", raw);
    CHECK(strstr(sink_buf, want) != NULL, "send: line as http.client prints it");
    CHECK(strstr(sink_buf, "reply: 'HTTP/1.1 200 OK\\r\\n'\n") != NULL, "reply: line");
    CHECK(strstr(sink_buf, "header: Content-Length: 5\n") != NULL, "header: lines");
    httpc_conn_set_debug_sink(c, NULL, NULL);
    get(c, "GET", "/ok", &r);
    httpc_response_free(r);
    size_t kl;
    const char *kept = httpc_conn_debug_take(c, &kl);
    CHECK(kl > 0 && memmem(kept, kl, "reply: 'HTTP/1.1 200 OK\\r\\n'", 26), "kept-lines mode");
    httpc_conn_debug_take(c, &kl);
    CHECK_EQ_INT(kl, 0, "taken once");
    httpc_conn_free(c);

    /* CONNECT through tinyproxy to the plain nginx */
    c = open_conn(proxy);
    char target[64];
    snprintf(target, sizeof target, "127.0.0.1:%d", nginx);
    CHECK_EQ_INT(httpc_conn_set_tunnel(c, target, strlen(target), -1), 0, "set_tunnel");
    httpc_conn_add_tunnel_header(c, "Proxy-Authorization", 19, "Basic eDp5", 10);
    CHECK_EQ_INT(get(c, "GET", "/echo", &r), HTTPC_OK, "GET through the tunnel");
    snprintf(want, sizeof want, "Host: 127.0.0.1:%d\r\n", nginx);
    CHECK(r && echo_has(r, want), "Host names the tunnel's target");
    httpc_response_free(r);
    httpc_conn_free(c);
    c = open_conn(deny_proxy);
    httpc_conn_set_tunnel(c, target, strlen(target), -1);
    int rc = get(c, "GET", "/", &r);
    CHECK(rc == HTTPC_E_OSERROR &&
              strstr(httpc_error_message(httpc_conn_error(c)), "Tunnel connection failed: 403 Forbidden"),
          "a refused CONNECT: OSError with the proxy's status (%s)", httpc_error_message(httpc_conn_error(c)));
    CHECK_EQ_INT(httpc_conn_fileno(c), -1, "and the connection is closed");
    httpc_conn_free(c);
}

int main(void) {
    nginx = check_env_int("HTTPC_TEST_NGINX_PORT");
    raw = check_env_int("HTTPC_TEST_RAW_PORT");
    proxy = check_env_int("HTTPC_TEST_PROXY_PORT");
    deny_proxy = check_env_int("HTTPC_TEST_PROXY_DENY_PORT");
    docroot = getenv("HTTPC_TEST_DOCROOT");
    if (!nginx || !raw || !docroot) {
        printf("not ok - the test servers are not running (use tests/run.sh)\n");
        return check_done() | 1;
    }
    test_get_and_reads();
    test_bodies_and_state();
    test_raw_errors();
    test_addresses();
    test_debug_and_tunnel();
    return check_done();
}
