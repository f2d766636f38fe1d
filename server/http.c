/*
 * libmicrohttpd glue: one request = one req_state, created on the first call of
 * the access handler, fed with upload chunks, dispatched on the last call, freed
 * in the completion callback.
 *
 * Two libmicrohttpd details shape this file (tooling.md §4):
 *  - The response is queued on a later call, never the first: queueing on the
 *    first call makes 0.9.75 close the connection, losing keep-alive.
 *  - URL unescaping is switched off (unescape_none), so "%2F" inside a subject
 *    survives until the path has been split into segments; we decode each
 *    segment and each query value ourselves.
 */
#include "http.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "../common/strbuf.h"
#include "server.h"

struct http_daemon {
    struct MHD_Daemon *mhd;
    server *srv;
    atomic_int in_flight; /* requests begun and not yet completed */
    atomic_int stopping;  /* set by http_stop: new requests get 503 */
};

typedef struct req_state {
    strbuf body;
    int too_large;
    int refused; /* began after the server started stopping: answered 503 */
    struct timespec start;
    http_request req;
} req_state;

/* --- request helpers for handlers ---------------------------------------- */

const char *http_param_get(const http_request *req, const char *key)
{
    const char *v = NULL;
    for (size_t i = 0; i < req->n_params; i++)
        if (strcmp(req->params[i].key, key) == 0) v = req->params[i].value;
    return v;
}

int http_param_bool(const http_request *req, const char *key)
{
    const char *v = http_param_get(req, key);
    return v && strcasecmp(v, "true") == 0;
}

long long http_param_int(const http_request *req, const char *key, long long def)
{
    const char *v = http_param_get(req, key);
    if (!v || !*v) return def;
    char *end;
    long long n = strtoll(v, &end, 10);
    return *end ? def : n;
}

void http_respond_json(http_response *resp, int status, json_t *value)
{
    free(resp->body);
    resp->status = status;
    resp->body = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY);
    resp->len = resp->body ? strlen(resp->body) : 0;
    json_decref(value);
}

void http_respond_text(http_response *resp, int status, const char *text)
{
    free(resp->body);
    resp->status = status;
    resp->body = xstrdup(text);
    resp->len = strlen(text);
}

void http_respond_error(http_response *resp, sr_error *err)
{
    json_t *o = json_object();
    json_object_set_new(o, "error_code", json_integer(err->code));
    json_object_set_new(o, "message", json_string(sr_error_text(err)));
    if (!json_object_get(o, "message")) /* message was not valid UTF-8 */
        json_object_set_new(o, "message", json_string("Invalid input"));
    http_respond_json(resp, err->http, o);
    sr_error_clear(err);
}

void http_respond_errorf(http_response *resp, int status, int code, const char *fmt, ...)
{
    sr_error err = {.http = status, .code = code};
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err.msg, sizeof err.msg, fmt, ap);
    va_end(ap);
    http_respond_error(resp, &err);
}

json_t *http_body_object(const http_request *req, http_response *resp)
{
    if (req->body_len == 0) {
        http_respond_errorf(resp, 422, 422, "Request body is missing");
        return NULL;
    }
    json_error_t jerr;
    json_t *v = json_loadb(req->body, req->body_len, JSON_DECODE_ANY, &jerr);
    if (!v) {
        http_respond_errorf(resp, 400, 400, "Unrecognized JSON: %s (line %d, column %d)",
                            jerr.text, jerr.line, jerr.column);
        return NULL;
    }
    if (json_is_null(v)) {
        json_decref(v);
        http_respond_errorf(resp, 422, 422, "Request body is missing");
        return NULL;
    }
    if (!json_is_object(v)) {
        json_decref(v);
        http_respond_errorf(resp, 400, 400, "Request body must be a JSON object");
        return NULL;
    }
    return v;
}

/* --- parsing the request line --------------------------------------------- */

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Percent-decode n bytes; in query strings '+' is a space too (as Jersey
 * decodes them). A decoded NUL cannot live in a C string; it becomes DEL (0x7f),
 * which is also a control character, so subject validation rejects it just as
 * it would the NUL. */
static char *percent_decode(const char *s, size_t n, int plus_is_space)
{
    char *out = xmalloc(n + 1), *o = out;
    for (size_t i = 0; i < n; i++) {
        int hi, lo;
        if (s[i] == '%' && i + 2 < n && (hi = hexval(s[i + 1])) >= 0 && (lo = hexval(s[i + 2])) >= 0) {
            char c = (char)(hi * 16 + lo);
            *o++ = c ? c : 0x7f;
            i += 2;
        } else {
            *o++ = plus_is_space && s[i] == '+' ? ' ' : s[i];
        }
    }
    *o = '\0';
    return out;
}

/* Split the raw path into decoded segments. A trailing slash is ignored.
 * Returns -1 when there are too many segments (no route has that many). */
static int split_path(const char *url, http_request *req)
{
    const char *p = url;
    if (*p == '/') p++;
    while (*p) {
        const char *slash = strchr(p, '/');
        size_t n = slash ? (size_t)(slash - p) : strlen(p);
        if (!slash || slash[1] != '\0' || n > 0) {
            if (req->n_seg == HTTP_MAX_SEGMENTS) return -1;
            req->seg[req->n_seg++] = percent_decode(p, n, 0);
        }
        if (!slash) break;
        p = slash + 1;
    }
    return 0;
}

static enum MHD_Result collect_param(void *cls, enum MHD_ValueKind kind, const char *key,
                                     const char *value)
{
    (void)kind;
    http_request *req = cls;
    if (req->n_params >= 256) return MHD_NO;
    req->params = xrealloc(req->params, (req->n_params + 1) * sizeof *req->params);
    req->params[req->n_params].key = percent_decode(key, strlen(key), 1);
    req->params[req->n_params].value =
        percent_decode(value ? value : "", value ? strlen(value) : 0, 1);
    req->n_params++;
    return MHD_YES;
}

static size_t unescape_none(void *cls, struct MHD_Connection *c, char *s)
{
    (void)cls;
    (void)c;
    return strlen(s);
}

/* --- content negotiation (api.md §1.1) ------------------------------------ */

static const char *const JSON_TYPES[] = {
    "application/vnd.schemaregistry.v1+json",
    "application/vnd.schemaregistry+json",
    "application/json",
};
static const double JSON_WEIGHTS[] = {1.0, 0.9, 0.5};

static int content_type_ok(const char *ct)
{
    if (!ct) return 1; /* no Content-Type: treated as octet-stream */
    while (*ct == ' ') ct++;
    size_t n = strcspn(ct, "; \t");
    if (n == 0) return 1;
    for (size_t i = 0; i < 3; i++)
        if (strlen(JSON_TYPES[i]) == n && strncasecmp(ct, JSON_TYPES[i], n) == 0) return 1;
    return n == strlen("application/octet-stream") &&
           strncasecmp(ct, "application/octet-stream", n) == 0;
}

/* The q an Accept header gives media type `type`, or 0 if none of its ranges
 * covers it. "*" alone (the JDK's default header sends it) counts as a wildcard. */
static double accept_q(const char *accept, const char *type)
{
    double best = 0;
    const char *p = accept;
    while (*p) {
        size_t n = strcspn(p, ",");
        char range[256];
        snprintf(range, sizeof range, "%.*s", (int)(n < 255 ? n : 255), p);
        p += n;
        if (*p == ',') p++;
        char *semi = strchr(range, ';');
        double q = 1.0;
        if (semi) {
            *semi = '\0';
            char *qp = strstr(semi + 1, "q=");
            if (qp) q = atof(qp + 2);
        }
        char *r = range;
        while (*r == ' ' || *r == '\t') r++;
        char *e = r + strlen(r);
        while (e > r && (e[-1] == ' ' || e[-1] == '\t')) *--e = '\0';
        int match = strcmp(r, "*") == 0 || strcmp(r, "*/*") == 0 ||
                    strcasecmp(r, "application/*") == 0 || strcasecmp(r, type) == 0;
        if (match && q > best) best = q;
    }
    return best;
}

/* The response Content-Type for an Accept header, or NULL for 406. */
static const char *negotiate(const char *accept)
{
    if (!accept || !*accept) return JSON_TYPES[0];
    const char *best = NULL;
    double best_score = 0;
    for (size_t i = 0; i < 3; i++) {
        double s = accept_q(accept, JSON_TYPES[i]) * JSON_WEIGHTS[i];
        if (s > best_score) {
            best_score = s;
            best = JSON_TYPES[i];
        }
    }
    return best;
}

/* --- the access handler ---------------------------------------------------- */

static void log_request(const req_state *rs, const char *method, const char *url, int status)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long long us = (now.tv_sec - rs->start.tv_sec) * 1000000LL +
                   (now.tv_nsec - rs->start.tv_nsec) / 1000;
    fprintf(stderr, "%s %s %d %lldus\n", method, url, status, us);
}

static enum MHD_Result send_response(struct MHD_Connection *c, http_response *resp,
                                     const char *content_type)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(resp->len, resp->body, MHD_RESPMEM_MUST_FREE);
    resp->body = NULL;
    if (!r) return MHD_NO;
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)resp->status, r);
    MHD_destroy_response(r);
    return ret;
}

static void handle(http_daemon *d, struct MHD_Connection *c, req_state *rs, const char *url,
                   const char *method, http_response *resp, const char **ctype)
{
    http_request *req = &rs->req;
    req->method = method;
    if (rs->refused) {
        *ctype = JSON_TYPES[0];
        http_respond_errorf(resp, 503, 503, "The server is shutting down");
        return;
    }
    const char *accept = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept");
    *ctype = negotiate(accept);
    if (!*ctype) {
        *ctype = JSON_TYPES[0];
        http_respond_errorf(resp, 406, 406, "HTTP 406 Not Acceptable");
        return;
    }
    if ((strcmp(method, "POST") == 0 || strcmp(method, "PUT") == 0) &&
        !content_type_ok(MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type"))) {
        http_respond_errorf(resp, 415, 415, "HTTP 415 Unsupported Media Type");
        return;
    }
    if (rs->too_large) {
        http_respond_errorf(resp, 413, 413, "Request body is larger than %zu bytes",
                            d->srv->cfg.max_body_bytes);
        return;
    }
    if (split_path(url, req) < 0) {
        http_respond_errorf(resp, 404, 404, "HTTP 404 Not Found");
        return;
    }
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect_param, req);
    req->body = rs->body.data ? rs->body.data : "";
    req->body_len = rs->body.len;
    routes_dispatch(d->srv, req, resp);
    if (!resp->body) http_respond_errorf(resp, 500, 500, "Internal Server Error");
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_size, void **con_cls)
{
    (void)version;
    http_daemon *d = cls;
    req_state *rs = *con_cls;
    if (!rs) {
        rs = xcalloc(1, sizeof *rs);
        clock_gettime(CLOCK_MONOTONIC, &rs->start);
        rs->refused = atomic_load(&d->stopping); /* requests already begun still finish */
        *con_cls = rs;
        atomic_fetch_add(&d->in_flight, 1);
        return MHD_YES;
    }
    if (*upload_size) {
        if (!rs->too_large) {
            if (rs->body.len + *upload_size > d->srv->cfg.max_body_bytes) {
                rs->too_large = 1;
                strbuf_free(&rs->body);
            } else {
                strbuf_add(&rs->body, upload_data, *upload_size);
            }
        }
        *upload_size = 0;
        return MHD_YES;
    }
    http_response resp = {0};
    const char *ctype;
    handle(d, c, rs, url, method, &resp, &ctype);
    if (d->srv->cfg.log_requests) log_request(rs, method, url, resp.status);
    enum MHD_Result ret = send_response(c, &resp, ctype);
    free(resp.body);
    return ret;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)c;
    (void)toe;
    http_daemon *d = cls;
    req_state *rs = *con_cls;
    if (!rs) return;
    strbuf_free(&rs->body);
    for (size_t i = 0; i < rs->req.n_seg; i++) free(rs->req.seg[i]);
    for (size_t i = 0; i < rs->req.n_params; i++) {
        free(rs->req.params[i].key);
        free(rs->req.params[i].value);
    }
    free(rs->req.params);
    free(rs);
    *con_cls = NULL;
    atomic_fetch_sub(&d->in_flight, 1);
}

/* --- start / stop ----------------------------------------------------------- */

http_daemon *http_start(server *srv, char *err, size_t errlen)
{
    struct addrinfo hints = {.ai_flags = AI_PASSIVE | AI_NUMERICSERV, .ai_socktype = SOCK_STREAM};
    struct addrinfo *ai = NULL;
    char port[16];
    snprintf(port, sizeof port, "%d", srv->cfg.port);
    int rc = getaddrinfo(srv->cfg.host, port, &hints, &ai);
    if (rc != 0) {
        snprintf(err, errlen, "cannot resolve %s: %s", srv->cfg.host, gai_strerror(rc));
        return NULL;
    }
    http_daemon *d = xcalloc(1, sizeof *d);
    d->srv = srv;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL;
    if (ai->ai_family == AF_INET6) flags |= MHD_USE_IPv6;
    d->mhd = MHD_start_daemon(
        flags, (uint16_t)srv->cfg.port, NULL, NULL, on_request, d,
        MHD_OPTION_SOCK_ADDR, ai->ai_addr,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)srv->cfg.threads,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, d,
        MHD_OPTION_UNESCAPE_CALLBACK, unescape_none, NULL,
        MHD_OPTION_CONNECTION_TIMEOUT, 120u,
        MHD_OPTION_CONNECTION_LIMIT, 4096u,
        MHD_OPTION_LISTENING_ADDRESS_REUSE, 1u,
        MHD_OPTION_END);
    freeaddrinfo(ai);
    if (!d->mhd) {
        snprintf(err, errlen, "cannot listen on %s:%d", srv->cfg.host, srv->cfg.port);
        free(d);
        return NULL;
    }
    return d;
}

void http_stop(http_daemon *d)
{
    if (!d) return;
    /* Give requests already being served up to 10 s to finish; requests that
     * begin meanwhile are answered 503. MHD_quiesce_daemon would stop accepting
     * outright, but with epoll worker threads it races with the workers and can
     * abort the process (an open libmicrohttpd defect), so it is not used. */
    atomic_store(&d->stopping, 1);
    for (int i = 0; i < 1000 && atomic_load(&d->in_flight) > 0; i++) usleep(10000);
    MHD_stop_daemon(d->mhd); /* closes the listening socket and every connection */
    free(d);
}
