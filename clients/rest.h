/*
 * rest: a small client for the Confluent Schema Registry REST API over libcurl.
 *
 * One rest_client per process; each call is one HTTP exchange. A call returns 0
 * when the server answered (whatever the status) and -1 when it could not be
 * reached, with a message naming the URL tried.
 *
 * Ownership: rest_response owns body and json; free with rest_response_free.
 */
#ifndef SR_REST_H
#define SR_REST_H

#include <stddef.h>

#include <jansson.h>

typedef struct rest_client rest_client;

typedef struct rest_response {
    long status;
    char *body;
    size_t len;
    json_t *json; /* parsed body, or NULL if it is not JSON */
} rest_response;

/* base_url: "http://host:port" (a trailing slash is fine); userpass "user:password" or NULL. */
rest_client *rest_new(const char *base_url, const char *userpass);
void rest_free(rest_client *c);
const char *rest_base_url(const rest_client *c);

/* method + path (already escaped, starting with '/'), optional JSON body. */
int rest_call(rest_client *c, const char *method, const char *path, json_t *body,
              rest_response *out, char *err, size_t errlen);
void rest_response_free(rest_response *r);

/* Percent-encode one path segment (a subject name: '/' becomes %2F). malloc'd. */
char *rest_escape(const char *segment);

/* The server's error as "error_code: message", or the HTTP status. Static buffer
 * of the response; valid until the response is freed. */
const char *rest_error_text(const rest_response *r, char *buf, size_t len);

#endif
