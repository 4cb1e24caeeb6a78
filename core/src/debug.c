/* The set_debuglevel trace, in the shape of http.client's print() calls,
 * sent to a sink the caller chooses (stdout by default). */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void debug_line(debug_sink *d, const char *fmt, ...) {
    if (d->level <= 0) return;
    hbuf line = {0};
    va_list ap;
    va_start(ap, fmt);
    int rc = hbuf_vappendf(&line, fmt, ap);
    va_end(ap);
    if (rc == 0 && hbuf_append(&line, "\n", 1) == 0) {
        if (!d->set) {
            fwrite(line.p, 1, line.len, stdout);
            fflush(stdout);
        } else if (d->fn) {
            d->fn(d->ud, line.p, line.len);
        } else {
            /* best effort: a trace line lost to memory pressure is not an
             * error of the request */
            (void)hbuf_append(&d->kept, line.p, line.len);
        }
    }
    hbuf_free(&line);
}

void debug_free(debug_sink *d) { hbuf_free(&d->kept); }

static int repr(hbuf *out, const char *p, size_t n, bool bytes) {
    bool has_sq = memchr(p, '\'', n) != NULL, has_dq = memchr(p, '"', n) != NULL;
    char q = has_sq && !has_dq ? '"' : '\'';
    if (bytes && hbuf_append(out, "b", 1) < 0) return -1;
    if (hbuf_append(out, &q, 1) < 0) return -1;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        int rc;
        if (c == '\\') rc = hbuf_append(out, "\\\\", 2);
        else if (c == (unsigned char)q) rc = hbuf_appendf(out, "\\%c", q);
        else if (c == '\t') rc = hbuf_append(out, "\\t", 2);
        else if (c == '\n') rc = hbuf_append(out, "\\n", 2);
        else if (c == '\r') rc = hbuf_append(out, "\\r", 2);
        else if (c >= 0x20 && c < 0x7f) rc = hbuf_append(out, (const char *)&p[i], 1);
        else rc = hbuf_appendf(out, "\\x%02x", c);
        if (rc < 0) return -1;
    }
    return hbuf_append(out, &q, 1);
}

int debug_repr_bytes(hbuf *out, const char *p, size_t n) { return repr(out, p, n, true); }
int debug_repr_str(hbuf *out, const char *p, size_t n) { return repr(out, p, n, false); }
