/* The example sessions of the http.client documentation (GET, read(200)
 * while not closed, 404, HEAD, POST form, PUT), in C against the local
 * nginx, printed in the documentation's shape and checked. */
#include "check.h"
#include "httpc.h"

#include <string.h>

static httpc_response *fetch(httpc_conn *c, const char *method, const char *url,
                             const char *body, size_t blen) {
    httpc_response *r = NULL;
    if (httpc_conn_request(c, method, strlen(method), url, strlen(url), body, blen,
                           body ? HTTPC_BODY_BYTES : HTTPC_BODY_NONE) ||
        httpc_conn_getresponse(c, &r)) {
        printf("# %s\n", httpc_error_message(httpc_conn_error(c)));
        return NULL;
    }
    return r;
}

static void print_status(httpc_response *r) {
    size_t rl;
    const char *reason = httpc_response_reason(r, &rl);
    printf(">>> print(r.status, r.reason)\n%d %.*s\n", httpc_response_status(r), (int)rl, reason);
}

int main(void) {
    int port = check_env_int("HTTPC_TEST_NGINX_PORT");
    if (!port) {
        printf("not ok - HTTPC_TEST_NGINX_PORT is not set (use tests/run.sh)\n");
        return check_done() | 1;
    }
    const char *d;
    size_t n;
    GROUP("GET example");
    httpc_conn *conn = httpc_conn_new("localhost", 9, port, NULL);
    httpc_response *r1 = fetch(conn, "GET", "/", NULL, 0);
    CHECK(r1 != NULL, "conn.request(\"GET\", \"/\")");
    if (!r1) return check_done();
    print_status(r1);
    CHECK(httpc_response_status(r1) == 200, "200 OK");
    CHECK(httpc_response_read(r1, -1, &d, &n) == 0 && n > 0, "data1 = r1.read() (%zu bytes)", n);
    httpc_response_free(r1);

    r1 = fetch(conn, "GET", "/", NULL, 0);
    size_t total = 0, calls = 0;
    while (r1 && !httpc_response_closed(r1)) {
        if (httpc_response_read(r1, 200, &d, &n)) break;
        if (calls < 2) printf("b'%.*s'...\n", (int)(n > 20 ? 20 : n), d);
        total += n;
        calls++;
    }
    CHECK(r1 && httpc_response_closed(r1) && total > 0, "while not r1.closed: r1.read(200) (%zu calls)", calls);
    httpc_response_free(r1);

    httpc_response *r2 = fetch(conn, "GET", "/parrot.spam", NULL, 0);
    CHECK(r2 != NULL, "conn.request(\"GET\", \"/parrot.spam\")");
    if (r2) {
        print_status(r2);
        size_t rl;
        const char *reason = httpc_response_reason(r2, &rl);
        CHECK(httpc_response_status(r2) == 404 && rl == 9 && memcmp(reason, "Not Found", 9) == 0,
              "404 Not Found");
        CHECK(httpc_response_read(r2, -1, &d, &n) == 0, "data2 = r2.read()");
        httpc_response_free(r2);
    }
    httpc_conn_close(conn);

    GROUP("HEAD example");
    httpc_response *res = fetch(conn, "HEAD", "/", NULL, 0);
    if (res) {
        print_status(res);
        CHECK(httpc_response_read(res, -1, &d, &n) == 0 && n == 0, "len(data) == 0");
        printf(">>> print(len(data))\n%zu\n", n);
        httpc_response_free(res);
    } else {
        CHECK(0, "HEAD request");
    }

    GROUP("POST example");
    const char *params = "%40number=12524&%40type=issue&%40action=show";
    httpc_conn_request_header(conn, "Content-type", 12, "application/x-www-form-urlencoded", 33);
    httpc_conn_request_header(conn, "Accept", 6, "text/plain", 10);
    httpc_response *response = fetch(conn, "POST", "/form", params, strlen(params));
    if (response) {
        print_status(response);
        size_t rl;
        const char *reason = httpc_response_reason(response, &rl);
        CHECK(httpc_response_status(response) == 302 && rl == 5 && memcmp(reason, "Found", 5) == 0,
              "302 Found");
        CHECK(httpc_response_read(response, -1, &d, &n) == 0 && n > 0 &&
                  memmem(d, n, "Redirecting to", 14),
              "data: b'%.*s'", (int)n, d);
        httpc_response_free(response);
    } else {
        CHECK(0, "POST request");
    }
    httpc_conn_close(conn);

    GROUP("PUT example");
    const char *BODY = "***filecontents***";
    response = fetch(conn, "PUT", "/file", BODY, strlen(BODY));
    if (response) {
        print_status(response);
        CHECK(httpc_response_status(response) / 100 == 2, "PUT accepted");
        CHECK(httpc_response_read(response, -1, &d, &n) == 0 && memmem(d, n, "18", 2),
              "the server stored 18 bytes: %.*s", (int)n, d);
        httpc_response_free(response);
    } else {
        CHECK(0, "PUT request");
    }
    httpc_conn_free(conn);
    return check_done();
}
