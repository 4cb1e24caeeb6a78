/* libcurl with one easy handle reused (its connection stays alive):
 * TCP_NODELAY on, peer verification off (throwaway cert), a write callback
 * that counts (PIECE > 0, with CURLOPT_BUFFERSIZE = PIECE) or appends to
 * one buffer grown by doubling, fresh for each body (PIECE 0: the whole
 * body in memory, like read()). */
#include "client.h"

#include <curl/curl.h>

typedef struct cc {
    CURL *e;
    size_t got;
    char *whole;
    size_t whole_cap;
    int keep;
} cc;

static size_t on_data(char *p, size_t size, size_t nmemb, void *ud) {
    cc *c = ud;
    size_t n = size * nmemb;
    if (c->keep) {
        if (c->got + n > c->whole_cap) {
            size_t cap = c->whole_cap ? c->whole_cap : 65536;
            while (cap < c->got + n) cap *= 2;
            char *w = realloc(c->whole, cap);
            if (!w) return 0;
            c->whole = w;
            c->whole_cap = cap;
        }
        memcpy(c->whole + c->got, p, n);
    }
    c->got += n;
    return n;
}

static size_t one(bench_args *a, void *ud) {
    (void)a;
    cc *c = ud;
    c->got = 0;
    CURLcode rc = curl_easy_perform(c->e);
    if (rc != CURLE_OK) bench_die("curl", curl_easy_strerror(rc));
    /* a fresh buffer per body, as a read() that hands it to its caller */
    free(c->whole);
    c->whole = NULL;
    c->whole_cap = 0;
    return c->got;
}

int main(int argc, char **argv) {
    bench_args a;
    bench_parse(argc, argv, &a);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    cc c = {.e = curl_easy_init(), .keep = a.piece == 0};
    if (!c.e) bench_die("curl", "init");
    char url[2048];
    snprintf(url, sizeof url, "%s://%s:%d%s", a.tls ? "https" : "http", a.host, a.port, a.path);
    curl_easy_setopt(c.e, CURLOPT_URL, url);
    curl_easy_setopt(c.e, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(c.e, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(c.e, CURLOPT_SSL_VERIFYHOST, 0L);
    curl_easy_setopt(c.e, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c.e, CURLOPT_WRITEDATA, &c);
    if (a.piece) curl_easy_setopt(c.e, CURLOPT_BUFFERSIZE, (long)a.piece);
    struct curl_slist *hdrs = NULL;
    if (a.body) {
        curl_easy_setopt(c.e, CURLOPT_POSTFIELDS, a.body);
        curl_easy_setopt(c.e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)a.body_size);
        /* every client sends the body right behind the head */
        hdrs = curl_slist_append(hdrs, "Expect:");
        curl_easy_setopt(c.e, CURLOPT_HTTPHEADER, hdrs);
    }
    bench_run(&a, one, &c);
    curl_slist_free_all(hdrs);
    curl_easy_cleanup(c.e);
    curl_global_cleanup();
    return 0;
}
