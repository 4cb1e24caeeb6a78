/* The request-side checks and writers: whatever the validators accept
 * holds no CR, LF or NUL (so no caller input can add a line to the
 * request), and what the writers make of accepted input parses back
 * (request line by hand, header lines through parse_head, chunks through
 * the chunked decoder) to exactly what was given. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

static bool has_crlfnul(const char *p, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (p[i] == '\r' || p[i] == '\n' || p[i] == '\0') return true;
    return false;
}

/* Cuts the next field off the input at the next 0xff byte (or the end). */
static const char *field(const uint8_t **d, size_t *left, size_t *n) {
    const uint8_t *p = *d, *end = memchr(p, 0xff, *left);
    *n = end ? (size_t)(end - p) : *left;
    *d += *n + (end ? 1 : 0);
    *left -= *n + (end ? 1 : 0);
    return (const char *)p;
}

static void check_chunk(const char *data, size_t len) {
    hbuf out = {0};
    /* a zero-length piece is never framed: it would be the last chunk */
    if ((len && write_chunk(&out, data, len) < 0) || write_last_chunk(&out) < 0) abort();
    chunked c;
    chunked_init(&c);
    httpc_error e;
    err_init(&e);
    hbuf got = {0};
    size_t i = 0;
    int rc;
    for (;;) {
        size_t used;
        rc = chunked_frame(&c, out.p + i, out.len - i, &used, &e);
        i += used;
        if (rc != CHUNK_DATA) break;
        size_t k = (size_t)chunked_left(&c);
        if (k > out.len - i) abort();
        if (hbuf_append(&got, out.p + i, k) < 0) abort();
        chunked_take(&c, k);
        i += k;
    }
    if (rc != CHUNK_DONE || i != out.len || got.len != len ||
        (len && memcmp(got.p, data, len) != 0))
        abort();
    hbuf_free(&got);
    hbuf_free(&out);
    err_clear(&e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    size_t ml, ul, hl, nl, vl;
    const char *m = field(&data, &size, &ml);
    const char *u = field(&data, &size, &ul);
    const char *h = field(&data, &size, &hl);
    const char *n = field(&data, &size, &nl);
    const char *v = field(&data, &size, &vl);
    httpc_error e;
    err_init(&e);
    bool m_ok = validate_method(m, ml, &e) == 0;
    if (!m_ok && e.code != HTTPC_E_VALUE) abort();
    bool u_ok = validate_url(u, ul, &e) == 0;
    if (!u_ok && e.code != HTTPC_E_INVALIDURL) abort();
    bool h_ok = validate_host(h, hl, &e) == 0;
    if (!h_ok && e.code != HTTPC_E_INVALIDURL) abort();
    bool n_ok = validate_header_name(n, nl, &e) == 0;
    if (!n_ok && e.code != HTTPC_E_VALUE) abort();
    bool v_ok = validate_header_value(v, vl, &e) == 0;
    if (!v_ok && e.code != HTTPC_E_VALUE) abort();
    if ((m_ok && (ml == 0 || has_crlfnul(m, ml) || memchr(m, ' ', ml))) ||
        (u_ok && (has_crlfnul(u, ul) || memchr(u, ' ', ul))) ||
        (h_ok && (has_crlfnul(h, hl) || memchr(h, ' ', hl))) ||
        (n_ok && (nl == 0 || has_crlfnul(n, nl) || memchr(n, ':', nl))) ||
        (v_ok && has_crlfnul(v, vl)))
        abort();

    if (m_ok && u_ok) {
        hbuf out = {0};
        if (write_request_line(&out, m, ml, u, ul) < 0) abort();
        size_t want_u = ul ? ul : 1;
        if (out.len != ml + 1 + want_u + 11 || memcmp(out.p, m, ml) != 0 || out.p[ml] != ' ' ||
            (ul && memcmp(out.p + ml + 1, u, ul) != 0) ||
            memcmp(out.p + ml + 1 + want_u, " HTTP/1.1\r\n", 11) != 0)
            abort();
        hbuf_free(&out);
    }

    /* header lines behind a status line parse back through parse_head */
    hbuf resp = {0};
    if (hbuf_append(&resp, "HTTP/1.1 200 OK\r\n", 17) < 0) abort();
    size_t nexp = 0;
    if (n_ok && v_ok) {
        if (write_header(&resp, n, nl, v, vl) < 0) abort();
        nexp++;
    }
    /* the Host header a connection writes: brackets around IPv6, zone id
     * dropped, the port when not the default */
    hbuf hostv = {0};
    char *hz = NULL;
    if (h_ok && hl) {
        hz = malloc(hl + 1);
        if (!hz) abort();
        memcpy(hz, h, hl);
        hz[hl] = '\0';
        if (write_host_header(&resp, hz, 8080, 80) < 0) abort();
        bool v6 = memchr(h, ':', hl) != NULL;
        const char *pct = v6 ? memchr(h, '%', hl) : NULL;
        size_t keep = pct ? (size_t)(pct - h) : hl;
        if ((v6 && hbuf_append(&hostv, "[", 1) < 0) || hbuf_append(&hostv, h, keep) < 0 ||
            (v6 && hbuf_append(&hostv, "]", 1) < 0) || hbuf_append(&hostv, ":8080", 5) < 0)
            abort();
        nexp++;
    }
    if (hbuf_append(&resp, "\r\n", 2) < 0) abort();
    head hd = {0};
    head_scan scan = {0};
    long rc = parse_head(resp.p, resp.len, &scan, false, &hd, &e);
    /* the validators and the parser agree on names and values, so an
     * accepted header always parses back */
    if (rc > 0) {
        if ((size_t)rc != resp.len || hd.nfields != nexp) abort();
        if (n_ok && v_ok) {
            const hfield *f = &hd.fields[0];
            const char *tv = v;
            size_t tl = vl;
            while (tl && (*tv == ' ' || *tv == '\t')) tv++, tl--;
            while (tl && (tv[tl - 1] == ' ' || tv[tl - 1] == '\t')) tl--;
            if (f->name_len != nl || memcmp(f->name, n, nl) != 0 || f->value_len != tl ||
                (tl && memcmp(f->value, tv, tl) != 0))
                abort();
        }
        if (hz) {
            const hfield *f = &hd.fields[nexp - 1];
            if (!ascii_ieq(f->name, f->name_len, "host", 4) || f->value_len != hostv.len ||
                memcmp(f->value, hostv.p, hostv.len) != 0)
                abort();
        }
    } else {
        abort();
    }
    head_free(&hd);
    hbuf_free(&resp);
    hbuf_free(&hostv);
    free(hz);

    check_chunk(v, vl);
    err_clear(&e);
    return 0;
}
