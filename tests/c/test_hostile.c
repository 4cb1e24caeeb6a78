/* The hostile-server catalog (docs/SECURITY.md): every broken or malicious
 * response the raw server (tests/servers/rawserver.py) can script gives
 * one exact error class, keeps the bytes that did arrive, and leaves the
 * connection object usable for the next request.  Request-side injection
 * is refused before a byte is sent.  Public API only. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "httpc.h"
#include "check.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *host = "127.0.0.1";
static int raw_port;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static httpc_conn *raw_conn(double timeout) {
    httpc_conn *c = httpc_conn_new(host, strlen(host), raw_port, NULL);
    if (!c) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    httpc_conn_set_timeout(c, timeout);
    return c;
}

static int conn_code(httpc_conn *c) { return httpc_error_code(httpc_conn_error(c)); }
static const char *name(int code) {
    const char *n = httpc_code_name(code);
    return n ? n : "?";
}

/* request + getresponse; 0 and *out set, or the failing code */
static int fetch(httpc_conn *c, const char *method, const char *path, httpc_response **out) {
    *out = NULL;
    int rc = httpc_conn_request(c, method, strlen(method), path, strlen(path), NULL, 0, 0);
    if (rc) return rc;
    return httpc_conn_getresponse(c, out);
}

/* The connection object serves a good request after whatever came before:
 * /ok answers "hello". */
static int next_ok(httpc_conn *c) {
    httpc_response *r;
    int rc = fetch(c, "GET", "/ok", &r);
    if (rc) return rc;
    const char *d;
    size_t n;
    rc = httpc_response_read(r, -1, &d, &n);
    if (rc == 0 && (n != 5 || memcmp(d, "hello", 5) != 0)) rc = -1;
    httpc_response_free(r);
    return rc;
}

/* A head the engine must refuse: getresponse fails with `want`; like
 * http.client, the state stays Request-sent (CannotSendRequest) until the
 * caller closes, after which the same object reconnects. */
static void head_error(const char *path, int want, const char *label) {
    GROUP(label);
    httpc_conn *c = raw_conn(5);
    httpc_response *r;
    int rc = fetch(c, "GET", path, &r);
    CHECK(rc == want && httpc_code_is(conn_code(c), want), "%s -> %s (got %s: %s)", path,
          name(want), name(rc), httpc_error_message(httpc_conn_error(c)));
    if (r) httpc_response_free(r);
    if (want == HTTPC_E_LINETOOLONG)
        CHECK(strcmp(httpc_error_what(httpc_conn_error(c)), "status line") == 0 ||
                  strcmp(httpc_error_what(httpc_conn_error(c)), "header line") == 0,
              "what = %s", httpc_error_what(httpc_conn_error(c)));
    CHECK_EQ_INT(next_ok(c), HTTPC_E_CANNOTSENDREQUEST, "no request before close()");
    httpc_conn_close(c);
    CHECK_EQ_INT(next_ok(c), 0, "after close() the next request reconnects");
    httpc_conn_free(c);
}

/* A fresh connection and the response to GET path, whose head must parse;
 * NULL (connection freed) when it does not. */
static httpc_response *accepted(const char *path, const char *label, httpc_conn **out) {
    GROUP(label);
    httpc_conn *c = raw_conn(5);
    httpc_response *r;
    int rc = fetch(c, "GET", path, &r);
    CHECK_EQ_INT(rc, 0, "%s: head accepted (%s)", path, httpc_error_message(httpc_conn_error(c)));
    if (rc) {
        httpc_conn_free(c);
        return NULL;
    }
    *out = c;
    return r;
}

/* A body the engine must refuse: getresponse works, read(-1) fails with
 * `want` and the bytes that did arrive; the next request reconnects. */
static void body_error(const char *path, int want, const char *partial, int64_t expected,
                       const char *label) {
    httpc_conn *c;
    httpc_response *r = accepted(path, label, &c);
    if (!r) return;
    int rc;
    const char *d;
    size_t n;
    rc = httpc_response_read(r, -1, &d, &n);
    CHECK(rc == want, "read -> %s (got %s: %s)", name(want), name(rc),
          httpc_error_message(httpc_response_error(r)));
    if (rc == HTTPC_E_INCOMPLETEREAD) {
        size_t pl;
        const char *p = httpc_error_partial(httpc_response_error(r), &pl);
        CHECK(pl == strlen(partial) && memcmp(p, partial, pl) == 0, "partial = '%.*s'",
              (int)(pl > 40 ? 40 : pl), p);
        CHECK_EQ_INT(httpc_error_expected(httpc_response_error(r)), expected, "expected count");
    }
    if (want == HTTPC_E_LINETOOLONG)
        CHECK(strcmp(httpc_error_what(httpc_response_error(r)), "chunk size") == 0,
              "what = %s", httpc_error_what(httpc_response_error(r)));
    rc = httpc_response_read(r, -1, &d, &n);
    CHECK(rc == 0 || rc == want, "a later read does not crash (%s, %zu bytes)", name(rc), n);
    httpc_response_free(r);
    CHECK_EQ_INT(next_ok(c), 0, "next request on the same object works");
    httpc_conn_free(c);
}

/* A body that must read as `body` exactly (with will_close as given). */
static void body_ok(const char *path, const char *body, int will_close, const char *label) {
    httpc_conn *c;
    httpc_response *r = accepted(path, label, &c);
    if (!r) return;
    int rc;
    CHECK_EQ_INT(httpc_response_will_close(r), will_close, "will_close");
    const char *d;
    size_t n;
    rc = httpc_response_read(r, -1, &d, &n);
    CHECK(rc == 0 && n == strlen(body) && memcmp(d, body, n) == 0, "body of %zu bytes as sent (%s)",
          n, name(rc));
    httpc_response_free(r);
    CHECK_EQ_INT(next_ok(c), 0, "next request on the same object works");
    httpc_conn_free(c);
}

/* Undoes the catalog's \r \n \t escapes in place; "-" is empty. */
static char *unescape(char *f) {
    if (strcmp(f, "-") == 0) return f + 1;
    char *w = f;
    for (char *r = f; *r; r++) {
        if (*r == '\\' && r[1]) {
            r++;
            *w++ = *r == 'r' ? '\r' : *r == 'n' ? '\n' : *r == 't' ? '\t' : *r;
        } else {
            *w++ = *r;
        }
    }
    *w = '\0';
    return f;
}

/* Every case of tests/hostile/catalog.tsv (shared with the Lua spec). */
static void catalog(void) {
    FILE *f = fopen("tests/hostile/catalog.tsv", "r");
    if (!f) {
        GROUP("catalog");
        CHECK(0, "tests/hostile/catalog.tsv is readable (run from the repository root)");
        return;
    }
    char line[1024];
    int cases = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        if (line[0] == '#' || line[0] == '\0') continue;
        char *field[6], *save = NULL;
        int k = 0;
        for (char *t = strtok_r(line, "\t", &save); t && k < 6; t = strtok_r(NULL, "\t", &save))
            field[k++] = t;
        if (k != 6) {
            GROUP("catalog");
            CHECK(0, "a catalog line has 6 fields: %s", line);
            continue;
        }
        const char *kind = field[0], *path = field[1], *label = field[5];
        int want = strcmp(field[2], "-") ? httpc_code_from_name(field[2]) : 0;
        char *text = unescape(field[3]);
        long long num = strcmp(field[4], "-") ? atoll(field[4]) : -1;
        if (strcmp(kind, "head") == 0) head_error(path, want, label);
        else if (strcmp(kind, "body") == 0) body_error(path, want, text, num, label);
        else if (strcmp(kind, "ok") == 0) body_ok(path, text, (int)num, label);
        else {
            GROUP("catalog");
            CHECK(0, "unknown case kind '%s'", kind);
            continue;
        }
        cases++;
    }
    fclose(f);
    GROUP("catalog");
    CHECK(cases >= 40, "%d catalog cases run", cases);
}

/* Bytes after a body-less response are never part of its body: they wait
 * for the next response, whose head they then break (BadStatusLine), as
 * with http.client; the caller closes and the object reconnects. */
static void after_bodyless(const char *method, const char *path, const char *label) {
    GROUP(label);
    httpc_conn *c = raw_conn(5);
    httpc_response *r;
    int rc = fetch(c, method, path, &r);
    CHECK_EQ_INT(rc, 0, "%s %s accepted", method, path);
    if (rc) {
        httpc_conn_free(c);
        return;
    }
    const char *d;
    size_t n;
    rc = httpc_response_read(r, -1, &d, &n);
    CHECK(rc == 0 && n == 0, "empty body (%s, %zu bytes)", name(rc), n);
    CHECK_EQ_INT(httpc_response_closed(r), 1, "closed after the empty body");
    httpc_response_free(r);
    rc = next_ok(c);
    CHECK_EQ_INT(rc, HTTPC_E_BADSTATUSLINE, "the stray bytes break the next head (%s)",
                 httpc_error_message(httpc_conn_error(c)));
    size_t ll;
    const char *line = httpc_error_line(httpc_conn_error(c), &ll);
    CHECK(ll >= 4 && memcmp(line, "JUNK", 4) == 0, "BadStatusLine.line holds them");
    httpc_conn_close(c);
    CHECK_EQ_INT(next_ok(c), 0, "after close() the next request reconnects");
    httpc_conn_free(c);
}

static long vm_hwm_kib(void) {
    FILE *f = fopen("/proc/self/status", "r");
    if (!f) return -1;
    char line[256];
    long v = -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "VmHWM: %ld", &v) == 1) break;
    fclose(f);
    return v;
}

/* Content-Length: 9e18 and then 1000 bytes and EOF: IncompleteRead with
 * those bytes, and memory grows by what arrived, not by what was
 * announced.  Measured in a child so the peak RSS is this case's alone. */
static void giant_length(void) {
    GROUP("Content-Length 9e18 then EOF");
    int pfd[2];
    if (pipe(pfd) < 0) {
        CHECK(0, "pipe");
        return;
    }
    pid_t pid = fork();
    if (pid == 0) {
        close(pfd[0]);
        long before = vm_hwm_kib();
        long res[4] = {0, 0, 0, 0};
        httpc_conn *c = raw_conn(5);
        httpc_response *r;
        res[0] = fetch(c, "GET", "/giant-cl", &r);
        if (res[0] == 0) {
            res[3] = httpc_response_length(r) == 9000000000000000000LL;
            const char *d;
            size_t n;
            res[0] = httpc_response_read(r, -1, &d, &n);
            size_t pl;
            const char *p = httpc_error_partial(httpc_response_error(r), &pl);
            res[1] = (long)pl;
            if (pl != 1000 || memchr(p, 'z', pl) != p ||
                httpc_error_expected(httpc_response_error(r)) != 9000000000000000000LL - 1000)
                res[1] = -(long)pl - 1;
            httpc_response_free(r);
        }
        httpc_conn_free(c);
        res[2] = vm_hwm_kib() - before;
        ssize_t w = write(pfd[1], res, sizeof res);
        _exit(w == (ssize_t)sizeof res ? 0 : 1);
    }
    close(pfd[1]);
    long res[4] = {-99, -99, -99, -99};
    ssize_t got = read(pfd[0], res, sizeof res);
    close(pfd[0]);
    int st;
    waitpid(pid, &st, 0);
    CHECK(got == (ssize_t)sizeof res, "child reported");
    CHECK_EQ_INT(res[3], 1, "length() reports the announced 9e18");
    CHECK_EQ_INT(res[0], HTTPC_E_INCOMPLETEREAD, "read(-1) -> IncompleteRead");
    CHECK_EQ_INT(res[1], 1000, "partial = the 1000 bytes that came; expected = 9e18 - 1000");
    CHECK(res[2] >= 0 && res[2] < 4096, "peak RSS grew by %ld KiB (< 4 MiB)", res[2]);
}

/* Timeouts: per receive, and the whole-exchange deadline. */
static void slow_servers(void) {
    GROUP("one byte per second, timeout 0.5 s");
    httpc_conn *c = raw_conn(0.5);
    httpc_response *r;
    double t0 = now();
    int rc = fetch(c, "GET", "/slow?interval=1", &r);
    double el = now() - t0;
    CHECK_EQ_INT(rc, HTTPC_E_TIMEOUT, "getresponse -> TimeoutError");
    CHECK(el >= 0.45 && el < 0.5 + 0.4, "after %.3f s (timeout 0.5 s)", el);
    if (r) httpc_response_free(r);
    httpc_conn_close(c);
    httpc_conn_set_timeout(c, 5);
    CHECK_EQ_INT(next_ok(c), 0, "after close() the next request works");
    httpc_conn_free(c);

    GROUP("one byte per receive, timeout 2 s");
    c = raw_conn(2);
    rc = fetch(c, "GET", "/slow?interval=0.05", &r);
    CHECK_EQ_INT(rc, 0, "a head that trickles in byte by byte is read (%s)",
                 httpc_error_message(httpc_conn_error(c)));
    if (rc == 0) {
        const char *d;
        size_t n;
        rc = httpc_response_read(r, -1, &d, &n);
        CHECK(rc == 0 && n == 4 && memcmp(d, "slow", 4) == 0, "body 'slow' (%s)", name(rc));
        httpc_response_free(r);
    }
    httpc_conn_free(c);

    GROUP("silence after headers, timeout 1 s");
    c = raw_conn(1);
    rc = fetch(c, "GET", "/silence-after-headers", &r);
    CHECK_EQ_INT(rc, 0, "head arrives");
    if (rc == 0) {
        const char *d;
        size_t n;
        t0 = now();
        rc = httpc_response_read(r, -1, &d, &n);
        el = now() - t0;
        CHECK_EQ_INT(rc, HTTPC_E_TIMEOUT, "read -> TimeoutError");
        CHECK(el >= 0.95 && el < 1.0 + 0.4, "after %.3f s (timeout 1 s)", el);
        httpc_response_free(r);
    }
    CHECK_EQ_INT(next_ok(c), 0, "the next request on the same object works");
    httpc_conn_free(c);

    GROUP("slow drip, timeout 2 s per receive, deadline 1.5 s");
    c = raw_conn(2);
    httpc_conn_set_deadline(c, 1.5);
    t0 = now();
    rc = fetch(c, "GET", "/slow-drip?interval=0.25", &r);
    el = now() - t0;
    CHECK_EQ_INT(rc, HTTPC_E_TIMEOUT, "getresponse -> TimeoutError (%s)",
                 httpc_error_message(httpc_conn_error(c)));
    CHECK(el >= 1.45 && el < 1.5 + 0.4, "after %.3f s (deadline 1.5 s)", el);
    if (r) httpc_response_free(r);
    httpc_conn_close(c);
    httpc_conn_set_deadline(c, -1);
    httpc_conn_set_timeout(c, 5);
    CHECK_EQ_INT(next_ok(c), 0, "after close() the next request works");
    httpc_conn_free(c);
}

/* An echo on an open keep-alive connection: its body is exactly the
 * request the server received. */
static int echo(httpc_conn *c, const char *path, char *out, size_t cap, size_t *outlen) {
    httpc_response *r;
    int rc = fetch(c, "GET", path, &r);
    if (rc) return rc;
    const char *d;
    size_t n;
    rc = httpc_response_read(r, -1, &d, &n);
    if (rc == 0) {
        if (n >= cap) n = cap - 1;
        memcpy(out, d, n);
        out[n] = '\0';
        *outlen = n;
    }
    httpc_response_free(r);
    return rc;
}

static const char want_echo2[] =
    "GET /echo/2 HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nAccept-Encoding: identity\r\n\r\n";

/* After a refused call the next echo shows only the next request, on the
 * same socket. */
static void nothing_sent(httpc_conn *c, int fd_before, const char *what) {
    char body[4096], want[256];
    size_t n = 0;
    int rc = echo(c, "/echo/2", body, sizeof body, &n);
    snprintf(want, sizeof want, want_echo2, raw_port);
    CHECK(rc == 0 && strcmp(body, want) == 0, "%s: nothing reached the server", what);
    CHECK(httpc_conn_fileno(c) == fd_before && fd_before >= 0,
          "%s: same socket, state kept", what);
}

static void request_side(void) {
    struct {
        const char *what;
        const char *method, *url, *hname, *hvalue;
        size_t mlen, ulen, nlen, vlen;
        int want;
    } cases[] = {
        {"CR LF in method", "GET\r\nX: y", "/echo/1", NULL, NULL, 10, 7, 0, 0, HTTPC_E_VALUE},
        {"NUL in method", "GE\0T", "/echo/1", NULL, NULL, 4, 7, 0, 0, HTTPC_E_VALUE},
        {"space in method", "GET /x", "/echo/1", NULL, NULL, 6, 7, 0, 0, HTTPC_E_VALUE},
        {"CR LF in URL", "GET", "/e\r\nX: y", NULL, NULL, 3, 8, 0, 0, HTTPC_E_INVALIDURL},
        {"LF in URL", "GET", "/e\nX", NULL, NULL, 3, 4, 0, 0, HTTPC_E_INVALIDURL},
        {"NUL in URL", "GET", "/e\0x", NULL, NULL, 3, 4, 0, 0, HTTPC_E_INVALIDURL},
        {"space in URL", "GET", "/e HTTP/1.0", NULL, NULL, 3, 11, 0, 0, HTTPC_E_INVALIDURL},
        {"CR LF in header name", "GET", "/echo/1", "X\r\nY", "v", 3, 7, 4, 1, HTTPC_E_VALUE},
        {"colon in header name", "GET", "/echo/1", "X:Y", "v", 3, 7, 3, 1, HTTPC_E_VALUE},
        {"NUL in header name", "GET", "/echo/1", "X\0Y", "v", 3, 7, 3, 1, HTTPC_E_VALUE},
        {"empty header name", "GET", "/echo/1", "", "v", 3, 7, 0, 1, HTTPC_E_VALUE},
        {"CR LF in header value", "GET", "/echo/1", "X-A", "a\r\nX-B: b", 3, 7, 3, 9,
         HTTPC_E_VALUE},
        {"bare LF in header value", "GET", "/echo/1", "X-A", "a\nb", 3, 7, 3, 3, HTTPC_E_VALUE},
        {"bare CR in header value", "GET", "/echo/1", "X-A", "a\rb", 3, 7, 3, 3, HTTPC_E_VALUE},
        {"NUL in header value", "GET", "/echo/1", "X-A", "a\0b", 3, 7, 3, 3, HTTPC_E_VALUE},
        {"obs-fold inside a value", "GET", "/echo/1", "X-A", "a\r\n\tb", 3, 7, 3, 5,
         HTTPC_E_VALUE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        GROUP(cases[i].what);
        httpc_conn *c = raw_conn(5);
        char body[4096];
        size_t n;
        int rc = echo(c, "/echo/0", body, sizeof body, &n);
        CHECK_EQ_INT(rc, 0, "connection open");
        int fd = httpc_conn_fileno(c);
        /* through request() (headers staged) */
        if (cases[i].hname) {
            rc = httpc_conn_request_header(c, cases[i].hname, cases[i].nlen, cases[i].hvalue,
                                           cases[i].vlen);
            CHECK(rc == cases[i].want && conn_code(c) == cases[i].want,
                  "request_header -> %s (got %s)", name(cases[i].want), name(rc));
            /* a refused header dropped the staged ones: this request has none */
            rc = 0;
        } else {
            rc = httpc_conn_request(c, cases[i].method, cases[i].mlen, cases[i].url,
                                    cases[i].ulen, NULL, 0, 0);
            CHECK(rc == cases[i].want && conn_code(c) == cases[i].want,
                  "request -> %s (got %s: %s)", name(cases[i].want), name(rc),
                  httpc_error_message(httpc_conn_error(c)));
        }
        CHECK(strcmp(httpc_conn_state(c), "Idle") == 0, "state Idle (%s)", httpc_conn_state(c));
        nothing_sent(c, fd, "request()");

        /* through putrequest/putheader: the refused header is left out and
         * the request goes on without it */
        fd = httpc_conn_fileno(c);
        if (cases[i].hname) {
            rc = httpc_conn_putrequest(c, "GET", 3, "/echo/3", 7, 0, 0);
            CHECK_EQ_INT(rc, 0, "putrequest");
            rc = httpc_conn_putheader(c, cases[i].hname, cases[i].nlen, cases[i].hvalue,
                                      cases[i].vlen);
            CHECK_EQ_INT(rc, cases[i].want, "putheader refused");
            CHECK(strcmp(httpc_conn_state(c), "Request-started") == 0, "still Request-started");
            rc = httpc_conn_putheader(c, "X-Good", 6, "1", 1);
            if (rc == 0) rc = httpc_conn_endheaders(c, NULL, 0, 0);
            httpc_response *r = NULL;
            if (rc == 0) rc = httpc_conn_getresponse(c, &r);
            const char *d = "";
            size_t dl = 0;
            if (rc == 0) rc = httpc_response_read(r, -1, &d, &dl);
            char want[256];
            snprintf(want, sizeof want,
                     "GET /echo/3 HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
                     "Accept-Encoding: identity\r\nX-Good: 1\r\n\r\n",
                     raw_port);
            CHECK(rc == 0 && dl == strlen(want) && memcmp(d, want, dl) == 0,
                  "the request went without the refused header");
            httpc_response_free(r);
        } else {
            rc = httpc_conn_putrequest(c, cases[i].method, cases[i].mlen, cases[i].url,
                                       cases[i].ulen, 0, 0);
            CHECK_EQ_INT(rc, cases[i].want, "putrequest refused");
            CHECK(strcmp(httpc_conn_state(c), "Idle") == 0, "state Idle");
            nothing_sent(c, fd, "putrequest()");
        }
        httpc_conn_free(c);
    }

    GROUP("CR LF in host");
    const char *h = "127.0.0.1\r\nX-Evil: 1";
    httpc_conn *c = httpc_conn_new(h, strlen(h), raw_port, NULL);
    CHECK(c && conn_code(c) == HTTPC_E_INVALIDURL, "constructor keeps InvalidURL");
    CHECK_EQ_INT(httpc_conn_connect(c), HTTPC_E_INVALIDURL, "connect refused");
    CHECK_EQ_INT(httpc_conn_request(c, "GET", 3, "/", 1, NULL, 0, 0), HTTPC_E_INVALIDURL,
                 "request refused");
    CHECK_EQ_INT(httpc_conn_fileno(c), -1, "no socket was opened");
    httpc_conn_free(c);
    h = "127.0.0.1\0";
    c = httpc_conn_new(h, 10, raw_port, NULL);
    CHECK(c && conn_code(c) == HTTPC_E_INVALIDURL, "NUL in host: InvalidURL");
    httpc_conn_free(c);
    c = raw_conn(5);
    CHECK_EQ_INT(httpc_conn_set_tunnel(c, "a\r\nb", 4, 80), HTTPC_E_INVALIDURL,
                 "set_tunnel host with CR LF: InvalidURL");
    CHECK_EQ_INT(httpc_conn_add_tunnel_header(c, "X", 1, "a\r\nb", 4), HTTPC_E_VALUE,
                 "tunnel header value with CR LF: ValueError");
    CHECK_EQ_INT(next_ok(c), 0, "the connection still works (no tunnel was set)");
    httpc_conn_free(c);
}

int main(void) {
    const char *h = getenv("HTTPC_TEST_HOST");
    if (h && *h) host = h;
    raw_port = check_env_int("HTTPC_TEST_RAW_PORT");
    if (!raw_port) {
        GROUP("hostile");
        SKIP("HTTPC_TEST_RAW_PORT not set (run through tests/run.sh)");
        return check_done();
    }
    catalog();
    after_bodyless("GET", "/204-body", "bytes after a 204");
    after_bodyless("GET", "/304-body", "bytes after a 304");
    after_bodyless("HEAD", "/head-with-body", "a body after a HEAD response");
    giant_length();
    slow_servers();
    request_side();
    return check_done();
}
