/* The connection and response handles, shared by conn.c and response.c. */
#ifndef HTTPC_HANDLES_H
#define HTTPC_HANDLES_H
#include "internal.h"

enum { CS_IDLE, CS_REQ_STARTED, CS_REQ_SENT };

struct httpc_conn {
    int refs;               /* the caller's + one per live response */
    bool freed;             /* the caller let go */
    httpc_error err;
    int invalid;            /* constructor's error code, kept for every call */
    char *host;
    int port, default_port;
    httpc_tls_ctx *tls;
    double timeout, deadline;
    char *src_host;
    int src_port;
    bool has_source;
    size_t blocksize;
    debug_sink dbg;
    char *tunnel_host;
    int tunnel_port;
    hbuf tunnel_headers;

    stream *s;              /* NULL while closed */
    stream *driven_s;       /* driven: the stream bound to the caller's transport */
    bool driven;
    int state;
    httpc_response *resp;   /* the keep-alive response still being read */
    bool is_head;           /* the request in flight is HEAD */
    bool chunked_req;       /* streamed body is framed as chunks */
    bool last_was_header;
    hbuf out;               /* the request head being built */
    hbuf staged;            /* request(): staged headers, name\0value\0 records with lengths */
    bool st_host, st_ae, st_cl, st_te;
    head_scan scan;         /* getresponse progress (driven calls resume it) */
    int interim;
    size_t interim_bytes;
};

struct httpc_response {
    httpc_conn *conn;       /* holds a reference */
    stream *s;              /* NULL once the body is done or closed */
    httpc_error err;
    char *headblock;
    head h;
    bool will_close, chunked, closed, attached, finished;
    int64_t length;         /* body bytes left, -1 when delimited by close/chunks */
    chunked dec;
    double deadline;
    int debuglevel;
    hbuf acc;               /* the last read/readline result */
    bool acc_done;          /* acc holds a result already returned */
    int pending;            /* an error found after bytes were delivered */
    hbuf scratch;           /* getheader's joined value */
};

/* response.c */
int response_begin(httpc_conn *c, httpc_response **out);
void response_detach(httpc_response *r);
/* Closes the response's body (as close()) but keeps what its last read
 * returned: for a close that comes from the connection, not the caller of
 * the response. */
void response_end(httpc_response *r);
/* conn.c */
void conn_unref(httpc_conn *c);
void conn_drop_stream(httpc_conn *c);
#endif
