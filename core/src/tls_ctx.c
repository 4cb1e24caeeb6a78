/* TLS contexts: the subset of Python's ssl.SSLContext that http.client
 * users touch, over an OpenSSL SSL_CTX. */
#include "tls.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

/* Python names OpenSSL libraries by their short mnemonic ("SSL", "X509"),
 * not by OpenSSL 3's long strings ("SSL routines"). */
static const char *lib_mnemonic(int lib) {
    switch (lib) {
    case ERR_LIB_SSL: return "SSL";
    case ERR_LIB_X509: return "X509";
    case ERR_LIB_X509V3: return "X509V3";
    case ERR_LIB_PEM: return "PEM";
    case ERR_LIB_EVP: return "EVP";
    case ERR_LIB_ASN1: return "ASN1";
    case ERR_LIB_BIO: return "BIO";
    case ERR_LIB_PROV: return "PROV";
    case ERR_LIB_SYS: return "SYS";
    case ERR_LIB_RSA: return "RSA";
    case ERR_LIB_EC: return "EC";
    case ERR_LIB_PKCS12: return "PKCS12";
    case ERR_LIB_CRYPTO: return "CRYPTO";
    default: {
        const char *s = ERR_lib_error_string(ERR_PACK(lib, 0, 0));
        return s ? s : "OPENSSL";
    }
    }
}

int tls_err_openssl(httpc_error *e, int code, const char *fallback) {
    unsigned long ec = ERR_peek_last_error();
    if (ec == 0) {
        err_set(e, code, "%s", fallback);
        err_reason(e, "");
        return code;
    }
    const char *reason = ERR_reason_error_string(ec);
    char numeric[64];
    if (!reason) {
        /* OpenSSL knows no text for it; its own numeric form is bounded. */
        ERR_error_string_n(ec, numeric, sizeof numeric);
        reason = numeric;
    }
    /* "unsupported protocol" -> "UNSUPPORTED_PROTOCOL": the mnemonic
     * Python prints in brackets is the reason's own spelling. */
    size_t n = strlen(reason);
    char *mn = malloc(n + 1);
    if (!mn) {
        ERR_clear_error();
        return err_nomem(e);
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)reason[i];
        mn[i] = isalnum(c) ? (char)toupper(c) : '_';
    }
    mn[n] = '\0';
    err_set(e, code, "[%s: %s] %s", lib_mnemonic(ERR_GET_LIB(ec)), mn, reason);
    err_reason(e, reason);
    free(mn);
    ERR_clear_error();
    return code;
}

/* A missing or unreadable file is an OSError in Python (FileNotFoundError
 * for ENOENT), not an SSLError.  OpenSSL's own record of the errno depends
 * on which loader failed, so ask the file system directly. */
static int file_error(httpc_error *e, const char *path) {
    if (path && access(path, R_OK) != 0) {
        int en = errno;
        ERR_clear_error();
        return err_os(e, en, path);
    }
    return tls_err_openssl(e, HTTPC_E_SSL, "OpenSSL failed to load the file");
}

static int to_ssl_verify(int mode) {
    switch (mode) {
    case HTTPC_CERT_NONE: return SSL_VERIFY_NONE;
    /* A client always gets a certificate or a failed handshake, so
     * OPTIONAL behaves as REQUIRED, as in Python. */
    case HTTPC_CERT_OPTIONAL: return SSL_VERIFY_PEER;
    default: return SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
    }
}

static int to_ossl_version(int v) {
    switch (v) {
    case HTTPC_TLS1_0: return TLS1_VERSION;
    case HTTPC_TLS1_1: return TLS1_1_VERSION;
    case HTTPC_TLS1_2: return TLS1_2_VERSION;
    case HTTPC_TLS1_3: return TLS1_3_VERSION;
    default: return -1;
    }
}

httpc_tls_ctx *httpc_tls_ctx_new(int kind) {
    if (kind != HTTPC_TLS_DEFAULT && kind != HTTPC_TLS_UNVERIFIED && kind != HTTPC_TLS_VERIFY)
        return NULL;
    httpc_tls_ctx *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    err_init(&c->err);
    atomic_init(&c->refs, 1);
    ERR_clear_error();
    c->ssl = SSL_CTX_new(TLS_client_method());
    if (!c->ssl)
        goto fail;
    c->security_level = SSL_CTX_get_security_level(c->ssl);
    if (!SSL_CTX_set_min_proto_version(c->ssl, TLS1_2_VERSION))
        goto fail;
    c->minimum_version = HTTPC_TLS1_2;
    /* Sockets are non-blocking and every WANT_* goes back through
     * stream_wait (timeouts, deadline); AUTO_RETRY would hide them.
     * Partial writes let send() behave like send(2), and the moving buffer
     * mode lets a retry come from a different copy of the same bytes. */
    SSL_CTX_clear_mode(c->ssl, SSL_MODE_AUTO_RETRY);
    SSL_CTX_set_mode(c->ssl, SSL_MODE_ENABLE_PARTIAL_WRITE |
                                 SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    static const unsigned char alpn[] = "\x08http/1.1";
    /* Reversed convention: 0 is success. */
    if (SSL_CTX_set_alpn_protos(c->ssl, alpn, sizeof alpn - 1) != 0)
        goto fail;
    if (kind == HTTPC_TLS_DEFAULT || kind == HTTPC_TLS_VERIFY) {
        /* As create_default_context(): the system store, unless the caller
         * names its own anchors (then only those are trusted, as Python's
         * create_default_context(cafile=...) does).  A missing store is not
         * an error here; verification then fails at the handshake. */
        if (kind == HTTPC_TLS_DEFAULT) SSL_CTX_set_default_verify_paths(c->ssl);
        c->verify_mode = HTTPC_CERT_REQUIRED;
        c->check_hostname = 1;
    } else {
        c->verify_mode = HTTPC_CERT_NONE;
        c->check_hostname = 0;
    }
    SSL_CTX_set_verify(c->ssl, to_ssl_verify(c->verify_mode), NULL);
    ERR_clear_error();
    return c;
fail:
    ERR_clear_error();
    SSL_CTX_free(c->ssl);
    err_clear(&c->err);
    free(c);
    return NULL;
}

httpc_tls_ctx *tls_ctx_ref(httpc_tls_ctx *ctx) {
    if (ctx)
        atomic_fetch_add_explicit(&ctx->refs, 1, memory_order_relaxed);
    return ctx;
}

void httpc_tls_ctx_free(httpc_tls_ctx *ctx) {
    if (!ctx)
        return;
    if (atomic_fetch_sub_explicit(&ctx->refs, 1, memory_order_acq_rel) != 1)
        return;
    SSL_CTX_free(ctx->ssl);
    err_clear(&ctx->err);
    free(ctx);
}

const httpc_error *httpc_tls_ctx_error(const httpc_tls_ctx *ctx) {
    return ctx ? &ctx->err : NULL;
}

int httpc_tls_ctx_load_verify_locations(httpc_tls_ctx *ctx, const char *cafile,
                                        const char *capath) {
    if (!ctx)
        return HTTPC_E_VALUE;
    if (!cafile && !capath)
        return err_set(&ctx->err, HTTPC_E_VALUE,
                       "cafile, capath and cadata cannot be all omitted");
    ERR_clear_error();
    if (SSL_CTX_load_verify_locations(ctx->ssl, cafile, capath) != 1)
        return file_error(&ctx->err, cafile ? cafile : capath);
    return HTTPC_OK;
}

int httpc_tls_ctx_load_verify_data(httpc_tls_ctx *ctx, const char *pem, size_t len) {
    if (!ctx)
        return HTTPC_E_VALUE;
    if (!pem || len > INT_MAX)
        return err_set(&ctx->err, HTTPC_E_VALUE, "cadata must be at most %d bytes",
                       INT_MAX);
    ERR_clear_error();
    BIO *bio = BIO_new_mem_buf(pem, (int)len);
    if (!bio)
        return tls_err_openssl(&ctx->err, HTTPC_E_MEMORY, "out of memory");
    X509_STORE *store = SSL_CTX_get_cert_store(ctx->ssl);
    int loaded = 0;
    X509 *x;
    while ((x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
        int ok = X509_STORE_add_cert(store, x);
        X509_free(x);
        if (!ok) {
            BIO_free(bio);
            return tls_err_openssl(&ctx->err, HTTPC_E_SSL, "cannot add certificate");
        }
        loaded++;
    }
    BIO_free(bio);
    unsigned long last = ERR_peek_last_error();
    /* The loop always ends on "no start line"; that is the end of the data
     * once something was loaded, anything else is a broken certificate. */
    if (loaded > 0 && ERR_GET_LIB(last) == ERR_LIB_PEM &&
        ERR_GET_REASON(last) == PEM_R_NO_START_LINE) {
        ERR_clear_error();
        return HTTPC_OK;
    }
    if (loaded == 0) {
        ERR_clear_error();
        err_set(&ctx->err, HTTPC_E_SSL,
                "[X509: NO_CERTIFICATE_OR_CRL_FOUND] no certificate or crl found");
        err_reason(&ctx->err, "no certificate or crl found");
        return HTTPC_E_SSL;
    }
    return tls_err_openssl(&ctx->err, HTTPC_E_SSL, "cannot read certificate");
}

/* The password goes through the callback so OpenSSL never falls back to
 * prompting on the terminal, which a library must not do. */
struct pw_arg {
    const char *pw;
    size_t len;
    int too_long;
};

static int pw_cb(char *buf, int size, int rwflag, void *u) {
    (void)rwflag;
    struct pw_arg *a = u;
    if (!a || !a->pw)
        return -1;
    if (size < 0 || a->len > (size_t)size) {
        a->too_long = 1;
        return -1;
    }
    memcpy(buf, a->pw, a->len);
    return (int)a->len;
}

int httpc_tls_ctx_load_cert_chain(httpc_tls_ctx *ctx, const char *certfile,
                                  const char *keyfile, const char *password) {
    if (!ctx)
        return HTTPC_E_VALUE;
    if (!certfile)
        return err_set(&ctx->err, HTTPC_E_VALUE, "certfile must be given");
    if (!keyfile)
        keyfile = certfile;
    struct pw_arg a = {password, password ? strlen(password) : 0, 0};
    int rc = HTTPC_OK;
    ERR_clear_error();
    SSL_CTX_set_default_passwd_cb(ctx->ssl, pw_cb);
    SSL_CTX_set_default_passwd_cb_userdata(ctx->ssl, &a);
    if (SSL_CTX_use_certificate_chain_file(ctx->ssl, certfile) != 1) {
        rc = file_error(&ctx->err, certfile);
        goto out;
    }
    if (SSL_CTX_use_PrivateKey_file(ctx->ssl, keyfile, SSL_FILETYPE_PEM) != 1) {
        if (a.too_long) {
            ERR_clear_error();
            rc = err_set(&ctx->err, HTTPC_E_VALUE,
                         "password cannot be longer than %d bytes", PEM_BUFSIZE);
        } else {
            rc = file_error(&ctx->err, keyfile);
        }
        goto out;
    }
    if (SSL_CTX_check_private_key(ctx->ssl) != 1)
        rc = tls_err_openssl(&ctx->err, HTTPC_E_SSL, "key values mismatch");
out:
    /* `a` lives on this stack frame only. */
    SSL_CTX_set_default_passwd_cb(ctx->ssl, NULL);
    SSL_CTX_set_default_passwd_cb_userdata(ctx->ssl, NULL);
    return rc;
}

int httpc_tls_ctx_set_check_hostname(httpc_tls_ctx *ctx, int on) {
    if (!ctx)
        return HTTPC_E_VALUE;
    on = on != 0;
    if (on && ctx->verify_mode == HTTPC_CERT_NONE) {
        ctx->verify_mode = HTTPC_CERT_REQUIRED;
        SSL_CTX_set_verify(ctx->ssl, to_ssl_verify(ctx->verify_mode), NULL);
    }
    ctx->check_hostname = on;
    return HTTPC_OK;
}

int httpc_tls_ctx_get_check_hostname(const httpc_tls_ctx *ctx) {
    return ctx ? ctx->check_hostname : 0;
}

int httpc_tls_ctx_set_verify_mode(httpc_tls_ctx *ctx, int mode) {
    if (!ctx)
        return HTTPC_E_VALUE;
    if (mode != HTTPC_CERT_NONE && mode != HTTPC_CERT_OPTIONAL &&
        mode != HTTPC_CERT_REQUIRED)
        return err_set(&ctx->err, HTTPC_E_VALUE, "invalid value for verify_mode");
    if (mode == HTTPC_CERT_NONE && ctx->check_hostname)
        return err_set(&ctx->err, HTTPC_E_VALUE,
                       "Cannot set verify_mode to CERT_NONE when check_hostname "
                       "is enabled.");
    ctx->verify_mode = mode;
    SSL_CTX_set_verify(ctx->ssl, to_ssl_verify(mode), NULL);
    return HTTPC_OK;
}

int httpc_tls_ctx_get_verify_mode(const httpc_tls_ctx *ctx) {
    return ctx ? ctx->verify_mode : HTTPC_CERT_NONE;
}

int httpc_tls_ctx_set_minimum_version(httpc_tls_ctx *ctx, int version) {
    if (!ctx)
        return HTTPC_E_VALUE;
    int v = to_ossl_version(version);
    if (v < 0)
        return err_set(&ctx->err, HTTPC_E_VALUE, "unsupported TLS version 0x%04x",
                       (unsigned)version);
    ERR_clear_error();
    if (SSL_CTX_set_min_proto_version(ctx->ssl, v) != 1)
        return tls_err_openssl(&ctx->err, HTTPC_E_VALUE, "unsupported TLS version");
    /* OpenSSL 3 at security level >= 1 refuses the SHA-1/MD5 signatures
     * TLS 1.0/1.1 are built on, so asking for them alone would change
     * nothing: the handshake would still fail.  A caller who lowers the
     * minimum wants to reach old servers, so the level drops to 0 with it
     * (what "@SECLEVEL=0" does in Python's set_ciphers) and returns to the
     * configured level when the minimum goes back up. */
    SSL_CTX_set_security_level(ctx->ssl, version < HTTPC_TLS1_2 ? 0 : ctx->security_level);
    ctx->minimum_version = version;
    return HTTPC_OK;
}

int httpc_tls_ctx_get_minimum_version(const httpc_tls_ctx *ctx) {
    return ctx ? ctx->minimum_version : 0;
}
