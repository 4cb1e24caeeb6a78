/* parse_head fed in pieces (each prefix in its own exact-size buffer, so
 * ASan sees any read past it) must answer as one call over the whole
 * input: same length or error code, same status line and fields. */
#include "internal.h"
#include "fuzz_split.h"

#include <stdlib.h>
#include <string.h>

typedef struct result {
    long rc;
    int err;
    int status, version;
    size_t reason_off, reason_len, nfields;
    size_t *offs; /* name_off, name_len, value_off, value_len per field */
} result;

static void capture(result *r, long rc, const httpc_error *e, const head *h, const char *base) {
    memset(r, 0, sizeof *r);
    r->rc = rc;
    r->err = rc < 0 ? e->code : 0;
    if (rc < 0 && e->code != (int)-rc) abort(); /* the code returned is the one kept */
    if (rc <= 0) return;
    r->status = h->status;
    r->version = h->version;
    r->reason_off = (size_t)(h->reason - base);
    r->reason_len = h->reason_len;
    r->nfields = h->nfields;
    r->offs = malloc(4 * sizeof(size_t) * (h->nfields + 1));
    if (!r->offs) abort();
    for (size_t i = 0; i < h->nfields; i++) {
        const hfield *f = &h->fields[i];
        r->offs[4 * i] = (size_t)(f->name - base);
        r->offs[4 * i + 1] = f->name_len;
        r->offs[4 * i + 2] = (size_t)(f->value - base);
        r->offs[4 * i + 3] = f->value_len;
        /* fields lie inside the head, values hold no CR, LF or NUL */
        if (r->offs[4 * i + 2] + f->value_len > (size_t)rc) abort();
        for (size_t k = 0; k < f->value_len; k++)
            if (f->value[k] == '\r' || f->value[k] == '\n' || f->value[k] == '\0') abort();
        if (f->name_len == 0) abort();
    }
    if (h->status < 100 || h->status > 999) abort();
    if (h->version != 10 && h->version != 11) abort();
}

static void same(const result *a, const result *b) {
    if (a->rc != b->rc || a->err != b->err || a->status != b->status ||
        a->version != b->version || a->reason_off != b->reason_off ||
        a->reason_len != b->reason_len || a->nfields != b->nfields)
        abort();
    if (a->nfields && memcmp(a->offs, b->offs, 4 * sizeof(size_t) * a->nfields) != 0) abort();
}

static void one_shot(const uint8_t *data, size_t size, bool at_eof, result *out) {
    char *buf = malloc(size ? size : 1);
    if (!buf) abort();
    if (size) memcpy(buf, data, size);
    head h = {0};
    head_scan scan = {0};
    httpc_error e;
    err_init(&e);
    long rc = parse_head(buf, size, &scan, at_eof, &h, &e);
    capture(out, rc, &e, &h, buf);
    head_free(&h);
    err_clear(&e);
    free(buf);
}

static void pieces(const uint8_t *data, size_t size, bool at_eof, fsplit *sp, result *out) {
    head h = {0};
    head_scan scan = {0};
    httpc_error e;
    err_init(&e);
    size_t have = 0;
    long rc = 0;
    char *buf = NULL;
    for (;;) {
        size_t left = size - have;
        have += left ? fsplit_next(sp, left) : 0;
        bool last = have == size;
        free(buf);
        buf = malloc(have ? have : 1);
        if (!buf) abort();
        if (have) memcpy(buf, data, have);
        rc = parse_head(buf, have, &scan, last && at_eof, &h, &e);
        if (rc != 0 || last) break;
    }
    capture(out, rc, &e, &h, buf);
    free(buf);
    head_free(&h);
    err_clear(&e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fsplit sp;
    fsplit_init(&sp, &data, &size);
    for (int eof = 0; eof < 2; eof++) {
        result a, b;
        one_shot(data, size, eof, &a);
        pieces(data, size, eof, &sp, &b);
        same(&a, &b);
        free(a.offs);
        free(b.offs);
    }
    return 0;
}
