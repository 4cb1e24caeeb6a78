/* The response head parser: status line and header fields, with no I/O.
 * It is handed the bytes received so far and answers "complete (this
 * long)", "need more" or an error; fields point into the caller's bytes. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* Character classes, one table lookup per byte: CT_TOKEN for tchar
 * (RFC 9110 token), CT_VALUE for what a field value may hold (VCHAR,
 * obs-text, SP, HTAB). */
enum { CT_TOKEN = 1, CT_VALUE = 2 };
static const unsigned char ctype[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    2, 3, 2, 3, 3, 3, 3, 3, 2, 2, 3, 3, 2, 3, 3, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2, 2,
    2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 2, 2, 2, 3, 3,
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 2, 3, 2, 3, 0,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
};

static bool is_tchar(unsigned char c) { return ctype[c] & CT_TOKEN; }
static bool is_value_char(unsigned char c) { return ctype[c] & CT_VALUE; }

/* Length of the line without its "\n" or "\r\n". */
static size_t content_len(const char *line, size_t len_with_nl) {
    size_t n = len_with_nl - 1;
    if (n && line[n - 1] == '\r') n--;
    return n;
}

void head_free(head *h) {
    free(h->fields);
    memset(h, 0, sizeof *h);
}

const hfield *head_find(const head *h, const char *name, size_t *count) {
    const hfield *first = NULL;
    size_t n = 0, nlen = strlen(name);
    for (size_t i = 0; i < h->nfields; i++) {
        if (ascii_ieq(h->fields[i].name, h->fields[i].name_len, name, nlen)) {
            if (!first) first = &h->fields[i];
            n++;
        }
    }
    if (count) *count = n;
    return first;
}

static int parse_status(const char *line, size_t len, size_t full, head *h, httpc_error *e) {
    size_t i = 0;
    while (i < len && (line[i] == ' ' || line[i] == '\t')) i++;
    size_t vs = i;
    while (i < len && line[i] != ' ' && line[i] != '\t') i++;
    size_t ve = i;
    while (i < len && (line[i] == ' ' || line[i] == '\t')) i++;
    size_t ss = i;
    while (i < len && line[i] != ' ' && line[i] != '\t') i++;
    size_t se = i;
    while (i < len && (line[i] == ' ' || line[i] == '\t')) i++;
    size_t rs = i, re = len;
    while (re > rs && (line[re - 1] == ' ' || line[re - 1] == '\t')) re--;

    if (ve - vs < 5 || memcmp(line + vs, "HTTP/", 5) != 0)
        return -err_badline(e, HTTPC_E_BADSTATUSLINE, line, full);
    /* The status code is exactly three digits (int() in CPython also takes
     * "+20" or " 200", which no server means). */
    if (se - ss != 3)
        return -err_badline(e, HTTPC_E_BADSTATUSLINE, line, full);
    int status = 0;
    for (size_t k = ss; k < se; k++) {
        if (line[k] < '0' || line[k] > '9')
            return -err_badline(e, HTTPC_E_BADSTATUSLINE, line, full);
        status = status * 10 + (line[k] - '0');
    }
    if (status < 100) return -err_badline(e, HTTPC_E_BADSTATUSLINE, line, full);
    for (size_t k = rs; k < re; k++)
        if (!is_value_char((unsigned char)line[k]))
            return -err_badline(e, HTTPC_E_BADSTATUSLINE, line, full);

    const char *v = line + vs;
    size_t vl = ve - vs;
    if ((vl == 8 && (memcmp(v, "HTTP/1.0", 8) == 0 || memcmp(v, "HTTP/0.9", 8) == 0)))
        h->version = 10;
    else if (vl >= 7 && memcmp(v, "HTTP/1.", 7) == 0)
        h->version = 11;
    else
        return -err_badline(e, HTTPC_E_UNKNOWNPROTOCOL, v, vl);
    h->status = status;
    h->reason = line + rs;
    h->reason_len = re - rs;
    return 0;
}

static int bad_field(httpc_error *e, const char *why, const char *line, size_t len) {
    hbuf m = {0};
    size_t shown = len > 200 ? 200 : len;
    if (debug_repr_bytes(&m, line, shown) < 0 || hbuf_append(&m, "", 1) < 0) {
        hbuf_free(&m);
        return -err_nomem(e);
    }
    err_set(e, HTTPC_E_HTTPEXCEPTION, "invalid header line (%s): %s%s", why, m.p,
            shown < len ? "..." : "");
    hbuf_free(&m);
    return -HTTPC_E_HTTPEXCEPTION;
}

/* A CR that does not end the line is not a line ending, and no value may
 * hold one; a line with one fails on that account first, whatever else is
 * wrong with it.  Checked only once the line failed: a CR always fails. */
static int field_error(httpc_error *e, const char *why, const char *line, size_t len) {
    if (memchr(line, '\r', len)) return bad_field(e, "bare CR", line, len);
    return bad_field(e, why, line, len);
}

static int parse_field(const char *line, size_t len, head *h, httpc_error *e) {
    if (line[0] == ' ' || line[0] == '\t')
        return field_error(e, "obsolete line folding", line, len);
    size_t i = 0;
    while (i < len && is_tchar((unsigned char)line[i])) i++;
    if (i == len || line[i] != ':')
        return field_error(e, i < len && (line[i] == ' ' || line[i] == '\t')
                                ? "whitespace before colon"
                                : "not a token followed by a colon",
                         line, len);
    if (i == 0) return field_error(e, "empty field name", line, len);
    size_t nlen = i++;
    while (i < len && (line[i] == ' ' || line[i] == '\t')) i++;
    size_t vs = i, ve = len;
    for (size_t k = vs; k < len; k++)
        if (!is_value_char((unsigned char)line[k]))
            return field_error(e, "control character in value", line, len);
    while (ve > vs && (line[ve - 1] == ' ' || line[ve - 1] == '\t')) ve--;

    if (h->nfields == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 16;
        hfield *f = realloc(h->fields, cap * sizeof *f);
        if (!f) return -err_nomem(e);
        h->fields = f;
        h->cap = cap;
    }
    h->fields[h->nfields++] = (hfield){line, nlen, line + vs, ve - vs};
    return 0;
}

/* Builds the head from complete lines buf[0..end). */
static long parse_lines(const char *buf, size_t end, bool has_terminator, head *h,
                        httpc_error *e) {
    h->nfields = 0;
    size_t pos = 0;
    bool first = true;
    while (pos < end) {
        const char *nl = memchr(buf + pos, '\n', end - pos);
        size_t full = nl ? (size_t)(nl - (buf + pos)) + 1 : end - pos;
        size_t clen = nl ? content_len(buf + pos, full) : full;
        if (!first && clen == 0) break;
        const char *line = buf + pos;
        /* field lines check for a bare CR in field_error() */
        if (first && memchr(line, '\r', clen))
            return -err_badline(e, HTTPC_E_BADSTATUSLINE, line, full);
        int rc = first ? parse_status(line, clen, full, h, e) : parse_field(line, clen, h, e);
        if (rc < 0) return rc;
        if (!first && h->nfields > HTTPC_MAXHEADERS)
            return -err_set(e, HTTPC_E_HTTPEXCEPTION, "got more than %d headers",
                            HTTPC_MAXHEADERS);
        first = false;
        pos += full;
    }
    (void)has_terminator;
    return 0;
}

long parse_head(const char *buf, size_t len, head_scan *scan, bool at_eof, head *h,
                httpc_error *e) {
    size_t pos = scan->pos;
    while (pos < len) {
        const char *nl = memchr(buf + pos, '\n', len - pos);
        if (!nl) break;
        size_t full = (size_t)(nl - (buf + pos)) + 1;
        size_t clen = content_len(buf + pos, full);
        if (full > HTTPC_MAXLINE)
            return -err_toolong(e, scan->lines == 0 ? "status line" : "header line");
        if (scan->lines > 0 && clen == 0) {
            size_t total = pos + full;
            long rc = parse_lines(buf, pos, true, h, e);
            return rc < 0 ? rc : (long)total;
        }
        scan->lines++;
        if (scan->lines > HTTPC_MAXHEADERS + 1)
            return -err_set(e, HTTPC_E_HTTPEXCEPTION, "got more than %d headers",
                            HTTPC_MAXHEADERS);
        pos += full;
        if (pos > HTTPC_MAXHEADBYTES)
            return -err_set(e, HTTPC_E_HTTPEXCEPTION,
                            "response head longer than %d bytes", HTTPC_MAXHEADBYTES);
    }
    scan->pos = pos;
    if (len - pos > HTTPC_MAXLINE)
        return -err_toolong(e, scan->lines == 0 ? "status line" : "header line");
    if (len > HTTPC_MAXHEADBYTES)
        return -err_set(e, HTTPC_E_HTTPEXCEPTION, "response head longer than %d bytes",
                        HTTPC_MAXHEADBYTES);
    if (!at_eof) return 0;
    /* The peer closed mid-head: take what came as the whole head, as
     * http.client's line reader does. */
    long rc = parse_lines(buf, len, false, h, e);
    return rc < 0 ? rc : (long)len;
}
