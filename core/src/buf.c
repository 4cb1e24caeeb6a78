/* A growable byte buffer with a read offset, so consuming from the front
 * is O(1) and compaction happens only when room is needed. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void hbuf_free(hbuf *b) {
    free(b->p);
    b->p = NULL;
    b->off = b->len = b->cap = 0;
}

void hbuf_reset(hbuf *b) { b->off = b->len = 0; }

int hbuf_reserve(hbuf *b, size_t n) {
    if (b->off == b->len) b->off = b->len = 0;
    if (b->cap - b->len >= n) return 0;
    if (b->off && b->cap - (b->len - b->off) >= n) {
        memmove(b->p, b->p + b->off, b->len - b->off);
        b->len -= b->off;
        b->off = 0;
        return 0;
    }
    size_t used = b->len - b->off;
    if (n > SIZE_MAX / 2 - used) return -1;
    size_t want = used + n, cap = b->cap ? b->cap : 256;
    while (cap < want) cap *= 2;
    if (b->off) {
        memmove(b->p, b->p + b->off, used);
        b->len = used;
        b->off = 0;
    }
    char *p = realloc(b->p, cap);
    if (!p) return -1;
    b->p = p;
    b->cap = cap;
    return 0;
}

int hbuf_append(hbuf *b, const void *data, size_t n) {
    if (hbuf_reserve(b, n) < 0) return -1;
    if (n) memcpy(b->p + b->len, data, n);
    b->len += n;
    return 0;
}

int hbuf_vappendf(hbuf *b, const char *fmt, va_list ap) {
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0 || hbuf_reserve(b, (size_t)n + 1) < 0) return -1;
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return 0;
}

int hbuf_appendf(hbuf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int rc = hbuf_vappendf(b, fmt, ap);
    va_end(ap);
    return rc;
}

void hbuf_consume(hbuf *b, size_t n) {
    b->off += n;
    if (b->off >= b->len) b->off = b->len = 0;
}

void hbuf_shrink(hbuf *b, size_t keep) {
    if (b->off == b->len && b->cap > keep) hbuf_free(b);
}
