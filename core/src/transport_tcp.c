/* TCP: name resolution, every address tried in order, non-blocking
 * sockets waited on with poll so one timeout covers connect, send and
 * each receive. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

/* One recv() or send(), waiting with poll while the socket is not ready. */
static long tcp_io(stream *s, bool out, char *buf, size_t len, httpc_error *e) {
    for (;;) {
        ssize_t n = out ? send(s->fd, buf, len, MSG_NOSIGNAL) : recv(s->fd, buf, len, 0);
        if (n >= 0) return (long)n;
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            int rc = stream_wait(s, out ? POLLOUT : POLLIN, e);
            if (rc < 0) return rc;
            continue;
        }
        return -err_os(e, errno, out ? "send" : "recv");
    }
}

static long tcp_recv(stream *s, char *buf, size_t len, httpc_error *e) {
    return tcp_io(s, false, buf, len, e);
}

static long tcp_send(stream *s, const char *buf, size_t len, httpc_error *e) {
    return tcp_io(s, true, (char *)buf, len, e);
}

static void tcp_close(stream *s) {
    if (s->fd >= 0) close(s->fd);
    s->fd = -1;
}

const stream_ops tcp_ops = {tcp_recv, tcp_send, tcp_close};

/* Plain TCP after connect: a blocking socket whose SO_RCVTIMEO/SO_SNDTIMEO
 * carry the timeout, so a receive is one recv() instead of recv(EAGAIN),
 * poll(), recv().  The deadline, when one is set, tightens the socket
 * timeout before each call. */
int tcp_apply_timeout(stream *s, httpc_error *e) {
    double t = s->timeout;
    if (s->deadline > 0) {
        double left = s->deadline - monotonic_now();
        if (left <= 0) return -err_set(e, HTTPC_E_TIMEOUT, "timed out (request deadline)");
        if (t < 0 || left < t) t = left;
    }
    if (t == s->applied_timeout) return 0;
    struct timeval tv = {0, 0};
    if (t > 0) {
        tv.tv_sec = (time_t)t;
        tv.tv_usec = (suseconds_t)((t - (double)tv.tv_sec) * 1e6);
        if (tv.tv_sec == 0 && tv.tv_usec == 0) tv.tv_usec = 1; /* 0 would mean "forever" */
    }
    if (t == 0) tv.tv_usec = 1;
    if (setsockopt(s->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) < 0 ||
        setsockopt(s->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv) < 0)
        return -err_os(e, errno, "setsockopt");
    s->applied_timeout = t;
    return 0;
}

int tcp_timed_out(stream *s, httpc_error *e) {
    if (s->deadline > 0 && monotonic_now() >= s->deadline)
        return -err_set(e, HTTPC_E_TIMEOUT, "timed out (request deadline)");
    return -err_set(e, HTTPC_E_TIMEOUT, "timed out");
}

/* One recv() or send() on the blocking socket: EAGAIN means the socket
 * timeout ran out. */
static long tcp_io_blocking(stream *s, bool out, char *buf, size_t len, httpc_error *e) {
    int rc = tcp_apply_timeout(s, e);
    if (rc < 0) return rc;
    for (;;) {
        ssize_t n = out ? send(s->fd, buf, len, MSG_NOSIGNAL) : recv(s->fd, buf, len, 0);
        if (n >= 0) return (long)n;
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) return tcp_timed_out(s, e);
        return -err_os(e, errno, out ? "send" : "recv");
    }
}

static long tcp_recv_blocking(stream *s, char *buf, size_t len, httpc_error *e) {
    return tcp_io_blocking(s, false, buf, len, e);
}

static long tcp_send_blocking(stream *s, const char *buf, size_t len, httpc_error *e) {
    return tcp_io_blocking(s, true, (char *)buf, len, e);
}

static const stream_ops tcp_blocking_ops = {tcp_recv_blocking, tcp_send_blocking, tcp_close};

int tcp_make_blocking(stream *s, httpc_error *e) {
    int fl = fcntl(s->fd, F_GETFL);
    if (fl < 0 || fcntl(s->fd, F_SETFL, fl & ~O_NONBLOCK) < 0) return -err_os(e, errno, "fcntl");
    s->applied_timeout = -1; /* a new socket waits forever */
    return tcp_apply_timeout(s, e);
}

int tcp_go_blocking(stream *s, httpc_error *e) {
    int rc = tcp_make_blocking(s, e);
    if (rc == 0) s->ops = &tcp_blocking_ops;
    return rc;
}

static int bind_source(int fd, int family, const char *src_host, int src_port, httpc_error *e) {
    char port[16];
    snprintf(port, sizeof port, "%d", src_port);
    struct addrinfo hints = {.ai_family = family, .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
    struct addrinfo *res = NULL;
    int rc = getaddrinfo(src_host && *src_host ? src_host : NULL, port, &hints, &res);
    if (rc != 0)
        return -err_set(e, HTTPC_E_NAMERESOLUTION, "[Errno %d] %s (source address)", rc,
                        gai_strerror(rc));
    int one = 1;
    (void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    rc = bind(fd, res->ai_addr, res->ai_addrlen);
    int saved = errno;
    freeaddrinfo(res);
    if (rc < 0) return -err_os(e, saved, "bind");
    return 0;
}

static int connect_one(stream *s, const struct addrinfo *ai, const char *src_host,
                       int src_port, httpc_error *e) {
    int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
                    ai->ai_protocol);
    if (fd < 0) return -err_os(e, errno, "socket");
    s->fd = fd;
    int rc = 0;
    if (src_host || src_port) rc = bind_source(fd, ai->ai_family, src_host, src_port, e);
    if (rc == 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
        if (errno == EINPROGRESS) {
            rc = stream_wait(s, POLLOUT, e);
            if (rc == 0) {
                int err = 0;
                socklen_t len = sizeof err;
                if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0) err = errno;
                if (err) rc = -err_os(e, err, "connect");
            }
        } else {
            rc = -err_os(e, errno, "connect");
        }
    }
    if (rc < 0) {
        close(fd);
        s->fd = -1;
        return rc;
    }
    /* head and body may leave in separate writes: never let Nagle hold
     * the second behind a delayed ACK */
    int one = 1;
    (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return 0;
}

int tcp_connect(stream *s, const char *host, int port, const char *src_host, int src_port,
                httpc_error *e) {
    char portstr[16];
    snprintf(portstr, sizeof portstr, "%d", port);
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_NUMERICSERV};
    struct addrinfo *res = NULL;
    int rc = getaddrinfo(host, portstr, &hints, &res);
    if (rc != 0) {
        if (rc == EAI_SYSTEM) return -err_os(e, errno, "getaddrinfo");
        return -err_set(e, HTTPC_E_NAMERESOLUTION, "[Errno %d] %s", rc, gai_strerror(rc));
    }
    /* the last address's error is the one reported; earlier ones are
     * overwritten, and success leaves the handle's error untouched */
    httpc_error tmp;
    err_init(&tmp);
    rc = -HTTPC_E_OSERROR;
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        rc = connect_one(s, ai, src_host, src_port, &tmp);
        if (rc == 0) break;
    }
    freeaddrinfo(res);
    if (rc < 0) {
        if (tmp.code) err_copy(e, &tmp);
        else err_set(e, HTTPC_E_OSERROR, "getaddrinfo returns an empty list");
    }
    err_clear(&tmp);
    if (rc < 0) return rc;
    s->ops = &tcp_ops;
    return 0;
}
