/* The chunked decoder fed in pieces (each in its own exact-size buffer)
 * must give the same body bytes, the same end state and the same error,
 * at the same offset, as over the whole input at once. */
#include "internal.h"
#include "fuzz_split.h"

#include <stdlib.h>
#include <string.h>

typedef struct outcome {
    int rc;          /* CHUNK_DONE, CHUNK_NEED or -code */
    size_t used;     /* input bytes consumed */
    hbuf body;
} outcome;

/* Decodes in[0..len) into o; returns false when o is final (done or error). */
static bool feed(chunked *c, const char *in, size_t len, outcome *o, httpc_error *e) {
    size_t i = 0;
    for (;;) {
        size_t used = 0;
        int rc = chunked_frame(c, in + i, len - i, &used, e);
        if (used > len - i) abort();
        i += used;
        o->used += used;
        if (rc < 0) {
            if (e->code != -rc) abort();
            o->rc = rc;
            return false;
        }
        if (rc == CHUNK_DONE) {
            o->rc = rc;
            return false;
        }
        if (rc == CHUNK_NEED) {
            if (i != len) abort(); /* NEED means every byte was framing */
            o->rc = rc;
            return true;
        }
        uint64_t left = chunked_left(c);
        if (left == 0) abort();
        size_t k = len - i;
        if ((uint64_t)k > left) k = (size_t)left;
        if (k == 0) {
            o->rc = CHUNK_NEED;
            return true;
        }
        if (hbuf_append(&o->body, in + i, k) < 0) abort();
        chunked_take(c, k);
        i += k;
        o->used += k;
    }
}

static void run(const uint8_t *data, size_t size, fsplit *sp, outcome *o) {
    chunked c;
    chunked_init(&c);
    httpc_error e;
    err_init(&e);
    memset(o, 0, sizeof *o);
    size_t off = 0;
    do {
        size_t n = sp ? (size - off ? fsplit_next(sp, size - off) : 0) : size;
        char *piece = malloc(n ? n : 1);
        if (!piece) abort();
        if (n) memcpy(piece, data + off, n);
        bool more = feed(&c, piece, n, o, &e);
        free(piece);
        off += n;
        if (!more) break;
    } while (off < size);
    if (o->rc == CHUNK_DONE && !chunked_data_complete(&c)) abort();
    err_clear(&e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fsplit sp;
    fsplit_init(&sp, &data, &size);
    outcome a, b;
    run(data, size, NULL, &a);
    run(data, size, &sp, &b);
    if (a.rc != b.rc || a.used != b.used || a.body.len != b.body.len ||
        (a.body.len && memcmp(a.body.p, b.body.p, a.body.len) != 0))
        abort();
    /* the body is never longer than what came in */
    if (a.body.len > size) abort();
    hbuf_free(&a.body);
    hbuf_free(&b.body);
    return 0;
}
