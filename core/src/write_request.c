/* Request serialization and the checks that keep a caller's bytes from
 * changing the request's framing (CR/LF/NUL injection), with no I/O. */
#include "internal.h"

#include <string.h>

bool ascii_ieq(const char *a, size_t alen, const char *b, size_t blen) {
    if (alen != blen) return false;
    for (size_t i = 0; i < alen; i++) {
        unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
        if (x >= 'A' && x <= 'Z') x += 32;
        if (y >= 'A' && y <= 'Z') y += 32;
        if (x != y) return false;
    }
    return true;
}

static bool is_tchar(unsigned char c) {
    static const char extra[] = "!#$%&'*+-.^_`|~";
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c && strchr(extra, c));
}

/* Quotes what was refused the way http.client's messages do (repr). */
static int refuse(httpc_error *e, int code, const char *what, const char *p, size_t n,
                  const char *why) {
    hbuf m = {0};
    size_t shown = n > 200 ? 200 : n;
    if (debug_repr_str(&m, p, shown) < 0 || hbuf_append(&m, "", 1) < 0) {
        hbuf_free(&m);
        return err_nomem(e);
    }
    err_set(e, code, "%s %s%s %s", what, m.p, shown < n ? "..." : "", why);
    hbuf_free(&m);
    return code;
}

int validate_method(const char *m, size_t len, httpc_error *e) {
    if (len == 0) return refuse(e, HTTPC_E_VALUE, "method", m, len, "is empty");
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)m[i];
        if (c < 0x20 || c == 0x7f)
            return refuse(e, HTTPC_E_VALUE, "method can't contain control characters.", m, len,
                          "");
        if (!is_tchar(c))
            return refuse(e, HTTPC_E_VALUE, "method", m, len, "is not a token");
    }
    return 0;
}

static int no_ctl_or_space(const char *p, size_t len) {
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c <= 0x20 || c == 0x7f) return (int)i + 1;
    }
    return 0;
}

int validate_url(const char *u, size_t len, httpc_error *e) {
    if (no_ctl_or_space(u, len))
        return refuse(e, HTTPC_E_INVALIDURL, "URL can't contain control characters.", u, len,
                      "");
    return 0;
}

int validate_host(const char *h, size_t len, httpc_error *e) {
    if (no_ctl_or_space(h, len))
        return refuse(e, HTTPC_E_INVALIDURL, "URL can't contain control characters.", h, len,
                      "");
    return 0;
}

int validate_header_name(const char *n, size_t len, httpc_error *e) {
    if (len == 0) return refuse(e, HTTPC_E_VALUE, "Invalid header name", n, len, "");
    for (size_t i = 0; i < len; i++)
        if (!is_tchar((unsigned char)n[i]))
            return refuse(e, HTTPC_E_VALUE, "Invalid header name", n, len, "");
    return 0;
}

/* Stricter than http.client, which lets "\r\n\t" through: a value is
 * VCHAR, obs-text, SP and HTAB only; continuation lines are made by
 * putheader_continue, never smuggled inside a value. */
int validate_header_value(const char *v, size_t len, httpc_error *e) {
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)v[i];
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            return refuse(e, HTTPC_E_VALUE, "Invalid header value", v, len, "");
    }
    return 0;
}

int write_request_line(hbuf *out, const char *m, size_t mlen, const char *u, size_t ulen) {
    if (ulen == 0) {
        u = "/";
        ulen = 1;
    }
    if (hbuf_reserve(out, mlen + ulen + 12) < 0) return -1;
    char *p = out->p + out->len;
    memcpy(p, m, mlen);
    p += mlen;
    *p++ = ' ';
    memcpy(p, u, ulen);
    p += ulen;
    memcpy(p, " HTTP/1.1\r\n", 11);
    out->len += mlen + ulen + 12;
    return 0;
}

int write_header(hbuf *out, const char *n, size_t nlen, const char *v, size_t vlen) {
    if (hbuf_reserve(out, nlen + vlen + 4) < 0) return -1;
    char *p = out->p + out->len;
    memcpy(p, n, nlen);
    p += nlen;
    *p++ = ':';
    *p++ = ' ';
    if (vlen) memcpy(p, v, vlen);
    p += vlen;
    *p++ = '\r';
    *p = '\n';
    out->len += nlen + vlen + 4;
    return 0;
}

int write_header_continue(hbuf *out, const char *v, size_t vlen) {
    /* the head being built always ends with the previous header's CRLF */
    if (hbuf_avail(out) < 2 || hbuf_reserve(out, vlen + 3) < 0) return -1;
    out->len -= 2;
    if (hbuf_append(out, "\r\n\t", 3) < 0 || hbuf_append(out, v, vlen) < 0 ||
        hbuf_append(out, "\r\n", 2) < 0)
        return -1;
    return 0;
}

int write_host_header(hbuf *out, const char *host, int port, int default_port) {
    size_t hlen = strlen(host);
    bool v6 = memchr(host, ':', hlen) != NULL;
    if (v6) {
        /* a zone id ("%eth0") is local to this machine: not for the peer */
        const char *pct = memchr(host, '%', hlen);
        if (pct) hlen = (size_t)(pct - host);
    }
    /* plain appends: this runs for every request, and the two vsnprintf
     * passes of hbuf_appendf cost more than the rest of the request line */
    if (hbuf_append(out, v6 ? "Host: [" : "Host: ", v6 ? 7 : 6) < 0 ||
        hbuf_append(out, host, hlen) < 0 || (v6 && hbuf_append(out, "]", 1) < 0))
        return -1;
    if (port != default_port) {
        char digits[16];
        size_t n = sizeof digits;
        unsigned u = port < 0 ? 0u - (unsigned)port : (unsigned)port;
        do {
            digits[--n] = (char)('0' + u % 10);
            u /= 10;
        } while (u);
        if (port < 0) digits[--n] = '-';
        digits[--n] = ':';
        if (hbuf_append(out, digits + n, sizeof digits - n) < 0) return -1;
    }
    return hbuf_append(out, "\r\n", 2);
}

int write_chunk(hbuf *out, const char *data, size_t len) {
    if (hbuf_appendf(out, "%zX\r\n", len) < 0 || hbuf_append(out, data, len) < 0 ||
        hbuf_append(out, "\r\n", 2) < 0)
        return -1;
    return 0;
}

int write_last_chunk(hbuf *out) { return hbuf_append(out, "0\r\n\r\n", 5); }
