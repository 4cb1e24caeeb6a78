/* TLS against the servers tests/run.sh starts (nginx with several
 * certificates, tinyproxy, a recording CONNECT proxy).  Uses the public
 * httpc API; OpenSSL only to read the client certificate's CN. */
#include "httpc.h"
#include "check.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/pem.h>
#include <openssl/x509.h>

static const char *env(const char *name) {
    const char *v = getenv(name);
    return v && *v ? v : NULL;
}

static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *p = malloc(cap);
    while (p) {
        if (n == cap) {
            char *q = realloc(p, cap * 2);
            if (!q) {
                free(p);
                p = NULL;
                break;
            }
            p = q;
            cap *= 2;
        }
        size_t r = fread(p + n, 1, cap - n, f);
        if (r == 0)
            break;
        n += r;
    }
    fclose(f);
    *len = n;
    return p;
}

static bool contains(const char *hay, size_t hlen, const char *needle) {
    size_t nlen = strlen(needle);
    if (nlen == 0)
        return true;
    for (size_t i = 0; i + nlen <= hlen; i++)
        if (memcmp(hay + i, needle, nlen) == 0)
            return true;
    return false;
}

static bool msg_has(const httpc_error *e, const char *needle) {
    const char *m = httpc_error_message(e);
    return strstr(m, needle) != NULL;
}

static httpc_tls_ctx *ctx_with_ca(void) {
    httpc_tls_ctx *t = httpc_tls_ctx_new(HTTPC_TLS_DEFAULT);
    if (t && env("HTTPC_TEST_CA"))
        httpc_tls_ctx_load_verify_locations(t, env("HTTPC_TEST_CA"), NULL);
    return t;
}

static httpc_conn *mkconn(const char *host, int port, httpc_tls_ctx *t) {
    httpc_conn *c = httpc_conn_new(host, strlen(host), port, t);
    if (c)
        httpc_conn_set_timeout(c, 60);
    return c;
}

/* GET path; on success *body is malloc'd.  Returns the httpc code. */
static int get(httpc_conn *c, const char *path, int *status, char **body, size_t *blen) {
    *status = 0;
    if (body)
        *body = NULL;
    int rc = httpc_conn_request(c, "GET", 3, path, strlen(path), NULL, 0, HTTPC_BODY_NONE);
    if (rc)
        return rc;
    httpc_response *r = NULL;
    if ((rc = httpc_conn_getresponse(c, &r)))
        return rc;
    *status = httpc_response_status(r);
    const char *d;
    size_t n;
    rc = httpc_response_read(r, -1, &d, &n);
    if (rc == 0 && body) {
        *body = malloc(n + 1);
        if (*body) {
            memcpy(*body, d, n);
            (*body)[n] = '\0';
            *blen = n;
        }
    }
    if (rc)
        fprintf(stdout, "# read: %s: %s\n", httpc_code_name(rc),
                httpc_error_message(httpc_response_error(r)));
    httpc_response_free(r);
    return rc;
}

/* Connects and reports the code; prints the message for diagnosis. */
static int try_connect(const char *host, int port, httpc_tls_ctx *t, httpc_conn **out) {
    httpc_conn *c = mkconn(host, port, t);
    if (!c)
        return HTTPC_E_MEMORY;
    int rc = httpc_conn_connect(c);
    if (rc)
        printf("# %s:%d -> %s: %s (reason: %s)\n", host, port, httpc_code_name(rc),
               httpc_error_message(httpc_conn_error(c)),
               httpc_error_reason(httpc_conn_error(c)));
    if (out)
        *out = c;
    else
        httpc_conn_free(c);
    return rc;
}

static char *client_cn(const char *certfile) {
    FILE *f = fopen(certfile, "r");
    if (!f)
        return NULL;
    X509 *x = PEM_read_X509(f, NULL, NULL, NULL);
    fclose(f);
    if (!x)
        return NULL;
    char *cn = NULL;
    int len = X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName, NULL, 0);
    if (len > 0 && (cn = malloc((size_t)len + 1)) != NULL)
        X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName, cn, len + 1);
    X509_free(x);
    return cn;
}

static void test_ctx_api(void) {
    GROUP("ctx api");
    httpc_tls_ctx *t = httpc_tls_ctx_new(HTTPC_TLS_DEFAULT);
    CHECK(t != NULL, "default context");
    if (!t)
        return;
    CHECK_EQ_INT(httpc_tls_ctx_get_check_hostname(t), 1, "default check_hostname");
    CHECK_EQ_INT(httpc_tls_ctx_get_verify_mode(t), HTTPC_CERT_REQUIRED, "default verify_mode");
    CHECK_EQ_INT(httpc_tls_ctx_get_minimum_version(t), HTTPC_TLS1_2, "default minimum");
    int rc = httpc_tls_ctx_set_verify_mode(t, HTTPC_CERT_NONE);
    CHECK_EQ_INT(rc, HTTPC_E_VALUE, "CERT_NONE with check_hostname is ValueError");
    CHECK(msg_has(httpc_tls_ctx_error(t), "Cannot set verify_mode to CERT_NONE"),
          "message: %s", httpc_error_message(httpc_tls_ctx_error(t)));
    CHECK_EQ_INT(httpc_tls_ctx_set_check_hostname(t, 0), 0, "check_hostname off");
    CHECK_EQ_INT(httpc_tls_ctx_set_verify_mode(t, HTTPC_CERT_NONE), 0, "then CERT_NONE");
    CHECK_EQ_INT(httpc_tls_ctx_set_check_hostname(t, 1), 0, "check_hostname on again");
    CHECK_EQ_INT(httpc_tls_ctx_get_verify_mode(t), HTTPC_CERT_REQUIRED,
                 "check_hostname on makes CERT_REQUIRED");
    rc = httpc_tls_ctx_load_verify_locations(t, NULL, NULL);
    CHECK_EQ_INT(rc, HTTPC_E_VALUE, "no cafile/capath");
    CHECK(msg_has(httpc_tls_ctx_error(t), "cannot be all omitted"), "message");
    rc = httpc_tls_ctx_load_verify_locations(t, "/nonexistent/ca.pem", NULL);
    CHECK(httpc_code_is(rc, HTTPC_E_OSERROR) && !httpc_code_is(rc, HTTPC_E_SSL),
          "missing cafile is OSError (%s)", httpc_code_name(rc));
    CHECK_EQ_INT(httpc_error_errno(httpc_tls_ctx_error(t)), ENOENT, "errno ENOENT");
    rc = httpc_tls_ctx_load_verify_data(t, "garbage", 7);
    CHECK_EQ_INT(rc, HTTPC_E_SSL, "cadata without certificate");
    rc = httpc_tls_ctx_load_cert_chain(t, "/nonexistent/cert.pem", NULL, NULL);
    CHECK(httpc_code_is(rc, HTTPC_E_OSERROR) && !httpc_code_is(rc, HTTPC_E_SSL),
          "missing certfile is OSError (%s)", httpc_code_name(rc));
    if (env("HTTPC_TEST_CA")) {
        size_t n;
        char *pem = slurp(env("HTTPC_TEST_CA"), &n);
        CHECK(pem && httpc_tls_ctx_load_verify_data(t, pem, n) == 0, "cadata from CA file");
        free(pem);
    }
    CHECK_EQ_INT(httpc_tls_ctx_set_minimum_version(t, HTTPC_TLS1_3), 0, "min 1.3");
    CHECK_EQ_INT(httpc_tls_ctx_get_minimum_version(t), HTTPC_TLS1_3, "min is 1.3");
    CHECK_EQ_INT(httpc_tls_ctx_set_minimum_version(t, 0x999), HTTPC_E_VALUE, "bad version");
    httpc_tls_ctx_free(t);
    httpc_tls_ctx_free(NULL);

    httpc_tls_ctx *u = httpc_tls_ctx_new(HTTPC_TLS_UNVERIFIED);
    CHECK(u && httpc_tls_ctx_get_check_hostname(u) == 0 &&
              httpc_tls_ctx_get_verify_mode(u) == HTTPC_CERT_NONE &&
              httpc_tls_ctx_get_minimum_version(u) == HTTPC_TLS1_2,
          "unverified context defaults");
    httpc_tls_ctx_free(u);
}

static void test_good(int port, const char *docroot) {
    GROUP("good server");
    size_t ilen = 0;
    char path[4096];
    snprintf(path, sizeof path, "%s/index.html", docroot ? docroot : ".");
    char *index = slurp(path, &ilen);
    const char *hosts[] = {"localhost", "127.0.0.1"};
    for (size_t i = 0; i < 2; i++) {
        httpc_tls_ctx *t = ctx_with_ca();
        httpc_conn *c = mkconn(hosts[i], port, t);
        httpc_tls_ctx_free(t); /* the connection keeps its own reference */
        int status;
        char *body = NULL;
        size_t blen = 0;
        int rc = get(c, "/", &status, &body, &blen);
        CHECK(rc == 0 && status == 200, "GET / via %s -> %d (%s: %s)", hosts[i], status,
              httpc_code_name(rc), httpc_error_message(httpc_conn_error(c)));
        CHECK(index && body && blen == ilen && memcmp(body, index, ilen) == 0,
              "body is index.html via %s", hosts[i]);
        CHECK_EQ_INT(httpc_conn_is_tls(c), 1, "is_tls");
        free(body);
        httpc_conn_free(c);
    }
    /* ::1 only when the server listens there. */
    httpc_tls_ctx *t = ctx_with_ca();
    httpc_conn *c = NULL;
    int rc = try_connect("::1", port, t, &c);
    if (httpc_code_is(rc, HTTPC_E_CONNECTIONREFUSED) || rc == HTTPC_E_OSERROR)
        SKIP("no IPv6 listener");
    else
        CHECK_EQ_INT(rc, 0, "::1 matches the IP SAN");
    httpc_conn_free(c);
    httpc_tls_ctx_free(t);
    free(index);

    GROUP("keep-alive");
    t = ctx_with_ca();
    c = mkconn("localhost", port, t);
    int fds[3] = {-1, -1, -1};
    bool ok = true;
    for (int i = 0; i < 3; i++) {
        int status;
        char *body = NULL;
        size_t blen;
        rc = get(c, "/", &status, &body, &blen);
        ok = ok && rc == 0 && status == 200;
        fds[i] = httpc_conn_fileno(c);
        free(body);
    }
    CHECK(ok, "3 requests");
    CHECK(fds[0] >= 0 && fds[0] == fds[1] && fds[1] == fds[2], "same fileno %d %d %d",
          fds[0], fds[1], fds[2]);
    httpc_conn_free(c);
    httpc_tls_ctx_free(t);
}

static void test_verify(void) {
    int good = check_env_int("HTTPC_TEST_TLS_PORT");
    int wrong = check_env_int("HTTPC_TEST_TLS_WRONGHOST_PORT");
    int unknown = check_env_int("HTTPC_TEST_TLS_UNKNOWNCA_PORT");
    int expired = check_env_int("HTTPC_TEST_TLS_EXPIRED_PORT");

    GROUP("verification");
    httpc_tls_ctx *sys = httpc_tls_ctx_new(HTTPC_TLS_DEFAULT);
    int rc = try_connect("localhost", good, sys, NULL);
    CHECK_EQ_INT(rc, HTTPC_E_SSLCERTVERIFICATION, "system CAs do not know the test CA");
    CHECK(httpc_code_is(rc, HTTPC_E_SSL) && httpc_code_is(rc, HTTPC_E_OSERROR),
          "SSLCertVerificationError is an SSLError and an OSError");
    httpc_tls_ctx_free(sys);

    /* HTTPC_TLS_VERIFY trusts only what is loaded into it */
    httpc_tls_ctx *own = httpc_tls_ctx_new(HTTPC_TLS_VERIFY);
    CHECK(own && httpc_tls_ctx_get_verify_mode(own) == HTTPC_CERT_REQUIRED &&
              httpc_tls_ctx_get_check_hostname(own),
          "HTTPC_TLS_VERIFY verifies peers and host names");
    CHECK_EQ_INT(try_connect("localhost", good, own, NULL), HTTPC_E_SSLCERTVERIFICATION,
                 "HTTPC_TLS_VERIFY with no anchors trusts nobody");
    const char *cafile = getenv("HTTPC_TEST_CA");
    CHECK_EQ_INT(httpc_tls_ctx_load_verify_locations(own, cafile, NULL), HTTPC_OK, "load the test CA");
    CHECK_EQ_INT(try_connect("localhost", good, own, NULL), HTTPC_OK,
                 "HTTPC_TLS_VERIFY with the test CA connects");
    httpc_tls_ctx_free(own);

    httpc_tls_ctx *t = ctx_with_ca();
    httpc_conn *c = NULL;
    if (wrong) {
        rc = try_connect("localhost", wrong, t, &c);
        CHECK_EQ_INT(rc, HTTPC_E_SSLCERTVERIFICATION, "wrong host");
        CHECK(msg_has(httpc_conn_error(c), "Hostname mismatch"), "message: %s",
              httpc_error_message(httpc_conn_error(c)));
        httpc_conn_free(c);
    } else {
        SKIP("HTTPC_TEST_TLS_WRONGHOST_PORT unset");
    }
    if (unknown) {
        rc = try_connect("localhost", unknown, t, &c);
        CHECK_EQ_INT(rc, HTTPC_E_SSLCERTVERIFICATION, "unknown CA");
        const char *why = httpc_error_reason(httpc_conn_error(c));
        CHECK(strstr(why, "local issuer") || strstr(why, "self-signed") ||
                  strstr(why, "self signed"),
              "reason: %s", why);
        httpc_conn_free(c);
    } else {
        SKIP("HTTPC_TEST_TLS_UNKNOWNCA_PORT unset");
    }
    if (expired) {
        rc = try_connect("localhost", expired, t, &c);
        CHECK_EQ_INT(rc, HTTPC_E_SSLCERTVERIFICATION, "expired");
        CHECK(strcmp(httpc_error_reason(httpc_conn_error(c)), "certificate has expired") == 0,
              "reason: %s", httpc_error_reason(httpc_conn_error(c)));
        CHECK(msg_has(httpc_conn_error(c), "certificate verify failed: certificate has expired"),
              "message: %s", httpc_error_message(httpc_conn_error(c)));
        httpc_conn_free(c);
    } else {
        SKIP("HTTPC_TEST_TLS_EXPIRED_PORT unset");
    }

    GROUP("unverified");
    httpc_tls_ctx *u = httpc_tls_ctx_new(HTTPC_TLS_UNVERIFIED);
    int ports[3] = {wrong, unknown, expired};
    for (int i = 0; i < 3; i++) {
        if (!ports[i])
            continue;
        c = mkconn("localhost", ports[i], u);
        int status;
        rc = get(c, "/", &status, NULL, NULL);
        CHECK(rc == 0 && status == 200, "unverified GET on port %d (%s)", ports[i],
              httpc_code_name(rc));
        httpc_conn_free(c);
    }
    httpc_tls_ctx_free(u);

    GROUP("check_hostname off");
    if (wrong) {
        httpc_tls_ctx *nh = ctx_with_ca();
        httpc_tls_ctx_set_check_hostname(nh, 0);
        rc = try_connect("localhost", wrong, nh, NULL);
        CHECK_EQ_INT(rc, 0, "wrong host accepted without hostname check");
        httpc_tls_ctx_free(nh);
    }
    httpc_tls_ctx_free(t);
}

static void test_client_cert(void) {
    GROUP("client certificate");
    int port = check_env_int("HTTPC_TEST_TLS_CLIENTCERT_PORT");
    const char *cert = env("HTTPC_TEST_CLIENT_CERT"), *key = env("HTTPC_TEST_CLIENT_KEY");
    if (!port || !cert || !key) {
        SKIP("client certificate server not configured");
        return;
    }
    httpc_tls_ctx *t = ctx_with_ca();
    httpc_conn *c = mkconn("localhost", port, t);
    int status = 0;
    char *body = NULL;
    size_t blen = 0;
    int rc = get(c, "/whoami", &status, &body, &blen);
    /* TLS 1.3 completes the client's side of the handshake before the
     * server judges the certificate: the alert may surface on the first
     * read instead. */
    if (rc == HTTPC_E_CONNECTIONRESET || rc == HTTPC_E_BROKENPIPE)
        /* The server may reset before its alert is read: the request was
         * unread in its socket when it closed. */
        SKIP("no certificate -> %s (reset raced the alert): %s", httpc_code_name(rc),
             httpc_error_message(httpc_conn_error(c)));
    else if (rc == 0)
        /* nginx's ssl_verify_client lets the handshake finish and answers
         * 400 itself; stricter servers fail the handshake instead. */
        CHECK(status == 400 && body && contains(body, blen, "No required SSL certificate"),
              "no certificate -> nginx's 400 (status %d)", status);
    else
        CHECK(httpc_code_is(rc, HTTPC_E_SSL), "no certificate -> SSLError (%s: %s, status %d)",
              httpc_code_name(rc), httpc_error_message(httpc_conn_error(c)), status);
    free(body);
    body = NULL;
    httpc_conn_free(c);
    httpc_tls_ctx_free(t);

    char *cn = client_cn(cert);
    CHECK(cn != NULL, "client CN from %s", cert);
    t = ctx_with_ca();
    rc = httpc_tls_ctx_load_cert_chain(t, cert, key, NULL);
    CHECK_EQ_INT(rc, 0, "load_cert_chain");
    c = mkconn("localhost", port, t);
    rc = get(c, "/whoami", &status, &body, &blen);
    CHECK(rc == 0 && status == 200, "with certificate -> %d (%s)", status, httpc_code_name(rc));
    CHECK(body && cn && contains(body, blen, cn), "whoami names %s: %.200s", cn ? cn : "?",
          body ? body : "");
    free(body);
    httpc_conn_free(c);
    httpc_tls_ctx_free(t);

    const char *enc = env("HTTPC_TEST_CLIENT_KEY_ENC"), *pass = env("HTTPC_TEST_CLIENT_KEY_PASS");
    if (enc && pass) {
        t = ctx_with_ca();
        rc = httpc_tls_ctx_load_cert_chain(t, cert, enc, pass);
        CHECK_EQ_INT(rc, 0, "encrypted key with password (%s)",
                     httpc_error_message(httpc_tls_ctx_error(t)));
        c = mkconn("localhost", port, t);
        rc = get(c, "/whoami", &status, &body, &blen);
        CHECK(rc == 0 && status == 200 && body && cn && contains(body, blen, cn),
              "encrypted key works");
        free(body);
        httpc_conn_free(c);
        httpc_tls_ctx_free(t);

        t = ctx_with_ca();
        rc = httpc_tls_ctx_load_cert_chain(t, cert, enc, "definitely-wrong");
        CHECK(rc != 0 && httpc_code_is(rc, HTTPC_E_SSL), "wrong password -> %s: %s",
              httpc_code_name(rc), httpc_error_message(httpc_tls_ctx_error(t)));
        rc = httpc_tls_ctx_load_cert_chain(t, cert, enc, NULL);
        CHECK(rc != 0, "no password for an encrypted key fails without prompting");
        httpc_tls_ctx_free(t);
    } else {
        SKIP("no encrypted client key");
    }
    free(cn);
}

static void test_old(void) {
    GROUP("old protocol");
    int port = check_env_int("HTTPC_TEST_TLS_OLD_PORT");
    if (!port) {
        SKIP("HTTPC_TEST_TLS_OLD_PORT unset");
        return;
    }
    httpc_tls_ctx *t = ctx_with_ca();
    httpc_conn *c = NULL;
    int rc = try_connect("localhost", port, t, &c);
    CHECK(rc == HTTPC_E_SSL, "TLS 1.0/1.1 server refused by default (%s: %s)",
          httpc_code_name(rc), httpc_error_message(httpc_conn_error(c)));
    httpc_conn_free(c);
    CHECK_EQ_INT(httpc_tls_ctx_set_minimum_version(t, HTTPC_TLS1_0), 0, "minimum TLS 1.0");
    rc = try_connect("localhost", port, t, &c);
    if (rc == 0) {
        int status;
        rc = get(c, "/", &status, NULL, NULL);
        CHECK(rc == 0 && status == 200, "old server reachable with minimum TLS 1.0");
    } else {
        SKIP("the system OpenSSL still refuses TLS 1.0/1.1: %s",
             httpc_error_message(httpc_conn_error(c)));
    }
    httpc_conn_free(c);
    httpc_tls_ctx_free(t);
}

static bool file_has(const char *path, const char *needle) {
    size_t n;
    char *p = slurp(path, &n);
    bool ok = p && contains(p, n, needle);
    free(p);
    return ok;
}

static void test_tunnel(int tls_port) {
    GROUP("tunnel");
    int proxy = check_env_int("HTTPC_TEST_PROXY_PORT");
    int rec = check_env_int("HTTPC_TEST_RECPROXY_PORT");
    httpc_tls_ctx *t = ctx_with_ca();
    if (proxy) {
        httpc_conn *c = mkconn("127.0.0.1", proxy, t);
        CHECK_EQ_INT(httpc_conn_set_tunnel(c, "localhost", 9, tls_port), 0, "set_tunnel");
        int status;
        int rc = get(c, "/", &status, NULL, NULL);
        CHECK(rc == 0 && status == 200, "GET through tinyproxy -> %d (%s: %s)", status,
              httpc_code_name(rc), httpc_error_message(httpc_conn_error(c)));
        httpc_conn_free(c);

        /* A port outside tinyproxy's ConnectPort lines. */
        int denied = check_env_int("HTTPC_TEST_PROXY_DENIED_TARGET_PORT");
        c = mkconn("127.0.0.1", proxy, t);
        httpc_conn_set_tunnel(c, "localhost", 9, denied ? denied : 1);
        rc = httpc_conn_connect(c);
        const char *m = httpc_error_message(httpc_conn_error(c));
        CHECK(rc != 0 && httpc_code_is(rc, HTTPC_E_OSERROR), "denied CONNECT is an OSError (%s)",
              httpc_code_name(rc));
        CHECK(strstr(m, "403") != NULL, "message has the status line: %s", m);
        httpc_conn_free(c);
    } else {
        SKIP("HTTPC_TEST_PROXY_PORT unset");
    }
    if (rec && (env("HTTPC_TEST_RECPROXY_LOG") || env("HTTPC_TEST_DIR"))) {
        char log[4096], val[64];
        if (env("HTTPC_TEST_RECPROXY_LOG"))
            snprintf(log, sizeof log, "%s", env("HTTPC_TEST_RECPROXY_LOG"));
        else
            snprintf(log, sizeof log, "%s/recproxy.log", env("HTTPC_TEST_DIR"));
        snprintf(val, sizeof val, "tls-%ld", (long)rand());
        httpc_conn *c = mkconn("127.0.0.1", rec, t);
        httpc_conn_set_tunnel(c, "localhost", 9, tls_port);
        CHECK_EQ_INT(httpc_conn_add_tunnel_header(c, "X-Tunnel-Test", 13, val, strlen(val)),
                     0, "tunnel header");
        int status;
        int rc = get(c, "/", &status, NULL, NULL);
        CHECK(rc == 0 && status == 200, "GET through the recording proxy (%s: %s)",
              httpc_code_name(rc), httpc_error_message(httpc_conn_error(c)));
        char line[128];
        snprintf(line, sizeof line, "X-Tunnel-Test: %s\r\n", val);
        CHECK(file_has(log, line), "CONNECT head carried the header");
        char connect[64];
        snprintf(connect, sizeof connect, "CONNECT localhost:%d HTTP/1.", tls_port);
        CHECK(file_has(log, connect), "CONNECT line logged");
        httpc_conn_free(c);
    } else {
        SKIP("recording proxy not configured");
    }
    httpc_tls_ctx_free(t);
}

static void test_big(int port, const char *docroot) {
    GROUP("64 MiB over TLS");
    if (!docroot) {
        SKIP("HTTPC_TEST_DOCROOT unset");
        return;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/64m", docroot);
    size_t flen = 0;
    char *file = slurp(path, &flen);
    if (!file) {
        SKIP("cannot read %s", path);
        return;
    }
    httpc_tls_ctx *t = ctx_with_ca();
    httpc_conn *c = mkconn("localhost", port, t);
    char *got = malloc(flen + 1);
    char *chunk = malloc(100000);
    for (int mode = 0; mode < 3 && got && chunk; mode++) {
        int rc = httpc_conn_request(c, "GET", 3, "/64m", 4, NULL, 0, HTTPC_BODY_NONE);
        httpc_response *r = NULL;
        if (rc == 0)
            rc = httpc_conn_getresponse(c, &r);
        if (rc) {
            CHECK(0, "request %d: %s", mode, httpc_code_name(rc));
            continue;
        }
        size_t n = 0;
        bool overflow = false;
        const char *d;
        size_t dl;
        if (mode == 0) {
            rc = httpc_response_read(r, -1, &d, &dl);
            if (rc == 0 && dl <= flen) {
                memcpy(got, d, dl);
                n = dl;
            } else if (rc == 0) {
                overflow = true;
            }
        } else {
            for (;;) {
                if (mode == 1) {
                    rc = httpc_response_read(r, 65536, &d, &dl);
                } else {
                    rc = httpc_response_readinto(r, chunk, 100000, &dl);
                    d = chunk;
                }
                if (rc || dl == 0)
                    break;
                if (n + dl > flen) {
                    overflow = true;
                    break;
                }
                memcpy(got + n, d, dl);
                n += dl;
            }
        }
        static const char *names[] = {"read(-1)", "read(65536) loop", "readinto loop"};
        CHECK(rc == 0 && !overflow && n == flen && memcmp(got, file, flen) == 0,
              "%s: %zu of %zu bytes identical (%s)", names[mode], n, flen,
              httpc_code_name(rc));
        CHECK_EQ_INT(httpc_response_closed(r), 1, "%s: response closed at the end",
                     names[mode]);
        httpc_response_free(r);
    }
    free(chunk);
    free(got);
    free(file);
    httpc_conn_free(c);
    httpc_tls_ctx_free(t);
}

int main(void) {
    test_ctx_api();
    int port = check_env_int("HTTPC_TEST_TLS_PORT");
    if (!port || !env("HTTPC_TEST_CA")) {
        GROUP("servers");
        SKIP("HTTPC_TEST_TLS_PORT/HTTPC_TEST_CA unset (run via tests/run.sh)");
        return check_done();
    }
    const char *docroot = env("HTTPC_TEST_DOCROOT");
    test_good(port, docroot);
    test_verify();
    test_client_cert();
    test_old();
    test_tunnel(port);
    test_big(port, docroot);
    return check_done();
}
