/* Handles are independent (no global mutable state): 8 threads, each with
 * its own connections, 200 requests each against nginx, reconnecting
 * every 50 requests and sharing nothing but the library.  Run under TSan
 * by `make test-tsan`; it must be race-free there. */
#include "httpc.h"
#include "check.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define THREADS 8
#define REQUESTS 200

static const char *host = "127.0.0.1";
static int port;

typedef struct job {
    int id;
    int ok, bad;
    char first_error[256];
} job;

static void note(job *j, const char *what, httpc_conn *c) {
    j->bad++;
    if (!j->first_error[0])
        snprintf(j->first_error, sizeof j->first_error, "%s: %s", what,
                 httpc_error_message(httpc_conn_error(c)));
}

static void *worker(void *arg) {
    job *j = arg;
    httpc_conn *c = NULL;
    for (int i = 0; i < REQUESTS; i++) {
        if (i % 50 == 0) {
            /* a fresh connection object, and the old one freed */
            httpc_conn_free(c);
            c = httpc_conn_new(host, strlen(host), port, NULL);
            if (!c) {
                j->bad++;
                return NULL;
            }
            httpc_conn_set_timeout(c, 10);
        }
        const char *path = (i + j->id) % 3 ? "/100b" : "/chunked";
        httpc_response *r = NULL;
        if (httpc_conn_request(c, "GET", 3, path, strlen(path), NULL, 0, 0) ||
            httpc_conn_getresponse(c, &r)) {
            note(j, "request", c);
            httpc_conn_close(c);
            continue;
        }
        const char *d;
        size_t n;
        int rc = httpc_response_read(r, -1, &d, &n);
        size_t want = strcmp(path, "/100b") == 0 ? 100 : 21;
        if (rc || n != want || httpc_response_status(r) != 200)
            note(j, "body", c);
        else
            j->ok++;
        /* the error tree is shared read-only data */
        if (!httpc_code_is(HTTPC_E_REMOTEDISCONNECTED, HTTPC_E_CONNECTIONERROR)) j->bad++;
        httpc_response_free(r);
    }
    httpc_conn_free(c);
    return NULL;
}

int main(void) {
    const char *h = getenv("HTTPC_TEST_HOST");
    if (h && *h) host = h;
    port = check_env_int("HTTPC_TEST_NGINX_PORT");
    GROUP("threads");
    if (!port) {
        SKIP("HTTPC_TEST_NGINX_PORT not set (run through tests/run.sh)");
        return check_done();
    }
    pthread_t t[THREADS];
    job jobs[THREADS];
    memset(jobs, 0, sizeof jobs);
    int started = 0;
    for (int i = 0; i < THREADS; i++) {
        jobs[i].id = i;
        if (pthread_create(&t[i], NULL, worker, &jobs[i]) == 0) started++;
        else break;
    }
    CHECK_EQ_INT(started, THREADS, "%d threads started", THREADS);
    for (int i = 0; i < started; i++) pthread_join(t[i], NULL);
    for (int i = 0; i < started; i++)
        CHECK(jobs[i].ok == REQUESTS && jobs[i].bad == 0, "thread %d: %d/%d requests ok%s%s", i,
              jobs[i].ok, REQUESTS, jobs[i].first_error[0] ? "; first error: " : "",
              jobs[i].first_error);
    return check_done();
}
