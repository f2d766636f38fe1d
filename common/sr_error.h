/*
 * sr_error: the one error value that travels through every module.
 *
 * Libraries never print or exit; they fill an sr_error and return -1 (or NULL).
 * The server maps it to {"error_code": code, "message": msg} in one place
 * (server/respond.c). `http` is the HTTP status, `code` the Confluent error_code
 * (a 5-digit code, or the bare HTTP status for framework-level errors).
 */
#ifndef SR_ERROR_H
#define SR_ERROR_H

#include <stdarg.h>

#define SR_ERROR_MSG_MAX 1024

typedef struct sr_error {
    int http;
    int code;
    char msg[SR_ERROR_MSG_MAX];
    /* A message too long for msg (a 409 quoting an old schema): heap-allocated,
     * used instead of msg when set, released by sr_error_clear(). */
    char *detail;
} sr_error;

/* Confluent error codes used across modules (api.md §5). */
enum {
    SR_E_SUBJECT_NOT_FOUND = 40401,
    SR_E_VERSION_NOT_FOUND = 40402,
    SR_E_SCHEMA_NOT_FOUND = 40403,
    SR_E_SUBJECT_SOFT_DELETED = 40404,
    SR_E_SUBJECT_NOT_SOFT_DELETED = 40405,
    SR_E_VERSION_SOFT_DELETED = 40406,
    SR_E_VERSION_NOT_SOFT_DELETED = 40407,
    SR_E_SUBJECT_CONFIG_NOT_FOUND = 40408,
    SR_E_SUBJECT_MODE_NOT_FOUND = 40409,
    SR_E_INCOMPATIBLE = 409,
    SR_E_INVALID_SCHEMA = 42201,
    SR_E_INVALID_VERSION = 42202,
    SR_E_INVALID_COMPAT_LEVEL = 42203,
    SR_E_INVALID_MODE = 42204,
    SR_E_NOT_PERMITTED = 42205,
    SR_E_REFERENCE_EXISTS = 42206,
    SR_E_INVALID_SUBJECT = 42208,
    SR_E_SCHEMA_TOO_LARGE = 42209,
    SR_E_STORE = 50001,
    SR_E_TIMEOUT = 50002,
};

/* Fill err (if not NULL) and return -1, so callers can `return sr_fail(...)`. */
int sr_fail(sr_error *err, int http, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Like sr_fail, with a message of any length; takes ownership of `message`. */
int sr_fail_owned(sr_error *err, int http, int code, char *message);

/* The message: detail when set, else msg. */
const char *sr_error_text(const sr_error *err);

/* Release detail (safe on an error that holds none). */
void sr_error_clear(sr_error *err);

/* Shorthand for the most common case: 422/42201 "Invalid schema ...". */
int sr_invalid_schema(sr_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
