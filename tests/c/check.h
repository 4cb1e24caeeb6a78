/* A tiny TAP-like harness: each CHECK prints "ok"/"not ok"; check_done()
 * prints "N passed, N failed, N skipped" (the line tests/run.sh sums) and
 * returns the exit status. */
#ifndef HTTPC_CHECK_H
#define HTTPC_CHECK_H
#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static int check_passed, check_failed, check_skipped;
static const char *check_group = "";

#define GROUP(name) (check_group = (name))
#define CHECK(cond, ...)                                                      \
    do {                                                                      \
        if (cond) {                                                           \
            check_passed++;                                                   \
            printf("ok - %s: ", check_group);                                 \
        } else {                                                              \
            check_failed++;                                                   \
            printf("not ok - %s (%s:%d: %s): ", check_group, __FILE__,        \
                   __LINE__, #cond);                                          \
        }                                                                     \
        printf(__VA_ARGS__);                                                  \
        printf("\n");                                                         \
        fflush(stdout);                                                       \
    } while (0)
#define CHECK_EQ_INT(a, b, ...)                                               \
    do {                                                                      \
        long long check_a_ = (long long)(a), check_b_ = (long long)(b);       \
        CHECK(check_a_ == check_b_, __VA_ARGS__);                             \
        if (check_a_ != check_b_)                                             \
            printf("#   got %lld, want %lld\n", check_a_, check_b_);          \
    } while (0)
#define SKIP(...)                                                             \
    do {                                                                      \
        check_skipped++;                                                      \
        printf("ok - %s # SKIP ", check_group);                               \
        printf(__VA_ARGS__);                                                  \
        printf("\n");                                                         \
    } while (0)

static inline int check_done(void) {
    printf("%d passed, %d failed, %d skipped\n", check_passed, check_failed,
           check_skipped);
    return check_failed ? 1 : 0;
}

/* Environment helpers for tests that need the servers tests/run.sh starts. */
static inline int check_env_int(const char *name) {
    const char *v = getenv(name);
    return v ? atoi(v) : 0;
}
#endif
