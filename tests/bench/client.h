/* Shared by the C benchmark clients: one command line, one result line.
 *
 *   CLIENT http|https HOST PORT METHOD PATH COUNT SECONDS PIECE BODYSIZE
 *
 * One connection; one untimed warm-up request (connect, handshake), then
 * COUNT timed requests, or fewer when SECONDS (> 0) run out first.  PIECE 0
 * reads each body with one whole-body read, PIECE > 0 in PIECE-byte reads.
 * METHOD POST sends a BODYSIZE-byte body.  Prints
 *   requests=N seconds=S bytes=B
 * where B counts response body bytes plus request body bytes. */
#ifndef BENCH_CLIENT_H
#define BENCH_CLIENT_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct bench_args {
    int tls;
    const char *host;
    int port;
    const char *method;
    const char *path;
    long count;
    double seconds;
    size_t piece;
    size_t body_size;
    char *body; /* body_size bytes of 'x' when POST */
} bench_args;

static inline double bench_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline void bench_die(const char *what, const char *why) {
    fprintf(stderr, "bench client: %s: %s\n", what, why);
    exit(2);
}

static inline void bench_parse(int argc, char **argv, bench_args *a) {
    if (argc != 10) bench_die("usage", "http|https HOST PORT METHOD PATH COUNT SECONDS PIECE BODYSIZE");
    a->tls = strcmp(argv[1], "https") == 0;
    a->host = argv[2];
    a->port = atoi(argv[3]);
    a->method = argv[4];
    a->path = argv[5];
    a->count = atol(argv[6]);
    a->seconds = atof(argv[7]);
    a->piece = (size_t)atol(argv[8]);
    a->body_size = (size_t)atol(argv[9]);
    a->body = NULL;
    if (strcmp(a->method, "POST") == 0) {
        a->body = malloc(a->body_size ? a->body_size : 1);
        if (!a->body) bench_die("malloc", "body");
        memset(a->body, 'x', a->body_size);
    }
}

/* Runs one(a, ud) once untimed, then the timed loop; prints the result. */
typedef size_t (*bench_one_fn)(bench_args *a, void *ud);
static inline void bench_run(bench_args *a, bench_one_fn one, void *ud) {
    one(a, ud);
    double t0 = bench_now(), t = t0;
    long n = 0;
    size_t bytes = 0;
    while (n < a->count) {
        bytes += one(a, ud);
        if (a->body) bytes += a->body_size;
        n++;
        /* a clock read is a vDSO call, no syscall; still only every 16th */
        if (a->seconds > 0 && (n & 15) == 0 && (t = bench_now()) - t0 >= a->seconds) break;
    }
    t = bench_now();
    printf("requests=%ld seconds=%.6f bytes=%zu\n", n, t - t0, bytes);
}
#endif
