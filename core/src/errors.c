/* strerror_r returns the message (GNU form) */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
/* The error tree of CONTRACT.md §4 as data, and the per-handle error. */
#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct code_info {
    const char *name;
    int parents[2];
} code_info;

static const code_info codes[] = {
    [HTTPC_OK] = {"OK", {0, 0}},
    [HTTPC_WANT_READ] = {"WantRead", {0, 0}},
    [HTTPC_WANT_WRITE] = {"WantWrite", {0, 0}},
    [HTTPC_WANT_CONNECT] = {"WantConnect", {0, 0}},
    [HTTPC_E_HTTPEXCEPTION] = {"HTTPException", {0, 0}},
    [HTTPC_E_NOTCONNECTED] = {"NotConnected", {HTTPC_E_HTTPEXCEPTION, 0}},
    [HTTPC_E_INVALIDURL] = {"InvalidURL", {HTTPC_E_HTTPEXCEPTION, 0}},
    [HTTPC_E_UNKNOWNPROTOCOL] = {"UnknownProtocol", {HTTPC_E_HTTPEXCEPTION, 0}},
    [HTTPC_E_UNKNOWNTRANSFERENCODING] = {"UnknownTransferEncoding", {HTTPC_E_HTTPEXCEPTION, 0}},
    [HTTPC_E_UNIMPLEMENTEDFILEMODE] = {"UnimplementedFileMode", {HTTPC_E_HTTPEXCEPTION, 0}},
    [HTTPC_E_INCOMPLETEREAD] = {"IncompleteRead", {HTTPC_E_HTTPEXCEPTION, 0}},
    [HTTPC_E_IMPROPERCONNECTIONSTATE] = {"ImproperConnectionState", {HTTPC_E_HTTPEXCEPTION, 0}},
    [HTTPC_E_CANNOTSENDREQUEST] = {"CannotSendRequest", {HTTPC_E_IMPROPERCONNECTIONSTATE, 0}},
    [HTTPC_E_CANNOTSENDHEADER] = {"CannotSendHeader", {HTTPC_E_IMPROPERCONNECTIONSTATE, 0}},
    [HTTPC_E_RESPONSENOTREADY] = {"ResponseNotReady", {HTTPC_E_IMPROPERCONNECTIONSTATE, 0}},
    [HTTPC_E_BADSTATUSLINE] = {"BadStatusLine", {HTTPC_E_HTTPEXCEPTION, 0}},
    [HTTPC_E_REMOTEDISCONNECTED] = {"RemoteDisconnected",
                                    {HTTPC_E_BADSTATUSLINE, HTTPC_E_CONNECTIONRESET}},
    [HTTPC_E_LINETOOLONG] = {"LineTooLong", {HTTPC_E_HTTPEXCEPTION, 0}},
    [HTTPC_E_OSERROR] = {"OSError", {0, 0}},
    [HTTPC_E_CONNECTIONERROR] = {"ConnectionError", {HTTPC_E_OSERROR, 0}},
    [HTTPC_E_CONNECTIONREFUSED] = {"ConnectionRefusedError", {HTTPC_E_CONNECTIONERROR, 0}},
    [HTTPC_E_CONNECTIONRESET] = {"ConnectionResetError", {HTTPC_E_CONNECTIONERROR, 0}},
    [HTTPC_E_CONNECTIONABORTED] = {"ConnectionAbortedError", {HTTPC_E_CONNECTIONERROR, 0}},
    [HTTPC_E_BROKENPIPE] = {"BrokenPipeError", {HTTPC_E_CONNECTIONERROR, 0}},
    [HTTPC_E_TIMEOUT] = {"TimeoutError", {HTTPC_E_OSERROR, 0}},
    [HTTPC_E_NAMERESOLUTION] = {"NameResolutionError", {HTTPC_E_OSERROR, 0}},
    [HTTPC_E_SSL] = {"SSLError", {HTTPC_E_OSERROR, 0}},
    [HTTPC_E_SSLCERTVERIFICATION] = {"SSLCertVerificationError", {HTTPC_E_SSL, 0}},
    [HTTPC_E_VALUE] = {"ValueError", {0, 0}},
    [HTTPC_E_RUNTIME] = {"RuntimeError", {0, 0}},
    [HTTPC_E_MEMORY] = {"MemoryError", {0, 0}},
};

static const code_info *info(int code) {
    if (code < 0 || code > HTTPC_E_LAST || !codes[code].name) return NULL;
    return &codes[code];
}

const char *httpc_code_name(int code) {
    const code_info *i = info(code);
    return i ? i->name : NULL;
}

int httpc_code_parent(int code, int n) {
    const code_info *i = info(code);
    if (!i || n < 0 || n > 1) return 0;
    return i->parents[n];
}

int httpc_code_is(int code, int ancestor) {
    const code_info *i = info(code);
    if (!i) return 0;
    if (code == ancestor) return 1;
    for (int k = 0; k < 2; k++)
        if (i->parents[k] && httpc_code_is(i->parents[k], ancestor)) return 1;
    return 0;
}

int httpc_code_from_name(const char *name) {
    if (!name) return 0;
    for (int c = 0; c <= HTTPC_E_LAST; c++)
        if (codes[c].name && strcmp(codes[c].name, name) == 0) return c;
    return 0;
}

/* ---- the per-handle error -------------------------------------------- */

static const char nomem_msg[] = "out of memory";

void err_init(httpc_error *e) {
    memset(e, 0, sizeof *e);
    e->expected = -1;
}

void err_clear(httpc_error *e) {
    if (e->msg != nomem_msg) free(e->msg);
    free(e->partial);
    free(e->line);
    free(e->reason);
    err_init(e);
}

static int set_msgv(httpc_error *e, int code, const char *fmt, va_list ap) {
    err_clear(e);
    e->code = code;
    hbuf m = {0};
    if (hbuf_vappendf(&m, fmt, ap) == 0 && hbuf_append(&m, "", 1) == 0) e->msg = m.p;
    else hbuf_free(&m), e->msg = (char *)nomem_msg;
    return code;
}

int err_set(httpc_error *e, int code, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    set_msgv(e, code, fmt, ap);
    va_end(ap);
    return code;
}

int err_nomem(httpc_error *e) {
    err_clear(e);
    e->code = HTTPC_E_MEMORY;
    e->msg = (char *)nomem_msg;
    return HTTPC_E_MEMORY;
}

int err_os(httpc_error *e, int errnum, const char *context) {
    int code;
    switch (errnum) {
    case ECONNREFUSED: code = HTTPC_E_CONNECTIONREFUSED; break;
    case ECONNRESET: code = HTTPC_E_CONNECTIONRESET; break;
    case ECONNABORTED: code = HTTPC_E_CONNECTIONABORTED; break;
    case EPIPE: case ESHUTDOWN: code = HTTPC_E_BROKENPIPE; break;
    case ETIMEDOUT: code = HTTPC_E_TIMEOUT; break;
    default: code = HTTPC_E_OSERROR; break;
    }
    char buf[256];
    const char *s = strerror_r(errnum, buf, sizeof buf);
    if (context && *context)
        err_set(e, code, "[Errno %d] %s (%s)", errnum, s, context);
    else
        err_set(e, code, "[Errno %d] %s", errnum, s);
    e->os_errno = errnum;
    return code;
}

static char *dup_bytes(const char *p, size_t n) {
    char *d = malloc(n + 1);
    if (!d) return NULL;
    if (n) memcpy(d, p, n);
    d[n] = '\0';
    return d;
}

int err_incomplete(httpc_error *e, const char *partial, size_t len, int64_t expected) {
    if (expected >= 0)
        err_set(e, HTTPC_E_INCOMPLETEREAD, "IncompleteRead(%zu bytes read, %lld more expected)",
                len, (long long)expected);
    else
        err_set(e, HTTPC_E_INCOMPLETEREAD, "IncompleteRead(%zu bytes read)", len);
    e->partial = dup_bytes(partial, len);
    if (!e->partial) return err_nomem(e);
    e->partial_len = len;
    e->expected = expected;
    return HTTPC_E_INCOMPLETEREAD;
}

int err_badline(httpc_error *e, int code, const char *line, size_t len) {
    /* Like Python's repr of the line, bounded so a huge line does not make
     * a huge message. */
    size_t shown = len > 200 ? 200 : len;
    hbuf m = {0};
    if (debug_repr_str(&m, line, shown) < 0 || hbuf_append(&m, "", 1) < 0) {
        hbuf_free(&m);
        return err_nomem(e);
    }
    err_set(e, code, "%s%s", m.p, shown < len ? "..." : "");
    hbuf_free(&m);
    e->line = dup_bytes(line, len);
    if (!e->line) return err_nomem(e);
    e->line_len = len;
    return code;
}

int err_toolong(httpc_error *e, const char *what) {
    err_set(e, HTTPC_E_LINETOOLONG, "got more than %d bytes when reading %s", HTTPC_MAXLINE,
            what);
    e->what = what;
    return HTTPC_E_LINETOOLONG;
}

void err_reason(httpc_error *e, const char *reason) {
    free(e->reason);
    e->reason = reason ? dup_bytes(reason, strlen(reason)) : NULL;
}

int err_copy(httpc_error *dst, const httpc_error *src) {
    if (dst == src) return src->code;
    err_clear(dst);
    dst->code = src->code;
    dst->msg = src->msg == nomem_msg ? (char *)nomem_msg : dup_bytes(src->msg, strlen(src->msg));
    dst->expected = src->expected;
    dst->os_errno = src->os_errno;
    dst->what = src->what;
    if (src->partial) {
        dst->partial = dup_bytes(src->partial, src->partial_len);
        dst->partial_len = src->partial_len;
    }
    if (src->line) {
        dst->line = dup_bytes(src->line, src->line_len);
        dst->line_len = src->line_len;
    }
    if (src->reason) dst->reason = dup_bytes(src->reason, strlen(src->reason));
    if (!dst->msg || (src->partial && !dst->partial) || (src->line && !dst->line) ||
        (src->reason && !dst->reason))
        return err_nomem(dst);
    return dst->code;
}

/* ---- public accessors ------------------------------------------------- */

int httpc_error_code(const httpc_error *e) { return e ? e->code : HTTPC_OK; }
const char *httpc_error_message(const httpc_error *e) {
    return e && e->msg ? e->msg : "";
}
const char *httpc_error_partial(const httpc_error *e, size_t *len) {
    if (len) *len = e ? e->partial_len : 0;
    return e && e->partial ? e->partial : "";
}
int64_t httpc_error_expected(const httpc_error *e) { return e ? e->expected : -1; }
int httpc_error_errno(const httpc_error *e) { return e ? e->os_errno : 0; }
const char *httpc_error_line(const httpc_error *e, size_t *len) {
    if (len) *len = e ? e->line_len : 0;
    return e && e->line ? e->line : "";
}
const char *httpc_error_what(const httpc_error *e) { return e && e->what ? e->what : ""; }
const char *httpc_error_reason(const httpc_error *e) {
    return e && e->reason ? e->reason : "";
}

void httpc_free(void *p) { free(p); }
const char *httpc_version(void) { return HTTPC_VERSION_STRING; }
int httpc_abi_version(void) { return HTTPC_ABI_VERSION; }
