/* Soak: 200,000 keep-alive requests and 20,000 reconnects (times
 * SOAK_SCALE) against a private raw server (tests/servers/rawserver.py)
 * that is killed and restarted in between, with the process's open file
 * descriptors and RSS measured after a warm-up and at the end.  Requests
 * that meet the killed server fail with a connection error; the same
 * connection object then carries on (reconnecting), as a caller of
 * http.client would.  Prints ok/not ok lines and the figures. */
#include "httpc.h"
#include "check.h"

#include <dirent.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int port;
static pid_t server = -1;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int count_fds(void) {
    DIR *d = opendir("/proc/self/fd");
    if (!d) return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.') n++;
    closedir(d);
    return n - 1; /* the directory's own descriptor */
}

static long rss_kib(void) {
    FILE *f = fopen("/proc/self/status", "r");
    if (!f) return -1;
    char line[256];
    long v = -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "VmRSS: %ld", &v) == 1) break;
    fclose(f);
    return v;
}

static int free_port(void) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t l = sizeof a;
    if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof a) < 0 ||
        getsockname(s, (struct sockaddr *)&a, &l) < 0) {
        if (s >= 0) close(s);
        return -1;
    }
    close(s);
    return ntohs(a.sin_port);
}

static int try_ok(void) {
    httpc_conn *c = httpc_conn_new("127.0.0.1", 9, port, NULL);
    httpc_response *r = NULL;
    int rc = c ? httpc_conn_request(c, "GET", 3, "/ok", 3, NULL, 0, 0) : -1;
    if (rc == 0) rc = httpc_conn_getresponse(c, &r);
    httpc_response_free(r);
    httpc_conn_free(c);
    return rc;
}

static void start_server(void) {
    char ps[16];
    snprintf(ps, sizeof ps, "%d", port);
    server = fork();
    if (server == 0) {
        execlp("python3", "python3", "tests/servers/rawserver.py", ps, (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 100 && try_ok() != 0; i++) usleep(50000);
}

static void kill_server(void) {
    if (server > 0) {
        kill(server, SIGTERM);
        waitpid(server, NULL, 0);
        server = -1;
    }
}

typedef struct tally {
    long ok, conn_errors, other_errors;
    int first_other;
} tally;

/* One GET; a connection error (the server was restarted) closes and
 * counts; anything else is a real failure. */
static void one(httpc_conn *c, const char *path, size_t plen, const char *want, tally *t) {
    httpc_response *r = NULL;
    int rc = httpc_conn_request(c, "GET", 3, path, plen, NULL, 0, 0);
    if (rc == 0) rc = httpc_conn_getresponse(c, &r);
    if (rc == 0) {
        const char *d;
        size_t n;
        rc = httpc_response_read(r, -1, &d, &n);
        if (rc == 0 && (n != strlen(want) || memcmp(d, want, n) != 0)) rc = -1;
    }
    httpc_response_free(r);
    if (rc == 0) {
        t->ok++;
    } else if (rc > 0 && (httpc_code_is(rc, HTTPC_E_CONNECTIONERROR) ||
                          httpc_code_is(rc, HTTPC_E_REMOTEDISCONNECTED))) {
        t->conn_errors++;
        httpc_conn_close(c);
    } else {
        if (!t->other_errors) t->first_other = rc;
        t->other_errors++;
        httpc_conn_close(c);
    }
}

int main(void) {
    const char *sc = getenv("SOAK_SCALE");
    double scale = sc ? atof(sc) : 1.0;
    if (scale <= 0) scale = 1.0;
    long keepalive = (long)(200000 * scale), reconnects = (long)(20000 * scale);
    const int restarts = 4;
    signal(SIGPIPE, SIG_IGN);
    port = free_port();
    GROUP("soak");
    if (port <= 0) {
        CHECK(0, "a free port");
        return check_done();
    }
    start_server();
    CHECK_EQ_INT(try_ok(), 0, "private raw server up on port %d", port);

    httpc_conn *c = httpc_conn_new("127.0.0.1", 9, port, NULL);
    httpc_conn_set_timeout(c, 10);
    tally t = {0, 0, 0, 0};
    for (int i = 0; i < 1000; i++) one(c, "/ok", 3, "hello", &t);
    /* counted with the connection closed, as at the end */
    httpc_conn_close(c);
    int fd0 = count_fds();
    long rss0 = rss_kib();

    double t0 = now();
    tally ka = {0, 0, 0, 0};
    for (long i = 0; i < keepalive; i++) {
        if (i && i % (keepalive / restarts) == 0) {
            kill_server();
            start_server();
        }
        one(c, "/ok", 3, "hello", &ka);
    }
    double t_ka = now() - t0;

    t0 = now();
    tally rc = {0, 0, 0, 0};
    for (long i = 0; i < reconnects; i++) {
        if (i && i % (reconnects / 2) == 0) {
            kill_server();
            start_server();
        }
        one(c, "/connection-close", 17, "bye", &rc);
    }
    double t_rc = now() - t0;
    httpc_conn_free(c);
    int fd1 = count_fds();
    long rss1 = rss_kib();
    kill_server();

    printf("# keep-alive: %ld requests in %.1f s (%.0f/s), %ld ok, %ld connection errors at "
           "%d server restarts, %ld other errors\n",
           keepalive, t_ka, keepalive / t_ka, ka.ok, ka.conn_errors, restarts - 1,
           ka.other_errors);
    printf("# reconnects: %ld requests in %.1f s (%.0f/s), %ld ok, %ld connection errors, "
           "%ld other errors\n",
           reconnects, t_rc, reconnects / t_rc, rc.ok, rc.conn_errors, rc.other_errors);
    printf("# file descriptors: %d before, %d after; RSS: %ld KiB before, %ld KiB after\n", fd0,
           fd1, rss0, rss1);
    CHECK(ka.other_errors == 0 && rc.other_errors == 0, "no error but connection errors (first: %s)",
          ka.other_errors || rc.other_errors ? httpc_code_name(ka.first_other ? ka.first_other
                                                                               : rc.first_other)
                                             : "none");
    /* each restart may cost the request in flight on the old socket */
    CHECK(ka.conn_errors <= 2L * restarts && rc.conn_errors <= 4,
          "connection errors only at restarts (%ld, %ld)", ka.conn_errors, rc.conn_errors);
    CHECK(ka.ok + ka.conn_errors == keepalive && rc.ok + rc.conn_errors == reconnects,
          "every request accounted for");
    CHECK_EQ_INT(fd1, fd0, "no descriptor leaked");
    CHECK(rss1 - rss0 < 2048, "RSS grew by %ld KiB (< 2 MiB)", rss1 - rss0);
    return check_done();
}
