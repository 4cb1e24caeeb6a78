/* TLS after the handshake runs on a blocking socket whose SO_RCVTIMEO /
 * SO_SNDTIMEO carry the timeout (one recv() per record; see
 * transport_tls.c).  This proves the timeout and the deadline still fire
 * over TLS, that records without application data (TLS 1.3 session
 * tickets) are not taken for a timeout, and that bodies and keep-alive
 * still work.  Needs the servers tests/run.sh starts. */
#include "check.h"

#include <httpc.h>
#include <time.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static httpc_conn *tls_conn(const char *host, int port) {
    httpc_tls_ctx *t = httpc_tls_ctx_new(HTTPC_TLS_DEFAULT);
    const char *ca = getenv("HTTPC_TEST_CA");
    if (!t || !ca || httpc_tls_ctx_load_verify_locations(t, ca, NULL)) {
        httpc_tls_ctx_free(t);
        return NULL;
    }
    httpc_conn *c = httpc_conn_new(host, strlen(host), port, t);
    httpc_tls_ctx_free(t);
    return c;
}

/* GET path and read the whole body; returns the code, *n the body size. */
static int get(httpc_conn *c, const char *path, int *status, size_t *n) {
    *status = 0;
    *n = 0;
    int rc = httpc_conn_request(c, "GET", 3, path, strlen(path), NULL, 0, HTTPC_BODY_NONE);
    if (rc) return rc;
    httpc_response *r;
    if ((rc = httpc_conn_getresponse(c, &r))) return rc;
    *status = httpc_response_status(r);
    const char *d;
    rc = httpc_response_read(r, -1, &d, n);
    httpc_response_free(r);
    return rc;
}

int main(void) {
    int port = check_env_int("HTTPC_TEST_TLS_PORT");
    if (!port) {
        SKIP("HTTPC_TEST_TLS_PORT not set (run through tests/run.sh)");
        return check_done();
    }
    const char *hosts[] = {"127.0.0.1", "localhost"};
    for (int i = 0; i < 2; i++) {
        GROUP(hosts[i]);
        /* many requests on one connection, timeout set: the session
         * tickets that follow the handshake arrive before the first
         * response and must be read past, not reported as a timeout */
        httpc_conn *c = tls_conn(hosts[i], port);
        CHECK(c != NULL, "connection");
        if (!c) continue;
        httpc_conn_set_timeout(c, 10);
        int ok = 0, status = 0, rc = 0;
        size_t n = 0;
        for (int k = 0; k < 50; k++) {
            rc = get(c, "/100b", &status, &n);
            if (rc || status != 200 || n != 100) break;
            ok++;
        }
        CHECK_EQ_INT(ok, 50, "50 keep-alive GETs with a timeout set (last: %s, %d, %zu bytes)",
                     httpc_code_name(rc), status, n);
        rc = get(c, "/1m", &status, &n);
        CHECK(rc == 0 && status == 200 && n == 1048576, "1 MiB body on the same connection (%s, %zu)",
              httpc_code_name(rc), n);
        rc = get(c, "/64m", &status, &n);
        CHECK(rc == 0 && status == 200 && n == 64u << 20, "64 MiB body (%s, %zu)",
              httpc_code_name(rc), n);

        /* the socket timeout fires over TLS */
        httpc_conn_set_timeout(c, 0.3);
        double t0 = now();
        rc = get(c, "/delay?ms=2000", &status, &n);
        double took = now() - t0;
        CHECK_EQ_INT(rc, HTTPC_E_TIMEOUT, "timeout 0.3 s against a 2 s delay");
        CHECK(took >= 0.25 && took < 1.5, "it fired after %.2f s", took);
        httpc_conn_free(c);

        /* so does the deadline, with no socket timeout */
        c = tls_conn(hosts[i], port);
        if (!c) continue;
        rc = get(c, "/100b", &status, &n); /* handshake first */
        CHECK(rc == 0 && status == 200, "GET before the deadline test (%s)", httpc_code_name(rc));
        httpc_conn_set_deadline(c, 0.3);
        t0 = now();
        rc = get(c, "/delay?ms=2000", &status, &n);
        took = now() - t0;
        CHECK_EQ_INT(rc, HTTPC_E_TIMEOUT, "deadline 0.3 s against a 2 s delay");
        CHECK(took >= 0.25 && took < 1.5, "it fired after %.2f s", took);
        /* a request after the timeout reconnects and succeeds */
        httpc_conn_close(c);
        httpc_conn_set_deadline(c, -1);
        rc = get(c, "/100b", &status, &n);
        CHECK(rc == 0 && status == 200 && n == 100, "a new request after the timeout (%s)",
              httpc_code_name(rc));
        httpc_conn_free(c);
    }
    return check_done();
}
