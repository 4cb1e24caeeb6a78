/* TLS transport: OpenSSL over the connected non-blocking TCP socket of a
 * stream.  Every WANT_READ/WANT_WRITE goes through stream_wait so the
 * connection's timeout and deadline hold during handshakes and records. */
#include "tls.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

typedef struct tls_state {
    SSL *ssl;
    /* The SSL object points into the SSL_CTX; this reference keeps the
     * context alive for as long as the stream uses it. */
    httpc_tls_ctx *ctx;
    /* After SSL_ERROR_SYSCALL/SSL the connection is unusable and OpenSSL
     * forbids SSL_shutdown on it. */
    bool failed;
    /* After the handshake the socket blocks (SO_RCVTIMEO/SO_SNDTIMEO carry
     * the timeout), so a record is one recv() instead of recv(EAGAIN),
     * poll(), recv(); OpenSSL's want-read/want-write then means timed out. */
    bool blocking;
} tls_state;

/* ---- a socket BIO that never raises SIGPIPE --------------------------- */

/* OpenSSL's socket BIO writes with write(2): a peer that closed the
 * connection would kill the process with SIGPIPE.  A library must not
 * change the process's signal disposition, so the BIO sends with
 * MSG_NOSIGNAL and EPIPE comes back as an error instead. */
static BIO_METHOD *nosig_method;
static CRYPTO_ONCE nosig_once = CRYPTO_ONCE_STATIC_INIT;

static int bio_fd(BIO *b) { return (int)(intptr_t)BIO_get_data(b); }

static int nosig_write(BIO *b, const char *buf, int len) {
    ssize_t n;
    BIO_clear_retry_flags(b);
    do
        n = send(bio_fd(b), buf, (size_t)len, MSG_NOSIGNAL);
    while (n < 0 && errno == EINTR);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        BIO_set_retry_write(b);
    return (int)n;
}

static int nosig_read(BIO *b, char *buf, int len) {
    ssize_t n;
    BIO_clear_retry_flags(b);
    do
        n = recv(bio_fd(b), buf, (size_t)len, 0);
    while (n < 0 && errno == EINTR);
    if (n == 0)
        BIO_set_flags(b, BIO_FLAGS_IN_EOF);
    else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        BIO_set_retry_read(b);
    return (int)n;
}

static int nosig_puts(BIO *b, const char *str) {
    size_t n = strlen(str);
    return nosig_write(b, str, n > INT_MAX ? INT_MAX : (int)n);
}

static long nosig_ctrl(BIO *b, int cmd, long num, void *ptr) {
    (void)num;
    switch (cmd) {
    case BIO_CTRL_FLUSH:
        return 1;
    /* OpenSSL tells a truncated stream from a clean close by this. */
    case BIO_CTRL_EOF:
        return BIO_test_flags(b, BIO_FLAGS_IN_EOF) != 0;
    case BIO_C_GET_FD:
        if (ptr)
            *(int *)ptr = bio_fd(b);
        return bio_fd(b);
    default:
        return 0;
    }
}

static void nosig_init(void) {
    BIO_METHOD *m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK |
                                     BIO_TYPE_DESCRIPTOR,
                                 "httpc socket");
    if (!m)
        return;
    if (!BIO_meth_set_write(m, nosig_write) || !BIO_meth_set_read(m, nosig_read) ||
        !BIO_meth_set_puts(m, nosig_puts) || !BIO_meth_set_ctrl(m, nosig_ctrl)) {
        BIO_meth_free(m);
        return;
    }
    nosig_method = m;
}

static BIO *nosig_bio(int fd) {
    if (!CRYPTO_THREAD_run_once(&nosig_once, nosig_init) || !nosig_method)
        return NULL;
    BIO *b = BIO_new(nosig_method);
    if (!b)
        return NULL;
    /* The fd belongs to the stream; the BIO never closes it. */
    BIO_set_data(b, (void *)(intptr_t)fd);
    BIO_set_init(b, 1);
    return b;
}

/* ---- errors ------------------------------------------------------------ */

static bool is_unexpected_eof(unsigned long ec) {
    return ERR_GET_LIB(ec) == ERR_LIB_SSL &&
           ERR_GET_REASON(ec) == SSL_R_UNEXPECTED_EOF_WHILE_READING;
}

/* Python's message for a failed verification, e.g.
 * "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: certificate
 * has expired"; the hostname and IP cases name the expected name as
 * Python's _ssl does. */
static int verify_error(httpc_error *e, long vr, const char *servername) {
    const char *why = X509_verify_cert_error_string(vr);
    ERR_clear_error();
    if (vr == X509_V_ERR_HOSTNAME_MISMATCH)
        err_set(e, HTTPC_E_SSLCERTVERIFICATION,
                "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: "
                "Hostname mismatch, certificate is not valid for '%s'.",
                servername ? servername : "");
    else if (vr == X509_V_ERR_IP_ADDRESS_MISMATCH)
        err_set(e, HTTPC_E_SSLCERTVERIFICATION,
                "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: "
                "IP address mismatch, certificate is not valid for '%s'.",
                servername ? servername : "");
    else
        err_set(e, HTTPC_E_SSLCERTVERIFICATION,
                "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: %s", why);
    err_reason(e, why);
    return -HTTPC_E_SSLCERTVERIFICATION;
}

/* Turns a failed SSL_* call into -code with e set.  `sslerr` is
 * SSL_get_error's verdict, `en` the errno saved right after the call. */
static int io_error(tls_state *ts, int sslerr, int en, const char *what,
                    httpc_error *e) {
    ts->failed = true;
    if (sslerr == SSL_ERROR_SYSCALL) {
        unsigned long ec = ERR_peek_last_error();
        if (ec == 0 && en != 0) {
            ERR_clear_error();
            return -err_os(e, en, what);
        }
        if (ec == 0) {
            err_set(e, HTTPC_E_SSL, "EOF occurred in violation of protocol");
            err_reason(e, "");
            return -HTTPC_E_SSL;
        }
    }
    if (sslerr == SSL_ERROR_SSL || sslerr == SSL_ERROR_SYSCALL) {
        unsigned long ec = ERR_peek_last_error();
        if (is_unexpected_eof(ec)) {
            ERR_clear_error();
            err_set(e, HTTPC_E_SSL, "[SSL: UNEXPECTED_EOF_WHILE_READING] EOF "
                                    "occurred in violation of protocol");
            err_reason(e, "unexpected eof while reading");
            return -HTTPC_E_SSL;
        }
        return -tls_err_openssl(e, HTTPC_E_SSL, "TLS error");
    }
    ERR_clear_error();
    err_set(e, HTTPC_E_SSL, "TLS error %d in %s", sslerr, what);
    return -HTTPC_E_SSL;
}

/* ---- the transport ----------------------------------------------------- */

static void tls_free_state(tls_state *ts) {
    if (!ts)
        return;
    SSL_free(ts->ssl);
    httpc_tls_ctx_free(ts->ctx);
    free(ts);
}

/* Blocking mode: OpenSSL reports want-read/want-write when the socket
 * timed out (the BIO saw EAGAIN), and also after a record that carried no
 * application data (a TLS 1.3 session ticket), since SSL_MODE_AUTO_RETRY
 * is off; the second is retried with the timeout and deadline applied
 * afresh. */
static int blocking_retry(stream *s, int en, httpc_error *e) {
    if (en == EAGAIN || en == EWOULDBLOCK)
        return tcp_timed_out(s, e);
    return tcp_apply_timeout(s, e);
}

static long tls_recv(stream *s, char *buf, size_t len, httpc_error *e) {
    tls_state *ts = s->tls;
    if (!ts || ts->failed || len == 0)
        return 0;
    int rc;
    if (ts->blocking && (rc = tcp_apply_timeout(s, e)) < 0)
        return rc;
    for (;;) {
        size_t n = 0;
        ERR_clear_error();
        errno = 0;
        int r = SSL_read_ex(ts->ssl, buf, len > LONG_MAX ? LONG_MAX : len, &n);
        int en = errno;
        if (r == 1)
            return (long)n;
        int se = SSL_get_error(ts->ssl, r);
        switch (se) {
        case SSL_ERROR_WANT_READ:
            if (ts->blocking) {
                if ((rc = blocking_retry(s, en, e)) < 0)
                    return rc;
                continue;
            }
            if ((rc = stream_wait(s, POLLIN, e)) < 0)
                return rc;
            continue;
        case SSL_ERROR_WANT_WRITE: /* a key update or post-handshake message */
            if (ts->blocking) {
                if ((rc = blocking_retry(s, en, e)) < 0)
                    return rc;
                continue;
            }
            if ((rc = stream_wait(s, POLLOUT, e)) < 0)
                return rc;
            continue;
        case SSL_ERROR_ZERO_RETURN:
            return 0;
        default:
            break;
        }
        /* A peer that closes without close_notify is, for HTTP, only an
         * EOF: the response's framing (Content-Length, chunked, or
         * read-until-close) already says whether the body was complete,
         * and response.c turns a short body into IncompleteRead.  Many
         * servers never send close_notify, and Python's http.client reads
         * such bodies fine, so this is not an SSLError here. */
        unsigned long ec = ERR_peek_last_error();
        if ((se == SSL_ERROR_SYSCALL && ec == 0 && en == 0) ||
            (se == SSL_ERROR_SSL && is_unexpected_eof(ec))) {
            ERR_clear_error();
            ts->failed = true;
            return 0;
        }
        return io_error(ts, se, en, "recv", e);
    }
}

static long tls_send(stream *s, const char *buf, size_t len, httpc_error *e) {
    tls_state *ts = s->tls;
    if (!ts || ts->failed)
        return -err_os(e, EPIPE, "send");
    if (len == 0)
        return 0;
    int rc;
    if (ts->blocking && (rc = tcp_apply_timeout(s, e)) < 0)
        return rc;
    for (;;) {
        size_t n = 0;
        ERR_clear_error();
        errno = 0;
        int r = SSL_write_ex(ts->ssl, buf, len > LONG_MAX ? LONG_MAX : len, &n);
        int en = errno;
        if (r == 1)
            return (long)n;
        int se = SSL_get_error(ts->ssl, r);
        switch (se) {
        case SSL_ERROR_WANT_WRITE:
            if (ts->blocking) {
                if ((rc = blocking_retry(s, en, e)) < 0)
                    return rc;
                continue;
            }
            if ((rc = stream_wait(s, POLLOUT, e)) < 0)
                return rc;
            continue;
        case SSL_ERROR_WANT_READ:
            if (ts->blocking) {
                if ((rc = blocking_retry(s, en, e)) < 0)
                    return rc;
                continue;
            }
            if ((rc = stream_wait(s, POLLIN, e)) < 0)
                return rc;
            continue;
        case SSL_ERROR_ZERO_RETURN:
            /* The peer sent close_notify; writing more is a broken pipe. */
            ts->failed = true;
            return -err_os(e, EPIPE, "send");
        default:
            return io_error(ts, se, en, "send", e);
        }
    }
}

static void tls_close(stream *s) {
    tls_state *ts = s->tls;
    if (ts) {
        /* One non-blocking close_notify, as a courtesy: waiting for the
         * peer's reply would make close() block, and HTTP never needs it. */
        if (!ts->failed) {
            if (ts->blocking) {
                int fl = fcntl(s->fd, F_GETFL);
                if (fl < 0 || fcntl(s->fd, F_SETFL, fl | O_NONBLOCK) < 0)
                    ts->failed = true; /* a blocking send could hang the close */
            }
        }
        if (!ts->failed) {
            ERR_clear_error();
            (void)SSL_shutdown(ts->ssl);
        }
        ERR_clear_error();
        s->tls = NULL;
        tls_free_state(ts);
    }
    tcp_ops.close(s);
}

static const stream_ops tls_ops = {tls_recv, tls_send, tls_close};

/* An IP literal must not go out as SNI (RFC 6066 §3) and must be matched
 * against the certificate's IP SANs, not its DNS names. */
static bool is_ip_literal(const char *host) {
    unsigned char addr[sizeof(struct in6_addr)];
    if (inet_pton(AF_INET, host, addr) == 1 || inet_pton(AF_INET6, host, addr) == 1)
        return true;
    /* A scoped IPv6 address ("fe80::1%eth0") is still an address. */
    const char *pct = strchr(host, '%');
    if (pct && strchr(host, ':')) {
        size_t n = (size_t)(pct - host);
        char *tmp = malloc(n + 1);
        if (!tmp)
            return true; /* safer to skip SNI than to send an address */
        memcpy(tmp, host, n);
        tmp[n] = '\0';
        bool ok = inet_pton(AF_INET6, tmp, addr) == 1;
        free(tmp);
        return ok;
    }
    return false;
}

int tls_start(stream *s, httpc_tls_ctx *ctx, const char *servername, httpc_error *e) {
    if (!ctx)
        return -err_set(e, HTTPC_E_VALUE, "no TLS context");
    if (ctx->check_hostname && (!servername || !*servername))
        return -err_set(e, HTTPC_E_VALUE,
                        "check_hostname requires server_hostname");
    tls_state *ts = calloc(1, sizeof *ts);
    if (!ts)
        return -err_nomem(e);
    ERR_clear_error();
    ts->ssl = SSL_new(ctx->ssl);
    if (!ts->ssl) {
        free(ts);
        return -tls_err_openssl(e, HTTPC_E_MEMORY, "out of memory");
    }
    ts->ctx = tls_ctx_ref(ctx);
    /* Without read-ahead OpenSSL reads each record with two recv() calls
     * (the 5-byte header, then the rest); with it, one recv() takes as
     * many bytes as are there. */
    SSL_set_read_ahead(ts->ssl, 1);
    int rc;
    BIO *bio = nosig_bio(s->fd);
    if (!bio) {
        rc = -tls_err_openssl(e, HTTPC_E_MEMORY, "out of memory");
        goto fail;
    }
    SSL_set_bio(ts->ssl, bio, bio);
    bool ip = servername && *servername && is_ip_literal(servername);
    if (servername && *servername && !ip &&
        !SSL_set_tlsext_host_name(ts->ssl, servername)) {
        rc = -tls_err_openssl(e, HTTPC_E_SSL, "cannot set server name");
        goto fail;
    }
    if (ctx->check_hostname) {
        /* Python 3.10+: no partial wildcards, and the subject CN is never
         * used as a fallback name. */
        SSL_set_hostflags(ts->ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS |
                                       X509_CHECK_FLAG_NEVER_CHECK_SUBJECT);
        int ok = ip ? X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ts->ssl), servername)
                    : SSL_set1_host(ts->ssl, servername);
        if (ok != 1) {
            rc = -tls_err_openssl(e, HTTPC_E_SSL, "cannot set the expected host name");
            goto fail;
        }
    }
    for (;;) {
        ERR_clear_error();
        errno = 0;
        int r = SSL_connect(ts->ssl);
        int en = errno;
        if (r == 1)
            break;
        int se = SSL_get_error(ts->ssl, r);
        if (se == SSL_ERROR_WANT_READ || se == SSL_ERROR_WANT_WRITE) {
            if ((rc = stream_wait(s, se == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, e)) < 0)
                goto fail;
            continue;
        }
        unsigned long ec = ERR_peek_last_error();
        long vr = SSL_get_verify_result(ts->ssl);
        if (ctx->verify_mode != HTTPC_CERT_NONE &&
            (vr != X509_V_OK ||
             (ERR_GET_LIB(ec) == ERR_LIB_SSL &&
              ERR_GET_REASON(ec) == SSL_R_CERTIFICATE_VERIFY_FAILED))) {
            rc = verify_error(e, vr, servername);
            goto fail;
        }
        rc = io_error(ts, se, en, "handshake", e);
        goto fail;
    }
    /* Belt and braces: a handshake that succeeded with verification on
     * must also have verified (it always does with SSL_VERIFY_PEER). */
    if (ctx->verify_mode != HTTPC_CERT_NONE) {
        long vr = SSL_get_verify_result(ts->ssl);
        if (vr != X509_V_OK) {
            rc = verify_error(e, vr, servername);
            goto fail;
        }
    }
    if ((rc = tcp_make_blocking(s, e)) < 0)
        goto fail;
    ts->blocking = true;
    s->tls = ts;
    s->ops = &tls_ops;
    return 0;
fail:
    ERR_clear_error();
    tls_free_state(ts);
    return rc;
}
