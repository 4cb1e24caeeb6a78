/* Unit tests of the sans-I/O engine: head parser, chunked decoder, request
 * writer and validators, and the exported error tree.  Every parse is also
 * fed one byte at a time and must give the same result. */
#include "check.h"
#include "internal.h"

#include <string.h>

/* ---- head parser ------------------------------------------------------- */

typedef struct parsed {
    long rc;
    int code;
    head h;
    httpc_error e;
} parsed;

static void parse_all(const char *s, size_t n, bool eof, parsed *p) {
    memset(p, 0, sizeof *p);
    err_init(&p->e);
    head_scan scan = {0};
    p->rc = parse_head(s, n, &scan, eof, &p->h, &p->e);
    p->code = p->e.code;
}

/* Feeds the bytes one at a time over a growing buffer, as a socket might. */
static void parse_bytewise(const char *s, size_t n, bool eof, parsed *p) {
    memset(p, 0, sizeof *p);
    err_init(&p->e);
    head_scan scan = {0};
    p->rc = 0;
    for (size_t i = 1; i <= n && p->rc == 0; i++)
        p->rc = parse_head(s, i, &scan, eof && i == n, &p->h, &p->e);
    p->code = p->e.code;
}

static void parsed_free(parsed *p) {
    head_free(&p->h);
    err_clear(&p->e);
}

static bool field_is(const head *h, size_t i, const char *name, const char *value) {
    return i < h->nfields && h->fields[i].name_len == strlen(name) &&
           memcmp(h->fields[i].name, name, strlen(name)) == 0 &&
           h->fields[i].value_len == strlen(value) &&
           memcmp(h->fields[i].value, value, strlen(value)) == 0;
}

static void same_both_ways(const char *label, const char *s, long want_rc, int want_code) {
    parsed a, b;
    parse_all(s, strlen(s), false, &a);
    parse_bytewise(s, strlen(s), false, &b);
    if (want_rc > 0) CHECK_EQ_INT(a.rc, want_rc, "%s: one shot parses %ld bytes", label, want_rc);
    else if (want_rc == 0) CHECK_EQ_INT(a.rc, 0, "%s: one shot needs more", label);
    else CHECK_EQ_INT(a.code, want_code, "%s: one shot fails with %s", label, httpc_code_name(want_code));
    CHECK_EQ_INT(b.rc, a.rc, "%s: byte by byte gives the same length/result", label);
    CHECK_EQ_INT(b.code, a.code, "%s: byte by byte gives the same error", label);
    CHECK_EQ_INT(b.h.nfields, a.h.nfields, "%s: byte by byte gives the same fields", label);
    parsed_free(&a);
    parsed_free(&b);
}

static void test_heads(void) {
    GROUP("parse_head");
    const char *ok = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5  \r\n"
                     "X-Empty:\r\nSet-Cookie: a=1\r\nset-cookie: b=2\r\n\r\nhello";
    parsed p;
    parse_all(ok, strlen(ok), false, &p);
    CHECK_EQ_INT(p.rc, (long)strlen(ok) - 5, "complete head length excludes the body");
    CHECK_EQ_INT(p.h.status, 200, "status");
    CHECK_EQ_INT(p.h.version, 11, "version 11");
    CHECK(p.h.reason_len == 2 && memcmp(p.h.reason, "OK", 2) == 0, "reason");
    CHECK_EQ_INT(p.h.nfields, 5, "five fields");
    CHECK(field_is(&p.h, 1, "Content-Length", "5"), "trailing whitespace removed from values");
    CHECK(field_is(&p.h, 2, "X-Empty", ""), "empty value");
    size_t count;
    const hfield *f = head_find(&p.h, "SET-COOKIE", &count);
    CHECK(f && count == 2 && field_is(&p.h, 3, "Set-Cookie", "a=1"),
          "case-insensitive lookup finds the first of two");
    parsed_free(&p);
    same_both_ways("simple", ok, (long)strlen(ok) - 5, 0);

    same_both_ways("LF line endings", "HTTP/1.0 404 Not Found\nA: b\n\n", 29, 0);
    same_both_ways("incomplete", "HTTP/1.1 200 OK\r\nA: b\r\n", 0, 0);
    same_both_ways("no reason", "HTTP/1.1 204\r\n\r\n", 16, 0);
    same_both_ways("ICY", "ICY 200 OK\r\n\r\n", -1, HTTPC_E_BADSTATUSLINE);
    same_both_ways("HTTP/2.0", "HTTP/2.0 200 OK\r\n\r\n", -1, HTTPC_E_UNKNOWNPROTOCOL);
    same_both_ways("one-digit code", "HTTP/1.1 2 OK\r\n\r\n", -1, HTTPC_E_BADSTATUSLINE);
    same_both_ways("code over 999", "HTTP/1.1 1000 OK\r\n\r\n", -1, HTTPC_E_BADSTATUSLINE);
    same_both_ways("code below 100", "HTTP/1.1 099 OK\r\n\r\n", -1, HTTPC_E_BADSTATUSLINE);
    same_both_ways("signed code", "HTTP/1.1 +20 OK\r\n\r\n", -1, HTTPC_E_BADSTATUSLINE);
    same_both_ways("HTTP/0.9 body", "<html>hello</html>\n\n", -1, HTTPC_E_BADSTATUSLINE);
    same_both_ways("obs-fold", "HTTP/1.1 200 OK\r\nA: b\r\n c\r\n\r\n", -1, HTTPC_E_HTTPEXCEPTION);
    same_both_ways("space before colon", "HTTP/1.1 200 OK\r\nA : b\r\n\r\n", -1,
                   HTTPC_E_HTTPEXCEPTION);
    same_both_ways("control octet in value", "HTTP/1.1 200 OK\r\nA: b\x01\r\n\r\n", -1,
                   HTTPC_E_HTTPEXCEPTION);
    same_both_ways("bare CR in value", "HTTP/1.1 200 OK\r\nA: b\rc\r\n\r\n", -1,
                   HTTPC_E_HTTPEXCEPTION);
    {
        const char nul[] = "HTTP/1.1 200 OK\r\nA: b\0c\r\n\r\n";
        parse_all(nul, sizeof nul - 1, false, &p);
        CHECK_EQ_INT(p.code, HTTPC_E_HTTPEXCEPTION, "NUL in a value is refused");
        parsed_free(&p);
    }

    /* limits */
    hbuf big = {0};
    hbuf_appendf(&big, "HTTP/1.1 200 ");
    for (int i = 0; i < 70000; i++) hbuf_append(&big, "x", 1);
    parse_all(big.p, big.len, false, &p);
    CHECK(p.code == HTTPC_E_LINETOOLONG && strcmp(p.e.what, "status line") == 0,
          "a 70000-byte status line is LineTooLong(status line) before its end arrives");
    parsed_free(&p);
    hbuf_reset(&big);
    hbuf_appendf(&big, "HTTP/1.1 200 OK\r\nX: ");
    for (int i = 0; i < 70000; i++) hbuf_append(&big, "y", 1);
    hbuf_append(&big, "\r\n\r\n", 4);
    parse_all(big.p, big.len, false, &p);
    CHECK(p.code == HTTPC_E_LINETOOLONG && strcmp(p.e.what, "header line") == 0,
          "a 70000-byte header line is LineTooLong(header line)");
    parsed_free(&p);
    hbuf_reset(&big);
    hbuf_appendf(&big, "HTTP/1.1 200 OK\r\n");
    for (int i = 0; i < 101; i++) hbuf_appendf(&big, "H%d: v\r\n", i);
    hbuf_append(&big, "\r\n", 2);
    parse_all(big.p, big.len, false, &p);
    CHECK(p.code == HTTPC_E_HTTPEXCEPTION && strstr(p.e.msg, "100 headers"),
          "101 headers: HTTPException(got more than 100 headers)");
    parsed_free(&p);
    hbuf_reset(&big);
    hbuf_appendf(&big, "HTTP/1.1 200 OK\r\n");
    for (int i = 0; i < 100; i++) hbuf_appendf(&big, "H%d: v\r\n", i);
    hbuf_append(&big, "\r\n", 2);
    parse_all(big.p, big.len, false, &p);
    CHECK(p.rc == (long)big.len && p.h.nfields == 100, "exactly 100 headers are fine");
    parsed_free(&p);
    hbuf_reset(&big);
    hbuf_appendf(&big, "HTTP/1.1 200 OK\r\n");
    for (int i = 0; i < 90; i++) {
        hbuf_appendf(&big, "H%d: ", i);
        for (int k = 0; k < 4000; k++) hbuf_append(&big, "z", 1);
        hbuf_append(&big, "\r\n", 2);
    }
    parse_all(big.p, big.len, false, &p);
    CHECK(p.code == HTTPC_E_HTTPEXCEPTION, "more than 300 KiB of headers is refused");
    parsed_free(&p);
    hbuf_free(&big);

    parse_all("HTTP/1.1 200 OK\r\nA: b", 21, true, &p);
    CHECK(p.rc == 21 && p.h.nfields == 1 && field_is(&p.h, 0, "A", "b"),
          "EOF mid-head: what came is the head, as http.client reads it");
    parsed_free(&p);
}

/* ---- chunked decoder ----------------------------------------------------- */

/* Decodes `in` given in pieces of `step` bytes; returns the final state and
 * the decoded body in out. */
static int decode(const char *in, size_t n, size_t step, hbuf *out, httpc_error *e) {
    chunked c;
    chunked_init(&c);
    hbuf buf = {0};
    int rc = CHUNK_NEED;
    for (size_t pos = 0; pos < n || hbuf_avail(&buf);) {
        size_t k = n - pos < step ? n - pos : step;
        hbuf_append(&buf, in + pos, k);
        pos += k;
        for (;;) {
            size_t used;
            rc = chunked_frame(&c, hbuf_data(&buf), hbuf_avail(&buf), &used, e);
            hbuf_consume(&buf, used);
            if (rc < 0 || rc == CHUNK_DONE) goto out;
            if (rc == CHUNK_DATA && hbuf_avail(&buf)) {
                size_t take = hbuf_avail(&buf);
                if (take > chunked_left(&c)) take = (size_t)chunked_left(&c);
                hbuf_append(out, hbuf_data(&buf), take);
                hbuf_consume(&buf, take);
                chunked_take(&c, take);
                continue;
            }
            break;
        }
        if (k == 0) break;
    }
out:
    hbuf_free(&buf);
    return rc;
}

static void chunk_case(const char *label, const char *in, int want_rc, const char *want_body,
                       int want_code) {
    for (size_t step = 1; step <= strlen(in) + 1; step = step == 1 ? 3 : step * 4) {
        hbuf out = {0};
        httpc_error e;
        err_init(&e);
        int rc = decode(in, strlen(in), step, &out, &e);
        if (want_rc >= 0) {
            CHECK(rc == want_rc && out.len == strlen(want_body) &&
                      memcmp(out.p, want_body, out.len) == 0,
                  "%s (pieces of %zu)", label, step);
        } else {
            CHECK(rc < 0 && e.code == want_code, "%s fails with %s (pieces of %zu)", label,
                  httpc_code_name(want_code), step);
        }
        hbuf_free(&out);
        err_clear(&e);
    }
}

static void test_chunked(void) {
    GROUP("chunked");
    chunk_case("two chunks", "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", CHUNK_DONE, "hello world", 0);
    chunk_case("extensions and trailers",
               "5;a=b;c=\"d\"\r\nhello\r\n0\r\nX-T: 1\r\nY: 2\r\n\r\n", CHUNK_DONE, "hello", 0);
    chunk_case("upper-case hex and LF lines", "A\nabcdefghij\n0\n\n", CHUNK_DONE, "abcdefghij", 0);
    chunk_case("whitespace before extension", "5 ;x\r\nhello\r\n0\r\n\r\n", CHUNK_DONE, "hello", 0);
    chunk_case("incomplete: stops inside the data", "5\r\nhel", CHUNK_DATA, "hel", 0);
    chunk_case("signed size", "+5\r\nhello\r\n0\r\n\r\n", -1, "", HTTPC_E_INCOMPLETEREAD);
    chunk_case("0x prefix", "0x5\r\nhello\r\n0\r\n\r\n", -1, "", HTTPC_E_INCOMPLETEREAD);
    chunk_case("trailing junk", "5z\r\nhello\r\n0\r\n\r\n", -1, "", HTTPC_E_INCOMPLETEREAD);
    chunk_case("17 hex digits", "00000000000000005\r\nhello\r\n0\r\n\r\n", -1, "",
               HTTPC_E_INCOMPLETEREAD);
    chunk_case("16 hex digits are fine", "0000000000000005\r\nhello\r\n0\r\n\r\n", CHUNK_DONE,
               "hello", 0);
    chunk_case("bare CR after size", "5\rhello\r\n0\r\n\r\n", -1, "", HTTPC_E_INCOMPLETEREAD);
    chunk_case("data longer than its size", "5\r\nhelloX\r\n0\r\n\r\n", -1, "",
               HTTPC_E_INCOMPLETEREAD);
    chunk_case("control octet in extension", "5;\x01\r\nhello\r\n0\r\n\r\n", -1, "",
               HTTPC_E_INCOMPLETEREAD);

    hbuf in = {0};
    hbuf_append(&in, "5;", 2);
    for (int i = 0; i < 70000; i++) hbuf_append(&in, "e", 1);
    hbuf_append(&in, "\r\nhello\r\n0\r\n\r\n", 15);
    hbuf out = {0};
    httpc_error e;
    err_init(&e);
    int rc = decode(in.p, in.len, 4096, &out, &e);
    CHECK(rc < 0 && e.code == HTTPC_E_LINETOOLONG && strcmp(e.what, "chunk size") == 0,
          "a 70000-byte chunk extension is LineTooLong(chunk size)");
    err_clear(&e);
    hbuf_reset(&in);
    hbuf_reset(&out);
    hbuf_append(&in, "0\r\n", 3);
    for (int i = 0; i < 2000; i++) hbuf_append(&in, "X-Trailer: 0123456789012345678901234567890123456789\r\n", 53);
    rc = decode(in.p, in.len, 4096, &out, &e);
    CHECK(rc < 0 && e.code == HTTPC_E_HTTPEXCEPTION, "endless trailers are refused");
    err_clear(&e);
    hbuf_free(&in);
    hbuf_free(&out);
}

/* ---- request writer ------------------------------------------------------ */

static bool buf_is(const hbuf *b, const char *s) {
    return hbuf_avail(b) == strlen(s) && memcmp(hbuf_data(b), s, strlen(s)) == 0;
}

static void test_writer(void) {
    GROUP("write_request");
    hbuf b = {0};
    write_request_line(&b, "GET", 3, "/x?y", 4);
    CHECK(buf_is(&b, "GET /x?y HTTP/1.1\r\n"), "request line");
    hbuf_reset(&b);
    write_request_line(&b, "GET", 3, "", 0);
    CHECK(buf_is(&b, "GET / HTTP/1.1\r\n"), "an empty URL is /");
    hbuf_reset(&b);
    write_host_header(&b, "example.com", 80, 80);
    CHECK(buf_is(&b, "Host: example.com\r\n"), "default port omitted");
    hbuf_reset(&b);
    write_host_header(&b, "example.com", 8080, 80);
    CHECK(buf_is(&b, "Host: example.com:8080\r\n"), "other port included");
    hbuf_reset(&b);
    write_host_header(&b, "::1", 8080, 80);
    CHECK(buf_is(&b, "Host: [::1]:8080\r\n"), "IPv6 in brackets");
    hbuf_reset(&b);
    write_host_header(&b, "fe80::1%eth0", 443, 443);
    CHECK(buf_is(&b, "Host: [fe80::1]\r\n"), "IPv6 zone id not sent");
    hbuf_reset(&b);
    write_header(&b, "A", 1, "v1", 2);
    write_header_continue(&b, "v2", 2);
    CHECK(buf_is(&b, "A: v1\r\n\tv2\r\n"), "several values become continuation lines");
    hbuf_reset(&b);
    write_chunk(&b, "hello world 12345", 17);
    write_last_chunk(&b);
    CHECK(buf_is(&b, "11\r\nhello world 12345\r\n0\r\n\r\n"), "chunk framing in hex");
    hbuf_free(&b);

    httpc_error e;
    err_init(&e);
    CHECK(validate_method("GET", 3, &e) == 0, "GET is a method");
    CHECK(validate_method("GET\r\n", 5, &e) == HTTPC_E_VALUE, "CRLF in method: ValueError");
    CHECK(validate_method("GE T", 4, &e) == HTTPC_E_VALUE, "space in method: ValueError");
    CHECK(validate_url("/a b", 4, &e) == HTTPC_E_INVALIDURL, "space in URL: InvalidURL");
    CHECK(validate_url("/a\nb", 4, &e) == HTTPC_E_INVALIDURL, "LF in URL: InvalidURL");
    CHECK(validate_url("/a\0b", 4, &e) == HTTPC_E_INVALIDURL, "NUL in URL: InvalidURL");
    CHECK(validate_host("h\r\nX: y", 7, &e) == HTTPC_E_INVALIDURL, "CRLF in host: InvalidURL");
    CHECK(validate_header_name("X-A", 3, &e) == 0, "token header name");
    CHECK(validate_header_name("X A", 3, &e) == HTTPC_E_VALUE, "space in name: ValueError");
    CHECK(validate_header_name("X:", 2, &e) == HTTPC_E_VALUE, "colon in name: ValueError");
    CHECK(validate_header_name("", 0, &e) == HTTPC_E_VALUE, "empty name: ValueError");
    CHECK(validate_header_value("a\tb c", 5, &e) == 0, "tab and space in value");
    CHECK(validate_header_value("a\r\nb", 4, &e) == HTTPC_E_VALUE, "CRLF in value: ValueError");
    CHECK(validate_header_value("a\r\n\tb", 5, &e) == HTTPC_E_VALUE,
          "obs-fold inside a value is refused (stricter than http.client)");
    CHECK(validate_header_value("a\0b", 3, &e) == HTTPC_E_VALUE, "NUL in value: ValueError");
    CHECK(validate_header_value("caf\xc3\xa9", 5, &e) == 0, "obs-text allowed");
    err_clear(&e);
}

/* ---- error tree ------------------------------------------------------------ */

static void test_tree(void) {
    GROUP("error tree");
    CHECK(strcmp(httpc_code_name(HTTPC_E_INCOMPLETEREAD), "IncompleteRead") == 0, "names");
    CHECK_EQ_INT(httpc_code_parent(HTTPC_E_INCOMPLETEREAD, 0), HTTPC_E_HTTPEXCEPTION,
                 "IncompleteRead < HTTPException");
    CHECK_EQ_INT(httpc_code_parent(HTTPC_E_REMOTEDISCONNECTED, 0), HTTPC_E_BADSTATUSLINE,
                 "RemoteDisconnected < BadStatusLine");
    CHECK_EQ_INT(httpc_code_parent(HTTPC_E_REMOTEDISCONNECTED, 1), HTTPC_E_CONNECTIONRESET,
                 "RemoteDisconnected < ConnectionResetError");
    CHECK(httpc_code_is(HTTPC_E_REMOTEDISCONNECTED, HTTPC_E_OSERROR), "RemoteDisconnected is an OSError");
    CHECK(httpc_code_is(HTTPC_E_REMOTEDISCONNECTED, HTTPC_E_HTTPEXCEPTION),
          "RemoteDisconnected is an HTTPException");
    CHECK(httpc_code_is(HTTPC_E_CANNOTSENDHEADER, HTTPC_E_IMPROPERCONNECTIONSTATE),
          "CannotSendHeader < ImproperConnectionState");
    CHECK(httpc_code_is(HTTPC_E_SSLCERTVERIFICATION, HTTPC_E_OSERROR), "cert error is OSError");
    CHECK(!httpc_code_is(HTTPC_E_VALUE, HTTPC_E_HTTPEXCEPTION), "ValueError is not HTTPException");
    CHECK_EQ_INT(httpc_code_from_name("TimeoutError"), HTTPC_E_TIMEOUT, "from_name");
    CHECK_EQ_INT(httpc_code_from_name("Nope"), 0, "from_name of an unknown class");
    CHECK(httpc_code_name(HTTPC_E_LAST + 1) == NULL && httpc_code_name(-1) == NULL,
          "unknown codes have no name");
    int named = 0;
    for (int c = HTTPC_E_HTTPEXCEPTION; c <= HTTPC_E_LAST; c++) named += httpc_code_name(c) != NULL;
    CHECK_EQ_INT(named, HTTPC_E_LAST - HTTPC_E_HTTPEXCEPTION + 1, "every error code has a name");
    CHECK(strcmp(httpc_version(), HTTPC_VERSION_STRING) == 0 &&
              httpc_abi_version() == HTTPC_ABI_VERSION,
          "version and ABI number");
}

int main(void) {
    test_heads();
    test_chunked();
    test_writer();
    test_tree();
    return check_done();
}
