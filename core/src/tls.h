/* Private to tls_ctx.c and transport_tls.c: the context layout and the
 * OpenSSL error formatting both need.  Kept out of internal.h so nothing
 * else depends on OpenSSL headers. */
#ifndef HTTPC_TLS_H
#define HTTPC_TLS_H

#include "internal.h"

#include <openssl/ssl.h>
#include <stdatomic.h>

struct httpc_tls_ctx {
    /* Atomic: one context may back connections used by different threads. */
    atomic_int refs;
    SSL_CTX *ssl;
    int check_hostname;
    int verify_mode;       /* HTTPC_CERT_* */
    int minimum_version;   /* HTTPC_TLS1_* */
    int security_level;    /* as configured at creation, restored for >= 1.2 */
    httpc_error err;
};

/* Sets e from the OpenSSL error queue of this thread, as Python's ssl
 * formats it: "[LIB: MNEMONIC] reason".  `fallback` is the message when
 * the queue is empty.  Clears the queue; returns code. */
int tls_err_openssl(httpc_error *e, int code, const char *fallback);

#endif
