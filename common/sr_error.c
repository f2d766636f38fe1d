#include "sr_error.h"

#include <stdio.h>
#include <stdlib.h>

static void fill(sr_error *err, int http, int code, const char *fmt, va_list ap)
{
    err->http = http;
    err->code = code;
    err->detail = NULL;
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
}

int sr_fail(sr_error *err, int http, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        fill(err, http, code, fmt, ap);
        va_end(ap);
    }
    return -1;
}

int sr_invalid_schema(sr_error *err, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        fill(err, 422, SR_E_INVALID_SCHEMA, fmt, ap);
        va_end(ap);
    }
    return -1;
}

int sr_fail_owned(sr_error *err, int http, int code, char *message)
{
    if (!err) {
        free(message);
        return -1;
    }
    err->http = http;
    err->code = code;
    snprintf(err->msg, sizeof err->msg, "%s", message);
    err->detail = message;
    return -1;
}

const char *sr_error_text(const sr_error *err)
{
    return err->detail ? err->detail : err->msg;
}

void sr_error_clear(sr_error *err)
{
    free(err->detail);
    err->detail = NULL;
}
