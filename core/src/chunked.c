/* The chunked transfer-coding decoder (RFC 9112 §7.1), with no I/O.  It
 * walks the framing one byte at a time (lines are short) and stops at each
 * chunk's data, which the caller takes straight from its buffer
 * (chunked_left / chunked_take), so body bytes are never copied here. */
#include "internal.h"

#include <string.h>

enum {
    S_SIZE,       /* hex digits of the size */
    S_SIZE_WS,    /* whitespace after the digits */
    S_EXT,        /* ";ext" up to the line end */
    S_SIZE_LF,    /* CR seen, LF due */
    S_DATA,
    S_DATA_END,   /* CR or LF due after the data */
    S_DATA_LF,
    S_TRAILER,    /* start of a trailer line (or the final empty line) */
    S_TRAILER_LINE,
    S_TRAILER_LF,
    S_END_LF,     /* CR of the final empty line seen */
    S_DONE
};

void chunked_init(chunked *c) { memset(c, 0, sizeof *c); }

static int hexval(unsigned char ch) {
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

/* A bad size line is reported as IncompleteRead, as http.client does; the
 * caller attaches the bytes gathered so far. */
static int bad(httpc_error *e, const char *why) {
    err_set(e, HTTPC_E_INCOMPLETEREAD, "invalid chunked framing: %s", why);
    return -HTTPC_E_INCOMPLETEREAD;
}

static int line_byte(chunked *c, httpc_error *e, const char *what) {
    if (++c->linelen > HTTPC_MAXLINE) return -err_toolong(e, what);
    return 0;
}

bool chunked_data_complete(const chunked *c) {
    return c->state >= S_TRAILER;
}

uint64_t chunked_left(const chunked *c) { return c->state == S_DATA ? c->left : 0; }

void chunked_take(chunked *c, uint64_t n) {
    c->left -= n;
    if (!c->left) c->state = S_DATA_END;
}

int chunked_frame(chunked *c, const char *in, size_t len, size_t *consumed, httpc_error *e) {
    size_t i = 0;
    int rc;
    if (c->state == S_DATA) return *consumed = 0, CHUNK_DATA;
    while (i < len) {
        unsigned char ch = (unsigned char)in[i];
        switch (c->state) {
        case S_SIZE: {
            int v = hexval(ch);
            if (v >= 0) {
                if (++c->ndigits > 16) return *consumed = i, bad(e, "chunk size over 16 hex digits");
                c->left = (c->left << 4) | (uint64_t)v;
            } else if (c->ndigits == 0) {
                return *consumed = i, bad(e, "chunk size is not a hex number");
            } else if (ch == ' ' || ch == '\t') {
                c->state = S_SIZE_WS;
            } else if (ch == ';') {
                c->state = S_EXT;
            } else if (ch == '\r') {
                c->state = S_SIZE_LF;
            } else if (ch == '\n') {
                goto size_done;
            } else {
                return *consumed = i, bad(e, "junk after the chunk size");
            }
            if ((rc = line_byte(c, e, "chunk size")) < 0) return *consumed = i, rc;
            i++;
            break;
        }
        case S_SIZE_WS:
            if (ch == ';') c->state = S_EXT;
            else if (ch == '\r') c->state = S_SIZE_LF;
            else if (ch == '\n') goto size_done;
            else if (ch != ' ' && ch != '\t') return *consumed = i, bad(e, "junk after the chunk size");
            if ((rc = line_byte(c, e, "chunk size")) < 0) return *consumed = i, rc;
            i++;
            break;
        case S_EXT:
            /* Extensions are ignored but bounded by the line limit, and
             * may not smuggle control octets. */
            if (ch == '\r') c->state = S_SIZE_LF;
            else if (ch == '\n') goto size_done;
            else if (ch < 0x20 && ch != '\t') return *consumed = i, bad(e, "control octet in a chunk extension");
            if ((rc = line_byte(c, e, "chunk size")) < 0) return *consumed = i, rc;
            i++;
            break;
        case S_SIZE_LF:
            if (ch != '\n') return *consumed = i, bad(e, "bare CR in the chunk size line");
        size_done:
            i++;
            c->linelen = 0;
            c->ndigits = 0;
            c->state = c->left ? S_DATA : S_TRAILER;
            if (c->state == S_DATA) return *consumed = i, CHUNK_DATA;
            break;
        case S_DATA:
            *consumed = i;
            return CHUNK_DATA;
        case S_DATA_END:
            if (ch == '\r') c->state = S_DATA_LF;
            else if (ch == '\n') c->state = S_SIZE;
            else return *consumed = i, bad(e, "chunk data longer than its size");
            i++;
            break;
        case S_DATA_LF:
            if (ch != '\n') return *consumed = i, bad(e, "bare CR after chunk data");
            c->state = S_SIZE;
            i++;
            break;
        case S_TRAILER:
            if (ch == '\r') c->state = S_END_LF;
            else if (ch == '\n') goto done;
            else {
                c->state = S_TRAILER_LINE;
                c->linelen = 0;
                continue;
            }
            i++;
            break;
        case S_TRAILER_LINE:
            if (++c->trailer_bytes > HTTPC_MAXTRAILERBYTES) {
                *consumed = i;
                return -err_set(e, HTTPC_E_HTTPEXCEPTION, "trailers longer than %d bytes",
                                HTTPC_MAXTRAILERBYTES);
            }
            if (ch == '\r') c->state = S_TRAILER_LF;
            else if (ch == '\n') c->state = S_TRAILER;
            else if ((rc = line_byte(c, e, "trailer line")) < 0) return *consumed = i, rc;
            i++;
            break;
        case S_TRAILER_LF:
            if (ch != '\n') return *consumed = i, bad(e, "bare CR in a trailer line");
            c->state = S_TRAILER;
            i++;
            break;
        case S_END_LF:
            if (ch != '\n') return *consumed = i, bad(e, "bare CR after the last chunk");
        done:
            i++;
            c->state = S_DONE;
            *consumed = i;
            return CHUNK_DONE;
        case S_DONE:
            *consumed = i;
            return CHUNK_DONE;
        }
    }
    *consumed = i;
    return c->state == S_DONE ? CHUNK_DONE : CHUNK_NEED;
}
