/*
 * http: the transport. libmicrohttpd glue (http.c) turns a connection's request
 * into an http_request (path split into percent-decoded segments, decoded query
 * parameters, the size-limited body) and sends the http_response a handler
 * fills. Transport rules of api.md §1 live here: accepted Content-Types, Accept
 * negotiation, trailing slashes, %2F inside segments.
 *
 * Ownership: the request and everything in it belong to http.c and live until
 * the handler returns. A handler puts a malloc'd body in the response; http.c
 * frees it.
 */
#ifndef SR_HTTP_H
#define SR_HTTP_H

#include <stddef.h>

#include <jansson.h>

#include "../common/sr_error.h"

#define HTTP_MAX_SEGMENTS 16

typedef struct http_param {
    char *key;
    char *value;
} http_param;

typedef struct http_request {
    const char *method;
    char *seg[HTTP_MAX_SEGMENTS]; /* decoded path segments, no empty trailing one */
    size_t n_seg;
    http_param *params;
    size_t n_params;
    const char *body;
    size_t body_len;
} http_request;

typedef struct http_response {
    int status;
    char *body; /* malloc'd */
    size_t len;
} http_response;

/* Query parameter value (last one wins), or NULL. */
const char *http_param_get(const http_request *req, const char *key);
/* Boolean query parameter: "true" (any case) is true, anything else false. */
int http_param_bool(const http_request *req, const char *key);
/* Integer query parameter, or def when absent or not a number. */
long long http_param_int(const http_request *req, const char *key, long long def);

/* Set the response to a JSON value (the reference is stolen) or a text body. */
void http_respond_json(http_response *resp, int status, json_t *value);
void http_respond_text(http_response *resp, int status, const char *text);
/* The Confluent error body {"error_code":..,"message":..}. Releases the
 * error's detail (sr_error_clear). */
void http_respond_error(http_response *resp, sr_error *err);
void http_respond_errorf(http_response *resp, int status, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Parse the request body as a JSON object. On failure fills resp (400 for
 * malformed JSON or a non-object, 422 for a missing body) and returns NULL. */
json_t *http_body_object(const http_request *req, http_response *resp);

struct server;
typedef struct http_daemon http_daemon;

/* Start listening; NULL with a message in err on failure. */
http_daemon *http_start(struct server *srv, char *err, size_t errlen);
/* Stop accepting, finish in-flight requests, stop the threads. */
void http_stop(http_daemon *d);

#endif
