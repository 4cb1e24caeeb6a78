/* Every handle-taking call of the ABI is defined on a NULL handle: an
 * error code or a neutral value, never a crash (bindings and FFI users
 * can hold a NULL after a failed constructor). */
#include "check.h"
#include "httpc.h"

int main(void) {
    GROUP("NULL handles");
    httpc_conn *c = NULL;
    httpc_response *r = NULL, *out = (httpc_response *)&c;
    const char *p = "x";
    size_t n = 7;
    char buf[4];
    CHECK(httpc_conn_error(c) == NULL && httpc_error_code(NULL) == 0 &&
              *httpc_error_message(NULL) == '\0',
          "errors of NULL");
    CHECK(*httpc_conn_host(c) == '\0' && httpc_conn_port(c) == 0 && !httpc_conn_is_tls(c) &&
              *httpc_conn_state(c) == '\0' && httpc_conn_fileno(c) == -1,
          "connection attributes");
    httpc_conn_set_timeout(c, 1);
    httpc_conn_set_deadline(c, 1);
    httpc_conn_set_blocksize(c, 1);
    httpc_conn_set_debuglevel(c, 1);
    httpc_conn_set_debug_sink(c, NULL, NULL);
    httpc_conn_close(c);
    httpc_conn_consume(c, 1);
    httpc_conn_feed_eof(c);
    httpc_conn_free(c);
    CHECK(httpc_conn_get_timeout(c) < 0 && httpc_conn_get_blocksize(c) == 0 &&
              httpc_conn_get_debuglevel(c) == 0 && !httpc_conn_wants_close(c),
          "connection setters and getters");
    CHECK(*httpc_conn_debug_take(c, &n) == '\0' && n == 0, "debug_take");
    n = 7;
    CHECK(*httpc_conn_output(c, &n) == '\0' && n == 0, "output");
    CHECK_EQ_INT(httpc_conn_connect(c), HTTPC_E_VALUE, "connect");
    CHECK_EQ_INT(httpc_conn_set_source_address(c, "", 0, 0), HTTPC_E_VALUE, "set_source_address");
    CHECK_EQ_INT(httpc_conn_set_tunnel(c, "h", 1, 80), HTTPC_E_VALUE, "set_tunnel");
    CHECK_EQ_INT(httpc_conn_add_tunnel_header(c, "a", 1, "b", 1), HTTPC_E_VALUE, "add_tunnel_header");
    CHECK_EQ_INT(httpc_conn_request_header(c, "a", 1, "b", 1), HTTPC_E_VALUE, "request_header");
    CHECK_EQ_INT(httpc_conn_request(c, "GET", 3, "/", 1, NULL, 0, 0), HTTPC_E_VALUE, "request");
    CHECK_EQ_INT(httpc_conn_putrequest(c, "GET", 3, "/", 1, 0, 0), HTTPC_E_VALUE, "putrequest");
    CHECK_EQ_INT(httpc_conn_putheader(c, "a", 1, "b", 1), HTTPC_E_VALUE, "putheader");
    CHECK_EQ_INT(httpc_conn_putheader_continue(c, "b", 1), HTTPC_E_VALUE, "putheader_continue");
    CHECK_EQ_INT(httpc_conn_endheaders(c, NULL, 0, 0), HTTPC_E_VALUE, "endheaders");
    CHECK_EQ_INT(httpc_conn_send(c, "a", 1), HTTPC_E_VALUE, "send");
    CHECK_EQ_INT(httpc_conn_body_write(c, "a", 1), HTTPC_E_VALUE, "body_write");
    CHECK_EQ_INT(httpc_conn_body_write_fd(c, 0), HTTPC_E_VALUE, "body_write_fd");
    CHECK_EQ_INT(httpc_conn_body_end(c), HTTPC_E_VALUE, "body_end");
    CHECK(httpc_conn_getresponse(c, &out) == HTTPC_E_VALUE && out == NULL, "getresponse");
    CHECK_EQ_INT(httpc_conn_set_driven(c, 1), HTTPC_E_VALUE, "set_driven");
    CHECK_EQ_INT(httpc_conn_feed(c, "a", 1), HTTPC_E_VALUE, "feed");

    httpc_response_close(r);
    httpc_response_free(r);
    CHECK(httpc_response_error(r) == NULL && httpc_response_status(r) == 0 &&
              httpc_response_version(r) == 0 && httpc_response_closed(r) &&
              httpc_response_length(r) == -1 && httpc_response_fileno(r) == -1 &&
              httpc_response_header_count(r) == 0 && httpc_response_debuglevel(r) == 0 &&
              !httpc_response_chunked(r),
          "response attributes");
    CHECK(*httpc_response_reason(r, &n) == '\0' && n == 0, "reason");
    CHECK(httpc_response_header_at(r, 0, &p, &n, &p, &n) == HTTPC_E_VALUE, "header_at");
    CHECK(httpc_response_getheader(r, "a", 1, &p, &n) == 0 && n == 0, "getheader");
    CHECK_EQ_INT(httpc_response_readinto(r, buf, sizeof buf, &n), HTTPC_E_VALUE, "readinto");
    CHECK_EQ_INT(httpc_response_read(r, -1, &p, &n), HTTPC_E_VALUE, "read");
    CHECK_EQ_INT(httpc_response_read1(r, -1, &p, &n), HTTPC_E_VALUE, "read1");
    CHECK_EQ_INT(httpc_response_readline(r, -1, &p, &n), HTTPC_E_VALUE, "readline");
    CHECK_EQ_INT(httpc_response_peek(r, -1, &p, &n), HTTPC_E_VALUE, "peek");

    httpc_tls_ctx *t = NULL;
    httpc_tls_ctx_free(t);
    CHECK(httpc_tls_ctx_error(t) == NULL &&
              httpc_tls_ctx_set_check_hostname(t, 1) == HTTPC_E_VALUE &&
              httpc_tls_ctx_load_verify_data(t, "", 0) == HTTPC_E_VALUE,
          "TLS context");
    return check_done();
}
