/* Response-head parser micro-benchmark: httpc's engine (parse_head from
 * core/src, compiled in) against llhttp (Debian's node-llhttp sources),
 * over the heads the workloads really get plus a ~1 KiB head with many
 * fields.  Both sides end with the same result: status, version and a list
 * of (name, value) spans; httpc also checks every byte as http.client's
 * rules want, llhttp as its own strict mode does.
 *
 *   parser_bench [LABEL=FILE ...]     timed: one line per head
 *   parser_bench ir httpc|llhttp LABEL=FILE|many ITERS
 *                                     ITERS parses inside ir_loop(), for
 *                                     callgrind --toggle-collect=ir_loop
 */
#include "internal.h"
#include "llhttp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char many_head[] =
    "HTTP/1.1 200 OK\r\n"
    "Server: nginx/1.22.1\r\n"
    "Date: Mon, 01 Jan 2024 00:00:00 GMT\r\n"
    "Content-Type: application/json; charset=utf-8\r\n"
    "Content-Length: 1234\r\n"
    "Connection: keep-alive\r\n"
    "Vary: Accept-Encoding, Origin\r\n"
    "Cache-Control: private, max-age=0, no-cache, no-store, must-revalidate\r\n"
    "Pragma: no-cache\r\n"
    "Expires: Thu, 01 Jan 1970 00:00:00 GMT\r\n"
    "ETag: W/\"4d2-5f3e2c1b0a9f8e7d6c5b4a39\"\r\n"
    "Last-Modified: Sun, 31 Dec 2023 23:59:59 GMT\r\n"
    "Strict-Transport-Security: max-age=63072000; includeSubDomains; preload\r\n"
    "X-Content-Type-Options: nosniff\r\n"
    "X-Frame-Options: DENY\r\n"
    "X-XSS-Protection: 0\r\n"
    "Referrer-Policy: strict-origin-when-cross-origin\r\n"
    "Content-Security-Policy: default-src 'self'; img-src 'self' data:; script-src 'self'\r\n"
    "Access-Control-Allow-Origin: https://example.com\r\n"
    "Access-Control-Allow-Credentials: true\r\n"
    "Set-Cookie: session=0123456789abcdef0123456789abcdef; Path=/; HttpOnly; Secure\r\n"
    "Set-Cookie: prefs=lang%3Den; Path=/; Max-Age=31536000\r\n"
    "X-Request-Id: 7f9c2ba4-e88f-11ee-9b8b-0242ac120002\r\n"
    "X-Runtime: 0.012345\r\n"
    "Accept-Ranges: bytes\r\n"
    "Age: 0\r\n"
    "Via: 1.1 varnish, 1.1 proxy.example.net\r\n"
    "\r\n";

/* ---- httpc ------------------------------------------------------------ */
static size_t g_fields;

static void httpc_one(const char *buf, size_t len) {
    head_scan scan = {0};
    head h = {0};
    httpc_error e;
    err_init(&e);
    long n = parse_head(buf, len, &scan, false, &h, &e);
    if (n != (long)len || h.status != 200) {
        fprintf(stderr, "parse_head failed: %ld %s\n", n, e.msg ? e.msg : "");
        exit(1);
    }
    g_fields += h.nfields;
    head_free(&h);
}

/* ---- llhttp ----------------------------------------------------------- */
typedef struct span {
    const char *p;
    size_t n;
} span;
typedef struct ll_result {
    span status;
    span names[128], values[128];
    size_t nfields;
    int done;
} ll_result;

static int on_status(llhttp_t *p, const char *at, size_t n) {
    ll_result *r = p->data;
    r->status = (span){at, n};
    return 0;
}
static int on_field(llhttp_t *p, const char *at, size_t n) {
    ll_result *r = p->data;
    if (r->nfields == 128) return -1;
    r->names[r->nfields] = (span){at, n};
    return 0;
}
static int on_value(llhttp_t *p, const char *at, size_t n) {
    ll_result *r = p->data;
    r->values[r->nfields++] = (span){at, n};
    return 0;
}
static int on_headers_complete(llhttp_t *p) {
    ll_result *r = p->data;
    r->done = 1;
    return 0;
}

static llhttp_settings_t ll_settings;

static void llhttp_one(const char *buf, size_t len) {
    llhttp_t p;
    ll_result r;
    r.nfields = 0;
    r.done = 0;
    llhttp_init(&p, HTTP_RESPONSE, &ll_settings);
    p.data = &r;
    enum llhttp_errno rc = llhttp_execute(&p, buf, len);
    if (rc != HPE_OK || !r.done || p.status_code != 200) {
        fprintf(stderr, "llhttp failed: %s\n", llhttp_errno_name(rc));
        exit(1);
    }
    g_fields += r.nfields;
}

/* ---- driver ----------------------------------------------------------- */
typedef void (*one_fn)(const char *, size_t);

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Heads per second: the best of 5 rounds of ~0.2 s each. */
static double rate(one_fn f, const char *buf, size_t len) {
    double best = 0;
    for (int round = 0; round < 5; round++) {
        long n = 0;
        double t0 = now(), t;
        do {
            for (int i = 0; i < 1000; i++) f(buf, len);
            n += 1000;
        } while ((t = now()) - t0 < 0.2);
        double r = (double)n / (t - t0);
        if (r > best) best = r;
    }
    return best;
}

__attribute__((noinline)) void ir_loop(one_fn f, const char *buf, size_t len, long iters) {
    for (long i = 0; i < iters; i++) f(buf, len);
}

static char *load(const char *spec, const char **label, size_t *len) {
    if (strcmp(spec, "many") == 0) {
        *label = "many fields";
        *len = sizeof many_head - 1;
        char *b = malloc(*len);
        if (!b) exit(1);
        memcpy(b, many_head, *len);
        return b;
    }
    const char *eq = strchr(spec, '=');
    if (!eq) {
        fprintf(stderr, "expected LABEL=FILE: %s\n", spec);
        exit(2);
    }
    static char labels[16][64];
    static int nl;
    snprintf(labels[nl], sizeof labels[nl], "%.*s", (int)(eq - spec), spec);
    *label = labels[nl];
    nl = (nl + 1) % 16;
    FILE *fp = fopen(eq + 1, "rb");
    if (!fp) {
        perror(eq + 1);
        exit(2);
    }
    char *b = malloc(65536);
    if (!b) exit(1);
    *len = fread(b, 1, 65536, fp);
    fclose(fp);
    return b;
}

int main(int argc, char **argv) {
    llhttp_settings_init(&ll_settings);
    ll_settings.on_status = on_status;
    ll_settings.on_header_field = on_field;
    ll_settings.on_header_value = on_value;
    ll_settings.on_headers_complete = on_headers_complete;

    if (argc == 5 && strcmp(argv[1], "ir") == 0) {
        const char *label;
        size_t len;
        char *buf = load(argv[3], &label, &len);
        ir_loop(strcmp(argv[2], "httpc") == 0 ? httpc_one : llhttp_one, buf, len, atol(argv[4]));
        free(buf);
        return 0;
    }
    int nspec = argc - 1;
    const char **specs = calloc((size_t)nspec + 1, sizeof *specs);
    if (!specs) return 1;
    for (int i = 0; i < nspec; i++) specs[i] = argv[i + 1];
    specs[nspec++] = "many";
    for (int i = 0; i < nspec; i++) {
        const char *label;
        size_t len;
        char *buf = load(specs[i], &label, &len);
        double h = rate(httpc_one, buf, len), l = rate(llhttp_one, buf, len);
        /* labels have no spaces in the output (key=value parsing) */
        char lab[64];
        snprintf(lab, sizeof lab, "%s", label);
        for (char *c = lab; *c; c++)
            if (*c == ' ') *c = '_';
        printf("head=%s bytes=%zu httpc_heads_s=%.0f httpc_mbs=%.1f llhttp_heads_s=%.0f "
               "llhttp_mbs=%.1f\n",
               lab, len, h, h * (double)len / 1e6, l, l * (double)len / 1e6);
        free(buf);
    }
    free(specs);
    return g_fields == 0;
}
